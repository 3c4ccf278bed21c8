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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csintake.overview.index import Entry, Facts, entries
from csintake.overview.summary import newest_first

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


@dataclass(frozen=True)
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

    def to_data(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_data(),
            "sessions": self.sessions,
            "without_brief": self.without_brief,
            "scope": [c.to_data("value", "label") for c in self.scope],
            "flags": [c.to_data("id") for c in self.flags],
            "modules_kept": [c.to_data("id", "title") for c in self.kept],
            "modules_set_aside": [c.to_data("id", "title") for c in self.set_aside],
            "time_budget": {"sessions": self.budgets, "median_minutes": self.median_budget},
            "rows": [r.to_data() for r in self.rows],
            "minutes_per_section": [
                {"section": sid, "median_minutes": minutes, "sessions": n}
                for sid, minutes, n in self.section_minutes
            ],
        }


def build_report(store: Store, filters: Filters | None = None) -> Report:
    """The report over every session in ``store`` that ``filters`` admits."""
    filters = filters or Filters()
    chosen = [e for e in entries(store) if filters.admit(e)]
    order = {s.id: i for i, s in enumerate(newest_first([e.summary for e in chosen]))}
    chosen.sort(key=lambda e: order[e.summary.id])
    scope: Counter[str | int | None] = Counter()
    scope_labels: dict[str | int | None, str] = {}
    scope_order: list[str | int] = []
    flags: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    set_aside: Counter[str] = Counter()
    titles: dict[str, str] = {}
    levels: dict[str, str] = {}
    budgets: list[int] = []
    rows: list[Row] = []
    spent: dict[str, list[float]] = {}
    without = 0
    for entry in chosen:
        for section, seconds in entry.timings.items():
            spent.setdefault(section, []).append(seconds / 60)
        facts = entry.facts()
        rows.append(_row(entry, facts))
        if facts is None:
            without += 1
            continue
        scope[facts.scope_value] += 1
        if facts.scope_value is not None:
            scope_labels.setdefault(facts.scope_value, facts.scope_label or str(facts.scope_value))
        for value, label in facts.scope_choices():
            if value not in scope_order:
                scope_order.append(value)
                scope_labels.setdefault(value, label)
        flags.update(facts.flags)
        kept.update(facts.kept)
        set_aside.update(facts.set_aside)
        for module in (*facts.kept, *facts.set_aside):
            if module not in titles:  # the newest session's title of it
                titles[module] = facts.title(module)
        for flag in facts.flags:
            if flag not in levels:
                levels[flag] = facts.level(flag)
        if facts.budget is not None:
            budgets.append(facts.budget)
    return Report(
        filters,
        len(chosen),
        without,
        _scope_counts(scope, scope_labels, scope_order),
        tuple(Count(f, f, n, levels[f]) for f, n in _most_common(flags)),
        tuple(Count(m, titles[m], n) for m, n in _most_common(kept)),
        tuple(Count(m, titles[m], n) for m, n in _most_common(set_aside)),
        len(budgets),
        statistics.median(budgets) if budgets else None,
        tuple(rows),
        tuple((sid, round(statistics.median(m), 1), len(m)) for sid, m in spent.items()),
    )


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


def _scope_counts(
    counts: Counter[str | int | None],
    labels: dict[str | int | None, str],
    order: list[str | int],
) -> tuple[Count, ...]:
    """Every choice of the scope question (zero included), then other values seen, then the
    sessions where it was not answered."""
    keys: list[str | int] = list(order)
    keys += sorted((k for k in counts if k is not None and k not in keys), key=str)
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
