"""The ``when`` condition language and ``{id}`` placeholders."""

from __future__ import annotations

import builtins
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from csintake.bank.conditions import Comparison, fill, parse, placeholders
from csintake.errors import ConditionError


def ev(text: str, **answers: Any) -> bool:
    return parse(text).evaluate(answers)


def refusal(text: str) -> ConditionError:
    with pytest.raises(ConditionError) as info:
        parse(text)
    return info.value


# ------------------------------------------------------------------------ truth tables

COMPARISONS = [
    ("a == 1", {"a": 1}, True),
    ("a == 1", {"a": 2}, False),
    ("a == 1", {}, False),
    ("a == 1", {"a": 1.0}, True),
    ("a == 1", {"a": True}, False),
    ("a == 1", {"a": "1"}, False),
    ("a == 'x'", {"a": "x"}, True),
    ("a == 'x'", {"a": "X"}, False),
    ("'x' == a", {"a": "x"}, True),
    ("a != 1", {"a": 1}, False),
    ("a != 1", {"a": 2}, True),
    ("a != 1", {}, True),
    ("a < 5", {"a": 4}, True),
    ("a < 5", {"a": 5}, False),
    ("a < 5", {"a": 4.5}, True),
    ("a <= 5", {"a": 5}, True),
    ("a <= 5", {"a": 6}, False),
    ("a > 5", {"a": 6}, True),
    ("a > 5", {"a": 5}, False),
    ("a >= 5", {"a": 5}, True),
    ("a >= 5", {"a": 4}, False),
    ("a < 'm'", {"a": "b"}, True),
    ("a < 'm'", {"a": "x"}, False),
    ("d >= '2024-01-01'", {"d": "2024-06-01"}, True),
    ("d >= '2024-01-01'", {"d": "2023-12-31"}, False),
    ("a < b", {"a": 1, "b": 2}, True),
    ("a < b", {"a": 2, "b": 1}, False),
]


@pytest.mark.parametrize(("text", "answers", "expected"), COMPARISONS)
def test_comparisons(text: str, answers: dict[str, Any], expected: bool) -> None:
    assert parse(text).evaluate(answers) is expected


MEMBERSHIP = [
    ("a in ['x', 'y']", {"a": "x"}, True),
    ("a in ['x', 'y']", {"a": "z"}, False),
    ("a in ['x', 'y']", {}, False),
    ("a not in ['x', 'y']", {"a": "x"}, False),
    ("a not in ['x', 'y']", {"a": "z"}, True),
    ("a not in ['x', 'y']", {}, True),
    ("a in [1, 2]", {"a": 2}, True),
    ("a in [1, 2]", {"a": True}, False),
    ("a in []", {"a": "x"}, False),
    ("a in ('x', 'y')", {"a": "y"}, True),
    # a multi_choice answer is a list
    ("'x' in m", {"m": ["x", "y"]}, True),
    ("'x' in m", {"m": ["y"]}, False),
    ("'x' in m", {"m": []}, False),
    ("'x' not in m", {"m": ["y"]}, True),
    ("'x' not in m", {"m": ["x"]}, False),
    ("1 in m", {"m": [1, 2]}, True),
    ("1 in m", {"m": [True]}, False),
    ("'x' in m or 'z' in m", {"m": ["z"]}, True),
]


@pytest.mark.parametrize(("text", "answers", "expected"), MEMBERSHIP)
def test_membership(text: str, answers: dict[str, Any], expected: bool) -> None:
    assert parse(text).evaluate(answers) is expected


@pytest.mark.parametrize("a", [True, False])
@pytest.mark.parametrize("b", [True, False])
def test_and_or_not(a: bool, b: bool) -> None:
    assert ev("a and b", a=a, b=b) is (a and b)
    assert ev("a or b", a=a, b=b) is (a or b)
    assert ev("not a", a=a) is (not a)
    assert ev("not (a or b)", a=a, b=b) is (not (a or b))
    assert ev("not a and b", a=a, b=b) is ((not a) and b)


PARENTHESES = [
    ("a == 1 and (b == 2 or c == 3)", {"a": 0, "c": 3}, False),
    ("(a == 1 and b == 2) or c == 3", {"a": 0, "c": 3}, True),
    ("a == 1 and b == 2 or c == 3", {"a": 0, "c": 3}, True),
    ("not a == 1", {"a": 1}, False),
    ("not (a == 1)", {"a": 2}, True),
    ("((a))", {"a": "x"}, True),
]


