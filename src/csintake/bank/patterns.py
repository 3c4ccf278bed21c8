"""A text question's ``pattern``: checked for shapes that backtrack for ever, and matched
within bounds.

Python's regular expressions backtrack: ``(a+)+$`` against forty ``a`` and a ``!`` tries
every way of splitting the ``a``, which takes longer than the universe has. In the live
interview the match runs inside the prompt's event loop, where Ctrl-C waits for it to finish.
Three bounds keep a pattern harmless:

- ``bank check`` (and so every load of a bank) refuses the shapes that backtrack
  exponentially: a repetition inside a repetition (``(a+)+``, ``(a*b?)*``), a backreference
  inside one, and repeat counts beyond :data:`MAX_COUNT` (``a{4294967295}`` would not even
  compile);
- an answer longer than :data:`MAX_MATCHED` characters is not matched at all;
- the match itself stops after :data:`MATCH_SECONDS` (polynomial shapes such as
  ``a*a*a*a*b`` are still legal), and the answer is refused with a message.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from csintake.deadline import deadline
from csintake.errors import AnswerError

# The parser behind re.compile, a private module of the standard library (Python 3.11+).
sre_parse: Any = importlib.import_module("re._parser")

MAX_COUNT = 10_000
MAX_MATCHED = 10_000
MATCH_SECONDS = 1.0

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class _SlowMatchError(Exception):
    """The match ran past its time limit."""


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` may not be used, or None when it is fine."""
    try:
        parsed = sre_parse.parse(pattern)
        re.compile(pattern)
    except re.error as exc:
        return f"pattern is not a valid regular expression: {exc}"
    except OverflowError:
        return f"pattern repeats something more than {MAX_COUNT:,} times"
    except RecursionError:
        return "pattern is nested too deeply"
    try:
        return _shape_problem(list(parsed), inside=False)
    except RecursionError:
        return "pattern is nested too deeply"


def _shape_problem(items: list[Any], *, inside: bool) -> str | None:
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            low, high, sub = arg
            if low > MAX_COUNT or (high != sre_parse.MAXREPEAT and high > MAX_COUNT):
                return f"pattern repeats something more than {MAX_COUNT:,} times"
            repeats = high == sre_parse.MAXREPEAT or high > 1
            if repeats and inside:
                return _NESTED
            found = _shape_problem(list(sub), inside=inside or repeats)
            if found:
                return found
        elif name in ("GROUPREF", "GROUPREF_EXISTS") and inside:
            return "pattern repeats a backreference; matching could take for ever"
        else:
            for sub in _children(name, arg):
                found = _shape_problem(sub, inside=inside)
                if found:
                    return found
    return None


_NESTED = (
    "pattern repeats a repetition (like (a+)+ or (a*b?)*); matching could take for ever:"
    " repeat the inner part once"
)


def _children(name: str, arg: Any) -> list[list[Any]]:
    """The sub-patterns of one parsed item (groups, alternatives, lookarounds)."""
    if name == "SUBPATTERN":
        return [list(arg[-1])]
    if name == "BRANCH":
        return [list(b) for b in arg[1]]
    if name in ("ASSERT", "ASSERT_NOT"):
        return [list(arg[1])]
    if name == "ATOMIC_GROUP":
        return [list(arg)]
    if name == "GROUPREF_EXISTS":
        return [list(b) for b in arg[1:] if b is not None]
    return []


def matches(pattern: str, value: str) -> bool:
    """Whether the whole of ``value`` matches ``pattern``, within bounds (else AnswerError)."""
    if len(value) > MAX_MATCHED:
        raise AnswerError(
            f"Enter at most {MAX_MATCHED:,} characters here: longer text is not checked"
            " against the expected form"
        )
    try:
        with deadline(MATCH_SECONDS, _SlowMatchError):
            return re.fullmatch(pattern, value) is not None
    except _SlowMatchError:
        raise AnswerError(
            "This answer takes too long to check against the expected form; enter a shorter one"
        ) from None
