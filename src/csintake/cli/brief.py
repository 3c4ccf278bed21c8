"""``csintake brief``: the training brief of a session, in the terminal or as a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from csintake.cli.common import console, print_or_write, state, user_errors
from csintake.formats import AskedFormat

AudienceName = Literal["internal", "client"]


def brief(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(metavar="SESSION", help="The session's id.")],
    fmt: Annotated[
        AskedFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="rich (terminal), markdown, json or html. Default: from -o's extension, "
            "else rich.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (.md, .json, .html, .txt picks the format).",
            dir_okay=False,
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            metavar="FILE",
            help="A Jinja2 template for the Markdown (or HTML) brief, instead of the shipped one.",
            dir_okay=False,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            metavar="HH:MM",
            help="When the day starts, for the timed agenda (default: the bank's brief.day).",
        ),
    ] = None,
    audience: Annotated[
        AudienceName,
        typer.Option(
            "--audience",
            "-a",
            help="internal (everything, marked internal) or client (what you send: no ids,"
            " notes, sensitive answers or internal flags).",
        ),
    ] = "internal",
) -> None:
    """The brief of a session as a proposal: what you told us, scope, agenda and timetable,
    delivery format, cost, what training won't fix, flags, assumptions, open questions."""
    from csintake.brief.export import export, pick_format
    from csintake.interview.intake import open_session
    from csintake.store.outputs import refuse_protected
    from csintake.store.profile import load_profile
    from csintake.store.store import Store

    with user_errors():
        chosen = pick_format(fmt, output, template)
        start = check_start(start)
        root = state(ctx).store
        if output is not None:
            refuse_protected(output, root)
        profile = load_profile(root)
        opened = open_session(Store(root), session_id)
        for line in opened.notices:
            typer.echo(f"csintake: {line}", err=True)
        if output is None and chosen == "rich":
            from csintake.brief import build_brief
            from csintake.brief.rich import render

            built = build_brief(opened.interview, profile=profile, start=start, audience=audience)
            console().print(render(built))
            return
        text = export(
            opened.interview, chosen, template, profile=profile, start=start, audience=audience
        )
        print_or_write(text, output, root)


def check_start(start: str | None) -> str | None:
    """``--start`` as HH:MM (``9:30`` becomes ``09:30``); anything else is a usage error."""
    import re

    from csintake.errors import UsageError

    if start is None:
        return None
    found = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", start.strip())
    if found is None:
        raise UsageError(f"--start '{start}' is not a clock time: give HH:MM, e.g. 09:00")
    return f"{int(found.group(1)):02d}:{found.group(2)}"
