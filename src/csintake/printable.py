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
