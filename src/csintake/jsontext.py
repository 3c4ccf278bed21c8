"""Indented JSON text written with the C encoder.

``json.dumps(value, indent=2)`` gives readable output but falls back to the pure-Python
encoder, many times slower on a listing of thousands of sessions. Without ``indent`` the C
encoder is used, and it takes any separator: a mapping or list whose items hold no further
container is encoded in one C call with the line break and indentation as its item separator.
The text is the same as ``json.dumps(value, indent=2, ensure_ascii=False)``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

_INDENT = 2
_CONTAINERS = (dict, list, tuple)
_PLAIN = {str, int, float, bool, type(None)}


def dumps(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, faster."""
    return _encode(value, 0)


_ENCODERS: dict[str, json.JSONEncoder] = {}


def chunks(value: Any) -> Iterator[str]:
    """The text of :func:`dumps`, in pieces that join to it; a value that is an iterator
    (in ``value``, or in a mapping at its top) is encoded as a list, one item at a time, so
    that a listing of many rows is never held whole as data and as text at once."""
    if isinstance(value, Iterator):
        yield from _items(value, 0)
    elif isinstance(value, dict) and any(isinstance(v, Iterator) for v in value.values()):
        if set(map(type, value)) != {str}:
            raise TypeError("keys of a streamed mapping must be text")
        inner = "\n" + " " * _INDENT
        for n, (k, v) in enumerate(value.items()):
            yield ("{" if n == 0 else ",") + inner + _flat(k, ", ") + ": "
            if isinstance(v, Iterator):
                yield from _items(v, 1)
            else:
                yield _encode(v, 1)
        yield "\n}"
    else:
        yield _encode(value, 0)


def _items(values: Iterator[Any], level: int) -> Iterator[str]:
    inner = "\n" + " " * (_INDENT * (level + 1))
    empty = True
    for item in values:
        yield ("[" if empty else ",") + inner + _encode(item, level + 1)
        empty = False
    yield "[]" if empty else "\n" + " " * (_INDENT * level) + "]"


def _flat(value: Any, separator: str) -> str:
    # One encoder per separator (one per depth): json.dumps would make one per call.
    encoder = _ENCODERS.get(separator)
    if encoder is None:
        encoder = _ENCODERS[separator] = json.JSONEncoder(
            ensure_ascii=False, separators=(separator, ": ")
        )
    return encoder.encode(value)


def _encode(value: Any, level: int) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        if set(map(type, value)) != {str}:
            # Keys that JSON turns into text: rare enough to leave to the plain encoder.
            return _reindent(json.dumps(value, indent=_INDENT, ensure_ascii=False), level)
        items: Any = value.values()
        opening, closing = "{", "}"
    elif isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if _are_rows(value):
            return _rows(value, level)
        items = value
        opening, closing = "[", "]"
    else:
        return _flat(value, ", ")
    inner = "\n" + " " * (_INDENT * (level + 1))
    outer = "\n" + " " * (_INDENT * level)
    if set(map(type, items)).isdisjoint(_CONTAINERS) and not _has_subclass(items):
        return opening + inner + _flat(value, "," + inner)[1:-1] + outer + closing
    if opening == "{":
        parts = [f"{_flat(k, ', ')}: {_encode(v, level + 1)}" for k, v in value.items()]
    else:
        parts = [_encode(v, level + 1) for v in value]
    return opening + inner + ("," + inner).join(parts) + outer + closing


def _are_rows(items: list[Any] | tuple[Any, ...]) -> bool:
    """Every item a non-empty dict of text keys and plain values: a listing's rows."""
    return all(
        type(item) is dict
        and item
        and set(map(type, item)) == {str}
        and set(map(type, item.values())) <= _PLAIN
        for item in items
    )


def _rows(items: list[Any] | tuple[Any, ...], level: int) -> str:
    # One C call for the whole listing, each row's item separator its line break: the text
    # holds a raw line break only between items (the encoder escapes those in strings), and
    # one row ends where "}", that separator and "{" meet, since a row's keys open with '"'
    # and its values are no mappings. Those joins, and both ends, then take their own breaks.
    inner = "\n" + " " * (_INDENT * (level + 2))
    row = "\n" + " " * (_INDENT * (level + 1))
    # One expression: the encoder's text is let go before the result is joined (a listing
    # of 100,000 rows is some 30 MB a copy).
    body = _flat(items, "," + inner)[2:-2].replace(
        "}," + inner + "{", row + "}," + row + "{" + inner
    )
    return "[" + row + "{" + inner + body + row + "}\n" + " " * (_INDENT * level) + "]"


def _has_subclass(items: Any) -> bool:
    # A subclass of dict or list is rare; only then is each item asked.
    kinds = set(map(type, items))
    return not kinds <= _PLAIN and any(isinstance(item, _CONTAINERS) for item in items)


def _reindent(text: str, level: int) -> str:
    return text.replace("\n", "\n" + " " * (_INDENT * level))
