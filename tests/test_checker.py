"""The bank checker: every problem at once, each as FILE:LINE:COL: message."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import get_args

import pytest

from csintake.bank.checker import check_file
from csintake.bank.conditions import parse
from csintake.bank.loader import load_bank
from csintake.bank.model import QUESTION_TYPES, AnyQuestion
from csintake.errors import BankError
from helpers import MINIMAL_BANK, write_bank

HEAD = """\
format: csintake/bank@1
id: t
version: '1'
title: T
sections:
  - id: s
    title: S
    questions:
"""


def bank(questions: str, rest: str = "") -> str:
    """A bank of one section holding ``questions`` (a YAML list), then ``rest`` (e.g. brief)."""
    return HEAD + textwrap.indent(textwrap.dedent(questions), " " * 6) + textwrap.dedent(rest)


SECOND_SECTION = """\
  - id: t
    title: T
    {when}
    questions:
      - {{id: b, type: text, prompt: B}}
"""


def second_section(when: str = "") -> str:
    """A second section, to append to a bank."""
    line = f"when: {when}" if when else "intro: More"
    return SECOND_SECTION.format(when=line)


def at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """The 1-based line and column where the ``nth`` ``needle`` starts in ``text``."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write_bank(tmp_path, text)
    checked, found = check_file(path, "bank.yaml")
    assert checked is None
    return [str(p) for p in found]


def only(tmp_path: Path, text: str) -> str:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


def passes(tmp_path: Path, text: str) -> None:
    checked, found = check_file(write_bank(tmp_path, text), "bank.yaml")
    assert found == []
    assert checked is not None


def expect(text: str, needle: str, message: str, *, nth: int = 1, shift: int = 0) -> str:
    line, column = at(text, needle, nth)
    return f"bank.yaml:{line}:{column + shift}: {message}"


# ------------------------------------------------------------------- sound banks pass


def test_minimal_bank_passes(tmp_path: Path) -> None:
    checked, found = check_file(write_bank(tmp_path, MINIMAL_BANK), "bank.yaml")
    assert found == []
    assert checked is not None
    assert checked.id == "mini"


def test_base_bank_of_these_tests_passes(tmp_path: Path) -> None:
    passes(tmp_path, bank("- {id: a, type: text, prompt: A}\n"))


# ---------------------------------------------------------------------------- YAML


