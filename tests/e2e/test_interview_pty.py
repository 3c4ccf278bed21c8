"""The installed ``csintake interview`` in a real pseudo-terminal, typed at as on a call.

Each question's header line (``7/31  Audience  participants   :help for commands``) says
which question is on screen; the consultant below answers it from the shipped bank's types,
or as a test asks, and waits for each prompt to be ready before typing (prompt_toolkit turns
on bracketed paste when a prompt starts), as a person waits to see the prompt.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest
import yaml

from csintake.bank.catalog import shipped_dir
from csintake.bank.model import AnyQuestion, Bank

pytestmark = pytest.mark.e2e

TIMEOUT = 90  # a hang, not a slow machine: every expect returns as soon as it matches
ENTER, ESC_ENTER, CTRL_C, CTRL_U, BACKSPACE = "\r", "\x1b\r", "\x03", "\x15", "\x7f"
READY = "\x1b[?2004h"
"""Written when a prompt starts, after the terminal is in raw mode: safe to type."""
CONTROLS = ":help for commands"
REVIEW = "Review: "
"""The review table's title (printed by Rich, so never redrawn by a prompt)."""
ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|[=>])")
HEADER = re.compile(r"(\d+)/(\d+)\s+(.+?)\s+([a-z][a-z0-9_]*)\s*$")

BANK = Bank.model_validate(
    yaml.safe_load((shipped_dir() / "library-customer-service.yaml").read_text("utf-8"))
)
# "Not sure yet" asks every question outside the behaviour and offerings details.
UNSURE_PATH = [
    q
    for section in BANK.sections
    if section.when is None
    for q in section.questions
    if q.when is None
]


def installed_csintake() -> str:
    found = shutil.which("csintake") or str(Path(sys.executable).with_name("csintake"))
    if not Path(found).is_file():
        pytest.skip("the csintake command is not installed")
    return found


