"""Text from files and answers made safe to show on a terminal.

Answers, bank text and file names are data: an escape sequence in them (``\\x1b[2J``,
``\\x1b]0;title\\x07``) must be shown, never obeyed by the terminal, and a bidirectional
override must not make a line read differently from what it holds. Such characters are
written as visible escapes; everything else, right-to-left letters, emoji with joiners and
combining marks included, is left exactly as it is. The brief's renderers use the same
:func:`visible`, so ``show`` and ``brief`` agree.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from csintake import jsontext

if TYPE_CHECKING:
    from collections.abc import Iterator

# C0 controls, DEL, the C1 controls (U+009B is a one-character CSI), and the bidirectional
# marks, embeddings, overrides and isolates.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_BREAKING = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _numeric(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _named(match: re.Match[str]) -> str:
    return _NAMED.get(match.group()) or _numeric(match)


def visible(text: str) -> str:
    """``text`` for a terminal: line breaks and tabs kept, every other control character
    and bidirectional control written as an escape (ESC becomes the four characters
    ``\\x1b``)."""
    return _INVISIBLE.sub(_numeric, text.replace("\r\n", "\n"))


def one_line(text: str) -> str:
    """``text`` as a single line: line breaks, tabs and every control character escaped."""
    return _BREAKING.sub(_named, text)


# Anything a terminal would not show as a glyph of its own: controls (C1 included), format
# characters (bidirectional overrides, zero-width joiners, tags), line and paragraph
# separators, private-use and unassigned code points. Spaces stay as they are.
_NOT_ASCII = re.compile("[^\n\x20-\x7e]|\x7f")


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if char.isprintable() or unicodedata.category(char) == "Zs":
        return char
    code = ord(char)
    if code > 0xFFFF:  # JSON spells such a character as its UTF-16 pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(data: Any) -> str:
    """``data`` as indented JSON for a terminal or a file, readable Unicode kept, and every
    character that is not visible written as its ``\\uXXXX`` escape: the text cannot move the
    cursor or reverse a line, and a JSON parser reads back exactly the same strings."""
    return _visible_json(jsontext.dumps(data))


def json_chunks(data: Any) -> Iterator[str]:
    """The text of :func:`json_text` in pieces (see :func:`csintake.jsontext.chunks`)."""
    return map(_visible_json, jsontext.chunks(data))


def _visible_json(text: str) -> str:
    # Outside strings JSON holds only ASCII, so every character matched is inside one; the
    # encoder escapes every other control character: plain ASCII needs no second look.
    if text.isascii() and "\x7f" not in text:
        return text
    return _NOT_ASCII.sub(_json_escape, text)