def test_yaml_syntax_error(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: [text
          prompt: A
        """)
    (found,) = problems(tmp_path, text)
    line, _ = at(text, "prompt: A")
    assert found.startswith(f"bank.yaml:{line}:")
    assert ": YAML syntax: " in found


def test_unsafe_tags_are_reported_and_never_executed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "PWNED"
    text = bank(f"""\
        - id: a
          type: text
          prompt: !!python/object/apply:os.system ["touch {marker}"]
          help: !!python/name:os.system
        """)
    found = problems(tmp_path, text)
    assert len(found) == 2
    assert found[0].startswith(expect(text, "!!python/object/apply", "YAML tag "))
    assert found[1].startswith(expect(text, "!!python/name", "YAML tag "))
    assert all(f.endswith(" is not allowed") for f in found)
    assert not marker.exists()
    with pytest.raises(BankError):
        load_bank(write_bank(tmp_path, text))
    assert not marker.exists()


# ------------------------------------------------------------------ unknown, missing keys


def test_unknown_key_at_top_level(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, prompt: A}\n", "colour: red\n")
    assert only(tmp_path, text) == expect(text, "colour", "unknown key 'colour'")


def test_unknown_key_in_a_question(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: integer
          prompt: A
          min_length: 3
        """)
    assert only(tmp_path, text) == expect(
        text, "min_length", "unknown key 'min_length' for an integer question"
    )


def test_unknown_key_in_a_text_question(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, prompt: A, colour: red}\n")
    assert only(tmp_path, text) == expect(
        text, "colour", "unknown key 'colour' for a text question"
    )


def test_unknown_key_in_a_module(tmp_path: Path) -> None:
    text = bank(
        "- {id: a, type: text, prompt: A}\n",
        """\
        brief:
          modules:
            - id: m
              title: M
              minutes: 5
              colour: red
        """,
    )
    assert only(tmp_path, text) == expect(text, "colour", "unknown key 'colour'")


def test_missing_key_points_at_the_question(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: text
        """)
    assert only(tmp_path, text) == expect(text, "id: a", "missing key 'prompt'")


def test_missing_type_points_at_the_question(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          prompt: A
        """)
    assert only(tmp_path, text) == expect(text, "id: a", "missing key 'type'")


def test_missing_key_at_top_level(tmp_path: Path) -> None:
    text = HEAD.replace("version: '1'\n", "") + "      - {id: a, type: text, prompt: A}\n"
    assert only(tmp_path, text) == "bank.yaml:1:1: missing key 'version'"


# --------------------------------------------------------------------------- wrong types


def test_wrong_type_required_yes(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: text
          prompt: A
          required: "yes"
        """)
    assert only(tmp_path, text) == expect(text, '"yes"', "required must be true or false")


def test_wrong_type_minutes_ninety(tmp_path: Path) -> None:
    text = bank(
        "- {id: a, type: text, prompt: A}\n",
        """\
        brief:
          modules:
            - id: m
              title: M
              minutes: ninety
        """,
    )
    assert only(tmp_path, text) == expect(text, "ninety", "minutes must be a whole number")


def test_value_fitting_no_alternative_is_one_problem(tmp_path: Path) -> None:
    text = bank("- {id: a, type: choice, prompt: A, choices: [{value: true}]}\n")
    assert only(tmp_path, text) == expect(text, "true", "value must be text or a whole number")


def test_question_that_is_not_a_mapping(tmp_path: Path) -> None:
    text = bank("- just text\n")
    assert only(tmp_path, text) == expect(
        text, "just text", "each entry of questions must be a mapping"
    )


def test_wrong_format(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, prompt: A}\n").replace("bank@1", "bank@2")
    assert only(tmp_path, text) == expect(
        text, "csintake/bank@2", "format must be 'csintake/bank@1'"
    )


def test_a_bank_must_be_a_mapping(tmp_path: Path) -> None:
    assert only(tmp_path, "- a\n- b\n") == (
        "bank.yaml:1:1: a bank is a mapping with format, id, sections and brief"
    )


def test_unknown_question_type(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: essay
          prompt: A
        """)
    assert only(tmp_path, text) == expect(
        text,
        "id: a",
        "unknown question type 'essay' (one of: text, long_text, choice, multi_choice,"
        " yes_no, integer, number, scale, date)",
    )


def test_bad_question_id(tmp_path: Path) -> None:
    text = bank("- {id: Bad-Id, type: text, prompt: A}\n")
    assert only(tmp_path, text) == expect(
        text, "Bad-Id", "id must start with a letter and use only a-z, 0-9 and _"
    )


def test_bad_bank_id(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, prompt: A}\n").replace("id: t\n", "id: T_x\n")
    assert only(tmp_path, text) == expect(
        text, "T_x", "id must use only a-z, 0-9 and -, and not start with -"
    )


# -------------------------------------------------------------------------- duplicates


def test_duplicate_question_id(tmp_path: Path) -> None:
    text = bank("""\
        - {id: a, type: text, prompt: A}
        - {id: a, type: text, prompt: B}
        """)
    assert only(tmp_path, text) == expect(
        text, "id: a", "duplicate question id 'a'", nth=2, shift=4
    )


def test_duplicate_question_id_across_sections(tmp_path: Path) -> None:
    text = bank("- {id: b, type: text, prompt: A}\n") + second_section()
    assert only(tmp_path, text) == expect(
        text, "id: b", "duplicate question id 'b'", nth=2, shift=4
    )


def test_duplicate_section_id(tmp_path: Path) -> None:
    text = bank(
        "- {id: a, type: text, prompt: A}\n",
        """\
        #
          - id: s
            title: Again
        """,
    )
    assert only(tmp_path, text) == expect(text, "id: s", "duplicate section id 's'", nth=2, shift=4)


def test_duplicate_module_id(tmp_path: Path) -> None:
    text = bank(
        "- {id: a, type: text, prompt: A}\n",
        """\
        brief:
          modules:
            - {id: m, title: M, minutes: 5}
            - {id: m, title: M2, minutes: 5}
        """,
    )
    assert only(tmp_path, text) == expect(text, "id: m", "duplicate module id 'm'", nth=2, shift=4)


def test_duplicate_flag_id(tmp_path: Path) -> None:
    text = bank(
        "- {id: a, type: text, prompt: A}\n",
        """\
        brief:
          flags:
            - {id: f, level: info, when: answered(a), message: M}
            - {id: f, level: info, when: answered(a), message: M}
        """,
    )
    assert only(tmp_path, text) == expect(text, "id: f", "duplicate flag id 'f'", nth=2, shift=4)


def test_duplicate_choice_value(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: choice
          prompt: A
          choices:
            - {value: x}
            - {value: y}
            - {value: x}
        """)
    assert only(tmp_path, text) == expect(text, "x}", "duplicate choice 'x'", nth=2)


def test_same_text_and_number_are_different_choices(tmp_path: Path) -> None:
    text = bank("- {id: a, type: choice, prompt: A, choices: [{value: 1}, {value: '1'}]}\n")
    passes(tmp_path, text)


def test_duplicate_key_in_yaml(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: text
          prompt: A
          prompt: B
        """)
    assert only(tmp_path, text) == expect(text, "prompt: B", "duplicate key 'prompt'")


# -------------------------------------------------------------------------- conditions

QA = "- {id: a, type: text, prompt: A}\n"


def test_condition_does_not_parse_plain_scalar(tmp_path: Path) -> None:
    text = bank("""\
        - {id: a, type: text, prompt: A}
        - id: b
          type: text
          prompt: B
          when: a == 'x' and
        """)
    message = "condition does not parse: not a valid condition"
    # the end of the condition, where the operand is missing
    assert only(tmp_path, text) == expect(text, "a == 'x' and", message, shift=12)


def test_condition_does_not_parse_double_quoted(tmp_path: Path) -> None:
    text = bank("""\
        - {id: a, type: text, prompt: A}
        - id: b
          type: text
          prompt: B
          when: "a == 'x' or a.b"
        """)
    assert only(tmp_path, text) == expect(
        text, "a.b", "attribute access is not allowed in a condition"
    )


def test_condition_does_not_parse_single_quoted(tmp_path: Path) -> None:
    text = bank("""\
        - {id: a, type: text, prompt: A}
        - id: b
          type: text
          prompt: B
          when: 'a == 1 or open(a)'
        """)
    assert only(tmp_path, text) == expect(
        text,
        "open(a)",
        "function 'open' is not allowed (only answered(), len(), days_until() and days_since())",
    )


def test_condition_in_a_block_scalar_points_at_the_scalar(tmp_path: Path) -> None:
    text = bank("""\
        - {id: a, type: text, prompt: A}
        - id: b
          type: text
          prompt: B
          when: >-
            a == 1
            or a.b
        """)
    assert only(tmp_path, text) == expect(
        text, ">-", "attribute access is not allowed in a condition"
    )


def test_condition_names_unknown_question(tmp_path: Path) -> None:
    text = bank("""\
        - {id: a, type: text, prompt: A}
        - id: b
          type: text
          prompt: B
          when: a == 'x' and zz == 1
        """)
    assert only(tmp_path, text) == expect(text, "zz", "condition names unknown question 'zz'")


def test_condition_error_at_the_start_of_a_quoted_scalar(tmp_path: Path) -> None:
    text = bank("""\
        - {id: a, type: text, prompt: A}
        - {id: b, type: text, prompt: B, when: 'zz == 1'}
        """)
    assert only(tmp_path, text) == expect(text, "zz", "condition names unknown question 'zz'")


def test_condition_names_a_later_question(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: text
          prompt: A
          when: answered(b)
        - {id: b, type: text, prompt: B}
        """)
    assert only(tmp_path, text) == expect(
        text, "b)", "condition names 'b', which is not asked before this"
    )


def test_condition_names_its_own_question(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: text
          prompt: A
          when: answered(a)
        """)
    assert only(tmp_path, text) == expect(
        text, "a)", "condition names 'a', which is not asked before this"
    )


def test_section_condition_names_a_question_of_that_section(tmp_path: Path) -> None:
    text = bank(QA).replace("    title: S\n", "    title: S\n    when: a == 'x'\n")
    assert only(tmp_path, text) == expect(
        text, "a == 'x'", "condition names 'a', which is not asked before this"
    )


def test_section_condition_may_name_an_earlier_section(tmp_path: Path) -> None:
    text = bank(QA) + second_section("answered(a)")
    passes(tmp_path, text)


def test_section_condition_naming_a_later_section(tmp_path: Path) -> None:
    text = (bank(QA) + second_section()).replace("    title: S\n", "    title: S\n    when: b\n")
    assert only(tmp_path, text) == expect(
        text, "b\n", "condition names 'b', which is not asked before this"
    )


def test_module_and_flag_conditions_may_name_any_question(tmp_path: Path) -> None:
    text = bank(
        QA,
        """\
        brief:
          modules:
            - {id: m, title: M, minutes: 5, when: answered(a)}
          flags:
            - {id: f, level: info, when: 'zz == 1', message: M}
        """,
    )
    assert only(tmp_path, text) == expect(text, "zz", "condition names unknown question 'zz'")


CHOICE = """\
- id: a
  type: choice
  prompt: A
  choices: [{value: x}, {value: y}]
"""


def test_condition_compares_choice_with_a_value_not_offered(tmp_path: Path) -> None:
    text = bank(CHOICE + "- {id: b, type: text, prompt: B, when: \"a == 'z'\"}\n")
    assert only(tmp_path, text) == expect(
        text, "'z'", "'z' is not a choice of 'a' (choices: 'x', 'y')"
    )


def test_condition_in_list_with_a_value_not_offered(tmp_path: Path) -> None:
    text = bank(CHOICE + "- {id: b, type: text, prompt: B, when: \"a in ['x', 'zz']\"}\n")
    # the list is where the stray value is
    assert only(tmp_path, text) == expect(
        text, "['x', 'zz']", "'zz' is not a choice of 'a' (choices: 'x', 'y')"
    )


def test_condition_value_in_multi_choice_not_offered(tmp_path: Path) -> None:
    text = bank(
        """\
        - id: a
          type: multi_choice
          prompt: A
          choices: [{value: x}, {value: y}]
        - id: b
          type: text
          prompt: B
          when: "'zz' in a"
        """
    )
    assert only(tmp_path, text) == expect(
        text, "'zz' in", "'zz' is not a choice of 'a' (choices: 'x', 'y')"
    )


def test_condition_compares_number_choices_with_text(tmp_path: Path) -> None:
    text = bank(
        """\
        - id: a
          type: choice
          prompt: A
          choices: [{value: 60}, {value: 90}]
        - {id: b, type: text, prompt: B, when: "a == '60'"}
        """
    )
    assert only(tmp_path, text) == expect(
        text, "'60'", "'60' is not a choice of 'a' (choices: 60, 90)"
    )


def test_module_condition_compares_choice_with_a_value_not_offered(tmp_path: Path) -> None:
    text = bank(
        CHOICE,
        """\
        brief:
          modules:
            - {id: m, title: M, minutes: 5, when: "a == 'q'"}
        """,
    )
    assert only(tmp_path, text) == expect(
        text, "'q'", "'q' is not a choice of 'a' (choices: 'x', 'y')"
    )


def test_comparing_with_null_or_a_known_choice_is_fine(tmp_path: Path) -> None:
    text = bank(
        CHOICE
        + "- {id: b, type: text, prompt: B, when: \"a == null or a in ['x', 'y'] or a != 'y'\"}\n"
    )
    passes(tmp_path, text)


# ------------------------------------------------------------------------ placeholders


def test_placeholder_in_prompt_names_unknown_question(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, prompt: 'Hi {zz}'}\n")
    assert only(tmp_path, text) == expect(text, "{zz}", "placeholder names unknown question 'zz'")


def test_placeholder_in_help_names_a_later_question(tmp_path: Path) -> None:
    text = bank("""\
        - {id: a, type: text, prompt: A, help: 'see {b}'}
        - {id: b, type: text, prompt: B}
        """)
    assert only(tmp_path, text) == expect(
        text, "{b}", "placeholder names 'b', which is not asked before this"
    )


def test_placeholder_in_prompt_names_an_earlier_question(tmp_path: Path) -> None:
    text = bank(QA + "- {id: b, type: text, prompt: 'About {a}: {{literal}}'}\n")
    passes(tmp_path, text)


def test_placeholder_in_brief_title_names_unknown_question(tmp_path: Path) -> None:
    text = bank(QA, "brief:\n  title: 'Brief: {zz}'\n")
    assert only(tmp_path, text) == expect(text, "{zz}", "placeholder names unknown question 'zz'")


def test_placeholder_in_flag_message_names_unknown_question(tmp_path: Path) -> None:
    text = bank(
        QA,
        """\
        brief:
          flags:
            - id: f
              level: info
              when: answered(a)
              message: "Ask about {zz} again"
        """,
    )
    assert only(tmp_path, text) == expect(text, "{zz}", "placeholder names unknown question 'zz'")


def test_placeholder_in_default_names_a_later_question(tmp_path: Path) -> None:
    text = bank("""\
        - {id: b, type: text, prompt: B, default: '{a}'}
        - {id: a, type: text, prompt: A}
        """)
    assert only(tmp_path, text) == expect(
        text, "{a}", "placeholder names 'a', which is not asked before this"
    )


def test_placeholder_in_section_title_names_a_later_question(tmp_path: Path) -> None:
    text = bank(QA).replace("    title: S\n", "    title: S {a}\n")
    assert only(tmp_path, text) == expect(
        text, "{a}", "placeholder names 'a', which is not asked before this"
    )


def test_placeholder_after_a_doubled_quote(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, prompt: 'What''s {zz}?'}\n")
    assert only(tmp_path, text) == expect(text, "{zz}", "placeholder names unknown question 'zz'")


def test_condition_after_escaped_quotes(tmp_path: Path) -> None:
    text = bank(QA + '- {id: b, type: text, prompt: B, when: "a == \\"x\\" and zz == 1"}\n')
    assert only(tmp_path, text) == expect(text, "zz", "condition names unknown question 'zz'")


def test_lone_brace(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, prompt: 'Hi { there'}\n")
    assert only(tmp_path, text) == expect(
        text, "{ there", "a lone brace: write {{ or }} for a literal brace"
    )


def test_placeholder_that_is_not_an_id(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, prompt: 'Hi {Not An Id}'}\n")
    assert only(tmp_path, text) == expect(
        text, "{Not", "placeholder {Not An Id} is not a question id"
    )


# ------------------------------------------------------------------------------ brief


def test_time_budget_naming_a_text_question(tmp_path: Path) -> None:
    text = bank(QA, "brief:\n  time_budget: a\n")
    assert only(tmp_path, text) == expect(
        text,
        "time_budget: a",
        "time_budget 'a' must be an integer question or a choice whose values are whole minutes",
        shift=13,
    )


def test_time_budget_choice_with_a_text_value(tmp_path: Path) -> None:
    text = bank(
        "- {id: a, type: choice, prompt: A, choices: [{value: 60}, {value: long}]}\n",
        "brief:\n  time_budget: a\n",
    )
    line, column = at(text, "time_budget: a")
    assert only(tmp_path, text) == (
        f"bank.yaml:{line}:{column + 13}: time_budget 'a' must be an integer question or a"
        " choice whose values are whole minutes"
    )


def test_time_budget_integer_or_minutes_choice_is_fine(tmp_path: Path) -> None:
    for question in (
        "- {id: a, type: integer, prompt: A, min: 1}\n",
        "- {id: a, type: choice, prompt: A, choices: [{value: 60}, {value: 90}]}\n",
    ):
        text = bank(question, "brief:\n  time_budget: a\n")
        passes(tmp_path, text)


def test_time_budget_and_scope_naming_unknown_questions(tmp_path: Path) -> None:
    text = bank(QA, "brief:\n  scope: yy\n  time_budget: zz\n")
    assert problems(tmp_path, text) == [
        expect(text, "yy", "scope names unknown question 'yy'"),
        expect(text, "zz", "time_budget names unknown question 'zz'"),
    ]


# ---------------------------------------------------------------------------- bounds


def test_integer_min_greater_than_max(tmp_path: Path) -> None:
    text = bank("- {id: a, type: integer, prompt: A, min: 5, max: 1}\n")
    assert only(tmp_path, text) == expect(text, "5,", "min 5 is greater than max 1")


def test_date_min_greater_than_max(tmp_path: Path) -> None:
    text = bank("- {id: a, type: date, prompt: A, min: 2025-01-01, max: 2024-01-01}\n")
    assert only(tmp_path, text) == expect(
        text, "2025-01-01", "min 2025-01-01 is greater than max 2024-01-01"
    )


def test_multi_choice_min_selected_greater_than_max_selected(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: multi_choice
          prompt: A
          min_selected: 3
          max_selected: 2
          choices: [{value: x}, {value: y}, {value: z}]
        """)
    assert only(tmp_path, text) == expect(
        text, "3\n", "min_selected 3 is greater than max_selected 2"
    )


def test_multi_choice_max_selected_above_the_choices(tmp_path: Path) -> None:
    text = bank(
        "- {id: a, type: multi_choice, prompt: A, max_selected: 3, choices: [{value: x}]}\n"
    )
    assert only(tmp_path, text) == expect(text, "3,", "max_selected 3 is more than the 1 choices")


def test_text_min_length_greater_than_max_length(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, prompt: A, min_length: 10, max_length: 5}\n")
    assert only(tmp_path, text) == expect(text, "10,", "min_length 10 is greater than max_length 5")


def test_long_text_min_length_greater_than_max_length(tmp_path: Path) -> None:
    text = bank("- {id: a, type: long_text, prompt: A, min_length: 10, max_length: 5}\n")
    assert only(tmp_path, text) == expect(text, "10,", "min_length 10 is greater than max_length 5")


def test_scale_min_greater_than_max(tmp_path: Path) -> None:
    text = bank("- {id: a, type: scale, prompt: A, min: 5, max: 1}\n")
    assert only(tmp_path, text) == expect(text, "5,", "min 5 is greater than max 1")


def test_scale_label_outside_the_scale(tmp_path: Path) -> None:
    text = bank("""\
        - id: a
          type: scale
          prompt: A
          min: 1
          max: 5
          labels: {1: Poor, 7: Great}
        """)
    assert only(tmp_path, text) == expect(text, "7:", "label for 7 is outside the scale 1-5")


def test_default_that_does_not_fit(tmp_path: Path) -> None:
    text = bank("- {id: a, type: integer, prompt: A, min: 1, max: 5, default: 9}\n")
    (found,) = problems(tmp_path, text)
    assert found.startswith(expect(text, "9}", "default does not fit the question: "))


def test_default_not_among_the_choices(tmp_path: Path) -> None:
    text = bank("- {id: a, type: choice, prompt: A, default: z, choices: [{value: x}]}\n")
    (found,) = problems(tmp_path, text)
    assert found.startswith(expect(text, "z,", "default does not fit the question: "))


def test_default_with_a_placeholder_is_checked_during_the_interview(tmp_path: Path) -> None:
    text = bank(QA + "- {id: b, type: text, prompt: B, default: 'Same as {a}'}\n")
    passes(tmp_path, text)


def test_bad_regex_pattern(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, prompt: A, pattern: '[a-'}\n")
    (found,) = problems(tmp_path, text)
    assert found.startswith(expect(text, "'[a-'", "pattern is not a valid regular expression: "))


# ---------------------------------------------------------------- everything at once


def test_every_problem_is_reported_in_one_run_sorted_by_line(tmp_path: Path) -> None:
    text = bank(
        """\
        - {id: a, type: text, prompt: A, colour: red}
        - {id: b, type: integer, prompt: 'B {zz}', min: 9, max: 1}
        - id: c
          type: choice
          prompt: C
          choices: [{value: x}, {value: x}]
        - {id: d, type: text, prompt: D, when: "c == 'q'"}
        - {id: e, type: text, prompt: E, when: 'e.f'}
        - {id: b, type: text, prompt: F}
        """,
        """\
        brief:
          time_budget: nowhere
          modules:
            - {id: m, title: M, minutes: ninety}
        """,
    )
    found = problems(tmp_path, text)
    assert found == [
        expect(text, "colour", "unknown key 'colour' for a text question"),
        expect(text, "{zz}", "placeholder names unknown question 'zz'"),
        expect(text, "9,", "min 9 is greater than max 1"),
        expect(text, "x}", "duplicate choice 'x'", nth=2),
        expect(text, "'q'", "'q' is not a choice of 'c' (choices: 'x')"),
        expect(text, "e.f", "attribute access is not allowed in a condition"),
        expect(text, "id: b", "duplicate question id 'b'", nth=2, shift=4),
        expect(text, "nowhere", "time_budget names unknown question 'nowhere'"),
        expect(text, "ninety", "minutes must be a whole number"),
    ]
    lines = [int(f.split(":")[1]) for f in found]
    assert lines == sorted(lines)
    assert len(set(lines)) >= 8


def test_load_bank_raises_with_every_problem(tmp_path: Path) -> None:
    text = bank("""\
        - {id: a, type: text, prompt: A, colour: red}
        - {id: b, type: integer, prompt: B, min: 9, max: 1}
        """)
    with pytest.raises(BankError) as info:
        load_bank(write_bank(tmp_path, text), "bank.yaml")
    assert len(info.value.lines()) == 2
    assert all(line.startswith("bank.yaml:") for line in info.value.lines())


# ------------------------------------------------------------------------ shipped bank


def test_shipped_bank_passes(shipped_bank_path: Path) -> None:
    checked, found = check_file(shipped_bank_path)
    assert found == []
    assert checked is not None
    assert checked.id == "library-customer-service"
    assert len(checked.sections) == 7
    # The 37 of the first round and the second round's planning and diagnosis questions.
    assert 45 <= len(checked.questions) <= 60
    assert all(q.label for q in checked.questions)
    assert all(m.objectives and m.reason for m in checked.brief.modules)
    assert all(f.reason for f in checked.brief.flags if f.audience == "client")
    assert len(checked.brief.modules) == 18
    assert checked.brief.scope == "cs_meaning"
    loaded = load_bank(shipped_bank_path)
    assert loaded.bank == checked
    assert len(loaded.sha256) == 64


@pytest.mark.parametrize("section_id", ["behaviour", "offerings"])
def test_shipped_detail_sections_depend_on_what_customer_service_means(
    shipped_bank_path: Path, section_id: str
) -> None:
    checked, _ = check_file(shipped_bank_path)
    assert checked is not None
    (section,) = [s for s in checked.sections if s.id == section_id]
    assert section.when is not None
    assert [name for name, _ in parse(section.when).names] == ["cs_meaning"]


# ------------------------------------------------------- labels, exclusive, precision


def test_label_exclusive_precision_and_client_pass(tmp_path: Path) -> None:
    passes(
        tmp_path,
        bank("""\
        - id: name
          type: text
          label: Library name
          prompt: "Which library, {client}?"
          default: "{client}"
        - id: held
          type: multi_choice
          prompt: Which?
          choices:
            - {value: log, label: A complaints log}
            - {value: none, label: None yet, exclusive: true}
        - {id: survey, type: date, precision: month, prompt: When}
        """),
    )


def test_a_precision_that_is_not_day_month_or_year(tmp_path: Path) -> None:
    text = bank("- {id: d, type: date, precision: week, prompt: When}\n")
    assert only(tmp_path, text) == expect(
        text, "week", "precision must be 'day', 'month' or 'year'"
    )


def test_exclusive_is_only_for_multi_choice(tmp_path: Path) -> None:
    text = bank("""\
        - id: c
          type: choice
          prompt: Which?
          choices:
            - {value: a, exclusive: true}
        """)
    assert only(tmp_path, text) == expect(
        text, "true", "exclusive is for the choices of a multi_choice question"
    )


def test_a_label_must_be_text(tmp_path: Path) -> None:
    text = bank("- {id: a, type: text, label: 7, prompt: A}\n")
    assert only(tmp_path, text) == expect(text, "7", "label must be text")


# ----------------------------------------------------------------- the brief as a proposal

PROPOSAL_QUESTIONS = """\
- {id: who, type: text, prompt: Sponsor}
- {id: count, type: integer, prompt: Count}
- {id: open, type: yes_no, prompt: Open}
"""


def test_the_proposal_keys_pass_when_sound(tmp_path: Path) -> None:
    passes(
        tmp_path,
        bank(
            PROPOSAL_QUESTIONS,
            """\
            brief:
              problem: ["Sponsored by {who}"]
              sponsor: who
              participants: count
              stays_open: open
              day: {start: "08:30", break_after: 90, break_minutes: 15}
              group_max: 25
              assumptions:
                - {text: "Staff are paid", when: "open == true"}
              approvals:
                - text: "{who} approves"
              flags:
                - {id: d, level: warning, kind: decision, owner: "{who}", when: "count > 3",
                   message: M}
            """,
        ),
    )


def test_a_problem_placeholder_naming_an_unknown_question(tmp_path: Path) -> None:
    text = bank(PROPOSAL_QUESTIONS, 'brief:\n  problem:\n    - "Why now: {why}"\n')
    assert only(tmp_path, text) == expect(text, "{why}", "placeholder names unknown question 'why'")


def test_a_bad_clock_time_and_a_break_after_zero(tmp_path: Path) -> None:
    text = bank(
        PROPOSAL_QUESTIONS,
        'brief:\n  day:\n    start: "9am"\n    break_after: 0\n',
    )
    assert problems(tmp_path, text) == [
        expect(text, '"9am"', 'start must be a clock time HH:MM (24-hour), e.g. "09:00"'),
        expect(text, "0\n", "break_after: input should be greater than 0"),
    ]


def test_group_keys_name_questions_of_the_right_type(tmp_path: Path) -> None:
    text = bank(
        PROPOSAL_QUESTIONS,
        "brief:\n  participants: who\n  stays_open: nobody\n  sponsor: count\n",
    )
    assert problems(tmp_path, text) == [
        expect(text, "who\n", "participants 'who' must be an integer question", nth=1),
        expect(text, "nobody", "stays_open names unknown question 'nobody'"),
    ]


def test_group_max_needs_the_participants_question(tmp_path: Path) -> None:
    text = bank(PROPOSAL_QUESTIONS, "brief:\n  group_max: 25\n")
    assert only(tmp_path, text) == expect(
        text, "25", "group_max needs brief.participants, the question that counts participants"
    )


def test_assumption_condition_and_decision_owner_are_checked(tmp_path: Path) -> None:
    text = bank(
        PROPOSAL_QUESTIONS,
        """\
        brief:
          assumptions:
            - {text: T, when: "opn == true"}
          flags:
            - {id: d, level: info, kind: decision, when: "count > 3", message: M}
            - {id: e, level: info, kind: choice, when: "count > 3", message: M}
        """,
    )
    assert problems(tmp_path, text) == [
        expect(text, "opn", "condition names unknown question 'opn'"),
        expect(text, "decision,", "a decision flag names its owner (owner: director, board, ...)"),
        expect(text, "choice,", "kind must be 'risk' or 'decision'"),
    ]


def test_the_type_names_are_those_of_the_one_union_of_question_types() -> None:
    names = tuple(get_args(cls.model_fields["type"].annotation)[0] for cls in get_args(AnyQuestion))
    assert names == QUESTION_TYPES
