"""What every command shares: the global options and the way errors reach the user."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class State:
    """Global options given before the command."""

    store_option: Path | None = None

    @property
    def store(self) -> Path:
        from csintake.store.store import store_dir

        return store_dir(self.store_option)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()


def fail(lines: list[str], code: int = 1) -> typer.Exit:
    """Print each line to stderr and give the exit to raise."""
    from csintake.printable import one_line

    for line in lines:
        # One line per problem, whatever the data it quotes (an id typed with a newline, an
        # escape sequence from a file).
        typer.echo(f"csintake: {one_line(line)}", err=True)
    return typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn every error a user can cause into lines on stderr and its exit code."""
    from csintake.errors import CsintakeError

    try:
        yield
    except CsintakeError as exc:
        raise fail(exc.lines(), exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("\ncsintake: interrupted", err=True)
        raise typer.Exit(130) from None
    except BrokenPipeError:
        # The reader went away (`| head`): nothing more to say to it.
        sys.stderr.close()
        raise typer.Exit(1) from None
    except OSError as exc:
        # Output that cannot be written (stdout on a full disk, /dev/full): one line, and
        # nothing left in Python's buffer to fail again, with a traceback, at exit.
        _discard_stdout()
        where = f"{exc.filename}: " if exc.filename else "cannot write the output: "
        raise fail([where + (exc.strerror or str(exc))], 1) from None


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (tests, embedding)
        pass


def console(*, stderr: bool = False) -> Console:
    """A Rich console for our output; Rich itself respects NO_COLOR.

    Data is always passed as ``Text`` or escaped, never as markup.
    """
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def print_or_write(text: str, output: Path | None, store: Path) -> None:
    """``text`` on stdout, or written atomically to ``output`` with a line on stderr; never
    over a file the store keeps (see outputs.py)."""
    if output is None:
        typer.echo(text, nl=False)
        return
    from csintake.errors import display_path
    from csintake.store.outputs import write_export

    write_export(output, text, store)
    typer.echo(f"Wrote {display_path(output)}", err=True)
