"""``csintake bank coverage``: every question, module and flag, reached by some answers or not."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csintake.authoring.coverage import Coverage, coverage, witnesses
from csintake.bank.catalog import shipped_dir
from csintake.bank.loader import load_bank
from csintake.cli import app
from csintake.files.yamlfile import load_file
from helpers import MINIMAL_BANK, write_bank

SHIPPED = shipped_dir() / "library-customer-service.yaml"

# Three defects, each on a line of its own: a question whose condition contradicts itself, a
# module longer than the longest budget, and a flag that asks for more staff than allowed.
DEFECTS = (
    MINIMAL_BANK.replace(
        "      - id: minutes\n",
        "      - id: contradiction\n"
        "        type: yes_no\n"
        "        prompt: Never asked?\n"
        "        when: meaning == 'behavior' and meaning == 'offerings'\n"
        "      - id: minutes\n",
    )
    .replace(
        "  flags:\n",
        "    - id: marathon\n      title: Marathon\n      minutes: 500\n  flags:\n",
    )
    .replace(
        '      message: "{staff} staff: plan repeated sessions."\n',
        '      message: "{staff} staff: plan repeated sessions."\n'
        "    - id: crowd\n"
        "      level: info\n"
        "      when: staff > 100\n"
        "      message: More staff than the question allows.\n",
    )
)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def report_of(path: Path, bound: int = 2000) -> Coverage:
    return coverage(load_bank(path), load_file(path, str(path)), bound)


def test_each_defect_is_named_at_its_line_and_nothing_else(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write_bank(tmp_path, DEFECTS)
    result = runner.invoke(app, ["bank", "coverage", str(path)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        (
            f"{path}:{line_of(DEFECTS, 'when: meaning ==')}:15: question 'contradiction' is never"
            " asked: its condition can never hold"
        ),
        (
            f"{path}:{line_of(DEFECTS, 'minutes: 500')}:16: module 'marathon' (500 minutes) is kept"
            " under no budget that can be answered (the most 'minutes' allows is 120)"
        ),
        (
            f"{path}:{line_of(DEFECTS, 'staff > 100')}:13: flag 'crowd' can never be raised: its"
            " condition can never hold"
        ),
    ]
    assert "  module marathon: kept NEVER" in result.stdout
    assert "  flag large-group: raised when meaning = behavior, staff = 26" in result.stdout
    assert "modules: 2 of 3 kept by some answers" in result.stdout


def test_a_dead_section_is_one_line_at_its_condition(runner: CliRunner, tmp_path: Path) -> None:
    text = MINIMAL_BANK.replace(
        "when: meaning == 'behavior'", "when: meaning == 'behavior' and false", 1
    )
    path = write_bank(tmp_path, text)
    result = runner.invoke(app, ["bank", "coverage", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"{path}:{line_of(text, 'and false')}:11: section 'detail' is never shown:"
        " its condition can never hold"
    )
    # Its questions are not listed one by one; the flag that reads one of them is dead too.
    assert len(lines) == 2
    assert "flag 'large-group' can never be raised" in lines[1]


def test_a_sound_bank_is_covered_with_exit_0(runner: CliRunner, tmp_path: Path) -> None:
    path = write_bank(tmp_path, MINIMAL_BANK)
    result = runner.invoke(app, ["bank", "coverage", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "  question trained: asked when meaning = behavior, channels = [desk]" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("every item was reached")


def test_the_shipped_bank_reaches_everything(runner: CliRunner) -> None:
    result = runner.invoke(app, ["bank", "coverage", str(SHIPPED)])
    assert result.exit_code == 0, result.stderr
    assert "modules: 18 of 18 kept by some answers" in result.stdout


def test_json_has_a_witness_for_each_reached_item(runner: CliRunner, tmp_path: Path) -> None:
    path = write_bank(tmp_path, DEFECTS)
    result = runner.invoke(app, ["bank", "coverage", "--json", str(path)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    modules = {m["id"]: m for m in data["modules"]}
    assert modules["marathon"]["reachable"] is False
    assert modules["marathon"]["witness"] is None
    assert modules["desk-manner"]["because"] == {"meaning": "behavior", "minutes": 120}
    assert modules["desk-manner"]["witness"]["meaning"] == "behavior"
    assert len(data["problems"]) == 3
    assert data["search"]["bounded"] is False


def test_a_search_that_would_explode_says_its_bound(runner: CliRunner, tmp_path: Path) -> None:
    # Twelve yes/no questions and a flag that needs all of them, with no way to hold.
    questions = "".join(
        f"      - id: q{i}\n        type: yes_no\n        prompt: Question {i}?\n"
        for i in range(12)
    )
    when = " and ".join(f"q{i}" for i in range(12)) + " and not q0"
    text = (
        "format: csintake/bank@1\nid: wide\nversion: 1.0.0\ntitle: Wide\nsections:\n"
        "  - id: all\n    title: All\n    questions:\n" + questions + "brief:\n  flags:\n"
        f"    - id: never\n      level: info\n      when: {when}\n      message: Never.\n"
    )
    path = write_bank(tmp_path, text)
    result = runner.invoke(app, ["bank", "coverage", "--bound", "100", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        (
            f"{path}:{line_of(text, 'when: q0')}:13: flag 'never' can never be raised:"
            " its condition can never hold"
            " (searched 100 of 4096 sets of answers: the search was bounded)"
        )
    ]
    assert "bounded at 100 sets per item: 1 unreached items were not searched through" in (
        result.stdout
    )


def test_a_broken_bank_is_reported_as_bank_check_does(runner: CliRunner, tmp_path: Path) -> None:
    path = write_bank(tmp_path, MINIMAL_BANK.replace("max: 100", "max: 0"))
    result = runner.invoke(app, ["bank", "coverage", str(path)])
    assert result.exit_code == 1
    assert "min 1 is greater than max 0" in result.stderr
    assert "Traceback" not in result.output


# ------------------------------------------------------------ witnesses, through the CLI

_SHIPPED_REPORT = report_of(SHIPPED)
_WITNESSES = [
    (item.kind, item.id, answers)
    for item, answers in witnesses(_SHIPPED_REPORT)
    if item.kind != "question"
]


def _brief_of(runner: CliRunner, answers: dict[str, Any]) -> Any:
    with tempfile.TemporaryDirectory() as store:
        file = Path(store) / "answers.json"
        file.write_text(json.dumps(answers), encoding="utf-8")
        made = runner.invoke(
            app,
            [
                "--store",
                store,
                "interview",
                "--client",
                "Witness Library",
                "--answers",
                str(file),
                "--no-input",
            ],
        )
        assert made.exit_code == 0, made.output
        (session,) = [p.stem for p in Path(store).glob("*.yaml")]
        shown = runner.invoke(app, ["--store", store, "brief", session, "--format", "json"])
        assert shown.exit_code == 0, shown.output
        return json.loads(shown.stdout)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_WITNESSES))
def test_every_witness_produces_its_module_or_flag(case: tuple[str, str, dict[str, Any]]) -> None:
    kind, item_id, answers = case
    brief = _brief_of(CliRunner(), answers)
    if kind == "module":
        assert item_id in [m["id"] for m in brief["agenda"]["modules"]]
    else:
        assert item_id in [f["id"] for f in brief["flags"]]


@pytest.mark.parametrize("kind", ["module", "flag"])
def test_there_is_a_witness_for_every_module_and_flag(kind: str) -> None:
    items = _SHIPPED_REPORT.of(kind)  # type: ignore[arg-type]
    assert items
    assert all(i.witness is not None for i in items)


def test_a_module_crowded_out_by_a_rival_is_found_when_the_rival_is_not_relevant(
    runner: CliRunner, tmp_path: Path
) -> None:
    # `small` fits only when `hog` is not on the agenda, which depends on an answer that
    # `small`'s own condition does not read.
    text = (
        MINIMAL_BANK.replace(
            "      - id: minutes\n",
            "      - id: big\n        type: yes_no\n        prompt: A big group?\n"
            "      - id: huge\n        type: yes_no\n        prompt: A huge group?\n"
            "      - id: minutes\n",
        )
        .replace(
            "      minutes: 60\n      priority: high\n", "      minutes: 5\n      priority: low\n"
        )
        .replace(
            "  flags:\n",
            "    - id: small\n      title: Small\n      minutes: 60\n"
            "    - id: hog\n      title: Hog\n      minutes: 80\n      priority: high\n"
            "      when: big or huge\n"
            "  flags:\n",
        )
    )
    path = write_bank(tmp_path, text)
    result = runner.invoke(app, ["bank", "coverage", str(path)])
    assert result.exit_code == 0, result.stderr
    assert (
        "  module small: kept when meaning = behavior, big = false, huge = false, minutes = 120"
    ) in result.stdout
