"""The training brief as plain data, computed from an interview and its bank.

Nothing here knows about terminals, Markdown or HTML: the renderers in this package turn a
:class:`Brief` into text. A brief is never stored; it is rebuilt from the session each time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from csintake.bank import ChoiceQuestion, Flag, Module
from csintake.brief.proposal import Proposal, build_proposal

if TYPE_CHECKING:
    from csintake.engine import Interview
    from csintake.profile import Profile

Priority = Literal["core", "high", "normal", "low"]
Level = Literal["info", "warning", "blocker"]
Reason = Literal["unanswered", "skipped", "parked", "dont_know", "declined"]

PRIORITIES: tuple[Priority, ...] = ("core", "high", "normal", "low")
LEVELS: tuple[Level, ...] = ("blocker", "warning", "info")
NOT_ANSWERED = "(not answered)"
# Scope answers that leave the scope open, and the one that means "all of the others".
_UNDECIDED = frozenset({"unsure", "not_sure", "unknown", "undecided"})
_ALL_OF_THEM = "both"
_BECAUSE_WIDTH = 60


@dataclass(frozen=True)
class Scope:
    """What "customer service" means for this client: the bank's scope question."""

    question: str | None
    prompt: str
    value: Any
    label: str | None
    headline: str

    @property
    def decided(self) -> bool:
        return self.label is not None and not _undecided(self.value)


@dataclass(frozen=True)
class Answer:
    """One answered question as the context shows it."""

    id: str
    prompt: str
    value: Any
    shown: str
    note: str | None = None


@dataclass(frozen=True)
class ContextSection:
    id: str
    title: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class AgendaModule:
    """A relevant module, kept or set aside, and the answers that made it relevant."""

    id: str
    title: str
    summary: str | None
    minutes: int
    priority: Priority
    because: tuple[str, ...]


@dataclass(frozen=True)
class Agenda:
    """Kept modules in bank order; set-aside ones in the order they would be picked up."""

    budget_minutes: int | None
    budget_label: str | None
    modules: tuple[AgendaModule, ...]
    follow_up: tuple[AgendaModule, ...]
    # Minutes of the budget kept for breaks (the bank's `brief.day`), not for modules.
    break_minutes: int = 0

    @property
    def total_minutes(self) -> int:
        return sum(m.minutes for m in self.modules)

    @property
    def follow_up_minutes(self) -> int:
        return sum(m.minutes for m in self.follow_up)

    @property
    def over_budget(self) -> bool:
        """Only core modules can take the agenda over the budget."""
        return (
            self.budget_minutes is not None
            and self.total_minutes + self.break_minutes > self.budget_minutes
        )


@dataclass(frozen=True)
class RaisedFlag:
    id: str
    level: Level
    message: str
    because: tuple[str, ...]


@dataclass(frozen=True)
class OpenQuestion:
    """A question to chase: required and unanswered, skipped, or parked on the call."""

    id: str
    prompt: str
    reason: Reason
    required: bool
    answer: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Note:
    id: str
    prompt: str
    text: str


@dataclass(frozen=True)
class Brief:
    """Everything a brief says, as plain data."""

    title: str
    client: str
    consultant: str | None
    date: dt.date
    session_id: str
    status: str
    created: dt.datetime
    updated: dt.datetime
    bank_id: str
    bank_version: str
    bank_title: str
    draft: bool
    still_open: tuple[str, ...]
    scope: Scope
    context: tuple[ContextSection, ...]
    agenda: Agenda
    flags: tuple[RaisedFlag, ...]
    open_questions: tuple[OpenQuestion, ...]
    notes: tuple[Note, ...]
    proposal: Proposal

    @property
    def risks(self) -> tuple[RaisedFlag, ...]:
        """The flags shown as flags: decisions have a section of their own."""
        return tuple(f for f in self.flags if f.id not in self.proposal.decision_ids)

    @property
    def headline(self) -> str:
        """One plain sentence on what customer service means here."""
        return self.scope.headline

    @property
    def other_notes(self) -> tuple[Note, ...]:
        """Notes on questions shown neither in the context nor among the open questions."""
        shown = {a.id for s in self.context for a in s.answers} | {
            q.id for q in self.open_questions
        }
        return tuple(n for n in self.notes if n.id not in shown)


