"""Remembered validation gives exactly what validating afresh gives, every time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from csintake.bank.loader import load_bank
from csintake.bank.validation import validate_answer
from csintake.bank.validmemo import validated
from csintake.errors import AnswerError

VALUES: list[Any] = [1, 1.0, True, False, 0, "1", "yes", " 3 ", None, "", [], ["x"], 10**30]


def outcome(fn: Any, question: Any, value: Any) -> tuple[str, Any]:
    try:
        result = fn(question, value)
    except AnswerError as exc:
        return "error", str(exc)
    return type(result).__name__, result


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_every_question_of_the_shipped_bank_twice(shipped_bank_path: Path, value: Any) -> None:
    bank = load_bank(shipped_bank_path).bank
    for question in bank.questions:
        expected = outcome(validate_answer, question, value)
        assert outcome(validated, question, value) == expected
        assert outcome(validated, question, value) == expected  # now remembered


def test_equal_values_of_other_types_stay_apart(shipped_bank_path: Path) -> None:
    bank = load_bank(shipped_bank_path).bank
    yes_no = next(q for q in bank.questions if q.type == "yes_no")
    assert outcome(validated, yes_no, True) == ("bool", True)
    assert outcome(validated, yes_no, 1) == outcome(validate_answer, yes_no, 1)
    assert outcome(validated, yes_no, 1.0) == outcome(validate_answer, yes_no, 1.0)


def test_a_remembered_list_is_never_shared(shipped_bank_path: Path) -> None:
    bank = load_bank(shipped_bank_path).bank
    multi = next(q for q in bank.questions if q.type == "multi_choice")
    choice = multi.choices[0].value
    first = validated(multi, [choice])
    first.append("changed by a caller")
    assert validated(multi, [choice]) == validate_answer(multi, [choice])
