"""The bank format (``csintake/bank@1``) as immutable pydantic models.

These models describe shape only. Cross-references (conditions, placeholders, the time budget)
are checked in :mod:`csintake.bank.checker`, which also reports every problem with its position.

The annotations are evaluated as the module runs (no ``from __future__ import annotations``):
pydantic would otherwise evaluate each one from its text when the classes are made.
"""

import datetime as dt
from collections.abc import Iterator
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

BANK_FORMAT = "csintake/bank@1"

BankId = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
ItemId = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
ModuleId = Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Text = Annotated[StrictStr, Field(min_length=1)]


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("must be an ISO date, YYYY-MM-DD") from None
    return value


def _version_text(value: Any) -> Any:
    # `version: 1.0` arrives as a float; a version is text whatever it looks like.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class Choice(_Model):
    value: StrictStr | StrictInt
    label: StrictStr | None = None
    help: StrictStr | None = None
    # In a multi_choice: this choice cannot be ticked together with any other ("None yet").
    exclusive: bool = False

    @property
    def shown(self) -> str:
        """What a person sees for this choice."""
        return self.label if self.label is not None else str(self.value)


class _Question(_Model):
    id: ItemId
    prompt: Text
    # A short name for people ("Greeting"): the review, reasons in words, follow-up messages.
    label: Text | None = None
    # An answer that stays out of a client brief and a follow-up message (incident details).
    sensitive: bool = False
    help: StrictStr | None = None
    required: bool = True
    default: Any = None
    when: StrictStr | None = None


class TextQuestion(_Question):
    type: Literal["text"]
    min_length: Annotated[StrictInt, Field(ge=0)] | None = None
    max_length: Annotated[StrictInt, Field(ge=1)] | None = None
    pattern: StrictStr | None = None
    pattern_message: StrictStr | None = None


class LongTextQuestion(_Question):
    type: Literal["long_text"]
    min_length: Annotated[StrictInt, Field(ge=0)] | None = None
    max_length: Annotated[StrictInt, Field(ge=1)] | None = None


class ChoiceQuestion(_Question):
    type: Literal["choice"]
    choices: Annotated[list[Choice], Field(min_length=1)]


class MultiChoiceQuestion(_Question):
    type: Literal["multi_choice"]
    choices: Annotated[list[Choice], Field(min_length=1)]
    min_selected: Annotated[StrictInt, Field(ge=0)] | None = None
    max_selected: Annotated[StrictInt, Field(ge=1)] | None = None


class YesNoQuestion(_Question):
    type: Literal["yes_no"]


class IntegerQuestion(_Question):
    type: Literal["integer"]
    min: StrictInt | None = None
    max: StrictInt | None = None


class NumberQuestion(_Question):
    type: Literal["number"]
    min: float | None = None
    max: float | None = None


class ScaleQuestion(_Question):
    type: Literal["scale"]
    min: StrictInt
    max: StrictInt
    labels: dict[StrictInt, StrictStr] = Field(default_factory=dict)


DatePrecision = Literal["day", "month", "year"]


class DateQuestion(_Question):
    type: Literal["date"]
    # How exact an answer must be at least: "month" also takes 2023-06, "year" also 2023.
    precision: DatePrecision = "day"
    min: IsoDate | None = None
    max: IsoDate | None = None


AnyQuestion = (
    TextQuestion
    | LongTextQuestion
    | ChoiceQuestion
    | MultiChoiceQuestion
    | YesNoQuestion
    | IntegerQuestion
    | NumberQuestion
    | ScaleQuestion
    | DateQuestion
)
"""Every question type: the one list, which everything that depends on the type dispatches
over with an exhaustiveness check (``match`` ending in ``assert_never``)."""
Question = Annotated[AnyQuestion, Field(discriminator="type")]
"""A question as read from a bank, told apart by its ``type``."""
QuestionType = Literal[
    "text",
    "long_text",
    "choice",
    "multi_choice",
    "yes_no",
    "integer",
    "number",
    "scale",
    "date",
]
QUESTION_TYPES: tuple[QuestionType, ...] = get_args(QuestionType)


class Section(_Model):
    id: ItemId
    title: Text
    intro: StrictStr | None = None
    when: StrictStr | None = None
    questions: list[Question] = Field(default_factory=list)


ModulePriority = Literal["core", "high", "normal", "low"]


class ShortVariant(_Model):
    """A shorter version of a module, used when the full one does not fit."""

    minutes: Annotated[StrictInt, Field(gt=0)]
    summary: StrictStr | None = None


class PriorityRule(_Model):
    """``priority`` replaces the module's own when ``when`` holds (first match wins)."""

    when: StrictStr
    priority: Literal["high", "normal", "low"]


class Module(_Model):
    id: ModuleId
    title: Text
    summary: StrictStr | None = None
    minutes: Annotated[StrictInt, Field(gt=0)]
    priority: ModulePriority = "normal"
    when: StrictStr | None = None
    strand: ItemId | None = None
    short: ShortVariant | None = None
    priority_when: list[PriorityRule] = Field(default_factory=list)
    objectives: list[Text] = Field(default_factory=list)
    # Why the module is there, in words to the client; {id} placeholders allowed.
    reason: Text | None = None


