"""The brief as a deliverable: audiences, reasons in words, an agenda that follows the answers,
follow-up sessions, the new sections, and the follow-up message."""

from __future__ import annotations

import datetime as dt
import json
import re
from email import message_from_string
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csintake.brief import build_brief
from csintake.brief import html as html_brief
from csintake.brief import json as json_brief
from csintake.brief import markdown as markdown_brief
from csintake.brief import rich as rich_brief
from csintake.brief.builder import Brief
from csintake.brief.followup import followup_text
from csintake.cli import app
from csintake.interview.engine import Interview
from test_brief_render import BOTH_HALF_DAY, BOTH_TIGHT, DATE, UPDATED, sample_interview
from test_cli_brief import make_session

NOTE = "Union steward is wary of this"
INCIDENT = "A patron shouted at a page at the Westside desk"
INTERNAL_FLAG = "Staff get no formal support"
SESSION_ID = "ames-public-library-2026-11-28"


def half_day(bank: Path, **changes: Any) -> Interview:
    interview = sample_interview(bank, BOTH_HALF_DAY | {"wellbeing_support": "none"} | changes)
    interview.note(NOTE, "unionised")
    interview.note("Ask the finance officer", "budget_band")
    interview.park("budget_band")
    interview.skip("tried_already")
    interview.session.states["cost_of_inaction"] = "dont_know"
    interview.session.updated = UPDATED
    return interview


def rendered(brief: Brief) -> dict[str, str]:
    return {
        "txt": rich_brief.render_text(brief),
        "md": markdown_brief.render(brief),
        "json": json_brief.render(brief),
        "html": html_brief.render(brief),
    }


def leaks(text: str, interview: Interview) -> list[str]:
    """Everything internal found in ``text`` (Markdown escapes taken out first)."""
    text = text.replace("\\", "")
    found = [s for s in (NOTE, "finance officer", INCIDENT, INTERNAL_FLAG, SESSION_ID) if s in text]
    found += [s for s in ("library-customer-service", "1.0.0") if s in text]
    for q in interview.bank.questions:
        patterns = [rf"`{q.id}`", rf"\"{q.id}\"", rf">{q.id}<", rf"\? \({q.id}\)"]
        if "_" in q.id:
            patterns.append(rf"\b{q.id}\b")
        for pattern in patterns:
            if re.search(pattern, text):
                found.append(q.id)
    found += re.findall(r"\b[a-z_]+ = \S+", text)
    return found


# --------------------------------------------------------------------------- audiences


def test_nothing_internal_reaches_a_client_brief_in_any_format(shipped_bank_path: Path) -> None:
    interview = half_day(shipped_bank_path)
    internal = rendered(build_brief(interview, date=DATE))
    client = rendered(build_brief(interview, date=DATE, audience="client"))
    for fmt, text in internal.items():
        # The internal brief has all of it, so the client check below can fail.
        assert NOTE in text, fmt
        assert INTERNAL_FLAG in text, fmt
        assert "rate_greeting" in text.replace("\\", ""), fmt
    for fmt, text in client.items():
        assert leaks(text, interview) == [], fmt
        assert "INTERNAL" not in text, fmt


def test_the_proposal_parts_of_a_client_brief_hold_nothing_internal(
    shipped_bank_path: Path,
) -> None:
    # Internal flags that are decisions, and a sensitive answer in "What you told us": the
    # internal brief has them, so the client checks below can fail.
    interview = half_day(shipped_bank_path, main_cause="process")
    internal = build_brief(interview, date=DATE).proposal
    assert any(INCIDENT in p for p in internal.problem)
    assert "maybe-not-training" in [d.id for d in internal.decisions]
    client = build_brief(interview, date=DATE, audience="client")
    proposal = client.proposal
    assert proposal.problem, "the non-sensitive paragraphs stay"
    assert not any(INCIDENT in p for p in proposal.problem)
    assert all(d.id == "" for d in proposal.decisions)
    assert [d.message for d in proposal.decisions] == [d.message for d in internal.decisions]
    decided = {d.message for d in proposal.decisions}
    assert not any(f.message in decided for f in client.flags)
    parts = [
        *proposal.problem,
        *proposal.to_decide,
        *proposal.assumptions,
        *proposal.approvals,
        *(f"{d.owner}: {d.message}" for d in proposal.decisions),
        proposal.group.text,
        *proposal.cost.library,
    ]
    assert leaks("\n".join(parts), interview) == []
    md = markdown_brief.render(client)
    told = md[md.index("## What you told us") : md.index("## Scope")]
    assert "Why now:" in told
    assert INCIDENT not in told


