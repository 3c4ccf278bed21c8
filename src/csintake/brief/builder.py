"""The training brief as plain data, computed from an interview and its bank.

Nothing here knows about terminals, Markdown or HTML: the renderers in this package turn a
:class:`Brief` into text. A brief is never stored; it is rebuilt from the session each time.

The brief's parts are named tuples, and the annotations are evaluated as the module runs (no
``from __future__ import annotations``; names known only to the type checker are quoted):
every brief command imports this module, and a frozen dataclass or a field annotated as text
costs several times as much to create.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from csintake.bank.conditions import reference_date
from csintake.bank.model import ChoiceQuestion, Flag, Module
from csintake.brief import fitting
from csintake.brief.proposal import Proposal, build_proposal
from csintake.brief.words import Words, join_and, lower_first

if TYPE_CHECKING:
    from csintake.interview.engine import Interview
    from csintake.store.profile import Profile

Priority = Literal["core", "high", "normal", "low"]
Level = Literal["info", "warning", "blocker"]
Reason = Literal["unanswered", "skipped", "parked", "dont_know", "declined"]
Audience = Literal["internal", "client"]
AUDIENCES: tuple[Audience, ...] = ("internal", "client")

PRIORITIES: tuple[Priority, ...] = ("core", "high", "normal", "low")
LEVELS: tuple[Level, ...] = ("blocker", "warning", "info")
NOT_ANSWERED = "(not answered)"
# Scope answers that leave the scope open, and the one that means "all of the others".
_UNDECIDED = frozenset({"unsure", "not_sure", "unknown", "undecided"})
_ALL_OF_THEM = "both"
_BECAUSE_WIDTH = 60


class Scope(NamedTuple):
    """What "customer service" means for this client: the bank's scope question."""

    question: str | None
    prompt: str
    value: Any
    label: str | None
    headline: str

    @property
    def decided(self) -> bool:
        return self.label is not None and not _undecided(self.value)


class Answer(NamedTuple):
    """One answered question as the context shows it."""

    id: str
    prompt: str
    value: Any
    shown: str
    note: str | None = None


class ContextSection(NamedTuple):
    id: str
    title: str
    answers: tuple[Answer, ...]


class AgendaModule(NamedTuple):
    """A relevant module, kept or set aside, and the answers that made it relevant."""

    id: str
    title: str
    summary: str | None
    minutes: int
    priority: Priority
    because: tuple[str, ...]
    # Why it is there in words for people (the bank's reason, else one made from the answers).
    reason: str = ""
    strand: str | None = None
    # The short variant is used: ``minutes`` and ``summary`` are the short ones.
    shortened: bool = False
    full_minutes: int | None = None
    objectives: tuple[str, ...] = ()
    # How the answers changed its priority, in words (empty when they did not).
    raised: str = ""
    short_minutes: int | None = None
    short_summary: str | None = None


class PlannedSession(NamedTuple):
    """A follow-up session: set-aside modules fitted to the same budget."""

    number: int
    modules: tuple[AgendaModule, ...]

    @property
    def total_minutes(self) -> int:
        return sum(m.minutes for m in self.modules)


class Agenda(NamedTuple):
    """Kept modules in bank order; set-aside ones in the order they would be picked up."""

    budget_minutes: int | None
    budget_label: str | None
    modules: tuple[AgendaModule, ...]
    follow_up: tuple[AgendaModule, ...]
    # Minutes of the budget kept for breaks (the bank's `brief.day`), not for modules.
    break_minutes: int = 0
    # ``follow_up`` planned: sessions 2, 3, ... then what is left for later.
    sessions: tuple[PlannedSession, ...] = ()
    later: tuple[AgendaModule, ...] = ()
    # Needed strands that got no room: (strand, extra minutes its smallest module needs).
    gaps: tuple[tuple[str, int | None], ...] = ()

    @property
    def later_minutes(self) -> int:
        return sum(m.minutes for m in self.later)

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


class RaisedFlag(NamedTuple):
    id: str
    level: Level
    message: str
    because: tuple[str, ...]
    reason: str = ""
    audience: Audience = "client"


class OpenQuestion(NamedTuple):
    """A question to chase: required and unanswered, skipped, or parked on the call."""

    id: str
    prompt: str
    reason: Reason
    required: bool
    answer: str | None = None
    note: str | None = None


class Note(NamedTuple):
    id: str
    prompt: str
    text: str


