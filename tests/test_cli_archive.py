"""``csintake archive``: a session put away leaves ``sessions`` and ``report``, and comes back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from csintake.cli import app
from csintake.store.store import Store
from helpers import MINIMAL_BANK, write_bank


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


@pytest.fixture
def session_id(runner: CliRunner, tmp_path: Path) -> str:
    bank = write_bank(tmp_path, MINIMAL_BANK)
    result = run(runner, "interview", "--client", "Demo", "--bank", str(bank), "--no-input",
                 "--set", "name=Demo")  # fmt: skip
    assert result.exit_code == 1, result.stderr  # still missing answers: kept in progress
    return result.stdout.strip()


def listed(runner: CliRunner) -> list[str]:
    result = run(runner, "sessions", "--json")
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


def test_archive_moves_a_session_out_of_the_listing_and_back(
    runner: CliRunner, csintake_home: Path, session_id: str
) -> None:
    original = (csintake_home / f"{session_id}.yaml").read_text("utf-8")
    assert listed(runner) == [session_id]

    result = run(runner, "archive", session_id)
    assert result.exit_code == 0, result.stderr
    assert f"Archived {session_id}" in result.stdout
    assert f"csintake archive --restore {session_id}" in result.stdout
    assert not (csintake_home / f"{session_id}.yaml").exists()
    assert (csintake_home / "archive" / f"{session_id}.yaml").read_text("utf-8") == original
    assert listed(runner) == []
    report = run(runner, "report", "--json")
    assert json.loads(report.stdout)["sessions"] == 0

    result = run(runner, "archive", "--restore", session_id)
    assert result.exit_code == 0, result.stderr
    assert (csintake_home / f"{session_id}.yaml").read_text("utf-8") == original
    assert not (csintake_home / "archive" / f"{session_id}.yaml").exists()
    assert listed(runner) == [session_id]


def test_archive_never_replaces_a_file(
    runner: CliRunner, csintake_home: Path, session_id: str
) -> None:
    assert run(runner, "archive", session_id).exit_code == 0
    # A session of the same id made again meanwhile: restoring must not overwrite it.
    (csintake_home / f"{session_id}.yaml").write_text("newer", encoding="utf-8")
    result = run(runner, "archive", "--restore", session_id)
    assert result.exit_code == 1
    assert "already there" in result.stderr
    assert "Traceback" not in result.stderr
    assert (csintake_home / f"{session_id}.yaml").read_text("utf-8") == "newer"
    assert (csintake_home / "archive" / f"{session_id}.yaml").is_file()


def test_archive_of_an_unknown_or_locked_session(
    runner: CliRunner, csintake_home: Path, session_id: str
) -> None:
    result = run(runner, "archive", "nosuch")
    assert result.exit_code == 1
    assert result.stderr.startswith("csintake: no session 'nosuch'")
    result = run(runner, "archive", "--restore", session_id)
    assert result.exit_code == 1
    assert "is already in the store" in result.stderr
    with Store(csintake_home).lock(session_id):
        result = run(runner, "archive", session_id)
    assert result.exit_code == 3
    assert (csintake_home / f"{session_id}.yaml").is_file()
