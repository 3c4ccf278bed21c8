"""Across sessions: summaries, the store's index, the sessions listing and the report."""
