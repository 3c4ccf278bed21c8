"""The brief as a proposal: the timed day, the delivery format, the cost, the decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from csintake.bank.model import Day
from csintake.brief import build_brief
from csintake.brief.proposal import (
    PROFILE_HINT,
    GroupFormat,
    estimate,
    group_format,
    timed_agenda,
)
from csintake.store.profile import Profile
from test_brief_render import BOTH_HALF_DAY, PROFILE, sample_interview

DAY = Day(start="09:00", break_after=90, break_minutes=15)
MODULES = [("Why", 30), ("Foundations", 60), ("Phone", 45), ("Action plan", 30)]


def slots(table: Any) -> list[tuple[str, str, str]]:
    return [(s.start, s.end, s.title) for s in table.slots]


# -------------------------------------------------------------------------- the timed day


def test_a_half_day_gets_one_break_after_about_90_minutes() -> None:
    table = timed_agenda(MODULES, "09:00", DAY, 210)
    assert slots(table) == [
        ("09:00", "09:30", "Why"),
        ("09:30", "10:30", "Foundations"),
        ("10:30", "10:45", "Break"),
        ("10:45", "11:30", "Phone"),
        ("11:30", "12:00", "Action plan"),
    ]
    assert (table.start, table.end, table.minutes, table.break_minutes) == (
        "09:00",
        "12:00",
        180,
        15,
    )


def test_the_start_time_moves_every_slot() -> None:
    table = timed_agenda(MODULES, "13:30", DAY, 210)
    assert table.slots[0].start == "13:30"
    assert table.slots[2].is_break
    assert table.slots[2].start == "15:00"
    assert table.end == "16:30"


def test_no_break_beyond_what_the_budget_kept_room_for() -> None:
    # 90 minutes hold no break, so two modules run straight on.
    table = timed_agenda([("A", 60), ("B", 30)], "09:00", DAY, 90)
    assert [s.is_break for s in table.slots] == [False, False]


def test_breaks_within_a_session() -> None:
    assert [DAY.breaks_within(m) for m in (60, 90, 105, 120, 210, 390)] == [0, 0, 0, 1, 1, 3]
    assert Day(break_after=None).breaks_within(390) == 0
    # Longer budgets are days of at most 390 minutes: three breaks a day, none overnight.
    assert [DAY.breaks_within(m) for m in (780, 1170, 1560)] == [6, 9, 12]


def test_a_plan_longer_than_a_day_starts_each_day_at_the_start_time() -> None:
    table = timed_agenda([("A", 30), ("B", 60), ("C", 210), ("D", 120)], "09:00", DAY, 780)
    assert [(table.time_of(s), s.title) for s in table.slots] == [
        ("Day 1, 09:00–09:30", "A"),
        ("Day 1, 09:30–10:30", "B"),
        ("Day 1, 10:30–10:45", "Break"),
        ("Day 1, 10:45–14:15", "C"),
        ("Day 2, 09:00–11:00", "D"),
    ]
    assert table.days == 2
    assert table.span == "2 days from 09:00"
    assert table.minutes == 435


@given(
    st.lists(st.integers(min_value=5, max_value=120), min_size=1, max_size=12),
    st.integers(min_value=30, max_value=1200),
)
def test_a_fitted_day_never_runs_past_its_budget(minutes: list[int], budget: int) -> None:
    # What the builder does: modules fitted to the budget less the breaks it holds.
    room = budget - DAY.breaks_within(budget) * DAY.break_minutes
    kept: list[int] = []
    for m in minutes:
        if sum(kept) + m <= room:
            kept.append(m)
    table = timed_agenda([(str(i), m) for i, m in enumerate(kept)], "09:00", DAY, budget)
    assert table.minutes <= budget
    if table.slots:
        assert not table.slots[0].is_break
        assert not table.slots[-1].is_break


def test_breaks_count_against_the_budget_when_modules_are_fitted(
    shipped_bank_path: Path,
) -> None:
    brief = build_brief(sample_interview(shipped_bank_path, BOTH_HALF_DAY))
    agenda = brief.agenda
    assert agenda.budget_minutes == 210
    assert agenda.break_minutes == 15
    assert agenda.total_minutes + agenda.break_minutes <= 210
    timetable = brief.proposal.timetable
    assert timetable is not None
    assert timetable.minutes <= 210
    assert [s.title for s in timetable.slots if not s.is_break] == [m.title for m in agenda.modules]
    assert any(s.is_break for s in timetable.slots)


# ---------------------------------------------------------------------- delivery format


def test_a_group_within_the_maximum_is_one_session() -> None:
    group = group_format(20, 25, True)
    assert (group.kind, group.sessions, group.facilitators) == ("single", 1, 1)
    assert group.text == "One session for all 20 participants."


def test_a_large_group_while_the_library_stays_open_gets_repeated_sessions() -> None:
    group = group_format(60, 25, True)
    assert (group.kind, group.sessions, group.facilitators) == ("repeated", 3, 1)
    assert group.text.startswith("3 repeated sessions of about 20 participants each")


def test_a_large_group_in_a_closed_library_works_in_breakout_groups() -> None:
    group = group_format(60, 25, False)
    assert (group.kind, group.sessions, group.groups, group.facilitators) == (
        "breakout",
        1,
        3,
        3,
    )
    assert "3 breakout groups of about 20 (at most 25), with 3 facilitators" in group.text


def test_unknown_participants_is_one_session_for_the_whole_group() -> None:
    assert group_format(None, 25, False).text == "One session for the whole group."


def test_format_agrees_across_agenda_cost_and_flags(shipped_bank_path: Path) -> None:
    for participants in (20, 60):
        for stays_open in (True, False):
            answers = BOTH_HALF_DAY | {"participants": participants, "stay_open": stays_open}
            brief = build_brief(sample_interview(shipped_bank_path, answers), profile=PROFILE)
            p = brief.proposal
            flags = {f.id: f.message for f in brief.risks}
            fee = p.cost.lines[0].label
            if p.group.kind == "repeated":
                assert "repeated sessions of at most 25" in flags["large-group"]
                assert "large-group-breakout" not in flags
                assert fee.startswith(f"{p.group.sessions} sessions ")
            elif p.group.kind == "breakout":
                assert "breakout groups of at most 25" in flags["large-group-breakout"]
                assert "large-group" not in flags
                assert fee.startswith("1 session ")
                extra = p.group.facilitators - 1
                assert p.cost.lines[1].label.startswith(f"{extra} extra facilitators")
            else:
                assert not {"large-group", "large-group-breakout"} & set(flags)
                assert fee.startswith("1 session ")
            assert (participants > 25) == (p.group.kind != "single")
            assert (p.group.kind == "repeated") == (participants > 25 and stays_open)


# -------------------------------------------------------------------------------- cost


def breakout() -> GroupFormat:
    return group_format(60, 25, False)


def test_without_a_profile_the_cost_says_how_to_add_one_and_shows_no_fee() -> None:
    cost = estimate(None, breakout(), 180, False)
    assert cost.lines == ()
    assert cost.total is None
    assert cost.missing == PROFILE_HINT
    assert "csintake profile set" in PROFILE_HINT
    assert not any(ch.isdigit() for ch in PROFILE_HINT.replace("210 1800", ""))
    # The library's own costs are facts from the answers, not fees: they are still shown.
    assert cost.library == (
        (
            "Paid staff time: 60 participants for 3 hours each, 180 hours of staff time at the"
            " session."
        ),
        "Closing the library for about 3 hours, and telling the public.",
    )


def test_the_fee_from_the_profile_for_the_planned_sessions() -> None:
    cost = estimate(PROFILE, breakout(), 180, False)
    assert [(c.label, c.shown) for c in cost.lines] == [
        ("1 session of up to 210 minutes at USD 1,800", "USD 1,800"),
        ("2 extra facilitators at USD 600", "USD 1,200"),
        ("Travel, 1 session at USD 120", "USD 120"),
    ]
    assert cost.total == "USD 3,120"
    assert cost.missing is None


def test_repeated_sessions_are_each_paid() -> None:
    cost = estimate(PROFILE, group_format(60, 25, True), 180, True)
    assert cost.lines[0].shown == "USD 5,400"
    assert cost.total == "USD 5,760"
    assert cost.library[1] == (
        "Desk cover while each group is in its session; the library stays open."
    )


def test_no_rate_for_the_session_length_means_no_fee() -> None:
    cost = estimate(Profile(rates={90: 750}), breakout(), 180, False)
    assert cost.total is None
    assert cost.lines == ()
    assert cost.missing is not None
    assert "csintake profile set rates.180 AMOUNT" in cost.missing


def test_extra_facilitators_without_a_rate_mean_no_total() -> None:
    cost = estimate(Profile(rates={210: 1800}), breakout(), 180, False)
    assert cost.total is None
    assert cost.missing is not None
    assert "extra_facilitator" in cost.missing


def test_the_client_is_asked_to_approve_the_fee_only_when_there_is_one(
    shipped_bank_path: Path,
) -> None:
    interview = sample_interview(shipped_bank_path, BOTH_HALF_DAY)
    priced = build_brief(interview, profile=PROFILE).proposal.to_decide
    unpriced = build_brief(interview).proposal.to_decide
    assert "Approve the consultant's fee of USD 3,120." in priced
    assert not any("fee" in ask for ask in unpriced)


# ---------------------------------------------------------- decisions, problem, assumptions


def test_decisions_are_listed_apart_with_their_owners(shipped_bank_path: Path) -> None:
    brief = build_brief(sample_interview(shipped_bank_path, BOTH_HALF_DAY))
    decisions = brief.proposal.decisions
    assert [(d.id, d.owner) for d in decisions] == [
        ("maybe-not-training", "Library director"),
        ("policy-owner-not-involved", "Library board"),
    ]
    assert {f.id for f in brief.flags} >= {d.id for d in decisions}
    assert not {f.id for f in brief.risks} & {d.id for d in decisions}


def test_what_you_told_us_leaves_out_what_was_not_answered(shipped_bank_path: Path) -> None:
    full = build_brief(sample_interview(shipped_bank_path, BOTH_HALF_DAY)).proposal
    assert full.problem == (
        (
            "Why now: Two complaints to the board this spring about unfriendly service at the main"
            " desk. The new director wants a fresh start."
        ),
        (
            "One situation that shows it: A patron shouted at a page at the Westside desk; she"
            " left in tears."
        ),
        "The plan goal it serves: Goal 2: a welcoming library with excellent service",
    )
    answers = {k: v for k, v in BOTH_HALF_DAY.items() if k != "recent_incidents"}
    short = build_brief(sample_interview(shipped_bank_path, answers)).proposal
    assert len(short.problem) == 2
    assert not any("situation" in p for p in short.problem)
    assert full.prepared_for == "Jane Doe, Director (sponsor); the board (decision)"


def test_prepared_by_the_profile_else_the_sessions_consultant(shipped_bank_path: Path) -> None:
    interview = sample_interview(shipped_bank_path, BOTH_HALF_DAY)
    with_profile = build_brief(interview, profile=PROFILE).proposal.prepared_by
    assert with_profile == "Dana Reyes, Reyes Library Consulting"
    assert build_brief(interview).proposal.prepared_by == "Dana Reyes"


def test_assumptions_and_approvals_follow_the_answers(shipped_bank_path: Path) -> None:
    union = build_brief(sample_interview(shipped_bank_path, BOTH_HALF_DAY)).proposal
    assert (
        "The union is consulted on paid training time before staff are told about it."
        in union.assumptions
    )
    assert any("union" in a for a in union.approvals)
    answers = BOTH_HALF_DAY | {
        "unionised": False,
        "accessibility_needs": "Spanish interpretation",
    }
    other = build_brief(sample_interview(shipped_bank_path, answers)).proposal
    assert not any("union" in a for a in other.assumptions + other.approvals)
    assert "Sessions are given in English." not in other.assumptions
    assert any("Spanish interpretation" in a for a in other.assumptions)
