"""Hostile text end to end: markup, Markdown, HTML, escape sequences, right-to-left text,
emoji and a 1 MB answer, in answers and in the bank, are stored exactly and shown as typed
everywhere: never interpreted by Rich, a Markdown renderer, a browser or the terminal."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from csintake.brief import markdown_text as brief_markdown
from csintake.brief import rich as brief_rich
from csintake.brief import templating as brief_templating
from csintake.cli import app
from csintake.interview.intake import new_session, open_session
from csintake.printable import visible
from csintake.store.store import Store

from .common import examples

MARKUP = "[bold red]x[/] [link=file:///etc/passwd]y[/link] [/]"
MARKDOWN = "**b** _i_ `c` # h | a | b | [l](http://e.x) ![i](x.png) <b>&amp;"
HTML = "<script>alert(1)</script> <img src=x onerror=alert(2)> </td></table>"
ANSI = "\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b[2J \x9b2J \x07"
RTL = "مرحبا بالعالم עברית \u202eevil\u202c"
EMOJI = "👩‍👩‍👧‍👦 🏳️‍🌈 é ñ Z̤͔ͧ̑̓ 한국어"
LINE = " ".join([MARKUP, MARKDOWN, HTML, ANSI, RTL, EMOJI])
BLOCK = "\n".join(
    [
        *("# heading", "- item", "+ item", "1. first", "> quote", "| a | b |", "|---|---|"),
        *("```", "code", "```", "    indented", "---", "===", LINE, "<!-- c -->", "line\\"),
    ]
)
CONTROLS = ("\x1b", "\x07", "\x9b")
CLIENT = f"Client {MARKUP} {HTML} {ANSI} {RTL}"


def hostile_bank() -> dict[str, Any]:
    """A bank whose every text holds the hostile line (no braces: those are placeholders)."""
    return {
        "format": "csintake/bank@1",
        "id": "hostile",
        "version": "1.0.0",
        "title": f"Bank {LINE}",
        "description": LINE,
        "sections": [
            {
                "id": "first",
                "title": f"Section {LINE}",
                "intro": LINE,
                "questions": [
                    {"id": "name", "type": "text", "prompt": f"Name {LINE}", "help": LINE},
                    {"id": "story", "type": "long_text", "prompt": f"Story {LINE}"},
                    {
                        "id": "kind",
                        "type": "choice",
                        "prompt": f"Kind {LINE}",
                        "choices": [
                            {"value": "a", "label": f"Label {LINE}", "help": LINE},
                            {"value": "b", "label": "Plain"},
                        ],
                    },
                    {
                        "id": "many",
                        "type": "multi_choice",
                        "prompt": f"Many {LINE}",
                        "required": False,
                        "choices": [{"value": "m", "label": f"Multi {LINE}"}, {"value": "n"}],
                    },
                    {"id": "minutes", "type": "integer", "prompt": "Minutes?", "min": 1},
                    {"id": "later", "type": "text", "prompt": f"Later {LINE}", "required": False},
                ],
            }
        ],
        "brief": {
            "title": f"Brief {LINE}",
            "scope": "kind",
            "time_budget": "minutes",
            "modules": [
                {
                    "id": "core",
                    "title": f"Module {LINE}",
                    "summary": LINE,
                    "minutes": 30,
                    "priority": "core",
                },
                {
                    "id": "extra",
                    "title": f"Aside {LINE}",
                    "minutes": 500,
                    "when": "kind == 'a'",
                },
            ],
            "flags": [
                {
                    "id": "hostile",
                    "level": "blocker",
                    "when": "kind == 'a'",
                    "message": f"Flag {LINE}",
                }
            ],
        },
    }


@pytest.fixture
def hostile_session(tmp_path: Path, csintake_home: Path) -> str:
    bank = tmp_path / "hostile.yaml"
    bank.write_text(yaml.safe_dump(hostile_bank(), allow_unicode=True), encoding="utf-8")
    store = Store(csintake_home)
    opened = new_session(store, CLIENT, str(bank), f"Me {MARKDOWN}")
    interview = opened.interview
    interview.answer(LINE, qid="name")
    interview.answer(BLOCK, qid="story")
    interview.answer("a", qid="kind")
    interview.answer(["m"], qid="many")
    interview.answer(45, qid="minutes")
    interview.note(f"Note {LINE}", qid="name")
    interview.park(qid="later")
    return interview.session.id


def test_hostile_answers_round_trip_through_the_session_file_exactly(
    hostile_session: str, csintake_home: Path
) -> None:
    session = Store(csintake_home).load(hostile_session)
    assert session.answers["name"] == LINE
    assert session.answers["story"] == BLOCK
    assert session.notes["name"] == f"Note {LINE}"
    assert session.client == CLIENT
    assert session.consultant == f"Me {MARKDOWN}"


def test_a_1_mb_answer_round_trips_and_is_shown(csintake_home: Path, runner: CliRunner) -> None:
    big = ("Paragraph " + LINE + "\n") * (1_000_000 // (len(LINE) + 11)) + "end"
    assert len(big) >= 990_000
    store = Store(csintake_home)
    bank = csintake_home / "banks" / "hostile.yaml"
    bank.parent.mkdir()
    bank.write_text(yaml.safe_dump(hostile_bank(), allow_unicode=True), encoding="utf-8")
    interview = new_session(store, "Big", "hostile").interview
    interview.answer(big, qid="story")
    sid = interview.session.id
    assert store.load(sid).answers["story"] == big
    shown = runner.invoke(app, ["show", sid, "--json"])
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["answers"]["story"] == big
    brief = runner.invoke(app, ["brief", sid, "--format", "json"])
    assert brief.exit_code == 0, brief.stderr
    assert big in set(strings(json.loads(brief.stdout)))


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def assert_no_terminal_controls(text: str) -> None:
    for char in CONTROLS:
        assert char not in text, f"{char!r} reached the output"


def invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "3000"})
    assert result.exit_code == 0, (result.exception, result.stderr)
    assert_no_terminal_controls(result.stderr)
    return result.stdout


@pytest.mark.parametrize(
    "command",
    [["show"], ["brief"], ["brief", "--format", "rich"]],
    ids=["show", "brief", "brief-rich"],
)
def test_terminal_output_shows_hostile_text_as_typed(
    hostile_session: str, runner: CliRunner, command: list[str]
) -> None:
    out = invoke(runner, *command, hostile_session)
    assert_no_terminal_controls(out)
    # Markup, Markdown and HTML come out as typed; controls as visible escapes.
    assert visible(LINE) in out
    assert "\\x1b[31mred" in out
    assert "[bold red]x[/]" in out
    assert "<script>alert(1)</script>" in out
    assert "👩‍👩‍👧‍👦" in out
    assert "مرحبا بالعالم עברית" in out


def test_sessions_list_shows_hostile_names_as_typed(
    hostile_session: str, runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    out = invoke(runner, "sessions")
    assert_no_terminal_controls(out)
    assert visible(CLIENT) in out
    # The store's own path is data too, even in the table's title.
    odd = tmp_path / "[red]store"
    odd.mkdir()
    for entry in csintake_home.glob("*.yaml"):
        (odd / entry.name).write_bytes(entry.read_bytes())
    out = invoke(runner, "--store", str(odd), "sessions")
    assert "[red]store" in out
    assert visible(CLIENT) in out


def test_bank_show_shows_hostile_bank_text_as_typed(
    tmp_path: Path, runner: CliRunner, csintake_home: Path
) -> None:
    bank = tmp_path / "hostile.yaml"
    bank.write_text(yaml.safe_dump(hostile_bank(), allow_unicode=True), encoding="utf-8")
    out = invoke(runner, "bank", "show", str(bank))
    assert_no_terminal_controls(out)
    assert visible(f"Name {LINE}") in out
    assert visible(f"Module {LINE}") in out
    listed = invoke(runner, "--store", str(csintake_home), "bank", "list")
    assert_no_terminal_controls(listed)


def test_json_outputs_hold_the_exact_strings(hostile_session: str, runner: CliRunner) -> None:
    shown = json.loads(invoke(runner, "show", hostile_session, "--json"))
    assert shown["answers"]["name"] == LINE
    assert shown["answers"]["story"] == BLOCK
    assert shown["notes"]["name"] == f"Note {LINE}"
    brief = set(strings(json.loads(invoke(runner, "brief", hostile_session, "-f", "json"))))
    for expected in (LINE, BLOCK, f"Module {LINE}", f"Flag {LINE}", f"Note {LINE}"):
        assert expected in brief, expected
    listed = json.loads(invoke(runner, "sessions", "--json"))
    assert listed[0]["client"] == CLIENT


class _Elements(HTMLParser):
    """Tags with their attributes, and the text a browser would show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> _Elements:
    parser = _Elements()
    parser.feed(text)
    parser.close()
    return parser


