"""The session index: a cache that never answers differently from the session files."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csintake.brief import build_brief
from csintake.cli import app
from csintake.files.yamlfile import dump, load_plain, load_text
from csintake.interview.engine import Interview
from csintake.interview.intake import bank_for
from csintake.overview import index
from csintake.overview.index import Facts, entries, facts_of, index_path, list_sessions
from csintake.overview.summary import Summary, newest_first
from csintake.store.store import Store
from helpers import MINIMAL_BANK, write_bank

DATA = Path(__file__).parent / "data"
MINI_SETS = ("--no-input", "--set", "name=Ames", "--set", "meaning=offerings")


def interview(home: Path, client: str, answers: str, *extra: str) -> str:
    result = CliRunner().invoke(
        app,
        [
            "--store",
            str(home),
            "interview",
            "--client",
            client,
            "--answers",
            str(DATA / answers),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.stderr
    session_id = client.lower().replace(" ", "-")
    return next(p.stem for p in home.glob(f"{session_id}-*.yaml"))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    home = tmp_path / "store"
    interview(home, "Ames Public Library", "answers-both.yaml", "--no-input")
    interview(home, "Boone Library", "answers-behavior.yaml", "--no-input")
    interview(home, "Story City Library", "answers-offerings.yaml", "--no-input")
    (home / "broken-2026-01-01.yaml").write_text("format: [\n", encoding="utf-8")
    return Store(home)


def from_files(store: Store) -> list[Summary]:
    """What the files say, computed without any index."""
    computed = index.compute_entries(store.root, store.ids())
    names = {key: found for _, _, key, found in computed if key is not None and found}
    keys = index._Keys(store)
    rows = [index._valid(index._row(sid, raw), None, keys, names) for sid, raw, _, _ in computed]
    assert all(rows)
    return newest_first([r.summary for r in rows if r is not None])


def facts_from_files(store: Store) -> dict[str, Facts | None]:
    found: dict[str, Facts | None] = {}
    for session_id in store.ids():
        try:
            session = store.load(session_id)
        except Exception:  # noqa: BLE001 - an unreadable file has no facts
            found[session_id] = None
            continue
        loaded = bank_for(session, store.root)
        found[session_id] = facts_of(build_brief(Interview(loaded, session)).decisions, loaded)[0]
    return found


def by_id(store: Store) -> dict[str, index.Entry]:
    return {e.summary.id: e for e in entries(store)}


def settle(store: Store) -> None:
    """Age every file so that no entry is racy (as in a store used over days)."""
    for path in [*store.root.glob("*.yaml"), *store.root.glob("banks/*.yaml")]:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10 * index.RACY_NS))


def test_listing_through_the_index_is_what_the_files_say(store: Store) -> None:
    expected = from_files(store)
    assert [r.id for r in expected][-1] == "broken-2026-01-01"
    assert list_sessions(store) == expected  # builds the index
    assert index_path(store).is_file()
    assert list_sessions(store) == expected  # read from it
    settle(store)
    assert list_sessions(store) == expected
    assert list_sessions(store) == expected
    broken = expected[-1]
    assert broken.status == "unreadable"
    assert broken.problem.startswith(str(store.root / "broken-2026-01-01.yaml"))


def test_facts_through_the_index_are_what_the_briefs_say(store: Store) -> None:
    expected = facts_from_files(store)
    for _ in range(3):
        settle(store)
        found = {sid: e.facts() for sid, e in by_id(store).items()}
        assert found == expected
    ames = next(f for sid, f in found.items() if sid.startswith("ames"))
    assert ames is not None
    assert ames.scope_value == "both"
    assert ames.kept
    assert all(ames.title(m) != m for m in ames.kept)


def test_a_warm_index_reads_no_session_file(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    settle(store)
    list_sessions(store)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a session file was parsed")

    monkeypatch.setattr(index, "compute_entries", refuse)
    assert len(list_sessions(store)) == 4


def test_a_file_dated_in_the_future_is_read_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clocks differ between machines that sync a store: a file a day ahead is indexed once."""
    settle(store)
    ames = next(store.root.glob("ames-*.yaml"))
    ahead = time.time_ns() + 86_400 * 10**9
    os.utime(ames, ns=(ahead, ahead))
    expected = from_files(store)
    assert list_sessions(store) == expected  # indexes it
    calls: list[int] = []
    compute = index.compute_entries

    def counting(root: Path, ids: Any) -> Any:
        calls.append(len(ids))
        return compute(root, ids)

    monkeypatch.setattr(index, "compute_entries", counting)
    assert list_sessions(store) == expected
    assert list_sessions(store) == expected
    assert calls == []
    edit(ames, "client: Ames Public Library", "client: Ames City Library")
    assert next(r for r in list_sessions(store) if r.id == ames.stem).client == "Ames City Library"
    assert calls == [1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_file_edited_behind_the_index_s_back_is_read_again(store: Store) -> None:
    settle(store)
    list_sessions(store)
    ames = next(store.root.glob("ames-*.yaml"))
    edit(ames, "client: Ames Public Library", "client: Ames City Library")
    edit(ames, "status: complete", "status: in_progress")
    row = next(r for r in list_sessions(store) if r.id == ames.stem)
    assert (row.client, row.status) == ("Ames City Library", "in_progress")
    assert list_sessions(store) == from_files(store)


def test_an_edit_in_the_same_tick_with_the_same_size_is_still_seen(store: Store) -> None:
    """The worst case for a (size, mtime, inode) key: rewritten in place within the same
    timestamp tick, same length. Entries indexed that close to their file's change are racy
    and read again."""
    ames = next(store.root.glob("ames-*.yaml"))
    list_sessions(store)
    before = ames.stat()
    edit(ames, "client: Ames Public Library", "client: Amex Public Library")
    os.utime(ames, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = ames.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    row = next(r for r in list_sessions(store) if r.id == ames.stem)
    assert row.client == "Amex Public Library"


def test_a_file_replaced_by_another_is_read_again(store: Store) -> None:
    settle(store)
    list_sessions(store)
    ames = next(store.root.glob("ames-*.yaml"))
    copy = ames.with_suffix(".tmp")
    shutil.copy(ames, copy)
    edit(copy, "status: complete", "status: in_progress")
    copy.replace(ames)  # what every save does: a new inode
    assert next(r for r in list_sessions(store) if r.id == ames.stem).status == "in_progress"


def test_sessions_added_and_deleted_behind_its_back(store: Store, tmp_path: Path) -> None:
    settle(store)
    list_sessions(store)
    boone = next(store.root.glob("boone-*.yaml"))
    boone.unlink()
    interview(store.root, "Gilbert Library", "answers-both.yaml", "--no-input")
    ids = {r.id for r in list_sessions(store)}
    assert boone.stem not in ids
    assert any(i.startswith("gilbert-library-") for i in ids)
    assert list_sessions(store) == from_files(store)
    with contextlib.closing(sqlite3.connect(index_path(store))) as db:
        assert {r[0] for r in db.execute("SELECT id FROM sessions")} == ids


def test_a_deleted_index_is_rebuilt(store: Store) -> None:
    expected = list_sessions(store)
    index_path(store).unlink()
    assert list_sessions(store) == expected
    shutil.rmtree(index_path(store).parent)
    assert list_sessions(store) == expected
    assert index_path(store).is_file()


def forge(store: Store, change: Any) -> None:
    """Apply ``change`` to every stored row (a list) and store it back with a check sum that
    matches, as a damaged index that still passes its checks would look; ``change`` may also
    be SQL to run."""
    with contextlib.closing(sqlite3.connect(index_path(store))) as db, db:
        if isinstance(change, str):
            db.execute(change)
            return
        rows = db.execute("SELECT * FROM sessions").fetchall()
        for row in rows:
            changed = list(row[:8])
            change(changed)
            assert changed != list(row[:8])
            db.execute(
                "REPLACE INTO sessions VALUES (?,?,?,?,?,?,?,?,?)",
                (*changed, index._check(changed)),
            )


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"",
        lambda b: b[: len(b) // 2],
        lambda b: b[:100] + b"\x00" * (len(b) - 100),
        lambda b: b"\x00\xff garbage",
        lambda b: b"not json\n{}",
        lambda b: b.replace(b"SQLite format 3", b"SQLite format 4", 1),
        lambda b: b.replace(b'"complete"', b'"finished"', 1),  # same length: its check fails
        lambda b: b.replace(b'"complete"', b'"in_progress"', 1),  # a page of another length
        lambda b: b.replace(index.INDEX_FORMAT.encode(), b"csintake/index@0", 1),
    ],
)
def test_a_corrupt_index_is_never_believed(store: Store, damage: Any) -> None:
    settle(store)
    expected = list_sessions(store)
    facts = facts_from_files(store)
    path = index_path(store)
    data = path.read_bytes()
    damaged = damage(data)
    assert damaged != data
    path.write_bytes(damaged)
    assert list_sessions(store) == expected
    assert {sid: e.facts() for sid, e in by_id(store).items()} == facts
    assert list_sessions(store) == expected


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.__setitem__(5, "null"),
        lambda r: r.__setitem__(5, "[1, 2, 3]"),
        lambda r: r.__setitem__(5, '{"x": 1}'),
        lambda r: r.__setitem__(1, 0),
        lambda r: r.__setitem__(3, None),
        lambda r: r.__setitem__(5, re.sub(r',\d+,\d+,("[^"]*"|null),"', ',"many",3,null,"', r[5])),
        lambda r: r.__setitem__(7, "no such bank"),
        "DELETE FROM names",
        "DELETE FROM sessions",
        "DROP TABLE sessions",
    ],
)
def test_an_index_with_broken_entries_recomputes_them(store: Store, change: Any) -> None:
    settle(store)
    expected = list_sessions(store)
    facts = facts_from_files(store)
    forge(store, change)
    assert list_sessions(store) == expected
    assert {sid: e.facts() for sid, e in by_id(store).items()} == facts
    assert list_sessions(store) == expected


