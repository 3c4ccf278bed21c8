"""An index of what ``sessions`` and ``report`` need from each session, so that a store of
thousands of sessions is listed without parsing every file each time.

The session files stay the only source of truth. ``STORE/.index/sessions.sqlite`` is a cache
in SQLite: one row per session, keyed by its session file's identity (size, mtime_ns, inode)
and by the identity of the bank file the session resolves to, the whole index by the index
format and a fingerprint of csintake's own code. A row whose keys no longer match is
recomputed from the file and replaced alone; one written within a second or two of its
file's last change is recomputed next time too (the file could still change within the same
timestamp tick, as git's "racy" entries); a file dated well in the future is not racy, so it
is recomputed once, not on every call. Each row carries a CRC-32 of its content, so a damaged
row is recomputed; a file SQLite cannot read, or of another version, is started afresh. Two
processes share the file under SQLite's own locking; one that cannot get it in time lists the
store from the files, and a store that cannot be written is still listed, just not faster
next time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import sqlite3
import sys
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from csintake.overview.summary import Summary, newest_first

if TYPE_CHECKING:
    from csintake.bank.loader import LoadedBank
    from csintake.brief.builder import Decisions
    from csintake.overview.summary import BankCache
    from csintake.store.store import Store

INDEX_FORMAT = "csintake/index@3"
INDEX_DIR = ".index"
INDEX_FILE = "sessions.sqlite"
# A file changed this close to the moment it was indexed may change again within the same
# timestamp tick without its identity changing: such entries are checked again next time.
RACY_NS = 2_000_000_000
# Below this many stale entries a process pool costs more than it saves.
POOL_THRESHOLD = 400

Identity = tuple[int, int, int]
# "modules": id -> title, "flags": id -> level, "scope": [[value, label], ...] in bank order
Names = dict[str, Any]


@dataclass(frozen=True)
class Facts:
    """What the cross-client report needs from one session's brief."""

    scope_question: str | None
    scope_value: str | int | None
    scope_label: str | None
    budget: int | None
    kept: tuple[str, ...]  # module ids, in agenda order
    set_aside: tuple[str, ...]  # module ids left for a follow-up session
    flags: tuple[str, ...]  # flag ids, blockers first
    names: Names  # the titles of those modules and the levels of those flags

    def title(self, module: str) -> str:
        title: str = self.names["modules"].get(module, module)
        return title

    def level(self, flag: str) -> str:
        level: str = self.names["flags"].get(flag, "info")
        return level

    def scope_choices(self) -> list[tuple[str | int, str]]:
        """The scope question's choices in bank order (none when it is not a choice)."""
        return [(value, label) for value, label in self.names.get("scope", [])]


def facts_of(decided: Decisions, loaded: LoadedBank) -> tuple[Facts, str]:
    """The facts of a brief built on ``loaded``, and the key of its names in the index."""
    scope = decided.scope
    value = scope.value
    facts = Facts(
        scope.question,
        value if isinstance(value, (str, int)) and not isinstance(value, bool) else None,
        scope.label,
        decided.budget,
        decided.kept,
        decided.set_aside,
        decided.flags,
        bank_names(loaded),
    )
    return facts, loaded.sha256


_NAMES: dict[str, Names] = {}


def bank_names(loaded: LoadedBank) -> Names:
    """The titles of a bank's modules, the levels of its flags (the warnings for a part of
    the scope without room included) and its scope choices; once per bank in a process."""
    names = _NAMES.get(loaded.sha256)
    if names is None:
        from csintake.bank.model import ChoiceQuestion
        from csintake.brief.builder import gap_flag_id

        spec = loaded.bank.brief
        scope = loaded.bank.question_map.get(spec.scope) if spec.scope else None
        choices = scope.choices if isinstance(scope, ChoiceQuestion) else []
        levels = {gap_flag_id(strand): "warning" for strand in spec.strands}
        levels.update((f.id, f.level) for f in spec.flags)
        names = _NAMES[loaded.sha256] = {
            "modules": {m.id: m.title for m in spec.modules},
            "flags": levels,
            "scope": [[c.value, c.shown] for c in choices],
        }
    return names