FlagKind = Literal["risk", "decision"]


class Flag(_Model):
    id: ModuleId
    level: Literal["info", "warning", "blocker"]
    when: StrictStr
    message: Text
    # "decision": something training will not fix, listed apart with who owns it.
    kind: FlagKind = "risk"
    owner: Text | None = None
    reason: Text | None = None
    # An internal flag (about the client's staff, say) never reaches a client brief.
    audience: Literal["internal", "client"] = "client"


ClockTime = Annotated[StrictStr, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class Day(_Model):
    """How a session day runs: when it starts, and a break after so many minutes of work."""

    start: ClockTime = "09:00"
    break_after: Annotated[StrictInt, Field(gt=0)] | None = None
    break_minutes: Annotated[StrictInt, Field(gt=0)] = 15
    # The longest training day, breaks included: a longer budget is spread over days.
    length: Annotated[StrictInt, Field(gt=0)] = 390

    def breaks_within(self, minutes: int) -> int:
        """How many breaks ``minutes`` in all hold, in days of at most ``length``: each break
        follows a full stretch of ``break_after`` minutes of work, never at a day's end."""
        if self.break_after is None or minutes <= 0:
            return 0
        days, rest = divmod(minutes, self.length)
        return days * self._breaks_in_one(self.length) + self._breaks_in_one(rest)

    def _breaks_in_one(self, minutes: int) -> int:
        if self.break_after is None or minutes <= 0:
            return 0
        return (minutes - 1) // (self.break_after + self.break_minutes)


class Statement(_Model):
    """A sentence of the brief (an assumption, an approval) shown when ``when`` holds."""

    text: Text
    when: StrictStr | None = None


class Evaluation(_Model):
    """One step of the evaluation plan, shown when ``when`` holds (no ``when``: always)."""

    level: Text
    timing: Text
    measure: Text
    when: StrictStr | None = None


class BriefSpec(_Model):
    title: StrictStr = "Training brief"
    scope: ItemId | None = None
    time_budget: ItemId | None = None
    # Strand name -> the condition under which the scope needs it.
    strands: dict[ItemId, StrictStr] = Field(default_factory=dict)
    follow_up_sessions: Annotated[StrictInt, Field(ge=0, le=10)] = 1
    modules: list[Module] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    # The brief as a proposal: what you told us, the day, the group, assumptions, approvals.
    problem: list[Text] = Field(default_factory=list)
    sponsor: ItemId | None = None
    participants: ItemId | None = None
    stays_open: ItemId | None = None
    day: Day | None = None
    group_max: Annotated[StrictInt, Field(gt=0)] | None = None
    assumptions: list[Statement] = Field(default_factory=list)
    approvals: list[Statement] = Field(default_factory=list)
    evaluation: list[Evaluation] = Field(default_factory=list)


ChoiceValue = StrictStr | StrictInt


class Migration(_Model):
    """How answers recorded on an earlier version of this bank map to this one."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    from_: Annotated[StrictStr, BeforeValidator(_version_text), Field(alias="from", min_length=1)]
    # Old question id -> the id it has now.
    rename: dict[StrictStr, ItemId] = Field(default_factory=dict)
    # Question id (as it is now) -> old choice value -> the value it has now.
    values: dict[ItemId, dict[ChoiceValue, ChoiceValue]] = Field(default_factory=dict)


class Bank(_Model):
    format: Literal["csintake/bank@1"]
    id: BankId
    version: Annotated[StrictStr, BeforeValidator(_version_text), Field(min_length=1)]
    title: Text
    description: StrictStr | None = None
    sections: Annotated[list[Section], Field(min_length=1)]
    brief: BriefSpec = Field(default_factory=BriefSpec)
    migrations: list[Migration] = Field(default_factory=list)

    @cached_property
    def questions(self) -> list[AnyQuestion]:
        """Every question in bank order."""
        return [q for s in self.sections for q in s.questions]

    @cached_property
    def question_map(self) -> dict[str, AnyQuestion]:
        return {q.id: q for q in self.questions}

    @cached_property
    def order(self) -> dict[str, int]:
        """Each question id's position in bank order."""
        return {q.id: i for i, q in enumerate(self.questions)}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        return {q.id: s for s in self.sections for q in s.questions}

    def condition_texts(self) -> list[str]:
        """Every condition the bank states, in the order they are declared."""
        texts: list[str] = []
        for section in self.sections:
            if section.when:
                texts.append(section.when)
            texts.extend(q.when for q in section.questions if q.when)
        brief = self.brief
        texts.extend(m.when for m in brief.modules if m.when)
        texts.extend(r.when for m in brief.modules for r in m.priority_when)
        texts.extend(f.when for f in brief.flags)
        texts.extend(s.when for s in [*brief.assumptions, *brief.approvals] if s.when)
        texts.extend(brief.strands.values())
        texts.extend(e.when for e in brief.evaluation if e.when)
        return texts

    def walk(self) -> Iterator[tuple[Section, AnyQuestion]]:
        """Every question with its section, in bank order."""
        for s in self.sections:
            for q in s.questions:
                yield s, q
