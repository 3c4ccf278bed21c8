"""Writes that fail: a full disk, a file size limit, /dev/full, a FIFO or a symlink as the
output. Each failure is one clear line and exit 1, and the previous file is intact."""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import signal
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csintake.cli import app
from csintake.store.store import Store

from .common import csintake_command, subprocess_env


def enospc(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def session(runner: CliRunner, csintake_home: Path) -> str:
    result = runner.invoke(
        app, ["interview", "--no-input", "--client", "Ames", "--set", "library_name=Ames"]
    )
    assert result.exit_code == 1, result.stderr
    (sid,) = Store(csintake_home).ids()
    return sid


def temporary_files(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*.tmp")]


def assert_one_line_failure(stderr: str, *wanted: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("csintake: "), lines
    for text in wanted:
        assert text in lines[0], lines
    assert "Traceback" not in stderr


@pytest.mark.parametrize("where", ["fsync", "write"])
def test_a_full_disk_on_save_is_one_line_and_keeps_the_previous_file(
    where: str,
    session: str,
    csintake_home: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = csintake_home / f"{session}.yaml"
    before = path.read_bytes()
    if where == "fsync":
        monkeypatch.setattr(os, "fsync", enospc)
    else:
        real_fdopen = os.fdopen

        def failing_fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            handle = real_fdopen(fd, *args, **kwargs)
            handle.write = enospc
            return handle

        monkeypatch.setattr(os, "fdopen", failing_fdopen)
    result = runner.invoke(app, ["interview", session, "--no-input", "--set", "participants=12"])
    assert result.exit_code == 1
    assert_one_line_failure(
        result.stderr, f"{session}.yaml", "no space left on the device", "previous file is intact"
    )
    assert path.read_bytes() == before
    assert not temporary_files(csintake_home)


def test_a_full_disk_when_a_session_is_created_leaves_nothing(
    csintake_home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "fsync", enospc)
    result = runner.invoke(app, ["interview", "--no-input", "--client", "Ames"])
    assert result.exit_code == 1
    assert_one_line_failure(result.stderr, "cannot create", "no space left on the device")
    assert Store(csintake_home).ids() == []
    assert not temporary_files(csintake_home)


def _limit_file_size() -> None:
    # Every write that makes a file bigger fails with EFBIG, as on a full disk, instead of
    # killing the process with SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))


def run_limited(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [csintake_command(), *args],
        env=subprocess_env(store, PYTHONDONTWRITEBYTECODE="1"),
        preexec_fn=_limit_file_size,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_process_that_cannot_grow_any_file_fails_in_one_line(
    session: str, csintake_home: Path
) -> None:
    path = csintake_home / f"{session}.yaml"
    before = path.read_bytes()
    for lock in (csintake_home / ".locks").glob("*"):
        lock.unlink()  # so that the lock file is written anew, under the limit
    result = run_limited(csintake_home, "interview", session, "--no-input", "--set", "branches=2")
    assert result.returncode == 1, result.stderr
    assert_one_line_failure(result.stderr, f"{session}.yaml", "previous file is intact")
    assert path.read_bytes() == before
    created = run_limited(csintake_home, "interview", "--no-input", "--client", "Other")
    assert created.returncode == 1, created.stderr
    assert_one_line_failure(created.stderr, "cannot create")
    assert Store(csintake_home).ids() == [session]
    assert not temporary_files(csintake_home)
    # Reading needs no space.
    for args in (["show", session], ["sessions"], ["brief", session, "-f", "json"]):
        reader = run_limited(csintake_home, *args)
        assert reader.returncode == 0, (args, reader.stderr)


@contextlib.contextmanager
def tiny_file_system(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs (needs root and mount rights: skipped elsewhere)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def fill(folder: Path) -> None:
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as handle:
        while True:
            handle.write(b"\0" * 4096)
            handle.flush()


def test_a_really_full_disk(tmp_path: Path) -> None:
    with tiny_file_system(tmp_path) as mount:
        home = mount / "store"
        made = subprocess.run(
            [csintake_command(), "interview", "--no-input", "--client", "Ames"],
            env=subprocess_env(home),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert made.returncode == 1, made.stderr
        (sid,) = Store(home).ids()
        for lock in (home / ".locks").glob("*"):
            lock.unlink()  # a new lock file needs a block too
        before = (home / f"{sid}.yaml").read_bytes()
        fill(mount)

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [csintake_command(), *args],
                env=subprocess_env(home),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )

        result = run("interview", sid, "--no-input", "--set", "participants=12")
        assert result.returncode == 1, result.stderr
        assert_one_line_failure(
            result.stderr, "no space left on the device", "previous file is intact"
        )
        assert (home / f"{sid}.yaml").read_bytes() == before
        result = run("interview", "--no-input", "--client", "Second")
        assert result.returncode == 1, result.stderr
        assert_one_line_failure(result.stderr, "no space left on the device")
        result = run("brief", sid, "-o", str(mount / "brief.md"))
        assert result.returncode == 1, result.stderr
        assert_one_line_failure(result.stderr, "no space left on the device")
        assert not (mount / "brief.md").exists()
        assert run("show", sid).returncode == 0
        assert run("sessions").returncode == 0
        assert Store(home).ids() == [sid]
        assert not temporary_files(mount)


@pytest.mark.parametrize(
    "args",
    [["sessions", "--json"], ["sessions"], ["show", "{sid}"], ["brief", "{sid}", "-f", "json"]],
)
def test_output_to_a_full_device_is_one_line(
    args: list[str], session: str, csintake_home: Path
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [csintake_command(), *(a.replace("{sid}", session) for a in args)],
            env=subprocess_env(csintake_home),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1, result.stderr
    assert_one_line_failure(result.stderr, "cannot write the output", "No space left")


def test_brief_to_a_full_device_is_one_line_and_leaves_the_device(
    session: str, csintake_home: Path, tmp_path: Path
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    # Through a link in tmp_path: code that replaced the target instead of writing into it
    # must not be able to replace the real /dev/full when this runs as root.
    full = tmp_path / "full"
    full.symlink_to("/dev/full")
    result = subprocess.run(
        [csintake_command(), "brief", session, "-f", "markdown", "-o", str(full)],
        env=subprocess_env(csintake_home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert_one_line_failure(result.stderr, "no space left on the device")
    assert full.is_symlink()
    assert stat.S_ISCHR(full.stat().st_mode)


def _reader(fifo: Path, into: Path) -> Callable[[], None]:
    def read() -> None:
        into.write_bytes(fifo.read_bytes())

    return read


def test_brief_to_a_fifo_or_through_a_symlink_writes_into_it(
    session: str, csintake_home: Path, tmp_path: Path, runner: CliRunner
) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = tmp_path / "got.md"
    reader = threading.Thread(target=_reader(fifo, got), daemon=True)
    reader.start()
    result = runner.invoke(app, ["brief", session, "-f", "markdown", "-o", str(fifo)])
    if fifo.exists() and stat.S_ISFIFO(fifo.lstat().st_mode):
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # never leave it waiting
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a file"
    assert got.read_text(encoding="utf-8").startswith("# Training brief")

    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = runner.invoke(app, ["brief", session, "-f", "markdown", "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# Training brief")


def test_brief_to_dev_stdout_goes_to_stdout(
    session: str, csintake_home: Path, tmp_path: Path
) -> None:
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")  # what /dev/stdout is, without risking /dev
    result = subprocess.run(
        [csintake_command(), "brief", session, "-f", "json", "-o", str(stdout)],
        env=subprocess_env(csintake_home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("{")
    assert stdout.is_symlink()
