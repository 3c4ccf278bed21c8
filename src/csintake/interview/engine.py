"""The interview engine: a plain-Python state machine over a bank and a session.

It knows what is relevant under the current answers, which question comes next, and how to
answer, skip, note, park and go back. It never talks to a terminal: the live prompts and the
scripted path both drive it, and every change is handed to ``save`` before the call returns,
so an accepted answer is on disk before the next question is shown.

After an answer or a skip, the next question is the first open one after it: on a first pass
that is simply the next question; after going back, or changing an answer from the review,
it is where the consultant left off, or a question the change has just made relevant.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, get_args

from csintake.bank.conditions import CLIENT, fill
from csintake.bank.loader import LoadedBank
from csintake.bank.model import AnyQuestion, Section
from csintake.bank.validation import is_blank, show_value, validate_answer
from csintake.bank.validmemo import validated
from csintake.errors import NOT_SKIPPABLE, AnswerError
from csintake.interview.relevance import Relevance
from csintake.store.session import STATE_MARKS, Change, Session, Source, Unknown, now

Saver = Callable[[Session], None]
Clock = Callable[[], float]
Status = Literal["answered", "skipped", "parked", "missing", "open", "dont_know", "declined"]
"""Where one question stands; ``missing`` is required, ``open`` optional, both unanswered."""
UNKNOWN: tuple[Unknown, ...] = get_args(Unknown)
_STATE_KEY = "state"


def state_in(raw: Any) -> Unknown | None:
    """The state an answers file gives as ``{state: dont_know}``; None for an answer."""
    if isinstance(raw, Mapping) and set(raw) == {_STATE_KEY} and raw[_STATE_KEY] in UNKNOWN:
        state: Unknown = raw[_STATE_KEY]
        return state
    return None


class _Excluded:
    """Skipped or marked don't know / declined: answers conditions do not see. A view, so
    that no set is built on every answer."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def __contains__(self, qid: object) -> bool:
        s = self._session
        return qid in s.states or qid in s.skipped

    def __iter__(self) -> Iterator[str]:
        yield from self._session.skipped
        yield from self._session.states

    def __len__(self) -> int:
        return len(self._session.skipped) + len(self._session.states)


class Shift(NamedTuple):
    """Questions an answer made relevant, or no longer relevant, in bank order."""

    now_apply: tuple[AnyQuestion, ...] = ()
    no_longer: tuple[AnyQuestion, ...] = ()


@dataclass(frozen=True)
class Position:
    """Where a question stands among the currently relevant ones (1-based)."""

    index: int
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


class Mismatch(NamedTuple):
    """A stored answer that does not fit the bank as it is now; it stays in the file."""

    question: str
    message: str


