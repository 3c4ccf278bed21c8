"""One intake from start to end: find or create the session, hold its lock, open it on its
bank, take answers from files and ``--set``, then finish it scripted or hand it to the live
interview.

What needs a person (the client's name when none was given, the interview itself) and what
is said along the way go through an :class:`IntakeUI`, so this module never talks to a
terminal and the command that calls it only turns options into :class:`IntakeRequest`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from csintake.errors import SessionNotFoundError, UsageError
from csintake.interview.intake import (
    Opened,
    apply_scripted,
    new_session,
    open_session,
    parse_sets,
    read_answers,
)

if TYPE_CHECKING:
    from csintake.errors import Problem
    from csintake.store.store import Store


class IntakeUI(Protocol):
    """What an intake needs from the person running it."""

    def ask_client(self) -> str:
        """The client's name for a new session started without ``--client``."""
        ...

    def run_live(self, opened: Opened) -> int:
        """The live interview on ``opened``; its exit code."""
        ...

    def notice(self, line: str) -> None:
        """Where a scripted intake's session stands (a changed bank, unfit answers)."""
        ...

    def refused(self, problem: Problem) -> None:
        """An answer from a file or ``--set`` that was not stored, before a live interview."""
        ...


@dataclass(frozen=True)
class IntakeRequest:
    """An intake as asked for on the command line."""

    session_id: str | None = None
    """The session to resume or revise; None starts a new one."""
    bank: str | None = None
    client: str | None = None
    consultant: str | None = None
    answers: str | None = None
    """An answers file, or ``-`` for standard input."""
    sets: Sequence[str] = ()
    """``ID=VALUE`` answers, which win over the file's."""
    no_input: bool = False

    @property
    def scripted(self) -> bool:
        """Whether no one is asked anything: answers read from stdin leave nothing to
        prompt from."""
        return self.no_input or self.answers == "-"


@dataclass
class IntakeOutcome:
    """Where an intake ended."""

    opened: Opened
    scripted: bool
    problems: list[Problem] = field(default_factory=list)
    """A scripted intake's missing and refused answers (the valid ones are saved)."""
    exit_code: int = 0
    """The live interview's exit code."""

    def resume_command(self) -> str:
        """The command that completes a scripted intake left incomplete."""
        return f"{self.opened.resume_command()} --no-input --answers FILE"


def run_intake(store: Store, request: IntakeRequest, ui: IntakeUI) -> IntakeOutcome:
    """Run one intake on ``store``; bad options and files raise before anything is saved."""
    scripted = request.scripted
    set_values = parse_sets(list(request.sets))
    answers_doc = read_answers(request.answers) if request.answers else None
    session_id = request.session_id
    fresh = session_id is None
    if session_id is None:
        client = request.client
        if client is None:
            if scripted:
                raise UsageError("a new session needs --client NAME")
            client = ui.ask_client()
        opened = new_session(store, client, request.bank, request.consultant)
        session_id = opened.interview.session.id
    elif not store.exists(session_id):
        raise SessionNotFoundError(f"no session '{session_id}' in {store.root}")
    with store.lock(session_id):
        if not fresh:
            opened = open_session(store, session_id, request.bank)
            if request.consultant:
                opened.interview.session.consultant = request.consultant
            if scripted:
                # The live interview shows them with where the session stands.
                for line in opened.notices:
                    ui.notice(line)
        outcome = IntakeOutcome(opened, scripted)
        if answers_doc is not None or set_values or scripted:
            problems = apply_scripted(opened.interview, answers_doc, set_values, finish=scripted)
            if scripted:
                outcome.problems = problems
                return outcome
            for problem in problems:
                ui.refused(problem)
        if not scripted:
            outcome.exit_code = ui.run_live(opened)
    return outcome
