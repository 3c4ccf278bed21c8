"""The live interview on a call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csintake.errors import UsageError

if TYPE_CHECKING:
    from csintake.intake import Opened


def ask_client(*, plain: bool = False) -> str:
    """Ask for the client's name before a new session starts."""
    raise UsageError("a new session needs --client NAME")


def run_live(opened: Opened, *, plain: bool = False) -> int:
    """Run the interview at the keyboard; returns the exit code."""
    raise UsageError("the live interview is not available in this build; use --no-input")
