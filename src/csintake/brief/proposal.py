"""The brief as a proposal: what you told us, the timed day, one delivery format for the
group, the cost, what training won't fix, assumptions and who approves what.

Plain data computed from the answers, the bank's ``brief:`` keys and the consultant's profile;
no terminal or file code. Nothing here makes up a number: a fee needs a rate in the profile.
Its parts are named tuples with evaluated annotations, as :mod:`csintake.brief.builder` says.
"""

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from csintake.bank.conditions import placeholders
from csintake.bank.model import Day, Statement
from csintake.brief.words import Words, lower_first

if TYPE_CHECKING:
    from csintake.interview.engine import Interview
    from csintake.store.profile import Profile

FormatKind = Literal["single", "repeated", "breakout"]


class AgendaModule(Protocol):
    """What the timetable needs of a kept module (the builder's ``AgendaModule``), named here
    so that the builder can use this module without the two importing each other."""

    @property
    def title(self) -> str: ...

    @property
    def minutes(self) -> int: ...


PROFILE_HINT = (
    "No consultant profile yet, so no fee is shown. Add your rates with"
    " `csintake profile set rates.MINUTES AMOUNT` (e.g. rates.210 1800), and"
    " `csintake profile set name NAME`."
)


class Slot(NamedTuple):
    """One line of the timed agenda: a module or a break, with its clock times."""

    start: str
    end: str
    title: str
    minutes: int
    is_break: bool = False
    day: int = 1


class Timetable(NamedTuple):
    start: str
    end: str
    slots: tuple[Slot, ...]

    @property
    def days(self) -> int:
        return max((s.day for s in self.slots), default=1)

    def time_of(self, slot: Slot) -> str:
        """``09:00–10:30``, with ``Day 2, `` in front when the plan spans several days."""
        span = f"{slot.start}–{slot.end}"
        return f"Day {slot.day}, {span}" if self.days > 1 else span

    @property
    def span(self) -> str:
        """``09:00–12:00``, or ``4 days from 09:00``."""
        return (
            f"{self.start}–{self.end}" if self.days == 1 else f"{self.days} days from {self.start}"
        )

    @property
    def minutes(self) -> int:
        """From start to end, breaks included."""
        return sum(s.minutes for s in self.slots)

    @property
    def break_minutes(self) -> int:
        return sum(s.minutes for s in self.slots if s.is_break)


class GroupFormat(NamedTuple):
    """How the whole group is taught: one session, repeated sessions, or breakout groups."""

    kind: FormatKind
    participants: int | None
    group_max: int | None
    sessions: int
    groups: int
    facilitators: int
    text: str


class CostLine(NamedTuple):
    label: str
    amount: float
    shown: str


class Cost(NamedTuple):
    """The consultant's fee (None without a profile or a rate) and the library's own costs."""

    lines: tuple[CostLine, ...]
    total: str | None
    missing: str | None
    library: tuple[str, ...]


class Decision(NamedTuple):
    """Something the outcome depends on that training will not fix, and who owns it."""

    id: str
    message: str
    owner: str


class Proposal(NamedTuple):
    problem: tuple[str, ...]
    prepared_for: str | None
    prepared_by: str | None
    to_decide: tuple[str, ...]
    timetable: Timetable | None
    group: GroupFormat
    cost: Cost
    decisions: tuple[Decision, ...]
    assumptions: tuple[str, ...]
    approvals: tuple[str, ...]

    @property
    def decision_ids(self) -> frozenset[str]:
        return frozenset(d.id for d in self.decisions)


# ------------------------------------------------------------------------------ building


