"""The cross-client report: what clients meant by "customer service", which flags come up, which
modules are kept or set aside, and the time they have, across the sessions of a store.

Built from the store's index (:mod:`csintake.overview.index`), so a store of thousands of
sessions is reported on without reading every file again. Nothing here prints: the command line
renders a :class:`Report` with Rich, as one JSON document, or as CSV rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from csintake.overview.index import Entry, Facts, Names, decode_facts, scan

if TYPE_CHECKING:
    from csintake.store.store import Store

NOT_ANSWERED = "Not answered"
CSV_COLUMNS = (
    "id",
    "client",
    "date",
    "status",
    "scope",
    "budget_minutes",
    "modules_kept",
    "modules_set_aside",
    "flags",
)


@dataclass(frozen=True)
class Filters:
    """Which sessions a report covers; None: any."""

    bank: str | None = None
    status: str | None = None
    since: dt.date | None = None

    def admit(self, entry: Entry) -> bool:
        s = entry.summary
        if self.bank is not None and s.bank.partition(" ")[0] != self.bank:
            return False
        if self.status is not None and s.status != self.status:
            return False
        return self.since is None or (
            entry.created is not None and session_date(entry.created) >= self.since
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "bank": self.bank,
            "status": self.status,
            "since": self.since.isoformat() if self.since else None,
        }


def session_date(created: dt.datetime) -> dt.date:
    """The day a session was created, on the consultant's calendar (as in session ids)."""
    return created.astimezone().date()


@dataclass(frozen=True)
class Count:
    """How many sessions had ``key`` (a scope value, a flag id or a module id)."""

    key: str | int | None
    label: str
    count: int
    level: str | None = None  # flags only

    def to_data(self, key_name: str, label_name: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {key_name: self.key}
        if label_name is not None:
            data[label_name] = self.label
        if self.level is not None:
            data["level"] = self.level
        data["count"] = self.count
        return data


@dataclass(frozen=True, slots=True)
class Row:
    """One session, as a spreadsheet row."""

    id: str
    client: str
    date: dt.date | None
    status: str
    scope: str | int | None
    scope_label: str | None
    budget: int | None
    kept: tuple[str, ...]
    set_aside: tuple[str, ...]
    flags: tuple[str, ...]
    problem: str = ""

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "client": self.client,
            "date": self.date.isoformat() if self.date else None,
            "status": self.status,
            "scope": self.scope,
            "scope_label": self.scope_label,
            "budget_minutes": self.budget,
            "modules_kept": list(self.kept),
            "modules_set_aside": list(self.set_aside),
            "flags": list(self.flags),
            "problem": self.problem or None,
        }

    def cells(self) -> list[str]:
        return [
            self.id,
            self.client,
            self.date.isoformat() if self.date else "",
            self.status,
            "" if self.scope is None else str(self.scope),
            "" if self.budget is None else str(self.budget),
            "; ".join(self.kept),
            "; ".join(self.set_aside),
            "; ".join(self.flags),
        ]


@dataclass(frozen=True)
class Report:
    filters: Filters
    sessions: int  # matching the filters
    without_brief: int  # unreadable, or their bank cannot be used: counted nowhere else
    scope: tuple[Count, ...]  # in the scope question's order, "not answered" last
    flags: tuple[Count, ...]  # most frequent first
    kept: tuple[Count, ...]  # most often kept first
    set_aside: tuple[Count, ...]  # most often set aside first
    budgets: int  # sessions with a time budget
    median_budget: float | None
    rows: tuple[Row, ...] = field(repr=False)
    # (section id, median minutes on the call, sessions that timed it), in first-seen order
    section_minutes: tuple[tuple[str, float, int], ...] = ()

    @property
    def with_brief(self) -> int:
        return self.sessions - self.without_brief

    def to_data(self, *, streamed: bool = False) -> dict[str, Any]:
        """The report as JSON data; ``streamed``: the rows as an iterator, made one at a time
        as an encoder takes them (see :func:`csintake.printable.json_chunks`)."""
        rows = (r.to_data() for r in self.rows)
        return {
            "filters": self.filters.to_data(),
            "sessions": self.sessions,
            "without_brief": self.without_brief,
            "scope": [c.to_data("value", "label") for c in self.scope],
            "flags": [c.to_data("id") for c in self.flags],
            "modules_kept": [c.to_data("id", "title") for c in self.kept],
            "modules_set_aside": [c.to_data("id", "title") for c in self.set_aside],
            "time_budget": {"sessions": self.budgets, "median_minutes": self.median_budget},
            "rows": rows if streamed else list(rows),
            "minutes_per_section": [
                {"section": sid, "median_minutes": minutes, "sessions": n}
                for sid, minutes, n in self.section_minutes
            ],
        }


