"""``csintake bank test``: a bank's own examples, run against the brief it builds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from csintake.bank.catalog import shipped_dir
from csintake.cli import app

SHIPPED = shipped_dir() / "library-customer-service.yaml"
WRONG = """\
- name: right
  answers: {cs_meaning: behavior, minutes_available: 60}
  expect: {scope: behavior, flags: [short-session]}
- name: wrong on purpose
  answers: {cs_meaning: both, minutes_available: 90}
  expect:
    scope: offerings
    modules: [service-audit, why-service-matters]
    not_flags: [over-scoped]
"""


def copy_of_shipped(tmp_path: Path, examples: str) -> Path:
    bank = tmp_path / "mine.yaml"
    shutil.copyfile(SHIPPED, bank)
    (tmp_path / "mine.tests.yaml").write_text(examples, encoding="utf-8")
    return bank


def test_the_shipped_examples_pass(runner: CliRunner) -> None:
    result = runner.invoke(app, ["bank", "test", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) >= 9
    assert all(line.startswith("PASS  ") for line in lines[:-1])
    assert lines[-1] == f"{len(lines) - 1} passed, 0 failed"


def test_the_shipped_examples_cover_each_scope_and_budget() -> None:
    from csintake.files.yamlfile import load_file

    examples = load_file(SHIPPED.with_name("library-customer-service.tests.yaml")).value
    scopes = {e["answers"].get("cs_meaning") for e in examples}
    budgets = {e["answers"].get("minutes_available") for e in examples}
    assert {"behavior", "offerings", "both", "unsure"} <= scopes
    assert {60, 90, 210, 390, 780, 1170, 1560} <= budgets


def test_a_wrong_example_fails_with_a_diff(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["bank", "test", str(copy_of_shipped(tmp_path, WRONG))])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "PASS  right",
        "FAIL  wrong on purpose",
        "      scope",
        "        - expected: offerings",
        "        + actual:   both",
        "      modules (missing: service-audit)",
        "        - expected: service-audit, why-service-matters",
        "        + kept:     why-service-matters, communication-foundations, action-plan-follow-up",
        "      not_flags (unexpected: over-scoped)",
        "        - expected none of: over-scoped",
        # Both parts of the request get no room in an hour: each raises its warning.
        (
            "        + raised:           not-tied-to-plan, over-scoped, short-session,"
            " no-room-behaviour, no-room-offerings"
        ),
        "1 passed, 1 failed",
    ]


def test_unknown_ids_are_reported_at_their_place(runner: CliRunner, tmp_path: Path) -> None:
    examples = (
        "- name: x\n"
        "  answers: {nope: 1, cs_meaning: maybe}\n"
        "  expect: {modules: [zzz], not_flags: [nothing], colour: red}\n"
    )
    bank = copy_of_shipped(tmp_path, examples)
    result = runner.invoke(app, ["bank", "test", str(bank)])
    assert result.exit_code == 1
    where = tmp_path / "mine.tests.yaml"
    assert result.stderr.splitlines() == [
        f"csintake: {where}:2:13: unknown question 'nope'",
        f"csintake: {where}:2:34: cs_meaning: Choose one of: behavior, offerings, both, unsure",
        f"csintake: {where}:3:22: unknown module 'zzz'",
        f"csintake: {where}:3:40: unknown flag 'nothing'",
        f"csintake: {where}:3:50: unknown key 'colour'",
    ]
    assert result.stdout == ""


def test_a_tests_file_that_is_not_yaml(runner: CliRunner, tmp_path: Path) -> None:
    bank = copy_of_shipped(tmp_path, "- name: [x\n")
    result = runner.invoke(app, ["bank", "test", str(bank)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"csintake: {tmp_path / 'mine.tests.yaml'}:1:9: YAML syntax")
    assert "Traceback" not in result.output


def test_a_bank_without_examples(runner: CliRunner, tmp_path: Path) -> None:
    bank = tmp_path / "lonely.yaml"
    shutil.copyfile(SHIPPED, bank)
    result = runner.invoke(app, ["bank", "test", str(bank)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"csintake: {tmp_path / 'lonely.tests.yaml'}: no examples file beside the bank\n"
    )


def test_bank_list_does_not_take_examples_for_a_bank(runner: CliRunner) -> None:
    assert (shipped_dir() / "library-customer-service.tests.yaml").is_file()
    result = runner.invoke(app, ["bank", "list", "--json"])
    assert result.exit_code == 0
    assert [e["id"] for e in json.loads(result.stdout)] == ["library-customer-service"]
