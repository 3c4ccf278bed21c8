"""Turning raw input, typed or from a file, into a typed answer or a message for the client.

This is the only place answers are validated: prompts, answers files, ``--set`` and defaults
all come through :func:`validate_answer`, so nothing invalid is ever stored.

Stored values: text and long text are strings; a choice is its value; a multi-choice a list
of values in the bank's order; yes/no a bool; integer and scale an int; number a float; a
date an ISO ``YYYY-MM-DD`` string (which compares correctly as text in conditions).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, assert_never

from csintake.bank.model import (
    AnyQuestion,
    Choice,
    ChoiceQuestion,
    DateQuestion,
    IntegerQuestion,
    LongTextQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    ScaleQuestion,
    TextQuestion,
    YesNoQuestion,
)
from csintake.bank.patterns import matches
from csintake.errors import AnswerError

YES = ("yes", "y", "true")
NO = ("no", "n", "false")
# ASCII digits only (``\d`` would take other scripts' digits), with optional thousands commas.
_INT = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)", re.ASCII)
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?", re.ASCII
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?", re.ASCII)
# Whole numbers from files are kept below this: nothing asked on a call is larger, and a
# number of thousands of digits cannot even be turned into text.
_LARGEST = 10**18


def _shorten(item: Any) -> str:
    """An unknown item as quoted back in a message: not a whole file's worth of it."""
    if isinstance(item, int) and not isinstance(item, bool) and abs(item) >= _LARGEST:
        return "a very large number"
    text = str(item)
    return text if len(text) <= 60 else text[:57] + "..."


def is_blank(raw: Any) -> bool:
    """No answer given: nothing, an empty string or an empty list."""
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def validate_answer(question: AnyQuestion, raw: Any) -> Any:
    """The stored value for ``raw``, or :class:`AnswerError` saying what to enter instead.

    ``raw`` is whatever arrived: typed text, or a value from a YAML or JSON answers file.
    """
    if is_blank(raw) and not isinstance(question, MultiChoiceQuestion):
        if question.required:
            raise AnswerError("An answer is required")
        raise AnswerError("Enter an answer, or skip this question")
    match question:
        case TextQuestion():
            return _text(question, raw, multiline=False)
        case LongTextQuestion():
            return _text(question, raw, multiline=True)
        case ChoiceQuestion():
            return _choice(question.choices, raw)
        case MultiChoiceQuestion():
            return _multi(question, raw)
        case YesNoQuestion():
            return _yes_no(raw)
        case IntegerQuestion() | ScaleQuestion():
            return _integer(question, raw)
        case NumberQuestion():
            return _number(question, raw)
        case DateQuestion():
            return _date(question, raw)
        case _:
            assert_never(question)


def _text(question: TextQuestion | LongTextQuestion, raw: Any, *, multiline: bool) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise AnswerError("Enter text")
    if isinstance(raw, int) and abs(raw) >= _LARGEST:
        raise AnswerError("Enter text")
    value = _storable(str(raw)).strip()
    if not multiline and ("\n" in value or "\r" in value):
        raise AnswerError("Enter a single line")
    low, high = question.min_length, question.max_length
    if low is not None and len(value) < low:
        raise AnswerError(f"Enter at least {_characters(low)}" + _length_hint(low, high))
    if high is not None and len(value) > high:
        raise AnswerError(f"Enter at most {_characters(high)} (this has {len(value)})")
    if (
        isinstance(question, TextQuestion)
        and question.pattern
        and not matches(question.pattern, value)
    ):
        raise AnswerError(question.pattern_message or "That is not in the expected form")
    return value


def _storable(text: str) -> str:
    """``text`` as it can be written to a UTF-8 file.

    JSON's ``\\ud83d\\ude00`` escapes arrive from the YAML parser as two halves of a pair; they
    are joined here. A lone half (from a broken file or terminal) cannot be saved at all.
    """
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        raise AnswerError("The text contains characters that cannot be saved") from None


def _characters(n: int) -> str:
    return f"{n} character" if n == 1 else f"{n} characters"


def _length_hint(low: int, high: int | None) -> str:
    return f" and at most {high}" if high is not None and high != low else ""


def _key(text: str) -> str:
    """Typed text as compared with choices: any case, any spacing around commas."""
    return re.sub(r"\s*,\s*", ",", " ".join(text.split())).casefold()


