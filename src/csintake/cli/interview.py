"""``csintake interview``: a live intake on a call, or a scripted one from files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from csintake.cli.common import fail, state, user_errors
from csintake.printable import json_text

if TYPE_CHECKING:
    from csintake.session import Session


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
) -> None:
    """Run an intake: live on a call, or from answers files with --no-input."""
    from csintake.errors import SessionNotFoundError, UsageError
    from csintake.intake import (
        apply_scripted,
        new_session,
        open_session,
        parse_sets,
        read_answers,
    )
    from csintake.store import Store

    with user_errors():
        store = Store(state(ctx).store)
        set_values = parse_sets(sets or [])
        answers_doc = read_answers(answers) if answers else None
        # Answers read from stdin leave nothing to prompt from.
        scripted = no_input or answers == "-"
        fresh = session_id is None
        if session_id is None:
            if client is None:
                if scripted:
                    raise UsageError("a new session needs --client NAME")
                from csintake.live import ask_client

                client = ask_client(plain=plain)
            opened = new_session(store, client, bank, consultant)
            session_id = opened.interview.session.id
        elif not store.exists(session_id):
            raise SessionNotFoundError(f"no session '{session_id}' in {store.root}")
        with store.lock(session_id):
            if not fresh:
                opened = open_session(store, session_id, bank)
                if consultant:
                    opened.interview.session.consultant = consultant
                if scripted:
                    # The live interview shows them with where the session stands.
                    for line in opened.notices:
                        typer.echo(line, err=True)
            if answers_doc is not None or set_values or scripted:
                problems = apply_scripted(
                    opened.interview, answers_doc, set_values, finish=scripted
                )
                if scripted and problems:
                    # The valid answers are saved: say where, on stdout as on success, so
                    # a script can fix its file and complete the same session.
                    _print_session(opened.interview.session, as_json)
                    resume = f"{opened.resume_command()} --no-input --answers FILE"
                    raise fail(
                        [str(p) for p in problems]
                        + [f"the valid answers are saved; complete the session with: {resume}"]
                    )
                for problem in problems:
                    typer.echo(f"csintake: {problem}", err=True)
            if not scripted:
                from csintake.live import run_live

                code = run_live(opened, plain=plain)
                if code:
                    raise typer.Exit(code)
        if as_json or scripted:
            _print_session(opened.interview.session, as_json)


def _print_session(session: Session, as_json: bool) -> None:
    """The session as one JSON document, or its id alone (what a script captures)."""
    if as_json:
        typer.echo(json_text(session.to_data()))
    else:
        typer.echo(session.id)
