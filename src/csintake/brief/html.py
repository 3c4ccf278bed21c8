"""The brief as one self-contained, printable HTML file: inline CSS, no scripts, no links.

The template is autoescaped and sandboxed; a Content-Security-Policy forbids scripts and
outside resources even if something slipped through.
"""

from __future__ import annotations

from pathlib import Path

from csintake.brief.builder import Brief
from csintake.brief.templating import TEMPLATES, render_template

TEMPLATE = TEMPLATES / "brief.html.j2"


def render(brief: Brief, template: Path | None = None) -> str:
    """The brief through ``template`` (default: the shipped ``brief.html.j2``)."""
    if template is None:
        return render_template(
            TEMPLATE, brief, autoescape=True, filters={}, display="brief.html.j2"
        )
    return render_template(template, brief, autoescape=True, filters={})
