"""The ``when`` condition language and ``{id}`` placeholders.

A condition is parsed once with Python's :mod:`ast` into a small tree of our own, accepting
only a whitelist of node types, and evaluated by walking that tree: nothing is ever passed to
``eval`` or ``compile``. Unanswered questions are ``null`` and null never raises.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from csintake.errors import ConditionError

CLIENT = "client"
"""The placeholder for the session's client name, where no question has that id."""
FUNCTIONS = ("answered", "len", "days_until", "days_since")
_DATE_FUNCTIONS = ("days_until", "days_since")
# The day `days_until` and `days_since` count from. A brief sets it to the session's last
# update, so that it reads the same tomorrow; anywhere else it is today.
_REFERENCE: ContextVar[dt.date | None] = ContextVar("reference_date", default=None)


@contextlib.contextmanager
def reference_date(day: dt.date | None) -> Iterator[None]:
    """Evaluate conditions inside as if today were ``day``."""
    token = _REFERENCE.set(day)
    try:
        yield
    finally:
        _REFERENCE.reset(token)


def _days(value: Any, *, until: bool) -> int | None:
    """Whole days from the reference date to an ISO date answer (until), or back (since)."""
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    today = _REFERENCE.get() or dt.date.today()
    delta = (day - today).days
    return delta if until else -delta


_ALIASES: dict[str, Any] = {"true": True, "false": False, "null": None}
_MAX_LENGTH = 2000


class Comparison(NamedTuple):
    """A comparison of a question with literal values, kept for the static checks."""

    name: str
    values: tuple[Any, ...]
    offset: int


@dataclass(frozen=True)
class Condition:
    """A parsed condition, ready to evaluate."""

    text: str
    _eval: Callable[[Mapping[str, Any], list[str]], Any] = field(repr=False, compare=False)
    names: tuple[tuple[str, int], ...] = ()
    comparisons: tuple[Comparison, ...] = ()

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        """True or false under ``answers`` (a missing key is null)."""
        return truthy(self._eval(answers, []))

    def explain(self, answers: Mapping[str, Any]) -> tuple[bool, list[str]]:
        """The result and the question ids that were read to reach it, in reading order."""
        read: list[str] = []
        result = truthy(self._eval(answers, read))
        seen: list[str] = []
        for name in read:
            if name not in seen:
                seen.append(name)
        return result, seen


def truthy(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, (bool, int, float, str, list, tuple)):
        return bool(value)
    return True


_Eval = Callable[[Mapping[str, Any], list[str]], Any]


