"""``csintake followup``: the message to send the client after the call (never sent)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csintake.cli.common import print_or_write, state, user_errors


class FollowupFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    eml = "eml"


def followup(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(metavar="SESSION", help="The session's id.")],
    fmt: Annotated[
        FollowupFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, markdown or eml. Default: from -o's extension, else text.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (.txt, .md, .eml picks the format).",
            dir_okay=False,
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="ADDR", help="The recipient of the .eml (none otherwise)."),
    ] = None,
) -> None:
    """The follow-up message: thanks, what was agreed, the open items as questions. Client-safe;
    nothing is sent."""
    from csintake.brief.followup import followup_text, pick_followup_format
    from csintake.interview.intake import open_session
    from csintake.store.store import Store

    with user_errors():
        chosen = pick_followup_format(
            fmt.value if fmt else None, output.suffix if output is not None else None
        )
        opened = open_session(Store(state(ctx).store), session_id)
        for line in opened.notices:
            typer.echo(f"csintake: {line}", err=True)
        text = followup_text(opened.interview, chosen, to)
        print_or_write(text, output, state(ctx).store)
