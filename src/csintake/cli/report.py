"""``csintake report``: what clients asked for, across every session in the store."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csintake.cli.common import console, state, user_errors
from csintake.printable import json_chunks


class Status(StrEnum):
    in_progress = "in_progress"
    complete = "complete"


def report(
    ctx: typer.Context,
    bank: Annotated[
        str | None, typer.Option("--bank", metavar="ID", help="Only sessions on this bank.")
    ] = None,
    status: Annotated[
        Status | None, typer.Option("--status", help="Only sessions with this status.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="DATE", help="Only sessions created on or after DATE (YYYY-MM-DD)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
    csv_file: Annotated[
        Path | None,
        typer.Option(
            "--csv", metavar="FILE", help="Write one row per session to FILE.", dir_okay=False
        ),
    ] = None,
) -> None:
    """Across all sessions: what "customer service" meant, flags, modules, time budgets."""
    from csintake.errors import UsageError, display_path
    from csintake.overview.report import Filters, build_report, csv_text
    from csintake.store.outputs import refuse_protected, write_export
    from csintake.store.store import Store
    from csintake.terminal.report import report_view

    with user_errors():
        if as_json and csv_file is not None:
            raise UsageError("--json and --csv cannot be used together")
        day: dt.date | None = None
        if since is not None:
            try:
                day = dt.date.fromisoformat(since.strip())
            except ValueError:
                raise UsageError(f"--since {since!r}: write a date as YYYY-MM-DD") from None
        store = Store(state(ctx).store)
        if csv_file is not None:
            refuse_protected(csv_file, store.root)
        filters = Filters(bank, status.value if status else None, day)
        # The table on screen counts; only --json and --csv list every session.
        found = build_report(store, filters, rows=as_json or csv_file is not None)
        if as_json:
            # A row at a time: a store's worth of rows is never held as data and as text.
            for chunk in json_chunks(found.to_data(streamed=True)):
                typer.echo(chunk, nl=False)
            typer.echo()
            return
        if csv_file is not None:
            write_export(csv_file, csv_text(found), store.root)
            typer.echo(f"Wrote {display_path(csv_file)} ({len(found.rows)} sessions)", err=True)
            return
        console().print(report_view(found, str(store.root)))
