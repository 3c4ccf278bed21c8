"""YAML and JSON loading that remembers where every value came from.

Files are composed with PyYAML's safe machinery into nodes and turned into plain Python values
here, so that each value's line and column are kept for error messages. Only the standard
tags are accepted; anything else (``!!python/object`` and friends) is an error and is never
constructed. Timestamps stay strings: dates are validated where a question asks for one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import yaml

from csintake.errors import Problem, YamlError
from csintake.files.regularfile import read_regular

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class Mark(NamedTuple):
    """Where a node starts (1-based), and how its scalar was written."""

    line: int
    column: int
    style: str | None = None
    single_line: bool = True


@dataclass
class Located:
    """A loaded document: the plain value and the position of each value (and each key)."""

    file: str
    value: Any
    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list, repr=False)

    def mark(self, path: Path_, *, key: bool = False) -> Mark:
        """The closest known position for ``path``: the node itself or its nearest parent."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.keys:
                return self.keys[p]
            p = p[:-1]
        return self.values.get((), Mark(1, 1))

    def problem(
        self, path: Path_, message: str, *, key: bool = False, offset: int | None = None
    ) -> Problem:
        """A problem located at ``path``; ``offset`` points into a single-line scalar's text
        (past its opening quote), otherwise the problem is at the value's start."""
        m = self.mark(path, key=key)
        column = m.column
        if offset is not None and m.single_line:
            line = self.lines[m.line - 1] if 0 < m.line <= len(self.lines) else ""
            column += _written_offset(line, m.column - 1, m.style, offset)
        return Problem(self.file, m.line, column, message)


def _written_offset(line: str, start: int, style: str | None, offset: int) -> int:
    """How far into the written scalar at ``line[start:]`` its value's ``offset`` lies.

    Plain scalars are written as they read; quoted ones start with the quote and may spell
    one character with several (``''``, or ``\\"`` and other escapes).
    """
    if style not in ("'", '"'):
        return offset
    i = start + 1
    for _ in range(offset):
        if i >= len(line):
            return offset + 1
        if style == "'" and line.startswith("''", i):
            i += 2
        elif style == '"' and line[i] == "\\":
            i += {"x": 4, "u": 6, "U": 10}.get(line[i + 1 : i + 2], 2)
        else:
            i += 1
    return i - start


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks


# Python refuses to print an integer of more than 4300 digits; one that big could be read
# (from hex, octal, binary or base 60, which that limit does not cover) but never shown or
# saved. 2**14284 still has 4300 digits.
MAX_INT_BITS = 14_284
_INT_PREFIX = re.compile(r"[-+]?(?:0[box])?")


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    """YAML's integer, refused (``ValueError``) when it would have too many digits, before
    it is built: base 60 of a million parts would otherwise take minutes to add up."""
    text = str(node.value).replace("_", "")
    if len(text) - len(_INT_PREFIX.match(text)[0]) > MAX_INT_BITS:  # type: ignore[index]
        raise ValueError("number has too many digits")
    value = yaml.SafeLoader.construct_yaml_int(loader, node)
    if not isinstance(value, int) or value.bit_length() > MAX_INT_BITS:
        raise ValueError("number has too many digits")
    return value


class _SafeLoader(yaml.SafeLoader):
    """The safe loader, composing nodes only: we construct values ourselves."""


_SafeLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _mark(node: yaml.Node) -> Mark:
    start, end = node.start_mark, node.end_mark
    style = getattr(node, "style", None)
    return Mark(start.line + 1, start.column + 1, style, start.line == end.line)