class Entry(NamedTuple):
    """One session as the index knows it (a tuple: a store's worth are made per call)."""

    summary: Summary
    created: dt.datetime | None
    # The brief's facts as stored, read only when asked for (listing needs none of them).
    facts_text: str | None
    names: Names | None
    timings: dict[str, float]  # seconds spent per section on the call, as recorded
    # The key of ``names`` in the index: one per bank (its content), shared by its sessions.
    names_key: str | None

    def facts(self) -> Facts | None:
        """The brief's facts; None when no brief can be built (an unreadable file, a bank
        that cannot be found)."""
        if self.facts_text is None or self.names is None:
            return None
        return decode_facts(self.facts_text, self.names)


def decode_facts(text: str, names: Names) -> Facts:
    """Facts as an index row stores them (the text of an :class:`Entry`), with their bank's
    names; TypeError or ValueError when the text does not hold them."""
    question, value, label, budget, kept, set_aside, flags = json.loads(text)
    if value is not None and not isinstance(value, (str, int)):
        raise TypeError("scope value")
    return Facts(
        _optional_str(question),
        value,
        _optional_str(label),
        None if budget is None else _int(budget),
        _strs(kept),
        _strs(set_aside),
        _strs(flags),
        names,
    )


# --------------------------------------------------------------------------- reading


def index_path(store: Store) -> Path:
    return store.root / INDEX_DIR / INDEX_FILE


def entries(store: Store, *, workers: int | None = None) -> list[Entry]:
    """One entry per session file in the store (unordered): see :func:`scan`."""
    return list(scan(store, workers=workers))


def scan(store: Store, *, workers: int | None = None) -> Iterator[Entry]:
    """One entry per session file in the store (unordered), from the index where its keys
    still match and recomputed from the file where they do not, one at a time: a report
    counts them as they come instead of holding a store's worth of entries. The index is
    brought up to date once the last entry has been taken.

    ``workers`` caps the processes used for a large rebuild (None: one per core).
    """
    ids = set(store.ids())
    if not ids:
        return
    keys = _Keys(store)
    db = _Database.open(index_path(store), index_version())
    known: set[str] = set()
    names: dict[str, Names] = {}
    gone = False
    if db is not None:
        names = db.names()
        folder = f"{store.root}{os.sep}"  # thousands of paths: no Path objects
        # Rows make objects by the hundred thousand and no cycles: the cycle collector
        # would walk every one of them again and again while they are read.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for row in db.rows():
                session_id = row[0]
                if session_id not in ids:
                    gone = True
                    continue
                entry = _valid(row, f"{folder}{session_id}.yaml", keys, names)
                if entry is not None:
                    known.add(session_id)
                    yield entry
        finally:
            if collecting:
                gc.enable()
    stale = sorted(ids - known)
    computed: list[Row] = []
    for session_id, raw, bank_key, bank in _compute(store, stale, workers) if stale else ():
        if bank_key is not None and bank is not None:
            names.setdefault(bank_key, bank)
        row = _row(session_id, raw)
        computed.append(row)
        entry = _valid(row, None, keys, names)
        assert entry is not None
        yield entry
    if db is not None:
        if computed or gone or db.damaged:
            db.write(computed, ids if gone else None, names)
        db.close()


