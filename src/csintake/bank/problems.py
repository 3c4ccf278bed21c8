"""pydantic's validation errors turned into located problems (``FILE:LINE:COL: message``)
in the words a bank or session author reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from csintake.bank.model import (
    QUESTION_TYPES,
)
from csintake.errors import Problem
from csintake.files.yamlfile import Located, Path_


def pydantic_problems(exc: ValidationError, doc: Located, base: Path_ = ()) -> list[Problem]:
    """One located, readable problem per pydantic error."""
    found: list[Problem] = []
    for err in exc.errors(include_url=False):
        path = _data_path(doc.value, base, err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            key = path[-1] if path else "?"
            found.append(doc.problem(path, f"unknown key '{key}'{_hint(path, doc)}", key=True))
            continue
        if kind == "missing":
            key = err["loc"][-1]
            found.append(doc.problem(path[:-1], f"missing key '{key}'"))
            continue
        problem = doc.problem(path, _message(err, path))
        previous = found[-1] if found else None
        if previous is not None and (previous.line, previous.column) == (
            problem.line,
            problem.column,
        ):
            # One value that fits none of a union's members (`value: true` for a choice
            # value, which is text or a whole number): one problem naming every alternative.
            merged = _alternatives(previous.message, problem.message)
            if merged:
                found[-1] = Problem(problem.file, problem.line, problem.column, merged)
                continue
        found.append(problem)
    return found


def _alternatives(first: str, second: str) -> str:
    """``x must be A`` and ``x must be B`` as ``x must be A or B`` (empty if not alike)."""
    head, sep, wanted = first.partition(" must be ")
    other_head, other_sep, other = second.partition(" must be ")
    if sep and other_sep and head == other_head:
        return f"{head} must be {wanted} or {other}"
    return ""


def _data_path(data: Any, base: Path_, loc: Iterable[int | str]) -> Path_:
    """The path of ``loc`` in the data, skipping the union tags pydantic adds to ``loc``."""
    path: list[str | int] = list(base)
    node = _get(data, base)
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = _get(node, (part,))
        elif isinstance(node, dict) and not isinstance(part, int) and part not in QUESTION_TYPES:
            path.append(part)  # a missing key: point at its parent later
            node = None
    return tuple(path)


def _field(path: Path_) -> str:
    names = [p for p in path if isinstance(p, str)]
    return names[-1] if names else "value"


def _message(err: Any, path: Path_) -> str:
    kind: str = err["type"]
    where = _field(path)
    if kind == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag", "?")
        return f"unknown question type '{tag}' (one of: {', '.join(QUESTION_TYPES)})"
    if kind == "union_tag_not_found":
        return "missing key 'type'"
    if kind == "literal_error":
        return f"{where} must be {err.get('ctx', {}).get('expected', 'one of the listed values')}"
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        if "_" in pattern:
            return f"{where} must start with a letter and use only a-z, 0-9 and _"
        if ":" in pattern:
            return f'{where} must be a clock time HH:MM (24-hour), e.g. "09:00"'
        if "-" in pattern:
            return f"{where} must use only a-z, 0-9 and -, and not start with -"
        return f"{where} has the wrong form"
    if kind in ("string_type", "int_type", "bool_type", "float_type", "list_type", "dict_type"):
        wanted = {
            "string_type": "text",
            "int_type": "a whole number",
            "bool_type": "true or false",
            "float_type": "a number",
            "list_type": "a list",
            "dict_type": "a mapping",
        }[kind]
        return f"{where} must be {wanted}"
    if kind in ("model_type", "model_attributes_type"):
        if path and isinstance(path[-1], int):
            return f"each entry of {where} must be a mapping"
        return f"{where} must be a mapping"
    msg: str = err["msg"]
    msg = msg.removeprefix("Value error, ")
    return f"{where}: {msg[:1].lower()}{msg[1:]}"


def _hint(path: Path_, doc: Located) -> str:
    if len(path) >= 2 and isinstance(path[-1], str):
        parent = _get(doc.value, path[:-1])
        if isinstance(parent, dict) and isinstance(parent.get("type"), str):
            kind = parent["type"]
            return f" for {'an' if kind[:1] in 'aeiou' else 'a'} {kind} question"
    return ""


def _get(data: Any, path: Path_) -> Any:
    node = data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node
