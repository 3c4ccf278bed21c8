"""``csintake bank list|show|check|schema`` and the global ``--version``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import csintake
from csintake.cli import app
from helpers import MINIMAL_BANK, write_bank

SHIPPED_ID = "library-customer-service"


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


def assert_clean_failure(result: Result, code: int = 1) -> None:
    """A user error: the exit code, a message on stderr, no traceback anywhere."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.strip()


def broken_bank(tmp_path: Path, name: str = "broken.yaml") -> tuple[Path, str]:
    """A bank with two problems on known lines; its path and text."""
    text = MINIMAL_BANK.replace(
        "        min_length: 2\n", "        min_length: 2\n        colour: red\n"
    ).replace("        max: 100\n", "        max: 0\n")
    return write_bank(tmp_path, text, name), text


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -------------------------------------------------------------------------- bank list


def test_bank_list_shows_the_shipped_bank(runner: CliRunner) -> None:
    result = run(runner, "bank", "list")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Question banks" in out
    assert "1.0.0" in out
    assert "Library customer" in out
    assert "54" in out  # questions
    assert "shipped" in out
    assert result.stderr == ""


def test_bank_list_shows_the_whole_id_in_a_wide_terminal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    result = run(runner, "bank", "list")
    assert result.exit_code == 0, result.stderr
    assert SHIPPED_ID in result.stdout
    assert "Library customer service training intake" in result.stdout


def test_bank_list_never_breaks_an_id(runner: CliRunner) -> None:
    result = run(runner, "bank", "list")
    assert SHIPPED_ID in result.stdout


def test_bank_list_json_is_one_document(runner: CliRunner, csintake_home: Path) -> None:
    result = run(runner, "bank", "list", "--json")
    assert result.exit_code == 0, result.stderr
    entries = json.loads(result.stdout)
    assert isinstance(entries, list)
    (shipped,) = [e for e in entries if e["id"] == SHIPPED_ID]
    assert shipped["version"] == "1.0.0"
    assert shipped["title"] == "Library customer service training intake"
    assert shipped["origin"] == "shipped"
    assert 45 <= shipped["questions"] <= 60
    assert Path(shipped["path"]).name == f"{SHIPPED_ID}.yaml"
    assert Path(shipped["path"]).is_file()
    assert shipped["problem"] is None


def test_bank_list_json_lists_banks_in_the_store(runner: CliRunner, csintake_home: Path) -> None:
    (csintake_home / "banks").mkdir()
    mine = write_bank(csintake_home / "banks", MINIMAL_BANK, "mini.yaml")
    result = run(runner, "bank", "list", "--json")
    assert result.exit_code == 0, result.stderr
    entries = json.loads(result.stdout)
    assert [e["id"] for e in entries] == [SHIPPED_ID, "mini"]
    stored = entries[1]
    assert stored == {
        "id": "mini",
        "version": "1.0.0",
        "title": "Mini bank",
        "questions": 8,
        "path": str(mine),
        "origin": "store",
        "problem": None,
    }


def test_bank_list_honours_the_store_option(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "banks").mkdir()
    write_bank(tmp_path / "banks", MINIMAL_BANK, "mini.yml")
    result = run(runner, "--store", str(tmp_path), "bank", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert [e["origin"] for e in json.loads(result.stdout)] == ["shipped", "store"]


def test_bank_list_shows_a_broken_bank_with_its_problem(
    runner: CliRunner, csintake_home: Path
) -> None:
    (csintake_home / "banks").mkdir()
    (csintake_home / "banks" / "bad.yaml").write_text("a: [1, 2\n", encoding="utf-8")
    result = run(runner, "bank", "list", "--json")
    assert result.exit_code == 0, result.stderr
    bad = json.loads(result.stdout)[1]
    assert bad["id"] == "bad"
    assert bad["origin"] == "store"
    assert "YAML syntax" in bad["problem"]


# -------------------------------------------------------------------------- bank show


def test_bank_show_by_id_draws_sections_questions_and_modules(runner: CliRunner) -> None:
    result = run(runner, "bank", "show", SHIPPED_ID)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "Library customer service training intake  library-customer-service 1.0.0"
    )
    assert "Request and scope  [scope]" in out
    assert "How staff serve patrons  [behaviour]  when cs_meaning in ['behavior', 'both']" in out
    assert "Services the library offers  [offerings]" in out
    assert "1. library_name (text)  Which library is this for?" in out
    assert "cs_meaning (choice)" in out
    assert "recent_incidents (long_text, optional)" in out
    assert "Modules (18)" in out
    assert "communication-foundations  Communication foundations  60 min, core" in out
    assert "action-plan-follow-up" in out
    assert "Flags (" in out
    assert result.stderr == ""