def test_nothing_internal_reaches_a_followup_message(shipped_bank_path: Path) -> None:
    interview = half_day(shipped_bank_path)
    for fmt in ("text", "markdown", "eml"):
        text = followup_text(interview, fmt)
        assert leaks(text, interview) == [], fmt


def test_the_internal_brief_says_so_at_its_top(shipped_bank_path: Path) -> None:
    brief = build_brief(half_day(shipped_bank_path), date=DATE)
    for fmt, text in rendered(brief).items():
        body = text[text.index("<body>") :] if fmt == "html" else text
        head = "\n".join(body.splitlines()[:12])
        assert "INTERNAL" in head or '"audience": "internal"' in head, fmt


def test_a_client_brief_shows_ratings_with_their_scale_and_dates_in_words(
    shipped_bank_path: Path,
) -> None:
    text = markdown_brief.render(
        build_brief(half_day(shipped_bank_path), date=DATE, audience="client")
    )
    assert "2 of 5 (1 = a real problem, 5 = consistently strong)" in text
    assert "30 June 2028" in text
    assert "8 January 2027" in text
    assert "**Date:** 28 November 2026" in text


# ----------------------------------------------------------------- reasons and the agenda


def test_both_on_a_half_day_keeps_a_behaviour_and_a_services_module(
    shipped_bank_path: Path,
) -> None:
    brief = build_brief(half_day(shipped_bank_path), date=DATE, audience="client")
    kept = brief.agenda.modules
    assert {m.strand for m in kept} >= {"behaviour", "offerings"}
    assert brief.agenda.total_minutes <= 210
    for m in kept:
        assert m.reason, m.id
        assert "=" not in m.reason
    assert not [f for f in brief.flags if f.level == "warning" and "no room" in f.message]


def test_low_ratings_raise_the_modules_they_point_at(shipped_bank_path: Path) -> None:
    low = build_brief(half_day(shipped_bank_path), date=DATE)
    high = build_brief(half_day(shipped_bank_path, rate_greeting=4), date=DATE)

    def approach(brief: Brief) -> Any:
        return next(
            m
            for m in brief.agenda.modules + brief.agenda.follow_up
            if m.id == "approachability-standards"
        )

    assert approach(low).priority == "high"
    assert "greeting and approachability was rated 2 of 5" in approach(low).raised
    assert "rate_greeting = 2" in approach(low).because
    assert approach(high).priority == "normal"
    assert approach(high).raised == ""


def test_a_target_date_weeks_away_raises_a_flag_counted_from_the_last_update(
    shipped_bank_path: Path,
) -> None:
    soon = build_brief(half_day(shipped_bank_path), date=DATE)
    assert "tight-timeline" in [f.id for f in soon.flags]
    later = build_brief(half_day(shipped_bank_path, target_date="2027-06-01"), date=DATE)
    assert "tight-timeline" not in [f.id for f in later.flags]
    # The brief's date does not move the reference: the session's last update does.
    next_year = build_brief(half_day(shipped_bank_path), date=dt.date(2027, 11, 28))
    assert "tight-timeline" in [f.id for f in next_year.flags]


