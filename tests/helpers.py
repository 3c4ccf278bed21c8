"""Helpers shared by test files: ``from helpers import write_bank, MINIMAL_BANK``."""

from __future__ import annotations

import textwrap
from pathlib import Path

MINIMAL_BANK = """\
format: csintake/bank@1
id: mini
version: 1.0.0
title: Mini bank
sections:
  - id: basics
    title: Basics
    questions:
      - id: name
        type: text
        prompt: Which library is this for?
        min_length: 2
      - id: meaning
        type: choice
        prompt: Which kind of service, {name}?
        choices:
          - {value: behavior, label: How staff treat patrons}
          - {value: offerings, label: The services we offer}
      - id: minutes
        type: choice
        prompt: How much time is there?
        default: 60
        choices:
          - {value: 60, label: One hour}
          - {value: 120, label: Two hours}
  - id: detail
    title: Detail
    when: meaning == 'behavior'
    questions:
      - id: staff
        type: integer
        prompt: How many staff?
        min: 1
        max: 100
      - id: channels
        type: multi_choice
        required: false
        prompt: Where do problems show up?
        choices:
          - {value: desk, label: At the desk}
          - {value: phone, label: On the phone}
      - id: rating
        type: scale
        prompt: How well do staff greet patrons?
        min: 1
        max: 5
        labels: {1: Poor, 5: Great}
      - id: trained
        type: yes_no
        prompt: Any training in the last three years?
        when: "'desk' in channels"
      - id: start
        type: date
        required: false
        prompt: By when?
brief:
  title: "Brief: {name}"
  scope: meaning
  time_budget: minutes
  modules:
    - id: foundations
      title: Foundations
      minutes: 30
      priority: core
    - id: desk-manner
      title: Desk manner
      minutes: 60
      priority: high
      when: meaning == 'behavior'
  flags:
    - id: large-group
      level: info
      when: staff > 25
      message: "{staff} staff: plan repeated sessions."
"""


def write_bank(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    """Dedent ``text`` and write it as ``tmp_path/name``; the file's path."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
