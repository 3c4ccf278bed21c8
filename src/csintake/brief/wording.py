"""How a brief says things, whatever the format: the same words in every renderer."""

from __future__ import annotations

from collections.abc import Iterable

from csintake.brief.builder import Agenda, AgendaModule, Brief, OpenQuestion, RaisedFlag
from csintake.brief.words import date_words

LEVEL_NAMES = {"blocker": "Blocker", "warning": "Warning", "info": "Info"}
REASON_NAMES = {
    "unanswered": "not answered yet",
    "skipped": "skipped",
    "parked": "parked, to follow up",
    "dont_know": "not known yet",
    "declined": "not shared",
}
INTERNAL_NOTE = (
    "INTERNAL: this brief holds notes, ids and working reasons for the consultant."
    " Send the client brief (--audience client) instead."
)
ALWAYS = "always included"


def because_text(because: Iterable[str], empty: str = ALWAYS) -> str:
    """``because a = x and b = y``, or ``empty`` when nothing was read."""
    parts = list(because)
    if not parts:
        return empty
    if len(parts) == 1:
        return f"because {parts[0]}"
    return "because " + ", ".join(parts[:-1]) + " and " + parts[-1]


def open_status(question: OpenQuestion) -> str:
    """Why a question is open, in words ("parked, to follow up; not answered yet")."""
    status = REASON_NAMES[question.reason]
    if question.reason in ("skipped", "parked") and question.required and question.answer is None:
        status += "; not answered yet"
    return status


def budget_text(agenda: Agenda) -> str:
    """The time available, as answered."""
    if agenda.budget_minutes is None:
        return "not answered"
    plain = f"{agenda.budget_minutes} minutes"
    label = agenda.budget_label
    if not label or label in (plain, str(agenda.budget_minutes)):
        return plain
    return f"{label}: {plain}"


def fit_text(agenda: Agenda) -> str:
    """One sentence on how the agenda fits the time available."""
    total = agenda.total_minutes
    budget = agenda.budget_minutes
    if budget is None:
        return (
            f"No time budget was given, so every relevant module is kept: {total} minutes in all."
        )
    if agenda.over_budget:
        return (
            f"Over budget: the core modules alone take {total} minutes, and only {budget} are"
            " available. Ask for more time or present this as a first session."
        )
    breaks = agenda.break_minutes
    spare = budget - total - breaks
    sentence = f"{total} of {budget} minutes planned"
    if breaks:
        sentence = f"{total} minutes of modules and {breaks} of breaks, of {budget} available"
    return sentence + (f", {spare} to spare." if spare else ", an exact fit.")


def draft_text(brief: Brief) -> str:
    """Why a brief is a draft (empty when it is not)."""
    if not brief.draft:
        return ""
    if brief.still_open and not brief.internal:
        return "DRAFT: a few answers are still to come: " + "; ".join(brief.still_open) + "."
    if brief.still_open:
        n = len(brief.still_open)
        questions = "question is" if n == 1 else "questions are"
        return (
            f"DRAFT: the intake is not finished; {n} required {questions} still open: "
            + ", ".join(brief.still_open)
            + "."
        )
    return "DRAFT: the intake has not been marked complete."


def meta_lines(brief: Brief) -> list[tuple[str, str]]:
    """The header facts as (label, value) pairs (a client brief: no session or bank)."""
    status = "complete" if brief.status == "complete" else "in progress"
    lines = [("Client", brief.client)]
    if brief.consultant:
        lines.append(("Consultant", brief.consultant))
    if not brief.internal:
        return [*lines, ("Date", date_words(brief.date))]
    lines += [
        ("Date", brief.date.isoformat()),
        ("Session", f"{brief.session_id} ({status})"),
        ("Question bank", f"{brief.bank_id} {brief.bank_version}"),
    ]
    return lines


def sentence(text: str) -> str:
    """``because x`` -> ``Because x.``"""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def module_reason(m: AgendaModule) -> str:
    """Why a module is there, in words: its reason, the priority the answers gave it, and
    whether the short version is used."""
    parts = [sentence(m.reason) if m.reason else "Part of every session."]
    if m.raised:
        parts.append(sentence("it is given " + m.raised))
    if m.shortened and m.full_minutes:
        parts.append(f"Short version here; the full module takes {m.full_minutes} minutes.")
    return " ".join(parts)


def flag_reason(f: RaisedFlag) -> str:
    return sentence(f.reason) if f.reason else ""


def later_text(agenda: Agenda) -> str:
    n = len(agenda.later)
    modules = "module" if n == 1 else "modules"
    return f"Later, if wanted: {n} more {modules}, {agenda.later_minutes} minutes in all."
