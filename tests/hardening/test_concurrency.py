"""Several processes at once: one per session, unique ids for sessions created together, and
readers that never see a torn or half-made session file."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from csintake.bank.loader import load_bank
from csintake.cli import app
from csintake.interview.intake import bank_ref
from csintake.store.session import BankRef
from csintake.store.store import Store

from .common import SHIPPED_BANK, csintake_command, subprocess_env

REF: BankRef = bank_ref(load_bank(SHIPPED_BANK))
DAY = dt.date(2026, 11, 28)
if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized
    from multiprocessing.synchronize import Event

    Counter = Synchronized[int]

CTX = multiprocessing.get_context("fork")


def _create(root: str, client: str, count: int, start: float) -> list[str]:
    """Create ``count`` sessions for ``client``, starting at ``start`` (a shared moment)."""
    while time.time() < start:
        pass
    store = Store(Path(root))
    return [store.create(client, REF, day=DAY).id for _ in range(count)]


def test_sessions_created_at_once_get_different_ids(tmp_path: Path) -> None:
    start = time.time() + 0.5
    with CTX.Pool(8) as pool:
        results = pool.starmap(_create, [(str(tmp_path), "Ames Public Library", 5, start)] * 8)
    ids = [sid for batch in results for sid in batch]
    assert len(ids) == 40
    assert len(set(ids)) == 40
    store = Store(tmp_path)
    assert sorted(store.ids()) == sorted(ids)
    for sid in ids:
        assert store.load(sid).client == "Ames Public Library"


def test_scripted_intakes_started_together_get_different_ids(tmp_path: Path) -> None:
    env = subprocess_env(tmp_path)
    command = [csintake_command(), "interview", "--no-input", "--client", "Ames", "--json"]
    command += ["--set", "library_name=Ames"]
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert {p.returncode for p in procs} == {1}  # incomplete, but each session made
    for _, err in outputs:
        assert b"Traceback" not in err
    store = Store(tmp_path)
    ids = store.ids()
    assert len(ids) == 6
    for sid in ids:
        assert store.load(sid).answers["library_name"] == "Ames"


def test_a_second_process_on_a_held_session_exits_3(tmp_path: Path) -> None:
    store = Store(tmp_path)
    sid = store.create("Ames", REF, day=DAY).id
    before = store.path(sid).read_bytes()
    env = subprocess_env(tmp_path)
    with store.lock(sid):
        for args in (
            ["interview", sid, "--no-input", "--set", "library_name=Other"],
            ["interview", sid],
        ):
            second = subprocess.run(
                [csintake_command(), *args],
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert second.returncode == 3, second.stderr
            assert second.stderr == (
                f"csintake: session '{sid}' is open in another csintake process;"
                " finish or close it there first\n"
            )
            assert store.path(sid).read_bytes() == before
        # Reading is never locked out.
        for args in (["show", sid], ["show", sid, "--json"], ["brief", sid], ["sessions"]):
            reader = subprocess.run(
                [csintake_command(), *args], env=env, capture_output=True, timeout=60, check=False
            )
            assert reader.returncode == 0, (args, reader.stderr)
    # Released: the next process gets in.
    after = subprocess.run(
        [csintake_command(), "interview", sid, "--no-input", "--set", "library_name=Ames"],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert after.returncode == 1  # incomplete, not locked
    assert store.load(sid).answers["library_name"] == "Ames"


# Writers run until the reader has seen what it needs, counting what they did in shared
# counters: the tests wait for events (a write landed while a read was running), never for
# an amount of work done within a time, so a slow or loaded machine only makes them longer.
DEADLOCK = 300.0
"""Seconds after which a writer that never moves is a hang, not a slow machine."""


def _rewrite(root: str, sid: str, done: Event, count: Counter) -> None:
    """Save the session over and over, alternating a small and a large file, until ``done``."""
    store = Store(Path(root))
    session = store.load(sid)
    n = 0
    while not done.is_set():
        n += 1
        session.answers["prompted_by"] = f"rewrite {n} " + "x" * (3_900 if n % 2 else 10)
        store.save(session)
        with count.get_lock():
            count.value = n


def _create_many(root: str, done: Event, count: Counter) -> None:
    store = Store(Path(root))
    while not done.is_set() and count.value < 150:
        store.create("Busy Library", REF, day=DAY)
        with count.get_lock():
            count.value += 1


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLOCK
    while not condition():
        assert time.monotonic() < deadline, f"hung: {what}"
        time.sleep(0.01)


@contextlib.contextmanager
def _running(target: Callable[..., None], *args: object) -> Iterator[Counter]:
    """``target`` in another process until the block ends; yields its counter."""
    done = CTX.Event()
    count: Counter = CTX.Value("i", 0)
    process = CTX.Process(target=target, args=(*args, done, count))
    process.start()
    try:
        _wait_for(lambda: count.value > 0 or not process.is_alive(), "the writer never started")
        assert process.is_alive() or process.exitcode == 0, "the writer failed"
        yield count
    finally:
        done.set()
        process.join(DEADLOCK)
    assert process.exitcode == 0, "the writer failed"


def test_readers_never_see_a_torn_or_half_made_session(tmp_path: Path, runner: CliRunner) -> None:
    store = Store(tmp_path)
    sid = store.create("Ames", REF, day=DAY).id
    with (
        _running(_rewrite, str(tmp_path), sid) as writes,
        _running(_create_many, str(tmp_path)) as creates,
    ):
        reads = overlapped = 0
        # Reading goes on until writes landed while reads ran, whatever the machine's speed.
        while reads < 3 or overlapped < 2 or creates.value < 5:
            before = writes.value
            listed = runner.invoke(app, ["--store", str(tmp_path), "sessions", "--json"])
            assert listed.exit_code == 0, listed.stderr
            rows = json.loads(listed.stdout)
            assert all(row["problem"] is None for row in rows), [
                row for row in rows if row["problem"]
            ]
            shown = runner.invoke(app, ["--store", str(tmp_path), "show", sid, "--json"])
            assert shown.exit_code == 0, shown.stderr
            assert json.loads(shown.stdout)["answers"]["prompted_by"].startswith("rewrite")
            for _ in range(5):
                for other, session, problem in store.all():
                    # every file parses, whichever moment it is read
                    assert session is not None, (other, problem)
            reads += 1
            overlapped += writes.value > before
            assert reads < 10_000, "the writers stopped writing"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("command", [["sessions"], ["show", "{sid}"]])
def test_the_cli_reads_while_another_process_rewrites(tmp_path: Path, command: list[str]) -> None:
    store = Store(tmp_path)
    sid = store.create("Ames", REF, day=DAY).id
    env = subprocess_env(tmp_path)
    args = [part.replace("{sid}", sid) for part in command]
    with _running(_rewrite, str(tmp_path), sid) as writes:
        runs = overlapped = 0
        # Each run is a whole process (startup included), so on a slow machine fewer runs
        # fit in a moment: the test runs until two of them had the file replaced under them.
        while runs < 2 or overlapped < 2:
            before = writes.value
            result = subprocess.run(
                [csintake_command(), *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=DEADLOCK,
                check=False,
            )
            assert result.returncode == 0, result.stderr
            assert result.stderr == ""
            assert "unreadable" not in result.stdout
            runs += 1
            overlapped += writes.value > before
            assert runs < 1_000, "the writer stopped writing"
