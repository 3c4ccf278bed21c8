"""The interview engine: relevance, navigation, changes, history, changed banks, defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from csintake.bank.loader import LoadedBank, load_bank
from csintake.errors import AnswerError
from csintake.files.yamlfile import load_file
from csintake.interview.engine import Interview, Mismatch, Position
from csintake.interview.intake import bank_ref, new_session, open_session
from csintake.store.session import Session
from csintake.store.store import Store
from helpers import write_bank

DATA = Path(__file__).parent / "data"

BANK = """\
format: csintake/bank@1
id: engine-test
version: 1.0.0
title: Engine test bank
sections:
  - id: scope
    title: Scope
    questions:
      - id: name
        type: text
        prompt: Which library?
        min_length: 2
      - id: meaning
        type: choice
        prompt: What does {name} mean by customer service?
        help: "Earlier: {name}."
        choices:
          - {value: behavior, label: How staff treat patrons}
          - {value: offerings, label: The services we offer}
          - {value: both, label: Both}
          - {value: unsure, label: Not sure yet}
      - id: comment
        type: text
        required: false
        prompt: Anything else?
  - id: behaviour
    title: Behaviour
    when: meaning in ['behavior', 'both']
    questions:
      - id: staff
        type: integer
        prompt: How many staff?
        min: 1
        max: 100
      - id: channels
        type: multi_choice
        required: false
        prompt: Where do problems show up?
        choices:
          - {value: desk, label: At the desk}
          - {value: phone, label: On the phone}
      - id: desk_hours
        type: integer
        when: "'desk' in channels"
        prompt: How many desk hours a week?
        min: 1
        max: 100
  - id: offerings
    title: Offerings
    when: meaning in ['offerings', 'both']
    questions:
      - id: services
        type: multi_choice
        prompt: Which services, {name}?
        choices:
          - {value: hours, label: Opening hours}
          - {value: website, label: Website}
      - id: survey
        type: date
        required: false
        prompt: Last survey?
  - id: wrap
    title: Wrap-up
    questions:
      - id: minutes
        type: choice
        prompt: Time for {meaning} at {name}?
        default: 60
        choices:
          - {value: 60, label: One hour}
          - {value: 120, label: Two hours}
      - id: sponsor
        type: text
        prompt: Who sponsors it?
        default: "The director of {name}"
