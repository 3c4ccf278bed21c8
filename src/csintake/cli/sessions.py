"""``csintake sessions`` and ``csintake show``."""

from __future__ import annotations

from typing import Annotated

import typer

from csintake.cli.common import console, state, user_errors
from csintake.printable import json_text

JsonOption = Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")]


def sessions(
    ctx: typer.Context,
    show_all: Annotated[
        bool, typer.Option("--all", help="Every session, one line each, not a screenful.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List the sessions in the store, newest first: as many as fit the screen."""
    from csintake.overview.index import list_sessions
    from csintake.store.store import Store
    from csintake.terminal.views import screenful, sessions_lines, sessions_table

    with user_errors():
        store = Store(state(ctx).store)
        rows = list_sessions(store)
        if as_json:
            typer.echo(json_text([r.to_data() for r in rows]))
            return
        if show_all:
            typer.echo("\n".join(sessions_lines(rows, store.root)))
            return
        out = console()
        out.print(sessions_table(rows, store.root, shown=screenful(out.height)))


def show(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(metavar="SESSION", help="The session's id.")],
    as_json: JsonOption = False,
) -> None:
    """Show a session's answers by section, with notes, skipped and parked questions."""
    from csintake.interview.intake import open_session
    from csintake.store.store import Store
    from csintake.terminal.views import session_view

    with user_errors():
        store = Store(state(ctx).store)
        if as_json:
            # The answers as stored need no bank: they can be read even when it is gone.
            session = store.load(session_id)
            typer.echo(json_text(session.to_data()))
            return
        # Showing never changes the session, not even the bank it records.
        opened = open_session(store, session_id, adopt=False)
        out = console()
        for line in opened.notices:
            typer.echo(line, err=True)
        out.print(session_view(opened.interview))