@pytest.mark.parametrize(("text", "answers", "expected"), PARENTHESES)
def test_parentheses_and_precedence(text: str, answers: dict[str, Any], expected: bool) -> None:
    assert parse(text).evaluate(answers) is expected


CHAINED = [
    ("1 < a < 5", {"a": 3}, True),
    ("1 < a < 5", {"a": 5}, False),
    ("1 < a < 5", {"a": 1}, False),
    ("1 < a < 5", {}, False),
    ("1 <= a <= 1", {"a": 1}, True),
    ("a == b == 1", {"a": 1, "b": 1}, True),
    ("a == b == 1", {"a": 2, "b": 2}, False),
    ("a < b > c", {"a": 1, "b": 3, "c": 2}, True),
]


@pytest.mark.parametrize(("text", "answers", "expected"), CHAINED)
def test_chained_comparisons(text: str, answers: dict[str, Any], expected: bool) -> None:
    assert parse(text).evaluate(answers) is expected


FUNCTIONS = [
    ("answered(a)", {"a": "x"}, True),
    ("answered(a)", {"a": False}, True),
    ("answered(a)", {"a": 0}, True),
    ("answered(a)", {"a": None}, False),
    ("answered(a)", {}, False),
    ("not answered(a)", {}, True),
    ("len(m) >= 2", {"m": ["x", "y"]}, True),
    ("len(m) >= 2", {"m": ["x"]}, False),
    ("len(m) == 0", {"m": []}, True),
    ("len(m) == 0", {}, True),
    ("len(s) > 3", {"s": "abcd"}, True),
    ("len(s) > 3", {"s": "abc"}, False),
    ("len(['a', 'b']) == 2", {}, True),
    ("len(n) == 0", {"n": 12}, True),
]


@pytest.mark.parametrize(("text", "answers", "expected"), FUNCTIONS)
def test_answered_and_len(text: str, answers: dict[str, Any], expected: bool) -> None:
    assert parse(text).evaluate(answers) is expected


LITERALS = [
    ("true", {}, True),
    ("false", {}, False),
    ("null", {}, False),
    ("True", {}, True),
    ("False", {}, False),
    ("None", {}, False),
    ("a == true", {"a": True}, True),
    ("a == True", {"a": True}, True),
    ("a == false", {"a": False}, True),
    ("a == False", {"a": False}, True),
    ("a == false", {}, False),
    ("a == false", {"a": 0}, False),
    ("a == null", {}, True),
    ("a == None", {}, True),
    ("a == null", {"a": False}, False),
    ("a != null", {"a": 0}, True),
    ("true == True", {}, True),
    ("null == None", {}, True),
    ("a > -1", {"a": 0}, True),
    ("a == -2", {"a": -2}, True),
    ("a < -1.5", {"a": -2}, True),
    ("-1 < a", {"a": -2}, False),
    ("a in [-1, -2]", {"a": -2}, True),
    ("1.5 == a", {"a": 1.5}, True),
]


@pytest.mark.parametrize(("text", "answers", "expected"), LITERALS)
def test_literals_and_aliases(text: str, answers: dict[str, Any], expected: bool) -> None:
    assert parse(text).evaluate(answers) is expected


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("a", {"a": "x"}, True),
        ("a", {"a": ""}, False),
        ("a", {"a": []}, False),
        ("a", {"a": 0}, False),
        ("a", {}, False),
        ("not a", {}, True),
    ],
)
def test_truthiness_of_bare_names(text: str, answers: dict[str, Any], expected: bool) -> None:
    assert parse(text).evaluate(answers) is expected


# ---------------------------------------------------------------------- null semantics

NULLS = [
    ("a < 1", False),
    ("a <= 1", False),
    ("a > 1", False),
    ("a >= 1", False),
    ("1 < a", False),
    ("a < b", False),
    ("a <= null", False),
    ("null >= null", False),
    ("a == 1", False),
    ("a != 1", True),
    ("'x' in a", False),
    ("'x' not in a", True),
    ("a in ['x']", False),
    ("a not in ['x']", True),
    ("a in null", False),
    ("a not in null", True),
    ("len(a) == 0", True),
    ("len(null) == 0", True),
    ("answered(a)", False),
    ("not a", True),
]


