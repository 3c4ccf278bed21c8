"""A bank that changed under a session: it resumes, says what no longer fits, and drops
nothing from the file, not even after further saves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from csintake.cli import app
from csintake.store.store import Store

OLD_BANK: dict[str, Any] = {
    "format": "csintake/bank@1",
    "id": "changing",
    "version": "1.0.0",
    "title": "A bank that changes",
    "sections": [
        {
            "id": "only",
            "title": "Only",
            "questions": [
                {"id": "name", "type": "text", "prompt": "Name?"},
                {"id": "gone", "type": "text", "prompt": "Soon removed?"},
                {
                    "id": "kind",
                    "type": "choice",
                    "prompt": "Kind?",
                    "choices": [{"value": "a"}, {"value": "b"}, {"value": "old"}],
                },
                {
                    "id": "where",
                    "type": "multi_choice",
                    "prompt": "Where?",
                    "choices": [{"value": "desk"}, {"value": "phone"}, {"value": "fax"}],
                },
                {"id": "count", "type": "integer", "prompt": "How many?"},
                {"id": "story", "type": "long_text", "prompt": "Story?"},
            ],
        }
    ],
    "brief": {"scope": "kind"},
}
ANSWERS = {
    "name": "Ames",
    "gone": "Kept anyway",
    "kind": "old",
    "where": ["desk", "fax"],
    "count": 12,
    "story": ("A long story " * 20).strip(),
}


def new_bank() -> dict[str, Any]:
    """Lost `gone`, gained `added`, `kind` lost its `old` choice, `where` lost `fax`,
    `count` became yes/no, and `story` got shorter than its answer."""
    bank: dict[str, Any] = yaml.safe_load(yaml.safe_dump(OLD_BANK))
    bank["version"] = "2.0.0"
    questions = bank["sections"][0]["questions"]
    questions[:] = [q for q in questions if q["id"] != "gone"]
    by_id = {q["id"]: q for q in questions}
    by_id["kind"]["choices"] = [{"value": "a"}, {"value": "b"}]
    by_id["where"]["choices"] = [{"value": "desk"}, {"value": "phone"}]
    by_id["count"] = {"id": "count", "type": "yes_no", "prompt": "Any?"}
    questions[[q["id"] for q in questions].index("count")] = by_id["count"]
    by_id["story"]["max_length"] = 20
    questions.append({"id": "added", "type": "text", "prompt": "New question?"})
    return bank


EXPECTED_LINES = [
    "The bank has changed since this session was saved (changing 1.0.0 -> changing 2.0.0).",
    "  gone: the bank no longer has this question",
    "  kind: Choose one of: a, b",
    "  where: 'fax' is not a choice; choose from: desk, phone",
    "  count: Answer yes or no",
    "  story: Enter at most 20 characters",
]


@pytest.fixture
def changed(tmp_path: Path, csintake_home: Path, runner: CliRunner) -> tuple[str, Path]:
    """A complete session on the old bank, whose file then changes."""
    bank = tmp_path / "changing.yaml"
    bank.write_text(yaml.safe_dump(OLD_BANK), encoding="utf-8")
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(ANSWERS), encoding="utf-8")
    args = ["interview", "--no-input", "--client", "Ames", "--bank", str(bank)]
    made = runner.invoke(app, [*args, "--answers", str(answers)])
    assert made.exit_code == 0, made.stderr
    sid = made.stdout.strip()
    bank.write_text(yaml.safe_dump(new_bank()), encoding="utf-8")
    return sid, csintake_home / f"{sid}.yaml"


def stored(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def assert_differences_listed(stderr: str) -> None:
    for expected in EXPECTED_LINES:
        assert any(line.startswith(expected) for line in stderr.splitlines()), (
            expected,
            stderr,
        )


def test_show_lists_the_differences_and_changes_nothing(
    changed: tuple[str, Path], runner: CliRunner
) -> None:
    sid, path = changed
    before = path.read_bytes()
    shown = runner.invoke(app, ["show", sid])
    assert shown.exit_code == 0, shown.stderr
    assert_differences_listed(shown.stderr)
    assert "New question?" in shown.stdout  # the gained question, not answered yet
    assert path.read_bytes() == before


def test_brief_of_a_changed_bank_still_renders(
    changed: tuple[str, Path], runner: CliRunner
) -> None:
    sid, path = changed
    for fmt in ("rich", "markdown", "json", "html"):
        result = runner.invoke(app, ["brief", sid, "--format", fmt])
        assert result.exit_code == 0, (fmt, result.stderr)
        assert "The bank has changed" in result.stderr
    assert stored(path)["answers"] == ANSWERS


def test_scripted_resume_lists_the_differences_and_keeps_every_answer(
    changed: tuple[str, Path], runner: CliRunner
) -> None:
    sid, path = changed
    result = runner.invoke(app, ["interview", sid, "--no-input"])
    assert result.exit_code == 1
    assert_differences_listed(result.stderr)
    assert "missing answer: added (New question?)" in result.stderr
    data = stored(path)
    assert data["answers"] == ANSWERS  # saved again, nothing dropped
    assert data["status"] == "in_progress"
    assert data["bank"]["version"] == "2.0.0"

    # Answering what changed completes it; the old values stay in the file.
    sets = ["added=Yes", "kind=b", "count=yes", "where=desk", "story=Short now"]
    args = ["interview", sid, "--no-input"]
    done = runner.invoke(app, [*args, *(part for s in sets for part in ("--set", s))])
    assert done.exit_code == 0, done.stderr
    data = stored(path)
    assert data["status"] == "complete"
    assert data["answers"]["gone"] == "Kept anyway"  # its question is gone, the answer stays
    replaced = {(c["question"], repr(c["old"])) for c in data["history"]}
    for qid in ("kind", "where", "count", "story"):
        assert (qid, repr(ANSWERS[qid])) in replaced, qid
    again = runner.invoke(app, ["show", sid])
    assert again.exit_code == 0
    assert "gone: the bank no longer has this question" in again.stderr
    assert "kind:" not in again.stderr


def test_the_old_bank_back_again_uses_the_old_answers(
    changed: tuple[str, Path], runner: CliRunner, tmp_path: Path
) -> None:
    sid, path = changed
    assert runner.invoke(app, ["interview", sid, "--no-input"]).exit_code == 1
    (tmp_path / "changing.yaml").write_text(yaml.safe_dump(OLD_BANK), encoding="utf-8")
    result = runner.invoke(app, ["interview", sid, "--no-input"])
    assert result.exit_code == 0, result.stderr
    assert "no longer fit" not in result.stderr
    assert Store(path.parent).load(sid).answers == ANSWERS


def test_a_broken_or_missing_bank_stops_with_one_line_and_touches_nothing(
    changed: tuple[str, Path], runner: CliRunner, tmp_path: Path
) -> None:
    sid, path = changed
    before = path.read_bytes()
    bank = tmp_path / "changing.yaml"
    bank.write_text("format: csintake/bank@1\nid: [changing\n", encoding="utf-8")
    for command in (["show", sid], ["interview", sid, "--no-input"], ["brief", sid]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, command
        assert result.stderr.startswith(f"csintake: {bank}:"), result.stderr
    bank.unlink()
    for command in (["show", sid], ["interview", sid, "--no-input"], ["brief", sid]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, command
        assert result.stderr.splitlines() == [
            "csintake: no bank with id 'changing' (known: library-customer-service)"
        ]
    # The answers can still be read without their bank, and nothing was written.
    shown = runner.invoke(app, ["show", sid, "--json"])
    assert shown.exit_code == 0
    assert path.read_bytes() == before
