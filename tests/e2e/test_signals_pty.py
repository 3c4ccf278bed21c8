"""Signals at every kind of prompt of the live interview, in a real pseudo-terminal: SIGINT
stops at a menu and a checkbox list as it does at a text prompt, and SIGTERM (a ``kill``, a
closing session manager) stops like a hang-up, with everything saved and the resume command
shown."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from test_interview_pty import Consultant, answers_of, first_answers

pytestmark = pytest.mark.e2e


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "store"


def _stops_saved(c: Consultant, sid: str) -> None:
    c.expect("Everything answered so far is saved.")
    c.expect(f"Resume with: csintake interview {sid}")
    assert c.finish() == 130


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_signal_at_a_menu_stops_with_everything_saved(home: Path, signum: int) -> None:
    c = Consultant(home, "interview", "--client", "Ames Public Library")
    sid = first_answers(c)
    c.question("recent_incidents")
    c.send("\x1b\r")  # skipped
    c.question("main_cause")  # a choice menu
    c.child.kill(signum)
    _stops_saved(c, sid)
    assert set(answers_of(home, sid)) == {"library_name", "prompted_by", "cs_meaning"}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_signal_at_a_checkbox_list_stops_with_everything_saved(home: Path, signum: int) -> None:
    c = Consultant(home, "interview", "--client", "Ames Public Library")
    sid = first_answers(c)
    while (shown := c.question()).qid != "roles":  # a multi-choice checkbox list
        c.answer(shown.qid)
    c.child.kill(signum)
    _stops_saved(c, sid)
    assert "participants" in answers_of(home, sid)
    assert "roles" not in answers_of(home, sid)


def test_sigterm_at_a_text_prompt_stops_like_a_hang_up(home: Path) -> None:
    c = Consultant(home, "interview", "--client", "Ames Public Library")
    sid = first_answers(c)
    c.question("recent_incidents")
    c.send("Half a sentence")
    c.child.kill(signal.SIGTERM)
    _stops_saved(c, sid)
    assert set(answers_of(home, sid)) == {"library_name", "prompted_by", "cs_meaning"}
