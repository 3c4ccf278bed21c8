"""The bank: its model, conditions, answer validation, checking, loading, and where banks are
found."""
