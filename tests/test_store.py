"""The session store: atomic writes, locks, ids, damaged files and round trips."""

from __future__ import annotations

import datetime as dt
import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from csintake.errors import (
    SessionLockedError,
    SessionNotFoundError,
    StoreError,
    YamlError,
)
from csintake.store.session import BankRef, Change, Session, now
from csintake.store.store import Store, slug, valid_id

BANK = BankRef(id="mini", version="1.0.0", sha256="0" * 64, path="/nowhere/bank.yaml")
DAY = dt.date(2026, 11, 28)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


def leftovers(store: Store) -> list[str]:
    """Files in the store other than session files (temporary files would show up here)."""
    return sorted(p.name for p in store.root.iterdir() if not p.name.endswith(".yaml"))


# ----------------------------------------------------------------------------- atomic writes


def saved_with_an_answer(store: Store) -> Session:
    session = store.create("Ames Public Library", BANK, day=DAY)
    session.answers["name"] = "Ames"
    store.save(session)
    return session


@pytest.mark.parametrize("target", ["replace", "fsync"])
def test_a_failed_write_leaves_the_previous_file_whole(
    store: Store, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    session = saved_with_an_answer(store)
    path = store.path(session.id)
    before = path.read_bytes()

    def boom(*args: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    if target == "replace":
        monkeypatch.setattr(Path, "replace", boom)
    else:
        monkeypatch.setattr(os, "fsync", boom)
    session.answers["name"] = "Changed"
    with pytest.raises(StoreError) as info:
        store.save(session)
    monkeypatch.undo()

    assert str(info.value) == (
        f"{path}: cannot write: Input/output error; the previous file is intact"
    )
    assert path.read_bytes() == before
    assert store.load(session.id).answers == {"name": "Ames"}
    assert leftovers(store) == []


def test_a_full_disk_is_one_clear_line(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    session = saved_with_an_answer(store)
    path = store.path(session.id)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class FullDisk:
        """A file whose every write fails as on a full disk."""

        def __init__(self, fd: int) -> None:
            self.inner = real_fdopen(fd, "wb")

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.inner.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: FullDisk(fd))
    session.answers["name"] = "x" * 10_000
    with pytest.raises(StoreError) as info:
        store.save(session)
    monkeypatch.undo()

    lines = info.value.lines()
    assert lines == [
        f"{path}: cannot write: no space left on the device; the previous file is intact"
    ]
    assert "\n" not in lines[0]
    assert path.read_bytes() == before
    assert leftovers(store) == []


def test_a_write_is_a_rename_of_a_synced_temporary_file(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = saved_with_an_answer(store)
    events: list[str] = []
    real_fsync, real_replace = os.fsync, Path.replace

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(self: Path, target: Path) -> Path:
        assert self.parent == store.root
        assert self.name.startswith(".")
        assert self.name.endswith(".tmp")
        events.append("rename")
        return real_replace(self, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Path, "replace", replace)
    store.save(session)
    # the file's data before the rename, the folder after it
    assert events == ["fsync", "rename", "fsync"]


# -------------------------------------------------------------------------------------- lock


HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from csintake.store.store import Store

    with Store(Path(sys.argv[1])).lock(sys.argv[2]):
        print("locked", flush=True)
        sys.stdin.read()  # held until the test kills it, however long it takes
    """
)


def hold_lock(store: Store, session_id: str) -> subprocess.Popen[str]:
    """Another process that takes the session's lock and keeps it."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store.root), session_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "locked"
    return child


def test_a_second_process_is_refused_with_exit_code_3(store: Store) -> None:
    session = store.create("Ames", BANK, day=DAY)
    child = hold_lock(store, session.id)
    try:
        with pytest.raises(SessionLockedError) as info, store.lock(session.id):
            pytest.fail("the lock was taken twice")
        assert info.value.exit_code == 3
        assert str(info.value) == (
            f"session '{session.id}' is open in another csintake process;"
            " finish or close it there first"
        )
    finally:
        child.kill()
        child.wait()


def test_the_lock_is_released_when_its_holder_is_killed(store: Store) -> None:
    session = store.create("Ames", BANK, day=DAY)
    child = hold_lock(store, session.id)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with store.lock(session.id):
        pass


def test_the_lock_is_released_on_leaving_and_can_be_taken_again(store: Store) -> None:
    session = store.create("Ames", BANK, day=DAY)
    # the same process opening the session twice is refused too
    with store.lock(session.id), pytest.raises(SessionLockedError), store.lock(session.id):
        pass
    with store.lock(session.id):
        pass


# --------------------------------------------------------------------------------------- ids


def test_ids_are_slugs_of_client_and_date_and_unique(store: Store) -> None:
    first = store.create("Ames Public Library", BANK, day=DAY)
    second = store.create("Ames Public Library", BANK, day=DAY)
    third = store.create("  AMES public   library!! ", BANK, day=DAY)
    assert first.id == "ames-public-library-2026-11-28"
    assert second.id == "ames-public-library-2026-11-28-2"
    assert third.id == "ames-public-library-2026-11-28-3"
    assert sorted(store.ids()) == sorted([first.id, second.id, third.id])
    assert store.load(second.id).client == "Ames Public Library"


def test_a_new_id_takes_today_s_date(store: Store) -> None:
    session = store.create("Ames", BANK)
    assert session.id == f"ames-{dt.date.today().isoformat()}"


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        ("Bibliothèque de Montréal", "bibliotheque-de-montreal"),
        ("Stadtbücherei Straße", "stadtbucherei-strasse"),
        ("Łódź Ørsted Æble", "lodz-orsted-aeble"),
        ("東京図書館", "session"),
        ("---", "session"),
        ("x" * 200, "x" * 60),
    ],
)
def test_unicode_client_names_slug_to_ascii(client: str, expected: str) -> None:
    assert slug(client) == expected
    assert valid_id(f"{slug(client)}-2026-11-28")


def test_an_id_never_reaches_outside_the_store(store: Store, tmp_path: Path) -> None:
    store.create("Ames", BANK, day=DAY)
    outside = tmp_path / "x.yaml"
    outside.write_text("not a session", encoding="utf-8")
    for bad in ["../x", "a/b", ".hidden", "X", "", "-x", "ames\n", "ames-2026-11-28/../../x"]:
        assert not valid_id(bad)
        assert not store.exists(bad)
        with pytest.raises(SessionNotFoundError):
            store.path(bad)
        with pytest.raises(SessionNotFoundError):
            store.load(bad)
        with pytest.raises(SessionNotFoundError), store.lock(bad):
            pass
    assert outside.read_text(encoding="utf-8") == "not a session"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "x.yaml"]
    assert leftovers(store) == [".locks"] or leftovers(store) == []


