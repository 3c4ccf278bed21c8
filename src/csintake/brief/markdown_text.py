"""The shipped Markdown brief in plain Python: the same document as ``brief.md.j2``.

``csintake brief --format markdown`` is the command consultants run most, and importing
Jinja2 and compiling the shipped template cost more than the rest of the command together.
So the shipped brief is written out here, byte for byte what ``brief.md.j2`` renders to
(tests render both and compare them); ``brief.md.j2`` stays shipped as the starting point of
a consultant's own template, which still goes through the Jinja2 sandbox.

:func:`md` and :func:`md_cell` (the templates' filters of the same names) escape text so
that it shows as typed in any CommonMark or GitHub renderer: no emphasis, headings, lists,
quotes, tables, links or HTML can come out of an answer. Each piece of text in the brief goes
through one of them and then through :func:`~csintake.printable.visible`, as the template
environment's ``finalize`` does with everything a template prints. The sections below
follow the template's blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from csintake.brief.builder import AgendaModule, Brief
from csintake.brief.wording import (
    INTERNAL_NOTE,
    LEVEL_NAMES,
    because_text,
    budget_text,
    draft_text,
    fit_text,
    flag_reason,
    later_text,
    meta_lines,
    module_reason,
    open_status,
)
from csintake.printable import visible

# Every ASCII character that can start or end Markdown syntax in the middle of a line.
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&$])")
# Characters that start a block (list, heading underline, thematic break) at a line's start.
_LEADING = re.compile(r"^([-+=])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def _line(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text.strip())
    text = _LEADING.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", text)


def md(value: object) -> str:
    """Text escaped for Markdown; line breaks stay line breaks (a backslash at the end of
    each line but the last), so put it where a paragraph may continue. None is empty."""
    if value is None:
        return ""
    lines = visible(str(value)).strip().split("\n")
    return "\\\n".join(_line(line) for line in lines)


def md_cell(value: object) -> str:
    """Text escaped for Markdown on one line: for table cells, headings and list items."""
    if value is None:
        return ""
    lines = visible(str(value)).strip().split("\n")
    return " ".join(part for part in (_line(line) for line in lines) if part)


def _out(value: object) -> str:
    """A value as a template prints it: text with control characters made visible."""
    return visible(value) if isinstance(value, str) else str(value)


def _cell(value: object) -> str:
    return visible(md_cell(value))


def _para(value: object) -> str:
    return visible(md(value))


def _indent(text: str, width: int) -> str:
    """Jinja2's ``indent``: every line but the first indented, blank lines left blank. Lines
    are split as ``str.splitlines`` splits them (U+2028 is a line break here too)."""
    lines = (text + "\n").splitlines()
    first = lines.pop(0)
    if not lines:
        return first
    pad = " " * width
    return first + "\n" + "\n".join(pad + line if line else line for line in lines)


def _para_in(value: object, width: int) -> str:
    """A paragraph inside a list item, its continuation lines indented under the item."""
    return visible(_indent(md(value), width))


def _because(because: Iterable[object], empty: str) -> str:
    return _cell(because_text([str(b) for b in because], empty))


def render(brief: Brief) -> str:
    """The brief as the shipped ``brief.md.j2`` renders it."""
    out: list[str] = []
    _head(out, brief)
    _what_you_told_us(out, brief)
    _scope(out, brief)
    _agenda(out, brief)
    _timetable(out, brief)
    _cost(out, brief)
    _decisions(out, brief)
    _flags(out, brief)
    _assumptions(out, brief)
    _open(out, brief)
    _evaluation(out, brief)
    _context(out, brief)
    return "".join(out)


def _head(out: list[str], brief: Brief) -> None:
    out.append(f"# {_cell(brief.title)}\n\n")
    if brief.draft:
        out.append(f"> **{_cell(draft_text(brief))}**\n\n")
    if brief.internal:
        out.append(f"> **{_cell(INTERNAL_NOTE)}**\n\n")
    out.extend(f"- **{_out(label)}:** {_cell(value)}\n" for label, value in meta_lines(brief))
    out.append("\n")


def _what_you_told_us(out: list[str], brief: Brief) -> None:
    p = brief.proposal
    out.append("## What you told us\n\n")
    if p.prepared_for:
        out.append(f"- **Prepared for:** {_cell(p.prepared_for)}\n")
    if p.prepared_by:
        out.append(f"- **Prepared by:** {_cell(p.prepared_by)}\n")
    if p.prepared_for or p.prepared_by:
        out.append("\n")
    out.extend(f"{_para(paragraph)}\n\n" for paragraph in p.problem)
    if not p.problem:
        out.append("*Not enough is answered yet to say what you told us.*\n\n")
    out.append("**You are asked to decide:**\n\n")
    out.extend(f"- {_cell(ask)}\n" for ask in p.to_decide)
    out.append("\n")


def _scope(out: list[str], brief: Brief) -> None:
    scope = brief.scope
    out.append(f"## Scope\n\n**{_cell(brief.headline)}**\n")
    if scope.question:
        if scope.label is None:
            answer = "*not answered yet*"
        else:
            answer = _cell(scope.label)
            if str(scope.value) != scope.label:
                answer += f" ({_cell(scope.value)})"
        out.append(f"\n{_para(scope.prompt)}\\\nAnswer: {answer}\n")
    out.append("\n")


def _rows(
    out: list[str], brief: Brief, modules: Iterable[AgendaModule], empty: str, core: bool
) -> None:
    """Agenda table rows; a consultant's brief says why each module was picked."""
    for m in modules:
        why = _cell(module_reason(m))
        if brief.internal:
            why += f" *{_because(m.because, empty)}"
            if core and m.priority == "core":
                why += " (core)"
            why += "*"
        out.append(f"| {_cell(m.title)} | {_out(m.minutes)} | {why} |\n")


