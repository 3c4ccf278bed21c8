"""An index of what ``sessions`` and ``report`` need from each session, so that a store of
thousands of sessions is listed without parsing every file each time.

The session files stay the only source of truth. ``STORE/.index/sessions.json`` is a cache:
each entry is keyed by its session file's identity (size, mtime_ns, inode) and by the
identity of the bank file the session resolves to, and the whole index by a fingerprint of
csintake's own code. An entry whose keys no longer match is recomputed from the file; one
written within a second or two of its file's last change is recomputed next time too (the
file could still change within the same timestamp tick, as git's "racy" entries). A missing,
unreadable or damaged index (a checksum covers every byte of its body) is rebuilt, so it
never gives another answer than the files themselves. The index is written atomically, and
only when something changed; a store that cannot be written is still listed, just not
faster next time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csintake.overview import Summary

if TYPE_CHECKING:
    from csintake.brief import Brief
    from csintake.checker import LoadedBank
    from csintake.overview import BankCache
    from csintake.store import Store

INDEX_FORMAT = "csintake/index@1"
INDEX_DIR = ".index"
INDEX_FILE = "sessions.json"
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


def facts_of(brief: Brief, loaded: LoadedBank) -> tuple[Facts, str]:
    """The facts of a brief built on ``loaded``, and the key of its names in the index."""
    value = brief.scope.value
    agenda = brief.agenda
    facts = Facts(
        brief.scope.question,
        value if isinstance(value, (str, int)) and not isinstance(value, bool) else None,
        brief.scope.label,
        agenda.budget_minutes,
        tuple(m.id for m in agenda.modules),
        tuple(m.id for m in agenda.follow_up),
        tuple(f.id for f in brief.flags),
        bank_names(loaded),
    )
    return facts, loaded.sha256


def bank_names(loaded: LoadedBank) -> Names:
    from csintake.bank import ChoiceQuestion

    spec = loaded.bank.brief
    scope = loaded.bank.question_map.get(spec.scope) if spec.scope else None
    choices = scope.choices if isinstance(scope, ChoiceQuestion) else []
    return {
        "modules": {m.id: m.title for m in spec.modules},
        "flags": {f.id: f.level for f in spec.flags},
        "scope": [[c.value, c.shown] for c in choices],
    }


@dataclass(frozen=True)
class Entry:
    """One session as the index knows it."""

    summary: Summary
    created: dt.datetime | None
    # Read from the index only when asked for (listing needs none of it).
    raw_facts: list[Any] | None
    names: Names | None
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent per section on the call, as the session records them."""

    def facts(self) -> Facts | None:
        """The brief's facts; None when no brief can be built (an unreadable file, a bank
        that cannot be found)."""
        if self.raw_facts is None or self.names is None:
            return None
        question, value, label, budget, kept, set_aside, flags = self.raw_facts
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
            self.names,
        )


# --------------------------------------------------------------------------- reading


def index_path(store: Store) -> Path:
    return store.root / INDEX_DIR / INDEX_FILE


def entries(store: Store, *, workers: int | None = None) -> list[Entry]:
    """One entry per session file in the store (unordered), from the index where its keys
    still match and recomputed from the file where they do not.

    ``workers`` caps the processes used for a large rebuild (None: one per core).
    """
    ids = store.ids()
    if not ids:
        return []
    path = index_path(store)
    code = code_fingerprint()
    stored, names = _read(path, code)
    keys = _Keys(store)
    fresh: dict[str, list[Any]] = {}
    found: list[Entry] = []
    stale: list[str] = []
    for session_id in ids:
        raw: Any = stored.get(session_id)
        file = os.path.join(store.root, f"{session_id}.yaml")  # noqa: PTH118 - many, fast
        entry = _valid(session_id, raw, file, keys, names)
        if entry is None:
            stale.append(session_id)
        else:
            fresh[session_id] = raw
            found.append(entry)
    if stale:
        for session_id, computed, bank_key, bank in _compute(store, stale, workers):
            if bank_key is not None and bank is not None:
                names.setdefault(bank_key, bank)
            fresh[session_id] = computed
            entry = _valid(session_id, computed, None, keys, names)
            assert entry is not None
            found.append(entry)
    if stale or len(fresh) != len(stored):
        used = {raw[4][0] for raw in fresh.values() if raw[4] is not None}
        _write(path, code, fresh, {k: v for k, v in names.items() if k in used})
    return found


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
            from csintake.catalog import bank_files

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


# One stored entry: [file identity, racy, bank, summary, facts-or-null, created, timings]
# bank: [recorded path, its identity, via ("path" or "catalog"), catalog-or-null] or null
# summary: [client, bank, status, answered, total, updated, problem]
# facts: [names key, scope question, scope value, scope label, budget, kept, set aside, flags]


