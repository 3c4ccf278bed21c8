"""The command line: options are declared here and in the command modules; work is done in
the domain modules. Heavy imports happen inside commands so that start-up stays quick."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csintake import __version__
from csintake.cli import archive as archive_commands
from csintake.cli import bank as bank_commands
from csintake.cli import brief as brief_commands
from csintake.cli import followup as followup_commands
from csintake.cli import interview as interview_commands
from csintake.cli import profile as profile_commands
from csintake.cli import report as report_commands
from csintake.cli import sessions as sessions_commands
from csintake.cli.common import State

app = typer.Typer(
    name="csintake",
    help="Intake interviews that scope library customer-service training into a brief.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.command()(interview_commands.interview)
app.command()(sessions_commands.sessions)
app.command()(sessions_commands.show)
app.command()(brief_commands.brief)
app.command()(followup_commands.followup)
app.command()(report_commands.report)
app.command()(archive_commands.archive)
app.add_typer(bank_commands.app, name="bank")
app.add_typer(profile_commands.app, name="profile")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csintake {__version__}")
        raise typer.Exit


@app.callback()
def main_options(
    ctx: typer.Context,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            envvar="CSINTAKE_HOME",
            help="Folder of session files (default: the user data folder).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Intake interviews that scope library customer-service training into a brief."""
    ctx.obj = State(store)


def main() -> None:
    """The console script."""
    app()
