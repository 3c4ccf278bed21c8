"""Rendering a brief through a Jinja2 template, sandboxed, with errors as one line.

A template may come from the consultant (``--template``), so it runs in Jinja2's immutable
sandbox: no access to private attributes, no changing data, nothing but the brief it is given.
Jinja2 is imported here only, when a Markdown or HTML brief is asked for.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from csintake.brief.builder import Brief
from csintake.brief.wording import (
    LEVEL_NAMES,
    REASON_NAMES,
    because_text,
    budget_text,
    draft_text,
    fit_text,
    meta_lines,
    open_status,
    visible,
)
from csintake.errors import CsintakeError, display_path

TEMPLATES = Path(__file__).parent / "templates"


class TemplateError(CsintakeError):
    """A template that does not parse or fails while rendering: ``FILE:LINE: message``."""


def _finalize(value: Any) -> Any:
    # Whatever a template prints, control characters never reach the output as such.
    return visible(value) if isinstance(value, str) else value


def _because(because: Any, empty: str = "always included") -> str:
    return because_text([str(b) for b in because], empty)


def template_context(brief: Brief) -> dict[str, Any]:
    """The variables every brief template sees (documented in docs/brief.md)."""
    return {
        "brief": brief,
        "meta": meta_lines(brief),
        "draft_note": draft_text(brief),
        "budget": budget_text(brief.agenda),
        "fit": fit_text(brief.agenda),
        "levels": dict(LEVEL_NAMES),
        "reasons": dict(REASON_NAMES),
    }


def render_template(
    path: Path,
    brief: Brief,
    *,
    autoescape: bool,
    filters: Mapping[str, Callable[..., Any]],
    display: str | None = None,
) -> str:
    """``path`` rendered with the brief; any problem in it raises :class:`TemplateError`."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    name = display or display_path(path)
    try:
        path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise TemplateError(f"{name}: cannot read the template: {reason}") from None
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(path.parent),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["because"] = _because
    env.filters["visible"] = visible
    env.filters["status"] = open_status
    env.filters.update(filters)
    files = {os.path.normpath(path.parent / path.name): name}
    try:
        return env.get_template(path.name).render(template_context(brief))
    except jinja2.TemplateSyntaxError as exc:
        where = _name(exc.filename, files, name)
        raise TemplateError(f"{where}:{exc.lineno}: {_one_line(exc.message)}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"{name}: template not found: {exc.name}") from None
    # A template is the consultant's code: whatever it raises is theirs to fix, as one line.
    except Exception as exc:  # noqa: BLE001
        filename, line = _template_line(exc.__traceback__)
        where = _name(filename, files, name)
        if line:
            where = f"{where}:{line}"
        raise TemplateError(f"{where}: {_message(exc)}") from None


def _name(filename: str | None, files: Mapping[str, str], default: str) -> str:
    if not filename or filename.startswith("<"):
        return default
    return files.get(filename) or display_path(filename)


def _template_line(tb: TracebackType | None) -> tuple[str | None, int]:
    """The innermost template file and line in a traceback that Jinja2 has rewritten."""
    found: tuple[str | None, int] = (None, 0)
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _message(exc: BaseException) -> str:
    text = _one_line(str(exc))
    kind = type(exc).__name__
    if kind in ("SecurityError", "UndefinedError", "TemplateRuntimeError"):
        return text
    return f"{kind}: {text}" if text else kind


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())
