"""Building a bank from data known to validate gives exactly what validating it gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel

from csintake.bank import model
from csintake.bank.catalog import shipped_dir
from csintake.bank.model import Bank
from csintake.bank.trusted import construct
from csintake.files.yamlfile import load_plain
from helpers import MINIMAL_BANK

# Every field of every bank model, set at least once, with values that validation turns
# (a float version, ISO dates, a numeric `from`, integer bounds of a number question).
EVERY_FIELD = """\
format: csintake/bank@1
id: every-field
version: 2.5
title: Every field
description: A bank that sets every field once.
sections:
  - id: first
    title: First
    intro: Start here.
    when: "true"
    questions:
      - id: name
        type: text
        prompt: Name?
        label: Name
        sensitive: true
        help: Your name.
        required: false
        default: Ann
        when: "true"
        min_length: 1
        max_length: 40
        pattern: "[A-Z].*"
        pattern_message: Start with a capital.
      - {id: story, type: long_text, prompt: Story?, min_length: 0, max_length: 900}
      - id: meaning
        type: choice
        prompt: Meaning?
        choices:
          - {value: behavior, label: Behaviour, help: How staff act}
          - {value: 3}
      - id: channels
        type: multi_choice
        prompt: Channels?
        min_selected: 0
        max_selected: 2
        choices:
          - {value: desk, label: Desk}
          - {value: none, label: None yet, exclusive: true}
      - {id: trained, type: yes_no, prompt: Trained?}
      - {id: staff, type: integer, prompt: Staff?, min: 1, max: 900}
      - {id: share, type: number, prompt: Share?, min: 0, max: 1.5}
      - {id: rating, type: scale, prompt: Rating?, min: 1, max: 5, labels: {1: Poor, 5: Great}}
      - id: since
        type: date
        prompt: Since?
        precision: month
        min: 2020-01-01
        max: "2030-12-31"
      - {id: minutes, type: integer, prompt: Minutes?}
brief:
  title: A brief
  scope: meaning
  time_budget: minutes
  strands: {behavior: "meaning == 'behavior'"}
  follow_up_sessions: 2
  modules:
    - id: core-one
      title: Core one
      summary: The core.
      minutes: 30
      priority: core
      when: "true"
      strand: behavior
      short: {minutes: 15, summary: Short core.}
      priority_when: [{when: "rating <= 2", priority: high}]
      objectives: [Know the core.]
      reason: Because {name} asked.
  flags:
    - id: tight
      level: warning
      when: "minutes < 60"
      message: Tight.
      kind: decision
      owner: The director
      reason: Little time.
      audience: internal
  problem: [story]
  sponsor: name
  participants: staff
  stays_open: trained
  day: {start: "08:30", break_after: 90, break_minutes: 10, length: 360}
  group_max: 25
  assumptions: [{text: A room is booked., when: "true"}]
  approvals: [{text: The director signs.}]
  evaluation: [{level: Reaction, timing: End of day, measure: A survey, when: "true"}]
migrations:
  - from: 1.0
    rename: {old_name: name}
    values: {meaning: {behaviour: behavior, "2": 3}}
"""


def _data(text: str) -> dict[str, Any]:
    quick, value = load_plain(text)
    assert quick
    assert isinstance(value, dict)
    return value


BANKS = {
    "shipped": (shipped_dir() / "library-customer-service.yaml").read_text(encoding="utf-8"),
    "minimal": MINIMAL_BANK,
    "every field": EVERY_FIELD,
}


@pytest.mark.parametrize("name", list(BANKS))
def test_constructing_a_bank_equals_validating_it(name: str) -> None:
    data = _data(BANKS[name])
    validated = Bank.model_validate(data)
    built = construct(Bank, data)
    assert built == validated
    assert built.model_dump() == validated.model_dump()
    assert _tree(built) == _tree(validated)


def _tree(value: Any) -> Any:
    """Every value with its exact type and the fields given, so that 1 and 1.0, or a list and
    a tuple, or a field set and the same default, tell apart."""
    if isinstance(value, BaseModel):
        fields = {name: _tree(getattr(value, name)) for name in type(value).model_fields}
        return (type(value).__name__, sorted(value.model_fields_set), fields)
    if isinstance(value, list):
        return ["list", *(_tree(v) for v in value)]
    if isinstance(value, dict):
        return {"dict": sorted((repr(_tree(k)), _tree(v)) for k, v in value.items())}
    return (type(value).__name__, value)


def test_the_values_validation_turns_are_turned() -> None:
    built = construct(Bank, _data(EVERY_FIELD))
    assert built.version == "2.5"
    assert built.migrations[0].from_ == "1.0"
    since = built.question_map["since"]
    assert isinstance(since, model.DateQuestion)
    assert since.min == dt.date(2020, 1, 1)
    assert since.max == dt.date(2030, 12, 31)
    share = built.question_map["share"]
    assert isinstance(share, model.NumberQuestion)
    assert share.min == 0.0
    assert isinstance(share.min, float)


def _models() -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, BaseModel) and value.model_fields:
            found.add(value)
    return found


def _set_fields(value: Any, seen: dict[type[BaseModel], set[str]]) -> None:
    if isinstance(value, BaseModel):
        seen.setdefault(type(value), set()).update(value.model_fields_set)
        for name in type(value).model_fields:
            _set_fields(getattr(value, name), seen)
    elif isinstance(value, list):
        for item in value:
            _set_fields(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            _set_fields(item, seen)


def test_the_every_field_bank_sets_every_field_of_every_model() -> None:
    # A field added to a model without a case here would go untested by the equality above.
    seen: dict[type[BaseModel], set[str]] = {}
    _set_fields(Bank.model_validate(_data(EVERY_FIELD)), seen)
    # The fields every question type inherits count once, for the base they come from.
    common = set(model._Question.model_fields)
    for kind in [c for c in seen if issubclass(c, model._Question)]:
        seen.setdefault(model._Question, set()).update(seen[kind] & common)
    missing = {}
    for cls in _models():
        own = set(cls.model_fields)
        if cls is not model._Question and issubclass(cls, model._Question):
            own -= common
        if own - seen.get(cls, set()):
            missing[cls.__name__] = sorted(own - seen.get(cls, set()))
    assert missing == {}