def test_an_unknown_session_is_one_line(store: Store) -> None:
    with pytest.raises(SessionNotFoundError) as info:
        store.load("nobody-2026-11-28")
    assert str(info.value) == f"no session 'nobody-2026-11-28' in {store.root}"


# --------------------------------------------------------------------------- damaged files


def damaged(store: Store, text: str) -> list[str]:
    session = store.create("Ames", BANK, day=DAY)
    store.path(session.id).write_text(text, encoding="utf-8")
    with pytest.raises(YamlError) as info:
        store.load(session.id)
    return info.value.lines()


def test_a_damaged_session_file_is_one_line_with_its_place(store: Store) -> None:
    good = Session(id="ames-2026-11-28", bank=BANK, client="Ames").to_data()
    text = store_text(good).replace("answers: {}", "answers: [")
    lines = damaged(store, text)
    path = store.path("ames-2026-11-28")
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:")
    line, column = lines[0][len(str(path)) + 1 :].split(":")[:2]
    assert line.isdigit()
    assert column.isdigit()
    assert "YAML syntax" in lines[0]


def test_a_wrong_value_points_at_it(store: Store) -> None:
    good = Session(id="ames-2026-11-28", bank=BANK, client="Ames").to_data()
    text = store_text(good).replace("status: in_progress", "status: done")
    path = store.path("ames-2026-11-28")
    row = text.splitlines().index("status: done") + 1
    assert damaged(store, text) == [f"{path}:{row}:9: status must be 'in_progress' or 'complete'"]