def assert_safe_html(text: str, expected: list[str]) -> None:
    """No script, image, frame, handler or outside link; the data is shown as text."""
    page = parse_html(text)
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "a", "link"}
    for tag, attrs in page.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or ""), (tag, name)
            assert "file:" not in (value or ""), (tag, name)
    assert html.escape(HTML, quote=False) in text
    shown = " ".join(" ".join(page.text).split())
    for item in expected:
        assert " ".join(visible(item).split()) in shown, item


def test_html_brief_escapes_everything(hostile_session: str, runner: CliRunner) -> None:
    out = invoke(runner, "brief", hostile_session, "--format", "html")
    assert "<script" not in out.lower()
    assert "<img" not in out.lower()
    assert_no_terminal_controls(out)
    assert_safe_html(out, [LINE, f"Module {LINE}", f"Flag {LINE}", f"Note {LINE}"])


def test_markdown_brief_escapes_everything(hostile_session: str, runner: CliRunner) -> None:
    out = invoke(runner, "brief", hostile_session, "--format", "markdown")
    assert_no_terminal_controls(out)
    rendered = MarkdownIt("commonmark").enable("table").render(out)
    page = parse_html(rendered)
    names = {tag for tag, _ in page.tags}
    # The template's own headings, lists and tables are there; no link, image, script or
    # code block comes from the data, and its emphasis and markup are shown as typed.
    assert not names & {"script", "img", "a", "pre", "iframe"}
    assert "<script" not in rendered
    shown = " ".join(" ".join(page.text).split())
    assert "**b** _i_ `c` # h | a | b | [l](http://e.x) ![i](x.png) <b>&amp;" in shown
    for item in (LINE, f"Module {LINE}", f"Flag {LINE}", f"Note {LINE}"):
        assert " ".join(visible(item).split()) in shown, item
    for line in BLOCK.splitlines():
        assert " ".join(visible(line).split()) in shown, line


