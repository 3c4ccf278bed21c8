"""Asking questions: one interface (:mod:`csintake.live.prompts.base`) and its implementations.

:mod:`csintake.live.prompts.rich_ui` for a terminal, :mod:`csintake.live.prompts.plain` for
pipes and screen readers, :mod:`csintake.live.prompts.scripted` for tests. The engine never
imports these.
"""
