"""Every question type and bound, with the exact messages a client hears."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from pydantic import TypeAdapter

from csintake.bank.model import AnyQuestion, Question
from csintake.bank.validation import show_value, validate_answer
from csintake.errors import AnswerError

_ADAPTER: TypeAdapter[AnyQuestion] = TypeAdapter(Question)


def q(type_: str, **extra: Any) -> AnyQuestion:
    return _ADAPTER.validate_python({"id": "q", "type": type_, "prompt": "Question?", **extra})


def refused(question: AnyQuestion, raw: Any) -> str:
    with pytest.raises(AnswerError) as info:
        validate_answer(question, raw)
    return str(info.value)


MEANING = [
    {"value": "behavior", "label": "How staff treat patrons"},
    {"value": "offerings", "label": "The services we offer"},
    {"value": "both", "label": "Both"},
]
MINUTES = [{"value": 60, "label": "One hour"}, {"value": 90, "label": "90 minutes"}]
SERVICES = [
    {"value": "hours", "label": "Opening hours"},
    {"value": "fines_holds", "label": "Fines, fees and holds rules"},
    {"value": "website", "label": "Website"},
]


# ---------------------------------------------------------------------------------- blanks


@pytest.mark.parametrize("raw", [None, "", "   ", "\n", []])
@pytest.mark.parametrize(
    "question",
    [
        q("text"),
        q("long_text"),
        q("choice", choices=MEANING),
        q("yes_no"),
        q("integer"),
        q("number"),
        q("scale", min=1, max=5),
        q("date"),
    ],
    ids=lambda question: question.type,
)
def test_a_required_question_refuses_a_blank(question: AnyQuestion, raw: Any) -> None:
    assert refused(question, raw) == "An answer is required"


def test_an_optional_question_says_it_can_be_skipped() -> None:
    assert refused(q("text", required=False), "") == "Enter an answer, or skip this question"
    assert refused(q("integer", required=False), None) == "Enter an answer, or skip this question"


# ------------------------------------------------------------------------------------ text


def test_text_is_stripped_and_kept() -> None:
    assert validate_answer(q("text"), "  Ames Public Library ") == "Ames Public Library"


def test_text_from_a_file_number_is_text() -> None:
    assert validate_answer(q("text"), 42) == "42"


@pytest.mark.parametrize("raw", [True, ["a"], {"a": 1}])
def test_text_refuses_what_is_not_text(raw: Any) -> None:
    assert refused(q("text"), raw) == "Enter text"


def test_text_is_one_line() -> None:
    assert refused(q("text"), "first\nsecond") == "Enter a single line"
    assert refused(q("text"), "first\rsecond") == "Enter a single line"


def test_text_min_and_max_length() -> None:
    both = q("text", min_length=2, max_length=5)
    assert refused(both, "A") == "Enter at least 2 characters and at most 5"
    assert refused(both, "Abcdef") == "Enter at most 5 characters (this has 6)"
    assert validate_answer(both, "Ab") == "Ab"
    assert validate_answer(both, "Abcde") == "Abcde"
    assert refused(q("text", min_length=3), "ab") == "Enter at least 3 characters"
    assert refused(q("text", max_length=1), "ab") == "Enter at most 1 character (this has 2)"
    assert refused(q("text", min_length=2, max_length=2), "a") == "Enter at least 2 characters"


def test_length_counts_the_stripped_text() -> None:
    assert refused(q("text", min_length=3), "  ab  ") == "Enter at least 3 characters"


def test_pattern_with_and_without_a_message() -> None:
    zip_code = q("text", pattern=r"\d{5}", pattern_message="Enter a five-digit ZIP code")
    assert validate_answer(zip_code, "50010") == "50010"
    assert refused(zip_code, "5001") == "Enter a five-digit ZIP code"
    # the whole answer must match, not a part of it
    assert refused(zip_code, "500101") == "Enter a five-digit ZIP code"
    plain = q("text", pattern=r"[A-Z]{2}")
    assert refused(plain, "iowa") == "That is not in the expected form"
    assert validate_answer(plain, "IA") == "IA"


def test_long_text_keeps_lines_and_unicode() -> None:
    text = "Première ligne\n  second line 📚\n\nthird"
    assert validate_answer(q("long_text"), f"\n{text}\n\n") == text


def test_long_text_bounds() -> None:
    question = q("long_text", min_length=10, max_length=20)
    assert refused(question, "short") == "Enter at least 10 characters and at most 20"
    assert refused(question, "x" * 21) == "Enter at most 20 characters (this has 21)"


def test_json_surrogate_pairs_are_joined_and_lone_halves_refused() -> None:
    # what the YAML parser makes of the JSON text "\ud83d\udcda"
    assert validate_answer(q("text"), "books \ud83d\udcda") == "books 📚"
    assert refused(q("text"), "broken \ud83d") == (
        "The text contains characters that cannot be saved"
    )


# ---------------------------------------------------------------------------------- choice


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("behavior", "behavior"),
        ("BEHAVIOR", "behavior"),
        (" both ", "both"),
        ("How staff treat patrons", "behavior"),
        ("how STAFF treat   patrons", "behavior"),
        ("the services we offer", "offerings"),
    ],
)
def test_choice_by_value_or_label_in_any_case(raw: str, value: str) -> None:
    assert validate_answer(q("choice", choices=MEANING), raw) == value


@pytest.mark.parametrize(("raw", "value"), [(90, 90), ("90", 90), (" 60 ", 60), (60.0, 60)])
def test_int_valued_choices_from_numbers_and_text(raw: Any, value: int) -> None:
    result = validate_answer(q("choice", choices=MINUTES), raw)
    assert result == value
    assert type(result) is int


def test_a_label_that_looks_like_a_value_finds_its_choice() -> None:
    assert validate_answer(q("choice", choices=MINUTES), "90 minutes") == 90
    assert validate_answer(q("choice", choices=MINUTES), "one hour") == 60


def test_a_value_wins_over_another_choice_s_label() -> None:
    tricky = [{"value": "a", "label": "b"}, {"value": "b", "label": "Bee"}]
    assert validate_answer(q("choice", choices=tricky), "b") == "b"


def test_a_number_answers_a_text_valued_choice() -> None:
    ranked = [{"value": "1", "label": "First"}, {"value": "2", "label": "Second"}]
    assert validate_answer(q("choice", choices=ranked), 2) == "2"


@pytest.mark.parametrize("raw", ["maybe", 3, True, 90.5, ["both"], {"value": "both"}])
def test_choice_refuses_anything_else(raw: Any) -> None:
    assert refused(q("choice", choices=MEANING), raw) == "Choose one of: behavior, offerings, both"
    assert refused(q("choice", choices=MINUTES), "61") == "Choose one of: 60, 90"


# ---------------------------------------------------------------------------- multi-choice


def test_multi_choice_from_a_list_in_bank_order_without_repeats() -> None:
    question = q("multi_choice", choices=SERVICES)
    assert validate_answer(question, ["website", "Opening hours", "HOURS"]) == ["hours", "website"]


def test_multi_choice_from_comma_separated_text() -> None:
    question = q("multi_choice", choices=SERVICES)
    assert validate_answer(question, "website, hours") == ["hours", "website"]
    assert validate_answer(question, "website,hours,") == ["hours", "website"]


def test_a_label_with_a_comma_can_be_typed_back() -> None:
    question = q("multi_choice", choices=SERVICES)
    shown = show_value(question, ["hours", "fines_holds"])
    assert shown == "Opening hours, Fines, fees and holds rules"
    assert validate_answer(question, shown) == ["hours", "fines_holds"]
    assert validate_answer(question, "fines, FEES and holds rules,website") == [
        "fines_holds",
        "website",
    ]


def test_multi_choice_with_int_values() -> None:
    question = q("multi_choice", choices=MINUTES)
    assert validate_answer(question, "60, 90") == [60, 90]
    assert validate_answer(question, 90) == [90]


def test_multi_choice_names_the_unknown_choice() -> None:
    question = q("multi_choice", choices=SERVICES)
    assert refused(question, "hours, parking") == (
        "'parking' is not a choice; choose from: hours, fines_holds, website"
    )
    assert refused(question, ["hours", True]) == (
        "'True' is not a choice; choose from: hours, fines_holds, website"
    )


@pytest.mark.parametrize("raw", [None, "", [], " , "])
def test_a_required_multi_choice_needs_at_least_one(raw: Any) -> None:
    assert refused(q("multi_choice", choices=SERVICES), raw) == "Choose at least 1"


@pytest.mark.parametrize("raw", [None, "", []])
def test_an_optional_multi_choice_may_be_empty(raw: Any) -> None:
    assert validate_answer(q("multi_choice", choices=SERVICES, required=False), raw) == []


def test_min_and_max_selected() -> None:
    both = q("multi_choice", choices=SERVICES, min_selected=2, max_selected=2)
    assert refused(both, "hours") == "Choose exactly 2"
    assert refused(both, "hours, website, fines_holds") == "Choose exactly 2"
    assert validate_answer(both, "hours, website") == ["hours", "website"]
    ranged = q("multi_choice", choices=SERVICES, min_selected=2, max_selected=3)
    assert refused(ranged, "hours") == "Choose at least 2 and at most 3"
    at_most = q("multi_choice", choices=SERVICES, max_selected=1, required=False)
    assert refused(at_most, "hours, website") == "Choose at most 1"
    assert validate_answer(at_most, []) == []
    at_least = q("multi_choice", choices=SERVICES, min_selected=2)
    assert refused(at_least, ["hours"]) == "Choose at least 2"
    required_with_max = q("multi_choice", choices=SERVICES, max_selected=2)
    assert refused(required_with_max, []) == "Choose at least 1 and at most 2"


# ---------------------------------------------------------------------------------- yes/no


@pytest.mark.parametrize("raw", ["yes", "Y", "y", "TRUE", "True", " yes ", True])
def test_yes_words(raw: Any) -> None:
    assert validate_answer(q("yes_no"), raw) is True


@pytest.mark.parametrize("raw", ["no", "N", "n", "FALSE", "False", "No ", False])
def test_no_words(raw: Any) -> None:
    assert validate_answer(q("yes_no"), raw) is False


@pytest.mark.parametrize("raw", ["maybe", "yess", 1, 0, "1", ["yes"]])
def test_yes_no_refuses_anything_else(raw: Any) -> None:
    assert refused(q("yes_no"), raw) == "Answer yes or no"


# --------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("raw", "value"), [(42, 42), ("42", 42), (" +7 ", 7), (3.0, 3), ("1,000", 1000), ("-2", -2)]
)
def test_integer_accepts_whole_numbers(raw: Any, value: int) -> None:
    result = validate_answer(q("integer"), raw)
    assert result == value
    assert type(result) is int


@pytest.mark.parametrize(
    "raw", [True, False, 1.5, "1.5", "abc", "1,5", "1_000", "٣", "", "1e3", math.nan, math.inf]
)
def test_integer_refuses_what_is_not_a_whole_number(raw: Any) -> None:
    if raw == "":
        assert refused(q("integer"), raw) == "An answer is required"
    else:
        assert refused(q("integer"), raw) == "Enter a whole number"


def test_integer_bounds_give_the_range() -> None:
    participants = q("integer", min=1, max=500)
    assert refused(participants, 0) == "Enter a whole number from 1 to 500"
    assert refused(participants, "501") == "Enter a whole number from 1 to 500"
    assert refused(participants, "many") == "Enter a whole number from 1 to 500"
    assert validate_answer(participants, 1) == 1
    assert validate_answer(participants, "500") == 500
    assert refused(q("integer", min=1), 0) == "Enter a whole number of at least 1"
    assert refused(q("integer", max=9), 10) == "Enter a whole number of at most 9"


@pytest.mark.parametrize(
    ("raw", "value"),
    [(2, 2.0), ("2.5", 2.5), (".5", 0.5), ("-1e2", -100.0), ("1,234.5", 1234.5), (0.25, 0.25)],
)
def test_number_accepts_finite_numbers(raw: Any, value: float) -> None:
    result = validate_answer(q("number"), raw)
    assert result == value
    assert type(result) is float


@pytest.mark.parametrize(
    "raw", [True, "abc", "nan", "NaN", "inf", "-Infinity", math.nan, math.inf, "1e999", "1,5", "."]
)
def test_number_refuses_nan_inf_and_words(raw: Any) -> None:
    assert refused(q("number"), raw) == "Enter a number"


def test_number_bounds() -> None:
    share = q("number", min=0, max=1.5)
    assert refused(share, -0.1) == "Enter a number from 0 to 1.5"
    assert refused(share, "1.51") == "Enter a number from 0 to 1.5"
    assert validate_answer(share, "1.5") == 1.5
    assert refused(q("number", min=2.5), 2) == "Enter a number of at least 2.5"


def test_scale_bounds() -> None:
    rating = q("scale", min=1, max=5, labels={1: "Poor", 5: "Great"})
    assert validate_answer(rating, "5") == 5
    assert validate_answer(rating, 1) == 1
    for raw in (0, 6, "3.5", "Great", True):
        assert refused(rating, raw) == "Enter a whole number from 1 to 5"
    assert show_value(rating, 5) == "5 (Great)"
    assert show_value(rating, 3) == "3"


# ------------------------------------------------------------------------------------ date


def test_date_is_iso_text() -> None:
    assert validate_answer(q("date"), "2026-11-28") == "2026-11-28"
    assert validate_answer(q("date"), " 2026-11-28 ") == "2026-11-28"
    assert validate_answer(q("date"), dt.date(2026, 1, 2)) == "2026-01-02"


@pytest.mark.parametrize(
    "raw",
    [
        "2026-13-01",
        "28/11/2026",
        "2026-1-2",
        "20261128",
        "２０２６-１１-２８",
        20261128,
        dt.datetime(2026, 1, 2, 3, 4),
    ],
)
def test_date_refuses_other_forms(raw: Any) -> None:
    assert refused(q("date"), raw) == "Enter a date as YYYY-MM-DD"


def test_an_impossible_date_says_it_does_not_exist() -> None:
    assert refused(q("date"), "2027-02-30") == "2027-02-30: that date does not exist"
    assert refused(q("date"), "2026-04-31") == "2026-04-31: that date does not exist"


def test_a_date_with_month_or_year_precision_takes_a_month_or_a_year() -> None:
    month = q("date", precision="month")
    assert validate_answer(month, "2023-06") == "2023-06"
    assert validate_answer(month, "2023-06-15") == "2023-06-15"
    assert refused(month, "2023") == "Enter a date as YYYY-MM-DD or YYYY-MM"
    assert refused(month, "2023-13") == "Enter a date as YYYY-MM-DD or YYYY-MM"
    year = q("date", precision="year")
    assert validate_answer(year, "2023") == "2023"
    assert validate_answer(year, 2023) == "2023"
    assert validate_answer(year, "2023-06") == "2023-06"
    assert refused(q("date"), "2023") == "Enter a date as YYYY-MM-DD"


def test_a_month_or_a_year_is_in_range_when_it_overlaps_it() -> None:
    window = q("date", min="2023-06-10", max="2024-01-31", precision="year")
    assert validate_answer(window, "2023-06") == "2023-06"
    assert validate_answer(window, "2024") == "2024"
    assert refused(window, "2023-05").startswith("Enter a date from 2023-06-10 to 2024-01-31")
    assert refused(window, "2025").startswith("Enter a date from")


def test_an_exclusive_choice_cannot_be_ticked_with_others() -> None:
    question = q(
        "multi_choice",
        required=False,
        choices=[
            {"value": "log", "label": "A complaints log"},
            {"value": "none", "label": "None yet", "exclusive": True},
        ],
    )
    assert refused(question, ["log", "none"]) == "'None yet' cannot be chosen with other choices"
    assert validate_answer(question, ["none"]) == ["none"]
    assert validate_answer(question, ["log"]) == ["log"]


def test_date_min_and_max() -> None:
    window = q("date", min="2026-01-01", max="2026-12-31")
    assert (
        refused(window, "2025-12-31") == "Enter a date from 2026-01-01 to 2026-12-31, as YYYY-MM-DD"
    )
    assert (
        refused(window, "2027-01-01") == "Enter a date from 2026-01-01 to 2026-12-31, as YYYY-MM-DD"
    )
    assert validate_answer(window, "2026-01-01") == "2026-01-01"
    assert validate_answer(window, "2026-12-31") == "2026-12-31"
    after = q("date", min="2026-01-01")
    assert refused(after, "2025-01-01") == "Enter a date on or after 2026-01-01, as YYYY-MM-DD"
    before = q("date", max="2026-01-01")
    assert refused(before, "2026-01-02") == "Enter a date on or before 2026-01-01, as YYYY-MM-DD"


def test_numbers_too_large_for_any_answer_are_refused() -> None:
    huge = 10**5000  # cannot even be turned into text
    assert refused(q("integer"), huge) == "Enter a whole number"
    assert refused(q("integer"), 10**18) == "Enter a whole number"
    assert refused(q("integer"), 1e300) == "Enter a whole number"
    assert validate_answer(q("integer"), 10**18 - 1) == 10**18 - 1
    assert refused(q("integer"), "+9999999999999999999999") == "Enter a whole number"
    assert refused(q("number"), 10**400) == "Enter a number"
    assert refused(q("text"), huge) == "Enter text"
    assert refused(q("choice", choices=MINUTES), huge) == "Choose one of: 60, 90"
    assert refused(q("multi_choice", choices=MINUTES), [huge]) == (
        "'a very large number' is not a choice; choose from: 60, 90"
    )
    assert refused(q("multi_choice", choices=MINUTES), "x" * 100) == (
        f"'{'x' * 57}...' is not a choice; choose from: 60, 90"
    )


# --------------------------------------------------------------------------- nothing invalid


CASES: list[tuple[AnyQuestion, list[Any]]] = [
    (q("text", min_length=2, max_length=4, pattern="[a-z]+"), ["ab", "abcd", "a", "abcde", "AB"]),
    (q("choice", choices=MINUTES), [60, "90", "one hour", 61, "", None, True]),
    (q("multi_choice", choices=SERVICES, max_selected=2), ["hours", "a,b", [], "hours,website"]),
    (q("yes_no"), ["y", "n", "x", 1, None]),
    (q("integer", min=1, max=10), [1, 10, 0, 11, "5", 2.5, True]),
    (q("number", min=0, max=1), [0, 1, 0.5, 1.01, "nan", -0.0]),
    (q("scale", min=1, max=3), [1, 3, 0, 4, "2"]),
    (q("date", min="2026-01-01"), ["2026-01-01", "2025-12-31", "2026-02-29"]),
]


@pytest.mark.parametrize(("question", "raws"), CASES, ids=lambda c: getattr(c, "type", ""))
def test_whatever_is_returned_validates_again_unchanged(
    question: AnyQuestion, raws: list[Any]
) -> None:
    """A returned value is a stored answer: it must pass validation as it is, every time."""
    for raw in raws:
        try:
            value = validate_answer(question, raw)
        except AnswerError:
            continue
        assert validate_answer(question, value) == value