def _total(out: list[str], brief: Brief, minutes: int) -> None:
    budget = brief.agenda.budget_minutes
    available = f"of {_out(budget)} available" if budget is not None else ""
    out.append(f"| **Total** | **{_out(minutes)}** | {available} |\n")


_TABLE = "| Module | Minutes | Why |\n|---|---:|---|\n"


def _agenda(out: list[str], brief: Brief) -> None:
    agenda = brief.agenda
    out.append("## Agenda\n\n")
    out.append(f"Time available: {_cell(budget_text(agenda))}.\\\n{_cell(fit_text(agenda))}\n\n")
    out.append(_TABLE)
    _rows(out, brief, agenda.modules, "always included", core=True)
    _total(out, brief, agenda.total_minutes)
    out.append("\n")
    out.extend(f"- **{_cell(m.title)}:** {_cell(m.summary)}\n" for m in agenda.modules if m.summary)
    if any(m.objectives for m in agenda.modules):
        out.append("\n### Objectives\n\n")
        for m in agenda.modules:
            if not m.objectives:
                continue
            out.append(f"**{_cell(m.title)}**\n\n")
            out.extend(f"- {_cell(o)}\n" for o in m.objectives)
            out.append("\n")
    for session in agenda.sessions:
        out.append(f"\n### Session {_out(session.number)}: proposed follow-up\n\n")
        out.append(_TABLE)
        _rows(out, brief, session.modules, "always relevant", core=False)
        _total(out, brief, session.total_minutes)
    if agenda.later:
        out.append(f"\n### Later\n\n{_cell(later_text(agenda))}\n\n")
        out.append(_TABLE)
        _rows(out, brief, agenda.later, "always relevant", core=False)


def _timetable(out: list[str], brief: Brief) -> None:
    p = brief.proposal
    out.append(f"\n### Delivery format\n\n{_para(p.group.text)}\n")
    table = p.timetable
    if not table:
        return
    each = f" (each of the {_out(p.group.sessions)} sessions)" if p.group.sessions > 1 else ""
    out.append(f"\n### Timetable{each}\n\n| Time | Module | Minutes |\n|---|---|---:|\n")
    for s in table.slots:
        title = "*Break*" if s.is_break else _cell(s.title)
        out.append(f"| {_out(table.time_of(s))} | {title} | {_out(s.minutes)} |\n")
    out.append(f"| **{_out(table.span)}** | **In all** | **{_out(table.minutes)}** |\n")


