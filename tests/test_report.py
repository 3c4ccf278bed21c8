"""``csintake report``: counts across sessions, filters, CSV and JSON, on a store whose
every number is worked out by hand below."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from csintake.bank.loader import load_bank
from csintake.cli import app
from csintake.interview.intake import bank_ref
from csintake.overview.report import (
    CSV_COLUMNS,
    NOT_ANSWERED,
    Count,
    Filters,
    build_report,
    csv_text,
)
from csintake.printable import json_text
from csintake.store.session import Session
from csintake.store.store import Store
from helpers import write_bank

BANK = """\
format: csintake/bank@1
id: {id}
version: 1.0.0
title: Report test bank
sections:
  - id: basics
    title: Basics
    questions:
      - id: meaning
        type: choice
        prompt: Which kind of service?
        choices:
          - {{value: behavior, label: How staff treat patrons}}
          - {{value: offerings, label: The services we offer}}
          - {{value: both, label: Both}}
          - {{value: unsure, label: Not sure yet}}
      - id: minutes
        type: choice
        required: false
        prompt: How much time is there?
        choices:
          - {{value: 60, label: One hour}}
          - {{value: 120, label: Two hours}}
          - {{value: 240, label: Half a day}}
      - id: staff
        type: integer
        required: false
        prompt: How many staff?
brief:
  scope: meaning
  time_budget: minutes
  modules:
    - {{id: foundations, title: Foundations, minutes: 30, priority: core}}
    - id: desk
      title: "[bold]Desk[/bold] manner"
      minutes: 60
      priority: high
      when: meaning in ['behavior', 'both']
    - id: services
      title: Services review
      minutes: 90
      priority: high
      when: meaning in ['offerings', 'both']
    - {{id: extra, title: Extra practice, minutes: 60, priority: low}}
  flags:
    - id: unclear
      level: blocker
      when: meaning == 'unsure' or meaning == null
      message: Scope not settled.
    - {{id: big, level: info, when: staff > 25, message: Many staff.}}
    - {{id: tight, level: warning, when: minutes <= 60, message: Little time.}}
