"""Asking questions: one interface (:mod:`csintake.prompts.base`) and its implementations.

:mod:`csintake.prompts.rich_ui` for a terminal, :mod:`csintake.prompts.plain` for pipes and
screen readers, :mod:`csintake.prompts.scripted` for tests. The engine never imports these.
"""
