"""What csintake writes: exports never replace a session or a bank, lock files that are not
csintake's own are never followed or emptied, and JSON output never carries a character a
terminal would obey or hide."""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csintake.cli import app
from csintake.printable import json_text

from .common import SHIPPED_BANK, examples

ANSWERS = Path(__file__).resolve().parents[1] / "data" / "answers-both.yaml"


def new_session(runner: CliRunner, client: str = "Ames") -> str:
    """A complete session from the shipped answers; its id."""
    home = Path(os.environ["CSINTAKE_HOME"])
    before = set(home.glob("*.yaml"))
    result = runner.invoke(
        app, ["interview", "--no-input", "--answers", str(ANSWERS), "--client", client]
    )
    assert result.exit_code == 0, result.output
    (new,) = set(home.glob("*.yaml")) - before
    return new.stem


def one_line_failure(result: object, code: int = 1) -> str:
    assert getattr(result, "exit_code", None) == code, getattr(result, "output", "")
    stderr = str(getattr(result, "stderr", ""))
    assert "Traceback" not in stderr
    (line,) = stderr.splitlines()
    assert line.startswith("csintake: ")
    return line


# ------------------------------------------------------------------- exports


def _targets(home: Path, sid: str, tmp_path: Path) -> dict[str, tuple[Path, Path]]:
    """name -> (the path given to -o, the file that must not change)."""
    session = home / f"{sid}.yaml"
    bank = tmp_path / "mine.yaml"
    bank.write_bytes(SHIPPED_BANK.read_bytes())
    (tmp_path / "link.md").symlink_to(session)
    os.link(session, tmp_path / "hard.md")
    (tmp_path / "bank-link.md").symlink_to(bank)
    (tmp_path / "sub").mkdir()
    return {
        "the session file": (session, session),
        "through ..": (home / ".." / home.name / f"{sid}.yaml", session),
        "a symlink to it": (tmp_path / "link.md", session),
        "a hard link to it": (tmp_path / "hard.md", session),
        "a bank": (bank, bank),
        "a symlink to a bank": (tmp_path / "bank-link.md", bank),
        "a new file in the store": (home / "brief.md", session),
        "a new file in the store's banks": (home / "banks" / "x.md", session),
    }


@pytest.mark.parametrize(
    "name",
    [
        "the session file",
        "through ..",
        "a symlink to it",
        "a hard link to it",
        "a bank",
        "a symlink to a bank",
        "a new file in the store",
        "a new file in the store's banks",
    ],
)
@pytest.mark.parametrize("command", ["brief", "report"])
def test_an_export_never_replaces_a_session_or_a_bank(
    runner: CliRunner, csintake_home: Path, tmp_path: Path, name: str, command: str
) -> None:
    sid = new_session(runner)
    (csintake_home / "banks").mkdir(exist_ok=True)
    given_path, kept = _targets(csintake_home, sid, tmp_path)[name]
    before = kept.read_bytes()
    args = (
        ["brief", sid, "--format", "markdown", "-o", str(given_path)]
        if command == "brief"
        else ["report", "--csv", str(given_path)]
    )
    line = one_line_failure(runner.invoke(app, args))
    assert "store" in line or "bank or session file" in line, line
    assert kept.read_bytes() == before
    assert not (csintake_home / "brief.md").exists()
    assert runner.invoke(app, ["show", sid]).exit_code == 0


