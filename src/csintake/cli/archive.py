"""``csintake archive``: put a session away, or bring it back."""

from __future__ import annotations

from typing import Annotated

import typer

from csintake.cli.common import state, user_errors


def archive(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(metavar="SESSION", help="The session's id.")],
    restore: Annotated[
        bool, typer.Option("--restore", help="Bring an archived session back.")
    ] = False,
) -> None:
    """Move a session into STORE/archive/ (out of sessions and report); never deletes."""
    from csintake.store import archive as archiving
    from csintake.store.store import Store

    with user_errors():
        store = Store(state(ctx).store)
        if restore:
            where = archiving.restore(store, session_id)
            typer.echo(f"Restored {session_id}: {where}")
        else:
            where = archiving.archive(store, session_id)
            typer.echo(f"Archived {session_id}: {where}")
            typer.echo(f"Bring it back with: csintake archive --restore {session_id}")
