"""Killed processes lose nothing that was acknowledged.

The live interview runs in a pseudo-terminal and is killed with SIGKILL at random moments
(while starting, while an answer is typed, just after Enter, after the next question is
shown), many times over, resuming the same session each time. After every kill the session
file parses and holds every answer whose next question had been shown. A process killed in
the middle of writing a file leaves the old file (or none, for a new session), never an
empty or partial one.
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import pytest
import yaml
from typer.testing import CliRunner

from csintake.bank.loader import load_bank
from csintake.bank.model import AnyQuestion
from csintake.cli import app
from csintake.store.store import Store

from .common import SHIPPED_BANK, csintake_command, subprocess_env

BANK = load_bank(SHIPPED_BANK).bank
TIMEOUT = 90  # a hang, not a slow machine: every expect returns as soon as it matches
ENTER, ESC_ENTER, CTRL_U = "\r", "\x1b\r", "\x15"
READY = "\x1b[?2004h"  # a prompt has started and the terminal is in raw mode
CONTROLS = ":help for commands"
REVIEW = "Review: "
ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|[=>])")
HEADER = re.compile(r"\d+/\d+\s+.+?\s+([a-z][a-z0-9_]*)\s*$")
KILLS = 16


def typed(q: AnyQuestion) -> tuple[str, object]:
    """Keys that answer ``q`` at its prompt, and the text answer they store (None: not text)."""
    text = f"Said about {q.id}"
    if q.type == "text":
        return CTRL_U + text + ENTER, text
    if q.type == "long_text":
        return CTRL_U + text + ESC_ENTER, text
    if q.type == "choice":
        return "1" + ENTER, None
    if q.type == "multi_choice":
        return " " + ENTER, None
    if q.type == "yes_no":
        return "y" + ENTER, None
    if q.type in ("integer", "scale"):
        return CTRL_U + str(getattr(q, "min", None) or 3) + ENTER, None
    if q.type == "number":
        return CTRL_U + "1" + ENTER, None
    return CTRL_U + "2027-06-30" + ENTER, None


@dataclass
class Call:
    """A chain of interviews on one session, killed again and again."""

    home: Path
    client: str
    sid: str | None = None
    acknowledged: dict[str, object] = field(default_factory=dict)

    def spawn(self) -> pexpect.spawn:
        args = ["interview", self.sid] if self.sid else ["interview", "--client", self.client]
        env = subprocess_env(self.home, TERM="xterm-256color", COLUMNS="120", LINES="40")
        env["PROMPT_TOOLKIT_NO_CPR"] = "1"
        return pexpect.spawn(
            csintake_command(),
            args,
            env=env,
            dimensions=(40, 120),
            encoding="utf-8",
            codec_errors="replace",
            timeout=TIMEOUT,
        )


def shown(child: pexpect.spawn) -> str | None:
    """The id of the question on screen once its prompt is ready; None at the review."""
    found = child.expect_exact([CONTROLS, REVIEW])
    before = ANSI.sub("", str(child.before)).replace("\r", "")
    child.expect_exact(READY)
    if found == 1:
        return None
    match = HEADER.search(before.rstrip().splitlines()[-1])
    assert match, before[-300:]
    return match[1]


def kill(child: pexpect.spawn) -> None:
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL


def check(call: Call) -> None:
    """The session file parses and holds every acknowledged answer."""
    store = Store(call.home)
    ids = store.ids()
    for sid in ids:
        store.load(sid)  # parses, whole
    if call.sid is None:
        return
    answers = store.load(call.sid).answers
    for qid, value in call.acknowledged.items():
        assert qid in answers, f"acknowledged {qid} was lost"
        if value is not None:
            assert answers[qid] == value


def one_round(call: Call, rng: random.Random) -> bool:
    """Start (or resume), answer a few questions, and kill at a random moment.

    False when the chain is over (the review was reached, or the kill came too early to
    know the session's id).
    """
    child = call.spawn()
    moment = rng.choice(["startup", "typing", "enter", "shown", "shown", "enter"])
    if moment == "startup":
        time.sleep(rng.uniform(0.0, 0.8))
        kill(child)
        return call.sid is not None
    if call.sid is None:
        child.expect(r"\(session ([a-z0-9-]+)\)")
        call.sid = str(child.match[1])
    qid = shown(child)
    for _ in range(rng.randint(0, 3)):
        if qid is None:
            break
        keys, value = typed(BANK.question_map[qid])
        child.send(keys)
        following = shown(child)
        if following != qid:  # the next question is on screen: this answer is on disk
            call.acknowledged[qid] = value
        qid = following
    if qid is None:
        kill(child)
        return False
    keys, _ = typed(BANK.question_map[qid])
    if moment == "typing":
        child.send(keys[: rng.randint(1, max(1, len(keys) - 1))])
        time.sleep(rng.uniform(0.0, 0.2))
    elif moment == "enter":
        child.send(keys)
        time.sleep(rng.uniform(0.0, 0.05))  # the save may or may not have happened
    kill(child)
    return True


@pytest.mark.e2e
def test_kill_9_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    home = tmp_path / "store"
    rng = random.Random(20261128)
    kills = 0
    chain = 0
    acknowledged = 0
    while kills < KILLS:
        chain += 1
        call = Call(home, f"Crash Library {chain}")
        going = True
        while going and kills < KILLS:
            going = one_round(call, rng)
            kills += 1
            check(call)
        acknowledged += len(call.acknowledged)
    assert acknowledged >= 10, "too few answers were given to prove anything"
    # Nothing torn is ever listed; stray temporary files are not sessions.
    runner = CliRunner()
    listed = runner.invoke(app, ["--store", str(home), "sessions", "--json"])
    assert listed.exit_code == 0
    assert all(row["problem"] is None for row in yaml.safe_load(listed.stdout))


KILL_AT_FSYNC = """
import os, signal, sys
from pathlib import Path
from csintake.interview import intake
from csintake.store import store

def die(fd):
    os.kill(os.getpid(), signal.SIGKILL)

s = store.Store(Path(sys.argv[1]))
if sys.argv[2] == "new":
    os.fsync = die
    intake.new_session(s, "Killed Library", None)
else:
    opened = intake.open_session(s, sys.argv[2])
    os.fsync = die
    opened.interview.answer("Changed", qid="library_name")
"""


def killed_while_writing(home: Path, what: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILL_AT_FSYNC, str(home), what],
        env=subprocess_env(home),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_a_process_killed_while_creating_a_session_leaves_no_session(tmp_path: Path) -> None:
    home = tmp_path / "store"
    killed_while_writing(home, "new")
    store = Store(home)
    assert store.ids() == [], "a half-made session was left behind"
    listed = CliRunner().invoke(app, ["--store", str(home), "sessions", "--json"])
    assert listed.exit_code == 0
    assert yaml.safe_load(listed.stdout) == []
    # The name is free again: the next session takes it.
    made = CliRunner().invoke(
        app, ["--store", str(home), "interview", "--no-input", "--client", "Killed Library"]
    )
    assert made.exit_code == 1
    assert len(store.ids()) == 1


def test_a_process_killed_while_saving_leaves_the_previous_file(tmp_path: Path) -> None:
    home = tmp_path / "store"
    runner = CliRunner()
    args = ["--store", str(home), "interview", "--no-input", "--client", "Ames"]
    made = runner.invoke(app, [*args, "--set", "library_name=Ames"])
    assert made.exit_code == 1
    store = Store(home)
    (sid,) = store.ids()
    before = store.path(sid).read_bytes()
    killed_while_writing(home, sid)
    assert store.path(sid).read_bytes() == before
    assert store.load(sid).answers["library_name"] == "Ames"
    assert store.ids() == [sid]
    shown = runner.invoke(app, ["--store", str(home), "show", sid])
    assert shown.exit_code == 0, shown.stderr
