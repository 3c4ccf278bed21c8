"""Summaries of the sessions in a store, for ``csintake sessions``.

They come through the store's index (:mod:`csintake.overview.index`), which recomputes a summary
from its session file only when the file or its bank has changed; the heavy modules are imported
only then.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from csintake.bank.loader import LoadedBank
    from csintake.errors import CsintakeError
    from csintake.interview.engine import Interview
    from csintake.store.session import Session


class Summary(NamedTuple):
    """One line of the sessions table (a tuple: a store's worth are made per call)."""

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


_DEALT_WITH = frozenset({"answered", "dont_know", "declined"})


class BankCache:
    """Banks loaded once per run, keyed by what the session recorded."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self._banks: dict[tuple[str, str], LoadedBank | CsintakeError] = {}

    def get(self, session: Session) -> LoadedBank:
        from csintake.errors import CsintakeError, StoreError
        from csintake.interview.intake import bank_for

        key = (session.bank.id, session.bank.path)
        found = self._banks.get(key)
        if found is None:
            try:
                found = bank_for(session, self.store)
            except CsintakeError as exc:
                found = exc
            except (OSError, ValueError) as exc:
                # A recorded path the system cannot even look up (too long, a NUL, a loop):
                # this session's bank cannot be found; the other sessions are not affected.
                found = StoreError(f"{session.bank.path}: the bank cannot be read: {_why(exc)}")
            self._banks[key] = found
        if isinstance(found, CsintakeError):
            raise found
        return found


def _why(exc: OSError | ValueError) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def examine(session: Session, banks: BankCache) -> tuple[Summary, Interview | None]:
    """The summary of a session, and its interview when its bank could be used."""
    from csintake.errors import CsintakeError
    from csintake.interview.engine import Interview

    interview: Interview | None = None
    try:
        interview = Interview(banks.get(session), session)
        relevant = interview.relevant
        # Progress counts what the call dealt with: a don't know or a decline is an outcome.
        answered = sum(
            1
            for q in relevant
            if interview.is_answered(q.id) or interview.status(q.id) in _DEALT_WITH
        )
        total, problem = len(relevant), ""
    except CsintakeError as exc:
        interview = None
        answered, total, problem = len(session.answers), 0, exc.lines()[0]
    summary = Summary(
        session.id,
        session.client,
        f"{session.bank.id} {session.bank.version}",
        session.status,
        answered,
        total,
        session.updated,
        problem,
    )
    return summary, interview


def newest_first(rows: list[Summary]) -> list[Summary]:
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(rows, key=lambda r: (r.updated or epoch, r.id), reverse=True)
