"""The live interview in plain mode, fed line by line from a text stream."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO, cast

import pytest

from csintake.interview.intake import Opened, new_session, open_session
from csintake.live import loop as live
from csintake.live.prompts.plain import PlainPrompts
from csintake.store.store import Store

# The shipped bank with the scope "Not sure yet": 28 questions, no behaviour or offerings.
FIRST_PASS = [
    "Ames Public Library",  # 1 library_name
    "A new director.",  # 2 prompted_by (long text)
    "She wants a fresh start.",
    ".",
    "4",  # 3 cs_meaning: Not sure yet
    "",  # 4 recent_incidents: optional, Enter skips
    "1",  # 5 main_cause
    ":note Earlier workshop in 2019",  # 6 tried_already: a note, then the same question again
    ":skip",
    "",  # 7 cost_of_inaction
    "To inform and connect.",  # 8 mission_vision
    ".",
    ":park",  # 9 plan_goals: parked, and on to the next question
    "not a date",  # 10 plan_end: refused
    "2027-06-30",
    ":back",  # 11 participants (Audience): back across the section boundary to plan_end
    "",  # plan_end again: Enter keeps 2027-06-30, then on to participants
    "0",  # 11 participants: refused
    "12",
    "1,3",  # 12 roles
    "",  # 13 branches: Enter keeps the default 1
    "2",  # 14 attendance
    "maybe",  # 15 prior_training: refused
    "n",
    "2",  # 16 staff_attitude
    "Greets every patron.",  # 17 change_30_days
    ".",
    "Fewer complaints.",  # 18 change_1_year
    ".",
    "1,3",  # 19 success_measures
    "y",  # 20 baseline_data
    "[bold]Jane Doe[/bold], Director",  # 21 sponsor: shown literally, never as markup
    "4",  # 22 minutes_available: a full day
    "",  # 23 delivery_format: default in person
    "",  # 24 target_date: skipped
    ":s",  # 25 budget_band: skipped by command
    "Flat",  # 26 budget_trend: by label
    "yes",  # 27 stay_open
    "",  # 28 accessibility_needs: skipped
]

# In the review: change the scope to "Both", which makes two more sections relevant.
CHANGE_SCOPE = [
    "3",  # review: change cs_meaning (number 3)
    "3",  # cs_meaning: Both
    "",  # works_against: optional, now asked; Enter skips
    "",  # fast_fix
    "",  # shared_view
    "y",  # service_standards (Mission and strategy)
    "n",  # supervisors_reinforce (Audience)
    "",  # unionised
    "",  # frontline_told
    "",  # ce_credit
    "1,2",  # problem_channels (How staff serve patrons)
    "6",  # rate_greeting: refused
    "4",
    "3",  # rate_listening
    "3",  # rate_explaining
    "2",  # rate_upset
    "3",  # rate_consistency
    "4",  # rate_follow_up
    "1",  # difficult_situations
    "y",  # conduct_written
    "",  # wellbeing_support
    "1",  # services_in_question (Services the library offers)
    "1",  # feedback_held: a community survey, so the next one is asked too
    "2025-05-01",  # last_survey_date
    "2",  # policy_authority
    "y",  # policy_owner_involved
    "",  # observation_identifies (Outcomes and measures)
    "",  # closing_approval (Logistics)
]


def opened_session(home: Path, client: str = "Ames Public Library") -> Opened:
    return new_session(Store(home), client, None)


def play(opened: Opened, lines: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = live.run(opened, PlainPrompts(io.StringIO("".join(f"{x}\n" for x in lines)), out))
    return code, out.getvalue()


def reload(home: Path, session_id: str) -> Opened:
    return open_session(Store(home), session_id)


def test_whole_interview_with_controls_review_and_finish(csintake_home: Path) -> None:
    opened = opened_session(csintake_home)
    sid = opened.interview.session.id
    code, out = play(opened, [*FIRST_PASS, *CHANGE_SCOPE, ""])

    assert code == 0, out
    assert "\x1b" not in out
    session = Store(csintake_home).load(sid)
    assert session.status == "complete"
    answers = session.answers
    assert answers["library_name"] == "Ames Public Library"
    assert answers["prompted_by"] == "A new director.\nShe wants a fresh start."
    assert answers["cs_meaning"] == "both"
    assert answers["plan_end"] == "2027-06-30"
    assert answers["participants"] == 12
    assert answers["roles"] == ["circulation", "youth"]
    assert answers["branches"] == 1
    assert answers["prior_training"] is False
    assert answers["sponsor"] == "[bold]Jane Doe[/bold], Director"
    assert answers["minutes_available"] == 390
    assert answers["delivery_format"] == "in_person"
    assert answers["budget_trend"] == "flat"
    assert answers["rate_greeting"] == 4
    assert answers["last_survey_date"] == "2025-05-01"
    assert answers["policy_owner_involved"] is True
    assert set(session.skipped) >= {
        "recent_incidents",
        "tried_already",
        "cost_of_inaction",
        "target_date",
        "budget_band",
        "accessibility_needs",
    }
    assert "plan_goals" not in answers
    assert session.follow_up == ["plan_goals"]
    assert session.notes == {"tried_already": "Earlier workshop in 2019"}
    assert [(c.question, c.old, c.new) for c in session.history] == [
        ("cs_meaning", "unsure", "both")
    ]

    # Refused input said why and asked again.
    assert "! Enter a date as YYYY-MM-DD" in out
    assert "! Enter a whole number from 1 to 500" in out
    assert "! Answer yes or no" in out
    assert "! Enter a whole number from 1 to 5" in out
    # Back across the section boundary showed the earlier section's title again.
    back = out.index("> :back")
    assert out.index("\nMission and strategy\n", back) < out.index("[plan_end]", back)
    # Newly relevant sections were asked after the scope changed, then the review came back.
    assert out.count("\nReview: Ames Public Library\n") == 2
    assert "\nHow staff serve patrons\n" in out
    assert "\nServices the library offers\n" in out
    assert "= [bold]Jane Doe[/bold], Director" in out
    assert "[plan_goals] Which goals" in out
    assert "[parked, open]" in out
    assert "Session complete." in out
    assert f"csintake brief {sid} -o brief.md" in out
    assert "Headline: " in out


def test_positions_sections_help_and_defaults_are_shown(csintake_home: Path) -> None:
    opened = opened_session(csintake_home)
    code, out = play(opened, ["Ames Public Library"])

    assert code == 130
    assert "0 of 28 questions answered; in progress." in out
    assert ":back  :skip  :note TEXT  :park  :review  :help" in out
    assert "\nRequest and scope\n" in out
    assert '"Customer service" means different things' in out
    assert "1/28 [library_name] Which library is this for?" in out
    assert '  Help: The name as it should appear on the brief, e.g. "Ames Public Library".' in out
    assert "2/28 [prompted_by]" in out


def test_end_of_input_stops_with_the_resume_command_and_resuming_continues(
    csintake_home: Path,
) -> None:
    opened = opened_session(csintake_home)
    sid = opened.interview.session.id
    code, out = play(opened, FIRST_PASS[:5])

    assert code == 130
    assert "Everything answered so far is saved." in out
    assert f"Resume with: csintake interview {sid}" in out
    assert Store(csintake_home).load(sid).answers["cs_meaning"] == "unsure"

    code, out = play(reload(csintake_home, sid), ["", "3"])
    assert code == 130
    assert "3 of 28 questions answered; in progress." in out
    assert out.index("4/28 [recent_incidents]") < out.index("/28 [main_cause]")
    assert "[library_name]" not in out
    assert Store(csintake_home).load(sid).answers["main_cause"] == "policy"


def test_keyboard_interrupt_returns_130(csintake_home: Path) -> None:
    class Interrupting:
        """A keyboard whose user presses Ctrl-C at the first prompt."""

        def readline(self) -> str:
            raise KeyboardInterrupt

        def isatty(self) -> bool:
            return True

    opened = opened_session(csintake_home)
    out = io.StringIO()
    code = live.run(opened, PlainPrompts(cast(TextIO, Interrupting()), out))
    assert code == 130
    assert "Resume with: csintake interview " in out.getvalue()


def test_complete_session_goes_to_review_and_reopens_only_on_a_change(
    csintake_home: Path,
) -> None:
    opened = opened_session(csintake_home)
    sid = opened.interview.session.id
    assert play(opened, [*FIRST_PASS, ""])[0] == 0
    assert Store(csintake_home).load(sid).status == "complete"

    # Revising without changing anything, then stopping: still complete.
    code, out = play(reload(csintake_home, sid), ["1", "", "x"])
    assert code == 0
    assert "This session is complete" in out
    assert out.index("Review: Ames") < out.index("[library_name] Which library")
    assert "The session stays complete." in out
    assert Store(csintake_home).load(sid).status == "complete"

    # A change reopens it; stopping leaves it in progress until it is finished again.
    code, out = play(reload(csintake_home, sid), ["11", "15", "x"])
    assert code == 0
    session = Store(csintake_home).load(sid)
    assert session.answers["participants"] == 15
    assert session.status == "in_progress"

    code, out = play(reload(csintake_home, sid), [""])
    assert code == 0
    assert Store(csintake_home).load(sid).status == "complete"


def test_parked_required_question_keeps_the_session_open(csintake_home: Path) -> None:
    opened = opened_session(csintake_home)
    sid = opened.interview.session.id
    lines = FIRST_PASS.copy()
    lines[lines.index("12")] = ":park"  # participants: parked instead of answered
    code, out = play(opened, [*lines, "", "12", ""])

    assert code == 0, out
    assert "1 required question still open (marked missing)." in out
    assert "[participants] Participants = (no answer) [parked, missing]" in out
    assert "[parked, missing]" in out
    session = Store(csintake_home).load(sid)
    assert session.status == "complete"
    assert session.answers["participants"] == 12
    # Answered is what the consultant was chasing: the mark is cleared.
    assert "participants" not in session.follow_up


def test_commands_that_cannot_apply_are_refused(csintake_home: Path) -> None:
    opened = opened_session(csintake_home)
    code, out = play(opened, [":back", ":skip", ":frobnicate", ":help", ":park", ":park", "x"])

    assert code == 130
    assert "! This is the first question." in out
    assert "! This question is required and cannot be skipped" in out
    assert "! :frobnicate is not a command; type :help for the list" in out
    assert "go back to the previous question" in out
    assert "Parked: to chase after the call." in out


def test_note_alone_asks_for_the_text_and_a_dash_removes_it(csintake_home: Path) -> None:
    opened = opened_session(csintake_home)
    sid = opened.interview.session.id
    code, out = play(opened, [":note", "Ask the director", ":n", "-"])

    assert code == 130
    assert "Note saved." in out
    assert "Note removed." in out
    assert Store(csintake_home).load(sid).notes == {}


def test_literal_leading_colon(csintake_home: Path) -> None:
    opened = opened_session(csintake_home)
    sid = opened.interview.session.id
    assert play(opened, ["::Ames"])[0] == 130
    assert Store(csintake_home).load(sid).answers["library_name"] == ":Ames"


def test_choices_by_value_or_label(csintake_home: Path) -> None:
    opened = opened_session(csintake_home)
    sid = opened.interview.session.id
    play(opened, ["Ames", "Why.", ".", "behavior", "", "Morale"])
    answers = Store(csintake_home).load(sid).answers
    assert answers["cs_meaning"] == "behavior"
    assert answers["main_cause"] == "morale"


@pytest.mark.parametrize("plain", [True, False])
def test_run_live_and_ask_client_read_stdin_when_it_is_not_a_terminal(
    csintake_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    plain: bool,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Ames Public Library\nAmes\n"))
    assert live.ask_client(plain=plain) == "Ames Public Library"
    opened = opened_session(csintake_home)
    assert live.run_live(opened, plain=plain) == 130
    out = capsys.readouterr().out
    assert "1/28 [library_name]" in out
    assert "\x1b" not in out
    assert opened.interview.session.answers["library_name"] == "Ames"


def test_plain_mode_has_dont_know_declined_brief_and_the_clock(csintake_home: Path) -> None:
    opened = opened_session(csintake_home)
    sid = opened.interview.session.id
    out = io.StringIO()
    lines = ["", ":brief", ":dk", ":declined", ":review", "x"]
    prompts = PlainPrompts(io.StringIO("".join(f"{x}\n" for x in lines)), out)
    code = live.run(opened, prompts, call_minutes=30)
    text = out.getvalue()
    assert code == 0, text
    assert "\x1b" not in text
    assert "(30 min left) 1/28 [library_name] Which library is this for?" in text
    assert "Enter keeps: Ames Public Library" in text
    peek = text.split("The brief so far", 1)[1]
    assert peek.splitlines()[1].startswith("Scope: ")
    assert "[prompted_by] What prompted you" in peek  # the same question again
    assert "Recorded: the client does not know." in text
    # The review names each question by its label.
    assert "2. [prompted_by] Why now = (no answer) [don't know]" in text
    assert "[don't know]" in text
    assert "[declined]" in text
    session = Store(csintake_home).load(sid)
    assert session.answers["library_name"] == "Ames Public Library"
    assert session.states == {"prompted_by": "dont_know", "cs_meaning": "declined"}
