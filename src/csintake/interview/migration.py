"""Moving a session's answers from an earlier version of its bank to the current one.

A bank's ``migrations`` say, per earlier version, which question ids were renamed and which
choice values were changed. Applying one renames first and then maps values (under the new
ids), records each change in the session's history with source ``migration``, and leaves
everything it does not map as it was: answers that still do not fit are listed as before.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from csintake.bank.model import Bank, Migration
from csintake.store.session import Change, Session, now

T = TypeVar("T")


class Migrated(NamedTuple):
    """What a migration did to one session, as lines for the consultant."""

    from_version: str
    to_version: str
    changes: tuple[str, ...]


def migration_for(session: Session, bank: Bank) -> Migration | None:
    """The bank's migration from the version the session was recorded on, if any."""
    recorded = session.bank
    if recorded.id != bank.id or recorded.version == bank.version:
        return None
    return next((m for m in bank.migrations if m.from_ == recorded.version), None)


def migrate(session: Session, bank: Bank) -> Migrated | None:
    """Apply the migration that fits ``session`` (changing it in place); None if none does."""
    migration = migration_for(session, bank)
    if migration is None:
        return None
    changes: list[str] = []
    at = now()
    for old, new in migration.rename.items():
        if old not in session.answers:
            _rename_marks(session, old, new)
            continue
        if new in session.answers:
            changes.append(f"{old}: kept as it is ('{new}' is already answered)")
            continue
        value = session.answers.pop(old)
        session.answers[new] = value
        _rename_marks(session, old, new)
        session.history.append(Change(question=old, old=value, new=None, at=at, source="migration"))
        session.history.append(Change(question=new, old=None, new=value, at=at, source="migration"))
        changes.append(f"{old} -> {new}")
    for qid, mapping in migration.values.items():
        if qid not in session.answers:
            continue
        old_value = session.answers[qid]
        new_value = _mapped(old_value, mapping)
        if new_value == old_value and type(new_value) is type(old_value):
            continue
        session.answers[qid] = new_value
        session.history.append(
            Change(question=qid, old=old_value, new=new_value, at=at, source="migration")
        )
        changes.append(f"{qid}: {_shown(old_value)} -> {_shown(new_value)}")
    return Migrated(migration.from_, bank.version, tuple(changes))


def _mapped(value: Any, mapping: dict[Any, Any]) -> Any:
    if isinstance(value, list):
        return [_mapped(v, mapping) for v in value]
    if isinstance(value, bool):
        return value
    for old, new in mapping.items():
        if old == value and type(old) is type(value):
            return new
    return value


def _rename_marks(session: Session, old: str, new: str) -> None:
    """Notes, skips, parks, sources and states follow a renamed question."""
    _move(session.notes, old, new)
    _move(session.sources, old, new)
    _move(session.states, old, new)
    for listing in (session.skipped, session.follow_up):
        if old in listing:
            listing[listing.index(old)] = new


def _move(table: dict[str, T], old: str, new: str) -> None:
    if old in table and new not in table:
        table[new] = table.pop(old)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
