"""Stored answers validated once per question and value, for the many sessions of one bank.

Listing or reporting on a store opens every session against its bank, and checking each
stored answer again was a fifth of that work, though most answers (choices, yes/no, numbers)
repeat across sessions. Validation depends on the question and the value alone, so its result
is remembered per question object (kept alive here, so that its id is not reused) and exact
value, its type included (``1``, ``1.0`` and ``True`` stay apart). Free text, which rarely
repeats, is not remembered; lists come back as new lists, so no caller shares one.
"""

from __future__ import annotations

from typing import Any

from csintake.bank.model import AnyQuestion, LongTextQuestion, TextQuestion
from csintake.bank.validation import validate_answer
from csintake.errors import AnswerError

_LIMIT = 50_000
_SCALARS = (str, int, float, bool, type(None))
# question id() -> (the question, {value key: (True, value) | (False, message)})
_MEMO: dict[int, tuple[AnyQuestion, dict[Any, tuple[bool, Any]]]] = {}
_size = 0


def _key(raw: Any) -> Any:
    if isinstance(raw, _SCALARS):
        return (type(raw), raw)
    if isinstance(raw, list) and all(isinstance(v, _SCALARS) for v in raw):
        return (list, tuple((type(v), v) for v in raw))
    return None


def validated(question: AnyQuestion, raw: Any) -> Any:
    """What :func:`validate_answer` gives for ``raw`` (or raises), remembered."""
    global _size  # noqa: PLW0603 - one memo per process
    key = None if isinstance(question, (TextQuestion, LongTextQuestion)) else _key(raw)
    if key is None:
        return validate_answer(question, raw)
    entry = _MEMO.get(id(question))
    if entry is None or entry[0] is not question:
        if _size >= _LIMIT:
            _MEMO.clear()
            _size = 0
        entry = _MEMO[id(question)] = (question, {})
    results = entry[1]
    found = results.get(key)
    if found is None:
        try:
            found = (True, validate_answer(question, raw))
        except AnswerError as exc:
            found = (False, str(exc))
        results[key] = found
        _size += 1
    ok, value = found
    if not ok:
        raise AnswerError(value)
    return list(value) if isinstance(value, list) else value
