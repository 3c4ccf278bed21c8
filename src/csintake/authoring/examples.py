"""A bank's own examples (``BANK.tests.yaml`` beside ``BANK.yaml``), run as tests.

Each example is a set of answers and what the brief must then say: the scope, modules that
must be kept, flags that must be raised, and modules and flags that must not be. The answers
go through the interview engine and the brief builder exactly as an answers file does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from csintake.authoring.coverage import rehearse
from csintake.bank.catalog import TESTS_SUFFIX
from csintake.bank.loader import LoadedBank
from csintake.bank.problems import pydantic_problems
from csintake.errors import AnswerError, Problem, YamlError
from csintake.files.yamlfile import Located, load_file


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scope: StrictStr | int | None = None
    modules: list[StrictStr] = Field(default_factory=list)
    flags: list[StrictStr] = Field(default_factory=list)
    not_modules: list[StrictStr] = Field(default_factory=list)
    not_flags: list[StrictStr] = Field(default_factory=list)


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[StrictStr, Field(min_length=1)]
    answers: dict[StrictStr, Any] = Field(default_factory=dict)
    expect: Expect = Field(default_factory=Expect)


@dataclass(frozen=True)
class Difference:
    """One expectation that did not hold: what was expected and what the brief has."""

    key: str
    expected: str
    actual: str
    detail: str = ""


@dataclass(frozen=True)
class Outcome:
    name: str
    differences: tuple[Difference, ...]

    @property
    def passed(self) -> bool:
        return not self.differences


def tests_path(bank_path: Path) -> Path:
    """Where a bank's examples live: ``my-bank.yaml`` -> ``my-bank.tests.yaml``."""
    return bank_path.with_name(bank_path.stem + TESTS_SUFFIX)


def load_examples(path: Path, loaded: LoadedBank, display: str | None = None) -> list[Example]:
    """The examples in ``path``, checked against the bank: every problem with its place."""
    name = display or str(path)
    if not path.is_file():
        raise YamlError([Problem(name, 0, 0, "no examples file beside the bank")])
    doc = load_file(path, name)
    if not isinstance(doc.value, list):
        raise YamlError([doc.problem((), "an examples file is a list of {name, answers, expect}")])
    problems: list[Problem] = []
    examples: list[Example] = []
    for i, raw in enumerate(doc.value):
        # Ids are checked even in an example whose shape is wrong: every problem at once.
        if isinstance(raw, dict):
            problems.extend(_unknown_ids(doc, i, raw, loaded))
        try:
            examples.append(Example.model_validate(raw))
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, doc, (i,)))
    if problems:
        raise YamlError(sorted(problems, key=lambda p: (p.line, p.column, p.message)))
    return examples


def _unknown_ids(doc: Located, i: int, raw: dict[str, Any], loaded: LoadedBank) -> list[Problem]:
    from csintake.bank.validation import validate_answer

    bank = loaded.bank
    found: list[Problem] = []
    answers = raw.get("answers")
    expect = raw.get("expect")
    for qid, value in (answers if isinstance(answers, dict) else {}).items():
        question = bank.question_map.get(qid)
        if question is None:
            found.append(doc.problem((i, "answers", qid), f"unknown question '{qid}'", key=True))
            continue
        try:
            validate_answer(question, value)
        except AnswerError as exc:
            found.append(doc.problem((i, "answers", qid), f"{qid}: {exc}"))
    known = {
        "modules": {m.id for m in bank.brief.modules},
        "flags": {f.id for f in bank.brief.flags},
    }
    for key in ("modules", "flags", "not_modules", "not_flags"):
        kind = key.removeprefix("not_")
        items = expect.get(key) if isinstance(expect, dict) else None
        for j, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, str) and item not in known[kind]:
                found.append(doc.problem((i, "expect", key, j), f"unknown {kind[:-1]} '{item}'"))
    return found


def run_example(loaded: LoadedBank, example: Example) -> Outcome:
    """Build the brief for the example's answers and compare it with what is expected."""
    from csintake.brief.builder import build_brief

    brief = build_brief(rehearse(loaded, example.answers))
    kept = [m.id for m in brief.agenda.modules]
    raised = [f.id for f in brief.flags]
    expect = example.expect
    differences: list[Difference] = []
    if expect.scope is not None and brief.scope.value != expect.scope:
        differences.append(Difference("scope", str(expect.scope), _shown(brief.scope.value)))
    for key, wanted, actual, present in (
        ("modules", expect.modules, kept, True),
        ("flags", expect.flags, raised, True),
        ("not_modules", expect.not_modules, kept, False),
        ("not_flags", expect.not_flags, raised, False),
    ):
        wrong = [w for w in wanted if (w in actual) != present]
        if wrong:
            detail = ("missing: " if present else "unexpected: ") + ", ".join(wrong)
            differences.append(Difference(key, _list(wanted), _list(actual), detail))
    return Outcome(example.name, tuple(differences))


def _shown(value: Any) -> str:
    return "(not answered)" if value is None else str(value)


def _list(items: list[str]) -> str:
    return ", ".join(items) if items else "(none)"


def run_examples(loaded: LoadedBank, path: Path, display: str | None = None) -> list[Outcome]:
    return [run_example(loaded, e) for e in load_examples(path, loaded, display)]


def outcome_lines(outcome: Outcome) -> list[str]:
    """``PASS name``, or ``FAIL name`` and, per expectation that failed, the two sides."""
    from csintake.printable import one_line

    if outcome.passed:
        return [one_line(f"PASS  {outcome.name}")]
    lines = [one_line(f"FAIL  {outcome.name}")]
    for d in outcome.differences:
        heading = f"{d.key} ({d.detail})" if d.detail else d.key
        wanted = "expected none of" if d.key.startswith("not_") else "expected"
        got = "kept" if "modules" in d.key else "raised" if "flags" in d.key else "actual"
        width = max(len(wanted), len(got))
        lines.append(one_line(f"      {heading}"))
        lines.append(one_line(f"        - {wanted + ':':<{width + 1}} {d.expected}"))
        lines.append(one_line(f"        + {got + ':':<{width + 1}} {d.actual}"))
    return lines


def summary(outcomes: list[Outcome]) -> str:
    passed = sum(o.passed for o in outcomes)
    return f"{passed} passed, {len(outcomes) - passed} failed"
