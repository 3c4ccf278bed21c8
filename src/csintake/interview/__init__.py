"""The interview as plain Python: the engine that decides what is asked, opening sessions, scripted
intakes.
"""