def test_a_changed_bank_recomputes_its_sessions(tmp_path: Path) -> None:
    home = tmp_path / "store"
    bank = write_bank(tmp_path, MINIMAL_BANK)
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["--store", str(home), "interview", "--bank", str(bank), "--client", "Ames", *MINI_SETS],
    )
    assert result.exit_code == 0, result.stderr
    store = Store(home)
    settle(store)
    (row,) = list_sessions(store)
    assert (row.answered, row.total) == (3, 3)
    # A new required question: the session has one more to answer.
    text = bank.read_text(encoding="utf-8").replace(
        "  - id: detail\n",
        "      - id: extra\n        type: yes_no\n        prompt: One more?\n  - id: detail\n",
    )
    bank.write_text(text, encoding="utf-8")
    (row,) = list_sessions(store)
    assert (row.answered, row.total) == (3, 4)
    settle(store)
    bank.unlink()  # no such bank any more: the session is listed with the problem
    (row,) = list_sessions(store)
    assert row.problem
    assert list_sessions(store) == from_files(store)


def test_a_bank_found_by_id_depends_on_the_known_banks(tmp_path: Path) -> None:
    home = tmp_path / "store"
    (home / "banks").mkdir(parents=True)
    bank = write_bank(home / "banks", MINIMAL_BANK, "mini.yaml")
    result = CliRunner().invoke(
        app,
        ["--store", str(home), "interview", "--bank", "mini", "--client", "Ames", *MINI_SETS],
    )
    assert result.exit_code == 0, result.stderr
    store = Store(home)
    session_file = next(home.glob("ames-*.yaml"))
    # The recorded path is gone: the bank is found again by its id among the known banks.
    edit(session_file, str(bank.resolve()), str(tmp_path / "moved.yaml"))
    settle(store)
    (row,) = list_sessions(store)
    assert (row.problem, row.total) == ("", 3)
    bank.unlink()
    (row,) = list_sessions(store)
    assert row.problem.startswith("no bank with id 'mini'")