# ------------------------------------------------------------------------------ building


def build_brief(
    interview: Interview,
    *,
    date: dt.date | None = None,
    profile: Profile | None = None,
    start: str | None = None,
) -> Brief:
    """The brief of ``interview`` under its current answers; ``date`` defaults to today.
    ``profile`` prices the sessions; ``start`` (HH:MM) overrides the bank's start time."""
    session = interview.session
    bank = interview.bank
    missing = tuple(q.id for q in interview.missing())
    agenda = build_agenda(interview)
    return Brief(
        title=interview.text(bank.brief.title),
        client=session.client,
        consultant=session.consultant,
        date=date or dt.date.today(),
        session_id=session.id,
        status=session.status,
        created=session.created,
        updated=session.updated,
        bank_id=bank.id,
        bank_version=bank.version,
        bank_title=bank.title,
        draft=session.status != "complete" or bool(missing),
        still_open=missing,
        scope=build_scope(interview),
        context=_context(interview),
        agenda=agenda,
        flags=_flags(interview),
        open_questions=_open_questions(interview),
        notes=_notes(interview),
        proposal=build_proposal(
            interview,
            agenda.modules,
            agenda.budget_minutes,
            profile=profile,
            start=start,
            consultant=session.consultant,
        ),
    )


def build_scope(interview: Interview) -> Scope:
    qid = interview.bank.brief.scope
    if qid is None:
        return Scope(None, "", None, None, _headline(None))
    question = interview.question(qid)
    value = interview.answers.get(qid)
    label = interview.show(qid)
    phrase: str | None = None
    if label is not None and not _undecided(value):
        phrase = _lower_first(label)
        if isinstance(question, ChoiceQuestion) and value == _ALL_OF_THEM:
            others = [
                _lower_first(c.shown)
                for c in question.choices
                if c.value != _ALL_OF_THEM and not _undecided(c.value)
            ]
            if len(others) >= 2:
                phrase = ("both " if len(others) == 2 else "all of ") + _and(others)
    return Scope(qid, interview.text(question.prompt), value, label, _headline(phrase))


def _headline(phrase: str | None) -> str:
    if phrase is None:
        return "What customer service means here is not yet decided."
    return f"Customer service here means {phrase.rstrip('.')}."


def _undecided(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value in _UNDECIDED)


def _lower_first(text: str) -> str:
    """ "How staff treat patrons" -> "how staff treat patrons"; "IT help" stays as it is."""
    word = text.split(" ", 1)[0]
    if len(word) > 1 and word[0].isupper() and word[1:].islower():
        return text[0].lower() + text[1:]
    return text


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def build_agenda(interview: Interview) -> Agenda:
    """The relevant modules fitted to the time budget (see :func:`fit`)."""
    answers = interview.answers
    relevant: list[AgendaModule] = []
    for module in interview.bank.brief.modules:
        because: tuple[str, ...] = ()
        if module.when:
            holds, read = interview.loaded.condition(module.when).explain(answers)
            if not holds:
                continue
            because = because_of(read, answers)
        relevant.append(_module(module, because))
    budget, label = time_budget(interview)
    # Breaks come out of the time available, not on top of it: the modules are fitted to
    # what is left once the day's breaks (bank `brief.day`) are set aside.
    day = interview.bank.brief.day
    breaks = day.breaks_within(budget) * day.break_minutes if day and budget else 0
    fit_to = budget - breaks if budget is not None else None
    kept, follow_up = fit(relevant, fit_to)
    return Agenda(budget, label, tuple(kept), tuple(follow_up), breaks)


def _module(module: Module, because: tuple[str, ...]) -> AgendaModule:
    summary = " ".join(module.summary.split()) if module.summary else None
    return AgendaModule(module.id, module.title, summary, module.minutes, module.priority, because)


