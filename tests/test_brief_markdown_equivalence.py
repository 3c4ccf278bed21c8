"""The shipped Markdown brief is the same document as ``brief.md.j2`` rendered by Jinja2.

``csintake brief --format markdown`` writes the shipped brief without Jinja2; consultants copy
``brief.md.j2`` to start their own template, so the two must agree to the byte for every
brief: both audiences, every scope, drafts, empty sections, notes, flags, follow-up sessions,
prices, a start time, and answers full of Markdown and control characters.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csintake.bank.catalog import shipped_dir
from csintake.bank.loader import LoadedBank, load_bank
from csintake.brief import Brief, build_brief
from csintake.brief import markdown as markdown_brief
from csintake.brief.builder import AUDIENCES, Audience
from csintake.interview.engine import Interview
from csintake.interview.intake import bank_ref, read_answers
from csintake.store.profile import Profile
from csintake.store.session import Session
from test_brief_agenda import interview_for
from test_brief_render import (
    BOTH_HALF_DAY,
    CREATED,
    DATE,
    INJECTIONS,
    PROFILE,
    SAMPLES,
    UPDATED,
    hostile_brief,
    noted_sample,
    sample_interview,
)

DATA = Path(__file__).parent / "data"
ANSWER_FILES = sorted(p.name for p in DATA.glob("answers-*.yaml"))
# A profile with no rate for the planned session: the cost says what is missing.
UNPRICED = Profile(name="Dana Reyes", currency="EUR", rates={45: 300})
# Markdown of every kind, controls (ESC, CR, a lone CR, tabs, NUL, C1, bidirectional
# overrides), Unicode line separators (which Jinja2's indent splits on), leading spaces and
# list markers on later lines, and one very long line.
HOSTILE = "\n".join(
    [
        *INJECTIONS,
        "  ---\r\n===\r+ plus\t\ttab",
        "2) second\x00\x85\u202eevil\u2066",
        "line\u2028separated\u2029paragraph",
        "    indented code ``` ~~~ $x$ &amp; \\",
        "[link](http://example.com) ![img](x.png) <http://example.com>",
        "",
        "   ",
        "word " * 300,
    ]
)
TEXT_QUESTIONS = ("library_name", "tried_already", "cost_of_inaction", "fast_fix", "sponsor")


def assert_same(brief: Brief) -> None:
    assert markdown_brief.render(brief) == markdown_brief.render_shipped_template(brief)


@functools.cache
def shipped_bank() -> LoadedBank:
    return load_bank(shipped_dir() / "library-customer-service.yaml")


def interview_of(*, client: str = "Ames Public Library") -> Interview:
    session = Session(
        id="ames-public-library-2026-11-28",
        bank=bank_ref(shipped_bank()),
        client=client,
        consultant="Dana Reyes",
        created=CREATED,
        updated=UPDATED,
    )
    return Interview(shipped_bank(), session)


def from_file(name: str, *, finished: bool = True, keep: int | None = None) -> Interview:
    answers: dict[str, Any] = read_answers(str(DATA / name)).value
    if keep is not None:
        answers = dict(list(answers.items())[:keep])
    interview = interview_of()
    assert interview.apply(answers, "file") == []
    interview.apply_defaults()
    if finished and not interview.missing():
        interview.finish()
    interview.session.updated = UPDATED
    return interview


# ---------------------------------------------------------------------- the samples


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_golden_samples(shipped_bank_path: Path, name: str, audience: Audience) -> None:
    interview = noted_sample(shipped_bank_path, name)
    for profile in (None, PROFILE, UNPRICED):
        assert_same(build_brief(interview, date=DATE, profile=profile, audience=audience))


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("name", ANSWER_FILES)
def test_the_answers_files(name: str, audience: Audience) -> None:
    interview = from_file(name)
    for profile in (None, PROFILE):
        for start in (None, "13:30", "08:05"):
            brief = build_brief(
                interview, date=DATE, profile=profile, start=start, audience=audience
            )
            assert_same(brief)


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("keep", [0, 1, 3, 8, 20])
def test_an_intake_in_progress(keep: int, audience: Audience) -> None:
    interview = from_file("answers-both.yaml", finished=False, keep=keep)
    brief = build_brief(interview, date=DATE, audience=audience)
    assert brief.draft
    assert_same(brief)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_decisions_states_and_notes_everywhere(shipped_bank_path: Path, audience: Audience) -> None:
    interview = sample_interview(
        shipped_bank_path,
        BOTH_HALF_DAY | {"wellbeing_support": "none", "fast_fix": "Print the rules"},
    )
    interview.note("Union steward is wary", "unionised")
    interview.note("Ask the finance officer\nbefore Friday", "budget_band")
    interview.note("Said it twice", "library_name")
    interview.park("budget_band")
    interview.skip("tried_already")
    interview.mark("declined", "plan_goals")
    interview.session.states["cost_of_inaction"] = "dont_know"
    interview.session.updated = UPDATED
    brief = build_brief(interview, date=DATE, profile=PROFILE, start="10:00", audience=audience)
    assert brief.proposal.decisions
    assert brief.open_questions
    assert_same(brief)


# ------------------------------------------------------------------------ other banks

AGENDA_ANSWERS: list[dict[str, Any]] = [
    {},
    {"meaning": "unsure"},
    {"meaning": "offerings"},
    {"meaning": "behavior", "minutes": 60},
    {"meaning": "both", "minutes": 90, "phone": True},
    {"meaning": "both", "minutes": 1000, "email": True, "phone": False},
]


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("answers", AGENDA_ANSWERS, ids=repr)
def test_a_bank_of_its_own(tmp_path: Path, answers: dict[str, Any], audience: Audience) -> None:
    interview = interview_for(tmp_path, answers)
    for start in (None, "23:30"):
        assert_same(build_brief(interview, date=DATE, start=start, audience=audience))


# ----------------------------------------------------------------------- hostile text


def test_the_hostile_sample(shipped_bank_path: Path) -> None:
    assert_same(hostile_brief(shipped_bank_path))


def hostile_interview(text: str) -> tuple[Interview, list[tuple[str, str]]]:
    """``text`` in every free-text answer (on one line where the question wants one), every
    note, the client's and the consultant's names; and the answers refused, if any."""
    line = re.sub(r"[\r\n]+", " ", text)[:120]
    answers: dict[str, Any] = dict.fromkeys(TEXT_QUESTIONS, line)
    answers |= dict.fromkeys(("prompted_by", "recent_incidents", "mission_vision"), text[:4000])
    interview = interview_of(client=text)
    refused = interview.apply(BOTH_HALF_DAY | answers, "file")
    interview.apply_defaults()
    for qid in ("cs_meaning", "library_name", "budget_band", "unionised"):
        interview.note(text, qid)
    interview.park("budget_band")
    interview.park("sponsor")
    interview.session.consultant = text
    interview.session.updated = UPDATED
    return interview, refused


@pytest.mark.parametrize("audience", AUDIENCES)
def test_hostile_answers_notes_and_names(audience: Audience) -> None:
    interview, refused = hostile_interview(HOSTILE)
    assert refused == []
    brief = build_brief(interview, date=DATE, profile=PROFILE, audience=audience)
    text = markdown_brief.render(brief)
    assert "\x1b" not in text
    assert "\\x1b\\[31mred" in text
    if audience == "internal":
        # Under an open question, the template's indent breaks a note's line at U+2028 too.
        assert "line\n    separated\n    paragraph" in text
    assert_same(brief)


_HOSTILE_CHARS = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Z", "Cc", "Cf"),
    include_characters="\n\r\t\u2028\u2029\x85 *_#|<>[]`\\-+=.)&$~",
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(_HOSTILE_CHARS, min_size=1, max_size=80),
    audience=st.sampled_from(AUDIENCES),
    start=st.sampled_from([None, "09:00", "14:45"]),
)
def test_any_text_anywhere(text: str, audience: Audience, start: str | None) -> None:
    interview, _ = hostile_interview(text)
    assert_same(build_brief(interview, date=DATE, start=start, audience=audience))


# ------------------------------------------------------------------ its own template


def test_a_consultants_template_still_goes_through_jinja2(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("{{ brief.client | upper | md_cell }}{% for m in meta %}!{% endfor %}\n")
    brief = build_brief(from_file("answers-both.yaml"), date=DATE)
    assert markdown_brief.render(brief, template) == "AMES PUBLIC LIBRARY!!!!!"


_NO_JINJA = textwrap.dedent(
    """
    import datetime, sys
    from csintake.bank.catalog import shipped_dir
    from csintake.bank.loader import load_bank
    from csintake.brief import build_brief
    from csintake.brief import markdown
    from csintake.interview.engine import Interview
    from csintake.interview.intake import bank_ref, read_answers
    from csintake.store.session import Session

    bank = load_bank(shipped_dir() / "library-customer-service.yaml")
    session = Session(id="s", bank=bank_ref(bank), client="Ames")
    interview = Interview(bank, session)
    interview.apply(read_answers(sys.argv[1]).value, "file")
    text = markdown.render(build_brief(interview, date=datetime.date(2026, 11, 28)))
    assert text.startswith("# "), text
    assert "jinja2" not in sys.modules, "jinja2 was imported"
    print("ok")
    """
)


def test_the_shipped_brief_does_not_import_jinja2() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _NO_JINJA, str(DATA / "answers-both.yaml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"
