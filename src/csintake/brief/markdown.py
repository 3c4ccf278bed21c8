"""The brief as Markdown: the shipped brief, or a Jinja2 template the consultant writes.

The filters :func:`md` and :func:`md_cell` escape text so that it shows as typed in any
CommonMark or GitHub renderer: no emphasis, headings, lists, quotes, tables, links or HTML
can come out of an answer.
"""

from __future__ import annotations

import re
from pathlib import Path

from csintake.brief.builder import Brief
from csintake.brief.templating import TEMPLATES, render_template
from csintake.printable import visible

TEMPLATE = TEMPLATES / "brief.md.j2"

# Every ASCII character that can start or end Markdown syntax in the middle of a line.
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&$])")
# Characters that start a block (list, heading underline, thematic break) at a line's start.
_LEADING = re.compile(r"^([-+=])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def _line(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text.strip())
    text = _LEADING.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", text)


def md(value: object) -> str:
    """Text escaped for Markdown; line breaks stay line breaks (a backslash at the end of
    each line but the last), so put it where a paragraph may continue. None is empty."""
    if value is None:
        return ""
    lines = visible(str(value)).strip().split("\n")
    return "\\\n".join(_line(line) for line in lines)


def md_cell(value: object) -> str:
    """Text escaped for Markdown on one line: for table cells, headings and list items."""
    if value is None:
        return ""
    lines = visible(str(value)).strip().split("\n")
    return " ".join(part for part in (_line(line) for line in lines) if part)


FILTERS = {"md": md, "md_cell": md_cell}


def render(brief: Brief, template: Path | None = None) -> str:
    """The brief through ``template``; without one, the shipped brief, the same document as
    ``brief.md.j2`` written without Jinja2 (which takes longer to import and compile the
    template than the rest of the command takes)."""
    if template is None:
        from csintake.brief import markdown_text

        return markdown_text.render(brief)
    return render_template(template, brief, autoescape=False, filters=FILTERS)


def render_shipped_template(brief: Brief) -> str:
    """The brief through the shipped ``brief.md.j2`` itself, as a consultant's copy of it
    would render before any change."""
    return render_template(
        TEMPLATE, brief, autoescape=False, filters=FILTERS, display="brief.md.j2"
    )