class EvaluationStep(NamedTuple):
    """One step of the evaluation plan (Kirkpatrick's levels, say)."""

    level: str
    timing: str
    measure: str


class NextStep(NamedTuple):
    """Something to chase after the call, and who owes it."""

    text: str
    owner: str
    question: str | None = None


class Brief(NamedTuple):
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
        """The flags shown as flags: decisions have a section of their own (a client brief's
        flags hold no decision already, and no ids)."""
        if not self.internal:
            return self.flags
        return tuple(f for f in self.flags if f.id not in self.proposal.decision_ids)

    audience: Audience = "internal"
    evaluation: tuple[EvaluationStep, ...] = ()
    next_steps: tuple[NextStep, ...] = ()

    @property
    def internal(self) -> bool:
        return self.audience == "internal"

    @property
    def open_notes(self) -> tuple[Note, ...]:
        """Notes not attached to an open question: shown with the open questions, so that
        a note on an answered question is not lost in the context."""
        open_ids = {q.id for q in self.open_questions}
        return tuple(n for n in self.notes if n.id not in open_ids)

    @property
    def headline(self) -> str:
        """One plain sentence on what customer service means here."""
        return self.scope.headline

    @property
    def decisions(self) -> "Decisions":
        """What this brief decides (see :func:`brief_decisions`)."""
        agenda = self.agenda
        return Decisions(
            self.scope,
            agenda.budget_minutes,
            tuple(m.id for m in agenda.modules),
            tuple(m.id for m in agenda.follow_up),
            tuple(f.id for f in self.flags),
        )

    @property
    def other_notes(self) -> tuple[Note, ...]:
        """Notes on questions shown neither in the context nor among the open questions."""
        shown = {a.id for s in self.context for a in s.answers} | {
            q.id for q in self.open_questions
        }
        return tuple(n for n in self.notes if n.id not in shown)


# ------------------------------------------------------------------------------ building


def build_brief(
    interview: "Interview",
    *,
    date: dt.date | None = None,
    profile: "Profile | None" = None,
    start: str | None = None,
    audience: Audience = "internal",
) -> Brief:
    """The brief of ``interview`` under its current answers; ``date`` defaults to today.
    ``profile`` prices the sessions; ``start`` (HH:MM) overrides the bank's start time.

    A client brief is built without what is internal (ids, notes, sensitive answers, internal
    flags, the machine ``because``), so no renderer or template can show it. Dates in
    conditions count from the session's last update, so a brief does not change by itself.
    """
    client = audience == "client"
    words = Words(interview, client=client)
    with reference_date(interview.session.updated.date()):
        brief = _build(interview, date or dt.date.today(), words, profile, start)
    return for_client(brief, interview) if client else brief


class Decisions(NamedTuple):
    """What a brief decides, without its words: for counting many briefs at once (the
    store's index and the cross-client report), the same choices :func:`build_brief` makes."""

    scope: Scope
    budget: int | None
    kept: tuple[str, ...]  # module ids, in agenda order
    set_aside: tuple[str, ...]  # module ids left for a follow-up session
    flags: tuple[str, ...]  # flag ids as the brief lists them: blockers first, then gaps


def brief_decisions(interview: "Interview") -> Decisions:
    """What the (internal) brief of ``interview`` decides, at a fraction of its cost."""
    with reference_date(interview.session.updated.date()):
        chosen = choose_modules(interview)
        plan = plan_agenda(interview, [c.slot for c in chosen])
        flags = [flag.id for flag, _ in raised_flags(interview)]
        scope = build_scope(interview)
    return Decisions(
        scope,
        plan.budget,
        tuple(chosen[i].module.id for i, _ in plan.first.kept),
        tuple(chosen[i].module.id for i in plan.first.set_aside),
        (*flags, *(gap_flag_id(strand) for strand, _ in plan.first.gaps)),
    )


def _build(
    interview: "Interview",
    date: dt.date,
    words: Words,
    profile: "Profile | None",
    start: str | None,
) -> Brief:
    session = interview.session
    bank = interview.bank
    missing = tuple(q.id for q in interview.missing())
    agenda = build_agenda(interview, words)
    open_questions = _open_questions(interview)
    return Brief(
        title=interview.text(bank.brief.title),
        client=session.client,
        consultant=session.consultant,
        date=date,
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
        flags=build_flags(interview, words) + _gap_flags(agenda),
        open_questions=open_questions,
        notes=_notes(interview),
        proposal=build_proposal(
            interview,
            agenda.modules,
            agenda.budget_minutes,
            profile=profile,
            start=start,
            consultant=session.consultant,
            client=words.client,
        ),
        evaluation=_evaluation(interview, words),
        next_steps=_next_steps(interview, open_questions),
    )


