"""``csintake interview``: a live intake on a call, or a scripted one from files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from csintake.cli.common import fail, state, user_errors
from csintake.printable import json_text

if TYPE_CHECKING:
    from csintake.errors import Problem
    from csintake.interview.intake import Opened
    from csintake.store.session import Session


def interview(
    ctx: typer.Context,
    session_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[SESSION]",
            help="Resume or revise this session; without it a new session starts.",
            show_default=False,
        ),
    ] = None,
    bank: Annotated[
        str | None,
        typer.Option("--bank", help="Bank id or path (new sessions: library-customer-service)."),
    ] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="The client's name, for a new session.")
    ] = None,
    consultant: Annotated[
        str | None, typer.Option("--consultant", help="Your name, shown on the brief.")
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers", metavar="FILE|-", help="Answers file (YAML or JSON); - is stdin."
        ),
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="ID=VALUE", help="One answer; wins over --answers."),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt: complete from files or exit 1.")
    ] = False,
    plain: Annotated[
        bool, typer.Option("--plain", help="Plain numbered prompts (also when stdin is a pipe).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the session as JSON when done.")
    ] = False,
    call_minutes: Annotated[
        int | None,
        typer.Option(
            "--call-minutes",
            metavar="N",
            min=1,
            help="The call's length: each question shows the minutes left.",
        ),
    ] = None,
) -> None:
    """Run an intake: live on a call, or from answers files with --no-input."""
    from csintake.interview.lifecycle import IntakeRequest, run_intake
    from csintake.store.store import Store

    request = IntakeRequest(session_id, bank, client, consultant, answers, sets or (), no_input)
    with user_errors():
        outcome = run_intake(
            Store(state(ctx).store), request, _Terminal(plain=plain, call_minutes=call_minutes)
        )
        session = outcome.opened.interview.session
        if outcome.problems:
            # The valid answers are saved: say where, on stdout as on success, so a script
            # can fix its file and complete the same session.
            _print_session(session, as_json)
            resume = outcome.resume_command()
            raise fail(
                [str(p) for p in outcome.problems]
                + [f"the valid answers are saved; complete the session with: {resume}"]
            )
        if outcome.exit_code:
            raise typer.Exit(outcome.exit_code)
        if as_json or outcome.scripted:
            _print_session(session, as_json)


class _Terminal:
    """The live side of an intake: prompts at the keyboard, messages on stderr."""

    def __init__(self, *, plain: bool, call_minutes: int | None) -> None:
        self.plain = plain
        self.call_minutes = call_minutes

    def ask_client(self) -> str:
        from csintake.live.loop import ask_client

        return ask_client(plain=self.plain)

    def run_live(self, opened: Opened) -> int:
        from csintake.live.loop import run_live

        return run_live(opened, plain=self.plain, call_minutes=self.call_minutes)

    def notice(self, line: str) -> None:
        typer.echo(line, err=True)

    def refused(self, problem: Problem) -> None:
        typer.echo(f"csintake: {problem}", err=True)


def _print_session(session: Session, as_json: bool) -> None:
    """The session as one JSON document, or its id alone (what a script captures)."""
    if as_json:
        typer.echo(json_text(session.to_data()))
    else:
        typer.echo(session.id)