@pytest.mark.parametrize(("text", "expected"), NULLS)
def test_unanswered_is_null_and_null_never_raises(text: str, expected: bool) -> None:
    assert parse(text).evaluate({}) is expected
    assert parse(text).evaluate({"a": None, "b": None}) is expected


MIXED = [
    ("'a' < 1", {}),
    ("1 < 'a'", {}),
    ("a < 1", {"a": "x"}),
    ("a >= 1", {"a": "x"}),
    ("a > 0", {"a": True}),
    ("a < 'z'", {"a": 1}),
    ("a < b", {"a": [1], "b": [2]}),
    ("a == '1'", {"a": 1}),
    ("a > 1", {"a": {"k": 1}}),
]


@pytest.mark.parametrize(("text", "answers"), MIXED)
def test_mixed_types_are_false_never_an_error(text: str, answers: dict[str, Any]) -> None:
    assert parse(text).evaluate(answers) is False


def test_evaluate_returns_a_bool() -> None:
    assert parse("a").evaluate({"a": "text"}) is True
    assert parse("len(a)").evaluate({"a": ["x"]}) is True


# ------------------------------------------------------------------------------ explain


def test_explain_lists_the_ids_read_in_order() -> None:
    cond = parse("b == 1 and a == 1 and b == 1")
    assert cond.explain({"a": 1, "b": 1}) == (True, ["b", "a"])


def test_explain_respects_short_circuit_of_or() -> None:
    cond = parse("a == 1 or b == 2")
    assert cond.explain({"a": 1}) == (True, ["a"])
    assert cond.explain({"a": 0, "b": 2}) == (True, ["a", "b"])
    assert cond.explain({}) == (False, ["a", "b"])


def test_explain_respects_short_circuit_of_and() -> None:
    cond = parse("a == 1 and b == 2")
    assert cond.explain({"a": 0, "b": 2}) == (False, ["a"])


def test_explain_respects_short_circuit_of_chains() -> None:
    assert parse("a < b < c").explain({"a": 5, "b": 1, "c": 9}) == (False, ["a", "b"])


def test_explain_counts_answered_and_len() -> None:
    assert parse("answered(x) or len(y) > 0").explain({}) == (False, ["x", "y"])


def test_names_and_comparisons_for_static_checks() -> None:
    cond = parse("a == 1 and answered(bb)")
    assert cond.names == (("a", 0), ("bb", 20))
    assert parse("m in ['x', 'y']").comparisons == (Comparison("m", ("x", "y"), 5),)
    assert parse("'x' in m").comparisons == (Comparison("m", ("x",), 0),)
    assert parse("a == 'x'").comparisons == (Comparison("a", ("x",), 5),)
    assert parse("'x' == a").comparisons == (Comparison("a", ("x",), 0),)
    assert parse("a == null").comparisons == ()


def test_multi_line_conditions_parse_and_keep_offsets() -> None:
    cond = parse("a == 1\n  and b == 2")
    assert cond.evaluate({"a": 1, "b": 2}) is True
    assert cond.names == (("a", 0), ("b", 13))


# ---------------------------------------------------------------------------- refusals

