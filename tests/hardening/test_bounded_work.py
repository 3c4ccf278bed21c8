"""Work that could run for ever or reach too far is bounded: a brief template reaches no
other file and its arithmetic cannot run away, a pattern cannot backtrack for ever, and an
endless or blocking file (``/dev/zero``, a FIFO) is refused at once."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csintake.bank.patterns import MAX_MATCHED, matches, pattern_problem
from csintake.cli import app
from csintake.errors import AnswerError

from .common import ALL_TYPES_BANK, LOCATED, csintake_command, examples, subprocess_env
from .test_outputs import new_session, one_line_failure

# A hang guard only: each of these finishes in about a second once bounded.
HANG = 120


def run(home: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [csintake_command(), *args],
        env=subprocess_env(home),
        input=stdin.decode("latin-1") if stdin is not None else None,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )


# ------------------------------------------------------------------ templates


@pytest.mark.parametrize(
    "source",
    [
        "{% include 'secret.txt' %}",
        "{% include 'link.txt' %}",
        "{% import 'macros.j2' as m %}{{ m.x() }}",
        "{% from 'macros.j2' import x %}{{ x() }}",
        "{% extends 'base.j2' %}",
        "{% include '/etc/passwd' %}",
        "{% include '../outside.txt' %}",
        "{% include self %}",
    ],
)
def test_a_template_reaches_no_file_but_itself(
    runner: CliRunner, csintake_home: Path, tmp_path: Path, source: str
) -> None:
    sid = new_session(runner)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "secret.txt").write_text("SECRET-KEY\n", encoding="utf-8")
    (folder / "link.txt").symlink_to("/etc/passwd")
    (folder / "macros.j2").write_text("{% macro x() %}SECRET-KEY{% endmacro %}", "utf-8")
    (folder / "base.j2").write_text("SECRET-KEY {% block b %}{% endblock %}", "utf-8")
    (tmp_path / "outside.txt").write_text("SECRET-KEY\n", encoding="utf-8")
    template = folder / "brief.md.j2"
    template.write_text(source + "\n", encoding="utf-8")
    result = runner.invoke(app, ["brief", sid, "--template", str(template)])
    line = one_line_failure(result)
    assert line.startswith(f"csintake: {template}"), line
    assert "SECRET-KEY" not in result.stdout
    assert "root:" not in result.stdout


@pytest.mark.parametrize(
    "source",
    [
        "{{ 7 ** 100000000 > 1 }}",
        "{{ (7 ** 100000000) }}",
        "{% set n = 10 ** 30000 %}{{ n > 1 }}",
        "{{ 9 ** (9 ** 9) }}",
        "{% set a = 2 ** 30000 %}{{ (a * a * a) > 1 }}",
        "{{ (-3) ** 200000 > 0 }}",
    ],
)
def test_template_arithmetic_is_refused_before_it_runs(
    csintake_home: Path, runner: CliRunner, tmp_path: Path, source: str
) -> None:
    sid = new_session(runner)
    template = tmp_path / "sum.md.j2"
    template.write_text(source + "\n", encoding="utf-8")
    result = run(csintake_home, "brief", sid, "--template", str(template))
    assert result.returncode == 1, result.stdout[:200]
    assert result.stderr == (
        f"csintake: {template}:1: the result of '{'*' if 'a * a' in source else '**'}'"
        " would be too big to compute\n"
    )


def test_template_arithmetic_of_ordinary_size_still_works(
    runner: CliRunner, tmp_path: Path
) -> None:
    sid = new_session(runner)
    template = tmp_path / "sum.md.j2"
    template.write_text("{{ 2 ** 10 }} {{ 3 * 4 }} {{ 'ab' * 3 }} {{ 2 ** 0.5 > 1 }}\n", "utf-8")
    result = runner.invoke(app, ["brief", sid, "--template", str(template)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "1024 12 ababab True\n"


# ----------------------------------------------------------------- endless files


def _path_of_kind(kind: str, tmp_path: Path, good: Path) -> str:
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe.yaml")
        return str(tmp_path / "pipe.yaml")
    if kind == "symlink to a fifo":
        os.mkfifo(tmp_path / "pipe2")
        (tmp_path / "to-pipe.yaml").symlink_to(tmp_path / "pipe2")
        return str(tmp_path / "to-pipe.yaml")
    if kind == "symlink loop":
        (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
        return str(tmp_path / "loop.yaml")
    if kind == "symlink to the file":
        (tmp_path / "link.yaml").symlink_to(good)
        return str(tmp_path / "link.yaml")
    if kind == "huge":
        huge = tmp_path / "huge.yaml"
        with huge.open("wb") as handle:
            handle.truncate(9 << 20)  # sparse: 9 MB of NULs, no disk needed
        return str(huge)
    if kind == "too long":
        return str(tmp_path / ("x" * 5000))
    if kind == "folder":
        return str(tmp_path)
    return kind  # /dev/zero, /dev/null, /dev/urandom


KINDS = [
    "/dev/zero",
    "/dev/null",
    "fifo",
    "symlink to a fifo",
    "symlink loop",
    "huge",
    "too long",
    "symlink to the file",
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("use", ["bank check", "bank of a new session", "template", "answers"])
def test_a_path_of_any_kind_is_read_or_refused_at_once(
    runner: CliRunner, csintake_home: Path, tmp_path: Path, kind: str, use: str
) -> None:
    sid = new_session(runner)
    good = tmp_path / "good.yaml"
    good.write_text(
        "{{ brief.title }}\n"
        if use == "template"
        else ALL_TYPES_BANK
        if use != "answers"
        else "library_name: Ames\n",
        encoding="utf-8",
    )
    path = _path_of_kind(kind, tmp_path, good)
    args = {
        "bank check": ["bank", "check", path],
        "bank of a new session": ["interview", "--no-input", "--client", "X", "--bank", path],
        "template": ["brief", sid, "--template", path, "--format", "markdown"],
        "answers": ["interview", sid, "--no-input", "--answers", path],
    }[use]
    result = run(csintake_home, *args)
    assert "Traceback" not in result.stderr
    if kind == "symlink to the file":
        # Read through the link: a new session on that bank still lacks its answers.
        assert result.returncode == 0 or "missing answer: name" in result.stderr, result.stderr
        return
    assert result.returncode in (1, 2), result.stderr
    lines = (result.stderr + result.stdout if use == "bank check" else result.stderr).splitlines()
    assert lines, result
    assert all(len(line) < 6000 for line in lines)
    if kind in ("/dev/zero", "fifo", "symlink to a fifo", "huge"):
        # Refused as what it is (a bank named on the command line must be a file at all).
        said = ("not a regular file", "larger than 8 MB", "no such bank file")
        assert any(s in x for s in said for x in lines), lines


def test_answers_from_an_endless_stdin_are_refused(csintake_home: Path) -> None:
    result = run(
        csintake_home, "interview", "--no-input", "--client", "X", "--answers", "-",
        stdin=b"a: " + b"x" * (9 << 20),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "csintake: <stdin>: cannot read: larger than 8 MB\n"


# -------------------------------------------------------------------- patterns


def pattern_bank(pattern: str, tmp_path: Path, default: str | None = None) -> Path:
    text = ALL_TYPES_BANK.replace('pattern: "[A-Z]{2}-[0-9]+"', f"pattern: '{pattern}'")
    if default is not None:
        text = text.replace("pattern_message: Like AB-12", f"default: '{default}'")
    bank = tmp_path / "patterns.yaml"
    bank.write_text(text, encoding="utf-8")
    return bank


BACKTRACKING = [
    "(a+)+$",
    "(a*)*b",
    "(a|aa)+$",  # alternatives inside a repetition, each repeated: caught by the deadline
    "(\\w+\\s?)+$",
    "(.*a){20}",
    "((ab)*)+c",
    "(?:a+){2,}x",
    "(a)(?:\\1)+$",
]
HUGE = ["a{4294967295}", "a{100000}", "(?:ab){0,20000}", "a{5,4294967296}"]


@pytest.mark.parametrize("pattern", [p for p in BACKTRACKING if "|" not in p] + HUGE)
def test_bank_check_refuses_a_backtracking_or_huge_pattern_where_it_stands(
    runner: CliRunner, tmp_path: Path, pattern: str
) -> None:
    bank = pattern_bank(pattern, tmp_path)
    result = runner.invoke(app, ["bank", "check", str(bank)])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    found = [line for line in lines if "pattern" in line]
    assert len(found) == 1, lines
    assert LOCATED.match(found[0].removeprefix("csintake: ")), found
    line = 1 + bank.read_text(encoding="utf-8").splitlines().index(f"        pattern: '{pattern}'")
    assert found[0].removeprefix("csintake: ").startswith(f"{bank}:{line}:18: "), found
    for command in (
        ["bank", "show", str(bank)],
        ["interview", "--bank", str(bank), "--no-input", "--client", "X"],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert any(f"{bank}:{line}:18: pattern " in x for x in result.stderr.splitlines())


def test_bank_check_never_matches_a_default_against_a_backtracking_pattern(
    csintake_home: Path, tmp_path: Path
) -> None:
    bank = pattern_bank("(a+)+$", tmp_path, default="a" * 40 + "!")
    result = run(csintake_home, "bank", "check", str(bank))
    assert result.returncode == 1
    (line,) = [x for x in result.stdout.splitlines() + result.stderr.splitlines() if x]
    assert "pattern repeats a repetition" in line


@pytest.mark.parametrize("pattern", ["(a|aa)+$", "a*a*a*a*a*a*a*b"])
def test_a_slow_pattern_that_passes_bank_check_is_bounded_when_matched(
    csintake_home: Path, tmp_path: Path, pattern: str
) -> None:
    bank = pattern_bank(pattern, tmp_path)
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"name: Ames\ncode: {'a' * 3000}!\n", encoding="utf-8")
    result = run(
        csintake_home, "interview", "--bank", str(bank), "--client", "X", "--no-input",
        "--answers", str(answers),
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "code: This answer takes too long to check against the expected form" in result.stderr


def test_a_long_answer_is_not_matched_against_a_pattern() -> None:
    with pytest.raises(AnswerError, match="longer text is not checked"):
        matches("[a-z]+", "a" * (MAX_MATCHED + 1))
    assert matches("[a-z]+", "a" * MAX_MATCHED)


REGEX_PARTS = st.sampled_from(
    [*"ab.()|*+?", "[a-z]", "\\d", "\\w", "\\1", "{2}", "{2,}", "{0,99999}", "(?:", "(?=", "$"]
)


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(REGEX_PARTS, max_size=12).map("".join), st.sampled_from(["a" * 30 + "!", "ab"]))
def test_any_pattern_is_refused_with_a_reason_or_matched_within_bounds(
    pattern: str, text: str
) -> None:
    problem = pattern_problem(pattern)
    if problem is not None:
        assert problem.startswith("pattern ")
        assert "\n" not in problem
        return
    try:
        result: bool | str = matches(pattern, text)
    except AnswerError as exc:
        result = str(exc)
    assert result in (True, False) or "too long" in str(result)
