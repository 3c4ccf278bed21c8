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


SLOW_PATTERN_BANK = """\
format: csintake/bank@1
id: slow
version: 1.0.0
title: Slow
sections:
  - id: only
    title: Only
    questions:
      - id: code
        type: text
        prompt: Code?
        pattern: "a*a*a*a*a*a*a*b"
      - {id: other, type: text, prompt: "Other?"}
brief:
  title: "Brief"
"""


def test_ctrl_c_works_after_an_answer_that_is_slow_to_match(home: Path, tmp_path: Path) -> None:
    bank = tmp_path / "slow.yaml"
    bank.write_text(SLOW_PATTERN_BANK, encoding="utf-8")
    c = Consultant(home, "interview", "--bank", str(bank), "--client", "Ames")
    sid = c.session_id()
    c.question("code")
    c.send("a" * 200 + "!\r")  # unbounded, this match would outlast the universe
    c.send("\x03")  # while it is being matched
    _stops_saved(c, sid)

    c = Consultant(home, "interview", sid)
    c.question("code")
    c.send("a" * 200 + "!\r")
    c.expect("takes too long to check against the expected form")
    c.send("\x15ab\r")  # cleared, then an answer that matches
    c.question("other")
    c.send("\x03")
    _stops_saved(c, sid)
