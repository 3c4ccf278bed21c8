"""The formats a brief can be written in: one list for the command's ``--format`` and the
export that renders them. Light on purpose: the command line reads it at start-up."""

from __future__ import annotations

from typing import Literal, get_args

AskedFormat = Literal["rich", "markdown", "json", "html"]
"""The formats a person can ask for with ``--format``."""
FormatName = AskedFormat | Literal["text"]
"""What is rendered: ``text`` is the Rich brief as plain text, for ``rich`` to a file."""
FORMATS: tuple[AskedFormat, ...] = get_args(AskedFormat)
