"""The brief as Markdown: the shipped brief, or a Jinja2 template the consultant writes.

A template gets the filters :func:`~csintake.brief.markdown_text.md` and
:func:`~csintake.brief.markdown_text.md_cell`, the escaping the shipped brief uses.
"""

from __future__ import annotations

from pathlib import Path

from csintake.brief import markdown_text
from csintake.brief.builder import Brief
from csintake.brief.markdown_text import md, md_cell
from csintake.brief.templating import TEMPLATES, render_template

__all__ = ["FILTERS", "TEMPLATE", "md", "md_cell", "render", "render_shipped_template"]

TEMPLATE = TEMPLATES / "brief.md.j2"

FILTERS = {"md": md, "md_cell": md_cell}


def render(brief: Brief, template: Path | None = None) -> str:
    """The brief through ``template``; without one, the shipped brief, the same document as
    ``brief.md.j2`` written without Jinja2 (which takes longer to import and compile the
    template than the rest of the command takes)."""
    if template is None:
        return markdown_text.render(brief)
    return render_template(template, brief, autoescape=False, filters=FILTERS)


def render_shipped_template(brief: Brief) -> str:
    """The brief through the shipped ``brief.md.j2`` itself, as a consultant's copy of it
    would render before any change."""
    return render_template(
        TEMPLATE, brief, autoescape=False, filters=FILTERS, display="brief.md.j2"
    )