REFUSALS = [
    pytest.param("x.__class__", "attribute access", id="attribute"),
    pytest.param("().__class__.__bases__", "attribute access", id="bases"),
    pytest.param("x.y()", "attribute access", id="method"),
    pytest.param("x[0]", "indexing", id="subscript"),
    pytest.param("lambda: 1", "lambda", id="lambda"),
    pytest.param("[a for a in b]", "comprehension", id="listcomp"),
    pytest.param("{a: 1 for a in b}", "comprehension", id="dictcomp"),
    pytest.param("{a for a in b}", "comprehension", id="setcomp"),
    pytest.param("(a for a in b)", "comprehension", id="genexp"),
    pytest.param("open('f')", "function 'open' is not allowed", id="open"),
    pytest.param("__import__('os')", "function '__import__' is not allowed", id="import"),
    pytest.param("eval('1')", "function 'eval' is not allowed", id="eval"),
    pytest.param("exec('1')", "function 'exec' is not allowed", id="exec"),
    pytest.param("__builtins__", "name '__builtins__' is not allowed", id="builtins"),
    pytest.param("_private == 1", "name '_private' is not allowed", id="private"),
    pytest.param("f'{x}'", "f-string", id="fstring"),
    pytest.param("(y := 1)", "assignment", id="walrus"),
    pytest.param("a + 1 > 2", "arithmetic", id="add"),
    pytest.param("a * 2", "arithmetic", id="mul"),
    pytest.param("-a", "negative numbers", id="negate-name"),
    pytest.param("~1", "negative numbers", id="invert"),
    pytest.param("a is None", "'is' is not allowed", id="is"),
    pytest.param("a is not None", "'is' is not allowed", id="is-not"),
    pytest.param("answered(x=a)", "keyword", id="answered-kw"),
    pytest.param("len(x=a)", "keyword", id="len-kw"),
    pytest.param("answered(a, b)", "exactly one argument", id="answered-two"),
    pytest.param("len()", "exactly one argument", id="len-none"),
    pytest.param("len(*a)", "exactly one argument", id="len-star"),
    pytest.param("answered('text')", "answered() takes a question id", id="answered-text"),
    pytest.param("answered(true)", "answered() takes a question id", id="answered-true"),
    pytest.param("answered", "is a function", id="bare-function"),
    pytest.param("a if b else c", "if-expression", id="ifexp"),
    pytest.param("{1: 2}", "dict literal", id="dict"),
    pytest.param("{1}", "set literal", id="set"),
    pytest.param("b'x' == a", "only text, numbers", id="bytes"),
    pytest.param("a == ...", "only text, numbers", id="ellipsis"),
    pytest.param("", "empty condition", id="empty"),
    pytest.param("   ", "empty condition", id="blank"),
    pytest.param("a ==", "does not parse", id="incomplete"),
    pytest.param("a = 1", "does not parse", id="assign"),
    pytest.param("a == 'x", "does not parse", id="unterminated"),
    pytest.param("a == 1; b", "does not parse", id="statements"),
    pytest.param("x" * 2001, "longer than", id="too-long"),
]


@pytest.mark.parametrize(("text", "message"), REFUSALS)
def test_refusals(text: str, message: str) -> None:
    assert message in refusal(text).message


@pytest.mark.parametrize(
    ("text", "offset", "token"),
    [
        ("x == 'a' or y.z", 12, "y.z"),
        ("a == 1 and (y := 1)", 12, "y := 1"),
        ("a is None", 2, "is None"),
        ("(a) is not b", 4, "is not b"),
        ("answered(x=a)", 9, "x=a"),
        ("a == 1 or answered('text')", 19, "'text'"),
        ("a == 1 or open('f')", 10, "open('f')"),
        ("a == 1 and _x", 11, "_x"),
        ("a == 1 and x[0]", 11, "x[0]"),
        ("a == 1 and", 10, ""),
        ("a ==", 4, ""),
        ("a == 1 b", 7, "b"),
        ("  a == 1 and __import__('os')", 13, "__import__('os')"),
        # characters, not UTF-8 bytes, after non-ASCII text
        ("x == 'é' and ==", 13, "=="),
        ("x == 'é' and y.z", 13, "y.z"),
        ("x == 'é' or a is b", 14, "is b"),
    ],
)
def test_refusal_offsets_point_at_the_offending_token(text: str, offset: int, token: str) -> None:
    error = refusal(text)
    assert error.offset == offset
    assert text[error.offset :] == token or text[error.offset :].startswith(token)


# --------------------------------------------------------------- nothing ever executes


