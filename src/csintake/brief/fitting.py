"""Fitting modules into a session's minutes: a pure function of the modules and the budget.

The builder turns bank modules into :class:`Slot`s, fits them, and plans what is set aside
into follow-up sessions with the same rules. Nothing here reads a bank or a session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

RANK = {"core": 0, "high": 1, "normal": 2, "low": 3}


class Slot(NamedTuple):
    """What the fitting needs to know about one relevant module."""

    minutes: int
    priority: str
    strand: str | None = None
    short_minutes: int | None = None

    @property
    def least(self) -> int:
        """The fewest minutes this module can take (its short variant, if it has one)."""
        return min(self.minutes, self.short_minutes or self.minutes)


@dataclass(frozen=True)
class Fitted:
    """Kept slots (index, whether the short variant is used) in the given order, the
    set-aside indexes in the order they were considered, and the needed strands that got
    nothing (with the extra minutes their smallest module would need; 0 when none applies)."""

    kept: list[tuple[int, bool]] = field(default_factory=list)
    set_aside: list[int] = field(default_factory=list)
    gaps: list[tuple[str, int | None]] = field(default_factory=list)

    def minutes(self, slots: Sequence[Slot]) -> int:
        return sum(_taken(slots[i], short) for i, short in self.kept)


def _taken(slot: Slot, short: bool) -> int:
    return slot.short_minutes if short and slot.short_minutes else slot.minutes


def fit(slots: Sequence[Slot], budget: int | None, needed: Sequence[str] = ()) -> Fitted:
    """Fit ``slots`` (in bank order) into ``budget`` minutes.

    Core slots are always kept, in full. When the budget leaves room beyond the core, each
    strand in ``needed`` first gets its best-ranked slot that fits (full, else short),
    keeping room for the strands after it where it can. Then every other slot is taken by
    priority (high, normal, low; bank order within one): in full if it fits, else short if
    that fits, else set aside. No budget: everything is kept in full.
    """
    if budget is None:
        return Fitted(kept=[(i, False) for i in range(len(slots))])
    chosen: dict[int, bool] = {i: False for i, s in enumerate(slots) if s.priority == "core"}
    left = budget - sum(slots[i].minutes for i in chosen)
    ranked = sorted((i for i in range(len(slots)) if i not in chosen), key=_rank(slots))
    gaps: list[tuple[str, int | None]] = []
    wanted = [s for s in dict.fromkeys(needed) if not _covered(slots, chosen, s)]
    for n, strand in enumerate(wanted):
        options = [i for i in ranked if slots[i].strand == strand]
        if not options:
            gaps.append((strand, None))
            continue
        later = [
            min(slots[i].least for i in ranked if slots[i].strand == s)
            for s in wanted[n + 1 :]
            if any(slots[i].strand == s for i in ranked)
        ]
        # Keep room for the strands still to come, unless that leaves this one nothing.
        pick = _first_fit(slots, options, left - sum(later)) or _first_fit(slots, options, left)
        if pick is None:
            gaps.append((strand, min(slots[i].least for i in options) - max(left, 0)))
            continue
        index, short = pick
        chosen[index] = short
        left -= _taken(slots[index], short)
    set_aside: list[int] = []
    for i in ranked:
        if i in chosen:
            continue
        pick = _first_fit(slots, [i], left)
        if pick is None:
            set_aside.append(i)
            continue
        chosen[i] = pick[1]
        left -= _taken(slots[i], pick[1])
    return Fitted(kept=sorted(chosen.items()), set_aside=set_aside, gaps=gaps)


def _rank(slots: Sequence[Slot]) -> Callable[[int], tuple[int, int]]:
    return lambda i: (RANK.get(slots[i].priority, len(RANK)), i)


def _covered(slots: Sequence[Slot], chosen: dict[int, bool], strand: str) -> bool:
    return any(slots[i].strand == strand for i in chosen)


def _first_fit(slots: Sequence[Slot], options: Sequence[int], room: int) -> tuple[int, bool] | None:
    for i in options:
        slot = slots[i]
        if slot.minutes <= room:
            return i, False
        if slot.short_minutes is not None and slot.short_minutes <= room:
            return i, True
    return None
