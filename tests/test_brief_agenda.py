"""Fitting modules to the time budget, and why each module and flag is in the brief."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from csintake.bank.loader import load_bank
from csintake.brief import build_brief
from csintake.brief.builder import AgendaModule, fit
from csintake.interview.engine import Interview
from csintake.interview.intake import bank_ref
from csintake.store.session import Session
from helpers import write_bank

AGENDA_BANK = """\
format: csintake/bank@1
id: agenda-test
version: 1.0.0
title: Agenda test
sections:
  - id: basics
    title: Basics
    questions:
      - id: meaning
        type: choice
        prompt: Which kind?
        choices:
          - {value: behavior, label: How staff treat patrons}
          - {value: offerings, label: The services we offer}
          - {value: both, label: Both}
          - {value: unsure, label: Not sure yet}
      - id: minutes
        type: integer
        required: false
        prompt: How many minutes?
        min: 1
      - id: phone
        type: yes_no
        required: false
        prompt: Problems on the phone?
      - id: email
        type: yes_no
        required: false
        prompt: Problems by email?
brief:
  title: "Brief for {meaning}"
  scope: meaning
  time_budget: minutes
  modules:
    - {id: low-one, title: Low one, minutes: 20, priority: low}
    - {id: core-one, title: Core one, minutes: 60, priority: core}
    - {id: normal-long, title: Normal long, minutes: 90, priority: normal}
    - {id: high-long, title: High long, minutes: 120, priority: high}
    - {id: normal-short, title: Normal short, minutes: 30, priority: normal}
    - {id: core-two, title: Core two, minutes: 30, priority: core}
    - id: channels
      title: Channels
      minutes: 10
      priority: high
      when: phone == true or email == true
    - id: offerings-only
      title: Offerings only
      minutes: 10
      priority: high
      when: meaning == 'offerings'
  flags:
    - {id: info-one, level: info, when: "minutes < 100", message: "Short: {minutes}."}
    - {id: blocker-one, level: blocker, when: "meaning == 'unsure'", message: Decide first.}
    - id: warning-one
      level: warning
      when: "meaning in ['both', 'unsure'] and minutes < 200"
      message: "{meaning} in {minutes} minutes."
    - {id: info-two, level: info, when: "not answered(minutes)", message: No budget.}
"""


def interview_for(tmp_path: Path, answers: dict[str, Any], bank: str = AGENDA_BANK) -> Interview:
    loaded = load_bank(write_bank(tmp_path, bank))
    session = Session(id="test-session", bank=bank_ref(loaded), client="Ames Public Library")
    interview = Interview(loaded, session)
    assert interview.apply(answers, "file") == []
    return interview


def ids(modules: tuple[AgendaModule, ...] | list[AgendaModule]) -> list[str]:
    return [m.id for m in modules]


def module(mid: str, minutes: int, priority: Any = "normal") -> AgendaModule:
    return AgendaModule(mid, mid.title(), None, minutes, priority, ())


# ------------------------------------------------------------------------------- fitting


def test_core_modules_alone_over_budget_are_kept_and_nothing_else(tmp_path: Path) -> None:
    agenda = build_brief(interview_for(tmp_path, {"meaning": "behavior", "minutes": 60})).agenda
    assert ids(agenda.modules) == ["core-one", "core-two"]
    assert agenda.total_minutes == 90
    assert agenda.budget_minutes == 60
    assert agenda.over_budget
    assert ids(agenda.follow_up) == ["high-long", "normal-long", "normal-short", "low-one"]


def test_exact_fit_is_kept(tmp_path: Path) -> None:
    # core 90 + high 120 = 210 exactly; nothing else fits.
    agenda = build_brief(interview_for(tmp_path, {"meaning": "behavior", "minutes": 210})).agenda
    assert ids(agenda.modules) == ["core-one", "high-long", "core-two"]
    assert agenda.total_minutes == 210
    assert not agenda.over_budget


def test_a_later_shorter_module_fits_after_a_longer_one_is_set_aside(tmp_path: Path) -> None:
    # core 90 + high 120 = 210; 40 left: normal-long (90) is set aside, normal-short (30) fits,
    # then low-one (20) no longer fits in the 10 left.
    agenda = build_brief(interview_for(tmp_path, {"meaning": "behavior", "minutes": 250})).agenda
    assert ids(agenda.modules) == ["core-one", "high-long", "normal-short", "core-two"]
    assert ids(agenda.follow_up) == ["normal-long", "low-one"]
    assert agenda.total_minutes == 240


def test_priority_order_high_then_normal_then_low() -> None:
    modules = [
        module("low-first", 30, "low"),
        module("normal-second", 30, "normal"),
        module("high-third", 30, "high"),
    ]
    for budget, kept in [
        (30, ["high-third"]),
        (60, ["normal-second", "high-third"]),
        (90, ["low-first", "normal-second", "high-third"]),
    ]:
        got, follow_up = fit(modules, budget)
        assert ids(got) == kept
        assert len(got) + len(follow_up) == 3


def test_bank_order_breaks_ties_within_a_priority() -> None:
    modules = [module("a", 40), module("b", 40), module("c", 40)]
    kept, follow_up = fit(modules, 80)
    assert ids(kept) == ["a", "b"]
    assert ids(follow_up) == ["c"]


def test_no_budget_keeps_every_relevant_module(tmp_path: Path) -> None:
    agenda = build_brief(interview_for(tmp_path, {"meaning": "behavior"})).agenda
    assert agenda.budget_minutes is None
    assert ids(agenda.modules) == [
        "low-one",
        "core-one",
        "normal-long",
        "high-long",
        "normal-short",
        "core-two",
    ]
    assert agenda.follow_up == ()
    assert not agenda.over_budget


def test_kept_modules_are_listed_in_bank_order(tmp_path: Path) -> None:
    agenda = build_brief(interview_for(tmp_path, {"meaning": "behavior", "minutes": 1000})).agenda
    assert ids(agenda.modules) == [
        "low-one",
        "core-one",
        "normal-long",
        "high-long",
        "normal-short",
        "core-two",
    ]
    assert agenda.total_minutes == 350


def test_modules_whose_condition_is_false_are_left_out(tmp_path: Path) -> None:
    brief = build_brief(interview_for(tmp_path, {"meaning": "offerings", "minutes": 1000}))
    assert "offerings-only" in ids(brief.agenda.modules)
    assert "channels" not in ids(brief.agenda.modules) + ids(brief.agenda.follow_up)


def test_a_time_budget_from_a_choice_uses_the_choice_value(tmp_path: Path) -> None:
    bank = AGENDA_BANK.replace(
        """      - id: minutes
        type: integer
        required: false
        prompt: How many minutes?
        min: 1
