"""``csintake brief``: the training brief of a session, in the terminal or as a file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csintake.cli.common import console, print_or_write, state, user_errors


class AudienceName(StrEnum):
    internal = "internal"
    client = "client"


class Format(StrEnum):
    rich = "rich"
    markdown = "markdown"
    json = "json"
    html = "html"


def brief(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(metavar="SESSION", help="The session's id.")],
    fmt: Annotated[
        Format | None,
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
    audience: Annotated[
        AudienceName,
        typer.Option(
            "--audience",
            "-a",
            help="internal (everything, marked internal) or client (what you send: no ids,"
            " notes, sensitive answers or internal flags).",
        ),
    ] = AudienceName.internal,
) -> None:
    """The scoped training brief of a session: scope, agenda, flags, open questions."""
    from csintake.brief.export import export, pick_format
    from csintake.intake import open_session
    from csintake.store import Store

    with user_errors():
        chosen = pick_format(fmt.value if fmt else None, output, template)
        opened = open_session(Store(state(ctx).store), session_id)
        for line in opened.notices:
            typer.echo(f"csintake: {line}", err=True)
        if output is None and chosen == "rich":
            from csintake.brief import build_brief
            from csintake.brief.rich import render

            console().print(render(build_brief(opened.interview, audience=audience.value)))
            return
        text = export(opened.interview, chosen, template, audience=audience.value)
        print_or_write(text, output)