def load_text(text: str, file: str) -> Located:
    """Parse YAML (JSON is YAML) text; every problem raises :class:`YamlError`."""
    try:
        loader = _SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        # The reader refuses control characters while it is constructed, before any mark
        # exists: locate the character ourselves.
        line, col = _line_col(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else 0
        raise YamlError(
            [Problem(file, line, col, f"YAML syntax: character U+{code:04X} is not allowed")]
        ) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise YamlError([_syntax_problem(exc, text, file)]) from None
    except yaml.YAMLError as exc:
        raise YamlError([Problem(file, 0, 0, f"YAML syntax: {exc}")]) from None
    except RecursionError:
        raise YamlError([Problem(file, 0, 0, "YAML nested too deeply")]) from None
    finally:
        loader.dispose()
    doc = Located(file, None, lines=_LINE_BREAK.split(text))
    problems: list[Problem] = []
    if node is not None:
        try:
            doc.value = _build(node, (), doc, problems, loader, aliases=_Aliases())
        except RecursionError:
            raise YamlError([Problem(file, 0, 0, "YAML nested too deeply")]) from None
    if problems:
        raise YamlError(problems)
    return doc


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    """A syntax error located where the parser gave up and where its construct started.

    An unclosed quote or bracket makes the parser read on to the end of the file: then the
    place that matters is where the construct started, and the problem is located there.
    """
    start, end = exc.context_mark, exc.problem_mark
    what = exc.problem or exc.context or "not valid YAML"
    if start is None or end is None or (start.line, start.column) == (end.line, end.column):
        mark = end or start
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return Problem(file, line, col, f"YAML syntax: {what}")
    at_end = not text[end.index :].strip()
    context = exc.context or "here"
    if at_end:
        return Problem(
            file,
            start.line + 1,
            start.column + 1,
            f"YAML syntax: {what}, {context} that starts here (the file ended at"
            f" {end.line + 1}:{end.column + 1})",
        )
    return Problem(
        file,
        end.line + 1,
        end.column + 1,
        f"YAML syntax: {what}, {context} that started at {start.line + 1}:{start.column + 1}",
    )


def load_file(path: Path, display: str | None = None) -> Located:
    """Read and parse a file; unreadable files are reported like syntax errors."""
    name = display or str(path)
    try:
        raw = read_regular(path)
    except OSError as exc:
        raise YamlError([Problem(name, 0, 0, f"cannot read: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError([Problem(name, 0, 0, f"not UTF-8 text ({exc.reason})")]) from None
    return load_text(text, name)


_MAX_ALIAS_NODES = 100_000


@dataclass
class _Aliases:
    """What alias expansion has cost so far: a "billion laughs" file must not hang us."""

    seen: set[int] = field(default_factory=set)
    open: set[int] = field(default_factory=set)
    repeats: int = 0
    exceeded: bool = False


def _build(
    node: yaml.Node,
    path: Path_,
    doc: Located,
    problems: list[Problem],
    loader: _SafeLoader,
    *,
    aliases: _Aliases,
) -> Any:
    key = id(node)
    if key in aliases.open:
        problems.append(Problem(doc.file, *_at(node), "YAML alias refers to itself"))
        return None
    if key in aliases.seen:
        aliases.repeats += 1
        if aliases.repeats > _MAX_ALIAS_NODES:
            if not aliases.exceeded:
                aliases.exceeded = True
                problems.append(Problem(doc.file, *_at(node), "YAML aliases expand too much"))
            return None
    aliases.seen.add(key)
    if isinstance(node, yaml.CollectionNode):
        aliases.open.add(key)
        try:
            return _build_node(node, path, doc, problems, loader, aliases=aliases)
        finally:
            aliases.open.discard(key)
    return _build_node(node, path, doc, problems, loader, aliases=aliases)


def _build_node(
    node: yaml.Node,
    path: Path_,
    doc: Located,
    problems: list[Problem],
    loader: _SafeLoader,
    *,
    aliases: _Aliases,
) -> Any:
    doc.values[path] = _mark(node)
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            problems.append(_refused(node, doc.file))
            return None
        if node.tag in (_STR, "tag:yaml.org,2002:timestamp"):
            return _text(node, doc.file, problems)
        try:
            value = loader.construct_object(node, deep=True)
        except ValueError:
            # More than 4300 digits, which Python can neither read nor print.
            problems.append(Problem(doc.file, *_at(node), "number has too many digits"))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            # .inf and .nan are never a meaningful answer or setting.
            return str(node.value)
        return value
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            problems.append(_refused(node, doc.file))
            return None
        return [
            _build(child, (*path, i), doc, problems, loader, aliases=aliases)
            for i, child in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            problems.append(_refused(node, doc.file))
            return None
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(
                    Problem(doc.file, *_at(key_node), "YAML merge keys (<<) are not supported")
                )
                continue
            key = _build(key_node, (*path, "<key>"), doc, problems, loader, aliases=aliases)
            if not isinstance(key, (str, int, bool)) or key is None:
                problems.append(Problem(doc.file, *_at(key_node), "keys must be plain text"))
                continue
            if key in result:
                problems.append(Problem(doc.file, *_at(key_node), f"duplicate key '{key}'"))
                continue
            doc.keys[(*path, key)] = _mark(key_node)
            result[key] = _build(value_node, (*path, key), doc, problems, loader, aliases=aliases)
        doc.values.pop((*path, "<key>"), None)
        return result
    problems.append(_refused(node, doc.file))
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(node: yaml.ScalarNode, file: str, problems: list[Problem]) -> str | None:
    """A string scalar as the text it stands for.

    JSON writes a character outside the BMP as an escaped UTF-16 pair (``"\\ud83d\\ude00"``,
    as ``json.dumps`` does by default); YAML's parser leaves the two halves apart. They are
    joined into the one character here. A lone half is no character at all: it could never
    be written to a file or a terminal, so it is refused where it stands.
    """
    value = str(node.value)
    if _SURROGATE.search(value) is None:
        return value
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        problems.append(
            Problem(file, *_at(node), "text holds half of a UTF-16 pair (\\ud800-\\udfff)")
        )
        return None


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset into ``text``."""
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _at(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _refused(node: yaml.Node, file: str) -> Problem:
    return Problem(file, *_at(node), f"YAML tag {node.tag} is not allowed")


def dump(value: Any, width: int = 100) -> str:
    """YAML text for plain data, keys in the order given, readable Unicode."""
    return yaml.dump(
        value,
        Dumper=_Dumper if _beyond_bmp(value) else _FastDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=width,
    )


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line strings as blocks so session files stay readable."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\x85" in data:
        # NEL is a line break to YAML: only an escape ("\N") keeps it, and libyaml writes one.
        return dumper.represent_scalar(_STR, data, style='"')
    if "\n" in data and all(ch == "\n" or ch.isprintable() for ch in data) and data.strip() == data:
        return dumper.represent_scalar(_STR, data, style="|")
    return dumper.represent_scalar(_STR, data)


_Dumper.add_representer(str, _represent_str)


class _FastDumper(getattr(yaml, "CSafeDumper", _Dumper)):  # type: ignore[misc]
    """libyaml's emitter: many times faster than the pure-Python one (a session is written
    after every answer), and its text reads back to the same data. It escapes characters
    beyond the Basic Multilingual Plane (emoji), so text holding any goes to ``_Dumper``.
    Every other string comes out the same from both (text holding NEL double-quoted, see
    ``_represent_str``), so a session's entries read the same whichever emitter the whole
    file went through: :mod:`csintake.store.sessiontext` relies on it."""


_FastDumper.add_representer(str, _represent_str)


def _beyond_bmp(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value) and max(value) > "\uffff"
    if isinstance(value, dict):
        return any(_beyond_bmp(k) or _beyond_bmp(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_beyond_bmp(v) for v in value)
    return False


# ------------------------------------------------------------------------ quick loading


class _RefusedError(Exception):
    """The quick loader met something only the positioned loader may judge."""


def _refuse(loader: Any, node: yaml.Node) -> Any:
    raise _RefusedError(node.tag)


def _quick_float(loader: Any, node: yaml.ScalarNode) -> Any:
    value = yaml.SafeLoader.construct_yaml_float(loader, node)
    return value if math.isfinite(value) else str(node.value)


def _quick_text(loader: Any, node: yaml.Node) -> Any:
    return str(node.value)


_QuickBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _QuickLoader(_QuickBase):  # type: ignore[misc]
    """libyaml's parser, with the scalar constructors that build exactly what
    :func:`load_text` builds for a document it accepts; :func:`_plain` builds the rest and
    refuses what only the positioned loader may judge and report (other tags, merge keys,
    duplicate or complex keys, aliases)."""

    SCALARS: ClassVar[dict[str, Any]] = {
        "tag:yaml.org,2002:null": yaml.SafeLoader.construct_yaml_null,
        "tag:yaml.org,2002:bool": yaml.SafeLoader.construct_yaml_bool,
        "tag:yaml.org,2002:int": _construct_int,
        "tag:yaml.org,2002:float": _quick_float,
        "tag:yaml.org,2002:timestamp": _quick_text,
    }


def _plain(loader: Any, node: yaml.Node, seen: set[int]) -> Any:
    """What ``loader.construct_object(node, deep=True)`` builds, walking the nodes directly:
    a bank has thousands, and PyYAML's general construction costs more than parsing them."""
    if id(node) in seen:
        raise _RefusedError("alias")  # a node met twice is an alias
    seen.add(id(node))
    tag = node.tag
    if tag == _MAP:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _RefusedError("merge key")
            key = _plain(loader, key_node, seen)
            if not isinstance(key, (str, int, bool)) or key in result:
                raise _RefusedError("key")
            result[key] = _plain(loader, value_node, seen)
        return result
    if tag == _SEQ:
        return [_plain(loader, child, seen) for child in node.value]
    if tag == _STR:
        return str(node.value)
    construct = _QuickLoader.SCALARS.get(tag, _refuse)
    return construct(loader, node)


def load_plain(text: str) -> tuple[bool, Any]:
    """``(True, value)`` with the same value :func:`load_text` gives, quickly and without
    positions; ``(False, None)`` when the text needs the positioned loader (to be refused
    with a located message, or to expand aliases within bounds)."""
    try:
        loader = _QuickLoader(text)
    except Exception:  # noqa: BLE001 - without libyaml, the reader refuses control characters here
        return False, None
    try:
        node = loader.get_single_node()
        return True, None if node is None else _plain(loader, node, set())
    except Exception:  # noqa: BLE001 - anything unusual is left to the positioned loader
        return False, None
    finally:
        loader.dispose()