def for_client(brief: Brief, interview: "Interview") -> Brief:
    """``brief`` without anything internal: what a consultant may send to the client."""
    words = Words(interview, client=True)
    sensitive = {q.id for q in interview.bank.questions if q.sensitive}
    # Decisions have a section of their own ("What training won't fix"), not a flag.
    decisions = {f.id for f in interview.bank.brief.flags if f.kind == "decision"}

    def module(m: AgendaModule) -> AgendaModule:
        return m._replace(because=())

    agenda = brief.agenda
    client_open = tuple(
        q._replace(
            prompt=_prompt(words, interview, q.id),
            note=None,
            answer=None if q.id in sensitive else words.answer(q.id),
        )
        for q in brief.open_questions
    )
    open_questions = tuple(q._replace(id="") for q in client_open)
    return brief._replace(
        audience="client",
        title=words.text(interview.bank.brief.title),
        session_id="",
        bank_id="",
        bank_version="",
        bank_title="",
        still_open=tuple(words.name(qid) for qid in brief.still_open),
        scope=brief.scope._replace(question=None, prompt=""),
        context=tuple(
            ContextSection(
                "",
                s.title,
                tuple(
                    Answer(
                        "", _prompt(words, interview, a.id), None, words.answer(a.id) or "", None
                    )
                    for a in s.answers
                    if a.id not in sensitive
                ),
            )
            for s in brief.context
        ),
        agenda=agenda._replace(
            modules=tuple(module(m) for m in agenda.modules),
            follow_up=tuple(module(m) for m in agenda.follow_up),
            sessions=tuple(
                p._replace(modules=tuple(module(m) for m in p.modules)) for p in agenda.sessions
            ),
            later=tuple(module(m) for m in agenda.later),
        ),
        flags=tuple(
            f._replace(id="", because=(), message=_client_message(words, interview, f))
            for f in brief.flags
            if f.audience != "internal" and f.id not in decisions
        ),
        open_questions=open_questions,
        notes=(),
        next_steps=tuple(n._replace(question=None) for n in _next_steps(interview, client_open)),
    )


def _prompt(words: Words, interview: "Interview", qid: str) -> str:
    return words.text(interview.question(qid).prompt)


def _client_message(words: Words, interview: "Interview", flag: RaisedFlag) -> str:
    """A bank flag's message with answers in client words (no sensitive answer)."""
    for f in interview.bank.brief.flags:
        if f.id == flag.id:
            return words.line(f.message)
    return flag.message


def build_scope(interview: "Interview") -> Scope:
    qid = interview.bank.brief.scope
    if qid is None:
        return Scope(None, "", None, None, _headline(None))
    question = interview.question(qid)
    value = interview.answers.get(qid)
    label = interview.show(qid)
    phrase: str | None = None
    if label is not None and not _undecided(value):
        phrase = lower_first(label)
        if isinstance(question, ChoiceQuestion) and value == _ALL_OF_THEM:
            others = [
                lower_first(c.shown)
                for c in question.choices
                if c.value != _ALL_OF_THEM and not _undecided(c.value)
            ]
            if len(others) >= 2:
                phrase = ("both " if len(others) == 2 else "all of ") + join_and(others)
    return Scope(qid, interview.text(question.prompt), value, label, _headline(phrase))


def _headline(phrase: str | None) -> str:
    if phrase is None:
        return "What customer service means here is not yet decided."
    return f"Customer service here means {phrase.rstrip('.')}."


def _undecided(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value in _UNDECIDED)


class Chosen(NamedTuple):
    """A bank module whose condition holds, before any wording: what its condition read, and
    its priority after the first priority rule that holds (with what that rule read)."""

    module: Module
    read: list[str]
    priority: Priority
    rule_read: list[str] | None

    @property
    def slot(self) -> fitting.Slot:
        m = self.module
        short = m.short.minutes if m.short else None
        return fitting.Slot(m.minutes, self.priority, m.strand, short)


class Plan(NamedTuple):
    """The fitting of chosen modules to the time budget, as indexes into them."""

    budget: int | None
    label: str | None
    break_minutes: int
    first: fitting.Fitted
    # Each follow-up session: indexes kept (with whether short), then the indexes left over.
    sessions: tuple[tuple[tuple[int, bool], ...], ...]
    later: tuple[int, ...]