def test_bank_show_by_path(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    write_bank(tmp_path / "sub", MINIMAL_BANK, "mini.yaml")
    monkeypatch.chdir(tmp_path)
    result = run(runner, "bank", "show", "sub/mini.yaml")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Mini bank  mini 1.0.0  (sub/mini.yaml)")
    assert "Detail  [detail]  when meaning == 'behavior'" in out
    assert "4. staff (integer)  How many staff?" in out
    assert "5. channels (multi_choice, optional)  Where do problems show up?" in out
    assert (
        "7. trained (yes_no)  Any training in the last three years?  when 'desk' in channels" in out
    )
    assert "desk-manner  Desk manner  60 min, high  when meaning == 'behavior'" in out
    assert "large-group  when staff > 25" in out


def test_bank_show_by_id_finds_a_bank_in_the_store(runner: CliRunner, csintake_home: Path) -> None:
    (csintake_home / "banks").mkdir()
    write_bank(csintake_home / "banks", MINIMAL_BANK, "mini.yaml")
    result = run(runner, "bank", "show", "mini")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Mini bank  mini 1.0.0")


def test_bank_show_by_id_of_a_file_that_does_not_parse(
    runner: CliRunner, csintake_home: Path
) -> None:
    (csintake_home / "banks").mkdir()
    bad = csintake_home / "banks" / "bad.yaml"
    bad.write_text("id: bad\nsections: [1, 2\n", encoding="utf-8")
    result = run(runner, "bank", "show", "bad")
    assert_clean_failure(result)
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"csintake: {bad}:2:11: YAML syntax: ")


def test_bank_show_unknown_id(runner: CliRunner) -> None:
    result = run(runner, "bank", "show", "nope")
    assert_clean_failure(result)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"csintake: no bank with id 'nope' (known: {SHIPPED_ID})"]


def test_bank_show_missing_file(runner: CliRunner) -> None:
    result = run(runner, "bank", "show", "nope.yaml")
    assert_clean_failure(result)
    assert result.stderr.splitlines() == ["csintake: nope.yaml: no such bank file"]


def test_bank_show_broken_file_lists_its_problems(runner: CliRunner, tmp_path: Path) -> None:
    path, text = broken_bank(tmp_path)
    result = run(runner, "bank", "show", str(path))
    assert_clean_failure(result)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"csintake: {path}:{line_of(text, 'colour')}:9: unknown key 'colour' for a text question",
        f"csintake: {path}:{line_of(text, 'min: 1')}:14: min 1 is greater than max 0",
    ]


# ------------------------------------------------------------------------- bank check