class _Bank:
    """What the sessions of one bank (one names key in the index) add up to.

    Sessions are counted by the text of their facts as the index stores it: the sessions of
    a bank come to a handful of scopes, budgets, module choices and flags, so each distinct
    outcome is read once, at :meth:`tally`, and counted as often as sessions reached it.
    """

    def __init__(self, names: Names) -> None:
        self.names = names
        self.newest: _Key = _OLDEST
        self.outcomes: Counter[str] = Counter()  # facts text -> sessions
        self.decoded: dict[str, Facts] = {}  # with rows only: each session's row needs them
        # Titles, levels and scope choices are the bank's, whatever the session's facts.
        self.facts = Facts(None, None, None, None, (), (), (), names)
        self.scope: Counter[str | int | None] = Counter()
        self.labels: dict[str | int, str] = {}
        self.flags: Counter[str] = Counter()
        self.kept: Counter[str] = Counter()
        self.set_aside: Counter[str] = Counter()
        self.budgets: Counter[int] = Counter()

    def count(self, text: str, key: _Key) -> None:
        """One more session with these facts, updated at ``key``."""
        self.outcomes[text] += 1
        self.newest = max(self.newest, key)

    def read(self, text: str) -> Facts:
        facts = self.decoded.get(text)
        if facts is None:
            facts = self.decoded[text] = decode_facts(text, self.names)
        return facts

    def tally(self) -> None:
        """Add up the outcomes counted so far."""
        for text, n in self.outcomes.items():
            facts = self.decoded.get(text) or decode_facts(text, self.names)
            value = facts.scope_value
            self.scope[value] += n
            if value is not None and value not in self.labels:
                self.labels[value] = facts.scope_label or str(value)
            if facts.budget is not None:
                self.budgets[facts.budget] += n
            for counter, ids in (
                (self.flags, facts.flags),
                (self.kept, facts.kept),
                (self.set_aside, facts.set_aside),
            ):
                for i in ids:
                    counter[i] += n
        self.outcomes.clear()


_Key = tuple[dt.datetime, str]
_K = TypeVar("_K")
_OLDEST: _Key = (dt.datetime.min.replace(tzinfo=dt.UTC), "")


