"""The one interface between the live interview and whatever asks the questions.

The interview builds a :class:`Spec` for each question and hands it to :meth:`Prompts.ask`,
which returns an :class:`Answer` (already validated by ``spec.validate``) or a
:class:`Control` (back, skip, note, park, help, review). Every implementation reads the
same typed commands, so the controls work the same way in every kind of prompt:

``:back`` ``:skip`` ``:note TEXT`` ``:park`` ``:dk`` ``:declined`` ``:brief`` ``:review``
``:help`` (most also by their first letter), typed as the whole input; ``::`` types a
literal leading colon. A colon is never a valid start of a number, a date, a yes/no or a
choice, and hardly ever of a text answer, so a command cannot be mistaken for an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, get_args

from csintake.bank.model import QuestionType
from csintake.errors import NOT_SKIPPABLE, AnswerError

Action = Literal["back", "skip", "note", "park", "help", "review", "dont_know", "declined", "brief"]
Tone = Literal["plain", "title", "muted", "good", "warn", "error"]

ACTIONS: tuple[Action, ...] = get_args(Action)
ALL_CONTROLS: frozenset[Action] = frozenset(ACTIONS)
NO_CONTROLS: frozenset[Action] = frozenset()
_NAMES: dict[str, Action] = {
    **{a: a for a in ACTIONS},
    "b": "back",
    "s": "skip",
    "n": "note",
    "p": "park",
    "h": "help",
    "?": "help",
    "r": "review",
    "dk": "dont_know",
    "decline": "declined",
}
COMMAND_PREFIX = ":"

CONTROLS_LINE = (
    "Commands at any question: :back  :skip  :note TEXT  :park  :review  :help"
    "  :dk  :declined  :brief  (type :: for a literal leading colon)"
)
CONTROLS_HELP: tuple[tuple[str, str], ...] = (
    (":back  (:b)", "go back to the previous question"),
    (":skip  (:s)", "skip this question (only when it is not required)"),
    (":note TEXT  (:n)", "attach a note to this question; :note alone edits or removes it"),
    (":park  (:p)", "mark it to chase after the call and move on; again to unmark"),
    (":dk", "the client does not know: recorded as such, asked again in the follow-up"),
    (":declined", "the client would rather not say: recorded as such"),
    (":brief", "a peek at the brief so far (scope, agenda against the budget, flags)"),
    (":review  (:r)", "list every answer by number, change one, or finish"),
    (":help  (:h)", "show this list and the question's help"),
    ("::text", "an answer that really starts with a colon"),
    ("Enter", "on an empty answer: keep the default, or skip when it is optional"),
    ("Ctrl-C", "stop; everything answered is saved and the resume command is shown"),
)


@dataclass(frozen=True)
class Option:
    """One choice as shown: its stored value and what a person reads."""

    value: str | int
    label: str
    help: str | None = None


@dataclass(frozen=True)
class Spec:
    """Everything a prompt needs to ask one question, with text already filled in."""

    kind: QuestionType
    message: str
    validate: Callable[[Any], Any]
    """The stored value for raw input, or :class:`AnswerError` saying what to enter."""
    required: bool = True
    choices: tuple[Option, ...] = ()
    default: Any = None
    """A valid value offered to keep (pre-filled, pointed at or ticked), or None."""
    default_shown: str = ""
    hint: str = ""
    help: str = ""
    qid: str = ""
    position: str = ""
    section: str = ""
    note: str = ""
    parked: bool = False
    state: str = ""
    """Don't know or declined, as recorded, shown with the question."""
    clock: str = ""
    """The call clock for the header line ("23 min left"), when the call has a length."""
    controls: frozenset[Action] = ALL_CONTROLS


@dataclass(frozen=True)
class Answer:
    """A validated answer."""

    value: Any


@dataclass(frozen=True)
class Control:
    """A command instead of an answer; ``text`` is the note's text for ``note``."""

    action: Action
    text: str = ""


Reply = Answer | Control


@dataclass(frozen=True)
class Row:
    """One line of the review: a section heading when ``number`` is 0."""

    number: int
    question: str
    qid: str = ""
    answer: str = ""
    note: str = ""
    mark: str = ""


class Prompts(Protocol):
    """Asks questions and shows what the interview has to say."""

    def ask(self, spec: Spec) -> Reply:
        """Ask until the input is valid or a command; Ctrl-C raises KeyboardInterrupt and a
        closed input EOFError."""
        ...

    def say(self, text: str, tone: Tone = "plain") -> None:
        """Show one message (user text is shown literally, never as markup)."""
        ...

    def table(self, title: str, rows: Sequence[Row]) -> None:
        """Show the review of every relevant question."""
        ...

    def page_lines(self) -> int | None:
        """How many review lines fit on one screen; None: no paging (a pipe, a reader)."""
        ...


# ------------------------------------------------------------------------------ commands


def is_command(text: str) -> bool:
    """Whether typed input is a command rather than an answer (``::`` is an answer)."""
    stripped = text.lstrip()
    return stripped.startswith(COMMAND_PREFIX) and not stripped.startswith(COMMAND_PREFIX * 2)


def unescape(text: str) -> str:
    """Typed input as an answer: a leading ``::`` stands for one literal colon."""
    stripped = text.lstrip()
    if stripped.startswith(COMMAND_PREFIX * 2):
        return stripped[1:]
    return text


def parse_command(text: str, spec: Spec) -> Control:
    """The control for a typed command, or :class:`AnswerError` saying why it cannot be used."""
    body = text.strip()[len(COMMAND_PREFIX) :]
    word, _, rest = body.partition(" ")
    word = word.strip().casefold()
    action = _NAMES.get(word)
    if action is None:
        shown = f":{word}" if word else ":"
        raise AnswerError(f"{shown} is not a command; type :help for the list")
    if action not in spec.controls:
        raise AnswerError(f":{action} cannot be used here")
    if action == "skip" and spec.required:
        raise AnswerError(NOT_SKIPPABLE)
    return Control(action, rest.strip() if action == "note" else "")


def blank_reply(spec: Spec) -> Reply:
    """What an empty answer means: the default, else a skip when optional, else an error."""
    if spec.default is not None:
        return Answer(spec.default)
    if not spec.required and "skip" in spec.controls:
        return Control("skip")
    return Answer(spec.validate(""))


def reply_for_text(text: str, spec: Spec, *, blank_keeps_default: bool) -> Reply:
    """Typed input as a reply: a command, an empty answer, or a validated value.

    ``blank_keeps_default`` is false where the default was pre-filled for editing, so an
    emptied input means "no answer" rather than "the default".
    """
    if is_command(text):
        return parse_command(text, spec)
    raw = unescape(text)
    if not raw.strip():
        if blank_keeps_default:
            return blank_reply(spec)
        if not spec.required and "skip" in spec.controls:
            return Control("skip")
    return Answer(spec.validate(raw))


def check_text(text: str, spec: Spec, *, blank_keeps_default: bool) -> str | None:
    """The message that keeps a typed input from being accepted, or None when it is fine."""
    try:
        reply_for_text(text, spec, blank_keeps_default=blank_keeps_default)
    except AnswerError as exc:
        return str(exc)
    return None


def pick_number(text: str, count: int) -> int | None:
    """A 1-based choice number typed as text, as a 0-based index (None: not a number)."""
    stripped = text.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= count:
        return int(stripped) - 1
    return None