"""

ALWAYS = ["name", "meaning", "comment"]
WRAP = ["minutes", "sponsor"]
BEHAVIOUR = ["staff", "channels"]
OFFERINGS = ["services", "survey"]


class Saves:
    """A saver that keeps a copy of the session each time it is handed one."""

    def __init__(self) -> None:
        self.copies: list[Session] = []

    def __call__(self, session: Session) -> None:
        self.copies.append(session.model_copy(deep=True))


@pytest.fixture
def bank(tmp_path: Path) -> LoadedBank:
    return load_bank(write_bank(tmp_path, BANK))


@pytest.fixture
def saves() -> Saves:
    return Saves()


def interview_for(loaded: LoadedBank, saves: Saves | None = None, **answers: Any) -> Interview:
    session = Session(id="t", bank=bank_ref(loaded), client="Ames", answers=dict(answers))
    return Interview(loaded, session, saves)


@pytest.fixture
def iv(bank: LoadedBank, saves: Saves) -> Interview:
    return interview_for(bank, saves)


def ids(interview: Interview) -> list[str]:
    return [q.id for q in interview.relevant]


def walk(interview: Interview, answers: dict[str, Any]) -> list[str]:
    """Answer from ``answers`` (skip when absent) until nothing is open; the ids asked."""
    asked: list[str] = []
    q = interview.start()
    while q is not None:
        asked.append(q.id)
        if q.id in answers:
            interview.answer(answers[q.id])
            q = interview.current
            continue
        q = interview.skip()
    return asked


# --------------------------------------------------------------------------- scope branches


FULL = {
    "name": "Ames",
    "comment": "none",
    "staff": 12,
    "channels": "phone",
    "services": "hours",
    "survey": "2025-01-01",
    "minutes": 60,
    "sponsor": "Jo",
}


def test_behavior_asks_the_behaviour_section_and_not_offerings(iv: Interview) -> None:
    asked = walk(iv, {**FULL, "meaning": "behavior"})
    assert asked == ALWAYS + BEHAVIOUR + WRAP
    assert iv.complete


def test_offerings_asks_the_offerings_section_and_not_behaviour(iv: Interview) -> None:
    asked = walk(iv, {**FULL, "meaning": "offerings"})
    assert asked == ALWAYS + OFFERINGS + WRAP


def test_both_asks_both_sections(iv: Interview) -> None:
    asked = walk(iv, {**FULL, "meaning": "both", "channels": "desk", "desk_hours": 10})
    assert asked == [*ALWAYS, *BEHAVIOUR, "desk_hours", *OFFERINGS, *WRAP]


def test_unsure_asks_neither(iv: Interview) -> None:
    assert walk(iv, {**FULL, "meaning": "unsure"}) == ALWAYS + WRAP


def test_before_the_scope_is_known_neither_section_is_relevant(iv: Interview) -> None:
    assert ids(iv) == ALWAYS + WRAP


@pytest.mark.parametrize(
    ("meaning", "behaviour", "offerings"),
    [("behavior", True, False), ("offerings", False, True), ("both", True, True)],
)
def test_the_shipped_bank_branches_on_cs_meaning(
    shipped_bank_path: Path, meaning: str, behaviour: bool, offerings: bool
) -> None:
    loaded = load_bank(shipped_bank_path)
    interview = interview_for(loaded, cs_meaning=meaning)
    sections = {interview.section(q.id).id for q in interview.relevant}
    assert ("behaviour" in sections) is behaviour
    assert ("offerings" in sections) is offerings
    assert interview.is_relevant("service_standards") is behaviour
    assert interview.is_relevant("supervisors_reinforce") is behaviour
    assert interview.is_relevant("policy_authority") is offerings


@pytest.mark.parametrize("scope", ["both", "behavior", "offerings"])
def test_the_shared_answers_files_complete_the_shipped_bank(
    shipped_bank_path: Path, scope: str
) -> None:
    loaded = load_bank(shipped_bank_path)
    interview = interview_for(loaded)
    values = load_file(DATA / f"answers-{scope}.yaml").value
    assert interview.apply(values, "file") == []
    assert interview.answers["cs_meaning"] == scope
    assert interview.missing() == []
    # every answer in the file counts: none is for a question this scope does not ask
    assert set(values) == set(interview.answers)


# ------------------------------------------------------------------------------ navigation


def test_back_crosses_a_section_boundary(iv: Interview) -> None:
    iv.start()
    iv.answer("Ames")
    iv.answer("behavior")
    assert iv.skip() is not None  # comment
    assert iv.current is not None
    assert iv.current.id == "staff"
    assert iv.starts_section("staff")
    back = iv.back()
    assert back is not None
    assert back.id == "comment"
    assert iv.section("comment").id == "scope"
    back = iv.back()
    assert back is not None
    assert back.id == "meaning"


def test_back_at_the_first_question_stays(iv: Interview) -> None:
    iv.start()
    assert iv.back() is None
    assert iv.cursor == "name"


def test_back_from_the_end_goes_to_the_last_question(iv: Interview) -> None:
    walk(iv, {**FULL, "meaning": "unsure"})
    assert iv.cursor is None
    back = iv.back()
    assert back is not None
    assert back.id == "sponsor"


def test_back_skips_questions_that_are_not_relevant(iv: Interview) -> None:
    walk(iv, {**FULL, "meaning": "offerings"})
    iv.goto("minutes")
    back = iv.back()
    assert back is not None
    assert back.id == "survey"
    iv.goto("services")
    back = iv.back()
    assert back is not None
    assert back.id == "comment"


def test_after_going_back_an_answer_returns_to_where_the_consultant_left_off(
    iv: Interview,
) -> None:
    iv.start()
    iv.answer("Ames")
    iv.answer("unsure")
    iv.answer("a comment")
    assert iv.cursor == "minutes"
    iv.back()
    iv.back()
    assert iv.cursor == "meaning"
    assert iv.answer("Not sure yet") == "unsure"
    assert iv.cursor == "minutes"


def test_goto_refuses_a_question_that_is_not_asked(iv: Interview) -> None:
    with pytest.raises(AnswerError) as info:
        iv.goto("staff")
    assert str(info.value) == "'staff' is not asked under the current answers"


# -------------------------------------------------------------------------------- skipping


def test_skip_only_when_not_required(iv: Interview) -> None:
    iv.start()
    with pytest.raises(AnswerError) as info:
        iv.skip()
    assert str(info.value) == "This question is required and cannot be skipped"
    assert iv.session.skipped == []
    assert iv.cursor == "name"
    iv.answer("Ames")
    iv.answer("unsure")
    nxt = iv.skip()
    assert iv.session.skipped == ["comment"]
    assert nxt is not None
    assert nxt.id == "minutes"
    assert iv.is_settled("comment")
    assert not iv.is_answered("comment")


def test_skipping_an_answered_question_keeps_the_answer_in_the_file(iv: Interview) -> None:
    iv.answer("a comment", qid="comment")
    iv.skip("comment")
    assert iv.session.answers["comment"] == "a comment"
    assert "comment" not in iv.answers
    # answering again takes it off the skipped list
    iv.answer("another", qid="comment")
    assert iv.session.skipped == []
    assert iv.answers["comment"] == "another"


def test_a_required_question_listed_as_skipped_is_still_open(bank: LoadedBank) -> None:
    """A bank can make a skipped question required later: it must be asked again."""
    interview = interview_for(bank, name="Ames", meaning="unsure")
    interview.session.skipped.append("sponsor")
    assert not interview.is_settled("sponsor")
    assert [q.id for q in interview.missing()] == ["minutes", "sponsor"]
    interview.answer(60, qid="minutes")
    first = interview.first_open()
    assert first is not None
    assert first.id == "comment"
    interview.skip("comment")
    first = interview.first_open()
    assert first is not None
    assert first.id == "sponsor"


# -------------------------------------------------------------------------- notes and park


def test_note_and_park(iv: Interview, saves: Saves) -> None:
    iv.start()
    iv.note("  Director hesitated  ")
    assert iv.session.notes == {"name": "Director hesitated"}
    assert iv.park() is True
    assert iv.session.follow_up == ["name"]
    assert iv.cursor == "name"  # neither moves on
    assert iv.park("name") is False
    assert iv.session.follow_up == []
    iv.park("meaning")
    iv.note("", qid="name")
    assert iv.session.notes == {}
    assert iv.session.follow_up == ["meaning"]
    assert len(saves.copies) == 5
    assert saves.copies[0].notes == {"name": "Director hesitated"}
    assert saves.copies[-1].follow_up == ["meaning"]


def test_notes_park_skip_and_answers_need_a_question_of_the_bank(iv: Interview) -> None:
    for action in (
        lambda: iv.note("x", qid="nope"),
        lambda: iv.park("nope"),
        lambda: iv.skip("nope"),
        lambda: iv.answer("x", qid="nope"),
    ):
        with pytest.raises(AnswerError) as info:
            action()
        assert str(info.value) == "the bank has no question 'nope'"
    assert iv.session.notes == {}
    assert iv.session.follow_up == []


def test_nothing_to_answer_at_the_end(iv: Interview) -> None:
    with pytest.raises(AnswerError):
        iv.answer("x")
    with pytest.raises(AnswerError):
        iv.skip()


# -------------------------------------------------------------------------------- progress


def test_position_counts_the_relevant_questions_before_and_after_a_scope_change(
    iv: Interview,
) -> None:
    iv.start()
    assert iv.position() == Position(1, 5)
    assert str(iv.position()) == "1/5"
    iv.answer("Ames")
    assert iv.position() == Position(2, 5)
    iv.answer("both")
    assert iv.cursor == "comment"
    assert iv.position() == Position(3, 9)
    assert iv.position("minutes") == Position(8, 9)
    iv.back()
    iv.answer("behavior")
    # back at comment: the offerings questions have left the count
    assert iv.cursor == "comment"
    assert iv.position() == Position(3, 7)
    iv.answer("desk", qid="channels")
    assert iv.position() == Position(3, 8)
    assert iv.position("desk_hours") == Position(6, 8)


# ------------------------------------------------------------------------- re-evaluation


def test_a_changed_answer_drops_questions_but_keeps_their_answers(iv: Interview) -> None:
    walk(iv, {**FULL, "meaning": "behavior", "channels": "desk", "desk_hours": 20})
    assert iv.answers["desk_hours"] == 20
    iv.goto("meaning")
    iv.answer("offerings")
    # the behaviour answers are still in the session, but they no longer count
    assert iv.session.answers["staff"] == 12
    assert iv.session.answers["desk_hours"] == 20
    for qid in ("staff", "channels", "desk_hours"):
        assert qid not in iv.answers
        assert not iv.is_relevant(qid)
    assert not iv.complete


def test_newly_relevant_questions_are_asked_next(iv: Interview) -> None:
    walk(iv, {**FULL, "meaning": "behavior"})
    assert iv.complete
    assert iv.cursor is None
    iv.goto("meaning")
    iv.answer("both")
    # the answered questions in between are not asked again; the new section is
    assert iv.cursor == "services"
    assert iv.position() == Position(6, 9)
    with pytest.raises(AnswerError):
        iv.skip()
    iv.answer("website")
    assert iv.cursor == "survey"
    assert iv.skip() is None  # nothing is open: back to the review
    assert iv.complete


def test_changing_back_restores_the_kept_answers(iv: Interview) -> None:
    walk(iv, {**FULL, "meaning": "behavior", "channels": "desk", "desk_hours": 20})
    iv.answer("offerings", qid="meaning")
    assert "desk_hours" not in iv.answers
    iv.answer("both", qid="meaning")
    assert iv.answers["staff"] == 12
    assert iv.answers["desk_hours"] == 20


def test_a_dropped_question_stops_counting_in_conditions(iv: Interview) -> None:
    walk(iv, {**FULL, "meaning": "behavior", "channels": "desk", "desk_hours": 20})
    iv.answer("phone", qid="channels")
    assert not iv.is_relevant("desk_hours")
    iv.answer("desk", qid="channels")
    assert iv.is_relevant("desk_hours")
    assert iv.answers["desk_hours"] == 20


# ------------------------------------------------------------------------- placeholders


def test_placeholders_show_earlier_answers_and_choice_labels(iv: Interview) -> None:
    meaning = iv.question("meaning")
    assert iv.text(meaning.prompt) == "What does … mean by customer service?"
    iv.answer("Ames Public Library", qid="name")
    assert iv.text(meaning.prompt) == "What does Ames Public Library mean by customer service?"
    assert iv.text(meaning.help) == "Earlier: Ames Public Library."
    iv.answer("both", qid="meaning")
    assert iv.text(iv.question("minutes").prompt) == "Time for Both at Ames Public Library?"
    assert iv.show("meaning") == "Both"
    iv.answer("website, hours", qid="services")
    assert iv.show("services") == "Opening hours, Website"
    assert iv.text(None) == ""
    assert iv.text("{{literal}} {name}") == "{literal} Ames Public Library"


def test_a_placeholder_of_a_dropped_answer_is_not_shown(iv: Interview) -> None:
    iv.answer("Ames", qid="name")
    iv.answer("both", qid="meaning")
    iv.answer(5, qid="staff")
    assert iv.text("{staff} staff") == "5 staff"
    iv.answer("offerings", qid="meaning")
    assert iv.text("{staff} staff") == "… staff"


# ------------------------------------------------------------------- history and sources


def test_history_records_replaced_answers_and_sources_record_where_from(
    iv: Interview,
) -> None:
    iv.answer("Ames", qid="name")
    iv.apply({"meaning": "behavior", "staff": "12"}, "file")
    iv.apply({"staff": "14"}, "set")
    iv.apply_defaults()
    iv.answer("Ames", qid="name")  # the same answer again is not a change
    iv.answer("both", qid="meaning")
    s = iv.session
    assert s.sources == {
        "name": "prompt",
        "meaning": "prompt",
        "staff": "set",
        "minutes": "default",
        "sponsor": "default",
    }
    assert [(c.question, c.old, c.new) for c in s.history] == [
        ("staff", 12, 14),
        ("meaning", "behavior", "both"),
    ]
    assert all(c.at.tzinfo is not None for c in s.history)
    assert s.answers["sponsor"] == "The director of Ames"


def test_every_change_is_saved_before_the_next_question(iv: Interview, saves: Saves) -> None:
    iv.start()
    iv.answer("Ames")
    assert saves.copies[-1].answers == {"name": "Ames"}
    iv.answer("unsure")
    assert saves.copies[-1].answers == {"name": "Ames", "meaning": "unsure"}
    iv.skip()
    assert saves.copies[-1].skipped == ["comment"]
    assert len(saves.copies) == 3
    assert saves.copies[0].updated <= saves.copies[-1].updated


def test_an_invalid_answer_changes_nothing(iv: Interview, saves: Saves) -> None:
    iv.start()
    with pytest.raises(AnswerError) as info:
        iv.answer("A")
    assert str(info.value) == "Enter at least 2 characters"
    assert iv.cursor == "name"
    assert iv.session.answers == {}
    assert saves.copies == []


def test_finish_needs_every_required_relevant_answer(iv: Interview) -> None:
    iv.answer("Ames", qid="name")
    with pytest.raises(AnswerError) as info:
        iv.finish()
    assert str(info.value) == "still unanswered: meaning, minutes, sponsor"
    assert iv.session.status == "in_progress"
    iv.apply({"meaning": "unsure", "minutes": 60, "sponsor": "Jo"}, "file")
    iv.finish()
    status: str = iv.session.status
    assert status == "complete"
    iv.reopen()
    status = iv.session.status
    assert status == "in_progress"


# ---------------------------------------------------------------------------- scripted


def test_apply_reports_every_problem_and_keeps_the_valid_answers(iv: Interview) -> None:
    problems = iv.apply(
        {"name": "A", "meaning": "both", "staff": "lots", "nope": 1, "survey": "soon"}, "file"
    )
    assert problems == [
        ("name", "Enter at least 2 characters"),
        ("staff", "Enter a whole number from 1 to 100"),
        ("nope", "unknown question 'nope'"),
        ("survey", "Enter a date as YYYY-MM-DD"),
    ]
    assert iv.session.answers == {"meaning": "both"}


def test_apply_skips_an_empty_optional_answer(iv: Interview) -> None:
    problems = iv.apply({"comment": "", "survey": None, "channels": [], "name": ""}, "file")
    assert problems == [("name", "An answer is required")]
    assert iv.session.skipped == ["comment", "survey"]
    assert iv.session.answers == {"channels": []}


def test_apply_keeps_answers_for_questions_not_asked_now(iv: Interview) -> None:
    assert iv.apply({"meaning": "offerings", "staff": 3}, "file") == []
    assert iv.session.answers["staff"] == 3
    assert "staff" not in iv.answers


# ---------------------------------------------------------------------------- defaults


def test_apply_defaults_answers_open_relevant_questions(iv: Interview) -> None:
    iv.apply_defaults()
    # placeholders with nothing to show are filled with "…": still a valid default
    assert iv.session.answers == {"minutes": 60, "sponsor": "The director of …"}
    assert iv.session.sources == {"minutes": "default", "sponsor": "default"}


def test_apply_defaults_leaves_answered_and_skipped_questions_alone(bank: LoadedBank) -> None:
    interview = interview_for(bank, name="Ames", minutes=120)
    interview.session.skipped.append("comment")
    interview.apply_defaults()
    assert interview.session.answers == {
        "name": "Ames",
        "minutes": 120,
        "sponsor": "The director of Ames",
    }
    assert interview.session.history == []


def test_apply_defaults_follows_defaults_that_make_questions_relevant(tmp_path: Path) -> None:
    loaded = load_bank(
        write_bank(
            tmp_path,
            """\
            format: csintake/bank@1
            id: chain
            version: "1"
            title: Chain
            sections:
              - id: s
                title: S
                questions:
                  - {id: a, type: yes_no, prompt: "A?", default: true}
                  - {id: b, type: integer, prompt: "B?", when: a, default: 3}
                  - {id: c, type: text, prompt: "C?", when: b == 3, default: "b was {b}"}
                  - {id: d, type: text, prompt: "D?", when: not a, default: never}
            """,
        )
    )
    interview = interview_for(loaded)
    interview.apply_defaults()
    assert interview.session.answers == {"a": True, "b": 3, "c": "b was 3"}
    assert interview.complete


def test_default_for_prefers_the_stored_answer(bank: LoadedBank) -> None:
    interview = interview_for(bank, name="Ames", minutes=120)
    assert interview.default_for(interview.question("minutes")) == 120
    assert interview.default_for(interview.question("sponsor")) == "The director of Ames"
    assert interview.default_for(interview.question("staff")) is None


# ----------------------------------------------------------------------- a changed bank


CHANGED = (
    BANK.replace(
        """      - id: comment
        type: text
        required: false
        prompt: Anything else?
