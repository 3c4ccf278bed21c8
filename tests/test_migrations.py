"""Migrations: a session recorded on an earlier version of its bank resumes on the new one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from csintake.bank.model import Bank
from csintake.cli import app
from csintake.files.yamlfile import load_file, load_text
from csintake.interview.migration import migrate
from csintake.store.session import BankRef, Session
from helpers import MINIMAL_BANK, write_bank

ANSWERS = {
    "name": "Ames Public Library",
    "meaning": "behavior",
    "minutes": 120,
    "staff": 30,
    "rating": 4,
    "channels": ["desk"],
    "trained": True,
}
# 1.1.0 calls `staff` `staff_count`, offers 150 minutes instead of 120, and drops `rating`.
NEW_VERSION = (
    MINIMAL_BANK.replace("version: 1.0.0", "version: 1.1.0")
    .replace("      - id: staff\n", "      - id: staff_count\n")
    .replace("{value: 120, label: Two hours}", "{value: 150, label: Two and a half hours}")
    .replace("when: staff > 25", "when: staff_count > 25")
    .replace("{staff} staff", "{staff_count} staff")
    .replace(
        "      - id: rating\n        type: scale\n"
        "        prompt: How well do staff greet patrons?\n"
        "        min: 1\n        max: 5\n        labels: {1: Poor, 5: Great}\n",
        "",
    )
    + "migrations:\n"
    "  - from: '1.0.0'\n"
    "    rename: {staff: staff_count}\n"
    "    values: {minutes: {120: 150}}\n"
)


def start_session(runner: CliRunner, home: Path, bank: Path) -> str:
    answers = home.parent / "answers.json"
    answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
    args = ["interview", "--bank", str(bank), "--client", "Ames", "--no-input"]
    result = runner.invoke(app, [*args, "--answers", str(answers)])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def recorded_then_changed(
    runner: CliRunner, home: Path, tmp_path: Path, new_text: str = NEW_VERSION
) -> str:
    """A session recorded on the bank's 1.0.0, whose file then becomes ``new_text``."""
    bank = write_bank(tmp_path, MINIMAL_BANK)
    session = start_session(runner, home, bank)
    bank.write_text(new_text, encoding="utf-8")
    return session


def stored(home: Path, session: str) -> Any:
    return load_file(home / f"{session}.yaml").value


