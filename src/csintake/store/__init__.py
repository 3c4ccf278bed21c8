"""The store: the session file model, and the folder that holds sessions, with locks and atomic
saves.
"""
