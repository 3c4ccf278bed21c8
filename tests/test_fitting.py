"""The fitting of modules into a session: a pure function, tested on its own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from csintake.brief.fitting import Slot, fit

PRIORITY = st.sampled_from(["core", "high", "normal", "low"])
STRAND = st.sampled_from([None, "behaviour", "offerings"])


@st.composite
def slot(draw: st.DrawFn) -> Slot:
    minutes = draw(st.integers(1, 400))
    short = draw(st.one_of(st.none(), st.integers(1, 400)))
    if short is not None and short >= minutes:
        short = None
    return Slot(minutes, draw(PRIORITY), draw(STRAND), short)


SLOTS = st.lists(slot(), max_size=12)
NEEDED = st.lists(st.sampled_from(["behaviour", "offerings", "other"]), max_size=3)


@given(SLOTS, st.integers(0, 1200), NEEDED)
def test_the_kept_total_never_exceeds_the_budget_beyond_the_core(
    slots: list[Slot], budget: int, needed: list[str]
) -> None:
    fitted = fit(slots, budget, needed)
    core = sum(s.minutes for s in slots if s.priority == "core")
    assert fitted.minutes(slots) <= max(budget, core)


@given(SLOTS, st.one_of(st.none(), st.integers(0, 1200)), NEEDED)
def test_core_modules_are_always_kept_in_full(
    slots: list[Slot], budget: int | None, needed: list[str]
) -> None:
    fitted = fit(slots, budget, needed)
    kept = dict(fitted.kept)
    for i, s in enumerate(slots):
        if s.priority == "core":
            assert kept.get(i) is False


@given(SLOTS, st.one_of(st.none(), st.integers(0, 1200)), NEEDED)
def test_every_module_is_kept_or_set_aside_exactly_once(
    slots: list[Slot], budget: int | None, needed: list[str]
) -> None:
    fitted = fit(slots, budget, needed)
    kept = [i for i, _ in fitted.kept]
    assert sorted(kept + fitted.set_aside) == list(range(len(slots)))
    assert kept == sorted(kept)


@given(SLOTS, st.integers(0, 1200), NEEDED)
def test_a_needed_strand_is_kept_or_reported(
    slots: list[Slot], budget: int, needed: list[str]
) -> None:
    fitted = fit(slots, budget, needed)
    kept_strands = {slots[i].strand for i, _ in fitted.kept}
    gaps = {strand for strand, _ in fitted.gaps}
    for strand in needed:
        assert (strand in kept_strands) != (strand in gaps)


def test_no_budget_keeps_everything_in_full() -> None:
    slots = [Slot(500, "low", "behaviour", 30), Slot(60, "core")]
    fitted = fit(slots, None, ["behaviour", "offerings"])
    assert fitted.kept == [(0, False), (1, False)]
    assert fitted.set_aside == []
    assert fitted.gaps == []


def test_each_needed_strand_gets_room_before_higher_priorities_of_another() -> None:
    core = Slot(120, "core")
    listening = Slot(90, "high", "behaviour")
    approach = Slot(45, "normal", "behaviour")
    journey = Slot(210, "high", "offerings", 90)
    feedback = Slot(90, "normal", "offerings", 45)
    slots = [core, listening, approach, journey, feedback]
    fitted = fit(slots, 210, ["behaviour", "offerings"])
    # Half a day: the core, then one module of each strand, the offerings one in short.
    assert fitted.kept == [(0, False), (2, False), (4, True)]
    assert fitted.minutes(slots) == 210
    assert fitted.gaps == []
    assert fitted.set_aside == [1, 3]


def test_a_short_variant_is_used_only_when_the_full_module_does_not_fit() -> None:
    slots = [Slot(120, "high", None, 60)]
    assert fit(slots, 150).kept == [(0, False)]
    assert fit(slots, 100).kept == [(0, True)]
    assert fit(slots, 50).set_aside == [0]


def test_a_strand_without_room_is_a_gap_with_the_minutes_it_would_take() -> None:
    slots = [Slot(120, "core"), Slot(90, "high", "behaviour", 60), Slot(45, "low", "offerings")]
    fitted = fit(slots, 150, ["behaviour", "offerings"])
    # 30 minutes beyond the core: offerings' 45 and behaviour's short 60 both miss.
    assert fitted.gaps == [("behaviour", 30), ("offerings", 15)]
    assert fitted.kept == [(0, False)]


def test_a_needed_strand_no_module_has_is_a_gap_without_minutes() -> None:
    fitted = fit([Slot(30, "core")], 200, ["offerings"])
    assert fitted.gaps == [("offerings", None)]