def test_unionised_staff_raise_a_flag(shipped_bank_path: Path) -> None:
    flags = build_brief(half_day(shipped_bank_path), date=DATE).flags
    union = next(f for f in flags if f.id == "union-and-communication")
    assert union.level == "warning"
    assert union.reason.startswith("because staff are unionised")
    quiet = build_brief(
        half_day(shipped_bank_path, unionised=False, frontline_told="in_person"), date=DATE
    )
    assert "union-and-communication" not in [f.id for f in quiet.flags]


def test_a_needed_strand_without_room_is_a_warning(shipped_bank_path: Path) -> None:
    brief = build_brief(sample_interview(shipped_bank_path, BOTH_TIGHT), date=DATE)
    gaps = [f for f in brief.flags if f.id.startswith("no-room-")]
    assert [f.id for f in gaps] == ["no-room-behaviour", "no-room-offerings"]
    assert all(f.level == "warning" for f in gaps)
    assert "more minutes" in gaps[0].message


def test_set_aside_modules_are_planned_into_sessions_then_later(shipped_bank_path: Path) -> None:
    agenda = build_brief(half_day(shipped_bank_path), date=DATE).agenda
    assert [s.number for s in agenda.sessions] == [2, 3]
    for session in agenda.sessions:
        assert 0 < session.total_minutes <= 210
    planned = [m.id for s in agenda.sessions for m in s.modules] + [m.id for m in agenda.later]
    assert sorted(planned) == sorted(m.id for m in agenda.follow_up)
    assert agenda.later_minutes == sum(m.minutes for m in agenda.later) > 0
    text = markdown_brief.render(build_brief(half_day(shipped_bank_path), date=DATE))
    assert "### Session 2: proposed follow-up" in text
    assert f"{agenda.later_minutes} minutes in all" in text


# ------------------------------------------------------------------------ new sections


def test_objectives_evaluation_and_next_steps_in_every_format(shipped_bank_path: Path) -> None:
    brief = build_brief(half_day(shipped_bank_path), date=DATE, audience="client")
    assert all(m.objectives for m in brief.agenda.modules)
    assert [e.level for e in brief.evaluation] == ["Reaction", "Learning", "Behaviour", "Results"]
    steps = [n.text for n in brief.next_steps]
    assert "Find out: What happens if nothing changes over the next year?" in steps
    assert "Answer: Roughly what budget is set aside for this?" in steps
    objective = brief.agenda.modules[0].objectives[0]
    for fmt, text in rendered(brief).items():
        assert objective.split()[0] in text, fmt
        assert "Evaluation plan" in text or '"evaluation"' in text, fmt
        assert "Next steps" in text or '"next_steps"' in text, fmt
        assert "Find out: What happens if nothing changes" in text, fmt


def test_a_question_with_a_state_is_not_answered(shipped_bank_path: Path) -> None:
    interview = half_day(shipped_bank_path)
    interview.mark("declined", "plan_goals")
    brief = build_brief(interview, date=DATE)
    assert "not-tied-to-plan" in [f.id for f in brief.flags]
    reasons = {q.id: q.reason for q in brief.open_questions}
    assert reasons["plan_goals"] == "declined"
    assert reasons["cost_of_inaction"] == "dont_know"


def test_notes_on_answered_questions_are_in_the_open_questions_of_every_format(
    shipped_bank_path: Path,
) -> None:
    texts = rendered(build_brief(half_day(shipped_bank_path), date=DATE))
    md = texts["md"]
    assert NOTE in md[md.index("## Open questions") : md.index("## Evaluation plan")]
    page = texts["html"]
    start = page.index('<section id="open-questions">')
    assert NOTE in page[start : page.index("</section>", start)]
    txt = texts["txt"]
    assert "Union steward" in txt[txt.index("Open questions") : txt.index("Evaluation plan")]
    data = json.loads(texts["json"])
    assert NOTE in [n["note"] for n in data["notes"]]


# --------------------------------------------------------------------------- followup


