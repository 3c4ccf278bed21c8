"""Odd values and odd entries are one located line, never a traceback, and never hide the
rest of the store: integers of every YAML form and size, times at the edges of the range,
recorded bank paths the system cannot look up, session files that cannot be opened, and YAML
syntax errors whose construct started long before the parser gave up."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csintake.cli import app
from csintake.errors import YamlError
from csintake.files.yamlfile import dump, load_plain, load_text
from csintake.overview.report import session_date
from csintake.store.session import BankRef, Session
from csintake.store.store import parse_session

from .common import ALL_TYPES_BANK, LOCATED, examples
from .test_outputs import new_session

# ------------------------------------------------------------------- integers


def _spell(digits: int, form: str, sign: str = "") -> str:
    """An integer of ``digits`` digits in one of YAML's forms, written without building it."""
    body = {
        "decimal": "9" * digits,
        "hex": "0x" + "f" * digits,
        "octal": "0" + "7" * digits,
        "binary": "0b" + "1" * digits,
        "underscored": "1_" + "0" * digits,
        "base 60": "1" + ":59" * digits,
    }[form]
    return sign + body


def _too_big(form: str) -> str:
    """An integer of more than 4300 decimal digits (15,000 binary digits are 4,516)."""
    return _spell(15_000 if form == "binary" else 6000, form)


FORMS = ["decimal", "hex", "octal", "binary", "underscored", "base 60"]


@settings(max_examples=examples(200), deadline=None)
@given(
    st.sampled_from(FORMS),
    st.one_of(st.integers(1, 30), st.integers(1, 20_000)),
    st.sampled_from(["", "-", "+"]),
)
def test_an_integer_of_any_form_and_size_is_a_value_both_loaders_agree_on_or_located(
    form: str, digits: int, sign: str
) -> None:
    text = f"n: {_spell(digits, form, sign)}\n"
    quick, plain = load_plain(text)
    problems: list[str] = []
    try:
        doc = load_text(text, "f.yaml")
    except YamlError as exc:
        problems = exc.lines()
    if problems:
        assert problems == ["f.yaml:1:4: number has too many digits"]
        assert not quick
        return
    n = doc.value["n"]
    if isinstance(n, int):
        assert len(str(n)) <= 4301  # printable, so it can be shown and saved
    if quick:
        assert plain == doc.value


@pytest.mark.parametrize("form", FORMS)
def test_a_huge_integer_in_a_bank_is_a_located_problem_in_every_command(
    runner: CliRunner, tmp_path: Path, form: str
) -> None:
    huge = _too_big(form)
    bank = tmp_path / "ints.yaml"
    bank.write_text(ALL_TYPES_BANK.replace("max: 10000}", f"max: {huge}}}"), encoding="utf-8")
    for args in (
        ["bank", "check", str(bank)],
        ["bank", "show", str(bank)],
        ["interview", "--bank", str(bank), "--client", "X", "--no-input"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output[:300])
        assert "Traceback" not in result.output
        lines = [x.removeprefix("csintake: ") for x in result.output.splitlines()]
        assert any(LOCATED.match(x) and "number has too many digits" in x for x in lines), lines


@pytest.mark.parametrize("form", ["hex", "base 60", "binary"])
def test_a_huge_integer_in_a_session_file_is_a_located_problem(
    runner: CliRunner, csintake_home: Path, form: str
) -> None:
    sid = new_session(runner)
    path = csintake_home / f"{sid}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("participants: 48", f"participants: {_too_big(form)}"),
        encoding="utf-8",
    )
    for args in (["show", sid, "--json"], ["interview", sid, "--no-input"], ["brief", sid]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert "Traceback" not in result.output
        (line,) = result.stderr.splitlines()
        assert "number has too many digits" in line
        assert LOCATED.match(line.removeprefix("csintake: ")), line
    result = runner.invoke(app, ["sessions"])
    assert result.exit_code == 0
    assert "unreadable" in result.stdout


# ---------------------------------------------------------------------- times

EDGES = [
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59+00:00",
    "9999-12-31T12:00:00",
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00+00:00",
    "0001-01-01T12:00:00",
]


@pytest.mark.parametrize("field", ["created", "updated"])
@pytest.mark.parametrize("edge", EDGES)
def test_a_time_at_the_edge_of_the_range_is_located_and_hides_nothing(
    runner: CliRunner, csintake_home: Path, edge: str, field: str
) -> None:
    healthy = new_session(runner, "Healthy")
    odd = new_session(runner, "Odd")
    path = csintake_home / f"{odd}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [f"{field}: '{edge}'" if x.startswith(f"{field}:") else x for x in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for args in (["sessions"], ["sessions", "--json"], ["report"], ["report", "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output[-300:])
        if args == ["report"]:
            assert "Report: 2 sessions" in result.stdout
            continue
        assert healthy in result.stdout, args
        assert odd in result.stdout, args
    result = runner.invoke(app, ["show", odd])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert f"{field}: the time is out of range" in line
    assert LOCATED.match(line.removeprefix("csintake: ")), line


NEAR_THE_EDGES = st.one_of(
    st.datetimes(max_value=dt.datetime(1, 1, 3)),
    st.datetimes(min_value=dt.datetime(9999, 12, 29)),
    st.datetimes(),
)


