"""``examples/onboarding.sh``: the checklist script runs a complete scripted intake."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from csintake.store.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPT = EXAMPLES / "onboarding.sh"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def run_script(tmp_path: Path, *args: str, home: Path | None) -> subprocess.CompletedProcess[str]:
    """The script with the installed csintake first on PATH, and a private HOME and TMPDIR."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CSINTAKE_HOME", "XDG_DATA_HOME")
    }
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["HOME"] = str(tmp_path / "home")
    env["TMPDIR"] = str(tmp_path / "tmp")
    env["COLUMNS"] = "100"
    (tmp_path / "tmp").mkdir(exist_ok=True)
    if home is not None:
        env["CSINTAKE_HOME"] = str(home)
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_answers_file_answers_the_default_bank_in_full() -> None:
    data = yaml.safe_load((EXAMPLES / "answers.yaml").read_text(encoding="utf-8"))
    assert data["library_name"] == "Riverbend Public Library"
    assert data["cs_meaning"] == "both"


def test_a_complete_intake_into_the_consultant_s_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = run_script(tmp_path, home=store)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    session_id = Store(store).ids()[0]
    assert session_id.startswith("riverbend-public-library-")
    assert lines[0] == f"Session {session_id} is complete."
    # then `csintake show`: the client, the status and every section
    assert lines[1] == f"Riverbend Public Library  {session_id}"
    assert lines[2].strip() == "library-customer-service 1.0.0  complete, 53/53 answered"
    out = result.stdout
    for section in (
        "Request and scope",
        "Mission and strategy",
        "Audience",
        "How staff serve patrons",
        "Services the library offers",
        "Outcomes and measures",
        "Logistics",
    ):
        assert section in out
    assert "A full day (about 6.5 hours)" in out
    session = Store(store).load(session_id)
    assert session.status == "complete"
    assert session.sources["cs_meaning"] == "file"


def test_without_csintake_home_a_temporary_store_is_used(tmp_path: Path) -> None:
    result = run_script(tmp_path, home=None)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("onboarding: using a temporary store: ")
    temporary = Path(result.stderr.split(": ", 2)[2].strip())
    assert temporary.parent == tmp_path / "tmp"
    assert len(Store(temporary).ids()) == 1
    assert "is complete." in result.stdout
    # nothing went to the user's own data folder
    assert not any((tmp_path / "home").rglob("*.yaml"))


def test_an_incomplete_intake_lists_the_problems_and_fails(tmp_path: Path) -> None:
    answers = tmp_path / "partial.yaml"
    answers.write_text(
        "library_name: Riverbend Public Library\ncs_meaning: sometimes\nparticipants: 36\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = run_script(tmp_path, str(answers), "Riverbend Public Library", home=store)
    assert result.returncode == 1
    assert result.stdout == ""
    errors = result.stderr.splitlines()
    assert (
        f"csintake: {answers}:2:13: cs_meaning: Choose one of: behavior, offerings, both, unsure"
        in errors
    )
    assert any(line.startswith("csintake: missing answer: sponsor ") for line in errors)
    session_id = Store(store).ids()[0]
    assert (
        errors[-3]
        == "onboarding: the intake of Riverbend Public Library is incomplete (problems above)."
    )
    assert errors[-1] == (
        f"  CSINTAKE_HOME={store} csintake interview {session_id} --no-input --answers {answers}"
    )
    session = Store(store).load(session_id)
    assert session.status == "in_progress"
    assert session.answers["participants"] == 36


def test_no_session_without_the_answers_file(tmp_path: Path) -> None:
    result = run_script(tmp_path, str(tmp_path / "missing.yaml"), home=tmp_path / "store")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"csintake: {tmp_path / 'missing.yaml'}: no such answers file",
        "onboarding: no session was started for Riverbend Public Library (see above).",
    ]