class _Keys:
    """Bank file identities, looked up once per run."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._files: dict[str, list[int] | None] = {}
        self._catalog: list[Any] | None = None

    def file(self, path: str) -> list[int] | None:
        if path not in self._files:
            self._files[path] = _listed(identity(path))
        return self._files[path]

    def catalog(self) -> list[Any]:
        """The identity of every bank file a session could be resolved to by its id."""
        if self._catalog is None:
            from csintake.bank.catalog import bank_files

            self._catalog = [
                [str(p), origin, _listed(identity(p))] for p, origin in bank_files(self.store.root)
            ]
            self._catalog.append(str(Path.cwd()))
        return self._catalog


def identity(path: str | Path) -> Identity | None:
    try:
        st = os.stat(path)  # noqa: PTH116 - thousands of files, no Path objects needed
    except (OSError, ValueError):  # ValueError: a recorded path holding a NUL
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _listed(value: Identity | None) -> list[int] | None:
    """An identity as it reads back from JSON."""
    return list(value) if value is not None else None


# One computed entry: [file identity, racy, bank, summary, facts-or-null, created, timings]
# bank: [recorded path, its identity, via ("path" or "catalog"), catalog-or-null] or null
# summary: [client, bank, status, answered, total, updated, problem]
# facts: [names key, scope question, scope value, scope label, budget, kept, set aside, flags]
#
# One row of the index: (id, size, mtime_ns, inode, racy, entry, facts, names key, check)
# entry: JSON [bank, summary, created, timings]; facts: JSON of the facts after the names
# key, or null;
# check: CRC-32 of everything else in the row, so that a damaged row is never believed.
Row = tuple[str, int | None, int | None, int | None, int, str, str | None, str | None, int]


def _check(row: Sequence[Any]) -> int:
    i, size, mtime, inode, racy, entry, facts, key = row[:8]
    text = f"{i}\x00{size}\x00{mtime}\x00{inode}\x00{racy}\x00{entry}\x00{facts}\x00{key}"
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _row(session_id: str, raw: list[Any]) -> Row:
    ident, racy, bank, summary, facts, created, timings = raw
    size, mtime, inode = ident if ident is not None else (None, None, None)
    entry = json.dumps([bank, summary, created, timings], ensure_ascii=False, separators=(",", ":"))
    facts_text = None
    names_key = None
    if facts is not None:
        names_key = facts[0]
        facts_text = json.dumps(facts[1:], ensure_ascii=False, separators=(",", ":"))
    row = (session_id, size, mtime, inode, int(racy), entry, facts_text, names_key)
    return (*row, _check(row))


def _valid(row: Row, file: str | None, keys: _Keys, names: dict[str, Names]) -> Entry | None:
    """The entry if every key still matches and its data is whole; None to recompute it.
    ``file`` None: just computed, nothing to compare."""
    try:
        session_id, size, mtime, inode, racy, text, facts, names_key, check = row
        if file is not None:
            if racy or check != _check(row):
                return None
            if (size, mtime, inode) != identity(file):
                return None
        bank, s, created, timings = json.loads(text)
        if file is not None and bank is not None:
            path, bank_ident, via, catalog = bank
            if bank_ident != (keys.file(path) if path else None):
                return None
            if via == "catalog" and catalog != keys.catalog():
                return None
        client, bank_text, status, answered, total, updated, problem = s
        if not (
            type(session_id) is type(client) is type(bank_text) is type(status) is str
            and type(problem) is str
            and type(answered) is type(total) is int
        ):
            return None
        summary = Summary(
            session_id, client, bank_text, status, answered, total, _time(updated), problem
        )
        bank_names: Names | None = None
        if facts is not None:
            bank_names = names[_str(names_key)]
        spent = {str(k): float(v) for k, v in timings.items()} if timings else {}
        return Entry(summary, _time(created), facts, bank_names, spent, names_key)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, inode INTEGER, racy INTEGER NOT NULL,
    entry TEXT NOT NULL, facts TEXT, names_key TEXT, check_sum INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS names (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# How long to wait for another process that holds the index (SQLite's own locking) before
# going on without it: the listing is computed from the files all the same.
BUSY_SECONDS = 20.0


class _Database:
    """The index file: SQLite, so that two processes share it under SQLite's locking and a
    changed session updates one row. Any fault in it means starting it afresh."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.connection = connection
        self.damaged = False

    @classmethod
    def open(cls, path: Path, code: str) -> _Database | None:
        """The index, made or emptied when missing, of another version or damaged; None when
        the store cannot hold one now (read-only, or held by another process too long): the
        listing is computed from the files then."""
        for _ in range(2):
            try:
                path.parent.mkdir(exist_ok=True)
                connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
            except (OSError, sqlite3.Error):
                return None
            db = cls(path, connection)
            try:
                db._prepare(code)
            except sqlite3.OperationalError:
                connection.close()
                return None
            except sqlite3.DatabaseError:
                # Damaged beyond SQLite's reading, or not a database: start it afresh.
                connection.close()
                if not _remove(path):
                    return None
                continue
            return db
        return None

    def _prepare(self, code: str) -> None:
        c = self.connection
        c.execute("PRAGMA synchronous = NORMAL")
        wanted = {"format": INDEX_FORMAT, "code": code}
        if self._meta() == wanted:
            return
        c.execute("BEGIN IMMEDIATE")
        try:
            if self._meta() != wanted:
                # Another version's index, or a new file: nothing in it can be trusted.
                for table in ("meta", "sessions", "names"):
                    c.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        c.execute(statement)
                c.executemany("INSERT INTO meta VALUES (?, ?)", list(wanted.items()))
            c.execute("COMMIT")
        finally:
            if c.in_transaction:
                c.execute("ROLLBACK")

    def _meta(self) -> dict[str, Any]:
        try:
            return dict(self.connection.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return {}
            raise

    def names(self) -> dict[str, Names]:
        """The names of every bank the rows refer to."""
        names: dict[str, Names] = {}
        try:
            for key, value in self.connection.execute("SELECT key, value FROM names"):
                with contextlib.suppress(ValueError, TypeError):
                    loaded = json.loads(value)
                    if isinstance(loaded, dict):
                        names[key] = loaded
        except sqlite3.DatabaseError:
            self.damaged = True
        return names

    def rows(self) -> Iterator[Row]:
        """Every row, one at a time (a store's index is not held in memory whole). A file
        found damaged stops the rows there and is started afresh by :meth:`write`."""
        try:
            yield from self.connection.execute(
                "SELECT id, size, mtime, inode, racy, entry, facts, names_key, check_sum"
                " FROM sessions"
            )
        except sqlite3.DatabaseError:
            self.damaged = True

    def _afresh(self) -> None:
        self.connection.close()
        reopened = _remove(self.path) and self.open(self.path, index_version())
        if reopened:
            self.connection = reopened.connection
        else:
            self.connection = sqlite3.connect(":memory:", isolation_level=None)

    def write(self, rows: list[Row], keep: set[str] | None, names: dict[str, Names]) -> None:
        """Store the recomputed rows and, with ``keep``, drop the rows of other ids. Best
        effort: an index that cannot be written only makes the next call slower."""
        if self.damaged:
            self._afresh()
            keep = None
        c = self.connection
        try:
            c.execute("BEGIN IMMEDIATE")
            c.executemany(
                "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
            if keep is not None:
                stored = [r[0] for r in c.execute("SELECT id FROM sessions")]
                c.executemany(
                    "DELETE FROM sessions WHERE id = ?", [(i,) for i in stored if i not in keep]
                )
            used = {r[0] for r in c.execute("SELECT DISTINCT names_key FROM sessions")}
            c.execute("DELETE FROM names")
            c.executemany(
                "INSERT INTO names VALUES (?, ?)",
                [(k, json.dumps(v, ensure_ascii=False)) for k, v in names.items() if k in used],
            )
            c.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                if c.in_transaction:
                    c.execute("ROLLBACK")

    def close(self) -> None:
        self.connection.close()


def _remove(path: Path) -> bool:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        return False
    return True


_CODE: str | None = None


def index_version() -> str:
    """The index's format and csintake's code: either changing means a new index."""
    global _CODE  # noqa: PLW0603 - computed once per process
    if _CODE is None:
        from csintake.files import fingerprint

        text = f"{INDEX_FORMAT}\n{fingerprint.code_fingerprint()}"
        _CODE = hashlib.sha256(text.encode()).hexdigest()
    return _CODE


# ------------------------------------------------------------------------- computing

Computed = tuple[str, list[Any], str | None, Names | None]


def _compute(store: Store, ids: Sequence[str], workers: int | None) -> list[Computed]:
    cores = os.cpu_count() or 1
    count = min(cores, workers or cores)
    import multiprocessing

    if (
        count < 2
        or len(ids) < POOL_THRESHOLD
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return compute_entries(store.root, ids)
    from concurrent.futures import ProcessPoolExecutor

    chunks = [list(ids[i::count]) for i in range(count)]
    # fork: the workers start with everything already imported.
    context = multiprocessing.get_context("fork")
    results: list[Computed] = []
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        for part in pool.map(compute_entries, [store.root] * count, chunks):
            results.extend(part)
    return results


def compute_entries(root: Path, ids: Sequence[str]) -> list[Computed]:
    """Index entries for ``ids``, read from their files (in a worker process, or not)."""
    from csintake.overview.summary import BankCache
    from csintake.store.store import Store

    store = Store(root)
    banks = BankCache(root)
    keys = _Keys(store)
    return [_entry(store, session_id, banks, keys) for session_id in ids]


def _entry(store: Store, session_id: str, banks: BankCache, keys: _Keys) -> Computed:
    from csintake.errors import CsintakeError
    from csintake.overview.summary import examine

    seen = time.time_ns()
    file = identity(store.path(session_id))
    session, problem = store.read(session_id)
    if session is None:
        summary = Summary(session_id, "?", "?", "unreadable", 0, 0, None, problem)
        return session_id, _stored(file, seen, None, summary, None, None), None, None
    recorded = session.bank.path
    summary, interview = examine(session, banks)
    facts: list[Any] | None = None
    names_key: str | None = None
    names: Names | None = None
    via = "catalog"
    if interview is not None:
        from csintake.brief.builder import brief_decisions

        if recorded and Path(recorded).is_absolute() and interview.loaded.path == Path(recorded):
            via = "path"
        try:
            decided: Decisions | None = brief_decisions(interview)
        except CsintakeError:
            decided = None
        if decided is not None:
            found, names_key = facts_of(decided, interview.loaded)
            names = found.names
            facts = [
                names_key,
                found.scope_question,
                found.scope_value,
                found.scope_label,
                found.budget,
                list(found.kept),
                list(found.set_aside),
                list(found.flags),
            ]
    bank = [
        recorded,
        keys.file(recorded) if recorded else None,
        via,
        keys.catalog() if via == "catalog" else None,
    ]
    raw = _stored(file, seen, bank, summary, facts, session.created, session.timings)
    return session_id, raw, names_key, names


def _near(mtime: int, seen: int) -> bool:
    """Whether a file's time is too close to the moment it was read to tell a later change by.
    A time well in the future (a clock ahead on the machine that wrote or synced the file) is
    not: any write from now on gives the file another time, so it is indexed once."""
    return abs(mtime - seen) < RACY_NS


def _stored(
    file: Identity | None,
    seen: int,
    bank: list[Any] | None,
    summary: Summary,
    facts: list[Any] | None,
    created: dt.datetime | None,
    timings: dict[str, float] | None = None,
) -> list[Any]:
    racy = file is None or _near(file[1], seen)
    if bank is not None and bank[1] is not None:
        racy = racy or _near(bank[1][1], seen)
    s = summary
    return [
        _listed(file),
        racy,
        bank,
        [
            s.client,
            s.bank,
            s.status,
            s.answered,
            s.total,
            s.updated.isoformat() if s.updated else None,
            s.problem,
        ],
        facts,
        created.isoformat() if created else None,
        timings or {},
    ]


# ----------------------------------------------------------------------------- shapes


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("text expected")
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("integer expected")
    return value


def _time(value: Any) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(_str(value))


def _strs(value: Any) -> tuple[str, ...]:
    # Module and flag ids repeat in every session: one copy of each is kept, not one per
    # session (sys.intern also refuses anything but text).
    return tuple(map(sys.intern, value))


def list_sessions(store: Store) -> list[Summary]:
    """Every session, newest first; unreadable files are listed with their problem."""
    return newest_first([e.summary for e in entries(store)])
