"""The call as a consultant sees it: the installed ``csintake interview`` in a pseudo-terminal
of a laptop's size (80x24 and 100x30), its output drawn by a terminal emulator (pyte), and
the assertions made on the rendered screen, as a person reads it.

Nothing here waits for a time: each step waits for a prompt to start, then reads the screen.
Set ``CSINTAKE_SCREENS=FILE`` to append the screens read to FILE (plain text).
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

import pexpect
import pyte
import pytest
import yaml

pytestmark = pytest.mark.e2e

TIMEOUT = 20
ENTER, CTRL_U = "\r", "\x15"
READY = "\x1b[?2004h"
"""Written when a prompt starts, after the terminal is in raw mode: safe to type."""
SIZES = [(80, 24), (100, 30)]
DATA = Path(__file__).parent.parent / "data"


def installed_csintake() -> str:
    found = shutil.which("csintake") or str(Path(sys.executable).with_name("csintake"))
    if not Path(found).is_file():
        pytest.skip("the csintake command is not installed")
    return found


class Terminal:
    """One ``csintake`` process on an emulated screen of ``columns`` x ``lines``."""

    def __init__(self, home: Path, columns: int, lines: int, *args: str) -> None:
        self.columns, self.lines = columns, lines
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.Stream(self.screen)
        env = {
            **os.environ,
            "CSINTAKE_HOME": str(home),
            "TERM": "xterm",
            "NO_COLOR": "1",
            "COLUMNS": str(columns),
            "LINES": str(lines),
            "PROMPT_TOOLKIT_NO_CPR": "1",
        }
        env.pop("FORCE_COLOR", None)
        self.child = pexpect.spawn(
            installed_csintake(),
            list(args),
            env=env,
            dimensions=(lines, columns),
            encoding="utf-8",
            codec_errors="replace",
            timeout=TIMEOUT,
        )
        self.child.logfile_read = self

    # pexpect hands everything it reads to ``logfile_read``: the emulator draws it.
    def write(self, data: str) -> None:
        self.stream.feed(data)

    def flush(self) -> None:
        pass

    def ready(self, *showing: str) -> str:
        """Wait until the next prompt has started and the screen shows each of ``showing``;
        the screen as it then reads."""
        self.child.expect_exact(READY)
        while not all(text in self.text() for text in showing):
            try:
                self.child.read_nonblocking(65536, timeout=TIMEOUT)
            except pexpect.TIMEOUT:
                raise AssertionError(f"never shown: {showing}\n{self.text()}") from None
        return self.text()

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def close(self) -> None:
        if self.child.isalive():
            self.child.kill(signal.SIGKILL)
        self.child.close()


def keep(title: str, terminal: Terminal) -> None:
    """Append the screen to ``$CSINTAKE_SCREENS`` for people to read."""
    target = os.environ.get("CSINTAKE_SCREENS")
    if not target:
        return
    rule = "=" * terminal.columns
    with Path(target).open("a", encoding="utf-8") as out:
        out.write(f"{rule}\n{title} ({terminal.columns}x{terminal.lines})\n{rule}\n")
        out.write(terminal.text() + "\n\n")


def session_file(home: Path, session_id: str) -> dict[str, Any]:
    data = yaml.safe_load((home / f"{session_id}.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def scripted(home: Path, tmp_path: Path, answers: dict[str, Any]) -> str:
    """A session of the shipped bank with ``answers``, made by a scripted intake; its id."""
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    done = pexpect.run(
        f"{installed_csintake()} interview --client 'Ames Public Library' --no-input"
        f" --answers {path}",
        env={**os.environ, "CSINTAKE_HOME": str(home)},
        encoding="utf-8",
        withexitstatus=True,
        timeout=TIMEOUT,
    )
    output, _status = done
    return str(output).strip().splitlines()[-1]


def unanswer(home: Path, session_id: str, *qids: str) -> None:
    """Take answers out of a stored session (defaults would have filled them)."""
    path = home / f"{session_id}.yaml"
    data = session_file(home, session_id)
    for qid in qids:
        data["answers"].pop(qid, None)
        data["sources"].pop(qid, None)
    data["status"] = "in_progress"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def both() -> dict[str, Any]:
    loaded = yaml.safe_load((DATA / "answers-both.yaml").read_text("utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.mark.parametrize(("columns", "lines"), SIZES)
def test_the_review_shows_numbers_and_answers_on_a_laptop_screen(
    home: Path, tmp_path: Path, columns: int, lines: int
) -> None:
    sid = scripted(home, tmp_path, both())
    t = Terminal(home, columns, lines, "interview", sid)
    try:
        screen = t.ready("Type a number or id")
        keep("The review, first page", t)
        rows = [line for line in screen.splitlines() if line[:3].strip().isdigit()]
        assert len(rows) >= 5, screen
        assert rows[0].split()[0] == "1"
        assert "Ames Public Library" in rows[0]
        assert all(len(line) <= columns for line in screen.splitlines())
        assert "page 1 of" in screen
        assert "Type a number or id to change that answer" in screen
        # The next page goes on with the numbers.
        t.send("n" + ENTER)
        screen = t.ready("page 2 of", "Type a number or id")
        page_two = screen.split("(page 2 of")[1]
        later = [line for line in page_two.splitlines() if line[:3].strip().isdigit()]
        assert int(later[0].split()[0]) > int(rows[-1].split()[0])
        # A question picked by its id, then by its number.
        t.send("cs_meaning" + ENTER)
        screen = t.ready("cs_meaning", "1) How staff treat patrons")
        assert "When you say" in screen
    finally:
        t.close()


@pytest.mark.parametrize(("columns", "lines"), SIZES)
def test_a_question_with_the_call_clock_and_a_typed_over_default(
    home: Path, tmp_path: Path, columns: int, lines: int
) -> None:
    sid = scripted(home, tmp_path, both())
    unanswer(home, sid, "branches")  # its default is 1
    t = Terminal(home, columns, lines, "interview", sid, "--call-minutes", "45")
    try:
        screen = t.ready("How many branches", "whole number")
        keep("A question, with the call clock", t)
        header = next(line for line in screen.splitlines() if "branches" in line)
        assert header.startswith("45 min left")
        assert "How many branches or service points are involved?" in screen
        t.send("3" + ENTER)
        t.ready("Review: ", "Type a number or id")
    finally:
        t.close()
    assert session_file(home, sid)["answers"]["branches"] == 3


@pytest.mark.parametrize(("columns", "lines"), SIZES)
def test_dont_know_and_a_peek_at_the_brief(
    home: Path, tmp_path: Path, columns: int, lines: int
) -> None:
    sid = scripted(home, tmp_path, both())
    unanswer(home, sid, "budget_band", "branches")
    t = Terminal(home, columns, lines, "interview", sid)
    try:
        t.ready("branches", "whole number")
        t.send(":brief" + ENTER)
        screen = t.ready("Agenda: ", "whole number")
        keep("The :brief peek, then the same question", t)
        assert "Scope: Customer service here means" in screen
        assert "Agenda: " in screen
        assert " minutes" in screen
        # The same question again, below the peek.
        last_header = [line for line in screen.splitlines() if ":help for commands" in line][-1]
        assert "branches" in last_header
        t.send(":dk" + ENTER)
        screen = t.ready("budget_band", "1) ")
        assert "Recorded: the client does not know." in screen
        assert "budget_band" in screen
    finally:
        t.close()
    data = session_file(home, sid)
    assert data["states"] == {"branches": "dont_know"}
    assert "branches" not in data["answers"]


def test_a_killed_call_keeps_the_seconds_of_every_saved_answer(home: Path, tmp_path: Path) -> None:
    sid = scripted(home, tmp_path, both())
    unanswer(home, sid, "participants", "roles", "branches")
    assert "timings" not in session_file(home, sid)

    t = Terminal(home, 100, 30, "interview", sid)
    t.ready("participants", "whole number")
    t.send(CTRL_U + "12" + ENTER)
    t.ready("roles")
    t.child.kill(signal.SIGKILL)
    t.close()
    first = session_file(home, sid)
    assert first["answers"]["participants"] == 12
    assert set(first["timings"]) == {"audience"}
    assert first["timings"]["audience"] >= 0

    # Resumed and killed again: the seconds add up, per section.
    t = Terminal(home, 100, 30, "interview", sid)
    t.ready("roles", "Space to tick")
    t.send(" " + ENTER)  # the first choice
    t.ready("branches")
    t.child.kill(signal.SIGKILL)
    t.close()
    second = session_file(home, sid)
    assert second["answers"]["roles"]
    assert second["timings"]["audience"] >= first["timings"]["audience"]