@contextmanager
def tripwires(calls: list[str]) -> Iterator[None]:
    """Record any use of the dangerous builtins and of os/subprocess while inside."""
    saved: dict[tuple[Any, str], Any] = {}

    def wire(owner: Any, name: str) -> None:
        original = getattr(owner, name)
        saved[(owner, name)] = original

        def tripped(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return original(*args, **kwargs)

        setattr(owner, name, tripped)

    for name in ("eval", "exec", "open", "input", "breakpoint"):
        wire(builtins, name)
    wire(os, "system")
    wire(os, "remove")
    wire(subprocess, "Popen")
    real_import = builtins.__import__

    def importing(name: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(f"import {name}")
        return real_import(name, *args, **kwargs)

    builtins.__import__ = importing
    try:
        yield
    finally:
        builtins.__import__ = real_import
        for (owner, name), original in saved.items():
            setattr(owner, name, original)


HOSTILE = [
    "__import__('os').system('touch PWNED')",
    "open('PWNED', 'w')",
    "eval(\"__import__('os').system('x')\")",
    "().__class__.__bases__[0].__subclasses__()",
    "[c for c in ().__class__.__bases__[0].__subclasses__()]",
    "(lambda: __import__('os').system('x'))()",
    "f()",
    "f(1)",
    "len(f())",
    "answered(f())",
    "a == f()",
    "f.__call__()",
    "__builtins__['eval']('1')",
    "(x := f())",
    "f'{f()}'",
    "breakpoint()",
    "input()",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_conditions_are_refused_and_nothing_runs(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    called: list[str] = []

    def f(*args: Any) -> None:
        called.append("f")

    calls: list[str] = []
    with tripwires(calls), pytest.raises(ConditionError):
        parse(text).evaluate({"f": f})
    assert calls == []
    assert called == []
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(
    "text", ["f", "f == 1", "f != 1", "len(f) == 0", "answered(f)", "'x' in f", "f < 1"]
)
def test_a_callable_answer_is_never_called(text: str) -> None:
    called: list[str] = []

    def f(*args: Any) -> None:
        called.append("f")

    calls: list[str] = []
    with tripwires(calls):
        parse(text).evaluate({"f": f})
    assert calls == []
    assert called == []


# ------------------------------------------------------------------------ placeholders


def test_placeholders_find_ids_and_offsets() -> None:
    assert placeholders("Hello {name}, from {library_name}.") == [
        ("name", 6),
        ("library_name", 19),
    ]
    assert placeholders("{a}{b}") == [("a", 0), ("b", 3)]
    assert placeholders("no placeholders") == []
    assert placeholders("{ spaced }") == [("spaced", 0)]


def test_doubled_braces_are_literal() -> None:
    assert placeholders("{{not_a_placeholder}}") == []
    assert placeholders("{{x}} and {y}") == [("y", 10)]
    assert placeholders("{{{y}}}") == [("y", 2)]
    assert placeholders("a }} b {{") == []


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("a { b", 2, "lone brace"),
        ("a } b", 2, "lone brace"),
        ("{x}}", 3, "lone brace"),
        ("Hi {not an id}", 3, "placeholder {not an id} is not a question id"),
        ("{Name}", 0, "is not a question id"),
        ("{}", 0, "is not a question id"),
        ("{1x}", 0, "is not a question id"),
        ("{a.b}", 0, "is not a question id"),
        ("ok {a} then {__class__}", 12, "is not a question id"),
    ],
)
def test_bad_placeholders_raise(text: str, offset: int, message: str) -> None:
    with pytest.raises(ConditionError) as info:
        placeholders(text)
    assert message in info.value.message
    assert info.value.offset == offset


def show_from(values: dict[str, str]) -> Callable[[str], str | None]:
    return values.get


def test_fill_substitutes_each_placeholder() -> None:
    show = show_from({"name": "Ames Public Library", "n": "42"})
    assert fill("Brief: {name} ({n} staff)", show) == "Brief: Ames Public Library (42 staff)"
    assert fill("{ name }", show) == "Ames Public Library"


def test_fill_turns_doubled_braces_into_literal_ones() -> None:
    show = show_from({"name": "Ames"})
    assert fill("{{name}} is {name}", show) == "{name} is Ames"
    assert fill("set {{a, b}}", show) == "set {a, b}"


def test_fill_marks_missing_answers() -> None:
    assert fill("For {name}", show_from({})) == "For …"
    assert fill("For {name}", show_from({}), missing="?") == "For ?"


def test_fill_does_not_expand_braces_inside_answers() -> None:
    show = show_from({"a": "{b} \\1 {{", "b": "NO"})
    assert fill("[{a}]", show) == "[{b} \\1 {{]"


def test_tripwires_do_notice_a_call() -> None:
    calls: list[str] = []
    with tripwires(calls):
        eval("1")
        __import__("json")
    assert calls == ["eval", "import json"]


# ------------------------------------------------------------------------ date functions


def test_days_until_and_since_count_from_the_reference_date() -> None:
    import datetime as dt

    from csintake.bank.conditions import reference_date

    with reference_date(dt.date(2026, 11, 28)):
        assert parse("days_until(d) == 41").evaluate({"d": "2027-01-08"})
        assert parse("days_since(d) == 3").evaluate({"d": "2026-11-25"})
        assert parse("days_until(d) < 56").evaluate({"d": "2026-12-01"})
        # Null rules as everywhere: unanswered is null, and ordering with null is false.
        assert not parse("days_until(d) < 56").evaluate({})
        assert parse("days_until(d) == null").evaluate({})
        assert not parse("days_until(d) >= 0").evaluate({"d": "not a date"})