def test_a_new_version_of_csintake_rebuilds_the_index(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(store)
    expected = list_sessions(store)
    monkeypatch.setattr(index, "_CODE", "another version")
    calls: list[int] = []
    compute = index.compute_entries

    def counting(root: Path, ids: list[str]) -> Any:
        calls.append(len(ids))
        return compute(root, ids)

    monkeypatch.setattr(index, "compute_entries", counting)
    assert list_sessions(store) == expected
    assert calls == [4]


def test_a_large_rebuild_in_worker_processes_gives_the_same_entries(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(store)
    expected = list_sessions(store)
    facts = facts_from_files(store)
    index_path(store).unlink()
    monkeypatch.setattr(index, "POOL_THRESHOLD", 1)
    assert newest_first([e.summary for e in entries(store, workers=2)]) == expected
    assert {sid: e.facts() for sid, e in by_id(store).items()} == facts


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_store_is_listed_without_an_index(store: Store) -> None:
    expected = from_files(store)
    store.root.chmod(0o555)
    try:
        assert list_sessions(store) == expected
        assert not index_path(store).exists()
    finally:
        store.root.chmod(0o755)


def test_an_index_that_cannot_be_written_changes_nothing(store: Store) -> None:
    expected = from_files(store)
    (store.root / index.INDEX_DIR).write_text("a file where the folder should be")
    assert list_sessions(store) == expected
    assert list_sessions(store) == expected


def test_an_empty_store_needs_no_index(tmp_path: Path) -> None:
    store = Store(tmp_path / "none")
    assert list_sessions(store) == []
    assert not index_path(store).exists()


# ------------------------------------------------------------------------- quick loading


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.dates().map(str)
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10) | st.integers(-5, 5), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from(["block", "flow", "json"]))
def test_quick_loading_gives_what_the_positioned_loader_gives(value: Any, style: str) -> None:
    if style == "json":
        try:
            text = json.dumps(value, allow_nan=False)
        except ValueError:
            return
    else:
        text = yaml.safe_dump(value, default_flow_style=style == "flow", allow_unicode=True)
    quick, plain = load_plain(text)
    try:
        slow: Any = load_text(text, "f.yaml").value
    except Exception:  # noqa: BLE001 - refused by the positioned loader
        assert not quick
        return
    if quick:
        assert repr(plain) == repr(slow)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1]\nb: *x\n",
        "a: !!python/object/apply:os.system [echo hi]\n",
        "a: 1\na: 2\n",
        "<<: {a: 1}\nb: 2\n",
        "? [1, 2]\n: x\n",
        "{1: a, true: b}\n",
        "a: !!binary aGk=\n",
        "a: !!set {x}\n",
        "a: \x01\n",
        "a: 1" + "0" * 5000 + "\n",
        "a: [\n",
    ],
)
def test_quick_loading_leaves_the_unusual_to_the_positioned_loader(text: str) -> None:
    assert load_plain(text) == (False, None)


