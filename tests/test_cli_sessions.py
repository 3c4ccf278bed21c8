"""``csintake sessions`` and ``csintake show``."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from csintake.cli import app
from csintake.store.store import Store
from helpers import MINIMAL_BANK, write_bank

DATA = Path(__file__).parent / "data"
TODAY = dt.date.today().isoformat()

MINI_ANSWERS = {
    "name": "Ames",
    "meaning": "behavior",
    "staff": 12,
    "channels": ["desk"],
    "rating": 5,
    "trained": True,
}


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def failed(result: Result, code: int = 1) -> list[str]:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stderr.splitlines()


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path, MINIMAL_BANK)


def new(
    runner: CliRunner,
    tmp_path: Path,
    bank: Path,
    client: str,
    answers: dict[str, Any],
    code: int = 0,
) -> str:
    """A session made by a scripted intake; its id. ``code`` 1 for one left incomplete."""
    path = tmp_path / f"{client}.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    result = run(runner, "interview", "--client", client, "--bank", str(bank), "--no-input",
                 "--answers", str(path))  # fmt: skip
    assert result.exit_code == code, result.stderr
    return result.stdout.strip()


def set_updated(home: Path, session_id: str, when: dt.datetime) -> None:
    store = Store(home)
    session = store.load(session_id)
    session.updated = when
    store.save(session)


# -------------------------------------------------------------------------------- sessions


@pytest.fixture
def three(runner: CliRunner, tmp_path: Path, bank: Path, csintake_home: Path) -> list[str]:
    """Three sessions, updated in the order Boone, Ames, Story City."""
    ames = new(runner, tmp_path, bank, "Ames", MINI_ANSWERS)
    boone = new(runner, tmp_path, bank, "Boone", {"name": "Boone"}, code=1)
    story = new(
        runner, tmp_path, bank, "Story City", {"name": "Story City", "meaning": "offerings"}
    )
    set_updated(csintake_home, boone, dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC))
    set_updated(csintake_home, ames, dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC))
    set_updated(csintake_home, story, dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC))
    return [story, ames, boone]


def test_sessions_are_listed_newest_first(
    runner: CliRunner, three: list[str], csintake_home: Path
) -> None:
    assert three == [f"story-city-{TODAY}", f"ames-{TODAY}", f"boone-{TODAY}"]
    out = ok(run(runner, "sessions")).stdout
    assert out.splitlines()[0].strip() == f"Sessions in {csintake_home}"
    # Each session is a block of lines that starts with its id.
    starts = [i for line in out.splitlines() for i in three if f"│ {i} " in line]
    assert starts == three
    cuts = [out.index(i) for i in three] + [len(out)]
    rows = [out[a:b] for a, b in itertools.pairwise(cuts)]
    assert all("mini 1.0.0" in row for row in rows)
    ames = rows[1]
    assert "Ames" in ames
    assert "complete" in ames
    assert "7/8" in ames
    assert "2026-02-01" in ames
    assert "09:00" in ames
    assert "in progress" in rows[2]
    assert "2/3" in rows[2]  # the name and the minutes' default; the meaning is missing


@pytest.fixture
def thirty(runner: CliRunner, tmp_path: Path, bank: Path, csintake_home: Path) -> list[str]:
    """Thirty sessions, newest first (the first one updated last)."""
    first = new(runner, tmp_path, bank, "Library 0", MINI_ANSWERS)
    store = Store(csintake_home)
    ref = store.load(first).bank
    ids = [first] + [store.create(f"Library {n}", ref).id for n in range(1, 30)]
    start = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    for n, session_id in enumerate(ids):
        set_updated(csintake_home, session_id, start - dt.timedelta(hours=n))
    return ids


def test_a_long_list_shows_the_newest_screenful_and_how_to_see_the_rest(
    runner: CliRunner, thirty: list[str]
) -> None:
    out = ok(runner.invoke(app, ["sessions"], env={"LINES": "35"})).stdout
    assert len(out.splitlines()) < 35  # with the prompt below, it fits the screen
    shown = [i for line in out.splitlines() for i in thirty if f"│ {i} " in line]
    assert shown == thirty[:9]
    words = " ".join(out.split())
    assert "The newest 9 of 30; 21 older: add --all to list every one, or --json" in words
    tall = ok(runner.invoke(app, ["sessions"], env={"LINES": "200"})).stdout
    assert [i for line in tall.splitlines() for i in thirty if f"│ {i} " in line] == thirty
    assert "older" not in tall


def test_sessions_all_lists_every_one_on_a_line(
    runner: CliRunner, thirty: list[str], csintake_home: Path
) -> None:
    lines = ok(runner.invoke(app, ["sessions", "--all"], env={"LINES": "10"})).stdout.splitlines()
    assert lines[0] == f"Sessions in {csintake_home}: 30, newest first"
    assert lines[1].split() == ["session", "status", "progress", "updated", "client", "bank"]
    assert [line.split()[0] for line in lines[2:]] == thirty
    assert lines[2].split() == [
        thirty[0], "complete", "7/8", "2026-01-01", "09:00", "Library", "0", "mini", "1.0.0"
    ]  # fmt: skip
    assert lines[3].split()[:4] == [thirty[1], "in", "progress", "0/3"]
    # The columns line up: every updated time starts in the same place.
    times = [re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", line) for line in lines[2:]]
    assert len({time.start() for time in times if time}) == 1


def test_sessions_all_with_none_yet(runner: CliRunner, csintake_home: Path) -> None:
    out = ok(run(runner, "sessions", "--all")).stdout
    assert out == (
        f"Sessions in {csintake_home}: 0, newest first\n"
        "No sessions yet: start one with csintake interview --client NAME\n"
    )


def test_sessions_json_is_one_document_newest_first(runner: CliRunner, three: list[str]) -> None:
    result = ok(run(runner, "sessions", "--json"))
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == three
    ames = rows[1]
    assert ames == {
        "id": f"ames-{TODAY}",
        "client": "Ames",
        "bank": "mini 1.0.0",
        "status": "complete",
        "answered": 7,
        "total": 8,
        "updated": "2026-02-01T09:00:00+00:00",
        "problem": None,
    }
    assert result.stderr == ""


def test_no_sessions_yet(runner: CliRunner) -> None:
    words = " ".join(ok(run(runner, "sessions")).stdout.split())
    assert "No sessions yet: start one with csintake interview --client NAME" in words
    assert json.loads(ok(run(runner, "sessions", "--json")).stdout) == []


def test_an_unreadable_session_is_listed_with_its_problem(
    runner: CliRunner, three: list[str], csintake_home: Path
) -> None:
    path = Store(csintake_home).path(three[0])
    path.write_text("format: [\n", encoding="utf-8")
    rows = json.loads(ok(run(runner, "sessions", "--json")).stdout)
    assert [r["id"] for r in rows] == [three[1], three[2], three[0]]
    broken = rows[-1]
    assert broken["status"] == "unreadable"
    assert broken["problem"].startswith(f"{path}:")
    assert "\n" not in broken["problem"]


def test_a_time_without_a_zone_still_sorts(
    runner: CliRunner, three: list[str], csintake_home: Path
) -> None:
    path = Store(csintake_home).path(three[2])
    text = path.read_text(encoding="utf-8")
    lines = [
        "updated: 2026-04-01 10:00:00" if line.startswith("updated:") else line
        for line in text.splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = json.loads(ok(run(runner, "sessions", "--json")).stdout)
    assert [r["id"] for r in rows] == [three[2], three[0], three[1]]
    assert rows[0]["updated"] == "2026-04-01T10:00:00+00:00"


# ------------------------------------------------------------------------------------ show


@pytest.fixture
def annotated(runner: CliRunner, tmp_path: Path, bank: Path, csintake_home: Path) -> str:
    """A session with a skipped, a parked and a noted question."""
    session_id = new(runner, tmp_path, bank, "Ames", MINI_ANSWERS)
    store = Store(csintake_home)
    session = store.load(session_id)
    session.skipped.append("start")
    session.follow_up.append("staff")
    session.notes["meaning"] = "Director hesitated; board leans to behaviour"
    session.answers["name"] = "[bold]Ames[/bold] <script>"
    store.save(session)
    return session_id


def test_show_gives_answers_by_section_with_notes_skipped_and_parked(
    runner: CliRunner, annotated: str
) -> None:
    result = ok(run(runner, "show", annotated))
    out = result.stdout
    assert result.stderr == ""
    assert out.splitlines()[0] == f"Ames  {annotated}"
    assert out.splitlines()[1].strip() == "mini 1.0.0  complete, 7/8 answered"
    # sections in bank order, each with its questions
    assert out.index("Basics") < out.index("Which library") < out.index("Detail")
    assert out.index("Detail") < out.index("How many staff?") < out.index("By when?")
    # answers as people read them, and exactly as typed
    assert "[bold]Ames[/bold] <script>" in out
    assert "How staff treat patrons" in out
    assert "5 (Great)" in out
    assert "At the desk" in out
    # notes, skipped and parked
    assert "Note: Director hesitated; board leans to behaviour" in out
    assert "(skipped)" in row_of(out, "By when?")
    assert "[parked]" in row_of(out, "How many staff?")
    assert "12" in row_of(out, "How many staff?")


def row_of(out: str, prompt: str) -> str:
    return next(line for line in out.splitlines() if prompt in line)


def test_show_json_is_the_session_file_as_data(
    runner: CliRunner, annotated: str, csintake_home: Path
) -> None:
    result = ok(run(runner, "show", annotated, "--json"))
    document = json.loads(result.stdout)
    assert document == Store(csintake_home).load(annotated).to_data()
    assert document["skipped"] == ["start"]
    assert document["follow_up"] == ["staff"]
    assert document["notes"] == {"meaning": "Director hesitated; board leans to behaviour"}
    assert document["sources"]["minutes"] == "default"


def test_show_an_unknown_session(runner: CliRunner, csintake_home: Path) -> None:
    lines = failed(run(runner, "show", "nobody-2026-11-28"))
    assert lines == [f"csintake: no session 'nobody-2026-11-28' in {csintake_home}"]
    lines = failed(run(runner, "show", "../etc/passwd", "--json"))
    assert len(lines) == 1


def test_show_a_damaged_session(runner: CliRunner, annotated: str, csintake_home: Path) -> None:
    path = Store(csintake_home).path(annotated)
    text = path.read_text(encoding="utf-8").replace("status: complete", "status: done")
    path.write_text(text, encoding="utf-8")
    row = text.splitlines().index("status: done") + 1
    lines = failed(run(runner, "show", annotated))
    assert lines == [f"csintake: {path}:{row}:9: status must be 'in_progress' or 'complete'"]


def test_show_reports_a_changed_bank_without_changing_the_session(
    runner: CliRunner, annotated: str, bank: Path, csintake_home: Path
) -> None:
    path = Store(csintake_home).path(annotated)
    before = path.read_bytes()
    bank.write_text(
        MINIMAL_BANK.replace("version: 1.0.0", "version: 2.0.0").replace(
            "        max: 100\n", "        max: 10\n"
        ),
        encoding="utf-8",
    )
    result = ok(run(runner, "show", annotated))
    assert result.stderr.splitlines() == [
        "The bank has changed since this session was saved (mini 1.0.0 -> mini 2.0.0).",
        "Answers that no longer fit the bank (kept in the file, not used):",
        "  staff: Enter a whole number from 1 to 10",
    ]
    assert "(not answered)" in row_of(result.stdout, "How many staff?")
    assert "staff: Enter a whole number from 1 to 10" in result.stdout
    document = json.loads(ok(run(runner, "show", annotated, "--json")).stdout)
    assert document["bank"]["version"] == "1.0.0"
    assert document["answers"]["staff"] == 12
    assert path.read_bytes() == before


def test_show_json_needs_no_bank(
    runner: CliRunner, annotated: str, bank: Path, csintake_home: Path
) -> None:
    bank.unlink()
    lines = failed(run(runner, "show", annotated))
    assert len(lines) == 1
    assert "no bank with id 'mini'" in lines[0]
    document = json.loads(ok(run(runner, "show", annotated, "--json")).stdout)
    assert document["answers"]["staff"] == 12
    rows = json.loads(ok(run(runner, "sessions", "--json")).stdout)
    assert rows[0]["id"] == annotated
    assert "no bank with id 'mini'" in rows[0]["problem"]


def test_show_the_shipped_bank_session(runner: CliRunner, csintake_home: Path) -> None:
    result = ok(run(runner, "interview", "--client", "Ames Public Library", "--no-input",
                    "--answers", str(DATA / "answers-offerings.yaml")))  # fmt: skip
    session_id = result.stdout.strip()
    out = ok(run(runner, "show", session_id)).stdout
    assert "Services the library offers" in out
    assert "How staff serve patrons" not in out
    assert "Library board" in out  # a choice shows its label, in a placeholder too


def test_dont_know_and_declined_from_an_answers_file_are_states(
    runner: CliRunner, tmp_path: Path, bank: Path, csintake_home: Path
) -> None:
    sid = new(
        runner,
        tmp_path,
        bank,
        "Ames",
        {"name": "Ames", "meaning": {"state": "dont_know"}, "minutes": {"state": "declined"}},
    )
    data = yaml.safe_load((csintake_home / f"{sid}.yaml").read_text("utf-8"))
    # Not answers: the session completes, with the states recorded.
    assert data["status"] == "complete"
    assert data["states"] == {"meaning": "dont_know", "minutes": "declined"}
    assert "meaning" not in data["answers"]
    out = ok(run(runner, "show", sid)).stdout
    assert "1/3 answered, 1 don't know, 1 declined" in out
    assert "(don't know)" in out
    assert "(declined)" in out
    brief = json.loads(ok(run(runner, "brief", sid, "--format", "json")).stdout)
    reasons = {q["id"]: q["reason"] for q in brief["open_questions"]}
    assert reasons == {"meaning": "dont_know", "minutes": "declined"}
    listing = json.loads(ok(run(runner, "sessions", "--json")).stdout)
    assert [(row["answered"], row["total"]) for row in listing] == [(3, 3)]


def test_a_state_that_is_not_known_is_refused(
    runner: CliRunner, tmp_path: Path, bank: Path
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("name: Ames\nmeaning: {state: unknown}\n", encoding="utf-8")
    result = run(runner, "interview", "--client", "Ames", "--bank", str(bank), "--no-input",
                 "--answers", str(path))  # fmt: skip
    assert result.exit_code == 1
    assert f"{path}:2:10: meaning: Choose one of: behavior, offerings" in result.stderr