"""

# (id, client, bank, status, created, answers); what each gives is worked out by hand:
SESSIONS: list[tuple[str, str, str, str, str, dict[str, Any]]] = [
    # kept foundations, desk; set aside extra; flag big
    ("alpha", "Alpha Library", "lib", "complete", "2026-01-10",
     {"meaning": "behavior", "minutes": 120, "staff": 30}),
    # kept foundations; set aside desk, services, extra; flag tight
    ("beta", "Beta Library", "lib", "complete", "2026-02-10",
     {"meaning": "both", "minutes": 60, "staff": 10}),
    # kept foundations, services, extra; no flags
    ("gamma", "=HYPERLINK(1)", "lib", "in_progress", "2026-03-10",
     {"meaning": "offerings", "minutes": 240}),
    # scope not answered: kept foundations, extra; flag unclear
    ("delta", "Delta Library", "lib", "in_progress", "2026-03-20", {"minutes": 120}),
    # no budget: everything relevant kept (foundations, extra); flag unclear
    ("epsilon", "Epsilon Library", "lib", "complete", "2026-04-01", {"meaning": "unsure"}),
    # another bank: kept foundations; set aside desk, extra; flag tight
    ("zeta", "Zeta Library", "other", "complete", "2026-04-10",
     {"meaning": "behavior", "minutes": 60, "staff": 5}),
]  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    banks = {
        b: load_bank(write_bank(tmp_path, BANK.format(id=b), f"{b}.yaml")) for b in ("lib", "other")
    }
    for session_id, client, bank, status, day, answers in SESSIONS:
        created = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")
        session = Session(
            id=f"{session_id}-{day}",
            bank=bank_ref(banks[bank]),
            client=client,
            status=status,  # type: ignore[arg-type]
            created=created,
            updated=created + dt.timedelta(hours=1),
            answers=answers,
        )
        store.save(session)
    (store.root / "broken-2026-05-01.yaml").write_text("format: [\n", encoding="utf-8")
    return store


def counts(found: tuple[Count, ...]) -> list[tuple[Any, int]]:
    return [(c.key, c.count) for c in found]


def test_counts_across_every_session(store: Store) -> None:
    report = build_report(store)
    assert (report.sessions, report.without_brief, report.with_brief) == (7, 1, 6)
    assert counts(report.scope) == [
        ("behavior", 2),
        ("offerings", 1),
        ("both", 1),
        ("unsure", 1),
        (None, 1),
    ]
    assert [c.label for c in report.scope] == [
        "How staff treat patrons",
        "The services we offer",
        "Both",
        "Not sure yet",
        NOT_ANSWERED,
    ]
    assert [(c.key, c.level, c.count) for c in report.flags] == [
        ("tight", "warning", 2),
        ("unclear", "blocker", 2),
        ("big", "info", 1),
    ]
    assert counts(report.kept) == [("foundations", 6), ("extra", 3), ("desk", 1), ("services", 1)]
    assert counts(report.set_aside) == [("extra", 3), ("desk", 2), ("services", 1)]
    assert [c.label for c in report.set_aside] == [
        "Extra practice",
        "[bold]Desk[/bold] manner",
        "Services review",
    ]
    assert (report.budgets, report.median_budget) == (5, 120)


def test_sessions_that_reach_the_same_outcome_each_count(store: Store) -> None:
    # Three more sessions answered as alpha was: each adds what alpha adds, rows included.
    alpha = store.load("alpha-2026-01-10")
    for n in range(3):
        day = dt.datetime(2026, 5, 2 + n, 9, tzinfo=dt.UTC)
        copy = alpha.model_copy(update={"id": f"copy{n}-{day:%Y-%m-%d}", "created": day})
        store.save(copy.model_copy(update={"updated": day}))
    report = build_report(store)
    assert (report.sessions, report.with_brief) == (10, 9)
    assert counts(report.scope)[0] == ("behavior", 5)
    assert counts(report.flags)[0] == ("big", 4)
    assert counts(report.kept)[:2] == [("foundations", 9), ("desk", 4)]
    assert counts(report.set_aside)[0] == ("extra", 6)
    # Budgets 120 x4, 60, 240, 120, 60: eight in all, the median between the fourth and fifth.
    assert (report.budgets, report.median_budget) == (8, 120)
    copies = [r for r in report.rows if r.id.startswith("copy")]
    assert [(r.kept, r.flags) for r in copies] == [(("foundations", "desk"), ("big",))] * 3


def test_rows_newest_first_with_what_each_session_gives(store: Store) -> None:
    rows = build_report(store).rows
    assert [r.id.split("-")[0] for r in rows] == [
        "zeta",
        "epsilon",
        "delta",
        "gamma",
        "beta",
        "alpha",
        "broken",
    ]
    alpha = rows[5]
    assert (alpha.date, alpha.scope, alpha.budget) == (dt.date(2026, 1, 10), "behavior", 120)
    assert (alpha.kept, alpha.set_aside, alpha.flags) == (
        ("foundations", "desk"),
        ("extra",),
        ("big",),
    )
    broken = rows[-1]
    assert (broken.status, broken.kept, broken.date) == ("unreadable", (), None)
    assert broken.problem


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        (Filters(bank="other"), ["zeta"]),
        (Filters(bank="lib"), ["epsilon", "delta", "gamma", "beta", "alpha"]),
        (Filters(bank="nothing"), []),
        (Filters(status="in_progress"), ["delta", "gamma"]),
        (Filters(status="complete"), ["zeta", "epsilon", "beta", "alpha"]),
        (Filters(since=dt.date(2026, 3, 15)), ["zeta", "epsilon", "delta"]),
        (Filters(since=dt.date(2026, 3, 20)), ["zeta", "epsilon", "delta"]),
        (Filters(since=dt.date(2026, 3, 21)), ["zeta", "epsilon"]),
        (Filters(bank="lib", status="complete", since=dt.date(2026, 2, 1)), ["epsilon", "beta"]),
    ],
)
def test_filters(store: Store, filters: Filters, ids: list[str]) -> None:
    report = build_report(store, filters)
    assert [r.id.split("-")[0] for r in report.rows] == ids
    assert report.sessions == len(ids)


def test_counts_follow_the_filters(store: Store) -> None:
    report = build_report(store, Filters(status="in_progress"))
    assert counts(report.scope) == [
        ("behavior", 0),
        ("offerings", 1),
        ("both", 0),
        ("unsure", 0),
        (None, 1),
    ]
    assert counts(report.kept) == [("extra", 2), ("foundations", 2), ("services", 1)]
    assert report.set_aside == ()
    assert [(c.key, c.count) for c in report.flags] == [("unclear", 1)]
    assert report.median_budget == 180  # 120 and 240


def test_no_sessions(tmp_path: Path) -> None:
    report = build_report(Store(tmp_path / "empty"))
    assert (report.sessions, report.median_budget, report.rows) == (0, None, ())
    assert counts(report.scope) == [(None, 0)]


def test_csv_rows_are_inert_in_spreadsheets(store: Store) -> None:
    rows = list(csv.reader(io.StringIO(csv_text(build_report(store)))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 8
    beta = next(r for r in rows if r[0].startswith("beta-"))
    assert beta == [
        "beta-2026-02-10",
        "Beta Library",
        "2026-02-10",
        "complete",
        "both",
        "60",
        "foundations",
        "desk; services; extra",
        "tight",
    ]
    gamma = next(r for r in rows if r[0].startswith("gamma-"))
    assert gamma[1] == "'=HYPERLINK(1)"


# --------------------------------------------------------------------------- the command


def run(store: Store, *args: str) -> Result:
    return CliRunner().invoke(app, ["--store", str(store.root), "report", *args])


def test_the_report_in_the_terminal(store: Store) -> None:
    result = run(store)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert f"Report: 7 sessions in {store.root}" in out
    assert "1 of them have no brief" in out
    for line in ("How staff treat patrons", "Not answered", "Most frequent flags"):
        assert line in out
    assert "Median time budget: 120 minutes (2.0 h), over the 5 sessions that gave one." in out
    # Titles from a bank are data: shown as written, never read as markup.
    assert "[bold]Desk[/bold] manner" in out
    chart = [line for line in out.splitlines() if "How staff treat patrons" in line]
    assert chart[0].split()[-1] == "█" * 30  # the largest count fills the bar
    assert result.stderr == ""


def test_the_report_with_filters_says_so(store: Store) -> None:
    result = run(store, "--bank", "lib", "--status", "complete", "--since", "2026-02-01")
    assert result.exit_code == 0, result.stderr
    first, second = result.stdout.splitlines()[:2]
    assert first.startswith("Report: 2 sessions in ")
    assert second == ("Only sessions on bank lib, with status complete, created since 2026-02-01.")


def test_json_is_one_document(store: Store) -> None:
    result = run(store, "--json", "--since", "2026-03-15")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["filters"] == {"bank": None, "status": None, "since": "2026-03-15"}
    assert data["sessions"] == 3
    assert [(s["value"], s["count"]) for s in data["scope"]] == [
        ("behavior", 1),
        ("offerings", 0),
        ("both", 0),
        ("unsure", 1),
        (None, 1),
    ]
    assert data["flags"] == [
        {"id": "unclear", "level": "blocker", "count": 2},
        {"id": "tight", "level": "warning", "count": 1},
    ]
    assert data["modules_kept"][0] == {"id": "foundations", "title": "Foundations", "count": 3}
    assert data["time_budget"] == {"sessions": 2, "median_minutes": 90}
    assert [r["id"] for r in data["rows"]] == [
        "zeta-2026-04-10",
        "epsilon-2026-04-01",
        "delta-2026-03-20",
    ]
    assert data["rows"][1]["modules_kept"] == ["foundations", "extra"]


def test_json_streamed_is_the_whole_document_text(store: Store) -> None:
    # Rows are written one at a time; the text is exactly the indented document.
    result = run(store, "--json")
    assert result.exit_code == 0, result.stderr
    whole = json_text(build_report(store, Filters(), rows=True).to_data())
    assert result.stdout == whole + "\n"
    assert len(json.loads(result.stdout)["rows"]) == 7


def test_csv_file_is_written(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.csv"
    target.parent.mkdir()
    result = run(store, "--csv", str(target), "--status", "complete")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "report.csv (4 sessions)" in result.stderr
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r[0].split("-")[0] for r in rows[1:]] == ["zeta", "epsilon", "beta", "alpha"]
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "2026/01/01", ""])
def test_a_bad_since_is_a_usage_error(store: Store, since: str) -> None:
    result = run(store, "--since", since)
    assert result.exit_code == 2
    assert result.stderr.startswith("csintake: --since")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_bad_options_are_usage_errors(store: Store, tmp_path: Path) -> None:
    both = run(store, "--json", "--csv", str(tmp_path / "x.csv"))
    assert both.exit_code == 2
    assert "cannot be used together" in both.stderr
    assert run(store, "--status", "done").exit_code == 2


def test_an_empty_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "none"), "report"])
    assert result.exit_code == 0, result.stderr
    assert "No sessions match." in result.stdout


def test_median_minutes_per_section_from_the_sessions_timings(tmp_path: Path) -> None:
    store = Store(tmp_path / "timed")
    loaded = load_bank(write_bank(tmp_path, BANK.format(id="lib"), "timed.yaml"))
    for n, seconds in enumerate((60.0, 180.0, 600.0), start=1):
        session = Session(
            id=f"timed-{n}",
            bank=bank_ref(loaded),
            client=f"Library {n}",
            answers={"meaning": "behavior"},
            timings={"basics": seconds},
        )
        store.save(session)
    store.save(Session(id="untimed", bank=bank_ref(loaded), client="Untimed"))
    found = build_report(store)
    assert found.section_minutes == (("basics", 3.0, 3),)
    assert found.to_data()["minutes_per_section"] == [
        {"section": "basics", "median_minutes": 3.0, "sessions": 3}
    ]
    result = CliRunner().invoke(app, ["--store", str(store.root), "report"])
    assert result.exit_code == 0, result.stderr
    assert "Median minutes per section on the call:" in result.stdout
    assert "basics: 3 min (3 sessions)" in result.stdout