def environment(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "CSINTAKE_HOME": str(home),
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "COLUMNS": "120",
        "LINES": "40",
        # pexpect does not answer cursor position requests.
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    env.pop("FORCE_COLOR", None)
    return env


def plain_text(raw: str) -> str:
    return ANSI.sub("", raw).replace("\r", "")


def keys_for(q: AnyQuestion) -> str:
    """Typing that answers ``q`` validly at its prompt (clearing any pre-filled answer)."""
    if q.id == "library_name":
        return CTRL_U + "Ames Public Library" + ENTER
    if q.type == "text":
        return CTRL_U + f"Said about {q.id}" + ENTER
    if q.type == "long_text":
        return CTRL_U + f"Said about {q.id}" + ESC_ENTER
    if q.type == "choice":
        return "1" + ENTER
    if q.type == "multi_choice":
        return " " + ENTER
    if q.type == "yes_no":
        return "y" + ENTER
    if q.type in ("integer", "scale"):
        return CTRL_U + str(getattr(q, "min", None) or 3) + ENTER
    if q.type == "number":
        return CTRL_U + "1" + ENTER
    return CTRL_U + "2027-06-30" + ENTER


def plain_line(q: AnyQuestion) -> str:
    """What a script pipes to answer ``q`` in plain mode."""
    if q.id == "cs_meaning":
        return "4"
    return {
        "text": f"Said about {q.id}",
        "long_text": f"Said about {q.id}\n.",
        "choice": "1",
        "multi_choice": "1",
        "yes_no": "y",
        "integer": str(getattr(q, "min", None) or 3),
        "scale": "3",
        "number": "1",
        "date": "2027-06-30",
    }[q.type]


Action = Callable[["Consultant", "Shown"], None]


@dataclass
class Shown:
    qid: str
    index: int
    total: int
    section: str


class Consultant:
    """One ``csintake`` process in a pseudo-terminal, and the person typing at it."""

    def __init__(self, home: Path, *args: str) -> None:
        self.home = home
        self.child = pexpect.spawn(
            installed_csintake(),
            list(args),
            env=environment(home),
            dimensions=(40, 120),
            encoding="utf-8",
            codec_errors="replace",
            timeout=TIMEOUT,
        )
        self.visits: dict[str, int] = {}
        self.shown_before = ""

    # ------------------------------------------------------------------ reading

    def expect(self, text: str) -> str:
        """Wait for ``text``; what came before it, without escape sequences."""
        self.child.expect_exact(text)
        return plain_text(str(self.child.before))

    def ready(self) -> None:
        self.child.expect_exact(READY)

    def screen(self) -> Shown | None:
        """The next question shown (None: the review), once its prompt is ready."""
        found = self.child.expect_exact([CONTROLS, REVIEW])
        before = plain_text(str(self.child.before))
        self.ready()
        if found == 1:
            self.shown_before = plain_text(str(self.child.before))
            return None
        line = before.rstrip().splitlines()[-1]
        match = HEADER.search(line)
        assert match, line
        shown = Shown(match[4], int(match[1]), int(match[2]), match[3])
        self.visits[shown.qid] = self.visits.get(shown.qid, 0) + 1
        return shown

    def question(self, qid: str | None = None) -> Shown:
        shown = self.screen()
        assert shown is not None, "the review came instead of a question"
        if qid is not None:
            assert shown.qid == qid, f"expected {qid}, got {shown.qid}"
        return shown

    def review(self) -> None:
        assert self.screen() is None, "a question came instead of the review"

    # ------------------------------------------------------------------- typing

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def answer(self, qid: str) -> None:
        self.send(keys_for(BANK.question_map[qid]))

    def command(self, text: str) -> None:
        """A command at a menu or checkbox list: ``:`` opens the command line."""
        self.send(":")
        self.ready()
        self.send(text + ENTER)

    def answer_until_review(self, special: Mapping[str, Action]) -> None:
        while (shown := self.screen()) is not None:
            action = special.get(shown.qid)
            if action is None:
                self.answer(shown.qid)
            else:
                action(self, shown)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)

    def session_id(self) -> str:
        self.child.expect(r"\(session ([a-z0-9-]+)\)")
        return str(self.child.match[1])