def test_stderr_notices_never_carry_terminal_controls(
    hostile_session: str, runner: CliRunner, csintake_home: Path
) -> None:
    # A stored answer that no longer fits is quoted in a notice: escaped, on one line.
    path = csintake_home / f"{hostile_session}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["answers"]["kind"] = ANSI
    data["answers"]["gone\x1b[2J"] = ANSI
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for command in (["show", hostile_session], ["brief", hostile_session]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (result.exception, result.stderr)
        assert_no_terminal_controls(result.stderr)
        assert_no_terminal_controls(result.stdout)
        assert "\\x1b[2J" in result.stderr
    # The answers that no longer fit are still in the file.
    kept = Store(csintake_home).load(hostile_session).answers
    assert kept["kind"] == ANSI
    assert kept["gone\x1b[2J"] == ANSI
    assert open_session(Store(csintake_home), hostile_session).notices


@settings(max_examples=examples(200), deadline=None)
@given(text=st.text())
def test_show_and_brief_make_the_same_characters_visible(text: str) -> None:
    # One function serves the terminal commands and every brief renderer.
    for renderer in (brief_markdown, brief_rich, brief_templating):
        assert vars(renderer)["visible"] is visible
    for char in CONTROLS:
        assert char not in visible(text)


def test_report_shows_hostile_text_as_typed(
    hostile_session: str, runner: CliRunner, tmp_path: Path
) -> None:
    out = invoke(runner, "report")
    assert_no_terminal_controls(out)
    data = json.loads(invoke(runner, "report", "--json"))
    assert CLIENT in set(strings(data))
    csv_file = tmp_path / "report.csv"
    invoke(runner, "report", "--csv", str(csv_file))
    assert "Client [bold red]x[/]" in csv_file.read_text(encoding="utf-8")


def test_bank_check_prints_a_hostile_version_on_one_line(tmp_path: Path, runner: CliRunner) -> None:
    data = hostile_bank()
    data["version"] = f"1.0 {ANSI}\nsecond line"
    bank = tmp_path / "hostile.yaml"
    bank.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["bank", "check", str(bank)])
    assert result.exit_code == 0, result.stderr
    assert_no_terminal_controls(result.stdout)
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
        "{{ self.__init__.__globals__ }}",
        "{{ brief.__class__.__init__.__globals__['os'].system('touch MARKER') }}",
        "{% include '/etc/passwd' %}",
        "{% import 'os' as os %}",
        "{% for i in range(10**9) %}x{% endfor %}",
        "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
        "{% set x = namespace() %}{{ x.__class__.__base__.__subclasses__() }}",
    ],
    ids=range(9),
)
def test_a_hostile_brief_template_runs_nothing(
    template: str, hostile_session: str, runner: CliRunner, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "evil.md.j2"
    path.write_text(template.replace("MARKER", str(marker)), encoding="utf-8")
    result = runner.invoke(app, ["brief", hostile_session, "--template", str(path)])
    assert result.exit_code == 1, result.stdout[:300]
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("csintake: "), result.stderr
    assert "root:" not in result.stdout
    assert not marker.exists()


def _safety_net() -> None:
    # Should the template's own ceiling be missing, the process fails here instead of the
    # machine running out of memory.
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (5 << 30, 5 << 30))


