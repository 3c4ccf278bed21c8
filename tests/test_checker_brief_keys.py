"""``bank check`` on the brief's second-round keys: each mistake at its FILE:LINE:COL."""

from __future__ import annotations

import textwrap
from pathlib import Path

from csintake.bank.checker import check_file
from helpers import write_bank
from test_checker import at

BANK = textwrap.dedent("""\
    format: csintake/bank@1
    id: t
    version: '1'
    title: T
    sections:
      - id: s
        title: S
        questions:
          - {id: meaning, type: choice, label: Scope, prompt: W, choices: [{value: a}, {value: b}]}
          - {id: rating, type: scale, prompt: Rate it, min: 1, max: 5}
          - {id: due, type: date, prompt: When, sensitive: true}
    brief:
      strands:
        people: meaning == 'a'
      follow_up_sessions: 2
      modules:
        - id: one
          title: One
          minutes: 60
          strand: people
          short: {minutes: 30, summary: Short}
          priority_when:
            - {when: rating <= 2, priority: high}
          objectives: [Staff do X]
          reason: "because {meaning}"
      flags:
        - {id: soon, level: warning, when: days_until(due) < 56, message: Soon, audience: internal}
      evaluation:
        - {level: Reaction, timing: At the end, measure: A survey, when: answered(rating)}
    """)


def found(tmp_path: Path, text: str) -> list[str]:
    checked, problems = check_file(write_bank(tmp_path, text), "bank.yaml")
    assert (checked is None) == bool(problems)
    return [str(p) for p in problems]


def where(text: str, needle: str) -> str:
    line, column = at(text, needle)
    return f"bank.yaml:{line}:{column}"


def test_every_new_key_is_known(tmp_path: Path) -> None:
    assert found(tmp_path, BANK) == []


def test_each_mistake_is_one_located_line(tmp_path: Path) -> None:
    text = (
        BANK.replace("strand: people", "strand: places")
        .replace("{minutes: 30, summary: Short}", "{minutes: 90, summary: Short}")
        .replace("{when: rating <= 2, priority: high}", "{when: rating <=, priority: high}")
        .replace("audience: internal", "audience: staff")
    )
    got = found(tmp_path, text)
    assert len(got) == 4, got
    assert got[0] == (
        f"{where(text, 'places')}: strand 'places' is not in brief.strands (strands: people)"
    )
    assert got[1] == (
        f"{where(text, '90, summary')}: the short variant (90 minutes) must be shorter than"
        " the module (60 minutes)"
    )
    line = where(text, "rating <=,").split(":")[1]
    assert got[2].startswith(f"bank.yaml:{line}:")
    assert "condition does not parse" in got[2]
    assert got[3].startswith(f"{where(text, 'staff}')}: audience must be ")


def test_a_strand_condition_and_an_evaluation_condition_are_checked(tmp_path: Path) -> None:
    text = BANK.replace("people: meaning == 'a'", "people: meaning == 'c'").replace(
        "when: answered(rating)", "when: answered(nobody)"
    )
    got = found(tmp_path, text)
    assert len(got) == 2, got
    assert "'c' is not a choice of 'meaning'" in got[0]
    assert got[1] == f"{where(text, 'nobody')}: condition names unknown question 'nobody'"


def test_date_functions_take_a_question_id(tmp_path: Path) -> None:
    text = BANK.replace("days_until(due)", "days_until('2026-01-01')")
    got = found(tmp_path, text)
    assert len(got) == 1
    assert "days_until() takes a date question's id" in got[0]
