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
from itertools import compress
from operator import is_not, ne
from typing import Any

from pydantic_core import to_jsonable_python

from csintake.files.yamlfile import dump
from csintake.store.session import Change, Session

# dump() wraps long text at 100 columns; an entry nested two columns in must wrap where it
# would have inside the whole file.
_NESTED_WIDTH = 98


def _indent(text: str) -> str:
    # Blank lines inside a block or wrapped scalar stay empty, as the emitter writes them.
    return "".join("  " + line if line != "\n" else line for line in text.splitlines(True))


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return None


class _Mapping:
    """The entries of one mapping field, each dumped once per value.

    Entries are kept in the mapping's order; a save compares each value with the one last
    dumped by identity, in C (``map(operator.is_not, ...)``), and dumps only those that
    differ, so an unchanged entry costs next to nothing however many there are.
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._keys: list[str] = []
        self._values: list[Any] = []
        self._texts: list[str] = []
        # Where a value is a container: a copy, in case the container is changed in place.
        self._copies: dict[int, Any] = {}

    def text(self, name: str, values: Mapping[str, Any]) -> str:
        if not values:
            self._reset()
            return f"{name}: {{}}\n"
        keys = list(values)
        now = list(values.values())
        kept = len(self._keys)
        if len(keys) >= kept and keys[:kept] == self._keys:
            changed = set(compress(range(kept), map(is_not, now, self._values)))
            if self._copies:
                # Containers changed in place: compared with their copies, in C as well.
                at = list(self._copies)
                before = self._copies.values()
                changed.update(compress(at, map(ne, before, map(now.__getitem__, at))))
            for i in changed:
                self._texts[i] = self._dump(i, keys[i], now[i])
            for i in range(kept, len(keys)):
                self._texts.append(self._dump(i, keys[i], now[i]))
        else:
            # A key removed or moved (rare): entries whose value is unchanged are reused.
            old = {k: (v, t) for k, v, t in zip(self._keys, self._values, self._texts, strict=True)}
            copies = {self._keys[i]: c for i, c in self._copies.items()}
            self._copies = {}
            self._texts = []
            for i, (key, value) in enumerate(zip(keys, now, strict=True)):
                found = old.get(key)
                same = found is not None and found[0] is value
                if same and key in copies:
                    same = _equal(copies[key], value)
                    if same:
                        self._copies[i] = copies[key]
                self._texts.append(found[1] if same and found else self._dump(i, key, value))
        self._keys = keys
        self._values = now
        return f"{name}:\n" + "".join(self._texts)

    def _dump(self, index: int, key: str, value: Any) -> str:
        copy = _copy(value)
        if copy is None:
            self._copies.pop(index, None)
        else:
            self._copies[index] = copy
        return _indent(dump({key: to_jsonable_python(value)}, width=_NESTED_WIDTH))


def _equal(copy: Any, value: Any) -> bool:
    return type(copy) is type(value) and copy == value


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
