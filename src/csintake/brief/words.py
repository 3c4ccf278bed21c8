"""Answers and reasons in words a client reads: labels, not ids; ratings with their scale.

The builder uses :class:`Words` for every reason it generates, and for the client brief's
answers. The internal brief keeps the machine ``because`` beside these words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from csintake.bank.conditions import fill
from csintake.bank.model import (
    AnyQuestion,
    ChoiceQuestion,
    DateQuestion,
    MultiChoiceQuestion,
    ScaleQuestion,
)

if TYPE_CHECKING:
    from csintake.interview.engine import Interview

WITHHELD = "(answered; not shown here)"


def date_words(day: dt.date) -> str:
    """2026-11-28 -> "28 November 2026" (the same in every locale)."""
    months = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    return f"{day.day} {months[day.month - 1]} {day.year}"


def lower_first(text: str) -> str:
    """ "A real problem" -> "a real problem"; "IT help" stays as it is."""
    word = text.split(" ", 1)[0]
    if word == "A" or (len(word) > 1 and word[0].isupper() and word[1:].islower()):
        return text[0].lower() + text[1:]
    return text


def join_and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class Words:
    """How one interview's questions and answers read to people (``client``: no sensitive
    answers)."""

    def __init__(self, interview: Interview, *, client: bool = False) -> None:
        self.interview = interview
        self.client = client

    def question(self, qid: str) -> AnyQuestion | None:
        return self.interview.bank.question_map.get(qid)

    def name(self, qid: str) -> str:
        """A question's short name: its ``label``, else its prompt."""
        q = self.question(qid)
        if q is None:
            return qid
        return self.line(q.label or q.prompt)

    def answer(self, qid: str) -> str | None:
        """An answer as a client reads it; None when unanswered."""
        answers = self.interview.answers
        q = self.question(qid)
        if q is None or qid not in answers:
            # `{client}` is the session's client where no question has that id.
            return self.interview.show(qid) if q is None else None
        if self.client and q.sensitive:
            return WITHHELD
        return value_words(q, answers[qid])

    def text(self, template: str | None) -> str:
        """Bank text with ``{id}`` placeholders filled by answers in words."""
        if not template:
            return ""
        return fill(template, self.answer if self.client else self.interview.show)

    def line(self, template: str | None) -> str:
        """:meth:`text` on one line: bank text folded by YAML keeps its breaks and runs of
        spaces, which a brief's sentence, table cell or list item must not."""
        return " ".join(self.text(template).split())

    def because(self, read: Iterable[str]) -> str:
        """``because greeting was rated 2 of 5: a real problem and ...`` for the ids read."""
        parts = [self.phrase(qid) for qid in dict.fromkeys(read)]
        return "because " + join_and(parts) if parts else ""

    def phrase(self, qid: str) -> str:
        q = self.question(qid)
        name = lower_first(self.name(qid))
        value = self.interview.answers.get(qid)
        if q is None or value is None:
            state = self.interview.session.states.get(qid)
            if state == "dont_know":
                return f"{name} is not known yet"
            if state == "declined":
                return f"{name} was not shared"
            return f"{name} is not answered yet"
        if q.sensitive:
            return f"of what you told us about {name}"
        if isinstance(q, ScaleQuestion):
            return f"{name} was rated {value_words(q, value, legend=False)}"
        shown = value_words(q, value)
        if isinstance(q, MultiChoiceQuestion):
            # Mid-sentence, a list of labels reads in lower case: "you named language barriers".
            named = "; ".join(lower_first(label) for label in shown.split("; "))
            return f"you named {named} under {name}"
        if isinstance(value, bool):
            return f"{name}: {shown}"
        return f"{name} is “{shown}”"


def value_words(q: AnyQuestion, value: Any, *, legend: bool = True) -> str:
    """An answer in words: a rating with its scale (``1 of 5: a real problem``, or ``2 of 5
    (1 = a real problem, 5 = consistently strong)``), dates in words, yes/no, labels."""
    if isinstance(q, ScaleQuestion) and isinstance(value, int):
        shown = f"{value} of {q.max}"
        label = q.labels.get(value)
        if label:
            return f"{shown}: {lower_first(label)}"
        if legend and q.labels:
            ends = ", ".join(f"{k} = {lower_first(v)}" for k, v in sorted(q.labels.items()))
            return f"{shown} ({ends})"
        return shown
    if isinstance(q, DateQuestion) and isinstance(value, str):
        try:
            return date_words(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(q, (ChoiceQuestion, MultiChoiceQuestion)):
        labels = {(type(c.value), c.value): c.shown for c in q.choices}
        items = value if isinstance(value, list) else [value]
        names = [labels.get((type(v), v), str(v)) for v in items]
        # Labels often hold "and" themselves: a list is clearer with semicolons.
        return "; ".join(names)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