def _valid(
    session_id: str, raw: Any, file: str | None, keys: _Keys, names: dict[str, Names]
) -> Entry | None:
    """The entry if every key still matches and its data is whole; None to recompute it.
    ``file`` None: just computed, nothing to compare."""
    if raw is None:
        return None
    try:
        ident, racy, bank, s, facts, created, timings = raw
        if file is not None:
            if racy or _identity(ident) != identity(file):
                return None
            if bank is not None:
                path, bank_ident, via, catalog = bank
                if bank_ident != (keys.file(path) if path else None):
                    return None
                if via == "catalog" and catalog != keys.catalog():
                    return None
        client, bank_text, status, answered, total, updated, problem = s
        summary = Summary(
            session_id,
            _str(client),
            _str(bank_text),
            _str(status),
            _int(answered),
            _int(total),
            _time(updated),
            _str(problem),
        )
        raw_facts: list[Any] | None = None
        bank_names: Names | None = None
        if facts is not None:
            bank_names = names[facts[0]]
            raw_facts = facts[1:]
            if len(raw_facts) != 7:
                return None
        spent = {str(k): float(v) for k, v in timings.items()}
        return Entry(summary, _time(created), raw_facts, bank_names, spent)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _identity(value: Any) -> Identity | None:
    if value is None:
        return None
    size, mtime, inode = value
    return (_int(size), _int(mtime), _int(inode))


def _read(path: Path, code: str) -> tuple[dict[str, Any], dict[str, Names]]:
    """The stored entries and names, or nothing when the index is missing, of another
    version, or damaged in any way."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}, {}
    header, sep, body = data.partition(b"\n")
    try:
        head = json.loads(header)
        if (
            not sep
            or not isinstance(head, dict)
            or head.get("format") != INDEX_FORMAT
            or head.get("code") != code
            or head.get("sha256") != hashlib.sha256(body).hexdigest()
        ):
            return {}, {}
        stored = json.loads(body)
        sessions, names = stored["sessions"], stored["names"]
    except (ValueError, UnicodeDecodeError, RecursionError, TypeError, KeyError):
        return {}, {}
    if not isinstance(sessions, dict) or not isinstance(names, dict):
        return {}, {}
    return sessions, names


def _write(path: Path, code: str, sessions: dict[str, Any], names: dict[str, Names]) -> None:
    from csintake.errors import StoreError
    from csintake.store import write_atomic

    body = json.dumps(
        {"sessions": sessions, "names": names}, ensure_ascii=False, separators=(",", ":")
    )
    head = json.dumps(
        {
            "format": INDEX_FORMAT,
            "code": code,
            "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        }
    )
    try:
        path.parent.mkdir(exist_ok=True)
        write_atomic(path, f"{head}\n{body}")
    except (OSError, StoreError):
        # A read-only store is listed all the same, only not faster next time.
        return


_CODE: str | None = None


def code_fingerprint() -> str:
    """Changes whenever any of csintake's own files does (an upgrade, an edit)."""
    global _CODE  # noqa: PLW0603 - computed once per process
    if _CODE is None:
        from csintake import __version__

        package = Path(__file__).parent
        parts = [INDEX_FORMAT, __version__]
        for folder, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if not name.endswith((".pyc", ".pyo")):
                    full = Path(folder, name)
                    parts.append(f"{full.relative_to(package)}:{identity(full)}")
        _CODE = hashlib.sha256("\n".join(parts).encode()).hexdigest()
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
    from csintake.overview import BankCache
    from csintake.store import Store

    store = Store(root)
    banks = BankCache(root)
    keys = _Keys(store)
    return [_entry(store, session_id, banks, keys) for session_id in ids]


def _entry(store: Store, session_id: str, banks: BankCache, keys: _Keys) -> Computed:
    from csintake.errors import CsintakeError
    from csintake.overview import examine

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
        from csintake.brief import build_brief

        if recorded and Path(recorded).is_absolute() and interview.loaded.path == Path(recorded):
            via = "path"
        try:
            brief = build_brief(interview)
        except CsintakeError:
            brief = None
        if brief is not None:
            found, names_key = facts_of(brief, interview.loaded)
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


def _stored(
    file: Identity | None,
    seen: int,
    bank: list[Any] | None,
    summary: Summary,
    facts: list[Any] | None,
    created: dt.datetime | None,
    timings: dict[str, float] | None = None,
) -> list[Any]:
    racy = file is None or file[1] >= seen - RACY_NS
    if bank is not None and bank[1] is not None:
        racy = racy or bank[1][1] >= seen - RACY_NS
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
    return tuple(_str(v) for v in value)