def choose_modules(interview: "Interview") -> list[Chosen]:
    """The modules relevant under the current answers, in bank order."""
    answers = interview.answers
    chosen: list[Chosen] = []
    for module in interview.bank.brief.modules:
        read: list[str] = []
        if module.when:
            holds, read = interview.loaded.condition(module.when).explain(answers)
            if not holds:
                continue
        priority: Priority = module.priority
        rule_read: list[str] | None = None
        for rule in module.priority_when:
            holds, found = interview.loaded.condition(rule.when).explain(answers)
            if holds:
                if rule.priority != priority:
                    rule_read = found
                priority = rule.priority
                break
        chosen.append(Chosen(module, read, priority, rule_read))
    return chosen


def plan_agenda(interview: "Interview", slots: list[fitting.Slot]) -> Plan:
    """Fit ``slots`` (the chosen modules, in bank order) to the time available, then plan
    what is set aside into follow-up sessions with the same budget and rules."""
    budget, label = time_budget(interview)
    # Breaks come out of the time available, not on top of it: the modules of every session
    # are fitted to what is left once the day's breaks (bank `brief.day`) are set aside.
    day = interview.bank.brief.day
    breaks = day.breaks_within(budget) * day.break_minutes if day and budget else 0
    fit_to = budget - breaks if budget is not None else None
    needed = needed_strands(interview)
    first = fitting.fit(slots, fit_to, needed)
    sessions: list[tuple[tuple[int, bool], ...]] = []
    rest = list(first.set_aside)
    for _ in range(interview.bank.brief.follow_up_sessions):
        if not rest or fit_to is None:
            break
        planned = fitting.fit([slots[i] for i in rest], fit_to, needed)
        if not planned.kept:
            break
        sessions.append(tuple((rest[i], short) for i, short in planned.kept))
        rest = [rest[i] for i in planned.set_aside]
    return Plan(budget, label, breaks, first, tuple(sessions), tuple(rest))


def build_agenda(interview: "Interview", words: Words | None = None) -> Agenda:
    """The relevant modules fitted to the time budget, then follow-up sessions planned with
    the same budget and rules (see :mod:`csintake.brief.fitting`)."""
    words = words or Words(interview)
    chosen = choose_modules(interview)
    relevant = [_module(interview, words, c) for c in chosen]
    plan = plan_agenda(interview, [c.slot for c in chosen])
    return Agenda(
        plan.budget,
        plan.label,
        tuple(_taken(relevant[i], short) for i, short in plan.first.kept),
        tuple(relevant[i] for i in plan.first.set_aside),
        break_minutes=plan.break_minutes,
        sessions=tuple(
            PlannedSession(number, tuple(_taken(relevant[i], short) for i, short in kept))
            for number, kept in enumerate(plan.sessions, start=2)
        ),
        later=tuple(relevant[i] for i in plan.later),
        gaps=tuple(plan.first.gaps),
    )


def needed_strands(interview: "Interview") -> list[str]:
    """The strands the scope needs under the current answers, in bank order."""
    answers = interview.answers
    return [
        name
        for name, when in interview.bank.brief.strands.items()
        if interview.loaded.condition(when).evaluate(answers)
    ]


def _slot(m: AgendaModule) -> fitting.Slot:
    return fitting.Slot(m.minutes, m.priority, m.strand, m.short_minutes)


def _taken(m: AgendaModule, short: bool) -> AgendaModule:
    if not short or m.short_minutes is None:
        return m
    return m._replace(
        minutes=m.short_minutes,
        summary=m.short_summary or m.summary,
        shortened=True,
        full_minutes=m.minutes,
    )


def _module(interview: "Interview", words: Words, chosen: Chosen) -> AgendaModule:
    module, read, priority, rule_read = chosen
    answers = interview.answers
    because = because_of(read, answers) if module.when else ()
    raised = ""
    if rule_read is not None:
        raised = f"{priority} priority {words.because(rule_read)}"
        because = (*because, *because_of(rule_read, answers))
    summary = " ".join(module.summary.split()) if module.summary else None
    reason = words.line(module.reason) if module.reason else (words.because(read) if read else "")
    short = module.short
    return AgendaModule(
        module.id,
        module.title,
        summary,
        module.minutes,
        priority,
        because,
        reason=reason,
        strand=module.strand,
        objectives=tuple(words.line(o) for o in module.objectives),
        raised=raised,
        short_minutes=short.minutes if short else None,
        short_summary=" ".join(short.summary.split()) if short and short.summary else None,
    )


