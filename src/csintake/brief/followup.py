"""The message a consultant sends after the call: thanks, what was agreed, and the open items
as questions to the client. Built from the client brief, so nothing internal can reach it.

Nothing is ever sent: ``.eml`` output is a file for the consultant's mail program.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import parseaddr
from typing import TYPE_CHECKING, Literal

from csintake.brief.builder import Brief, OpenQuestion, build_brief
from csintake.brief.markdown_text import md, md_cell
from csintake.brief.words import lower_first
from csintake.errors import UsageError
from csintake.printable import visible

if TYPE_CHECKING:
    from csintake.interview.engine import Interview

FollowupFormat = Literal["text", "markdown", "eml"]
FOLLOWUP_FORMATS: tuple[FollowupFormat, ...] = ("text", "markdown", "eml")
EXTENSIONS: dict[str, FollowupFormat] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".eml": "eml",
}
_ASKED = {
    "parked": "we left this open on the call",
    "skipped": "we skipped this on the call",
    "unanswered": "still to answer",
    "dont_know": "not known on the call",
    "declined": "only if you are happy to share it",
}


def pick_followup_format(fmt: str | None, output_suffix: str | None) -> FollowupFormat:
    if fmt is not None:
        if fmt not in FOLLOWUP_FORMATS:
            raise UsageError(f"unknown format '{fmt}': choose one of {', '.join(FOLLOWUP_FORMATS)}")
        return fmt
    if output_suffix:
        found = EXTENSIONS.get(output_suffix.lower())
        if found is None:
            known = ", ".join(EXTENSIONS)
            raise UsageError(f"cannot tell the format from '{output_suffix}': use one of {known}")
        return found
    return "text"


def subject(brief: Brief) -> str:
    return f"Following up on our call: {brief.title}"


def _sessions(brief: Brief) -> list[str]:
    agenda = brief.agenda
    lines: list[str] = []
    if agenda.modules:
        titles = ", ".join(m.title for m in agenda.modules)
        length = agenda.budget_label or f"{agenda.total_minutes} minutes"
        lines.append(f"A first session, {lower_first(length)}: {titles}.")
    for session in agenda.sessions:
        titles = ", ".join(m.title for m in session.modules)
        lines.append(
            f"A proposed session {session.number}, {session.total_minutes} minutes: {titles}."
        )
    if agenda.later:
        lines.append(
            f"Further modules for later, if you want them: {agenda.later_minutes} minutes in all."
        )
    return lines


def _question(q: OpenQuestion) -> str:
    prompt = " ".join(q.prompt.split())
    return f"{prompt} ({_ASKED[q.reason]})"


def parts(brief: Brief) -> tuple[str, list[str], list[str], str]:
    """Greeting and thanks, what was agreed, the questions, and the sign-off."""
    thanks = (
        f"Thank you for your time on our call about customer service training for {brief.client}."
    )
    agreed = [brief.headline, *_sessions(brief)]
    questions = [_question(q) for q in brief.open_questions]
    sign = brief.consultant or ""
    return thanks, agreed, questions, sign


def followup_text(interview: Interview, fmt: FollowupFormat, to: str | None = None) -> str:
    """The follow-up message as text, Markdown, or an unsent ``.eml`` message."""
    brief = build_brief(interview, audience="client")
    if fmt == "markdown":
        return _markdown(brief)
    body = _plain(brief)
    if fmt == "text":
        return body
    message = EmailMessage(policy=SMTP)
    message["Subject"] = visible(subject(brief))
    if to is not None:
        address = parseaddr(to)[1]
        if "@" not in address or any(c in to for c in "\r\n"):
            raise UsageError(f"--to '{visible(to)}' is not an email address")
        message["To"] = to
    # Mail programs open a message with this header as a draft to review, never as sent.
    message["X-Unsent"] = "1"
    message.set_content(body, charset="utf-8", cte="8bit")
    return message.as_bytes().decode("utf-8", errors="replace")


def _plain(brief: Brief) -> str:
    thanks, agreed, questions, sign = parts(brief)
    lines = ["Hello,", "", thanks, "", "What we agreed:"]
    lines += [f"- {visible(a)}" for a in agreed]
    if questions:
        lines += ["", "A few questions to settle before we plan the details:"]
        lines += [f"{i}. {visible(q)}" for i, q in enumerate(questions, 1)]
    lines += ["", "With best regards,"]
    if sign:
        lines.append(visible(sign))
    return "\n".join(lines) + "\n"


def _markdown(brief: Brief) -> str:
    thanks, agreed, questions, sign = parts(brief)
    lines = [
        f"# {md_cell(subject(brief))}",
        "",
        "Hello,",
        "",
        md(thanks),
        "",
        "## What we agreed",
        "",
    ]
    lines += [f"- {md_cell(a)}" for a in agreed]
    if questions:
        lines += ["", "## Questions to settle", ""]
        lines += [f"{i}. {md_cell(q)}" for i, q in enumerate(questions, 1)]
    lines += ["", "With best regards,"]
    if sign:
        lines += ["", md(sign)]
    return "\n".join(lines) + "\n"
