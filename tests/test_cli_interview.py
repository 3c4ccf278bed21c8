"""``csintake interview --no-input``: scripted intakes from answers files and ``--set``."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from csintake.cli import app
from csintake.errors import UsageError
from csintake.interview.intake import read_answers
from csintake.store.session import Session
from csintake.store.store import Store
from helpers import MINIMAL_BANK, write_bank

DATA = Path(__file__).parent / "data"
BOTH = DATA / "answers-both.yaml"
TODAY = dt.date.today().isoformat()
AMES = f"ames-public-library-{TODAY}"
LOCATED = re.compile(r"^csintake: (?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+)$")


def run(runner: CliRunner, *args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def failed(result: Result, code: int = 1) -> list[str]:
    """A clean user error: its exit code, no traceback; the stderr lines."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines
    return lines


def stored(home: Path, session_id: str) -> Session:
    return Store(home).load(session_id)


def answers_both() -> dict[str, Any]:
    data = yaml.safe_load(BOTH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML reads the dates as dates; an answers file in JSON has them as text
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


def write_answers(tmp_path: Path, data: dict[str, Any], name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def scripted(runner: CliRunner, *args: str, stdin: str | None = None) -> Result:
    return run(
        runner, "interview", "--client", "Ames Public Library", "--no-input", *args, stdin=stdin
    )


# ------------------------------------------------------------------------- the happy path


def test_a_complete_answers_file_completes_the_session(
    runner: CliRunner, csintake_home: Path
) -> None:
    result = ok(scripted(runner, "--answers", str(BOTH)))
    assert result.stdout == f"{AMES}\n"
    assert result.stderr == ""
    session = stored(csintake_home, AMES)
    assert session.status == "complete"
    assert session.client == "Ames Public Library"
    assert session.bank.id == "library-customer-service"
    assert session.answers["cs_meaning"] == "both"
    assert session.answers["minutes_available"] == 390
    assert session.answers["plan_end"] == "2028-06-30"
    assert set(session.sources.values()) == {"file"}
    assert session.history == []


@pytest.mark.parametrize("scope", ["behavior", "offerings"])
def test_the_other_scopes_complete_too(runner: CliRunner, csintake_home: Path, scope: str) -> None:
    path = DATA / f"answers-{scope}.yaml"
    session_id = ok(scripted(runner, "--answers", str(path))).stdout.strip()
    session = stored(csintake_home, session_id)
    assert session.status == "complete"
    assert session.answers["cs_meaning"] == scope


def test_json_prints_one_json_document(runner: CliRunner) -> None:
    result = ok(scripted(runner, "--answers", str(BOTH), "--json"))
    document = json.loads(result.stdout)
    assert document["id"] == AMES
    assert document["status"] == "complete"
    assert document["answers"]["roles"] == ["circulation", "reference", "youth", "supervisors"]
    assert document["created"].endswith("+00:00")


def test_a_json_answers_file(runner: CliRunner, csintake_home: Path, tmp_path: Path) -> None:
    path = write_answers(tmp_path, answers_both(), "answers.json")
    ok(scripted(runner, "--answers", str(path)))
    assert stored(csintake_home, AMES).answers == stored_answers_of_both(runner, tmp_path)


def stored_answers_of_both(runner: CliRunner, tmp_path: Path) -> dict[str, Any]:
    """The answers the YAML file stores, in a store of its own."""
    home = tmp_path / "other-store"
    ok(run(runner, "--store", str(home), "interview", "--client", "Ames Public Library",
           "--no-input", "--answers", str(BOTH)))  # fmt: skip
    return Store(home).load(AMES).answers


def test_a_json_file_indented_with_tabs_and_escaped_emoji(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    data = {**answers_both(), "library_name": "Ames Public Library 📚"}
    path = tmp_path / "tabs.json"
    path.write_text(json.dumps(data, indent="\t"), encoding="utf-8")  # ASCII: "\ud83d\udcda"
    ok(scripted(runner, "--answers", str(path)))
    session = stored(csintake_home, AMES)
    assert session.answers["library_name"] == "Ames Public Library 📚"


def test_answers_from_stdin(runner: CliRunner, csintake_home: Path) -> None:
    result = ok(scripted(runner, "--answers", "-", stdin=BOTH.read_text(encoding="utf-8")))
    assert result.stdout == f"{AMES}\n"
    assert stored(csintake_home, AMES).status == "complete"


def test_answers_from_stdin_need_no_no_input(runner: CliRunner, csintake_home: Path) -> None:
    text = BOTH.read_text(encoding="utf-8")
    result = ok(run(runner, "interview", "--client", "Ames Public Library", "--answers", "-",
                    stdin=text))  # fmt: skip
    assert result.stdout == f"{AMES}\n"


def test_answers_from_a_terminal_are_refused_rather_than_waited_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("library_name: Ames\n"))
    with pytest.raises(UsageError) as info:
        read_answers("-")
    assert str(info.value) == "--answers -: standard input is a terminal; pipe the answers in"
    assert info.value.exit_code == 2


def test_set_wins_over_the_file(runner: CliRunner, csintake_home: Path) -> None:
    ok(scripted(runner, "--answers", str(BOTH), "--set", "participants=12",
                "--set", "library_name=Ames PL"))  # fmt: skip
    session = stored(csintake_home, AMES)
    assert session.answers["participants"] == 12
    assert session.answers["library_name"] == "Ames PL"
    assert session.sources["participants"] == "set"
    assert session.sources["rate_upset"] == "file"
    assert session.history == []  # --set is applied instead of the file's value, not after it


def test_set_for_a_multi_choice_is_comma_separated(runner: CliRunner, csintake_home: Path) -> None:
    ok(scripted(runner, "--answers", str(BOTH), "--set", "roles=Volunteers, circulation,it"))
    assert stored(csintake_home, AMES).answers["roles"] == ["circulation", "it", "volunteers"]


def test_set_alone_answers_an_existing_session(runner: CliRunner, csintake_home: Path) -> None:
    ok(scripted(runner, "--answers", str(BOTH)))
    result = ok(run(runner, "interview", AMES, "--no-input", "--set", "participants=30"))
    assert result.stdout == f"{AMES}\n"
    session = stored(csintake_home, AMES)
    assert session.status == "complete"
    assert [(c.question, c.old, c.new) for c in session.history] == [("participants", 48, 30)]
    assert session.sources["participants"] == "set"


def test_defaults_are_applied(runner: CliRunner, csintake_home: Path, tmp_path: Path) -> None:
    data = answers_both()
    del data["branches"], data["delivery_format"]
    ok(scripted(runner, "--answers", str(write_answers(tmp_path, data))))
    session = stored(csintake_home, AMES)
    assert session.status == "complete"
    assert session.answers["branches"] == 1
    assert session.answers["delivery_format"] == "in_person"
    assert session.sources["branches"] == "default"
    assert session.sources["delivery_format"] == "default"


def test_empty_optional_answers_are_skipped(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    data = {**answers_both(), "budget_band": "", "tried_already": None}
    ok(scripted(runner, "--answers", str(write_answers(tmp_path, data))))
    session = stored(csintake_home, AMES)
    assert session.status == "complete"
    assert session.skipped == ["tried_already", "budget_band"]
    assert "budget_band" not in session.answers


# -------------------------------------------------------------------------- wrong answers


BAD = """\
library_name: A
cs_meaning: maybe
participants: 1.5
roles: circulation, bogus
plan_end: 2028-13-01
service_standards: perhaps
nosuch: 3
minutes_available: 390
"""


def test_a_bad_answers_file_lists_every_problem_and_keeps_the_valid_answers(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = scripted(runner, "--answers", str(path))
    lines = failed(result)
    located = [LOCATED.match(line) for line in lines]
    file_lines = [m.group("line", "col", "msg") for m in located if m]
    assert file_lines == [
        ("1", "15", "library_name: Enter at least 2 characters and at most 120"),
        ("2", "13", "cs_meaning: Choose one of: behavior, offerings, both, unsure"),
        ("3", "15", "participants: Enter a whole number from 1 to 500"),
        (
            "4",
            "8",
            (
                "roles: 'bogus' is not a choice; choose from: circulation, reference, youth, "
                "pages, technical_services, it, security, supervisors, volunteers, trustees"
            ),
        ),
        ("5", "11", "plan_end: Enter a date as YYYY-MM-DD"),
        ("6", "20", "service_standards: Answer yes or no"),
        ("7", "1", "nosuch: unknown question 'nosuch'"),
    ]
    assert all(m.group("file") == str(path) for m in located if m)
    missing = [line for line in lines if line.startswith("csintake: missing answer: ")]
    prompted_by = (
        "csintake: missing answer: prompted_by "
        "(What prompted you to ask for customer service training now?)"
    )
    assert prompted_by in missing
    # questions already reported as wrong are not also reported as missing
    assert not any(" library_name " in line or " cs_meaning " in line for line in missing)
    assert len(lines) == len(file_lines) + len(missing) + 1
    assert lines[-1] == (
        "csintake: the valid answers are saved; complete the session with: "
        f"csintake interview {AMES} --no-input --answers FILE"
    )
    # the session id is on stdout, as on success
    assert result.stdout == f"{AMES}\n"
    session = stored(csintake_home, AMES)
    assert session.status == "in_progress"
    assert session.answers == {
        "minutes_available": 390,
        "branches": 1,
        "delivery_format": "in_person",
    }


def test_running_again_with_a_fixed_file_completes_the_session(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(BAD, encoding="utf-8")
    failed(scripted(runner, "--answers", str(path)))
    path.write_text(BOTH.read_text(encoding="utf-8"), encoding="utf-8")
    result = ok(run(runner, "interview", AMES, "--no-input", "--answers", str(path)))
    assert result.stdout == f"{AMES}\n"
    session = stored(csintake_home, AMES)
    assert session.status == "complete"
    assert session.answers["minutes_available"] == 390
    assert Store(csintake_home).ids() == [AMES]


def test_a_wrong_set_is_named(runner: CliRunner, csintake_home: Path) -> None:
    lines = failed(scripted(runner, "--answers", str(BOTH), "--set", "participants=lots"))
    assert lines[0] == "csintake: --set participants=lots: Enter a whole number from 1 to 500"
    # --set replaces the file's value, so neither is stored; every other answer is
    assert "participants" not in stored(csintake_home, AMES).answers
    assert stored(csintake_home, AMES).answers["roles"] == [
        "circulation",
        "reference",
        "youth",
        "supervisors",
    ]


def test_a_set_without_equals_is_a_usage_error(runner: CliRunner, csintake_home: Path) -> None:
    lines = failed(scripted(runner, "--set", "participants"), code=2)
    assert lines == ["csintake: --set 'participants': write --set ID=VALUE"]
    assert Store(csintake_home).ids() == []


def test_an_answers_file_that_is_not_a_mapping(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    lines = failed(scripted(runner, "--answers", str(path)))
    assert lines == [f"csintake: {path}:1:1: an answers file maps question ids to answers"]


def test_an_answers_file_with_bad_yaml_creates_no_session(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("library_name: [Ames\n", encoding="utf-8")
    lines = failed(scripted(runner, "--answers", str(path)))
    assert len(lines) == 1
    assert LOCATED.match(lines[0])
    assert Store(csintake_home).ids() == []


def test_a_missing_answers_file(runner: CliRunner, tmp_path: Path) -> None:
    lines = failed(scripted(runner, "--answers", str(tmp_path / "nope.yaml")))
    assert lines == [f"csintake: {tmp_path / 'nope.yaml'}: no such answers file"]


def test_unsafe_yaml_in_an_answers_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("library_name: !!python/object/apply:os.system ['echo hi']\n", "utf-8")
    lines = failed(scripted(runner, "--answers", str(path)))
    assert lines[0].startswith(f"csintake: {path}:1:15: YAML tag")


# ------------------------------------------------------------------------ sessions and ids


def test_an_unknown_session_is_one_line(runner: CliRunner, csintake_home: Path) -> None:
    lines = failed(run(runner, "interview", "nobody-2026-11-28", "--no-input"))
    assert lines == [f"csintake: no session 'nobody-2026-11-28' in {csintake_home}"]


@pytest.mark.parametrize("bad", ["../x", "a/b", ".hidden", "X"])
def test_a_session_id_that_is_not_a_slug_is_unknown(runner: CliRunner, bad: str) -> None:
    lines = failed(run(runner, "interview", bad, "--no-input"))
    assert len(lines) == 1
    assert f"no session '{bad}'" in lines[0]


def test_no_input_needs_a_client_or_a_session(runner: CliRunner, csintake_home: Path) -> None:
    lines = failed(run(runner, "interview", "--no-input", "--answers", str(BOTH)), code=2)
    assert lines == ["csintake: a new session needs --client NAME"]
    assert Store(csintake_home).ids() == []


def test_a_client_name_that_is_not_text_is_a_usage_error(
    runner: CliRunner, csintake_home: Path
) -> None:
    # what a terminal in another encoding sends: a byte that is not UTF-8
    result = run(runner, "interview", "--client", "Caf\udce9", "--no-input")
    lines = failed(result, code=2)
    assert lines == [
        "csintake: the client's name is not valid text (check the terminal's encoding)"
    ]
    assert Store(csintake_home).ids() == []


def test_a_client_name_is_one_line(runner: CliRunner, csintake_home: Path) -> None:
    result = ok(
        run(runner, "interview", "--client", " Ames\n Public\tLibrary ", "--consultant",
            "Jo\nSmith", "--no-input", "--answers", str(BOTH))
    )  # fmt: skip
    assert result.stdout == f"{AMES}\n"
    session = stored(csintake_home, AMES)
    assert session.client == "Ames Public Library"
    assert session.consultant == "Jo Smith"


def test_the_same_client_twice_gets_two_sessions(runner: CliRunner) -> None:
    first = ok(scripted(runner, "--answers", str(BOTH))).stdout.strip()
    second = ok(scripted(runner, "--answers", str(BOTH))).stdout.strip()
    assert (first, second) == (AMES, f"{AMES}-2")


def test_a_store_given_with_store_is_in_the_resume_command(
    runner: CliRunner, tmp_path: Path
) -> None:
    store = tmp_path / "elsewhere"
    result = run(runner, "--store", str(store), "interview", "--client", "Ames Public Library",
                 "--no-input", "--set", "library_name=Ames")  # fmt: skip
    lines = failed(result)
    assert lines[-1].endswith(
        f"csintake --store {store} interview {AMES} --no-input --answers FILE"
    )
    assert Store(store).ids() == [AMES]


# ---------------------------------------------------------------------------------- banks


ANSWERS_MINI = {"name": "Ames", "meaning": "behavior", "staff": 12, "rating": 4, "channels": []}


def test_a_bank_given_by_path(runner: CliRunner, csintake_home: Path, tmp_path: Path) -> None:
    bank = write_bank(tmp_path, MINIMAL_BANK)
    answers = write_answers(tmp_path, ANSWERS_MINI)
    ok(scripted(runner, "--bank", str(bank), "--answers", str(answers)))
    session = stored(csintake_home, AMES)
    assert session.status == "complete"
    assert session.bank.id == "mini"
    assert session.bank.path == str(bank.resolve())
    assert session.answers["minutes"] == 60  # its default
    # resuming needs no --bank: it is found again by its path
    result = ok(run(runner, "interview", AMES, "--no-input", "--set", "staff=20"))
    assert result.stderr == ""
    assert stored(csintake_home, AMES).answers["staff"] == 20


def test_a_bad_bank_lists_its_problems_and_creates_no_session(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    text = MINIMAL_BANK.replace("        max: 100\n", "        max: 0\n").replace(
        "        min_length: 2\n", "        min_length: 2\n        colour: red\n"
    )
    bank = write_bank(tmp_path, text)
    lines = failed(scripted(runner, "--bank", str(bank)))
    found = [LOCATED.match(line) for line in lines]
    assert all(found), lines
    assert [m.group("file") for m in found if m] == [str(bank)] * len(lines)
    messages = [m.group("msg") for m in found if m]
    assert "unknown key 'colour'" in messages[0]
    assert any("min 1 is greater than max 0" in m for m in messages), messages
    assert Store(csintake_home).ids() == []


def test_an_unknown_bank_id(runner: CliRunner) -> None:
    lines = failed(scripted(runner, "--bank", "no-such-bank"))
    assert len(lines) == 1
    assert "no bank with id 'no-such-bank'" in lines[0]


def test_a_changed_bank_is_reported_and_answers_that_no_longer_fit_are_listed(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    bank = write_bank(tmp_path, MINIMAL_BANK)
    ok(
        scripted(
            runner, "--bank", str(bank), "--answers", str(write_answers(tmp_path, ANSWERS_MINI))
        )
    )
    changed = MINIMAL_BANK.replace("version: 1.0.0", "version: 1.1.0").replace(
        "        max: 100\n", "        max: 10\n"
    )
    bank.write_text(changed, encoding="utf-8")
    result = run(runner, "interview", AMES, "--no-input")
    lines = failed(result)
    assert lines[:3] == [
        "The bank has changed since this session was saved (mini 1.0.0 -> mini 1.1.0).",
        "Answers that no longer fit the bank (kept in the file, not used):",
        "  staff: Enter a whole number from 1 to 10",
    ]
    assert lines[3] == (
        "csintake: staff: the saved answer no longer fits the bank: "
        "Enter a whole number from 1 to 10"
    )
    session = stored(csintake_home, AMES)
    assert session.status == "in_progress"
    assert session.answers["staff"] == 12  # kept in the file
    assert session.bank.version == "1.1.0"
    # answering it completes the session again
    ok(run(runner, "interview", AMES, "--no-input", "--set", "staff=10"))
    assert stored(csintake_home, AMES).status == "complete"


def test_a_recorded_bank_that_broke_is_reported_not_swapped(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    bank = write_bank(tmp_path, MINIMAL_BANK)
    ok(
        scripted(
            runner, "--bank", str(bank), "--answers", str(write_answers(tmp_path, ANSWERS_MINI))
        )
    )
    bank.write_text(MINIMAL_BANK.replace("title: Mini bank", "title: [Mini"), encoding="utf-8")
    lines = failed(run(runner, "interview", AMES, "--no-input"))
    assert len(lines) == 1
    assert lines[0].startswith(f"csintake: {bank}:")
    assert "YAML syntax" in lines[0]


# ----------------------------------------------------------------------------------- lock


HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from csintake.store.store import Store

    with Store(Path(sys.argv[1])).lock(sys.argv[2]):
        print("locked", flush=True)
        sys.stdin.read()  # held until the test kills it, however long it takes
    """
)


def test_a_session_open_in_another_process_exits_3(runner: CliRunner, csintake_home: Path) -> None:
    ok(scripted(runner, "--answers", str(BOTH)))
    before = Store(csintake_home).path(AMES).read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(csintake_home), AMES],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "locked"
        lines = failed(run(runner, "interview", AMES, "--no-input", "--set", "participants=3"), 3)
        assert lines == [
            (
                f"csintake: session '{AMES}' is open in another csintake process;"
                " finish or close it there first"
            )
        ]
    finally:
        child.kill()
        child.wait()
    assert Store(csintake_home).path(AMES).read_bytes() == before
    ok(run(runner, "interview", AMES, "--no-input", "--set", "participants=3"))
