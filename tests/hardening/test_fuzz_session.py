"""Damaged session files: whatever is done to a session file, every command either works or
says what is wrong on one line and exits 1, and a file it cannot read is never written over."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csintake.cli import app
from csintake.files.yamlfile import load_text

from .common import examples
from .test_fuzz_bank import mutated_data, mutated_text

ANSWERS = Path(__file__).parent.parent / "data" / "answers-both.yaml"
LINE = re.compile(r"^csintake: .+$")


def _complete_session() -> tuple[str, str]:
    """The text of a complete session on the shipped bank, and its id."""
    with tempfile.TemporaryDirectory() as folder:
        args = ["--store", folder, "interview", "--no-input", "--client", "Ames"]
        result = CliRunner().invoke(app, [*args, "--answers", str(ANSWERS)])
        assert result.exit_code == 0, result.stderr
        sid = result.stdout.strip()
        return (Path(folder) / f"{sid}.yaml").read_text(encoding="utf-8"), sid


SESSION_TEXT, SID = _complete_session()
SESSION_DATA: Any = yaml.safe_load(SESSION_TEXT)

SETTINGS = settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def run(runner: CliRunner, store: Path, *args: str) -> Any:
    result = runner.invoke(app, ["--store", str(store), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert result.exit_code in (0, 1), (args, result.exit_code, result.stderr)
    for line in result.stderr.splitlines():
        assert LINE.match(line) or line.startswith("  ") or line[:1].isupper(), (args, line)
        assert "\x1b" not in line
    return result


def check_damaged(text: str, runner: CliRunner, tmp_path: Path) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        store = Path(folder)
        path = store / f"{SID}.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        readable = run(runner, store, "show", SID, "--json").exit_code == 0
        run(runner, store, "show", SID)
        listed = json.loads(run(runner, store, "sessions", "--json").stdout)
        assert [row["id"] for row in listed] == [SID]
        run(runner, store, "brief", SID, "--format", "json")
        before = path.read_bytes()
        kept = json.loads(run(runner, store, "show", SID, "--json").stdout) if readable else {}
        run(runner, store, "interview", SID, "--no-input")
        if not readable:
            assert path.read_bytes() == before, "a file that could not be read was written"
        else:
            after = load_text(path.read_text(encoding="utf-8"), "after").value
            for qid, value in kept["answers"].items():
                assert after["answers"][qid] == value, qid


@SETTINGS
@given(data=st.data())
def test_a_session_file_damaged_as_data_never_crashes_a_command(
    data: st.DataObject, runner: CliRunner, tmp_path: Path
) -> None:
    mutated = data.draw(mutated_data(SESSION_DATA))
    check_damaged(yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False), runner, tmp_path)


@SETTINGS
@given(data=st.data())
def test_a_session_file_damaged_as_text_never_crashes_a_command(
    data: st.DataObject, runner: CliRunner, tmp_path: Path
) -> None:
    check_damaged(data.draw(mutated_text(SESSION_TEXT)), runner, tmp_path)
