"""Hostile text in the live interview: bank text with escape sequences, markup and
bidirectional overrides is shown, never obeyed; typed markup, right-to-left text and emoji
are stored exactly as typed."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pexpect
import pytest
import yaml

from csintake.printable import visible
from csintake.store.store import Store

from .common import csintake_command, subprocess_env
from .test_hostile_text import ANSI, LINE, hostile_bank

pytestmark = pytest.mark.e2e

TYPED = "[bold red]x[/] <script>alert(1)</script> **b** # h مرحبا עברית 👩‍👩‍👧‍👦 é ñ"
DATA_SEQUENCES = ("\x1b[31mred", "\x1b]0;title\x07", "\x1b[2J \x9b", "\x9b2J", "\u202e")


def write_bank(tmp_path: Path) -> Path:
    bank = tmp_path / "hostile.yaml"
    bank.write_text(yaml.safe_dump(hostile_bank(), allow_unicode=True), encoding="utf-8")
    return bank


def assert_shown_not_obeyed(output: str) -> None:
    for sequence in DATA_SEQUENCES:
        assert sequence not in output, f"{sequence!r} from the bank reached the terminal"
    assert visible(ANSI) in output or "\\x1b[31mred" in output


def test_the_live_interview_shows_hostile_bank_text_and_stores_typed_text(
    tmp_path: Path,
) -> None:
    home = tmp_path / "store"
    env = subprocess_env(home, TERM="xterm-256color", COLUMNS="160", LINES="50")
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    log = io.StringIO()
    child = pexpect.spawn(
        csintake_command(),
        ["interview", "--client", f"Client {ANSI}", "--bank", str(write_bank(tmp_path))],
        env=env,
        dimensions=(50, 160),
        encoding="utf-8",
        codec_errors="replace",
        timeout=90,
    )
    child.logfile_read = log
    child.expect_exact("\x1b[?2004h")  # the first prompt is ready
    child.send(TYPED + "\r")
    child.expect_exact(":help for commands")
    child.expect_exact("\x1b[?2004h")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert_shown_not_obeyed(log.getvalue())
    (sid,) = Store(home).ids()
    assert Store(home).load(sid).answers["name"] == TYPED


def test_plain_prompts_from_a_pipe_write_no_escape_sequence(tmp_path: Path) -> None:
    home = tmp_path / "store"
    done = subprocess.run(
        [csintake_command(), "interview", "--plain", "--bank", str(write_bank(tmp_path))],
        input=f"Client {LINE}\n{TYPED}\n",
        env=subprocess_env(home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stderr
    assert "\x1b" not in done.stdout
    assert "\x9b" not in done.stdout
    assert "\u202e" not in done.stdout
    assert "\\x1b[31mred" in done.stdout
    (sid,) = Store(home).ids()
    assert Store(home).load(sid).answers["name"] == TYPED
