"""Summaries of the sessions in a store, for ``csintake sessions``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csintake.checker import LoadedBank
from csintake.engine import Interview
from csintake.errors import CsintakeError
from csintake.intake import bank_for
from csintake.session import Session
from csintake.store import Store


@dataclass(frozen=True)
class Summary:
    """One line of the sessions table."""

    id: str
    client: str
    bank: str
    status: str
    answered: int
    total: int
    updated: dt.datetime | None
    problem: str = ""

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "client": self.client,
            "bank": self.bank,
            "status": self.status,
            "answered": self.answered,
            "total": self.total,
            "updated": self.updated.isoformat() if self.updated else None,
            "problem": self.problem or None,
        }


class BankCache:
    """Banks loaded once per run, keyed by what the session recorded."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self._banks: dict[tuple[str, str], LoadedBank | CsintakeError] = {}

    def get(self, session: Session) -> LoadedBank:
        key = (session.bank.id, session.bank.path)
        found = self._banks.get(key)
        if found is None:
            try:
                found = bank_for(session, self.store)
            except CsintakeError as exc:
                found = exc
            self._banks[key] = found
        if isinstance(found, CsintakeError):
            raise found
        return found


def summarize(session: Session, banks: BankCache) -> Summary:
    try:
        interview = Interview(banks.get(session), session)
        relevant = interview.relevant
        answered = sum(1 for q in relevant if interview.is_answered(q.id))
        total, problem = len(relevant), ""
    except CsintakeError as exc:
        answered, total, problem = len(session.answers), 0, exc.lines()[0]
    return Summary(
        session.id,
        session.client,
        f"{session.bank.id} {session.bank.version}",
        session.status,
        answered,
        total,
        session.updated,
        problem,
    )


def list_sessions(store: Store) -> list[Summary]:
    """Every session, newest first; unreadable files are listed with their problem."""
    banks = BankCache(store.root)
    rows: list[Summary] = []
    for session_id, session, problem in store.all():
        if session is None:
            rows.append(Summary(session_id, "?", "?", "unreadable", 0, 0, None, problem))
        else:
            rows.append(summarize(session, banks))
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    rows.sort(key=lambda r: (r.updated or epoch, r.id), reverse=True)
    return rows
