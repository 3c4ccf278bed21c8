"""The condition language: any text either parses or is a ConditionError, nothing is ever
imported, evaluated, executed or opened on the way, and a parsed condition evaluates against
any answers without raising."""

from __future__ import annotations

import ast
import builtins
import contextlib
import os
import subprocess
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csintake.bank import conditions
from csintake.errors import ConditionError

from .common import examples

SETTINGS = settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class Forbidden(BaseException):
    """Raised by anything a condition must never reach; not an Exception, so no broad
    ``except`` in the code under test can swallow it."""


def _refuse(what: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        # Only the first argument: repr() of a module's globals can itself open files.
        first = args[0] if args else None
        raise Forbidden(f"{what} was called with {first!r:.200}")

    return refuse


_real_compile = builtins.compile
_real_import = builtins.__import__


def _import_guard(name: str, *args: Any, **kwargs: Any) -> Any:
    # Python's own parser imports unicodedata to normalise non-ASCII names; nothing else.
    if name == "unicodedata":
        return _real_import(name, *args, **kwargs)
    raise Forbidden(f"import of {name!r}")


def _ast_only_compile(source: Any, filename: Any, mode: Any, flags: int = 0, **kw: Any) -> Any:
    # ast.parse compiles to a tree only; anything that would make code objects is refused.
    if not flags & ast.PyCF_ONLY_AST:
        raise Forbidden(f"compile() to code: {source!r:.200}")
    return _real_compile(source, filename, mode, flags, **kw)


@contextlib.contextmanager
def nothing_runs() -> Iterator[None]:
    """While active, importing, eval, exec, open, code compilation, os.system and
    subprocesses fail loudly."""
    saved = {
        name: getattr(builtins, name)
        for name in ("__import__", "eval", "exec", "open", "compile", "breakpoint", "input")
    }
    saved_system, saved_popen = os.system, subprocess.Popen
    try:
        for name in saved:
            setattr(builtins, name, _refuse(name))
        setattr(builtins, "compile", _ast_only_compile)  # noqa: B010
        setattr(builtins, "__import__", _import_guard)  # noqa: B010
        setattr(os, "system", _refuse("os.system"))  # noqa: B010
        setattr(subprocess, "Popen", _refuse("subprocess.Popen"))  # noqa: B010
        yield
    finally:
        for name, value in saved.items():
            setattr(builtins, name, value)
        setattr(os, "system", saved_system)  # noqa: B010
        setattr(subprocess, "Popen", saved_popen)  # noqa: B010


TOKENS = [
    "x", "y", "cs_meaning", "answered", "len", "__import__", "__class__", "os", "open",
    "eval", "exec", "system", "true", "false", "null", "True", "False", "None", "1", "-2",
    "3.5", "1e309", "-1e309", "0x1f", "10" * 30, "'a'", '"b"', "'\\x1b[31m'", "'\\ud800'",
    "[", "]", "(", ")", ",", "and", "or", "not", "in", "not in", "is", "is not", "==", "!=",
    "<", "<=", ">", ">=", ".", "+", "-", "*", "**", "/", "%", "~", "lambda", ":", "if",
    "else", "for", "{", "}", "f'{x}'", "b'x'", "...", "@", "=", ":=", ";", "\\", "#", "\n",
    "\t", "\x00", "yield", "await", "import", "__builtins__", "().__class__", "[x][0]",
    "'a' 'b'", "1j", "*x", "**x", "x=1",
]  # fmt: skip

token_text = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25).map(" ".join)
nested = st.builds(
    lambda kind, n: {
        "not": "not " * n + "x",
        "parens": "(" * n + "x" + ")" * n,
        "lists": "x in " + "[" * n + "1" + "]" * n,
        "len": "len(" * n + "x" + ")" * n,
        "and": " and ".join(["x"] * n),
        "compare": " < ".join(["x"] * n),
        "minus": "-" * n + "1",
    }[kind],
    st.sampled_from(["not", "parens", "lists", "len", "and", "compare", "minus"]),
    st.integers(1, 600),
)
condition_text = st.one_of(st.text(max_size=200), token_text, nested)

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=10**300, max_value=10**310),
        st.floats(),
        st.text(max_size=20),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=10,
)


def parse_safely(text: str) -> conditions.Condition | None:
    """The parsed condition, or None for a ConditionError that says what and where."""
    error: ConditionError | None = None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning printed during `bank check` is noise
        with nothing_runs():
            try:
                return conditions.parse(text)
            except ConditionError as exc:
                error = exc
    assert error is not None
    assert isinstance(error.message, str)
    assert error.message
    assert 0 <= error.offset <= len(text)
    return None


@SETTINGS
@given(text=condition_text)
def test_any_text_parses_or_is_a_condition_error_and_runs_nothing(text: str) -> None:
    parse_safely(text)


@SETTINGS
@given(text=condition_text, data=st.data())
def test_parsed_conditions_evaluate_against_any_answers(text: str, data: st.DataObject) -> None:
    parsed = parse_safely(text)
    if parsed is None:
        return
    names = sorted({name for name, _ in parsed.names})
    answers = {name: data.draw(json_values, label=name) for name in names}
    with nothing_runs():
        result = parsed.evaluate(answers)
        explained, read = parsed.explain(answers)
    assert isinstance(result, bool)
    assert explained == result
    assert set(read) <= set(names)


OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "in", "not in"]


@SETTINGS
@given(
    op=st.sampled_from(OPERATORS),
    left=json_values,
    right=json_values,
    wrap=st.sampled_from(["{}", "not {}", "len(x) > 0 or {}", "answered(x) and {}"]),
)
def test_every_operator_on_any_pair_of_values_gives_a_bool(
    op: str, left: Any, right: Any, wrap: str
) -> None:
    parsed = conditions.parse(wrap.format(f"x {op} y"))
    with nothing_runs():
        assert isinstance(parsed.evaluate({"x": left, "y": right}), bool)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch /tmp/x')",
        "().__class__.__bases__[0].__subclasses__()",
        "open('/etc/passwd')",
        "eval('1')",
        "exec('1')",
        "[c for c in ().__class__.__base__.__subclasses__()]",
        "lambda: 1",
        "x.__class__",
        "x[0]",
        "f'{x.__class__}'",
        "x if y else z",
        "(y := 1)",
        "len(x, y)",
        "len(*x)",
        "answered(1)",
        "answered(x=1)",
        "1 + 1 == 2",
        "x is None",
        "{'a': 1}",
        "{1}",
        "b'x' == x",
        "globals()",
        "__builtins__",
        "'a' == x\x00",
        "not " * 700 + "x",
        "(" * 300 + "x" + ")" * 300,
        "1 is 1",
    ],
)
def test_known_attacks_are_condition_errors(text: str) -> None:
    assert parse_safely(text) is None


def test_a_warning_from_the_python_parser_does_not_escape(
    recwarn: pytest.WarningsRecorder,
) -> None:
    # 'is' with a literal and invalid escapes make Python warn while parsing.
    for text in ("'\\d' == x", "x == '\\q'", "1 is 1"):
        with contextlib.suppress(ConditionError):
            conditions.parse(text)
    assert not [w for w in recwarn if issubclass(w.category, SyntaxWarning | DeprecationWarning)]