""",
        """      - id: minutes
        type: choice
        required: false
        prompt: How many minutes?
        choices:
          - {value: 90, label: 90 minutes}
          - {value: 100, label: 100 minutes}
          - {value: 200, label: 200 minutes}
          - {value: 210, label: Half a day}
""",
    )
    agenda = build_brief(interview_for(tmp_path, {"meaning": "behavior", "minutes": 210}, bank))
    assert agenda.agenda.budget_minutes == 210
    assert agenda.agenda.budget_label == "Half a day"


# ------------------------------------------------------------------------------- because


def test_modules_without_a_condition_have_no_because(tmp_path: Path) -> None:
    agenda = build_brief(interview_for(tmp_path, {"meaning": "offerings"})).agenda
    assert {m.id: m.because for m in agenda.modules}["core-one"] == ()
    assert {m.id: m.because for m in agenda.modules}["offerings-only"] == ("meaning = offerings",)


def test_because_names_only_the_answers_actually_read(tmp_path: Path) -> None:
    # `phone == true or email == true`: phone decides it, so email is never read.
    brief = build_brief(interview_for(tmp_path, {"meaning": "behavior", "phone": True}))
    channels = {m.id: m for m in brief.agenda.modules}["channels"]
    assert channels.because == ("phone = true",)
    both = build_brief(
        interview_for(tmp_path, {"meaning": "behavior", "phone": False, "email": True})
    )
    channels = {m.id: m for m in both.agenda.modules}["channels"]
    assert channels.because == ("phone = false", "email = true")


def test_set_aside_modules_keep_their_because(tmp_path: Path) -> None:
    brief = build_brief(
        interview_for(tmp_path, {"meaning": "offerings", "minutes": 90, "phone": True})
    )
    follow_up = {m.id: m for m in brief.agenda.follow_up}
    assert follow_up["offerings-only"].because == ("meaning = offerings",)
    assert follow_up["channels"].because == ("phone = true",)


def test_flags_by_level_with_raw_values_in_because(tmp_path: Path) -> None:
    brief = build_brief(interview_for(tmp_path, {"meaning": "unsure", "minutes": 90}))
    assert [f.id for f in brief.flags] == ["blocker-one", "warning-one", "info-one"]
    by_id = {f.id: f for f in brief.flags}
    assert by_id["warning-one"].because == ("meaning = unsure", "minutes = 90")
    assert by_id["warning-one"].message == "Not sure yet in 90 minutes."
    assert by_id["blocker-one"].because == ("meaning = unsure",)


def test_an_unanswered_question_read_by_a_condition_says_so(tmp_path: Path) -> None:
    brief = build_brief(interview_for(tmp_path, {"meaning": "behavior"}))
    assert [(f.id, f.because) for f in brief.flags] == [("info-two", ("minutes = (not answered)",))]


def test_flags_within_a_level_keep_bank_order(tmp_path: Path) -> None:
    bank = AGENDA_BANK.replace('when: "minutes < 100"', 'when: "not answered(minutes)"')
    brief = build_brief(interview_for(tmp_path, {"meaning": "behavior"}, bank))
    assert [f.id for f in brief.flags] == ["info-one", "info-two"]


# ----------------------------------------------------------------------------- headline


@pytest.mark.parametrize(
    ("meaning", "headline"),
    [
        ("behavior", "Customer service here means how staff treat patrons."),
        ("offerings", "Customer service here means the services we offer."),
        (
            "both",
            ("Customer service here means both how staff treat patrons and the services we offer."),
        ),
        ("unsure", "What customer service means here is not yet decided."),
        (None, "What customer service means here is not yet decided."),
    ],
)
def test_headline_from_the_scope_answer(tmp_path: Path, meaning: str | None, headline: str) -> None:
    answers = {"meaning": meaning} if meaning else {}
    brief = build_brief(interview_for(tmp_path, answers))
    assert brief.headline == headline
    assert brief.scope.value == meaning


def test_title_has_placeholders_filled(tmp_path: Path) -> None:
    brief = build_brief(interview_for(tmp_path, {"meaning": "both"}))
    assert brief.title == "Brief for Both"
    assert brief.client == "Ames Public Library"