def _cost(out: list[str], brief: Brief) -> None:
    c = brief.proposal.cost
    out.append("\n## Cost\n\n")
    if c.lines:
        out.append("| Consultant's fee | Amount |\n|---|---:|\n")
        out.extend(f"| {_cell(line.label)} | {_cell(line.shown)} |\n" for line in c.lines)
        if c.total:
            out.append(f"| **Total** | **{_cell(c.total)}** |\n")
        out.append("\n")
    if c.missing:
        out.append(f"{_para(c.missing)}\n\n")
    if c.library:
        out.append("The library's own costs:\n\n")
        out.extend(f"- {_cell(line)}\n" for line in c.library)


def _decisions(out: list[str], brief: Brief) -> None:
    decisions = brief.proposal.decisions
    out.append("\n## What training won't fix\n\n")
    out.extend(f"- **{_cell(d.owner)}:** {_para_in(d.message, 2)}\n" for d in decisions)
    if not decisions:
        out.append(
            "Nothing raised: the answers point to nothing outside the training that it"
            " depends on.\n"
        )


def _flags(out: list[str], brief: Brief) -> None:
    out.append("\n## Flags\n\n")
    risks = brief.risks
    for f in risks:
        line = f"- **{_out(LEVEL_NAMES[f.level])}:** {_para_in(f.message, 2)}"
        if f.reason:
            line += f"\\\n  {_cell(flag_reason(f))}"
        if brief.internal:
            line += f"\\\n  *{_because(f.because, 'always raised')}*"
            if f.audience == "internal":
                line += " (internal)"
        out.append(line + "\n")
    if not risks:
        out.append("No flags raised.\n")
    out.append("\n")


def _assumptions(out: list[str], brief: Brief) -> None:
    p = brief.proposal
    out.append("## Assumptions and approval\n\n")
    out.extend(f"- {_para_in(a, 2)}\n" for a in p.assumptions)
    if not p.assumptions:
        out.append("No assumptions stated.\n")
    if p.approvals:
        out.append("\nWho approves what:\n\n")
        out.extend(f"- {_para_in(a, 2)}\n" for a in p.approvals)
    out.append("\n")


def _open(out: list[str], brief: Brief) -> None:
    out.append("## Open questions\n\n")
    for q in brief.open_questions:
        ident = f" (`{_out(q.id)}`)" if brief.internal else ""
        out.append(f"- {_cell(q.prompt)}{ident}: **{_out(open_status(q))}**\n")
        if q.answer is not None:
            out.append(f"  - Answer so far: {_para_in(q.answer, 4)}\n")
        if q.note:
            out.append(f"  - *Note:* {_para_in(q.note, 4)}\n")
    for n in brief.open_notes:
        out.append(f"- {_cell(n.prompt)} (`{_out(n.id)}`): **noted**\n")
        out.append(f"  - *Note:* {_para_in(n.text, 4)}\n")
    if not brief.open_questions and not brief.open_notes:
        out.append("Nothing open.\n")


def _evaluation(out: list[str], brief: Brief) -> None:
    if brief.evaluation:
        out.append("\n## Evaluation plan\n\n| Level | When | How |\n|---|---|---|\n")
        out.extend(
            f"| {_cell(e.level)} | {_cell(e.timing)} | {_cell(e.measure)} |\n"
            for e in brief.evaluation
        )
    if brief.next_steps:
        out.append("\n## Next steps\n\n")
        out.extend(f"- {_cell(n.text)} (owner: {_cell(n.owner)})\n" for n in brief.next_steps)


def _context(out: list[str], brief: Brief) -> None:
    out.append("\n## Context\n\n")
    for section in brief.context:
        out.append(f"### {_cell(section.title)}\n\n")
        for a in section.answers:
            note = f"\\\n*Note:* {_para(a.note)}" if a.note else ""
            out.append(f"**{_cell(a.prompt)}**\\\n{_para(a.shown)}{note}\n\n")
    if not brief.context:
        out.append("No answers yet.\n\n")