def parse(text: str) -> Condition:
    """Parse a condition; any text outside the language raises :class:`ConditionError`."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("empty condition")
    if len(text) > _MAX_LENGTH:
        raise ConditionError(f"condition longer than {_MAX_LENGTH} characters")
    # YAML block scalars keep line breaks; a condition is one expression, so breaks and tabs
    # become spaces (same length, so offsets still point into the original text).
    flat = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    lead = len(flat) - len(flat.lstrip())
    source = flat.strip()
    try:
        with warnings.catch_warnings():
            # Python warns about `1 is 1` or '\d' while parsing; whether that warning is
            # printed, ignored or raised must not depend on the caller's warning filters.
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        # SyntaxError offsets count characters (not bytes) from 1; 0 or none means the end.
        column = min(exc.offset - 1, len(source)) if exc.offset else len(source)
        msg = exc.msg.replace("invalid syntax", "not a valid condition")
        raise ConditionError(f"condition does not parse: {msg}", lead + column) from None
    except (ValueError, RecursionError, MemoryError):
        raise ConditionError("condition does not parse") from None
    builder = _Builder(source, lead)
    try:
        fn = builder.build(tree.body)
    except RecursionError:
        raise ConditionError("condition is nested too deeply") from None
    return Condition(text, fn, tuple(builder.names), tuple(builder.comparisons))


def _chars(source: str, byte_offset: int) -> int:
    """A character offset from the UTF-8 byte offset that `ast` reports."""
    return len(source.encode()[: max(byte_offset, 0)].decode(errors="ignore"))


class _Builder:
    def __init__(self, source: str, lead: int) -> None:
        self.source = source
        self.lead = lead
        self.names: list[tuple[str, int]] = []
        self.comparisons: list[Comparison] = []

    def offset(self, node: ast.AST) -> int:
        return self.lead + _chars(self.source, getattr(node, "col_offset", 0))

    def build(self, node: ast.expr) -> _Eval:
        if isinstance(node, ast.BoolOp):
            parts = [self.build(v) for v in node.values]
            if isinstance(node.op, ast.And):
                return lambda a, r: all(truthy(p(a, r)) for p in parts)
            return lambda a, r: any(truthy(p(a, r)) for p in parts)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                inner = self.build(node.operand)
                return lambda a, r: not truthy(inner(a, r))
            if isinstance(node.op, ast.USub) and _is_number(node.operand):
                value = -node.operand.value  # type: ignore[attr-defined]
                return lambda a, r: value
            raise ConditionError(
                "only 'not' and negative numbers are allowed here", self.offset(node)
            )
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Constant):
            value = node.value
            if value is None or isinstance(value, (bool, int, float, str)):
                return lambda a, r: value
            raise ConditionError("only text, numbers, true, false and null", self.offset(node))
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [self.build(e) for e in node.elts]
            return lambda a, r: [item(a, r) for item in items]
        if isinstance(node, ast.Call):
            return self._call(node)
        raise ConditionError(_refusal(node), self.offset(node))

    def _name(self, node: ast.Name) -> _Eval:
        name = node.id
        if name in _ALIASES:
            alias = _ALIASES[name]
            return lambda a, r: alias
        if name.startswith("_"):
            raise ConditionError(f"name '{name}' is not allowed", self.offset(node))
        if name in FUNCTIONS:
            raise ConditionError(f"'{name}' is a function: write {name}(id)", self.offset(node))
        self.names.append((name, self.offset(node)))

        def read(a: Mapping[str, Any], r: list[str]) -> Any:
            r.append(name)
            return a.get(name)

        return read

    def _call(self, node: ast.Call) -> _Eval:
        func = node.func
        if not isinstance(func, ast.Name):
            raise ConditionError(_refusal(func), self.offset(func))
        if func.id not in FUNCTIONS:
            raise ConditionError(
                f"function '{func.id}' is not allowed"
                " (only answered(), len(), days_until() and days_since())",
                self.offset(node),
            )
        if node.keywords:
            raise ConditionError(
                f"{func.id}() takes no keyword arguments", self.offset(node.keywords[0])
            )
        if len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ConditionError(f"{func.id}() takes exactly one argument", self.offset(node))
        arg = node.args[0]
        if func.id == "answered":
            if not isinstance(arg, ast.Name) or arg.id in _ALIASES:
                raise ConditionError("answered() takes a question id", self.offset(arg))
            inner = self._name(arg)
            return lambda a, r: inner(a, r) is not None
        if func.id in _DATE_FUNCTIONS:
            if not isinstance(arg, ast.Name) or arg.id in _ALIASES:
                raise ConditionError(f"{func.id}() takes a date question's id", self.offset(arg))
            named = self._name(arg)
            until = func.id == "days_until"
            return lambda a, r: _days(named(a, r), until=until)
        inner = self.build(arg)
        return lambda a, r: _length(inner(a, r))

    def _compare(self, node: ast.Compare) -> _Eval:
        operands = [node.left, *node.comparators]
        built = [self.build(o) for o in operands]
        ops: list[Callable[[Any, Any], bool]] = []
        for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
            fn = _OPERATORS.get(type(op))
            if fn is None:
                raise ConditionError("'is' is not allowed: use == or !=", self._is_offset(left))
            ops.append(fn)
            self._note_comparison(op, left, right)

        def compare(a: Mapping[str, Any], r: list[str]) -> bool:
            left_value = built[0](a, r)
            for i, fn in enumerate(ops):
                right_value = built[i + 1](a, r)
                if not fn(left_value, right_value):
                    return False
                left_value = right_value
            return True

        return compare

    def _is_offset(self, left: ast.expr) -> int:
        """Where the ``is`` after ``left`` is written (ast keeps no position for operators)."""
        start = left.end_col_offset or 0
        found = self.source.encode().find(b"is", start)
        return self.lead + _chars(self.source, found if found >= 0 else start)

    def _note_comparison(self, op: ast.cmpop, left: ast.expr, right: ast.expr) -> None:
        if isinstance(op, (ast.In, ast.NotIn)):
            # 'value' in multi_answer, or name in ['a', 'b']
            if isinstance(right, ast.Name) and _literal(left) is not _NO:
                self.comparisons.append(Comparison(right.id, (_literal(left),), self.offset(left)))
            elif isinstance(left, ast.Name) and isinstance(right, (ast.List, ast.Tuple)):
                values = tuple(_literal(e) for e in right.elts)
                if _NO not in values:
                    self.comparisons.append(Comparison(left.id, values, self.offset(right)))
            return
        for name_node, other in ((left, right), (right, left)):
            if isinstance(name_node, ast.Name) and name_node.id not in _ALIASES:
                value = _literal(other)
                if value is not _NO and value is not None:
                    self.comparisons.append(Comparison(name_node.id, (value,), self.offset(other)))


_NO = object()


def _literal(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant) and (
        node.value is None or isinstance(node.value, (bool, int, float, str))
    ):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and _is_number(node.operand):
        return -node.operand.value  # type: ignore[attr-defined]
    if isinstance(node, ast.Name) and node.id in _ALIASES:
        return _ALIASES[node.id]
    return _NO


def _is_number(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    )


def _refusal(node: ast.AST) -> str:
    kinds: dict[type[ast.AST], str] = {
        ast.Attribute: "attribute access",
        ast.Subscript: "indexing",
        ast.Lambda: "lambda",
        ast.ListComp: "a comprehension",
        ast.SetComp: "a comprehension",
        ast.DictComp: "a comprehension",
        ast.GeneratorExp: "a comprehension",
        ast.BinOp: "arithmetic",
        ast.IfExp: "an if-expression",
        ast.Dict: "a dict literal",
        ast.Set: "a set literal",
        ast.JoinedStr: "an f-string",
        ast.NamedExpr: "assignment",
        ast.Await: "await",
        ast.Yield: "yield",
        ast.Starred: "unpacking",
    }
    what = kinds.get(type(node), type(node).__name__)
    return f"{what} is not allowed in a condition"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _ordered(fn: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(x: Any, y: Any) -> bool:
        # Null and mixed kinds are never ordered: false, never an exception.
        if x is None or y is None:
            return False
        if (_number(x) and _number(y)) or (type(x) is type(y) and isinstance(x, str)):
            return fn(x, y)
        return False

    return compare


def _equal(x: Any, y: Any) -> bool:
    if isinstance(x, bool) != isinstance(y, bool):
        return False
    return bool(x == y)


def _contains(x: Any, y: Any) -> bool:
    if isinstance(y, (list, tuple)):
        return any(_equal(x, item) for item in y)
    if isinstance(y, str) and isinstance(x, str):
        return x in y
    return False


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


_OPERATORS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: _equal,
    ast.NotEq: lambda x, y: not _equal(x, y),
    ast.Lt: _ordered(lambda x, y: x < y),
    ast.LtE: _ordered(lambda x, y: x <= y),
    ast.Gt: _ordered(lambda x, y: x > y),
    ast.GtE: _ordered(lambda x, y: x >= y),
    ast.In: _contains,
    ast.NotIn: lambda x, y: not _contains(x, y),
}


# ---------------------------------------------------------------------------- placeholders

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LITERAL_BRACES = {"{{": "{", "}}": "}"}


def placeholders(text: str) -> list[tuple[str, int]]:
    """The ids named by ``{id}`` in ``text`` with their offsets; bad braces raise."""
    found: list[tuple[str, int]] = []
    for m in _PLACEHOLDER.finditer(text):
        token = m.group(0)
        if token in _LITERAL_BRACES:
            continue
        name = m.group(1)
        if name is None:
            raise ConditionError("a lone brace: write {{ or }} for a literal brace", m.start())
        name = name.strip()
        if not _ID.match(name):
            raise ConditionError(f"placeholder {{{name}}} is not a question id", m.start())
        found.append((name, m.start()))
    return found


def fill(text: str, show: Callable[[str], str | None], missing: str = "…") -> str:
    """``text`` with each ``{id}`` replaced by ``show(id)`` (``missing`` when None)."""

    def replace(m: re.Match[str]) -> str:
        token = m.group(0)
        if token in _LITERAL_BRACES:
            return _LITERAL_BRACES[token]
        name = (m.group(1) or "").strip()
        if not _ID.match(name):
            return token
        value = show(name)
        return missing if value is None else value

    return _PLACEHOLDER.sub(replace, text)