def build_report(store: Store, filters: Filters | None = None, *, rows: bool = True) -> Report:
    """The report over every session in ``store`` that ``filters`` admits, counted as the
    index gives them (nothing is held per session but its row, and that only with ``rows``).

    Where banks differ, a module's title, a flag's level and a scope value's label are the
    newest bank's: the bank of the most recently updated session that has them.
    """
    filters = filters or Filters()
    banks: dict[str | None, _Bank] = {}
    keyed_rows: list[tuple[_Key, Row]] = []
    spent: dict[str, list[float]] = {}
    first_seen: dict[str, tuple[_Key, int]] = {}  # section -> newest session, place in it
    sessions = without = 0
    epoch = _OLDEST[0]
    for entry in scan(store):
        if not filters.admit(entry):
            continue
        sessions += 1
        summary = entry.summary
        key = (summary.updated or epoch, summary.id)
        for place, (section, seconds) in enumerate(entry.timings.items()):
            spent.setdefault(section, []).append(seconds / 60)
            seen = first_seen.get(section)
            if seen is None or (key, -place) > (seen[0], -seen[1]):
                first_seen[section] = (key, place)
        text, names = entry.facts_text, entry.names
        if text is None or names is None:  # no brief could be built for it
            without += 1
            if rows:
                keyed_rows.append((key, _row(entry, None)))
            continue
        bank = banks.get(entry.names_key)
        if bank is None:
            bank = banks[entry.names_key] = _Bank(names)
        bank.count(text, key)
        if rows:
            keyed_rows.append((key, _row(entry, bank.read(text))))
    for bank in banks.values():
        bank.tally()
    budgets = _total(b.budgets for b in banks.values())
    newest = sorted(banks.values(), key=lambda b: b.newest, reverse=True)
    keyed_rows.sort(key=lambda pair: pair[0], reverse=True)
    sections = sorted(spent, key=lambda s: (first_seen[s][0], -first_seen[s][1]), reverse=True)
    return Report(
        filters,
        sessions,
        without,
        _scope_counts(newest),
        tuple(
            Count(f, f, n, _first(newest, f, lambda b, f: b.flags, Facts.level))
            for f, n in _most_common(_total(b.flags for b in newest))
        ),
        tuple(
            Count(m, _first(newest, m, lambda b, m: b.kept, Facts.title), n)
            for m, n in _most_common(_total(b.kept for b in newest))
        ),
        tuple(
            Count(m, _first(newest, m, lambda b, m: b.set_aside, Facts.title), n)
            for m, n in _most_common(_total(b.set_aside for b in newest))
        ),
        budgets.total(),
        statistics.median(budgets.elements()) if budgets else None,
        tuple(row for _, row in keyed_rows),
        tuple((s, round(statistics.median(spent[s]), 1), len(spent[s])) for s in sections),
    )


def _total(counters: Iterable[Counter[_K]]) -> Counter[_K]:
    total: Counter[_K] = Counter()
    for counter in counters:
        total.update(counter)
    return total


def _first(
    newest: list[_Bank],
    key: str,
    among: Callable[[_Bank, str], Counter[str]],
    name: Callable[[Facts, str], str],
) -> str:
    """``name`` of ``key`` in the newest bank whose sessions have it."""
    bank = next(b for b in newest if key in among(b, key))
    return name(bank.facts, key)


def _row(entry: Entry, facts: Facts | None) -> Row:
    s = entry.summary
    date = session_date(entry.created) if entry.created else None
    if facts is None:
        problem = s.problem or "no brief"
        return Row(s.id, s.client, date, s.status, None, None, None, (), (), (), problem)
    return Row(
        s.id,
        s.client,
        date,
        s.status,
        facts.scope_value,
        facts.scope_label,
        facts.budget,
        facts.kept,
        facts.set_aside,
        facts.flags,
    )


def _most_common(counter: Counter[str]) -> list[tuple[str, int]]:
    """Most frequent first; ties in id order, so the report reads the same every time."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _scope_counts(newest: list[_Bank]) -> tuple[Count, ...]:
    """Every choice of the scope question (zero included; the newest bank's first, in its
    order), then other values seen, then the sessions where it was not answered."""
    counts = _total(b.scope for b in newest)
    labels: dict[str | int, str] = {}
    order: list[str | int] = []
    for bank in newest:
        for value, label in bank.facts.scope_choices():
            if value not in labels:
                order.append(value)
                labels[value] = label
        for value, label in bank.labels.items():
            labels.setdefault(value, label)
    keys = order + sorted((k for k in counts if k is not None and k not in order), key=str)
    found = [Count(k, labels.get(k, str(k)), counts.get(k, 0)) for k in keys]
    found.append(Count(None, NOT_ANSWERED, counts.get(None, 0)))
    return tuple(found)


def csv_text(report: Report) -> str:
    """One row per session under a header row, for spreadsheets.

    Text that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``,
    ``@``) is prefixed with an apostrophe, so that opening the file runs nothing."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([_inert(cell) for cell in row.cells()] for row in report.rows)
    return out.getvalue()


def _inert(cell: str) -> str:
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
