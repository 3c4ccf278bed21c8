"""Arbitrary answers: any value for any question is either stored as a valid, storable value
or refused with a message; a scripted intake from any answers file exits 0 or 1 with one
line per problem, never a traceback, and keeps only valid answers."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csintake.bank.checker import check_bytes
from csintake.bank.loader import load_bank
from csintake.bank.model import AnyQuestion
from csintake.bank.validation import show_value, validate_answer
from csintake.cli import app
from csintake.errors import AnswerError
from csintake.files.yamlfile import dump, load_text
from csintake.store.store import Store

from .common import ALL_TYPES_BANK, SHIPPED_BANK, examples

SETTINGS = settings(
    max_examples=examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CLI = settings(SETTINGS, max_examples=examples(60))

SHIPPED = load_bank(SHIPPED_BANK)


_all_types, _problems = check_bytes(ALL_TYPES_BANK.encode(), "all-types.yaml")
assert _all_types is not None, _problems
ALL_TYPES = _all_types
QUESTIONS: list[AnyQuestion] = [*SHIPPED.bank.questions, *ALL_TYPES.questions]

SPECIAL = [
    "", " ", "0", "12", "-3", "1,000", "1,5", "1.5", "1e3", "1e999", "-0", "nan", "inf",
    "yes", "No", "TRUE", "y", "2026-02-30", "2026-02-28", "1999-12-31", "2026-1-1",
    "behavior", "Both", "How staff treat patrons", "desk, phone", "Ex, why, 7", "x,y,z",
    "AB-12", "ab-12", "٣", "１２", "[bold]x[/]", "<script>alert(1)</script>", "\x1b[31mred",
    "a\nb", "a\rb", "\u202eevil", "👩‍👩‍👧‍👦", "e\u0301", "\ud83d\ude00", "x" * 5000,
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**4000),
    st.floats(),
    st.text(max_size=40),
    st.sampled_from(SPECIAL),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def assert_storable(question: AnyQuestion, value: Any) -> None:
    """A stored value is valid again as it is, survives the session file, and can be shown."""
    assert validate_answer(question, value) == value
    text = dump({"v": value})
    text.encode("utf-8")  # a file can hold it
    assert load_text(text, "f").value == {"v": value}
    show_value(question, value).encode("utf-8")


@SETTINGS
@given(question=st.sampled_from(QUESTIONS), raw=json_values)
def test_any_value_for_any_question_is_stored_valid_or_refused(
    question: AnyQuestion, raw: Any
) -> None:
    try:
        value = validate_answer(question, raw)
    except AnswerError as exc:
        message = str(exc)
        assert message
        assert "\n" not in message
        return
    assert_storable(question, value)


def _answers(bank_questions: list[AnyQuestion]) -> st.SearchStrategy[dict[str, Any]]:
    ids = [q.id for q in bank_questions]
    keys = st.one_of(st.sampled_from(ids), st.sampled_from(ids), st.text(max_size=10))
    return st.dictionaries(keys, json_values, max_size=len(ids))


PROBLEM_LINE = re.compile(r"^csintake: .+$")


def run_scripted(
    runner: CliRunner, tmp_path: Path, answers: dict[str, Any], fmt: str, bank: str | None
) -> None:
    """One scripted intake in a store of its own, then `show` and `sessions` on it."""
    path = tmp_path / f"answers.{fmt}"
    if fmt == "json":
        text = json.dumps(answers, ensure_ascii=len(answers) % 2 == 0)
    else:
        text = yaml.safe_dump(answers, allow_unicode=True)
    # Unpaired surrogates written raw make a file that is not UTF-8: refused, located.
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        store = Store(Path(folder))
        args = ["--store", folder, "interview", "--no-input", "--client", "Fuzz Library"]
        args += ["--answers", str(path), *(["--bank", bank] if bank else [])]
        result = runner.invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
        for line in result.stderr.splitlines():
            assert PROBLEM_LINE.match(line), repr(line)
        if result.exit_code == 1:
            assert result.stderr.strip()
        ids = store.ids()
        if not ids:  # the answers file itself was refused before a session was created
            assert result.exit_code == 1
            assert "answers." in result.stderr
            return
        (session_id,) = ids
        session = store.load(session_id)
        assert (session.status == "complete") == (result.exit_code == 0)
        used = ALL_TYPES if session.bank.id == "all-types" else SHIPPED.bank
        for qid, value in session.answers.items():
            assert_storable(used.question_map[qid], value)
        for command in (["show", session_id], ["show", session_id, "--json"], ["sessions"]):
            shown = runner.invoke(app, ["--store", folder, *command])
            assert shown.exit_code == 0, (shown.exception, shown.stderr)


@CLI
@given(answers=_answers(SHIPPED.bank.questions), fmt=st.sampled_from(["json", "yaml"]))
def test_scripted_intake_with_any_answers_file_exits_0_or_1_cleanly(
    answers: dict[str, Any], fmt: str, tmp_path: Path, runner: CliRunner
) -> None:
    run_scripted(runner, tmp_path, answers, fmt, None)


@CLI
@given(answers=_answers(ALL_TYPES.questions), fmt=st.sampled_from(["json", "yaml"]))
def test_scripted_intake_of_every_type_exits_0_or_1_cleanly(
    answers: dict[str, Any], fmt: str, tmp_path: Path, runner: CliRunner
) -> None:
    bank = tmp_path / "all-types.yaml"
    bank.write_text(ALL_TYPES_BANK, encoding="utf-8")
    run_scripted(runner, tmp_path, answers, fmt, str(bank))


@pytest.mark.parametrize(
    ("qid", "raw"),
    [
        ("free", 10**400),
        ("ratio", 10**400),
        ("count", 10**400),
        ("count", 1e300),
        ("name", 10**4000),
        ("name", "ab\ud800"),
        ("story", "\ud83d\ude00 pair from a JSON escape"),
    ],
)
def test_extreme_values_are_refused_or_stored(qid: str, raw: Any) -> None:
    question = ALL_TYPES.question_map[qid]
    try:
        value = validate_answer(question, raw)
    except AnswerError:
        return
    assert_storable(question, value)
