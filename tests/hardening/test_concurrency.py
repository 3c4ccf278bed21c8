"""Several processes at once: one per session, unique ids for sessions created together, and
readers that never see a torn or half-made session file."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csintake.checker import load_bank
from csintake.cli import app
from csintake.intake import bank_ref
from csintake.session import BankRef
from csintake.store import Store

from .common import SHIPPED_BANK, csintake_command, subprocess_env

REF: BankRef = bank_ref(load_bank(SHIPPED_BANK))
DAY = dt.date(2026, 11, 28)
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


def _rewrite(root: str, sid: str, stop: float) -> int:
    """Save the session over and over, alternating a small and a large file."""
    store = Store(Path(root))
    session = store.load(sid)
    n = 0
    while time.time() < stop:
        n += 1
        session.answers["prompted_by"] = f"rewrite {n} " + "x" * (3_900 if n % 2 else 10)
        store.save(session)
    return n


def _create_many(root: str, stop: float) -> int:
    store = Store(Path(root))
    n = 0
    while time.time() < stop and n < 150:
        store.create("Busy Library", REF, day=DAY)
        n += 1
        time.sleep(0.005)
    return n


def test_readers_never_see_a_torn_or_half_made_session(tmp_path: Path, runner: CliRunner) -> None:
    store = Store(tmp_path)
    sid = store.create("Ames", REF, day=DAY).id
    stop = time.time() + 4
    with CTX.Pool(2) as pool:
        writes = pool.apply_async(_rewrite, (str(tmp_path), sid, stop))
        creates = pool.apply_async(_create_many, (str(tmp_path), stop))
        reads = 0
        while time.time() < stop:
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
        assert writes.get(timeout=30) > 20
        assert creates.get(timeout=30) > 5
    assert reads >= 3
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("command", [["sessions"], ["show", "{sid}"]])
def test_the_cli_reads_while_another_process_rewrites(tmp_path: Path, command: list[str]) -> None:
    store = Store(tmp_path)
    sid = store.create("Ames", REF, day=DAY).id
    env = subprocess_env(tmp_path)
    stop = time.time() + 3
    with CTX.Pool(1) as pool:
        writes = pool.apply_async(_rewrite, (str(tmp_path), sid, stop))
        runs = 0
        while time.time() < stop:
            args = [part.replace("{sid}", sid) for part in command]
            result = subprocess.run(
                [csintake_command(), *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert result.returncode == 0, result.stderr
            assert result.stderr == ""
            assert "unreadable" not in result.stdout
            runs += 1
        writes.get(timeout=30)
    assert runs >= 2