def test_an_export_next_to_the_store_is_written(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    sid = new_session(runner)
    out = tmp_path / f"{sid}.yaml.md"
    result = runner.invoke(app, ["brief", sid, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# ")


# ---------------------------------------------------------------------- locks


def _lock(home: Path, sid: str) -> Path:
    folder = home / ".locks"
    folder.mkdir(exist_ok=True)
    lock = folder / f"{sid}.lock"
    lock.unlink(missing_ok=True)  # the one the session's creation left
    return lock


@pytest.mark.parametrize("kind", ["symlink", "hard link", "fifo", "dangling symlink"])
def test_a_lock_file_that_is_not_a_lock_file_is_refused_and_left_alone(
    runner: CliRunner, csintake_home: Path, tmp_path: Path, kind: str
) -> None:
    sid = new_session(runner)
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    lock = _lock(csintake_home, sid)
    if kind == "symlink":
        lock.symlink_to(victim)
    elif kind == "hard link":
        os.link(victim, lock)
    elif kind == "fifo":
        os.mkfifo(lock)
    else:
        lock.symlink_to(tmp_path / "created-through-the-link")
    session = (csintake_home / f"{sid}.yaml").read_bytes()
    result = runner.invoke(app, ["interview", sid, "--no-input", "--set", "library_name=Other"])
    line = one_line_failure(result)
    assert "cannot lock" in line, line
    assert "remove it" in line, line
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert not (tmp_path / "created-through-the-link").exists()
    assert (csintake_home / f"{sid}.yaml").read_bytes() == session


def test_a_lock_file_with_other_content_is_used_but_never_emptied(
    runner: CliRunner, csintake_home: Path
) -> None:
    sid = new_session(runner)
    lock = _lock(csintake_home, sid)
    lock.write_text("not a pid: someone's notes\n", encoding="utf-8")
    result = runner.invoke(app, ["interview", sid, "--no-input", "--set", "library_name=Other"])
    assert result.exit_code == 0, result.output
    assert lock.read_text(encoding="utf-8") == "not a pid: someone's notes\n"


def test_a_lock_file_holding_a_pid_gets_ours(runner: CliRunner, csintake_home: Path) -> None:
    sid = new_session(runner)
    lock = _lock(csintake_home, sid)
    lock.write_text("99999999\n", encoding="utf-8")
    result = runner.invoke(app, ["interview", sid, "--no-input", "--set", "library_name=Other"])
    assert result.exit_code == 0, result.output
    assert lock.read_text(encoding="utf-8") == f"{os.getpid()}\n"


# ----------------------------------------------------------------------- JSON

# One character of every range a terminal obeys or hides: C0, DEL, C1 (U+009B is a CSI),
# bidirectional controls, zero-width and format characters, tags, private use.
# (The separators U+0085, U+2028 and U+2029 are spaces in a name: the property test below
# covers them.)
INVISIBLE = (
    "\x01\x1b\x7f\x9b\x9d\u061c\u200b\u200d\u200e\u202a\u202e"
    "\u2060\u2066\u2069\ufeff\U000e0001\U000e0041\ue000"
)


def _hidden(char: str) -> bool:
    return char not in "\n " and not char.isprintable() and unicodedata.category(char) != "Zs"


def assert_visible_json(text: str) -> object:
    hidden = sorted({f"U+{ord(c):04X}" for c in text if _hidden(c)})
    assert not hidden, hidden
    return json.loads(text)


def _strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {s for k, v in value.items() for s in _strings(k) | _strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in _strings(v)}
    return set()


def test_every_json_output_escapes_invisible_characters(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    client = f"Ames {INVISIBLE} end"
    sid = new_session(runner, client)
    result = runner.invoke(
        app, ["interview", sid, "--no-input", "--set", f"tried_already=said {INVISIBLE}"]
    )
    assert result.exit_code == 0, result.output
    text = SHIPPED_BANK.read_text(encoding="utf-8")
    (csintake_home / "banks").mkdir()
    (csintake_home / "banks" / "odd.yaml").write_text(
        text.replace("id: library-customer-service", "id: odd", 1).replace(
            "\ntitle: ", f"\ntitle: {json.dumps(INVISIBLE)} #", 1
        ),
        encoding="utf-8",
    )
    outputs = {
        "show --json": ["show", sid, "--json"],
        "sessions --json": ["sessions", "--json"],
        "report --json": ["report", "--json"],
        "brief --format json": ["brief", sid, "--format", "json"],
        "interview --json": ["interview", sid, "--no-input", "--json"],
        "bank list --json": ["bank", "list", "--json"],
    }
    for name, args in outputs.items():
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (name, result.output)
        data = assert_visible_json(result.stdout)
        assert any(INVISIBLE in s for s in _strings(data)), name


@settings(max_examples=examples(300), deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=40))
def test_json_text_escapes_every_invisible_character_and_keeps_the_string(text: str) -> None:
    out = json_text({"k": [text], text: None})
    assert assert_visible_json(out) == {"k": [text], text: None}


@pytest.mark.skipif(sys.platform != "linux", reason="device and FIFO paths are Linux's")
@pytest.mark.parametrize(
    "kind", ["fifo", "/dev/null", "folder", "nul", "too long", "symlink loop", "no folder"]
)
def test_an_export_to_a_path_of_any_kind_is_written_or_one_line(
    runner: CliRunner, csintake_home: Path, tmp_path: Path, kind: str
) -> None:
    sid = new_session(runner)
    before = (csintake_home / f"{sid}.yaml").read_bytes()
    path = {
        "fifo": str(tmp_path / "out.md"),
        "/dev/null": "/dev/null",
        "folder": str(tmp_path),
        "nul": str(tmp_path / "a\x00b.md"),
        "too long": str(tmp_path / ("x" * 300 + ".md")),
        "symlink loop": str(tmp_path / "loop.md"),
        "no folder": str(tmp_path / "none" / "x.md"),
    }[kind]
    if kind == "fifo":
        os.mkfifo(path)
        reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if kind == "symlink loop":
        Path(path).symlink_to(path)
    try:
        result = runner.invoke(app, ["brief", sid, "--format", "markdown", "-o", path])
    finally:
        if kind == "fifo":
            os.close(reader)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 1 or result.exit_code == 2
    assert (csintake_home / f"{sid}.yaml").read_bytes() == before