@settings(max_examples=examples(300), deadline=None)
@given(NEAR_THE_EDGES, st.integers(-1439, 1439) | st.none())
def test_any_time_in_a_session_file_is_usable_in_every_zone_or_refused(
    moment: dt.datetime, minutes: int | None
) -> None:
    zone = None if minutes is None else dt.timezone(dt.timedelta(minutes=minutes))
    session = Session(id="x", bank=BankRef(id="b", version="1", sha256="0", path=""), client="C")
    data = session.to_data()
    data["created"] = moment.replace(tzinfo=zone).isoformat()
    problems: list[str] = []
    try:
        parsed = parse_session(dump(data), "f.yaml")
    except YamlError as exc:
        problems = exc.lines()
    if problems:
        (line,) = problems
        assert "created: the time is out of range" in line
        return
    # What sessions, report and show do with a time: compare, move to UTC and local time.
    assert session_date(parsed.created)
    assert parsed.created.astimezone(dt.UTC).isoformat()
    assert (parsed.created < parsed.updated) in (True, False)


def test_the_last_ordinary_times_still_work(runner: CliRunner, csintake_home: Path) -> None:
    sid = new_session(runner)
    path = csintake_home / f"{sid}.yaml"
    text = path.read_text(encoding="utf-8")
    created = next(x for x in text.splitlines() if x.startswith("created:"))
    path.write_text(text.replace(created, "created: '9999-12-30T00:00:00+14:00'"), "utf-8")
    assert runner.invoke(app, ["report"]).exit_code == 0
    assert runner.invoke(app, ["show", sid]).exit_code == 0


# --------------------------------------------------------------- odd entries


def _odd_entry(kind: str, home: Path, template: str) -> str:
    """Make one odd entry named ``odd-…`` in the store; its id."""
    sid = "odd-2026-01-01"
    path = home / f"{sid}.yaml"
    text = template.replace(template.split("\n", 2)[1], f"id: {sid}", 1)
    recorded = next(x for x in text.splitlines() if x.startswith("  path: "))
    if kind == "symlink loop":
        path.symlink_to(path)
    elif kind == "dangling symlink":
        path.symlink_to(home / "gone.yaml")
    elif kind == "a folder":
        path.mkdir()
    elif kind == "bank path with a NUL":
        path.write_text(text.replace(recorded, '  path: "/tmp/a\\0b.yaml"'), "utf-8")
    elif kind == "bank path too long":
        path.write_text(text.replace(recorded, "  path: /" + "a" * 5000), "utf-8")
    elif kind == "bank path component too long":
        path.write_text(text.replace(recorded, "  path: /tmp/" + "a" * 300 + "/b.yaml"), "utf-8")
    elif kind == "bank id and path too long":
        long_id = "b" * 5000
        text = text.replace("  id: library-customer-service", f"  id: {long_id}", 1)
        path.write_text(text.replace(recorded, "  path: /" + "a" * 5000), "utf-8")
    elif kind == "a FIFO":
        os.mkfifo(path)
    return sid


ODD = [
    "symlink loop",
    "dangling symlink",
    "a folder",
    "bank path with a NUL",
    "bank path too long",
    "bank path component too long",
    "bank id and path too long",
    "a FIFO",
]


@pytest.mark.parametrize("kind", ODD)
def test_one_odd_entry_never_hides_the_healthy_sessions(
    runner: CliRunner, csintake_home: Path, kind: str
) -> None:
    healthy = new_session(runner, "Healthy")
    template = (csintake_home / f"{healthy}.yaml").read_text(encoding="utf-8")
    odd = _odd_entry(kind, csintake_home, template)
    for args in (["sessions"], ["sessions", "--json"], ["report"], ["report", "--json"]):
        for _ in range(2):  # computed, then from the index
            result = runner.invoke(app, args)
            assert result.exit_code == 0, (args, result.output[-400:])
            assert "Traceback" not in result.output
            assert args == ["report"] or healthy in result.stdout
    listed = runner.invoke(app, ["sessions"]).stdout
    if kind == "symlink loop":
        assert odd in listed
        assert "unreadable" in listed
    result = runner.invoke(app, ["show", odd])
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ YAML syntax

UNCLOSED = [
    ('    prompt: "What brought you here?\n', 11, 13, "quoted scalar"),
    ("    prompt: 'What brought you here?\n", 11, 13, "quoted scalar"),
    ("    choices: [a, b\n", 11, 14, "flow sequence"),
    ("    labels: {1: Low\n", 11, 13, "flow mapping"),
]


@pytest.mark.parametrize(("line_text", "line", "column", "what"), UNCLOSED)
def test_a_yaml_syntax_error_is_located_where_its_construct_started(
    runner: CliRunner, tmp_path: Path, line_text: str, line: int, column: int, what: str
) -> None:
    head = "format: csintake/bank@1\nid: x\nversion: 1.0.0\ntitle: X\nsections:\n"
    head += "  - id: s\n    title: S\n    questions:\n  - id: q\n    type: text\n"
    text = head + line_text + "    help: more\n    required: true\n  - id: r\n    type: text\n"
    assert text.splitlines()[line - 1] == line_text.rstrip("\n")
    bank = tmp_path / "broken.yaml"
    bank.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["bank", "check", str(bank)])
    assert result.exit_code == 1
    (found,) = [x for x in result.output.splitlines() if "YAML syntax" in x]
    assert what in found
    if "quoted" in what:  # read on to the end of the file: located where it opened
        assert found.removeprefix("csintake: ").startswith(f"{bank}:{line}:{column}: ")
        assert "the file ended at 16:1" in found
    else:  # stopped at the next line: located there, and says where it opened
        assert found.endswith(f"that started at {line}:{column}"), found
