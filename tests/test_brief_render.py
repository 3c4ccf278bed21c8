"""Rendered briefs: golden files for each format, and answers that must never be interpreted.

Regenerate the golden files with ``UPDATE_GOLDEN=1 pytest tests/test_brief_render.py`` and
read the diff by eye before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from rich.console import Console

from csintake.bank.loader import load_bank
from csintake.brief import Brief, build_brief
from csintake.brief import html as html_brief
from csintake.brief import json as json_brief
from csintake.brief import markdown as markdown_brief
from csintake.brief import rich as rich_brief
from csintake.brief.builder import Audience
from csintake.brief.markdown import md, md_cell
from csintake.interview.engine import Interview
from csintake.interview.intake import bank_ref
from csintake.printable import visible
from csintake.store.profile import Profile
from csintake.store.session import Session

GOLDEN = Path(__file__).parent / "golden"
DATE = dt.date(2026, 11, 28)
CREATED = dt.datetime(2026, 11, 28, 14, 3, 11, tzinfo=dt.UTC)
UPDATED = dt.datetime(2026, 11, 28, 14, 19, 40, tzinfo=dt.UTC)

COMMON: dict[str, Any] = {
    "library_name": "Ames Public Library",
    "prompted_by": (
        "Two complaints to the board this spring about unfriendly service at the main desk.\n"
        "The new director wants a fresh start."
    ),
    "main_cause": "skill_gap",
    "mission_vision": "Ames Public Library connects people to ideas, information and each other.",
    "plan_goals": "Goal 2: a welcoming library with excellent service",
    "plan_end": "2028-06-30",
    "participants": 42,
    "roles": ["circulation", "reference", "supervisors"],
    "branches": 3,
    "attendance": "required",
    "prior_training": False,
    "staff_attitude": "open_busy",
    "change_30_days": "Every patron is greeted within ten seconds.",
    "change_1_year": "Fewer complaints; patrons say staff are approachable.",
    "success_measures": ["reaction_survey", "observation"],
    "baseline_data": True,
    "sponsor": "Jane Doe, Director (sponsor); the board (decision)",
    "delivery_format": "in_person",
    "budget_trend": "grown",
    "stay_open": True,
}

BEHAVIOUR: dict[str, Any] = COMMON | {
    "cs_meaning": "behavior",
    "service_standards": False,
    "supervisors_reinforce": True,
    "problem_channels": ["desk", "phone"],
    "rate_greeting": 2,
    "rate_listening": 3,
    "rate_explaining": 2,
    "rate_upset": 2,
    "rate_consistency": 3,
    "rate_follow_up": 4,
    "difficult_situations": ["complaints", "conduct_breaches"],
    "conduct_written": False,
    "minutes_available": 390,
}

# Not finished: two required answers are still missing, so the brief is a draft.
OFFERINGS: dict[str, Any] = {
    k: v for k, v in COMMON.items() if k not in ("sponsor", "change_1_year", "plan_goals")
} | {
    "cs_meaning": "offerings",
    "services_in_question": ["hours", "fines_holds", "website"],
    "feedback_held": ["community_survey", "complaints_log"],
    "last_survey_date": "2024-09-15",
    "policy_authority": "board",
    "policy_owner_involved": False,
    "minutes_available": 210,
    "budget_trend": "flat",
}

BOTH_TIGHT: dict[str, Any] = COMMON | {
    "cs_meaning": "both",
    "main_cause": "not_applied",
    "service_standards": True,
    "supervisors_reinforce": False,
    "problem_channels": ["email"],
    "rate_greeting": 3,
    "rate_listening": 3,
    "rate_explaining": 2,
    "rate_upset": 1,
    "rate_consistency": 2,
    "rate_follow_up": 3,
    "conduct_written": True,
    "services_in_question": ["programs"],
    "feedback_held": ["none"],
    "policy_authority": "director",
    "policy_owner_involved": True,
    "minutes_available": 90,
    "budget_trend": "cut",
    "success_measures": ["reaction_survey"],
    "baseline_data": False,
}

# The call that was measured: a three-branch system, half a day, both scopes, low ratings,
# a union, a new branch opening soon, a parked budget; 60 staff, the library closes for it.
BOTH_HALF_DAY: dict[str, Any] = COMMON | {
    "cs_meaning": "both",
    "recent_incidents": "A patron shouted at a page at the Westside desk; she left in tears.",
    "main_cause": "process",
    "participants": 60,
    "service_standards": False,
    "supervisors_reinforce": True,
    "unionised": True,
    "paid_training_time": "to_agree",
    "frontline_told": "not_yet",
    "problem_channels": ["desk", "phone"],
    "rate_greeting": 2,
    "rate_listening": 3,
    "rate_explaining": 2,
    "rate_upset": 3,
    "rate_consistency": 2,
    "rate_follow_up": 2,
    "difficult_situations": ["complaints", "language_barriers"],
    "conduct_written": True,
    "services_in_question": ["programs", "spaces_signage", "accessibility"],
    "feedback_held": ["comment_cards", "complaints_log"],
    "policy_authority": "board",
    "policy_owner_involved": False,
    "minutes_available": 210,
    "stay_open": False,
    "target_date": "2027-01-08",
    "budget_trend": "flat",
    "accessibility_needs": "Spanish interpretation for two participants",
}

SAMPLES: dict[str, dict[str, Any]] = {
    "behaviour": BEHAVIOUR,
    "offerings-draft": OFFERINGS,
    "both-tight": BOTH_TIGHT,
    "both-half-day": BOTH_HALF_DAY,
    "both-half-day-client": BOTH_HALF_DAY,
}
# The consultant's profile the proposal-size sample is priced with.
PROFILE = Profile(
    name="Dana Reyes",
    organisation="Reyes Library Consulting",
    currency="USD",
    rates={90: 750, 210: 1800, 390: 3200},
    extra_facilitator=600,
    travel=120,
)


def sample_interview(
    bank_path: Path,
    answers: dict[str, Any],
    *,
    client: str = "Ames Public Library",
    consultant: str | None = "Dana Reyes",
) -> Interview:
    """An interview of the shipped bank with ``answers``, finished when nothing is missing,
    with fixed times so that rendered briefs are stable."""
    loaded = load_bank(bank_path)
    session = Session(
        id="ames-public-library-2026-11-28",
        bank=bank_ref(loaded),
        client=client,
        consultant=consultant,
        created=CREATED,
        updated=UPDATED,
    )
    interview = Interview(loaded, session)
    assert interview.apply(answers, "file") == []
    interview.apply_defaults()
    if not interview.missing():
        interview.finish()
    return interview


def sample_brief(bank_path: Path, name: str) -> Brief:
    interview = noted_sample(bank_path, name)
    profile = PROFILE if name.startswith("both-half-day") else None
    audience: Audience = "client" if name.endswith("-client") else "internal"
    return build_brief(interview, date=DATE, profile=profile, audience=audience)


def noted_sample(bank_path: Path, name: str) -> Interview:
    """The interview of sample ``name`` with the notes, parked and skipped questions of its
    call."""
    interview = sample_interview(bank_path, SAMPLES[name])
    if name == "both-tight":
        interview.note("Director hesitated; the board leans to behaviour", "cs_meaning")
        interview.park("plan_goals")
        interview.skip("tried_already")
        interview.note("Ask the finance officer after the call", "budget_band")
    if name == "offerings-draft":
        interview.park("sponsor")
        interview.note("The director will confirm with the board chair", "sponsor")
    if name.startswith("both-half-day"):
        interview.note(
            "Union steward is wary; the director wants it framed as support", "unionised"
        )
        interview.park("budget_band")
        interview.skip("tried_already")
        interview.session.states["cost_of_inaction"] = "dont_know"
    interview.session.updated = UPDATED
    return interview


RENDERERS: dict[str, Callable[[Brief], str]] = {
    "txt": rich_brief.render_text,
    "md": markdown_brief.render,
    "json": json_brief.render,
    "html": html_brief.render,
}


# ------------------------------------------------------------------------ golden files


@pytest.mark.parametrize("ext", sorted(RENDERERS))
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_golden(shipped_bank_path: Path, name: str, ext: str) -> None:
    rendered = RENDERERS[ext](sample_brief(shipped_bank_path, name))
    golden = GOLDEN / f"brief-{name}.{ext}"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run with UPDATE_GOLDEN=1"
    assert rendered == golden.read_text(encoding="utf-8")


def test_rich_text_fits_80_columns(shipped_bank_path: Path) -> None:
    for name in SAMPLES:
        text = rich_brief.render_text(sample_brief(shipped_bank_path, name))
        assert max(len(line) for line in text.splitlines()) <= 80


def test_the_three_samples_differ_where_they_should(shipped_bank_path: Path) -> None:
    behaviour = sample_brief(shipped_bank_path, "behaviour")
    offerings = sample_brief(shipped_bank_path, "offerings-draft")
    both = sample_brief(shipped_bank_path, "both-tight")
    assert behaviour.headline == "Customer service here means how staff treat patrons."
    assert not behaviour.draft
    assert offerings.draft
    assert offerings.still_open == ("change_1_year", "sponsor")
    assert both.agenda.over_budget
    assert [m.id for m in both.agenda.modules] == [
        "why-service-matters",
        "communication-foundations",
        "action-plan-follow-up",
    ]
    assert "over-scoped" in [f.id for f in both.flags]
    over = next(f for f in both.flags if f.id == "over-scoped")
    assert over.because == ("cs_meaning = both", "minutes_available = 90")


def test_json_has_the_documented_keys(shipped_bank_path: Path) -> None:
    data = json.loads(json_brief.render(sample_brief(shipped_bank_path, "both-tight")))
    assert {"title", "client", "draft", "scope", "agenda", "flags", "open_questions"} <= set(data)
    assert {"context", "notes"} <= set(data)
    assert data["scope"] == {
        "question": "cs_meaning",
        "value": "both",
        "label": "Both",
        "headline": (
            "Customer service here means both how staff treat patrons and the services we offer."
        ),
    }
    agenda = data["agenda"]
    assert agenda["budget_minutes"] == 90
    assert agenda["total_minutes"] == 120
    for module in agenda["modules"] + agenda["follow_up"]:
        assert {"id", "title", "minutes", "because"} <= set(module)
    assert {"id", "level", "message", "because"} <= set(data["flags"][0])
    assert [(q["id"], q["reason"]) for q in data["open_questions"]] == [
        ("tried_already", "skipped"),
        ("plan_goals", "parked"),
    ]
    assert [(n["id"], n["note"]) for n in data["notes"]] == [
        ("cs_meaning", "Director hesitated; the board leans to behaviour"),
        ("budget_band", "Ask the finance officer after the call"),
    ]
    assert data["notes"][0]["prompt"].startswith('When you say "customer service"')


# --------------------------------------------------------------------------- injection

INJECTIONS = [
    "[bold red]x[/]",
    "**bold**",
    "# heading",
    "a | b",
    "- item",
    "1. first",
    "> quoted",
    "`code`",
    "<script>alert(1)</script>",
    "\x1b[31mred\x1b[0m",
]
ESC_SHOWN = "\\x1b[31mred\\x1b[0m"


def hostile_brief(bank_path: Path) -> Brief:
    answers = BOTH_TIGHT | {
        "library_name": "<script>alert(1)</script> **Ames** [bold]x[/] a | b",
        "prompted_by": "\n".join(INJECTIONS),
        "tried_already": "\x1b[31mred\x1b[0m",
        "sponsor": "_Jane_ & <b>Board</b>",
    }
    interview = sample_interview(
        bank_path,
        answers,
        client="[bold red]x[/] <i>Ames</i> \x1b[2J",
        consultant="**Dana** `Reyes`",
    )
    interview.note("# heading\n- item\n<script>alert(1)</script>", "cs_meaning")
    return build_brief(interview, date=DATE)


def shown(text: str) -> str:
    """An injection as a reader should see it: exactly as typed, ESC made visible."""
    return visible(text)


def test_rich_never_interprets_answers(shipped_bank_path: Path) -> None:
    brief = hostile_brief(shipped_bank_path)
    plain = rich_brief.render_text(brief, width=120)
    for text in INJECTIONS:
        assert shown(text) in plain, text
    assert "\x1b" not in plain
    assert "[bold red]x[/] <i>Ames</i> \\x1b[2J" in plain
    assert "**Dana** `Reyes`" in plain
    # On a colour terminal Rich adds its own styles, but the answers' escapes stay escaped.
    console = Console(width=120, force_terminal=True, color_system="truecolor", record=False)
    with console.capture() as capture:
        console.print(rich_brief.render(brief))
    coloured = capture.get()
    assert "\x1b[31mred" not in coloured
    assert "\x1b[2J" not in coloured
    assert ESC_SHOWN in coloured
    assert "[bold red]x[/]" in coloured


def markdown_to_html(text: str) -> str:
    return str(MarkdownIt("commonmark").enable("table").enable("strikethrough").render(text))


def test_markdown_never_interprets_answers(shipped_bank_path: Path) -> None:
    text = markdown_brief.render(hostile_brief(shipped_bank_path))
    assert "\x1b" not in text
    rendered = markdown_to_html(text)
    assert "<script>" not in rendered
    assert "<b>" not in rendered
    assert "<i>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<strong>bold</strong>" not in rendered
    assert "<strong>Ames</strong>" not in rendered
    assert "<strong>Dana</strong>" not in rendered
    assert "<em>Jane</em>" not in rendered
    assert "<code>code</code>" not in rendered
    assert "<blockquote>\n<p>quoted" not in rendered
    assert "<h1>heading</h1>" not in rendered
    assert "<li>item" not in rendered
    assert "<ol>" not in rendered
    # One heading of level one: the title; the answers made none.
    assert rendered.count("<h1>") == 1
    for literal in [
        "**bold**",
        "# heading",
        "a | b",
        "- item",
        "1. first",
        "&gt; quoted",
        "`code`",
        "[bold red]x[/]",
        ESC_SHOWN,
        "_Jane_ &amp; &lt;b&gt;Board&lt;/b&gt;",
        "**Dana** `Reyes`",
    ]:
        assert literal in rendered, literal


@pytest.mark.parametrize(
    "text",
    [
        *INJECTIONS,
        "a\\b\\",
        "---",
        "===",
        "+ plus",
        "2) second",
        "    indented code",
        "~~~",
        "```",
        "[link](http://example.com)",
        "![img](x.png)",
        "&amp; &copy;",
        "$x^2$",
        "<http://example.com>",
        "*",
        "_",
        "\\",
    ],
)
def test_md_shows_text_as_typed(text: str) -> None:
    expected = visible(text).strip()
    paragraph = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    tokens = paragraph.parseInline(md(text))[0].children or []
    assert [t.type for t in tokens] == ["text"], tokens
    assert tokens[0].content == expected
    # And as a whole document: one paragraph, nothing else.
    blocks = [t.type for t in paragraph.parse(md(text))]
    assert blocks == ["paragraph_open", "inline", "paragraph_close"], blocks


@pytest.mark.parametrize("text", [*INJECTIONS, "a | b | c", "x\ny | z"])
def test_md_cell_stays_in_its_table_cell(text: str) -> None:
    table = f"| A | B |\n|---|---|\n| {md_cell(text)} | after |\n"
    tokens = MarkdownIt("commonmark").enable("table").parse(table)
    cells = [t.children for t in tokens if t.type == "inline"][2:]
    assert len(cells) == 2, tokens
    first, second = cells
    assert first is not None
    assert second is not None
    expected = visible(" ".join(line.strip() for line in text.split("\n")))
    assert [(t.type, t.content) for t in first] == [("text", expected)]
    assert [(t.type, t.content) for t in second] == [("text", "after")]


def test_md_keeps_line_breaks_as_hard_breaks() -> None:
    html = markdown_to_html(md("one\n- two\n# three"))
    assert html == "<p>one<br />\n- two<br />\n# three</p>\n"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_never_interprets_answers(shipped_bank_path: Path) -> None:
    page = html_brief.render(hostile_brief(shipped_bank_path))
    assert "\x1b" not in page
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "b" not in parser.tags
    assert "i" not in parser.tags
    text = "".join(parser.text)
    for injection in INJECTIONS:
        assert shown(injection) in text, injection
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "_Jane_ &amp; &lt;b&gt;Board&lt;/b&gt;" in page


def test_html_is_self_contained_and_printable(shipped_bank_path: Path) -> None:
    page = html_brief.render(sample_brief(shipped_bank_path, "both-tight"))
    parser = _Tags()
    parser.feed(page)
    assert "link" not in parser.tags
    assert "img" not in parser.tags
    assert "script" not in parser.tags
    assert "@media print" in page
    assert "http://" not in page
    assert "https://" not in page


def test_json_keeps_answers_exactly(shipped_bank_path: Path) -> None:
    data = json.loads(json_brief.render(hostile_brief(shipped_bank_path)))
    answers = {a["id"]: a["answer"] for s in data["context"] for a in s["answers"]}
    assert answers["prompted_by"] == "\n".join(INJECTIONS)
    assert answers["library_name"] == "<script>alert(1)</script> **Ames** [bold]x[/] a | b"
    assert data["client"] == "[bold red]x[/] <i>Ames</i> \x1b[2J"
    assert data["notes"][0]["note"] == "# heading\n- item\n<script>alert(1)</script>"
    assert data["title"] == "Training brief: <script>alert(1)</script> **Ames** [bold]x[/] a | b"