def test_the_eml_parses_and_asks_the_parked_skipped_and_unknown_questions(
    shipped_bank_path: Path,
) -> None:
    interview = half_day(shipped_bank_path)
    message = message_from_string(followup_text(interview, "eml"))
    assert message["To"] is None
    assert message["Subject"] == "Following up on our call: Training brief: Ames Public Library"
    body = message.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
    for prompt in (
        "Roughly what budget is set aside for this? (we left this open on the call)",
        "What has already been tried to address this? (we skipped this on the call)",
        "What happens if nothing changes over the next year? (not known on the call)",
    ):
        assert prompt in body
    assert "Approachability standards" in body
    assert body.index("already been tried") < body.index("nothing changes") < body.index("budget")
    addressed = message_from_string(followup_text(interview, "eml", "director@ames.example"))
    assert addressed["To"] == "director@ames.example"


def test_hostile_text_stays_literal_in_the_followup(shipped_bank_path: Path) -> None:
    interview = half_day(shipped_bank_path)
    interview.session.consultant = "**Pat** <script>x</script>"
    markdown = followup_text(interview, "markdown")
    assert "\\*\\*Pat\\*\\* \\<script\\>x\\</script\\>" in markdown
    assert "**Pat** <script>x</script>" in followup_text(interview, "text")


def test_followup_command_writes_an_eml_and_refuses_a_bad_address(
    runner: CliRunner, csintake_home: Path, tmp_path: Path
) -> None:
    session = make_session(runner, csintake_home, BOTH_HALF_DAY)
    out = tmp_path / "followup.eml"
    result = runner.invoke(app, ["followup", session, "-o", str(out), "--to", "a@b.example"])
    assert result.exit_code == 0, result.stderr
    message = message_from_string(out.read_text(encoding="utf-8"))
    assert message["To"] == "a@b.example"
    assert session not in out.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["followup", session, "-f", "eml", "--to", "not an address"])
    assert bad.exit_code == 2
    assert bad.stderr.count("\n") == 1
    assert "not an email address" in bad.stderr


@pytest.mark.parametrize("fmt", ["rich", "markdown", "json", "html"])
def test_brief_command_client_audience_in_every_format(
    runner: CliRunner, csintake_home: Path, fmt: str
) -> None:
    session = make_session(runner, csintake_home, BOTH_HALF_DAY)
    result = runner.invoke(app, ["brief", session, "-f", fmt, "--audience", "client"])
    assert result.exit_code == 0, result.stderr
    assert session not in result.stdout
    assert "cs_meaning" not in result.stdout
    assert "Communication foundations" in result.stdout
    internal = runner.invoke(app, ["brief", session, "-f", fmt])
    assert "INTERNAL" in internal.stdout or '"audience": "internal"' in internal.stdout


def test_hostile_answers_stay_literal_in_the_new_sections(shipped_bank_path: Path) -> None:
    hostile = "<script>alert(1)</script> **now** [x](y)"
    interview = half_day(shipped_bank_path, fast_fix=hostile)
    for audience in ("internal", "client"):
        brief = build_brief(interview, date=DATE, audience=audience)
        # The fast fix is a decision for the director: listed under "What training won't
        # fix" in both audiences; the internal brief also keeps it among the flags.
        decision = next(d for d in brief.proposal.decisions if "fast fix" in d.message)
        assert hostile in decision.message
        if audience == "internal":
            fast = next(f for f in brief.flags if "fast fix" in f.message)
            assert hostile in fast.reason
        texts = rendered(brief)
        assert "\\<script\\>alert(1)\\</script\\> \\*\\*now\\*\\* \\[x\\](y)" in texts["md"]
        assert "<script>" not in texts["md"]
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in texts["html"]
        assert "<script>" not in texts["html"]
        decisions = json.loads(texts["json"])["proposal"]["decisions"]
        assert any(hostile in d["message"] for d in decisions)
