"""Rendering a brief through a Jinja2 template, sandboxed, with errors as one line.

A template may come from the consultant (``--template``), so it runs in Jinja2's immutable
sandbox: no access to private attributes, no changing data, nothing but the brief it is given.
Jinja2 is imported here only, when an HTML brief or a template of the consultant's own is
asked for (the shipped Markdown brief is written without it, in ``markdown_text``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
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
from csintake.deadline import deadline
from csintake.errors import CsintakeError, display_path
from csintake.files.regularfile import read_regular
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

    name = display or display_path(path)
    try:
        source = read_regular(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise TemplateError(f"{name}: cannot read the template: {reason}") from None
    # The template is its own text and nothing else: no loader that could reach a file next
    # to it (or through a symlink there) with {% include %}, {% import %} or {% extends %}.
    env = _sandbox()(
        loader=jinja2.FunctionLoader(_nothing),
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
    try:
        with _bounded():
            text: str = env.from_string(source).render(template_context(brief))
            return text
    except _TooLongError:
        raise TemplateError(
            f"{name}: rendering took longer than {RENDER_SECONDS} seconds; stopped"
        ) from None
    except MemoryError:
        raise TemplateError(f"{name}: rendering needed too much memory; stopped") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{name}:{exc.lineno}: {_one_line(exc.message)}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"{name}: a brief template cannot include, import or extend another"
            f" ('{_one_line(str(exc.name))}'): put everything in one file"
        ) from None
    # A template is the consultant's code: whatever it raises is theirs to fix, as one line.
    except Exception as exc:  # noqa: BLE001
        line = _template_line(exc.__traceback__)
        where = name
        if line:
            where = f"{where}:{line}"
        raise TemplateError(f"{where}: {_message(exc)}") from None


def _nothing(name: str) -> None:
    """The loader's answer for every name: no such template."""
    return


# One big-integer operation cannot be interrupted by the deadline (the alarm waits for it to
# return), and Jinja2 folds constant expressions while compiling, before any deadline is set:
# `{{ 7 ** 100000000 }}` ran for minutes. The sandbox intercepts `**` and `*` (an intercepted
# operator is never folded) and refuses integers whose result would be enormous, before
# computing it. A huge string or list is one allocation, which the memory ceiling stops.
MAX_INT_BITS = 1 << 16  # about 20,000 digits


class TooBigError(Exception):
    """An operation in a template whose result would be too big to compute."""


def _bits(value: Any) -> int:
    return value.bit_length() if isinstance(value, int) else 0


def _too_big(operator: str, left: Any, right: Any) -> bool:
    if not isinstance(left, int) or not isinstance(right, int):
        return False
    if operator == "**":
        return abs(left) > 1 and right > 0 and right * _bits(left) > MAX_INT_BITS
    return _bits(left) + _bits(right) > MAX_INT_BITS


def _sandbox() -> type[Any]:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"**", "*"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if _too_big(operator, left, right):
                raise TooBigError(f"the result of '{operator}' would be too big to compute")
            return super().call_binop(context, operator, left, right)

    return BoundedSandbox


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
    with deadline(RENDER_SECONDS, _TooLongError), _memory_ceiling(RENDER_MEMORY):
        yield


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


def _template_line(tb: TracebackType | None) -> int:
    """The innermost template line in a traceback that Jinja2 has rewritten."""
    found = 0
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def _message(exc: BaseException) -> str:
    text = _one_line(str(exc))
    kind = type(exc).__name__
    if kind in ("SecurityError", "UndefinedError", "TemplateRuntimeError", "TooBigError"):
        return text
    return f"{kind}: {text}" if text else kind


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())
