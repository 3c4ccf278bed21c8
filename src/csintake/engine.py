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

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from csintake.bank import AnyQuestion, Section, choice_label
from csintake.checker import LoadedBank
from csintake.conditions import fill
from csintake.errors import AnswerError
from csintake.session import Change, Session, Source, now
from csintake.validation import is_blank, show_value, validate_answer

Saver = Callable[[Session], None]


@dataclass(frozen=True)
class Position:
    """Where a question stands among the currently relevant ones (1-based)."""

    index: int
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


@dataclass(frozen=True)
class Mismatch:
    """A stored answer that does not fit the bank as it is now; it stays in the file."""

    question: str
    message: str


class Interview:
    """One session being worked on against its bank."""

    def __init__(self, loaded: LoadedBank, session: Session, save: Saver | None = None) -> None:
        self.loaded = loaded
        self.bank = loaded.bank
        self.session = session
        self._save = save
        self.mismatches: list[Mismatch] = []
        self._valid: dict[str, Any] = {}
        self._revalidate()
        self._relevant: list[AnyQuestion] | None = None
        self._effective: dict[str, Any] = {}
        self.cursor: str | None = None

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
                self._valid[qid] = validate_answer(question, value)
            except AnswerError as exc:
                self.mismatches.append(Mismatch(qid, str(exc)))

    def _compute(self) -> None:
        relevant: list[AnyQuestion] = []
        effective: dict[str, Any] = {}
        # A question the client could not or would not answer counts as not answered.
        skipped = set(self.session.skipped) | set(self.session.states)
        for section in self.bank.sections:
            if section.when and not self.loaded.condition(section.when).evaluate(effective):
                continue
            for q in section.questions:
                if q.when and not self.loaded.condition(q.when).evaluate(effective):
                    continue
                relevant.append(q)
                if q.id in self._valid and q.id not in skipped:
                    effective[q.id] = self._valid[q.id]
        self._relevant = relevant
        self._effective = effective

    def _changed(self) -> None:
        self._relevant = None

    @property
    def relevant(self) -> list[AnyQuestion]:
        """The questions asked under the current answers, in bank order."""
        if self._relevant is None:
            self._compute()
        assert self._relevant is not None
        return self._relevant

    @property
    def answers(self) -> dict[str, Any]:
        """The answers that count: relevant, valid and not skipped (what conditions see)."""
        if self._relevant is None:
            self._compute()
        return self._effective

    def is_relevant(self, qid: str) -> bool:
        return any(q.id == qid for q in self.relevant)

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
        section = self.section(qid)
        for q in self.relevant:
            if self.section(q.id) is section:
                return q.id == qid
        return False

    def position(self, qid: str | None = None) -> Position:
        qid = qid or self.cursor
        ids = [q.id for q in self.relevant]
        index = ids.index(qid) + 1 if qid in ids else len(ids)
        return Position(index, len(ids))

    def is_answered(self, qid: str) -> bool:
        return qid in self.answers

    def is_settled(self, qid: str) -> bool:
        """Answered, or skipped on purpose (a required question is never settled by a skip:
        the bank may have made it required since)."""
        if qid in self.answers:
            return True
        return qid in self.session.skipped and not self.question(qid).required

    def missing(self) -> list[AnyQuestion]:
        """Relevant required questions without a valid answer."""
        return [q for q in self.relevant if q.required and q.id not in self.answers]

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
        """An earlier answer as a person reads it (a choice shows its label)."""
        if qid not in self.answers:
            return None
        return show_value(self.question(qid), self.answers[qid])

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

    def label(self, qid: str, value: Any) -> str | None:
        return choice_label(self.question(qid), value)

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

    def goto(self, qid: str) -> AnyQuestion:
        """Move to a relevant question (from the review)."""
        if not self.is_relevant(qid):
            raise AnswerError(f"'{qid}' is not asked under the current answers")
        self.cursor = qid
        return self.question(qid)

    def _advance(self, qid: str) -> AnyQuestion | None:
        """Move to the first open question after ``qid``, else the first open one anywhere."""
        order = self.bank.order
        after = order.get(qid, -1)
        nxt = next(
            (q for q in self.relevant if order[q.id] > after and not self.is_settled(q.id)),
            None,
        )
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
        self._store(qid, value, source)
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
        self._valid[qid] = value
        self.mismatches = [m for m in self.mismatches if m.question != qid]
        self._changed()

    def skip(self, qid: str | None = None) -> AnyQuestion | None:
        """Skip a question that is not required, and move on."""
        qid = qid or self.cursor
        if qid is None:
            raise AnswerError("there is no question to skip")
        if self.question(qid).required:
            raise AnswerError("This question is required and cannot be skipped")
        self._skip(qid)
        self.save()
        return self._advance(qid) if qid == self.cursor else self.current

    def _skip(self, qid: str) -> None:
        if qid not in self.session.skipped:
            self.session.skipped.append(qid)
        self._changed()

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

    def save(self) -> None:
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

    def apply_defaults(self) -> None:
        """Answer open relevant questions that have a default, until nothing changes.

        A default can make other questions relevant, which may have defaults of their own. A
        stored answer that no longer fits the bank is never replaced by a default: it is
        reported, and a person decides.
        """
        while True:
            for q in self.relevant:
                if self.is_settled(q.id) or q.default is None or q.id in self.session.answers:
                    continue
                value = self.default_for(q)
                if value is not None:
                    self._store(q.id, value, "default")
                    break
            else:
                return
