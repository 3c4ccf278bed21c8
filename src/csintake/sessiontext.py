"""A session's file text, rebuilt per changed entry rather than dumped whole after every answer.

The text is exactly what ``dump(session.to_data())`` writes: one YAML block mapping. Each entry
of the long parts (answers, sources, notes, skipped, follow-up, history) is dumped on its own
and kept with the value it was dumped from; the next save dumps only entries whose value is no
longer the same object, so the cost of a save follows the answers that changed. Values are
never changed in place (the engine stores new values), so identity is a safe test; lists and
dicts are compared by value as well, in case one is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic_core import to_jsonable_python

from csintake.session import Change, Session
from csintake.yamlfile import dump

# dump() wraps long text at 100 columns; an entry nested two columns in must wrap where it
# would have inside the whole file.
_NESTED_WIDTH = 98
_SCALARS = (str, int, float, bool, type(None))
_Entry = tuple[Any, Any, str]  # the value, a copy of a container value, the text


def _indent(text: str) -> str:
    # Blank lines inside a block or wrapped scalar stay empty, as the emitter writes them.
    return "".join("  " + line if line != "\n" else line for line in text.splitlines(True))


def _same(entry: _Entry | None, value: Any) -> bool:
    if entry is None or entry[0] is not value:
        return False
    return isinstance(value, _SCALARS) or (type(entry[1]) is type(value) and entry[1] == value)


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return None


class _Mapping:
    """The entries of one mapping field, each dumped once per value."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def text(self, name: str, values: Mapping[str, Any]) -> str:
        if not values:
            return f"{name}: {{}}\n"
        entries = self._entries
        if len(entries) > 2 * len(values) + 16:
            entries = self._entries = {k: e for k, e in entries.items() if k in values}
        parts = [f"{name}:\n"]
        for key, value in values.items():
            entry = entries.get(key)
            if not _same(entry, value):
                piece = dump({key: to_jsonable_python(value)}, width=_NESTED_WIDTH)
                entry = entries[key] = (value, _copy(value), _indent(piece))
            assert entry is not None
            parts.append(entry[2])
        return "".join(parts)


class _Ids:
    """A list of question ids; each id's line is dumped once."""

    def __init__(self) -> None:
        self._lines: dict[str, str] = {}

    def text(self, name: str, ids: list[str]) -> str:
        if not ids:
            return f"{name}: []\n"
        lines = self._lines
        parts = [f"{name}:\n"]
        for qid in ids:
            line = lines.get(qid)
            if line is None:
                line = lines[qid] = dump([qid])
            parts.append(line)
        return "".join(parts)


def _change_data(change: Change) -> dict[str, Any]:
    data = change.model_dump(mode="json")
    data["at"] = change.at.isoformat()
    if data.get("source") is None:
        data.pop("source", None)
    return data


class SessionText:
    """The file text of one session, kept between saves."""

    def __init__(self) -> None:
        self._answers = _Mapping()
        self._sources = _Mapping()
        self._notes = _Mapping()
        self._skipped = _Ids()
        self._follow_up = _Ids()
        self._history: dict[int, tuple[Change, str]] = {}

    def text(self, session: Session) -> str:
        head: dict[str, Any] = {
            "format": session.format,
            "id": session.id,
            "bank": session.bank.model_dump(mode="json"),
            "client": session.client,
        }
        if session.consultant is not None:
            head["consultant"] = session.consultant
        head["status"] = session.status
        head["created"] = session.created.isoformat()
        head["updated"] = session.updated.isoformat()
        parts = [
            dump(head),
            self._answers.text("answers", session.answers),
            self._skipped.text("skipped", session.skipped),
            self._notes.text("notes", session.notes),
            self._follow_up.text("follow_up", session.follow_up),
            self._sources.text("sources", session.sources),
            self._history_text(session.history),
        ]
        tail: dict[str, Any] = {}
        if session.states:
            tail["states"] = dict(session.states)
        if session.timings:
            tail["timings"] = dict(session.timings)
        if tail:
            parts.append(dump(tail))
        return "".join(parts)

    def _history_text(self, history: list[Change]) -> str:
        if not history:
            return "history: []\n"
        cache = self._history
        parts = ["history:\n"]
        for change in history:
            entry = cache.get(id(change))
            if entry is None or entry[0] is not change:
                entry = cache[id(change)] = (change, dump([_change_data(change)]))
            parts.append(entry[1])
        return "".join(parts)
