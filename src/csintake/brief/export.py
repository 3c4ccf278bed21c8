"""Choosing a brief's format and rendering it to text (for a file or stdout)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from csintake.errors import UsageError
from csintake.formats import FORMATS, FormatName

if TYPE_CHECKING:
    from csintake.brief.builder import Audience
    from csintake.interview.engine import Interview
    from csintake.store.profile import Profile

EXTENSIONS: dict[str, FormatName] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}


def pick_format(fmt: str | None, output: Path | None, template: Path | None) -> FormatName:
    """``--format`` if given, else from ``-o``'s extension, else from the template, else rich.

    ``text`` is the Rich brief as plain text without colour (``-o brief.txt``).
    """
    chosen: FormatName
    if fmt is not None:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format '{fmt}': choose one of {', '.join(FORMATS)}")
        chosen = fmt
        if chosen == "rich" and output is not None:
            chosen = "text"
    elif output is not None:
        found = EXTENSIONS.get(output.suffix.lower())
        if found is None:
            known = ", ".join(EXTENSIONS)
            raise UsageError(
                f"cannot tell the format from '{output.name}': use one of {known}, or give --format"
            )
        chosen = found
    elif template is not None:
        chosen = "html" if ".htm" in template.name.lower() else "markdown"
    else:
        chosen = "rich"
    if template is not None and chosen not in ("markdown", "html"):
        raise UsageError(f"--template is for the markdown and html formats, not {chosen}")
    return chosen


def export(
    interview: Interview,
    fmt: FormatName,
    template: Path | None = None,
    *,
    date: dt.date | None = None,
    profile: Profile | None = None,
    start: str | None = None,
    audience: Audience = "internal",
) -> str:
    """The brief of ``interview`` as text in ``fmt`` for ``audience``, priced with
    ``profile`` if given."""
    from csintake.brief.builder import build_brief

    brief = build_brief(interview, date=date, profile=profile, start=start, audience=audience)
    if fmt == "markdown":
        from csintake.brief import markdown

        return markdown.render(brief, template)
    if fmt == "html":
        from csintake.brief import html

        return html.render(brief, template)
    if fmt == "json":
        from csintake.brief import json

        return json.render(brief)
    from csintake.brief import rich

    return rich.render_text(brief)