def build_proposal(
    interview: "Interview",
    kept: Sequence[AgendaModule],
    budget: int | None,
    *,
    profile: "Profile | None" = None,
    start: str | None = None,
    consultant: str | None = None,
    client: bool = False,
) -> Proposal:
    """The proposal's parts for ``interview`` with the ``kept`` modules of its agenda.

    For the ``client``, a paragraph or statement that names a sensitive answer is left out
    and answers read in client words; internal flags make no decision."""
    spec = interview.bank.brief
    words = Words(interview, client=client)
    timetable = None
    if spec.day is not None or start is not None:
        day = spec.day or Day()
        timetable = timed_agenda(
            [(m.title, m.minutes) for m in kept], start or day.start, day, budget
        )
    group = group_format(
        _int_answer(interview, spec.participants),
        spec.group_max,
        _answer(interview, spec.stays_open),
    )
    length = timetable.minutes if timetable else sum(m.minutes for m in kept)
    cost = estimate(profile, group, length, _answer(interview, spec.stays_open))
    decisions = _decisions(words)
    # The profile names who prepares briefs; without one, the session's consultant.
    prepared_by = consultant
    if profile is not None and profile.name:
        prepared_by = profile.name + (f", {profile.organisation}" if profile.organisation else "")
    return Proposal(
        problem=tuple(words.line(t) for t in spec.problem if _shown(words, t)),
        prepared_for=interview.show(spec.sponsor) if spec.sponsor else None,
        prepared_by=prepared_by,
        to_decide=to_decide(group, cost, decisions),
        timetable=timetable,
        group=group,
        cost=cost,
        decisions=decisions,
        assumptions=_statements(words, spec.assumptions),
        approvals=_statements(words, spec.approvals),
    )


def timed_agenda(
    modules: Sequence[tuple[str, int]], start: str, day: Day, budget: int | None
) -> Timetable:
    """Modules from ``start`` with a break before a module that would run a stretch past
    ``break_after`` minutes, never at the end, and no more breaks than the budget kept room
    for (the fitting reserved ``day.breaks_within(budget)`` of them). A module that would run
    the day past ``day.length`` starts the next day at ``start``."""
    allowed = day.breaks_within(budget) if budget is not None else len(modules)
    first = clock = _minutes(start)
    slots: list[Slot] = []
    run = 0
    today = 1
    for title, minutes in modules:
        pause = (
            day.break_after is not None
            and run > 0
            and run + minutes > day.break_after
            and sum(s.is_break for s in slots) < allowed
        )
        if slots and clock - first + (day.break_minutes if pause else 0) + minutes > day.length:
            # The day is full: the next module starts the next day, at the same time.
            today, clock, run, pause = today + 1, first, 0, False
        if pause:
            end = clock + day.break_minutes
            slots.append(Slot(_clock(clock), _clock(end), "Break", day.break_minutes, True, today))
            clock, run = end, 0
        slots.append(Slot(_clock(clock), _clock(clock + minutes), title, minutes, False, today))
        clock += minutes
        run += minutes
    return Timetable(start, _clock(clock), tuple(slots))


def group_format(participants: int | None, group_max: int | None, stays_open: Any) -> GroupFormat:
    """One format for the group: beyond ``group_max`` participants, repeated sessions when the
    library stays open, otherwise one session in breakout groups with a facilitator each."""
    if participants is None or group_max is None or participants <= group_max:
        who = f"all {participants} participants" if participants else "the whole group"
        return GroupFormat("single", participants, group_max, 1, 1, 1, f"One session for {who}.")
    groups = math.ceil(participants / group_max)
    size = math.ceil(participants / groups)
    if stays_open is True:
        text = (
            f"{groups} repeated sessions of about {size} participants each (at most"
            f" {group_max}), so that the library stays open while staff take turns."
        )
        return GroupFormat("repeated", participants, group_max, groups, 1, 1, text)
    text = (
        f"One session for all {participants} participants, working in {groups} breakout"
        f" groups of about {size} (at most {group_max}), with {groups} facilitators."
    )
    return GroupFormat("breakout", participants, group_max, 1, groups, groups, text)


