"""``brief_decisions`` makes the same choices as ``build_brief``, without the words.

The store's index and the cross-client report count briefs through ``brief_decisions``; a
consultant reads the brief ``build_brief`` writes. They must agree on the scope, the budget,
the modules kept and set aside and the flags raised, for any answers to the shipped bank,
including dated answers read against the session's last update.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csintake.bank.catalog import shipped_dir
from csintake.bank.loader import LoadedBank, load_bank
from csintake.bank.model import (
    ChoiceQuestion,
    DateQuestion,
    IntegerQuestion,
    MultiChoiceQuestion,
    Question,
    ScaleQuestion,
    YesNoQuestion,
)
from csintake.brief import build_brief
from csintake.brief.builder import brief_decisions
from csintake.interview.engine import Interview
from csintake.interview.intake import bank_ref, read_answers
from csintake.store.session import Session
from test_brief_agenda import interview_for
from test_brief_markdown_equivalence import AGENDA_ANSWERS
from test_brief_render import BOTH_TIGHT, sample_interview

DATA = Path(__file__).parent / "data"
CREATED = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


@functools.cache
def shipped_bank() -> LoadedBank:
    return load_bank(shipped_dir() / "library-customer-service.yaml")


def interview_with(answers: dict[str, Any], updated: dt.datetime = CREATED) -> Interview:
    loaded = shipped_bank()
    session = Session(
        id="ames-public-library-2026-01-05",
        bank=bank_ref(loaded),
        client="Ames Public Library",
        created=CREATED,
        updated=updated,
    )
    interview = Interview(loaded, session)
    interview.apply(answers, "file")  # answers that do not fit their question are left out
    return interview


def values(question: Question) -> st.SearchStrategy[Any]:
    """Answers a consultant could give ``question`` (the ones conditions read)."""
    if isinstance(question, ChoiceQuestion):
        return st.sampled_from([c.value for c in question.choices])
    if isinstance(question, MultiChoiceQuestion):
        return st.lists(st.sampled_from([c.value for c in question.choices]), unique=True)
    if isinstance(question, YesNoQuestion):
        return st.booleans()
    if isinstance(question, (IntegerQuestion, ScaleQuestion)):
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else 2000
        return st.integers(low, high)
    if isinstance(question, DateQuestion):
        return st.dates(dt.date(2025, 6, 1), dt.date(2027, 12, 31)).map(dt.date.isoformat)
    return st.just("An answer in words.")


@st.composite
def shipped_answers(draw: st.DrawFn) -> dict[str, Any]:
    questions = shipped_bank().bank.questions
    chosen = draw(st.lists(st.sampled_from(questions), unique_by=lambda q: q.id))
    return {q.id: draw(values(q)) for q in chosen}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=shipped_answers(),
    updated=st.datetimes(
        dt.datetime(2026, 1, 5), dt.datetime(2027, 6, 1), timezones=st.just(dt.UTC)
    ),
)
def test_any_answers_to_the_shipped_bank(answers: dict[str, Any], updated: dt.datetime) -> None:
    interview = interview_with(answers, updated)
    assert brief_decisions(interview) == build_brief(interview).decisions


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("answers-*.yaml")))
def test_the_answers_files(name: str) -> None:
    interview = interview_with(read_answers(str(DATA / name)).value)
    decided = brief_decisions(interview)
    assert decided == build_brief(interview).decisions
    assert decided.kept  # the samples each make an agenda


@pytest.mark.parametrize("answers", AGENDA_ANSWERS, ids=repr)
def test_a_bank_with_strands_and_follow_ups(tmp_path: Path, answers: dict[str, Any]) -> None:
    interview = interview_for(tmp_path, answers)
    assert brief_decisions(interview) == build_brief(interview).decisions


def test_a_part_of_the_scope_without_room_is_a_flag(shipped_bank_path: Path) -> None:
    interview = sample_interview(shipped_bank_path, BOTH_TIGHT)
    decided = brief_decisions(interview)
    assert [f for f in decided.flags if f.startswith("no-room-")] == [
        "no-room-behaviour",
        "no-room-offerings",
    ]
    assert decided == build_brief(interview).decisions
