"""A peek at the brief during the call: a few plain lines, no formatting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csintake.brief.builder import build_brief

if TYPE_CHECKING:
    from csintake.interview.engine import Interview


def peek_lines(interview: Interview) -> list[str]:
    """The scope, the agenda's total against the budget, and the raised flags."""
    brief = build_brief(interview)
    agenda = brief.agenda
    total = agenda.total_minutes
    count = len(agenda.modules)
    modules = f"{count} module{'s' if count != 1 else ''}"
    if agenda.budget_minutes is None:
        fit = f"Agenda: {modules}, {total} minutes; no time budget yet"
    else:
        budget = agenda.budget_minutes
        fit = f"Agenda: {modules}, {total} of {budget} minutes"
        if agenda.over_budget:
            fit += f", over budget by {total - budget}"
        if agenda.follow_up:
            fit += f"; {len(agenda.follow_up)} set aside for a follow-up"
    lines = [f"Scope: {brief.headline}", fit]
    if brief.flags:
        lines.extend(f"Flag ({flag.level}): {flag.message}" for flag in brief.flags)
    else:
        lines.append("Flags: none raised")
    return lines