def estimate(profile: "Profile | None", group: GroupFormat, minutes: int, stays_open: Any) -> Cost:
    """The fee from the profile's rates for the planned sessions, and the library's costs."""
    library = _library_costs(group, minutes, stays_open)
    if profile is None:
        return Cost((), None, PROFILE_HINT, library)
    found = profile.rate_for(minutes)
    if found is None:
        return Cost(
            (),
            None,
            f"The profile has no rate for a session of {minutes} minutes, so no fee is shown."
            f" Add one with `csintake profile set rates.{minutes} AMOUNT`.",
            library,
        )
    length, rate = found
    n = group.sessions
    sessions = "1 session" if n == 1 else f"{n} sessions"
    lines = [_line(profile, f"{sessions} of up to {length} minutes", n, rate)]
    extra = n * (group.facilitators - 1)
    if extra:
        if profile.extra_facilitator is None:
            return Cost(
                tuple(lines),
                None,
                f"The format needs {extra} extra facilitators and the profile has no rate"
                " for one, so no total is shown. Add it with"
                " `csintake profile set extra_facilitator AMOUNT`.",
                library,
            )
        label = f"{extra} extra facilitator{'s' if extra > 1 else ''}"
        lines.append(_line(profile, label, extra, profile.extra_facilitator))
    if profile.travel:
        lines.append(_line(profile, f"Travel, {sessions}", n, profile.travel))
    return Cost(tuple(lines), profile.money(sum(c.amount for c in lines)), None, library)


def to_decide(group: GroupFormat, cost: Cost, decisions: Sequence[Decision]) -> tuple[str, ...]:
    """What the client is asked to decide, in the order the brief presents it."""
    asks = ["Approve the scope and the agenda below."]
    if group.kind != "single":
        asks.append(f"Agree the delivery format: {lower_first(group.text)}")
    if cost.total is not None:
        asks.append(f"Approve the consultant's fee of {cost.total}.")
    if cost.library:
        asks.append("Agree the library's own costs (staff time, closing) listed under Cost.")
    if decisions:
        which = "the decision" if len(decisions) == 1 else f"the {len(decisions)} decisions"
        asks.append(f'Decide who takes on {which} under "What training won\'t fix", and by when.')
    return tuple(asks)


# ------------------------------------------------------------------------------ helpers


def _line(profile: "Profile", label: str, count: int, each: float) -> CostLine:
    """``label at EACH``, for ``count`` of them."""
    return CostLine(f"{label} at {profile.money(each)}", count * each, profile.money(count * each))


def _library_costs(group: GroupFormat, minutes: int, stays_open: Any) -> tuple[str, ...]:
    hours = _hours(minutes)
    found: list[str] = []
    if group.participants:
        staff = _hours(group.participants * minutes)
        found.append(
            f"Paid staff time: {group.participants} participants for {hours} each, {staff} of"
            " staff time at the session."
        )
    if stays_open is True and group.kind != "single":
        found.append("Desk cover while each group is in its session; the library stays open.")
    elif stays_open is True:
        found.append("Desk cover for the staff in the session; the library stays open.")
    elif stays_open is False:
        times = "" if group.sessions == 1 else f", {group.sessions} times"
        found.append(f"Closing the library for about {hours}{times}, and telling the public.")
    return tuple(found)


def _hours(minutes: int) -> str:
    text = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return f"{text} hour" + ("" if text == "1" else "s")


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _answer(interview: "Interview", qid: str | None) -> Any:
    return interview.answers.get(qid) if qid else None


def _int_answer(interview: "Interview", qid: str | None) -> int | None:
    value = _answer(interview, qid)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _shown(words: Words, text: str) -> bool:
    """A paragraph is shown only when every question it names has an answer, and in a client
    brief only when none of them is sensitive (the incident stays with the consultant)."""
    for name, _ in placeholders(text):
        if name not in words.interview.answers:
            return False
        q = words.question(name)
        if words.client and q is not None and q.sensitive:
            return False
    return True


def _holds(interview: "Interview", when: str | None) -> bool:
    return when is None or interview.loaded.condition(when).explain(interview.answers)[0]


def _statements(words: Words, statements: Sequence[Statement]) -> tuple[str, ...]:
    return tuple(
        words.line(s.text)
        for s in statements
        if _holds(words.interview, s.when) and _shown(words, s.text)
    )


def _decisions(words: Words) -> tuple[Decision, ...]:
    interview = words.interview
    return tuple(
        Decision(
            "" if words.client else f.id,
            words.line(f.message),
            words.line(f.owner) if f.owner else "not named yet",
        )
        for f in interview.bank.brief.flags
        if f.kind == "decision"
        and _holds(interview, f.when)
        and not (words.client and f.audience == "internal")
    )