def test_an_empty_or_foreign_file_is_one_line(store: Store) -> None:
    path = store.path("ames-2026-11-28")
    assert damaged(store, "") == [f"{path}:1:1: empty session file"]
    (store.path("ames-2026-11-28")).unlink()
    assert damaged(store, "- just\n- a list\n") == [f"{path}:1:1: not a session file"]


def test_a_file_that_names_another_session_is_refused(store: Store) -> None:
    session = store.create("Ames", BANK, day=DAY)
    other = session.model_copy(update={"id": "boone-2026-11-28"})
    store.path(session.id).write_text(store_text(other.to_data()), encoding="utf-8")
    with pytest.raises(StoreError) as info:
        store.load(session.id)
    assert "says it is session 'boone-2026-11-28'" in str(info.value)


def test_unreadable_sessions_are_listed_with_their_problem(store: Store) -> None:
    good = store.create("Ames", BANK, day=DAY)
    bad = store.create("Boone", BANK, day=DAY)
    store.path(bad.id).write_text("format: [", encoding="utf-8")
    found = {sid: (session, problem) for sid, session, problem in store.all()}
    assert found[good.id][0] is not None
    assert found[bad.id][0] is None
    assert found[bad.id][1].startswith(f"{store.path(bad.id)}:1:")


def store_text(data: object) -> str:
    from csintake.files.yamlfile import dump

    return dump(data)


# -------------------------------------------------------------------------------- round trip


def test_session_data_round_trips(store: Store) -> None:
    session = store.create("Bibliothèque « Ville » 📚", BANK, consultant="Zoë", day=DAY)
    session.answers.update(
        {
            "story": "First line\n  indented second line\n\nlast: with a colon",
            "name": "Ames: 'quoted' \"both\" # not a comment",
            "yes": True,
            "count": 42,
            "share": 0.5,
            "channels": ["desk", "phone"],
            "minutes": 90,
            "when": "2026-01-02",
            "unicode": "Ærø — ñandú — 東京 — 📚",
            "looks_like_yaml": "- [bold] <script>alert(1)</script> {x}",
            "trailing": "ends with a space ",
            "number_text": "007",
            "null_text": "null",
        }
    )
    session.skipped.append("budget")
    session.notes["name"] = "Director hesitated;\nboard leans to behaviour"
    session.follow_up.append("budget")
    session.sources.update(
        {"name": "prompt", "story": "file", "count": "set", "minutes": "default"}
    )
    session.history.append(
        Change(question="name", old="Ames", new=session.answers["name"], at=now())
    )
    session.status = "complete"
    store.save(session)

    loaded = store.load(session.id)
    assert loaded == session
    assert loaded.to_data() == session.to_data()
    assert type(loaded.answers["share"]) is float
    assert type(loaded.answers["minutes"]) is int
    text = store.path(session.id).read_text(encoding="utf-8")
    assert "📚" in text  # readable, not escaped
    assert "created: '" in text or "created: 20" in text


def test_saved_times_are_utc_with_an_offset(store: Store) -> None:
    session = store.create("Ames", BANK, day=DAY)
    data = store.load(session.id).to_data()
    assert data["created"].endswith("+00:00")
    assert data["updated"].endswith("+00:00")


def test_times_without_a_zone_are_read_as_utc(store: Store) -> None:
    session = store.create("Ames", BANK, day=DAY)
    text = store.path(session.id).read_text(encoding="utf-8")
    text = "\n".join(
        "updated: 2026-11-28 09:30:00" if line.startswith("updated:") else line
        for line in text.splitlines()
    )
    store.path(session.id).write_text(text, encoding="utf-8")
    loaded = store.load(session.id)
    assert loaded.updated == dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
