"""The live interview's decisions, driven by scripted prompts (no terminal, no parsing)."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from csintake.interview.intake import Opened, new_session, open_session
from csintake.live import loop as live
from csintake.live.prompts.base import Answer, Control
from csintake.live.prompts.scripted import ScriptedPrompts
from csintake.store.store import Store

UNSURE: dict[str, Any] = {
    "library_name": "Ames Public Library",
    "prompted_by": "A new director.",
    "cs_meaning": "unsure",
    "recent_incidents": "A queue at the desk.",
    "main_cause": "skill_gap",
    "tried_already": "Nothing yet.",
    "cost_of_inaction": "More complaints.",
    "mission_vision": "To inform.",
    "plan_goals": "Excellent service.",
    "plan_end": "2027-06-30",
    "participants": 12,
    "roles": ["circulation"],
    "branches": 1,
    "attendance": "required",
    "prior_training": False,
    "staff_attitude": "open_busy",
    "change_30_days": "Greets every patron.",
    "change_1_year": "Fewer complaints.",
    "success_measures": ["observation"],
    "baseline_data": True,
    "sponsor": "Jane Doe, Director",
    "minutes_available": 390,
    "delivery_format": "in_person",
    "target_date": "2027-01-15",
    "budget_band": "1k_5k",
    "budget_trend": "flat",
    "stay_open": True,
    "accessibility_needs": "Captions.",
}
BEHAVIOUR: dict[str, Any] = {
    "service_standards": True,
    "supervisors_reinforce": True,
    "problem_channels": ["desk"],
    "rate_greeting": 3,
    "rate_listening": 3,
    "rate_explaining": 3,
    "rate_upset": 2,
    "rate_consistency": 3,
    "rate_follow_up": 4,
    "difficult_situations": ["complaints"],
    "conduct_written": True,
}
OFFERINGS: dict[str, Any] = {
    "services_in_question": ["hours"],
    "feedback_held": ["complaints_log"],
    "policy_authority": "board",
    "policy_owner_involved": True,
}
# The planning questions asked once the kind of service is settled.
PLANNING: dict[str, Any] = {
    "works_against": ["nothing"],
    "fast_fix": "A sign at the desk",
    "shared_view": "same",
    "unionised": False,
    "frontline_told": "in_person",
    "ce_credit": False,
    "wellbeing_support": "debrief",
    "closing_approval": "The director",
    "observation_identifies": False,
}


def complete_session(home: Path, answers: dict[str, Any]) -> Opened:
    opened = new_session(Store(home), "Ames Public Library", None)
    iv = opened.interview
    assert iv.apply(answers, "file") == []
    iv.finish()
    return open_session(Store(home), iv.session.id)


def test_review_command_and_going_on_returns_to_the_question(csintake_home: Path) -> None:
    opened = new_session(Store(csintake_home), "Ames", None)
    ui = ScriptedPrompts.of(["Ames", Control("review"), ""])
    assert live.run(opened, ui) == 130
    assert [s.qid for s in ui.asked] == ["library_name", "prompted_by", "", "prompted_by"]
    assert len(ui.tables) == 1
    rows = {r.qid: r for r in ui.tables[0] if r.number}
    assert rows["library_name"].answer == "Ames"
    assert rows["prompted_by"].mark == "missing"
    assert rows["recent_incidents"].mark == "open"


def test_a_change_that_drops_questions_keeps_their_answers(csintake_home: Path) -> None:
    opened = complete_session(
        csintake_home, {**UNSURE, "cs_meaning": "both", **BEHAVIOUR, **OFFERINGS, **PLANNING}
    )
    sid = opened.interview.session.id
    assert (
        len(opened.interview.relevant) == 52
    )  # the second-round planning questions apply once the scope is settled
    ui = ScriptedPrompts.of(["3", "behavior", ""])
    assert live.run(opened, ui) == 0
    # Nothing newly relevant: straight back to the review, which has lost the offerings.
    assert [s.qid for s in ui.asked] == ["", "cs_meaning", ""]
    assert ui.asked[1].default == "both"
    listed = {r.qid for r in ui.tables[-1] if r.number}
    assert "policy_authority" not in listed
    assert "rate_greeting" in listed
    session = Store(csintake_home).load(sid)
    assert session.status == "complete"
    assert session.answers["policy_authority"] == "board"
    assert session.answers["cs_meaning"] == "behavior"


def test_finishing_shows_the_brief_headline_and_export_command(csintake_home: Path) -> None:
    opened = complete_session(csintake_home, UNSURE)
    sid = opened.interview.session.id
    ui = ScriptedPrompts.of([""])
    assert live.run(opened, ui) == 0
    assert "This session is complete: review the answers, change any, or finish." in ui.text
    assert "Session complete." in ui.text
    assert "Headline: " in ui.text
    assert f"Export the brief: csintake brief {sid} -o brief.md" in ui.text


def test_export_command_names_a_store_given_by_option(tmp_path: Path) -> None:
    store = tmp_path / "elsewhere"
    opened = new_session(Store(store), "Ames", None)
    opened.interview.apply(UNSURE, "file")
    opened.interview.finish()
    ui = ScriptedPrompts.of([""])
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CSINTAKE_HOME")
        assert live.run(opened, ui) == 0
    sid = opened.interview.session.id
    assert f"csintake --store {store} brief {sid} -o brief.md" in ui.text


def test_resuming_shows_where_the_session_stands_and_its_notices(csintake_home: Path) -> None:
    opened = new_session(Store(csintake_home), "Ames [bold]Library", None)
    opened.interview.apply({"library_name": "Ames", "plan_goals": "x"}, "file")
    opened.interview.park("plan_goals")
    opened.notices = ["The bank has changed since this session was saved (a 1 -> a 2)."]
    ui = ScriptedPrompts.of([])
    assert live.run(opened, ui) == 130
    assert ui.said[0] == (f"Ames [bold]Library  (session {opened.interview.session.id})", "title")
    assert ("2 of 28 questions answered; in progress.", "plain") in ui.said
    assert ("The bank has changed since this session was saved (a 1 -> a 2).", "warn") in ui.said
    assert ("Parked to chase: plan_goals.", "warn") in ui.said
    assert [s.qid for s in ui.asked] == ["prompted_by"]


def test_specs_carry_position_section_help_default_and_marks(csintake_home: Path) -> None:
    opened = new_session(Store(csintake_home), "Ames", None)
    opened.interview.note("Ask about the board", "library_name")
    ui = ScriptedPrompts.of(["Ames", Control("park")])
    live.run(opened, ui)
    first, second, third = ui.asked
    assert (first.position, first.section, first.qid, first.kind) == (
        "1/28",
        "Request and scope",
        "library_name",
        "text",
    )
    assert first.note == "Ask about the board"
    assert first.help.startswith("The name as it should appear")
    assert second.qid == "prompted_by"
    assert third.qid == "cs_meaning"
    assert [o.label for o in third.choices][:2] == [
        "How staff treat patrons",
        "The services we offer",
    ]
    assert "prompted_by" in opened.interview.session.follow_up
    assert ("Request and scope", "title") in ui.said


def test_a_default_is_offered(csintake_home: Path) -> None:
    opened = new_session(Store(csintake_home), "Ames", None)
    opened.interview.apply({k: v for k, v in UNSURE.items() if k != "branches"}, "file")
    ui = ScriptedPrompts.of([])
    live.run(opened, ui)
    spec = ui.asked[0]
    assert spec.qid == "branches"
    assert spec.default == 1
    assert spec.default_shown == "1"
    assert spec.hint == "whole number, 1 to 50"


def test_answer_to_a_required_question_cannot_be_skipped(csintake_home: Path) -> None:
    opened = new_session(Store(csintake_home), "Ames", None)
    ui = ScriptedPrompts.of([Control("skip"), Answer("Ames")])
    live.run(opened, ui)
    assert "This question is required and cannot be skipped." in ui.text
    assert opened.interview.session.answers["library_name"] == "Ames"


def test_hang_up_handler_is_put_back(csintake_home: Path) -> None:
    before = signal.getsignal(signal.SIGHUP)
    opened = new_session(Store(csintake_home), "Ames", None)
    assert live.run(opened, ScriptedPrompts.of([])) == 130
    assert signal.getsignal(signal.SIGHUP) == before


def test_client_name_is_asked_until_given() -> None:
    ui = ScriptedPrompts.of(["", "  ", ":back", "Ames Public Library"])
    assert live.client_name(ui) == "Ames Public Library"
    assert ui.errors == [
        "Enter the client's name",
        "Enter the client's name",
        ":back cannot be used here",
    ]


def test_a_failed_save_asks_the_question_again_and_loses_nothing_on_disk(
    csintake_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csintake.errors import StoreError

    store = Store(csintake_home)
    opened = new_session(store, "Ames", None)
    sid = opened.interview.session.id
    real_save = store.save
    failures = [StoreError("ames.yaml: cannot write: no space left on the device")]

    def save(session: Any) -> None:
        if session.answers.get("prompted_by") and failures:
            raise failures.pop()
        real_save(session)

    monkeypatch.setattr(opened.interview, "_save", save)
    ui = ScriptedPrompts.of(["Ames", "A new director.", "A new director, again."])
    assert live.run(opened, ui) == 130
    assert [s.qid for s in ui.asked][:4] == [
        "library_name",
        "prompted_by",
        "prompted_by",
        "cs_meaning",
    ]
    assert "no space left on the device" in ui.text
    assert "That was not saved" in ui.text
    answers = store.load(sid).answers
    assert answers["library_name"] == "Ames"
    assert answers["prompted_by"] == "A new director, again."


# ------------------------------------------------------------------- second round


def test_dont_know_and_declined_are_recorded_and_shown_in_the_review(
    csintake_home: Path,
) -> None:
    opened = new_session(Store(csintake_home), "Ames", None)
    sid = opened.interview.session.id
    ui = ScriptedPrompts.of(["", ":dk", ":declined", Control("review"), "x"])
    assert live.run(opened, ui) == 0
    # library_name kept its pre-filled default (the client), then two states in a row.
    assert [s.qid for s in ui.asked] == [
        "library_name",
        "prompted_by",
        "cs_meaning",
        "recent_incidents",
        "",
    ]
    assert "Recorded: the client does not know. It goes on the follow-up list." in ui.text
    assert "Recorded: the client declined to say." in ui.text
    rows = {r.qid: r for r in ui.tables[0] if r.number}
    assert rows["prompted_by"].mark == "don't know"
    assert rows["cs_meaning"].mark == "declined"
    session = Store(csintake_home).load(sid)
    assert session.answers["library_name"] == "Ames"
    assert session.states == {"prompted_by": "dont_know", "cs_meaning": "declined"}


def test_brief_peek_then_the_same_question(csintake_home: Path) -> None:
    opened = new_session(Store(csintake_home), "Ames", None)
    ui = ScriptedPrompts.of(["", ":brief"])
    assert live.run(opened, ui) == 130
    assert [s.qid for s in ui.asked] == ["library_name", "prompted_by", "prompted_by"]
    said = [text for text, _ in ui.said]
    peek = said.index("The brief so far")
    assert said[peek + 1] == "Scope: What customer service means here is not yet decided."
    assert said[peek + 2].startswith("Agenda: ")
    assert "no time budget yet" in said[peek + 2]
    assert any(line.startswith("Flag (blocker): ") for line in said[peek + 3 :])


def test_an_answer_says_which_questions_now_apply_and_which_no_longer(
    csintake_home: Path,
) -> None:
    opened = complete_session(csintake_home, UNSURE)
    ui = ScriptedPrompts.of(["3", "behavior", Control("review"), "3", "unsure"])
    live.run(opened, ui)
    now_apply = [t for t, _ in ui.said if "now apply:" in t]
    assert now_apply
    assert now_apply[0].startswith(
        "20 questions now apply: What works against good service, A fast fix, "
    )
    assert now_apply[0].endswith("and 15 more")
    no_longer = [t for t, _ in ui.said if "no longer apply:" in t]
    assert no_longer
    assert no_longer[0].startswith("20 questions no longer apply: ")


def test_answering_a_parked_question_clears_the_mark(csintake_home: Path) -> None:
    opened = new_session(Store(csintake_home), "Ames", None)
    sid = opened.interview.session.id
    ui = ScriptedPrompts.of(["", ":park", Control("review"), "prompted_by", "Said."])
    live.run(opened, ui)
    assert Store(csintake_home).load(sid).follow_up == []


def test_the_review_is_paged_and_takes_ids(csintake_home: Path) -> None:
    opened = complete_session(csintake_home, UNSURE)
    ui = ScriptedPrompts.of(["nosuch", "n", "p", "n", "plan_end", "2028-01-31", ""])
    ui.page = 10
    assert live.run(opened, ui) == 0
    assert ui.errors == ["Type a number from 1 to 28 or a question's id, Enter, or x"]
    first, second, again, third = ([r.number for r in table if r.number] for table in ui.tables[:4])
    assert first[0] == 1
    assert second[0] == first[-1] + 1
    assert again == first
    assert third == second
    assert all(len(table) <= 10 for table in ui.tables)
    assert "plan_end" in [s.qid for s in ui.asked]
    assert Store(csintake_home).load(opened.interview.session.id).answers["plan_end"] == (
        "2028-01-31"
    )


def test_the_call_clock_is_in_each_question(csintake_home: Path) -> None:
    opened = new_session(Store(csintake_home), "Ames", None)
    ui = ScriptedPrompts.of([""])
    live.run(opened, ui, call_minutes=45)
    assert ui.asked[0].clock == "45 min left"
    assert live.clock_text(-61) == "2 min over"
    assert live.clock_text(0) == "0 min left"