# Within the Basic Multilingual Plane: what libyaml's emitter writes (text beyond it goes to
# the pure-Python emitter, as before).
bmp = st.characters(max_codepoint=0xFFFF).filter(lambda c: not 0xD800 <= ord(c) <= 0xDFFF)
texts = st.text(bmp | st.sampled_from("\n\t\r\x85\u2028\ufeff"), max_size=120)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.text(bmp, min_size=1, max_size=8),
        texts | st.lists(texts, max_size=3) | st.integers() | st.booleans() | st.none(),
        max_size=6,
    )
)
def test_written_session_text_reads_back_to_the_same_data(value: dict[str, Any]) -> None:
    text = dump(value)
    assert load_text(text, "f.yaml").value == value
    quick, plain = load_plain(text)
    assert not quick or plain == value


def test_written_text_keeps_unicode_readable() -> None:
    text = dump({"client": "Bibliothèque 東京 📚", "note": "a\nb"})
    assert text == "client: Bibliothèque 東京 📚\nnote: |-\n  a\n  b\n"
    assert dump({"client": "Bibliothèque 東京"}) == "client: Bibliothèque 東京\n"


def test_two_processes_building_and_reading_the_index_at_once_agree(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each process lists what the files say, whoever builds the index first; SQLite's own
    locking keeps the shared file whole, so a third call reads every entry from it."""
    ames = next(store.root.glob("ames-*.yaml"))
    text = ames.read_text(encoding="utf-8")
    for n in range(40):
        copy = f"{ames.stem}-copy-{n}"
        (store.root / f"{copy}.yaml").write_text(
            text.replace(f"id: {ames.stem}\n", f"id: {copy}\n"), encoding="utf-8"
        )
    settle(store)
    expected = [(r.id, r.client, r.status, r.answered) for r in from_files(store)]
    argv = [sys.executable, "-m", "csintake", "--store", str(store.root), "sessions", "--json"]
    for _ in range(2):
        index_path(store).unlink(missing_ok=True)
        both = [subprocess.Popen(argv, stdout=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [p.communicate()[0] for p in both]
        assert [p.returncode for p in both] == [0, 0]
        for output in outputs:
            rows = json.loads(output)
            assert [(r["id"], r["client"], r["status"], r["answered"]) for r in rows] == expected

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a session file was parsed")

    monkeypatch.setattr(index, "compute_entries", refuse)
    assert [(r.id, r.client, r.status, r.answered) for r in list_sessions(store)] == expected
