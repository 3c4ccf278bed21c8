"""Session ids that look like paths never reach outside the store: every command says the
session is unknown, on one line, exits 1, and creates no file anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from csintake.cli import app

BAD_IDS = [
    "../x",
    "..%2fx",
    "%2e%2e%2fx",
    "/etc/passwd",
    "/etc/hostname",
    "a/../../b",
    "../../../../tmp/csintake-escape",
    "..",
    ".",
    "~",
    "~root",
    "x\n",
    "x\x00y",
    "ames/../ames-2026-11-28",
    "./ames-2026-11-28",
    "ames-2026-11-28.yaml",
    "AMES-2026-11-28",
    "ames-2026-11-28\\..\\x",
    "x" * 300,
    "",
]

COMMANDS = [
    ["interview", "{id}", "--no-input"],
    ["interview", "{id}", "--no-input", "--set", "library_name=Evil"],
    ["interview", "{id}"],
    ["show", "{id}"],
    ["show", "{id}", "--json"],
    ["brief", "{id}"],
    ["brief", "{id}", "--format", "json"],
    ["brief", "{id}", "--format", "html", "-o", "out.html"],
]


def tree(root: Path) -> dict[str, bytes]:
    """Every file and its content, but the store's own bookkeeping (locks, index)."""
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in root.rglob("*")
        if not {".locks", ".index"} & set(p.parts)
    }


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> Path:
    """A store with one real session, run from a folder two levels below tmp_path."""
    store = tmp_path / "store"
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setenv("CSINTAKE_HOME", str(store))
    result = runner.invoke(
        app, ["interview", "--no-input", "--client", "Ames", "--set", "library_name=Ames"]
    )
    assert result.exit_code == 1, result.stderr  # incomplete, but created
    # Session files just outside the store, where a path-like id would lead.
    (session,) = store.glob("*.yaml")
    text = session.read_text(encoding="utf-8")
    for name in ("x", "b", "ames-2026-11-28"):
        (tmp_path / f"{name}.yaml").write_text(text.replace(session.stem, name), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_a_path_like_session_id_reaches_nothing(bad: str, layout: Path, runner: CliRunner) -> None:
    before = tree(layout)
    outside = [Path("/etc/passwd"), Path("/etc/hostname")]
    etc = {p: p.stat().st_mtime_ns for p in outside if p.exists()}
    for command in COMMANDS:
        args = [part.replace("{id}", bad) for part in command]
        result = runner.invoke(app, args, input="")
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            result.exception,
        )
        assert result.exit_code == 1, (args, result.exit_code, result.stdout, result.stderr)
        lines = result.stderr.splitlines()
        assert len(lines) == 1, (args, lines)
        assert lines[0].startswith("csintake: no session"), (args, lines)
        assert "\x00" not in lines[0]
        assert tree(layout) == before, args
    assert etc == {p: p.stat().st_mtime_ns for p in etc}
    assert not Path("/tmp/csintake-escape.yaml").exists()
