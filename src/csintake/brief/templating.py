"""Rendering a brief through a Jinja2 template, sandboxed, with errors as one line.

A template may come from the consultant (``--template``), so it runs in Jinja2's immutable
sandbox: no access to private attributes, no changing data, nothing but the brief it is given.
Jinja2 is imported here only, when a Markdown or HTML brief is asked for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from csintake.brief.builder import Brief
from csintake.brief.wording import (
    INTERNAL_NOTE,
    LEVEL_NAMES,
    REASON_NAMES,
    because_text,
    budget_text,
    draft_text,
    fit_text,
    flag_reason,
    later_text,
    meta_lines,
    module_reason,
    open_status,
)
from csintake.errors import CsintakeError, display_path
from csintake.printable import visible

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
        "internal": brief.internal,
        "internal_note": INTERNAL_NOTE if brief.internal else "",
        "later": later_text(brief.agenda),
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
    env.filters["module_reason"] = module_reason
    env.filters["flag_reason"] = flag_reason
    env.filters.update(filters)
    files = {os.path.normpath(path.parent / path.name): name}
    try:
        with _bounded():
            return env.get_template(path.name).render(template_context(brief))
    except _TooLongError:
        raise TemplateError(
            f"{name}: rendering took longer than {RENDER_SECONDS} seconds; stopped"
        ) from None
    except MemoryError:
        raise TemplateError(f"{name}: rendering needed too much memory; stopped") from None
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


# The sandbox keeps a template from reaching anything but the brief; it does not bound what
# the template costs. `{{ 'x' * 10**10 }}`, `'x'|center(10**10)` or two nested loops over
# range(100000) would take all the memory of the machine (and the OOM killer takes what it
# likes) or run for hours. Rendering gets a deadline and a ceiling on new memory instead.
RENDER_SECONDS = 20
RENDER_MEMORY = 2 << 30


class _TooLongError(Exception):
    """The render deadline passed."""


@contextlib.contextmanager
def _bounded() -> Iterator[None]:
    with _deadline(RENDER_SECONDS), _memory_ceiling(RENDER_MEMORY):
        yield


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _TooLongError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _memory_ceiling(extra: int) -> Iterator[None]:
    """At most ``extra`` more bytes of address space while inside (Linux; elsewhere no-op):
    a runaway allocation is a MemoryError, not the end of the machine's other programs."""
    try:
        import resource

        size = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        ceiling = size + extra
        if soft != resource.RLIM_INFINITY and soft <= ceiling:
            ceiling = soft
        if hard != resource.RLIM_INFINITY:
            ceiling = min(ceiling, hard)
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


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