@pytest.mark.parametrize(
    "template",
    # 3 GB: past the 2 GB ceiling, short of the 5 GB safety net.
    ["{{ 'x' * 3 * 10**9 }}", "{{ 'x'|center(3 * 10**9) }}", "{{ ('x' ~ 'y') * 15 * 10**8 }}"],
    ids=["repeat", "center", "concat"],
)
def test_a_brief_template_cannot_take_all_the_memory(
    template: str, hostile_session: str, csintake_home: Path, tmp_path: Path
) -> None:
    import resource
    import subprocess

    from .common import csintake_command, subprocess_env

    path = tmp_path / "greedy.md.j2"
    path.write_text(template, encoding="utf-8")
    result = subprocess.run(
        [csintake_command(), "brief", hostile_session, "--template", str(path)],
        env=subprocess_env(csintake_home),
        preexec_fn=_safety_net,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == f"csintake: {path}: rendering needed too much memory; stopped\n"
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kib < 3 << 20, "the render grew past its ceiling"


def test_a_brief_template_cannot_run_for_ever(
    hostile_session: str, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csintake.brief import templating

    monkeypatch.setattr(templating, "RENDER_SECONDS", 0.5)
    path = tmp_path / "slow.md.j2"
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    path.write_text(loop, encoding="utf-8")
    result = runner.invoke(app, ["brief", hostile_session, "--template", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"csintake: {path}: rendering took longer than 0.5 seconds; stopped\n"
