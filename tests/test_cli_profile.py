"""``csintake profile show|set`` and the brief it prices, through the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csintake.cli import app
from test_brief_render import BOTH_HALF_DAY
from test_cli_brief import make_session


def run(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, list(args))


def test_show_without_a_profile_says_how_to_start_one(runner: CliRunner) -> None:
    result = run(runner, "profile", "show")
    assert result.exit_code == 0, result.stderr
    assert "No profile yet" in result.stdout
    assert "csintake profile set name NAME" in result.stdout
    assert json.loads(run(runner, "profile", "show", "--json").stdout) is None


def test_set_then_show(runner: CliRunner, csintake_home: Path) -> None:
    for key, value in (
        ("name", "Dana Reyes"),
        ("organisation", "Reyes Library Consulting"),
        ("rates.210", "1,800"),
        ("rates.90", "750"),
        ("extra_facilitator", "600"),
        ("travel", "120.50"),
    ):
        result = run(runner, "profile", "set", key, value)
        assert result.exit_code == 0, result.stderr
    shown = run(runner, "profile", "show")
    assert shown.exit_code == 0
    assert "name: Dana Reyes" in shown.stdout
    assert "up to 90 minutes: USD 750\n  up to 210 minutes: USD 1,800" in shown.stdout
    assert "travel: USD 120.50" in shown.stdout
    data = json.loads(run(runner, "profile", "show", "--json").stdout)
    assert data == {
        "name": "Dana Reyes",
        "organisation": "Reyes Library Consulting",
        "currency": "USD",
        "rates": {"90": 750, "210": 1800},
        "extra_facilitator": 600,
        "travel": 120.5,
    }
    assert (csintake_home / "profile.yaml").is_file()
    # The profile is not a session.
    listing = run(runner, "sessions")
    assert listing.exit_code == 0
    assert "profile" not in listing.stdout


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("colour", "unknown profile key 'colour': choose one of name, organisation,"),
        ("rates.half", "'rates.half': a rate is set as rates.MINUTES, e.g. rates.210"),
        ("rates.0", "'rates.0': a rate is set as rates.MINUTES"),
    ],
)
def test_a_bad_key_is_a_usage_error(
    runner: CliRunner, csintake_home: Path, key: str, message: str
) -> None:
    result = run(runner, "profile", "set", key, "1")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"csintake: {message}")
    assert result.stderr.count("\n") == 1
    assert not (csintake_home / "profile.yaml").exists()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("travel", "a lot", "travel: 'a lot' is not a number"),
        ("rates.210", "-5", "rates.210: must be 0 or more"),
        ("currency", "dollars", "currency: a currency is a three-letter code such as USD"),
    ],
)
def test_a_bad_value_is_one_line_and_changes_nothing(
    runner: CliRunner, csintake_home: Path, key: str, value: str, message: str
) -> None:
    assert run(runner, "profile", "set", "name", "Dana Reyes").exit_code == 0
    before = (csintake_home / "profile.yaml").read_text(encoding="utf-8")
    # `--` so that -5 reaches the command as a value, not as an option.
    result = run(runner, "profile", "set", "--", key, value)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"csintake: {message}")
    assert result.stderr.count("\n") == 1
    assert (csintake_home / "profile.yaml").read_text(encoding="utf-8") == before


def test_a_bad_value_in_the_file_is_located(runner: CliRunner, csintake_home: Path) -> None:
    (csintake_home / "profile.yaml").write_text(
        "name: Dana Reyes\nrates:\n  210: lots\nfee: 3\n", encoding="utf-8"
    )
    result = run(runner, "profile", "show")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("csintake: ") and ":3:8: " in line for line in lines), lines
    assert any(":4:1: unknown key 'fee'" in line for line in lines), lines
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ the brief it prices


@pytest.fixture
def large(runner: CliRunner, csintake_home: Path) -> str:
    return make_session(runner, csintake_home, BOTH_HALF_DAY)


def test_brief_without_a_profile_shows_no_fee(runner: CliRunner, large: str) -> None:
    result = run(runner, "brief", large, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    cost = result.stdout.split("## Cost", 1)[1].split("\n## ", 1)[0]
    assert "No consultant profile yet, so no fee is shown" in cost
    assert "USD" not in cost
    assert "Consultant's fee" not in cost


def test_brief_with_a_profile_shows_the_fee(runner: CliRunner, large: str) -> None:
    for key, value in (("rates.210", "1800"), ("extra_facilitator", "600")):
        assert run(runner, "profile", "set", key, value).exit_code == 0
    result = run(runner, "brief", large, "--format", "json")
    assert result.exit_code == 0, result.stderr
    cost = json.loads(result.stdout)["proposal"]["cost"]
    assert cost["total"] == "USD 3,000"
    assert [line["amount"] for line in cost["fee"]] == [1800, 1200]


def test_brief_with_a_damaged_profile_fails_with_its_location(
    runner: CliRunner, large: str, csintake_home: Path
) -> None:
    (csintake_home / "profile.yaml").write_text("currency: 12\n", encoding="utf-8")
    result = run(runner, "brief", large)
    assert result.exit_code == 1
    assert "profile.yaml:1:11: currency must be text" in result.stderr
    assert result.stdout == ""


def test_brief_start_moves_the_timetable(runner: CliRunner, large: str) -> None:
    default = run(runner, "brief", large, "--format", "markdown")
    assert "| 09:00–09:30 | Why service matters here | 30 |" in default.stdout
    later = run(runner, "brief", large, "--format", "markdown", "--start", "13:00")
    assert later.exit_code == 0, later.stderr
    assert "| 13:00–13:30 | Why service matters here | 30 |" in later.stdout
    assert "| 14:30–14:45 | *Break* | 15 |" in later.stdout
    short = run(runner, "brief", large, "--format", "json", "--start", "8:30")
    assert json.loads(short.stdout)["proposal"]["timetable"]["start"] == "08:30"


@pytest.mark.parametrize("start", ["9am", "25:00", "09:60", ""])
def test_brief_start_must_be_a_clock_time(runner: CliRunner, large: str, start: str) -> None:
    result = run(runner, "brief", large, "--start", start)
    assert result.exit_code == 2
    assert result.stderr == (
        f"csintake: --start '{start}' is not a clock time: give HH:MM, e.g. 09:00\n"
    )
    assert result.stdout == ""