class Interview:
    """One session being worked on against its bank."""

    def __init__(
        self,
        loaded: LoadedBank,
        session: Session,
        save: Saver | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.loaded = loaded
        self.bank = loaded.bank
        self.session = session
        self._save = save
        self.mismatches: list[Mismatch] = []
        self._valid: dict[str, Any] = {}
        self._revalidate()
        self._relevance = Relevance(loaded)
        self.cursor: str | None = None
        self.shift = Shift()
        """What the last answer, skip or state changed in what is asked."""
        self._clock = clock
        self._timing: tuple[str, float] | None = None

    # ------------------------------------------------------------------ what is relevant

    def _revalidate(self) -> None:
        """Check stored answers against the bank; those that no longer fit are set aside."""
        self._valid.clear()
        self.mismatches.clear()
        questions = self.bank.question_map
        for qid, value in self.session.answers.items():
            question = questions.get(qid)
            if question is None:
                self.mismatches.append(Mismatch(qid, "the bank no longer has this question"))
                continue
            try:
                # Remembered across sessions of one bank (a store listing opens them all).
                self._valid[qid] = validated(question, value)
            except AnswerError as exc:
                self.mismatches.append(Mismatch(qid, str(exc)))

    def _changed(self, qid: str) -> None:
        # Only the conditions that read ``qid`` are evaluated again (see relevance.py).
        self._relevance.touch(qid)

    def _fresh(self) -> Relevance:
        self._relevance.refresh(self._valid, _Excluded(self.session))
        return self._relevance

    @property
    def relevant(self) -> list[AnyQuestion]:
        """The questions asked under the current answers, in bank order."""
        return self._fresh().relevant

    @property
    def answers(self) -> dict[str, Any]:
        """The answers that count: relevant, valid and not skipped (what conditions see),
        in bank order."""
        return self._fresh().ordered

    @property
    def _counted(self) -> dict[str, Any]:
        # The same answers in no particular order: cheap to read after every answer.
        return self._fresh().counted

    def is_relevant(self, qid: str) -> bool:
        return self._fresh().index(qid) is not None

    def question(self, qid: str) -> AnyQuestion:
        """The bank's question ``qid``; an id the bank does not have is an AnswerError."""
        question = self.bank.question_map.get(qid)
        if question is None:
            raise AnswerError(f"the bank has no question '{qid}'")
        return question

    def section(self, qid: str) -> Section:
        return self.bank.section_of[qid]

    def starts_section(self, qid: str) -> bool:
        """Whether ``qid`` is the first relevant question of its section."""
        at = self._fresh().index(qid)
        if at is None:
            return False
        return at == 0 or self.section(self.relevant[at - 1].id) is not self.section(qid)

    def position(self, qid: str | None = None) -> Position:
        qid = qid or self.cursor
        relevance = self._fresh()
        at = relevance.index(qid) if qid else None
        total = len(relevance.relevant)
        return Position(total if at is None else at + 1, total)

    def is_answered(self, qid: str) -> bool:
        return qid in self._counted

    def is_settled(self, qid: str) -> bool:
        """Answered, marked don't know or declined, or skipped on purpose (a required
        question is never settled by a skip: the bank may have made it required since)."""
        if qid in self._counted or qid in self.session.states:
            return True
        return qid in self.session.skipped and not self.question(qid).required

    def status(self, qid: str) -> Status:
        """Where a question stands: the one answer for the live loop, the review, ``show``
        and the brief. Parked wins, as it is what the consultant said to do about it; then
        don't know or declined, which replace an answer without deleting it."""
        s = self.session
        if qid in s.follow_up:
            return "parked"
        if qid in s.states:
            return s.states[qid]
        if qid in self.answers:
            return "answered"
        if qid in s.skipped:
            return "skipped"
        return "missing" if self.question(qid).required else "open"

    def marks(self, qid: str) -> list[str]:
        """The review's marks: parked, then what else stands (a parked question may also be
        skipped or missing); nothing for a plain answer."""
        s = self.session
        marks = ["parked"] if qid in s.follow_up else []
        if qid in s.states:
            marks.append(STATE_MARKS[s.states[qid]])
        elif qid in s.skipped:
            marks.append("skipped")
        elif qid not in self.answers:
            marks.append("missing" if self.question(qid).required else "open")
        return marks

    @property
    def marked_complete(self) -> bool:
        """Whether the session was finished (it may be revised, and is then reopened)."""
        return self.session.status == "complete"

    def note_of(self, qid: str) -> str:
        return self.session.notes.get(qid, "")

    def parked(self) -> list[str]:
        """Relevant questions parked to chase after the call."""
        return [qid for qid in self.session.follow_up if self.is_relevant(qid)]

    def changes(self, qid: str, value: Any) -> bool:
        """Whether answering ``qid`` with ``value`` changes what is stored."""
        s = self.session
        unsettled = qid in s.skipped or qid in s.states or qid in s.follow_up
        return unsettled or s.answers.get(qid) != value

    def can_skip(self, qid: str) -> bool:
        """The one place that says a required question cannot be skipped."""
        return not self.question(qid).required

    def missing(self) -> list[AnyQuestion]:
        """Relevant required questions without a valid answer (a don't know or a decline
        is not missing: it is what the client said)."""
        counted, states = self._counted, self.session.states
        return [
            q for q in self.relevant if q.required and q.id not in counted and q.id not in states
        ]

    def first_open(self) -> AnyQuestion | None:
        """The first relevant question neither answered nor skipped."""
        for q in self.relevant:
            if not self.is_settled(q.id):
                return q
        return None

    @property
    def complete(self) -> bool:
        return not self.missing()

    # ---------------------------------------------------------------------- showing text

    def show(self, qid: str) -> str | None:
        """An earlier answer as a person reads it (a choice shows its label); ``{client}``
        is the session's client where no question has that id."""
        counted = self._counted
        if qid not in counted:
            if qid == CLIENT and qid not in self.bank.question_map:
                return self.session.client
            return None
        return show_value(self.question(qid), counted[qid])

    def text(self, template: str | None) -> str:
        """Prompt, help or title text with ``{id}`` placeholders filled in."""
        return fill(template, self.show) if template else ""

    def default_for(self, question: AnyQuestion) -> Any:
        """The stored answer, else the bank's default (placeholders filled), else None."""
        if question.id in self._valid:
            return self._valid[question.id]
        default = question.default
        if isinstance(default, str):
            default = self.text(default)
        if default is None:
            return None
        try:
            return validate_answer(question, default)
        except AnswerError:
            return None

    # ------------------------------------------------------------------------ navigation

    def start(self) -> AnyQuestion | None:
        """Place the cursor at the first open question (None: everything is settled)."""
        q = self.first_open()
        self.cursor = q.id if q else None
        return q

    @property
    def current(self) -> AnyQuestion | None:
        if self.cursor is None:
            return None
        if not self.is_relevant(self.cursor):
            # An earlier change made it irrelevant: continue at the next open question.
            return self.start()
        return self.question(self.cursor)

    def next_open(self, after: str | None = None) -> AnyQuestion | None:
        """The next question to ask: neither settled nor parked, after ``after`` first, then
        from the top; None when there is none (time for the review)."""
        relevant = self.relevant
        ids = [q.id for q in relevant]
        start = ids.index(after) + 1 if after in ids else 0
        parked = set(self.session.follow_up)
        for q in relevant[start:] + relevant[:start]:
            if not self.is_settled(q.id) and q.id not in parked:
                return q
        return None

    def continue_at(self, back_to: str | None) -> AnyQuestion | None:
        """Where to go on from the review: back to ``back_to`` while it is open, else the
        next open question, else the first missing one (parked included)."""
        if back_to is not None and self.is_relevant(back_to) and not self.is_settled(back_to):
            return self.question(back_to)
        question = self.next_open(back_to)
        if question is None:
            missing = self.missing()
            question = missing[0] if missing else None
        return question

    def find(self, text: str) -> AnyQuestion | None:
        """A relevant question by its number in the review (1-based) or its id."""
        relevant = self.relevant
        key = text.strip().casefold()
        if key.isdigit() and 1 <= int(key) <= len(relevant):
            return relevant[int(key) - 1]
        return next((q for q in relevant if q.id == key), None)

    def goto(self, qid: str) -> AnyQuestion:
        """Move to a relevant question (from the review)."""
        if not self.is_relevant(qid):
            raise AnswerError(f"'{qid}' is not asked under the current answers")
        self.cursor = qid
        return self.question(qid)

    def _advance(self, qid: str) -> AnyQuestion | None:
        """Move to the first open question after ``qid``, else the first open one anywhere."""
        relevant = self.relevant
        # Relevant questions are in bank order: start looking just after ``qid``.
        start = self._relevance.index(qid)
        if start is None:
            after = self.bank.order.get(qid, -1)
            start = next(
                (i for i, q in enumerate(relevant) if self.bank.order[q.id] > after),
                len(relevant),
            )
        else:
            start += 1
        later = (relevant[i] for i in range(start, len(relevant)))
        nxt = next((q for q in later if not self.is_settled(q.id)), None)
        if nxt is None:
            nxt = self.first_open()
        self.cursor = nxt.id if nxt else None
        return nxt

    def back(self) -> AnyQuestion | None:
        """The relevant question before the cursor (None: already at the first)."""
        ids = [q.id for q in self.relevant]
        if self.cursor is None:
            at = len(ids)
        elif self.cursor in ids:
            at = ids.index(self.cursor)
        else:
            return self.current
        if at == 0:
            return None
        self.cursor = ids[at - 1]
        return self.question(self.cursor)

    # ------------------------------------------------------------------------- changes

    def answer(self, raw: Any, source: Source = "prompt", qid: str | None = None) -> Any:
        """Validate and store an answer, save, and move on. Invalid input raises AnswerError
        and changes nothing."""
        qid = qid or self.cursor
        if qid is None:
            raise AnswerError("there is no question to answer")
        question = self.question(qid)
        value = validate_answer(question, raw)
        before = self.relevant
        self._store(qid, value, source)
        if qid in self.session.follow_up:
            # Answered is what the consultant was chasing.
            self.session.follow_up.remove(qid)
        self._shifted(before)
        self.save()
        if qid == self.cursor:
            self._advance(qid)
        return value

    def _store(self, qid: str, value: Any, source: Source) -> None:
        s = self.session
        old = s.answers.get(qid)
        if qid in s.answers and old != value:
            s.history.append(Change(question=qid, old=old, new=value, at=now()))
        s.answers[qid] = value
        s.sources[qid] = source
        if qid in s.skipped:
            s.skipped.remove(qid)
        s.states.pop(qid, None)
        self._valid[qid] = value
        self.mismatches = [m for m in self.mismatches if m.question != qid]
        self._changed(qid)

    def skip(self, qid: str | None = None) -> AnyQuestion | None:
        """Skip a question that is not required, and move on."""
        qid = qid or self.cursor
        if qid is None:
            raise AnswerError("there is no question to skip")
        if not self.can_skip(qid):
            raise AnswerError(NOT_SKIPPABLE)
        before = self.relevant
        self._skip(qid)
        self._shifted(before)
        self.save()
        return self._advance(qid) if qid == self.cursor else self.current

    def _skip(self, qid: str) -> None:
        if qid not in self.session.skipped:
            self.session.skipped.append(qid)
        self.session.states.pop(qid, None)
        self._changed(qid)

    def mark(self, state: Unknown, qid: str | None = None) -> AnyQuestion | None:
        """Record that the client does not know, or will not say (required questions too),
        and move on. A stored answer stays in the file but no longer counts."""
        qid = qid or self.cursor
        if qid is None:
            raise AnswerError("there is no question to mark")
        self.question(qid)
        before = self.relevant
        self._mark(qid, state)
        self._shifted(before)
        self.save()
        return self._advance(qid) if qid == self.cursor else self.current

    def _mark(self, qid: str, state: Unknown) -> None:
        self.session.states[qid] = state
        if qid in self.session.skipped:
            self.session.skipped.remove(qid)
        self._changed(qid)

    def _shifted(self, before: list[AnyQuestion]) -> None:
        after = self.relevant
        if after is before:
            # Relevance builds a new list only when some question came or went: the same list
            # is nothing changed, found without comparing every question after every answer.
            self.shift = Shift()
            return
        was = {q.id for q in before}
        now_ids = {q.id for q in after}
        self.shift = Shift(
            tuple(q for q in after if q.id not in was),
            tuple(q for q in before if q.id not in now_ids),
        )

    def note(self, text: str, qid: str | None = None) -> None:
        """Attach a note to a question (an empty note removes it)."""
        qid = qid or self.cursor
        if qid is None:
            raise AnswerError("there is no question to note")
        self.question(qid)
        text = text.strip()
        if text:
            self.session.notes[qid] = text
        else:
            self.session.notes.pop(qid, None)
        self.save()

    def park(self, qid: str | None = None) -> bool:
        """Mark a question to chase after the call, or unmark it; returns the new state."""
        qid = qid or self.cursor
        if qid is None:
            raise AnswerError("there is no question to park")
        self.question(qid)
        parked = qid not in self.session.follow_up
        if parked:
            self.session.follow_up.append(qid)
        else:
            self.session.follow_up.remove(qid)
        self.save()
        return parked

    def finish(self) -> None:
        """Mark the session complete; it must have every required relevant answer."""
        missing = self.missing()
        if missing:
            ids = ", ".join(q.id for q in missing)
            raise AnswerError(f"still unanswered: {ids}")
        self.session.status = "complete"
        self.save()

    def reopen(self) -> None:
        """A complete session that is being revised is in progress again until finished."""
        if self.session.status != "in_progress":
            self.session.status = "in_progress"
            self.save()

    # ----------------------------------------------------------------------- the clock

    def time_section(self, qid: str | None) -> None:
        """Count the time from now towards ``qid``'s section (None: stop counting). The
        seconds are added to ``timings`` at each save, so a kill loses only the time since
        the last answer."""
        self._book()
        self._timing = None if qid is None else (self.section(qid).id, self._clock())

    def _book(self) -> None:
        if self._timing is None:
            return
        section, started = self._timing
        at = self._clock()
        spent = max(0.0, at - started)
        timings = self.session.timings
        timings[section] = round(timings.get(section, 0.0) + spent, 1)
        self._timing = (section, at)

    def save(self) -> None:
        self._book()
        self.session.updated = now()
        if self._save is not None:
            self._save(self.session)

    # ------------------------------------------------------------------ scripted answers

    def apply(self, values: Mapping[str, Any], source: Source) -> list[tuple[str, str]]:
        """Store every valid value without saving; returns (question id, message) for the rest.

        Values for questions the bank does not have are refused; values for questions that
        are not relevant now are validated and kept, as answers in the file always are. An
        empty value for a question that is not required skips it.
        """
        problems: list[tuple[str, str]] = []
        questions = self.bank.question_map
        for qid, raw in values.items():
            question = questions.get(qid)
            if question is None:
                problems.append((qid, f"unknown question '{qid}'"))
                continue
            state = state_in(raw)
            if state is not None:
                self._mark(qid, state)
                continue
            if is_blank(raw) and not question.required and question.type != "multi_choice":
                self._skip(qid)
                continue
            try:
                value = validate_answer(question, raw)
            except AnswerError as exc:
                problems.append((qid, str(exc)))
                continue
            self._store(qid, value, source)
        return problems

    def apply_defaults(self, refused: frozenset[str] = frozenset()) -> None:
        """Answer open relevant questions that have a default, until nothing changes.

        A default can make other questions relevant, which may have defaults of their own. A
        stored answer that no longer fits the bank is never replaced by a default: it is
        reported, and a person decides; so is a value just ``refused`` from a file.
        """
        while True:
            for q in self.relevant:
                if (
                    self.is_settled(q.id)
                    or q.default is None
                    or q.id in self.session.answers
                    or q.id in refused
                ):
                    continue
                value = self.default_for(q)
                if value is not None:
                    self._store(q.id, value, "default")
                    break
            else:
                return
