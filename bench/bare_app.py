"""The reference for start-up: a bare typer app with csintake's commands, arguments and
options, and no bodies. ``csintake --help`` is measured against this app's ``--help``.

tests/test_startup.py checks that it keeps the same commands and options as csintake.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="csintake",
    help="Intake interviews that scope library customer-service training into a brief.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
bank_app = typer.Typer(help="List, show and check question banks.", no_args_is_help=True)
app.add_typer(bank_app, name="bank")
profile_app = typer.Typer(help="The consultant profile.", no_args_is_help=True)
app.add_typer(profile_app, name="profile")

Json = Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")]
SessionId = Annotated[str, typer.Argument(metavar="SESSION", help="The session's id.")]


class Format(StrEnum):
    rich = "rich"
    markdown = "markdown"
    json = "json"
    html = "html"


class Audience(StrEnum):
    internal = "internal"
    client = "client"


class FollowupFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    eml = "eml"


class Status(StrEnum):
    in_progress = "in_progress"
    complete = "complete"


@app.callback()
def main_options(
    store: Annotated[
        Path | None,
        typer.Option("--store", envvar="CSINTAKE_HOME", help="Folder of session files."),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Show the version.")] = False,
) -> None:
    """Intake interviews that scope library customer-service training into a brief."""


@app.command()
def interview(
    session_id: Annotated[str | None, typer.Argument(metavar="[SESSION]", help="Resume.")] = None,
    bank: Annotated[str | None, typer.Option("--bank", help="Bank id or path.")] = None,
    client: Annotated[str | None, typer.Option("--client", help="The client's name.")] = None,
    consultant: Annotated[str | None, typer.Option("--consultant", help="Your name.")] = None,
    answers: Annotated[str | None, typer.Option("--answers", help="Answers file.")] = None,
    sets: Annotated[list[str] | None, typer.Option("--set", help="One answer.")] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="Plain numbered prompts.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The session as JSON.")] = False,
    call_minutes: Annotated[int | None, typer.Option("--call-minutes", help="Length.")] = None,
) -> None:
    """Run an intake: live on a call, or from answers files with --no-input."""


@app.command()
def sessions(
    show_all: Annotated[bool, typer.Option("--all", help="Every session.")] = False,
    as_json: Json = False,
) -> None:
    """List the sessions in the store, newest first."""


@app.command()
def show(session_id: SessionId, as_json: Json = False) -> None:
    """Show a session's answers by section."""


@app.command()
def brief(
    session_id: SessionId,
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="The format.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
    template: Annotated[Path | None, typer.Option("--template", help="A template.")] = None,
    start: Annotated[str | None, typer.Option("--start", help="When the day starts.")] = None,
    audience: Annotated[
        Audience, typer.Option("--audience", "-a", help="internal or client.")
    ] = Audience.internal,
) -> None:
    """The scoped training brief of a session."""


@app.command()
def followup(
    session_id: SessionId,
    fmt: Annotated[
        FollowupFormat | None, typer.Option("--format", "-f", help="The format.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="The recipient.")] = None,
) -> None:
    """The follow-up message after the call."""


@app.command()
def report(
    bank: Annotated[str | None, typer.Option("--bank", help="Only this bank.")] = None,
    status: Annotated[Status | None, typer.Option("--status", help="Only this status.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only since DATE.")] = None,
    as_json: Json = False,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="Write CSV to FILE.")] = None,
) -> None:
    """Across all sessions: what "customer service" meant, flags, modules, time budgets."""


@app.command()
def archive(
    session_id: SessionId,
    restore: Annotated[bool, typer.Option("--restore", help="Bring it back.")] = False,
) -> None:
    """Move a session into STORE/archive/."""


@bank_app.command("list")
def list_(as_json: Json = False) -> None:
    """List the banks csintake can find."""


@bank_app.command("show")
def bank_show(bank: Annotated[str, typer.Argument(help="A bank id or path.")]) -> None:
    """Draw a bank as a tree."""


@bank_app.command()
def check(paths: Annotated[list[Path], typer.Argument(help="Bank files to check.")]) -> None:
    """Check bank files."""


@bank_app.command()
def schema() -> None:
    """Print a JSON Schema of the bank format."""


@bank_app.command()
def coverage(
    path: Annotated[Path, typer.Argument(help="The bank file to search.")],
    as_json: Json = False,
    bound: Annotated[int, typer.Option("--bound", help="Sets of answers per item.")] = 2000,
) -> None:
    """Find answers that reach each question, module and flag."""


@bank_app.command("test")
def test_(path: Annotated[Path, typer.Argument(help="The bank file.")]) -> None:
    """Run the examples kept beside a bank."""


@profile_app.command("show")
def profile_show(as_json: Json = False) -> None:
    """Show the profile."""


@profile_app.command("set")
def profile_set(
    key: Annotated[str, typer.Argument(help="The key.")],
    value: Annotated[str, typer.Argument(help="The value.")],
) -> None:
    """Set one value of the profile."""


if __name__ == "__main__":
    app()
