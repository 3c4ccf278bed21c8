"""The one error hierarchy: everything a user can cause becomes one of these.

The command line turns each into one line per problem on stderr and the error's exit code;
nothing below the CLI prints or exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from csintake.printable import one_line

NOT_SKIPPABLE = "This question is required and cannot be skipped"
"""What skipping a required question says, wherever it is tried."""


class Problem(NamedTuple):
    """One thing wrong, located in a file when a file is involved (line and column from 1)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        # Messages quote file contents: keep each problem on one line, and never let a
        # control sequence in the data reach the terminal.
        file, message = one_line(self.file), one_line(self.message)
        if not file:
            return message
        if self.line <= 0:
            return f"{file}: {message}"
        return f"{file}:{self.line}:{self.column}: {message}"


class CsintakeError(Exception):
    """Base of every error a user can cause. ``exit_code`` is what the command exits with."""

    exit_code = 1

    def lines(self) -> list[str]:
        """The message as one line per problem."""
        return [str(self)]


class ProblemsError(CsintakeError):
    """Several located problems found at once (a bank, an answers file)."""

    def __init__(self, problems: list[Problem], summary: str = "") -> None:
        self.problems = problems
        self.summary = summary
        super().__init__(summary or "\n".join(str(p) for p in problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class BankError(ProblemsError):
    """A bank file that cannot be used as it is."""


class YamlError(ProblemsError):
    """A YAML or JSON file that does not parse, or uses a tag we refuse to construct."""


class ConditionError(CsintakeError):
    """A ``when`` condition or placeholder text that is not in the safe language.

    ``offset`` is the 0-based character offset into the condition text, so callers can turn it
    into a file column.
    """

    def __init__(self, message: str, offset: int = 0) -> None:
        self.message = message
        self.offset = offset
        super().__init__(message)


class AnswerError(CsintakeError):
    """One answer that does not fit its question; the message is meant for the client."""


class SessionNotFoundError(CsintakeError):
    """No session with that id in the store."""


class SessionLockedError(CsintakeError):
    """The session is open in another process."""

    exit_code = 3


class StoreError(CsintakeError):
    """The store could not be read or written (full disk, permissions, a damaged file)."""


class UsageError(CsintakeError):
    """Options that do not make sense together."""

    exit_code = 2


def display_path(path: Path | str) -> str:
    """A path as the user typed it or relative to the working directory when shorter."""
    p = Path(path)
    try:
        rel = p.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError, RuntimeError):  # elsewhere; a symlink loop; a name too long
        return str(p)
    text = str(rel)
    return text if len(text) < len(str(p)) else str(p)