def test_a_session_resumes_on_the_new_version_with_its_answers_moved(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    session = recorded_then_changed(runner, csintake_home, tmp_path)

    result = runner.invoke(app, ["interview", session, "--no-input"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "The bank has changed since this session was saved (mini 1.0.0 -> mini 1.1.0).",
        "Answers migrated to the bank's new version (mini 1.0.0 -> 1.1.0):",
        "  staff -> staff_count",
        "  minutes: 120 -> 150",
        "Answers that no longer fit the bank (kept in the file, not used):",
        "  rating: the bank no longer has this question",
    ]
    data = stored(csintake_home, session)
    assert data["bank"]["version"] == "1.1.0"
    assert data["answers"]["staff_count"] == 30
    assert "staff" not in data["answers"]
    assert data["answers"]["minutes"] == 150
    # What no migration maps is kept as it was.
    assert data["answers"]["rating"] == 4
    migrated = [h for h in data["history"] if h.get("source") == "migration"]
    assert [(h["question"], h["old"], h["new"]) for h in migrated] == [
        ("staff", 30, None),
        ("staff_count", None, 30),
        ("minutes", 120, 150),
    ]

    # The new id is what the brief reads, and the second resume has nothing to migrate.
    brief = runner.invoke(app, ["brief", session, "--format", "json"])
    assert "large-group" in [f["id"] for f in json.loads(brief.stdout)["flags"]]
    again = runner.invoke(app, ["interview", session, "--no-input"])
    assert "migrated" not in again.stderr


def test_show_says_what_would_be_migrated_and_writes_nothing(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    session = recorded_then_changed(runner, csintake_home, tmp_path)
    before = (csintake_home / f"{session}.yaml").read_bytes()

    result = runner.invoke(app, ["show", session])
    assert result.exit_code == 0, result.output
    assert (
        "Answers shown migrated to the bank's new version (mini 1.0.0 -> 1.1.0);"
        " the session file changes at the next interview:"
    ) in result.stderr
    assert "  staff -> staff_count" in result.stderr
    # The answer is shown under its question as the new version has it.
    row = next(line for line in result.stdout.splitlines() if "How many staff?" in line)
    assert "30" in row
    assert (csintake_home / f"{session}.yaml").read_bytes() == before


def test_a_migration_from_another_version_is_not_applied(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    changed = NEW_VERSION.replace("from: '1.0.0'", "from: '0.9.0'")
    session = recorded_then_changed(runner, csintake_home, tmp_path, changed)
    result = runner.invoke(app, ["interview", session, "--no-input"])
    # `staff_count` is required and unanswered; `staff` is kept and listed.
    assert result.exit_code == 1
    assert "  staff: the bank no longer has this question" in result.stderr
    assert "migrated" not in result.stderr
    assert stored(csintake_home, session)["answers"]["staff"] == 30


def test_bank_check_reports_migrations_that_name_unknown_ids(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = NEW_VERSION.replace("rename: {staff: staff_count}", "rename: {staff: head_count}")
    text = text.replace(
        "values: {minutes: {120: 150}}", "values: {minutes: {120: 180}, nope: {a: b}}"
    )
    text += "  - from: '1.1.0'\n    rename: {name: title}\n"
    path = write_bank(tmp_path, text)
    result = runner.invoke(app, ["bank", "check", str(path)])
    assert result.exit_code == 1
    lines = text.splitlines()
    rename = next(i for i, line in enumerate(lines, 1) if "head_count" in line)
    values = next(i for i, line in enumerate(lines, 1) if "180" in line)
    last = len(lines)
    assert result.stderr.splitlines() == [
        f"{path}:{rename}:21: rename names unknown question 'head_count'",
        f"{path}:{values}:29: 180 is not a choice of 'minutes'",
        f"{path}:{values}:35: values names unknown question 'nope'",
        f"{path}:{last - 1}:11: a migration from '1.1.0' is this version",
        f"{path}:{last}:14: 'name' is still a question of this bank: it cannot be renamed",
        f"{path}:{last}:20: rename names unknown question 'title'",
    ]


# ----------------------------------------------------------------------------- the domain


def _session(answers: dict[str, Any], **extra: Any) -> Session:
    ref = BankRef(id="mini", version="1.0.0", sha256="0" * 64, path="")
    return Session(id="s", bank=ref, client="Ames", answers=answers, **extra)


def _bank(text: str) -> Bank:
    return Bank.model_validate(load_text(text, "bank.yaml").value)


def test_notes_skips_and_parks_follow_a_renamed_question() -> None:
    session = _session(
        {"staff": 30}, notes={"staff": "roughly"}, follow_up=["staff"], sources={"staff": "file"}
    )
    migrated = migrate(session, _bank(NEW_VERSION))
    assert migrated is not None
    assert session.notes == {"staff_count": "roughly"}
    assert session.follow_up == ["staff_count"]
    assert session.sources == {"staff_count": "file"}


def test_multi_choice_values_are_mapped_one_by_one() -> None:
    text = NEW_VERSION.replace(
        "values: {minutes: {120: 150}}", "values: {channels: {counter: desk}}"
    )
    session = _session({"channels": ["counter", "phone"]})
    migrated = migrate(session, _bank(text))
    assert migrated is not None
    assert migrated.changes == ("channels: [counter, phone] -> [desk, phone]",)
    assert session.answers == {"channels": ["desk", "phone"]}


def test_a_rename_onto_an_answered_question_keeps_both() -> None:
    session = _session({"staff": 30, "staff_count": 31})
    migrated = migrate(session, _bank(NEW_VERSION))
    assert migrated is not None
    assert migrated.changes == ("staff: kept as it is ('staff_count' is already answered)",)
    assert session.answers == {"staff": 30, "staff_count": 31}
    assert session.history == []


def test_the_live_interview_says_what_was_migrated(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    from csintake.interview.intake import open_session
    from csintake.live import loop as live
    from csintake.live.prompts.scripted import ScriptedPrompts
    from csintake.store.store import Store

    session = recorded_then_changed(runner, csintake_home, tmp_path)
    opened = open_session(Store(csintake_home), session)
    ui = ScriptedPrompts.of([])
    live.run(opened, ui)
    said = [text for text, _style in ui.said]
    assert "Answers migrated to the bank's new version (mini 1.0.0 -> 1.1.0):" in said
    assert "  staff -> staff_count" in said
    assert said.index("  staff -> staff_count") < said.index("  minutes: 120 -> 150")
