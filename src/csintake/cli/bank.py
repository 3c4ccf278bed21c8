"""``csintake bank``: list, show, check banks and print the bank format's JSON Schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csintake.cli.common import console, fail, state, user_errors
from csintake.printable import json_text

app = typer.Typer(help="List, show and check question banks.", no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
) -> None:
    """List the banks csintake can find: shipped ones and those in STORE/banks/."""
    from csintake.bank.catalog import list_banks
    from csintake.terminal.views import bank_table

    with user_errors():
        entries = list_banks(state(ctx).store)
        if as_json:
            typer.echo(
                json_text(
                    [
                        {
                            "id": e.id,
                            "version": e.version,
                            "title": e.title,
                            "questions": e.questions,
                            "path": str(e.path),
                            "origin": e.origin,
                            "problem": e.problem or None,
                        }
                        for e in entries
                    ]
                )
            )
            return
        console().print(bank_table(entries))


@app.command()
def show(
    ctx: typer.Context,
    bank: Annotated[str, typer.Argument(help="A bank id or the path of a bank file.")],
) -> None:
    """Draw a bank as a tree: sections, questions with type and condition, modules, flags."""
    from csintake.bank.catalog import find_bank
    from csintake.terminal.views import bank_tree

    with user_errors():
        loaded = find_bank(bank, state(ctx).store)
        console().print(bank_tree(loaded.bank, loaded.path))


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Bank files to check.", show_default=False)],
) -> None:
    """Check bank files and report every problem, one line each as FILE:LINE:COL: message."""
    from csintake.bank.loader import check_path
    from csintake.printable import one_line

    with user_errors():
        failed = False
        for path in paths:
            bank, _, problems = check_path(path, str(path))
            if problems:
                failed = True
                for problem in problems:
                    typer.echo(str(problem), err=True)
                continue
            assert bank is not None
            counts = ", ".join(
                _count(len(items), noun)
                for items, noun in (
                    (bank.sections, "section"),
                    (bank.questions, "question"),
                    (bank.brief.modules, "module"),
                    (bank.brief.flags, "flag"),
                )
            )
            # The version is free text from the file: one line, no control sequences.
            typer.echo(one_line(f"{path}: ok: {bank.id} {bank.version}, {counts}"))
        if failed:
            raise fail([], 1)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@app.command()
def schema() -> None:
    """Print a JSON Schema of the bank format, for editors' YAML support."""
    from csintake.bank.model import Bank

    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://csintake.invalid/schema/bank-1.json",
        **Bank.model_json_schema(),
    }
    typer.echo(json_text(document))


@app.command()
def coverage(
    path: Annotated[Path, typer.Argument(help="The bank file to search.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout.")] = False,
    bound: Annotated[
        int,
        typer.Option("--bound", min=1, help="The most sets of answers tried for each item."),
    ] = 2000,
) -> None:
    """Find answers that ask each question, keep each module and raise each flag.

    Every question, module or flag that no answers reach is one FILE:LINE:COL line, exit 1.
    """
    from csintake.authoring.coverage import as_data, summary_lines
    from csintake.authoring.coverage import coverage as search
    from csintake.bank.loader import load_bank
    from csintake.files.yamlfile import load_file

    with user_errors():
        loaded = load_bank(path, str(path))
        report = search(loaded, load_file(path, str(path)), bound)
        if as_json:
            typer.echo(json_text(as_data(report)))
        else:
            for line in summary_lines(report):
                typer.echo(line)
        problems = report.problems
        for problem in problems:
            typer.echo(str(problem), err=True)
        if problems:
            raise typer.Exit(1)


@app.command("test")
def test_(
    path: Annotated[Path, typer.Argument(help="The bank file.", show_default=False)],
) -> None:
    """Run the examples kept beside a bank (BANK.tests.yaml): one line each, then a summary.

    Exit 1 when any example fails, with what it expected and what the brief has.
    """
    from csintake.authoring.examples import outcome_lines, run_examples, summary, tests_path
    from csintake.bank.loader import load_bank

    with user_errors():
        loaded = load_bank(path, str(path))
        examples = tests_path(path)
        outcomes = run_examples(loaded, examples, str(examples))
        for outcome in outcomes:
            for line in outcome_lines(outcome):
                typer.echo(line)
        typer.echo(summary(outcomes))
        if not all(o.passed for o in outcomes):
            raise typer.Exit(1)