def _as_text(raw: Any) -> str | None:
    """A raw choice answer as text (``90`` and ``90.0`` both read "90"); None for the rest."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and abs(raw) < _LARGEST:
        return str(raw)
    if isinstance(raw, str):
        return raw
    return None


def _find(choices: list[Choice], raw: Any) -> int | None:
    """The index of the choice ``raw`` names: by value first, then by label."""
    text = _as_text(raw)
    if text is None:
        return None
    key = _key(text)
    for i, choice in enumerate(choices):
        if key == _key(str(choice.value)):
            return i
    for i, choice in enumerate(choices):
        if key == _key(choice.shown):
            return i
    return None


def _choice(choices: list[Choice], raw: Any) -> str | int:
    found = _find(choices, raw)
    if found is None:
        raise AnswerError("Choose one of: " + ", ".join(str(c.value) for c in choices))
    return choices[found].value


def _split(question: MultiChoiceQuestion, text: str) -> list[str]:
    """Comma-separated choices; a label that holds a comma ("Fines, fees and holds") stays
    whole, so what the review shows can be typed back."""
    parts = [p.strip() for p in text.split(",")]
    span = 1 + max(max(str(c.value).count(","), c.shown.count(",")) for c in question.choices)
    items: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(min(len(parts), i + span), i, -1):
            joined = ", ".join(parts[i:j])
            if j == i + 1 or _find(question.choices, joined) is not None:
                items.append(joined)
                i = j
                break
    return [item for item in items if item]


def _selection_text(low: int, high: int | None) -> str:
    if high is not None and low == high:
        return f"Choose exactly {low}"
    if high is not None and low > 0:
        return f"Choose at least {low} and at most {high}"
    if high is not None:
        return f"Choose at most {high}"
    return f"Choose at least {low}"


def _multi(question: MultiChoiceQuestion, raw: Any) -> list[str | int]:
    if raw is None:
        items: list[Any] = []
    elif isinstance(raw, str):
        items = _split(question, raw)
    elif isinstance(raw, list):
        items = raw
    else:
        items = [raw]
    picked: set[int] = set()
    for item in items:
        found = _find(question.choices, item)
        if found is None:
            raise AnswerError(
                f"'{_shorten(item)}' is not a choice; choose from: "
                + ", ".join(str(c.value) for c in question.choices)
            )
        picked.add(found)
    values = [question.choices[i].value for i in sorted(picked)]
    alone = [question.choices[i] for i in sorted(picked) if question.choices[i].exclusive]
    if alone and len(values) > 1:
        raise AnswerError(f"'{_shorten(alone[0].shown)}' cannot be chosen with other choices")
    low = question.min_selected if question.min_selected is not None else 0
    if question.required and low == 0:
        low = 1
    high = question.max_selected
    if len(values) < low or (high is not None and len(values) > high):
        raise AnswerError(_selection_text(low, high))
    return values


def _yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        text = raw.strip().casefold()
        if text in YES:
            return True
        if text in NO:
            return False
    raise AnswerError("Answer yes or no")


def _limits(low: object, high: object) -> str:
    """A range in words ("1 to 500", "at least 1", "at most 500"); empty when open."""
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    if high is not None:
        return f"at most {high}"
    return ""


def _range_text(low: Any, high: Any, what: str) -> str:
    """What to enter, as a message: "Enter a whole number from 1 to 500"."""
    limits = _limits(low, high)
    if not limits:
        return f"Enter {what}"
    joined = "from" if low is not None and high is not None else "of"
    return f"Enter {what} {joined} {limits}"


def _integer(question: IntegerQuestion | ScaleQuestion, raw: Any) -> int:
    message = _range_text(question.min, question.max, "a whole number")
    if isinstance(raw, bool):
        raise AnswerError(message)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and _INT.fullmatch(raw.strip()) and len(raw.strip()) < 30:
        value = int(raw.strip().replace(",", ""))
    else:
        raise AnswerError(message)
    if abs(value) >= _LARGEST:
        raise AnswerError(message)
    if (question.min is not None and value < question.min) or (
        question.max is not None and value > question.max
    ):
        raise AnswerError(message)
    return value


def _number(question: NumberQuestion, raw: Any) -> float:
    low, high = question.min, question.max
    message = _range_text(_plain(low), _plain(high), "a number")
    if isinstance(raw, bool):
        raise AnswerError(message)
    if isinstance(raw, (int, float)):
        try:
            value = float(raw)
        except OverflowError:
            raise AnswerError(message) from None
    elif isinstance(raw, str) and re.search("[0-9]", raw) and _NUMBER.fullmatch(raw.strip()):
        # Commas only as thousands separators: "1,5" is refused, never read as 15.
        try:
            value = float(raw.strip().replace(",", ""))
        except (ValueError, OverflowError):
            raise AnswerError(message) from None
    else:
        raise AnswerError(message)
    if not math.isfinite(value):
        raise AnswerError(message)
    if (low is not None and value < low) or (high is not None and value > high):
        raise AnswerError(message)
    return value


def _plain(number: float | None) -> float | int | None:
    if number is not None and float(number).is_integer():
        return int(number)
    return number


_FORMS = {
    "day": "YYYY-MM-DD",
    "month": "YYYY-MM-DD or YYYY-MM",
    "year": "YYYY-MM-DD, YYYY-MM or YYYY",
}
_PARTIAL = {"day": 3, "month": 2, "year": 1}
"""How many parts (year, month, day) a date must have at least, by precision."""


def _date(question: DateQuestion, raw: Any) -> str:
    low, high = question.min, question.max
    form = _FORMS[question.precision]
    if low and high:
        message = f"Enter a date from {low} to {high}, as {form}"
    elif low:
        message = f"Enter a date on or after {low}, as {form}"
    elif high:
        message = f"Enter a date on or before {high}, as {form}"
    else:
        message = f"Enter a date as {form}"
    if isinstance(raw, dt.datetime):
        raise AnswerError(message)
    if isinstance(raw, dt.date):
        value, shown = raw, raw.isoformat()
    elif isinstance(raw, int) and not isinstance(raw, bool) and question.precision == "year":
        # YAML reads `2023` as a number.
        value, shown = _partial_date(str(raw), message)
    elif isinstance(raw, str) and _DATE.fullmatch(raw.strip()):
        shown = raw.strip()
        try:
            value = dt.date.fromisoformat(shown)
        except ValueError:
            # 2027-02-30 looks like a date, 2026-13-01 does not.
            _, month, day = (int(part) for part in shown.split("-"))
            if 1 <= month <= 12 and 1 <= day <= 31:
                raise AnswerError(f"{shown}: that date does not exist") from None
            raise AnswerError(message) from None
    elif isinstance(raw, str) and _PARTIAL[question.precision] < 3:
        value, shown = _partial_date(raw.strip(), message)
        if shown.count("-") + 1 < _PARTIAL[question.precision]:
            raise AnswerError(message)
    else:
        raise AnswerError(message)
    # A month or a year is in range when it overlaps the range.
    if (low and _last_day(shown, value) < low) or (high and value > high):
        raise AnswerError(message)
    return shown


def _partial_date(text: str, message: str) -> tuple[dt.date, str]:
    """``2023-06`` or ``2023`` as its first day and the text stored."""
    match = _PARTIAL_DATE.fullmatch(text)
    if match is None:
        raise AnswerError(message)
    year, month = int(match.group(1)), match.group(2)
    if month is not None and not 1 <= int(month) <= 12:
        raise AnswerError(message)
    return dt.date(max(year, 1), int(month or 1), 1), text


def _last_day(shown: str, first: dt.date) -> dt.date:
    parts = shown.count("-") + 1
    if parts == 1:
        return dt.date(first.year, 12, 31)
    if parts == 2:
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return first


def show_value(question: AnyQuestion, value: Any) -> str:
    """An answer as a person reads it: labels for choices, yes/no, lists joined by commas."""
    if value is None:
        return ""
    match question:
        case ChoiceQuestion() | MultiChoiceQuestion():
            labels = {(type(c.value), c.value): c.shown for c in question.choices}
            items = value if isinstance(value, list) else [value]
            return ", ".join(labels.get((type(v), v), str(v)) for v in items)
        case ScaleQuestion() if (
            isinstance(value, int) and not isinstance(value, bool) and value in question.labels
        ):
            return f"{value} ({question.labels[value]})"
        case (
            TextQuestion()
            | LongTextQuestion()
            | YesNoQuestion()
            | IntegerQuestion()
            | NumberQuestion()
            | ScaleQuestion()
            | DateQuestion()
        ):
            # A stored value of another type (an answer that no longer fits) shows as is.
            if isinstance(value, bool):
                return "yes" if value else "no"
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            if isinstance(value, list):
                return ", ".join(str(v) for v in value)
            return str(value)
        case _:
            assert_never(question)


def hint(question: AnyQuestion) -> str:
    """What kind of input a question takes, in a few words ("whole number, 1 to 500")."""
    match question:
        case YesNoQuestion():
            return "y/n"
        case ScaleQuestion():
            labels = ", ".join(f"{k} = {v}" for k, v in sorted(question.labels.items()))
            return f"{question.min} to {question.max}" + (f": {labels}" if labels else "")
        case IntegerQuestion():
            return _kind_hint("whole number", question.min, question.max)
        case NumberQuestion():
            low = None if question.min is None else show_value(question, float(question.min))
            high = None if question.max is None else show_value(question, float(question.max))
            return _kind_hint("number", low, high)
        case DateQuestion():
            return _kind_hint("YYYY-MM-DD", question.min, question.max)
        case TextQuestion() | LongTextQuestion() | ChoiceQuestion() | MultiChoiceQuestion():
            # Their prompts say how to answer them (choices are listed, text is free).
            return ""
        case _:
            assert_never(question)


def _kind_hint(what: str, low: object, high: object) -> str:
    limits = _limits(low, high)
    return f"{what}, {limits}" if limits else what
