"""``csintake brief`` through the command line: formats, files, templates and errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csintake.cli import app
from test_brief_render import BEHAVIOUR, OFFERINGS

HEADLINE = "Customer service here means how staff treat patrons."


def make_session(runner: CliRunner, home: Path, answers: dict[str, Any], code: int = 0) -> str:
    """A session in ``home`` from ``answers``; its id. ``code`` is 1 for a draft."""
    before = set(home.glob("*.yaml"))
    answers_file = home.parent / f"answers-{len(before)}.json"
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "interview",
            "--client",
            "Ames Public Library",
            "--consultant",
            "Dana Reyes",
            "--answers",
            str(answers_file),
            "--no-input",
        ],
    )
    assert result.exit_code == code, result.output
    (new,) = set(home.glob("*.yaml")) - before
    return new.stem


@pytest.fixture
def complete(runner: CliRunner, csintake_home: Path) -> str:
    return make_session(runner, csintake_home, BEHAVIOUR)


@pytest.fixture
def draft(runner: CliRunner, csintake_home: Path) -> str:
    return make_session(runner, csintake_home, OFFERINGS, code=1)


def brief(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["brief", *args])


# ----------------------------------------------------------------------------- formats


def test_rich_in_the_terminal_by_default(runner: CliRunner, complete: str) -> None:
    result = brief(runner, complete)
    assert result.exit_code == 0, result.stderr
    assert "Training brief: Ames Public Library" in result.stdout
    assert HEADLINE in result.stdout
    for heading in ("Scope", "Agenda", "Flags", "Open questions", "Context"):
        assert heading in result.stdout
    assert "\x1b" not in result.stdout
    assert "DRAFT" not in result.stdout
    assert result.stderr == ""


def test_markdown_on_stdout(runner: CliRunner, complete: str) -> None:
    result = brief(runner, complete, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Training brief: Ames Public Library\n")
    assert f"**{HEADLINE}**" in result.stdout
    assert f"- **Date:** {dt.date.today().isoformat()}" in result.stdout
    # Breaks (45 minutes) come out of the full day, and listening (rated 3) gives way to the
    # practices rated 2: 330 minutes of modules, 15 to spare.
    assert "| **Total** | **330** | of 390 available |" in result.stdout
    fitted = "330 minutes of modules and 45 of breaks, of 390 available, 15 to spare."
    assert fitted in result.stdout


def test_json_on_stdout_is_one_document(runner: CliRunner, complete: str) -> None:
    result = brief(runner, complete, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scope"]["value"] == "behavior"
    assert data["agenda"]["budget_minutes"] == 390
    assert data["draft"] is False
    assert result.stderr == ""


def test_html_on_stdout(runner: CliRunner, complete: str) -> None:
    result = brief(runner, complete, "-f", "html")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert HEADLINE in result.stdout
    assert result.stdout.rstrip().endswith("</html>")


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("brief.md", "# Training brief"),
        ("brief.markdown", "# Training brief"),
        ("brief.json", "{"),
        ("brief.html", "<!DOCTYPE html>"),
        ("brief.HTM", "<!DOCTYPE html>"),
        ("brief.txt", "╭─ Training brief"),
    ],
)
def test_output_file_format_from_its_extension(
    runner: CliRunner, complete: str, tmp_path: Path, name: str, starts: str
) -> None:
    target = tmp_path / name
    result = brief(runner, complete, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Wrote" in result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith(starts)
    assert "\x1b" not in text
    assert HEADLINE in text
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_format_option_wins_over_the_extension(
    runner: CliRunner, complete: str, tmp_path: Path
) -> None:
    target = tmp_path / "brief.md"
    result = brief(runner, complete, "--format", "json", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["client"] == "Ames Public Library"


def test_rich_format_to_a_file_is_plain_text(
    runner: CliRunner, complete: str, tmp_path: Path
) -> None:
    target = tmp_path / "brief.out"
    result = brief(runner, complete, "--format", "rich", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_unknown_extension_without_format_is_a_usage_error(
    runner: CliRunner, complete: str, tmp_path: Path
) -> None:
    result = brief(runner, complete, "-o", str(tmp_path / "brief.docx"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "brief.docx" in result.stderr
    assert "--format" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_output_replaces_an_existing_file(runner: CliRunner, complete: str, tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old brief", encoding="utf-8")
    result = brief(runner, complete, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# Training brief")
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


def test_store_option_instead_of_the_environment(
    runner: CliRunner, complete: str, csintake_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CSINTAKE_HOME")
    result = runner.invoke(app, ["--store", str(csintake_home), "brief", complete, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["session"]["id"] == complete


# --------------------------------------------------------------------------- templates

CUSTOM = """\
{# A one-page summary for the director. #}
# {{ brief.client | md_cell }}: {{ brief.headline | md_cell }}

{% for m in brief.agenda.modules %}
1. {{ m.title | md_cell }} ({{ m.minutes }} min, {{ m.because | because | md_cell }})
{% endfor %}

Library: {{ brief.context[0].answers[0].shown | md }}
"""


def test_custom_markdown_template(runner: CliRunner, complete: str, tmp_path: Path) -> None:
    template = tmp_path / "summary.md.j2"
    template.write_text(CUSTOM, encoding="utf-8")
    result = brief(runner, complete, "--template", str(template))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"# Ames Public Library: {HEADLINE}"
    assert "1. Why service matters here (30 min, always included)" in lines
    assert (
        "1. Approachability standards (45 min, because cs\\_meaning = behavior and"
        " rate\\_greeting = 2)"
    ) in lines
    assert lines[-1] == "Library: Ames Public Library"


def test_custom_template_to_a_file(runner: CliRunner, complete: str, tmp_path: Path) -> None:
    template = tmp_path / "summary.md.j2"
    template.write_text(CUSTOM, encoding="utf-8")
    target = tmp_path / "out.md"
    result = brief(runner, complete, "--template", str(template), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# Ames Public Library: ")


def test_custom_html_template_is_autoescaped(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    session = make_session(runner, csintake_home, BEHAVIOUR | {"library_name": "<b>Ames</b>"})
    template = tmp_path / "page.html.j2"
    template.write_text("<h1>{{ brief.title }}</h1>\n", encoding="utf-8")
    result = brief(runner, session, "--template", str(template))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "<h1>Training brief: &lt;b&gt;Ames&lt;/b&gt;</h1>\n"


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ brief.__class__.__init__.__globals__ }}",
        "{{ brief.agenda.modules.__class__.__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os }}",
    ],
)
def test_the_sandbox_refuses_private_attributes(
    runner: CliRunner, complete: str, tmp_path: Path, expression: str
) -> None:
    template = tmp_path / "evil.md.j2"
    template.write_text(f"# {{{{ brief.title }}}}\n\n{expression}\n", encoding="utf-8")
    result = brief(runner, complete, "--template", str(template))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"csintake: {template}:3: ")
    assert "Traceback" not in result.stderr


def test_the_sandbox_refuses_changing_data(
    runner: CliRunner, complete: str, tmp_path: Path
) -> None:
    template = tmp_path / "change.md.j2"
    template.write_text("{{ meta.append(1) }}\n", encoding="utf-8")
    result = brief(runner, complete, "--template", str(template))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"csintake: {template}:1: ")


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("ok\n{% for x in %}\n", 2, "Expected an expression"),
        ("ok\n\n{{ brief.nope }}\n", 3, "has no attribute 'nope'"),
        ("{{ 1 / 0 }}\n", 1, "ZeroDivisionError: division by zero"),
        ("{{ missing_variable }}\n", 1, "'missing_variable' is undefined"),
        (
            "{% include 'other.j2' %}\n",
            1,
            (
                "a brief template cannot include, import or extend another ('other.j2'):"
                " put everything in one file"
            ),
        ),
    ],
)
def test_template_errors_are_one_line_with_file_and_line(
    runner: CliRunner, complete: str, tmp_path: Path, source: str, line: int, message: str
) -> None:
    template = tmp_path / "broken.md.j2"
    template.write_text(source, encoding="utf-8")
    result = brief(runner, complete, "--template", str(template))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    if "include" in source:
        assert result.stderr == f"csintake: {template}: {message}\n"
    else:
        assert result.stderr.startswith(f"csintake: {template}:{line}: ")
        assert message in result.stderr


def test_missing_template_file(runner: CliRunner, complete: str, tmp_path: Path) -> None:
    result = brief(runner, complete, "--template", str(tmp_path / "nope.md.j2"))
    assert result.exit_code == 1
    assert "cannot read the template" in result.stderr


def test_template_with_a_format_that_takes_none(
    runner: CliRunner, complete: str, tmp_path: Path
) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text("x\n", encoding="utf-8")
    result = brief(runner, complete, "--template", str(template), "--format", "json")
    assert result.exit_code == 2
    assert "--template" in result.stderr


# ------------------------------------------------------------------------------ errors


def test_unknown_session(runner: CliRunner) -> None:
    result = brief(runner, "no-such-session-2026-01-01")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "no session 'no-such-session-2026-01-01'" in result.stderr


def test_a_session_id_that_cannot_exist(runner: CliRunner) -> None:
    result = brief(runner, "../../etc/passwd", "-f", "json")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1


# ------------------------------------------------------------------------------- draft


def test_draft_is_marked_in_every_format(runner: CliRunner, draft: str, tmp_path: Path) -> None:
    still_open = "2 required questions are still open"
    rich = brief(runner, draft)
    assert rich.exit_code == 0, rich.stderr
    assert "DRAFT" in rich.stdout
    assert still_open in rich.stdout
    assert "change_1_year, sponsor" in rich.stdout

    markdown = brief(runner, draft, "-f", "markdown")
    assert markdown.stdout.splitlines()[2].startswith("> **DRAFT: ")
    assert "change\\_1\\_year, sponsor" in markdown.stdout

    data = json.loads(brief(runner, draft, "-f", "json").stdout)
    assert data["draft"] is True
    assert data["still_open"] == ["change_1_year", "sponsor"]
    assert [(q["id"], q["reason"]) for q in data["open_questions"]] == [
        ("change_1_year", "unanswered"),
        ("sponsor", "unanswered"),
    ]

    page = brief(runner, draft, "-f", "html").stdout
    assert '<p class="draft">DRAFT: ' in page
    assert "<title>Training brief: Ames Public Library (draft)</title>" in page


def test_a_complete_session_is_not_a_draft(runner: CliRunner, complete: str) -> None:
    data = json.loads(brief(runner, complete, "-f", "json").stdout)
    assert data["draft"] is False
    assert data["still_open"] == []
    assert data["session"]["status"] == "complete"


# ------------------------------------------------------------------------------- speed


def test_jinja2_is_imported_only_for_html_and_a_template_of_ones_own(
    complete: str, csintake_home: Path, tmp_path: Path
) -> None:
    script = (
        "import sys\n"
        "from csintake.cli import app\n"
        "try:\n"
        "    app(sys.argv[1:], standalone_mode=False)\n"
        "finally:\n"
        "    print('jinja2' in sys.modules, file=sys.stderr)\n"
    )

    def jinja_loaded(*args: str) -> bool:
        done = subprocess.run(
            [sys.executable, "-c", script, "brief", complete, *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stderr.strip().splitlines()[-1] == "True"

    assert not jinja_loaded()
    assert not jinja_loaded("-f", "json")
    assert not jinja_loaded("-f", "markdown")
    assert jinja_loaded("-f", "html")
    template = tmp_path / "mine.md.j2"
    template.write_text("{{ brief.client | md_cell }}\n", encoding="utf-8")
    assert jinja_loaded("--template", str(template))


def test_the_example_template_in_the_docs_works(
    runner: CliRunner, draft: str, tmp_path: Path
) -> None:
    docs = (Path(__file__).parents[1] / "docs" / "brief.md").read_text(encoding="utf-8")
    example = docs.split("```jinja\n", 1)[1].split("```", 1)[0]
    template = tmp_path / "summary.md.j2"
    template.write_text(example, encoding="utf-8")
    result = brief(runner, draft, "--template", str(template))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# Ames Public Library: Customer service here means the services we offer."
    assert lines[2].startswith("*DRAFT: ")
    assert "1. **Why service matters here** (30 min): Connects good service" in result.stdout
    assert "- Warning: Changing services needs the decision maker (Library board)" in (
        result.stdout
    )
    assert "Info" not in result.stdout


def test_an_exported_brief_is_readable_by_others_as_new_files_are(
    runner: CliRunner, complete: str, tmp_path: Path
) -> None:
    # Session files are private (0600); a brief is made to be sent, so it follows the umask.
    old = os.umask(0o022)
    try:
        target = tmp_path / "brief.md"
        result = brief(runner, complete, "-o", str(target))
        assert result.exit_code == 0, result.stderr
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        target.chmod(0o640)
        assert brief(runner, complete, "-o", str(target)).exit_code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    finally:
        os.umask(old)