""",
        "",
    )
    .replace("{value: 60, label: One hour}", "{value: 90, label: Ninety minutes}")
    .replace("default: 60", "default: 90")
    .replace("version: 1.0.0", "version: 1.1.0")
)


def test_a_changed_bank_is_revalidated_and_every_answer_kept(tmp_path: Path) -> None:
    path = write_bank(tmp_path, BANK)
    store = Store(tmp_path / "store")
    opened = new_session(store, "Ames", str(path))
    interview = opened.interview
    assert interview.apply({**FULL, "meaning": "unsure"}, "file") == []
    interview.save()
    before = dict(interview.session.answers)
    old_hash = interview.session.bank.sha256

    path.write_text(CHANGED, encoding="utf-8")
    reopened = open_session(store, interview.session.id)
    again = reopened.interview
    assert again.mismatches == [
        Mismatch("comment", "the bank no longer has this question"),
        Mismatch("minutes", "Choose one of: 90, 120"),
    ]
    assert reopened.notices == [
        (
            "The bank has changed since this session was saved "
            "(engine-test 1.0.0 -> engine-test 1.1.0)."
        ),
        "Answers that no longer fit the bank (kept in the file, not used):",
        "  comment: the bank no longer has this question",
        "  minutes: Choose one of: 90, 120",
    ]
    # they are not used...
    assert "minutes" not in again.answers
    assert [q.id for q in again.missing()] == ["minutes"]
    assert again.session.bank.sha256 != old_hash
    # ...and defaults do not silently replace them
    again.apply_defaults()
    assert again.session.answers == before
    # every answer stays in the file, even after another answer is saved
    again.answer("Jane", qid="sponsor")
    on_disk = store.load(interview.session.id)
    assert on_disk.answers == {**before, "sponsor": "Jane"}
    assert on_disk.bank.version == "1.1.0"
    # fixing the answer clears the mismatch
    again.answer("Ninety minutes", qid="minutes")
    assert again.mismatches == [Mismatch("comment", "the bank no longer has this question")]
    assert again.complete


def test_an_unchanged_bank_says_nothing(tmp_path: Path) -> None:
    path = write_bank(tmp_path, BANK)
    store = Store(tmp_path / "store")
    session = new_session(store, "Ames", str(path)).interview.session
    assert open_session(store, session.id).notices == []


# --------------------------------------------------------------- states and status


def test_dont_know_is_a_state_not_an_answer(iv: Interview, saves: Saves) -> None:
    iv.start()
    iv.answer("Ames")
    nxt = iv.mark("dont_know")
    assert nxt is not None
    assert nxt.id == "comment"
    assert iv.session.states == {"meaning": "dont_know"}
    assert "meaning" not in iv.session.answers
    assert iv.status("meaning") == "dont_know"
    # Conditions see no answer: the behaviour section stays out.
    assert ids(iv) == ALWAYS + WRAP
    assert saves.copies[-1].states == {"meaning": "dont_know"}


def test_a_required_question_may_be_declined_and_the_session_completes(
    bank: LoadedBank,
) -> None:
    iv = interview_for(bank, None, name="Ames", minutes=60, sponsor="Board")
    iv.mark("declined", "meaning")
    assert iv.status("meaning") == "declined"
    assert iv.missing() == []
    iv.finish()
    assert iv.session.status == "complete"


def test_answering_clears_the_state_and_the_park(iv: Interview) -> None:
    iv.start()
    iv.mark("dont_know", "name")
    iv.park("name")
    assert iv.status("name") == "parked"
    assert iv.marks("name") == ["parked", "don't know"]
    iv.answer("Ames", qid="name")
    assert iv.status("name") == "answered"
    assert iv.session.states == {}
    assert iv.session.follow_up == []


def test_a_state_hides_a_stored_answer_without_deleting_it(bank: LoadedBank) -> None:
    iv = interview_for(bank, None, name="Ames", meaning="behavior")
    assert "staff" in ids(iv)
    iv.mark("dont_know", "meaning")
    assert iv.session.answers["meaning"] == "behavior"
    assert "staff" not in ids(iv)
    assert iv.shift.no_longer
    assert [q.id for q in iv.shift.no_longer] == BEHAVIOUR


def test_status_of_every_kind(bank: LoadedBank) -> None:
    iv = interview_for(bank, None, name="Ames", meaning="offerings")
    iv.skip("comment")
    iv.park("services")
    iv.mark("declined", "minutes")
    iv.note("ask the director", "name")
    assert {q.id: iv.status(q.id) for q in iv.relevant} == {
        "name": "answered",
        "meaning": "answered",
        "comment": "skipped",
        "services": "parked",
        "survey": "open",
        "minutes": "declined",
        "sponsor": "missing",
    }
    assert iv.marks("name") == []
    assert iv.note_of("name") == "ask the director"
    assert iv.marks("services") == ["parked", "missing"]
    assert iv.marks("meaning") == []


def test_the_next_question_passes_over_parked_and_unknown_ones(iv: Interview) -> None:
    iv.start()
    iv.answer("Ames")
    iv.park("meaning")
    iv.mark("dont_know", "comment")
    nxt = iv.next_open("name")
    assert nxt is not None
    assert nxt.id == "minutes"
    assert iv.continue_at(None) is not None
    assert iv.find("2") == iv.question("meaning")
    assert iv.find("MEANING") == iv.question("meaning")
    assert iv.find("99") is None
    assert iv.find("nope") is None


def test_a_required_question_cannot_be_skipped_in_one_place(iv: Interview) -> None:
    assert not iv.can_skip("name")
    assert iv.can_skip("comment")
    with pytest.raises(AnswerError, match="required and cannot be skipped"):
        iv.skip("name")


def test_an_answer_says_which_questions_now_apply(iv: Interview) -> None:
    iv.start()
    iv.answer("Ames")
    iv.answer("both")
    assert [q.id for q in iv.shift.now_apply] == BEHAVIOUR + OFFERINGS
    iv.answer("offerings", qid="meaning")
    assert [q.id for q in iv.shift.no_longer] == BEHAVIOUR
    assert iv.shift.now_apply == ()


def test_answers_files_give_states_as_mappings(bank: LoadedBank) -> None:
    iv = interview_for(bank)
    problems = iv.apply({"name": "Ames", "meaning": {"state": "dont_know"}}, "file")
    assert problems == []
    assert iv.session.states == {"meaning": "dont_know"}
    problems = iv.apply({"comment": {"state": "maybe"}}, "file")
    assert problems
    assert problems[0][0] == "comment"


def test_client_fills_a_default(tmp_path: Path) -> None:
    loaded = load_bank(
        write_bank(
            tmp_path,
            BANK.replace("min_length: 2", 'min_length: 2\n        default: "{client}"'),
        )
    )
    iv = interview_for(loaded)
    assert iv.default_for(iv.question("name")) == "Ames"


class FakeClock:
    def __init__(self) -> None:
        self.at = 100.0

    def __call__(self) -> float:
        return self.at


def test_seconds_per_section_are_booked_at_each_save(bank: LoadedBank, saves: Saves) -> None:
    clock = FakeClock()
    session = Session(id="t", bank=bank_ref(bank), client="Ames", timings={"scope": 5.0})
    iv = Interview(bank, session, saves, clock=clock)
    iv.start()
    iv.time_section("name")
    clock.at += 30
    iv.answer("Ames")
    assert saves.copies[-1].timings == {"scope": 35.0}
    iv.time_section("meaning")
    clock.at += 12
    iv.answer("offerings")
    iv.time_section("services")
    clock.at += 60
    iv.time_section(None)  # the review: not counted, and not saved until the next change
    clock.at += 600
    iv.note("x", "services")
    assert saves.copies[-1].timings == {"scope": 47.0, "offerings": 60.0}