def fit(
    modules: list[AgendaModule], budget: int | None
) -> tuple[list[AgendaModule], list[AgendaModule]]:
    """Kept modules in the given (bank) order, and the set-aside ones in the order considered.

    Core modules are always kept. The others are considered by priority (high, normal, low),
    in the given order within a priority, and each is kept if it fits the minutes still left;
    a later, shorter module may fit after a longer one was set aside. No budget: all kept.
    """
    if budget is None:
        return list(modules), []
    kept = [m.priority == "core" for m in modules]
    left = budget - sum(m.minutes for m, core in zip(modules, kept, strict=True) if core)
    follow_up: list[AgendaModule] = []
    for priority in PRIORITIES[1:]:
        for i, m in enumerate(modules):
            if m.priority != priority:
                continue
            if m.minutes <= left:
                kept[i] = True
                left -= m.minutes
            else:
                follow_up.append(m)
    return [m for m, keep in zip(modules, kept, strict=True) if keep], follow_up


def time_budget(interview: Interview) -> tuple[int | None, str | None]:
    """The minutes available (the answer, or the choice's value) and how it was answered."""
    qid = interview.bank.brief.time_budget
    if qid is None or qid not in interview.answers:
        return None, None
    value = interview.answers[qid]
    if isinstance(value, bool):
        return None, None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        return None, None
    return value, interview.show(qid)


def _flags(interview: Interview) -> tuple[RaisedFlag, ...]:
    answers = interview.answers
    raised: list[tuple[Flag, tuple[str, ...]]] = []
    for flag in interview.bank.brief.flags:
        holds, read = interview.loaded.condition(flag.when).explain(answers)
        if holds:
            raised.append((flag, because_of(read, answers)))
    raised.sort(key=lambda pair: LEVELS.index(pair[0].level))  # stable: bank order kept
    return tuple(
        RaisedFlag(f.id, f.level, " ".join(interview.text(f.message).split()), because)
        for f, because in raised
    )


def because_of(read: Iterable[str], answers: Mapping[str, Any]) -> tuple[str, ...]:
    """``id = value`` for each answer a condition read, with raw values as conditions see them."""
    return tuple(f"{qid} = {raw_value(answers.get(qid))}" for qid in read)


def raw_value(value: Any) -> str:
    """A value as written in a condition: true/false, [a, b], text on one short line."""
    if value is None:
        return NOT_ANSWERED
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(raw_value(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    if len(text) > _BECAUSE_WIDTH:
        text = text[: _BECAUSE_WIDTH - 1].rstrip() + "…"
    return text


def _context(interview: Interview) -> tuple[ContextSection, ...]:
    notes = interview.session.notes
    sections: list[ContextSection] = []
    answers: list[Answer] = []
    current = None
    for q in interview.relevant:
        section = interview.section(q.id)
        if section is not current:
            if current is not None and answers:
                sections.append(ContextSection(current.id, current.title, tuple(answers)))
            current, answers = section, []
        if q.id in interview.answers:
            answers.append(
                Answer(
                    q.id,
                    interview.text(q.prompt),
                    interview.answers[q.id],
                    interview.show(q.id) or "",
                    notes.get(q.id),
                )
            )
    if current is not None and answers:
        sections.append(ContextSection(current.id, current.title, tuple(answers)))
    return tuple(sections)


def _open_questions(interview: Interview) -> tuple[OpenQuestion, ...]:
    """One entry per question that is not answered (an optional one left open is not
    chased), by the engine's status: parked wins, as it is what the consultant said to do."""
    s = interview.session
    found: list[OpenQuestion] = []
    for q in interview.relevant:
        status = interview.status(q.id)
        reason: Reason | None = _REASONS.get(status)
        if reason is not None:
            found.append(
                OpenQuestion(
                    q.id,
                    interview.text(q.prompt),
                    reason,
                    q.required,
                    interview.show(q.id),
                    s.notes.get(q.id),
                )
            )
    return tuple(found)


_REASONS: dict[str, Reason] = {
    "parked": "parked",
    "skipped": "skipped",
    "missing": "unanswered",
    "dont_know": "dont_know",
    "declined": "declined",
}


def _notes(interview: Interview) -> tuple[Note, ...]:
    notes = interview.session.notes
    return tuple(
        Note(q.id, interview.text(q.prompt), notes[q.id])
        for q in interview.relevant
        if notes.get(q.id)
    )
