"""The bank format (``csintake/bank@1``) as immutable pydantic models.

These models describe shape only. Cross-references (conditions, placeholders, the time budget)
are checked in :mod:`csintake.checker`, which also reports every problem with its position.
"""

from __future__ import annotations

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
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Choice(_Model):
    value: StrictStr | StrictInt
    label: StrictStr | None = None
    help: StrictStr | None = None

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


class DateQuestion(_Question):
    type: Literal["date"]
    min: IsoDate | None = None
    max: IsoDate | None = None


Question = Annotated[
    TextQuestion
    | LongTextQuestion
    | ChoiceQuestion
    | MultiChoiceQuestion
    | YesNoQuestion
    | IntegerQuestion
    | NumberQuestion
    | ScaleQuestion
    | DateQuestion,
    Field(discriminator="type"),
]
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


class Flag(_Model):
    id: ModuleId
    level: Literal["info", "warning", "blocker"]
    when: StrictStr
    message: Text
    reason: Text | None = None
    # An internal flag (about the client's staff, say) never reaches a client brief.
    audience: Literal["internal", "client"] = "client"


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
    evaluation: list[Evaluation] = Field(default_factory=list)


class Bank(_Model):
    format: Literal["csintake/bank@1"]
    id: BankId
    version: Annotated[StrictStr, BeforeValidator(_version_text), Field(min_length=1)]
    title: Text
    description: StrictStr | None = None
    sections: Annotated[list[Section], Field(min_length=1)]
    brief: BriefSpec = Field(default_factory=BriefSpec)

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

    def walk(self) -> Iterator[tuple[Section, AnyQuestion]]:
        for s in self.sections:
            for q in s.questions:
                yield s, q


def choice_label(question: AnyQuestion, value: Any) -> str | None:
    """The label of ``value`` among a choice question's choices, if it is one."""
    if isinstance(question, (ChoiceQuestion, MultiChoiceQuestion)):
        for c in question.choices:
            if c.value == value and type(c.value) is type(value):
                return c.shown
    return None
