"""Terminal output shared by commands: tables and trees of sessions, banks and reports."""