def session_file(home: Path, session_id: str) -> dict[str, object]:
    data = yaml.safe_load((home / f"{session_id}.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def answers_of(home: Path, session_id: str) -> dict[str, object]:
    answers = session_file(home, session_id)["answers"]
    assert isinstance(answers, dict)
    return answers


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "store"


# ------------------------------------------------------------------------------ tests


def test_whole_interview_on_a_call(home: Path) -> None:
    c = Consultant(home, "interview")
    c.ready()
    c.expect("Which client is this intake for?")
    c.send("Ames Public Library" + ENTER)
    sid = c.session_id()
    c.expect("0 of 28 questions answered; in progress.")
    c.expect(":back  :skip  :note TEXT  :park  :review  :help")

    def library_name(c: Consultant, shown: Shown) -> None:
        assert (shown.index, shown.total, shown.section) == (1, 28, "Request and scope")
        c.send("A" + ENTER)
        c.expect("Enter at least 2 characters")
        c.answer("library_name")

    def cs_meaning(c: Consultant, shown: Shown) -> None:
        # Not sure yet; the review changes it to Both.
        c.send(("4" if c.visits["cs_meaning"] == 1 else "3") + ENTER)

    def recent_incidents(c: Consultant, shown: Shown) -> None:
        c.send(ESC_ENTER)  # empty and optional: skipped
        c.expect("Skipped.")

    def tried_already(c: Consultant, shown: Shown) -> None:
        if c.visits["tried_already"] == 1:
            c.send(":note Director [bold]hesitated" + ENTER)
            c.expect("Note saved.")
        else:
            c.send(":skip" + ENTER)
            c.expect("Skipped.")

    def plan_goals(c: Consultant, shown: Shown) -> None:
        c.send(":park" + ENTER)
        c.expect("Parked: to chase after the call.")

    def plan_end(c: Consultant, shown: Shown) -> None:
        if c.visits["plan_end"] == 1:
            c.answer("plan_end")
        else:
            assert shown.section == "Mission and strategy"
            c.send(ENTER)  # the answer is pre-filled: keep it

    def participants(c: Consultant, shown: Shown) -> None:
        assert shown.section == "Audience"
        if c.visits["participants"] == 1:
            c.send(":back" + ENTER)  # across the section boundary
            return
        c.send("0" + ENTER)
        c.expect("Enter a whole number from 1 to 500")
        c.send(CTRL_U + "12" + ENTER)

    def roles(c: Consultant, shown: Shown) -> None:
        c.command("bogus")
        c.expect(":bogus is not a command; type :help for the list")
        c.send(CTRL_U + BACKSPACE)  # an empty command line goes back to the list
        c.ready()
        c.send(" " + ENTER)

    def budget_band(c: Consultant, shown: Shown) -> None:
        c.command("skip")
        c.expect("Skipped.")

    def feedback_held(c: Consultant, shown: Shown) -> None:
        c.send(" " + ENTER)  # a community survey: its date becomes relevant

    special = {
        "library_name": library_name,
        "cs_meaning": cs_meaning,
        "recent_incidents": recent_incidents,
        "tried_already": tried_already,
        "plan_goals": plan_goals,
        "plan_end": plan_end,
        "participants": participants,
        "roles": roles,
        "budget_band": budget_band,
        "feedback_held": feedback_held,
    }
    c.answer_until_review(special)
    assert "[bold]" in c.shown_before  # the note, in the review table, as typed
    assert "parked" in c.shown_before
    c.send("3" + ENTER)  # change cs_meaning
    c.answer_until_review(special)
    c.send(ENTER)
    c.expect("Session complete.")
    c.expect("Headline: ")
    c.expect(f"Export the brief: csintake brief {sid} -o brief.md")
    assert c.finish() == 0

    assert c.visits["plan_end"] == 2
    assert c.visits["tried_already"] == 2
    assert c.visits["cs_meaning"] == 2
    for qid in ("service_standards", "supervisors_reinforce", "rate_greeting", "last_survey_date"):
        assert c.visits[qid] == 1, qid
    data = session_file(home, sid)
    assert data["status"] == "complete"
    answers = answers_of(home, sid)
    assert answers["library_name"] == "Ames Public Library"
    assert answers["cs_meaning"] == "both"
    assert answers["participants"] == 12
    assert answers["roles"] == ["circulation"]
    assert answers["plan_end"] == "2027-06-30"
    assert answers["feedback_held"] == ["community_survey"]
    assert answers["last_survey_date"] == "2027-06-30"
    assert data["notes"] == {"tried_already": "Director [bold]hesitated"}
    assert data["follow_up"] == ["plan_goals"]
    assert data["skipped"] == ["recent_incidents", "tried_already", "budget_band"]
    history = data["history"]
    assert isinstance(history, list)
    assert [(h["question"], h["old"], h["new"]) for h in history] == [
        ("cs_meaning", "unsure", "both")
    ]


def first_answers(c: Consultant) -> str:
    """Start a new session and answer its first three questions (scope: Not sure yet)."""
    sid = c.session_id()
    c.question("library_name")
    c.answer("library_name")
    c.question("prompted_by")
    c.answer("prompted_by")
    c.question("cs_meaning")
    c.send("4" + ENTER)
    return sid


def test_ctrl_c_then_resume_where_it_stopped(home: Path) -> None:
    c = Consultant(home, "interview", "--client", "Ames Public Library")
    sid = first_answers(c)
    c.question("recent_incidents")
    c.send("Half a sentence")
    c.send(CTRL_C)
    c.expect("Everything answered so far is saved.")
    c.expect(f"Resume with: csintake interview {sid}")
    assert c.finish() == 130
    assert set(answers_of(home, sid)) == {"library_name", "prompted_by", "cs_meaning"}

    c = Consultant(home, "interview", sid)
    c.expect("Ames Public Library  (session")
    c.expect("3 of 28 questions answered; in progress.")
    shown = c.question("recent_incidents")
    assert (shown.index, shown.total) == (4, 28)
    c.send(ESC_ENTER)
    c.question("main_cause")
    c.send(CTRL_C)  # at a menu this time
    c.expect(f"Resume with: csintake interview {sid}")
    assert c.finish() == 130
    data = session_file(home, sid)
    assert data["skipped"] == ["recent_incidents"]
    assert data["status"] == "in_progress"


def test_kill_9_loses_only_the_answer_being_typed(home: Path) -> None:
    c = Consultant(home, "interview", "--client", "Ames Public Library")
    sid = first_answers(c)
    c.question("recent_incidents")
    c.send("Typed but never sent")
    time.sleep(0.3)
    c.child.kill(signal.SIGKILL)
    c.child.expect(pexpect.EOF)
    c.child.close()
    assert c.child.signalstatus == signal.SIGKILL

    assert answers_of(home, sid) == {
        "library_name": "Ames Public Library",
        "prompted_by": "Said about prompted_by",
        "cs_meaning": "unsure",
    }
    assert not [p.name for p in home.iterdir() if p.name.endswith(".tmp")]

    # The kernel released the lock with the process: resuming works at once.
    c = Consultant(home, "interview", sid)
    c.expect("3 of 28 questions answered")
    c.question("recent_incidents")
    c.send(CTRL_C)
    assert c.finish() == 130


def test_a_second_process_on_the_same_session_gets_exit_3(home: Path) -> None:
    c = Consultant(home, "interview", "--client", "Ames Public Library")
    sid = c.session_id()
    c.question("library_name")
    second = subprocess.run(
        [installed_csintake(), "interview", sid],
        env=environment(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert second.returncode == 3
    assert f"session '{sid}' is open in another csintake process" in second.stderr
    assert "Traceback" not in second.stderr
    c.send(CTRL_C)
    assert c.finish() == 130


def test_hang_up_and_closed_terminal_keep_every_answer(home: Path) -> None:
    c = Consultant(home, "interview", "--client", "Ames Public Library")
    sid = first_answers(c)
    c.question("recent_incidents")
    c.child.kill(signal.SIGHUP)
    c.expect(f"Resume with: csintake interview {sid}")
    assert c.finish() == 130

    c = Consultant(home, "interview", sid)
    c.question("recent_incidents")
    c.send(ESC_ENTER)
    c.question("main_cause")
    c.child.close(force=True)  # the terminal window is closed
    data = session_file(home, sid)
    assert set(answers_of(home, sid)) == {"library_name", "prompted_by", "cs_meaning"}
    assert data["skipped"] == ["recent_incidents"]

    c = Consultant(home, "interview", sid)
    c.question("main_cause")
    c.send(CTRL_C)
    assert c.finish() == 130


def test_plain_mode_from_a_pipe(home: Path) -> None:
    lines = ["Ames Public Library", "x"]  # the client; then library_name refused ...
    lines += [plain_line(q) for q in UNSURE_PATH]
    lines.append("")  # the review: finish
    result = subprocess.run(
        [installed_csintake(), "interview"],
        input="\n".join(lines) + "\n",
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    out = result.stdout
    assert "\x1b" not in out
    assert "! Enter at least 2 characters" in out
    assert "1/28 [library_name] Which library is this for?" in out
    assert "Session complete." in out
    (session,) = home.glob("*.yaml")
    data = yaml.safe_load(session.read_text("utf-8"))
    assert data["status"] == "complete"
    assert data["answers"]["cs_meaning"] == "unsure"
    assert len(data["answers"]) == 28