def test_bank_check_shipped_bank(runner: CliRunner, shipped_bank_path: Path) -> None:
    result = run(runner, "bank", "check", str(shipped_bank_path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{shipped_bank_path}: ok: {SHIPPED_ID} 1.0.0, 7 sections, ")
    assert ", 18 modules, " in line
    assert line.endswith(" flags")


def test_bank_check_counts_in_the_singular(runner: CliRunner, tmp_path: Path) -> None:
    path = write_bank(tmp_path, MINIMAL_BANK)
    result = run(runner, "bank", "check", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"{path}: ok: mini 1.0.0, 2 sections, 8 questions, 2 modules, 1 flag\n"
    )


def test_bank_check_broken_bank(runner: CliRunner, tmp_path: Path) -> None:
    path, text = broken_bank(tmp_path)
    result = run(runner, "bank", "check", str(path))
    assert_clean_failure(result)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:{line_of(text, 'colour')}:9: unknown key 'colour' for a text question",
        f"{path}:{line_of(text, 'min: 1')}:14: min 1 is greater than max 0",
    ]


def test_bank_check_names_files_as_given(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_bank(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run(runner, "bank", "check", "broken.yaml")
    assert_clean_failure(result)
    for line in result.stderr.splitlines():
        file, line_no, column, message = line.split(":", 3)
        assert file == "broken.yaml"
        assert int(line_no) > 0
        assert int(column) > 0
        assert message.startswith(" ")


def test_bank_check_two_files_checks_both(runner: CliRunner, tmp_path: Path) -> None:
    broken, _ = broken_bank(tmp_path)
    good = write_bank(tmp_path, MINIMAL_BANK, "good.yaml")
    result = run(runner, "bank", "check", str(broken), str(good))
    assert_clean_failure(result)
    assert result.stdout.splitlines() == [
        f"{good}: ok: mini 1.0.0, 2 sections, 8 questions, 2 modules, 1 flag"
    ]
    assert len(result.stderr.splitlines()) == 2
    assert all(line.startswith(f"{broken}:") for line in result.stderr.splitlines())


def test_bank_check_two_good_files(
    runner: CliRunner, tmp_path: Path, shipped_bank_path: Path
) -> None:
    good = write_bank(tmp_path, MINIMAL_BANK, "good.yaml")
    result = run(runner, "bank", "check", str(shipped_bank_path), str(good))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{shipped_bank_path}: ok: ")
    assert lines[1].startswith(f"{good}: ok: ")


def test_bank_check_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = run(runner, "bank", "check", str(missing))
    assert_clean_failure(result)
    assert result.stderr.splitlines() == [f"{missing}: cannot read: No such file or directory"]


def test_bank_check_unsafe_bank_is_reported_not_run(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "PWNED"
    text = MINIMAL_BANK.replace(
        "title: Mini bank", f'title: !!python/object/apply:os.system ["touch {marker}"]'
    )
    path = write_bank(tmp_path, text)
    result = run(runner, "bank", "check", str(path))
    assert_clean_failure(result)
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{path}:4:8: YAML tag ")
    assert not marker.exists()


def test_bank_check_needs_a_path(runner: CliRunner) -> None:
    result = run(runner, "bank", "check")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------------ bank schema


def test_bank_schema_is_json_schema(runner: CliRunner) -> None:
    result = run(runner, "bank", "schema")
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "sections" in schema["properties"]
    assert schema["properties"]["sections"]["type"] == "array"
    assert set(schema["required"]) >= {"format", "id", "version", "title", "sections"}
    assert schema["additionalProperties"] is False


# ---------------------------------------------------------------------------- version


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout == f"csintake {csintake.__version__}\n"
    assert csintake.__version__ == "0.1.0"


def test_python_m_csintake_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "csintake", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"csintake {csintake.__version__}\n"
    assert done.stderr == ""


def test_a_bank_in_the_store_overrides_a_shipped_one_with_the_same_id(
    runner: CliRunner, csintake_home: Path, shipped_bank_path: Path
) -> None:
    (csintake_home / "banks").mkdir()
    text = shipped_bank_path.read_text(encoding="utf-8").replace(
        "title: Library customer service training intake",
        "title: Our own library intake",
        1,
    )
    assert "Our own library intake" in text
    (csintake_home / "banks" / "own.yaml").write_text(text, encoding="utf-8")
    result = run(runner, "bank", "show", SHIPPED_ID)
    assert result.exit_code == 0, result.stderr
    assert "Our own library intake" in result.stdout


def test_a_bank_that_passed_is_not_checked_again_until_it_changes(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csintake.bank import checker

    monkeypatch.setenv("CSINTAKE_CACHE", str(tmp_path / "cache"))
    bank = write_bank(tmp_path, MINIMAL_BANK)
    first = run(runner, "bank", "check", str(bank))
    assert first.exit_code == 0, first.stderr
    calls: list[str] = []
    check = checker.check_bytes

    def counting(raw: bytes, name: str) -> object:
        calls.append(name)
        return check(raw, name)

    monkeypatch.setattr(checker, "check_bytes", counting)
    again = run(runner, "bank", "check", str(bank))
    assert (again.exit_code, again.stdout, calls) == (0, first.stdout, [])
    # One changed byte is a bank never seen: checked in full, and its problem reported.
    bank.write_text(MINIMAL_BANK.replace("        max: 100\n", "        max: 0\n"))
    changed = run(runner, "bank", "check", str(bank))
    assert calls == [str(bank)]
    assert_clean_failure(changed)
    assert f"{bank}:" in changed.stderr
