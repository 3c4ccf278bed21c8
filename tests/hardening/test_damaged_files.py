"""Damaged or unusual YAML and JSON: each case the fuzzing found, pinned as an example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from csintake.bank.checker import check_bytes
from csintake.errors import Problem, YamlError
from csintake.files import yamlfile
from csintake.files.yamlfile import load_plain, load_text
from helpers import MINIMAL_BANK

from .common import assert_problem_lines


def problems(text: str) -> list[str]:
    with pytest.raises(YamlError) as info:
        load_text(text, "f.yaml")
    assert_problem_lines(info.value.lines(), "f.yaml")
    return info.value.lines()


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x9b", "\ufffe"])
def test_a_control_character_in_a_file_is_a_located_problem(char: str) -> None:
    assert problems(f"a: 1\nb: x{char}y\n") == [
        f"f.yaml:2:5: YAML syntax: character U+{ord(char):04X} is not allowed"
    ]


def test_an_integer_with_too_many_digits_is_a_located_problem() -> None:
    assert problems("a:\n  - " + "9" * 5000 + "\n") == ["f.yaml:2:5: number has too many digits"]


def test_a_json_surrogate_pair_is_one_character() -> None:
    text = json.dumps({"a": "smile 😀 👩‍👩‍👧"})  # ensure_ascii: written as \ud83d\ude00
    assert "\\ud83d" in text
    assert load_text(text, "f.json").value == {"a": "smile 😀 👩‍👩‍👧"}


def test_a_lone_surrogate_is_a_located_problem() -> None:
    assert problems('{"a": "x\\ud800y"}') == [
        "f.yaml:1:7: text holds half of a UTF-16 pair (\\ud800-\\udfff)"
    ]


def test_the_quick_loader_without_libyaml_leaves_control_characters_to_the_full_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The pure-Python reader refuses control characters as it is constructed.
    monkeypatch.setattr(yamlfile, "_QuickLoader", yaml.SafeLoader)
    assert load_plain("a: x\x1by\n") == (False, None)


def test_a_bank_without_sections_but_with_a_time_budget_is_reported() -> None:
    text = "format: csintake/bank@1\nid: b\nversion: '1'\ntitle: T\nbrief:\n  time_budget: x\n"
    bank, found = check_bytes(text.encode(), "b.yaml")
    assert bank is None
    assert "b.yaml:1:1: missing key 'sections'" in [str(p) for p in found]


def test_a_default_with_a_lone_brace_is_reported_once() -> None:
    text = MINIMAL_BANK.replace("default: 60", "default: 6{0")
    bank, found = check_bytes(text.encode(), "b.yaml")
    assert bank is None
    assert [str(p) for p in found] == [
        "b.yaml:22:19: a lone brace: write {{ or }} for a literal brace"
    ]


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("unknown key 'a\nb'", "unknown key 'a\\nb'"),
        ("unknown key '\x1b[2J'", "unknown key '\\x1b[2J'"),
        ("title \x1b]0;pwned\x07", "title \\x1b]0;pwned\\x07"),
        ("a\u2028b\r\tc", "a\\u2028b\\r\\tc"),
        ("مرحبا \u202eevil", "مرحبا \\u202eevil"),
    ],
)
def test_a_problem_is_one_line_and_never_a_terminal_sequence(message: str, shown: str) -> None:
    assert str(Problem("f.yaml", 3, 4, message)) == f"f.yaml:3:4: {shown}"
    assert str(Problem("f\x1b.yaml", 0, 0, message)) == f"f\\x1b.yaml: {shown}"


def test_a_key_with_a_line_break_gives_one_line_per_problem(tmp_path: Path) -> None:
    text = MINIMAL_BANK.replace("min_length: 2", 'min_length: 2\n        "x\\ny": 1')
    bank, found = check_bytes(text.encode(), "b.yaml")
    assert bank is None
    assert_problem_lines([str(p) for p in found], "b.yaml")
    assert any("x\\ny" in str(p) for p in found)
