"""What the hardening tests share: the shipped bank as data, line checks, hostile text."""

from __future__ import annotations

import os
import re
from pathlib import Path

from csintake.bank.catalog import shipped_dir

SHIPPED_BANK = shipped_dir() / "library-customer-service.yaml"

#: One problem per line: ``FILE:LINE:COL: message``, or ``FILE: message`` for a whole file.
LOCATED = re.compile(r"^.+:\d+:\d+: .+$")
WHOLE_FILE = re.compile(r"^.+: .+$")


def assert_problem_lines(lines: list[str], file: str) -> None:
    """Each line names ``file``, is one line, and says where and what."""
    assert lines, "an error with no problems"
    for line in lines:
        assert "\n" not in line, repr(line)
        assert "\r" not in line, repr(line)
        assert "\x1b" not in line, repr(line)
        assert line.startswith(f"{file}:"), repr(line)
        assert LOCATED.match(line) or WHOLE_FILE.match(line), repr(line)


def read_shipped() -> str:
    return SHIPPED_BANK.read_text(encoding="utf-8")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def examples(n: int) -> int:
    """``n`` hypothesis examples, times ``CSINTAKE_FUZZ_SCALE`` for a longer hunt."""
    return n * int(os.environ.get("CSINTAKE_FUZZ_SCALE", "1"))


#: Every question type with its limits, for answers of every kind.
ALL_TYPES_BANK = """\
format: csintake/bank@1
id: all-types
version: 1.0.0
title: Every type
sections:
  - id: only
    title: Only
    questions:
      - {id: name, type: text, prompt: "Name?", min_length: 2, max_length: 40}
      - id: code
        type: text
        prompt: Code?
        required: false
        pattern: "[A-Z]{2}-[0-9]+"
        pattern_message: Like AB-12
      - {id: story, type: long_text, prompt: "Story?", required: false}
      - id: kind
        type: choice
        prompt: Kind?
        choices: [{value: a, label: Ay}, {value: 2, label: Two}, {value: "3", label: Three}]
      - id: many
        type: multi_choice
        prompt: Many?
        required: false
        min_selected: 1
        max_selected: 2
        choices: [{value: x, label: "Ex, why"}, {value: y}, {value: 7}]
      - {id: ok, type: yes_no, prompt: "OK?"}
      - {id: count, type: integer, prompt: "Count?", min: -5, max: 10000}
      - {id: ratio, type: number, prompt: "Ratio?", required: false, min: -1.5, max: 1000000.0}
      - {id: free, type: number, prompt: "Free number?", required: false}
      - {id: rate, type: scale, prompt: "Rate?", min: 1, max: 5, labels: {1: Low, 5: High}}
      - {id: day, type: date, prompt: "Day?", required: false, min: 2020-01-01, max: 2030-12-31}
      - {id: when_any, type: date, prompt: "Any day?", required: false}
brief:
  title: "Brief: {name}"
  scope: kind
"""


def csintake_command() -> str:
    """The installed command, next to this interpreter (skips when it is not installed)."""
    import shutil
    import sys

    import pytest

    found = shutil.which("csintake") or str(Path(sys.executable).with_name("csintake"))
    if not Path(found).is_file():
        pytest.skip("the csintake command is not installed")
    return found


def subprocess_env(store: Path, **extra: str) -> dict[str, str]:
    """The environment for a csintake process on ``store``: plain, fixed-width output."""
    env = {**os.environ, "CSINTAKE_HOME": str(store), "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("FORCE_COLOR", None)
    env.update(extra)
    return env