def fit(
    modules: list[AgendaModule], budget: int | None
) -> tuple[list[AgendaModule], list[AgendaModule]]:
    """Kept modules in the given (bank) order, and the set-aside ones in the order considered
    (see :func:`csintake.brief.fitting.fit`; no strands are needed here)."""
    fitted = fitting.fit([_slot(m) for m in modules], budget)
    kept = [_taken(modules[i], short) for i, short in fitted.kept]
    return kept, [modules[i] for i in fitted.set_aside]


def time_budget(interview: "Interview") -> tuple[int | None, str | None]:
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


def raised_flags(interview: "Interview") -> list[tuple[Flag, list[str]]]:
    """The bank flags whose condition holds, blockers first (bank order within a level),
    each with what its condition read."""
    answers = interview.answers
    raised: list[tuple[Flag, list[str]]] = []
    for flag in interview.bank.brief.flags:
        holds, read = interview.loaded.condition(flag.when).explain(answers)
        if holds:
            raised.append((flag, read))
    raised.sort(key=lambda pair: LEVELS.index(pair[0].level))  # stable: bank order kept
    return raised


def build_flags(interview: "Interview", words: Words) -> tuple[RaisedFlag, ...]:
    answers = interview.answers
    return tuple(
        RaisedFlag(
            f.id,
            f.level,
            " ".join(interview.text(f.message).split()),
            because_of(read, answers),
            words.line(f.reason) if f.reason else words.because(read),
            f.audience,
        )
        for f, read in raised_flags(interview)
    )


def gap_flag_id(strand: str) -> str:
    """The id of the warning raised when a needed strand of the scope got no room."""
    return f"no-room-{strand.replace('_', '-')}"


def _gap_flags(agenda: Agenda) -> tuple[RaisedFlag, ...]:
    """A warning for each part of the scope that got no room: never silent."""
    flags: list[RaisedFlag] = []
    for strand, extra in agenda.gaps:
        part = strand.replace("_", " ")
        if extra is None:
            message = (
                f"The scope includes {part}, but no {part} module applies to these answers."
                " Add one by hand or revisit the scope."
            )
        else:
            message = (
                f"The scope includes {part}, but the time available leaves no room for it:"
                f" the shortest {part} module needs about {extra} more minutes. Find that"
                " time, or say plainly that this session covers only part of the request."
            )
        flags.append(
            RaisedFlag(
                gap_flag_id(strand),
                "warning",
                message,
                (),
                f"because the {part} part of the request has no module in this session",
            )
        )
    return tuple(flags)


def _evaluation(interview: "Interview", words: Words) -> tuple[EvaluationStep, ...]:
    answers = interview.answers
    return tuple(
        EvaluationStep(
            words.line(e.level),
            words.line(e.timing),
            words.line(e.measure),
        )
        for e in interview.bank.brief.evaluation
        if not e.when or interview.loaded.condition(e.when).evaluate(answers)
    )


def _verb(verbs: Mapping[str, str], q: OpenQuestion) -> str:
    # A parked question with an answer so far needs confirming; without one, answering.
    if q.reason == "parked" and q.answer is None:
        return "Answer"
    return verbs[q.reason]


def _next_steps(
    interview: "Interview", open_questions: tuple[OpenQuestion, ...]
) -> tuple[NextStep, ...]:
    """The open questions as things to chase; the client owes the answers."""
    owner = interview.session.client
    verbs = {
        "parked": "Confirm",
        "skipped": "Answer if it applies",
        "unanswered": "Answer",
        "dont_know": "Find out",
        "declined": "Decide whether to share",
    }
    steps = [
        NextStep(f"{_verb(verbs, q)}: {' '.join(q.prompt.split())}", owner, q.id)
        for q in open_questions
    ]
    if interview.session.consultant:
        steps.append(
            NextStep("Send the revised brief once these are settled", interview.session.consultant)
        )
    return tuple(steps)


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


def _context(interview: "Interview") -> tuple[ContextSection, ...]:
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


def _open_questions(interview: "Interview") -> tuple[OpenQuestion, ...]:
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


def _notes(interview: "Interview") -> tuple[Note, ...]:
    notes = interview.session.notes
    return tuple(
        Note(q.id, interview.text(q.prompt), notes[q.id])
        for q in interview.relevant
        if notes.get(q.id)
    )
