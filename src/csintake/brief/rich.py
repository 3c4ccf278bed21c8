"""The brief for the terminal: Rich panels and tables that read well at 80 columns.

Every piece of data goes in as :class:`rich.text.Text` after :func:`visible`, so answers
such as ``[bold]`` or an escape sequence are shown as typed, never interpreted.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from csintake.brief.builder import AgendaModule, Brief
from csintake.brief.wording import (
    ALWAYS,
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

_LEVEL_STYLES = {"blocker": "bold red", "warning": "yellow", "info": "blue"}


def t(text: str, style: str = "") -> Text:
    """Data as Text: shown as typed, with control characters made visible."""
    return Text(visible(text), style=style)


def render(brief: Brief) -> RenderableType:
    """The whole brief as one renderable."""
    parts: list[RenderableType] = [_header(brief), _what_you_told_us(brief), _scope(brief)]
    parts.extend(_agenda(brief))
    parts.append(_timetable(brief))
    parts.append(_cost(brief))
    parts.append(_decisions(brief))
    parts.append(_flags(brief))
    parts.append(_assumptions(brief))
    parts.append(_open_questions(brief))
    parts.extend(_plan(brief))
    parts.extend(_context(brief))
    return Group(*parts)


def render_text(brief: Brief, width: int = 80) -> str:
    """The brief as plain text, without colour (for ``-o brief.txt`` and golden files)."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        no_color=True,
        color_system=None,
        force_terminal=False,
        force_jupyter=False,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        soft_wrap=False,
    )
    console.print(render(brief))
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"


def _header(brief: Brief) -> RenderableType:
    body = Text()
    for i, (label, value) in enumerate(meta_lines(brief)):
        if i:
            body.append("\n")
        body.append(f"{label}: ", style="dim")
        body.append_text(t(value))
    parts: list[RenderableType] = [body]
    if brief.draft:
        parts.insert(0, t(draft_text(brief) + "\n", "bold red"))
    if brief.internal:
        parts.insert(0, t(INTERNAL_NOTE + "\n", "bold magenta"))
    return Panel(
        Group(*parts),
        title=t(brief.title, "bold"),
        title_align="left",
        border_style="red" if brief.draft else "cyan",
        box=box.ROUNDED,
    )


def _scope(brief: Brief) -> RenderableType:
    scope = brief.scope
    body = t(brief.headline, "bold")
    if scope.question is not None:
        body.append("\n\n")
        body.append_text(t(scope.prompt, "dim"))
        body.append("\n")
        if scope.label is None:
            body.append("Not answered yet", style="italic")
        else:
            body.append_text(t(scope.label))
            if scope.value is not None and str(scope.value) != scope.label:
                body.append_text(t(f" ({scope.value})", "dim"))
    return Panel(body, title="Scope", title_align="left", box=box.ROUNDED)


def _module_table(
    title: str, modules: tuple[AgendaModule, ...], total: int, *, kept: bool, internal: bool
) -> Table:
    summaries = kept
    always = ALWAYS if kept else "always relevant"
    table = Table(
        title=Text(title, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        expand=True,
        show_footer=True,
        leading=1 if summaries else 0,
    )
    table.add_column("Module", ratio=1, overflow="fold", footer="Total")
    table.add_column("Min", justify="right", no_wrap=True, footer=str(total))
    for m in modules:
        cell = t(m.title, "bold")
        if summaries and m.summary:
            cell.append("\n")
            cell.append_text(t(m.summary))
        cell.append("\n")
        cell.append_text(t(module_reason(m), "italic"))
        if internal:
            cell.append("\n")
            cell.append_text(t(because_text(m.because, always), "dim italic"))
            if m.priority == "core":
                cell.append(" (core)", style="dim italic")
        table.add_row(cell, str(m.minutes))
    return table


def _agenda(brief: Brief) -> list[RenderableType]:
    agenda = brief.agenda
    parts: list[RenderableType] = []
    summary = Text.assemble(("Time available: ", "dim"), t(budget_text(agenda)), "\n")
    summary.append_text(t(fit_text(agenda), "bold red" if agenda.over_budget else ""))
    parts.append(
        Panel(
            Group(
                summary,
                _module_table(
                    "Kept",
                    agenda.modules,
                    agenda.total_minutes,
                    kept=True,
                    internal=brief.internal,
                ),
            ),
            title="Agenda",
            title_align="left",
            box=box.ROUNDED,
        )
    )
    objectives = [m for m in agenda.modules if m.objectives]
    if objectives:
        body = Text()
        for i, m in enumerate(objectives):
            if i:
                body.append("\n\n")
            body.append_text(t(m.title, "bold"))
            for o in m.objectives:
                body.append("\n- ")
                body.append_text(t(o))
        parts.append(Panel(body, title="Objectives", title_align="left", box=box.ROUNDED))
    parts.extend(
        _planned(
            brief,
            f"Session {session.number}: proposed follow-up",
            session.modules,
            session.total_minutes,
            "Follow-up",
        )
        for session in agenda.sessions
    )
    if agenda.later:
        parts.append(
            _planned(brief, later_text(agenda), agenda.later, agenda.later_minutes, "Later")
        )
    return parts


def _what_you_told_us(brief: Brief) -> RenderableType:
    p = brief.proposal
    body = Text()
    for label, value in (("Prepared for", p.prepared_for), ("Prepared by", p.prepared_by)):
        if value:
            body.append(f"{label}: ", style="dim")
            body.append_text(t(value))
            body.append("\n")
    if body:
        body.append("\n")
    for paragraph in p.problem:
        body.append_text(t(paragraph))
        body.append("\n\n")
    if not p.problem:
        body.append("Not enough is answered yet to say what you told us.\n\n", style="dim")
    body.append("You are asked to decide:", style="bold")
    for i, ask in enumerate(p.to_decide, 1):
        body.append(f"\n{i}. ")
        body.append_text(t(ask))
    return Panel(body, title="What you told us", title_align="left", box=box.ROUNDED)


def _timetable(brief: Brief) -> RenderableType:
    p = brief.proposal
    parts: list[RenderableType] = [Text.assemble(("Delivery format: ", "dim"), t(p.group.text))]
    if p.timetable is not None:
        each = f" (each of the {p.group.sessions} sessions)" if p.group.sessions > 1 else ""
        table = Table(
            title=Text("Timetable" + each, style="bold"),
            title_justify="left",
            box=box.SIMPLE_HEAD,
            expand=True,
            show_footer=True,
        )
        table.add_column("Time", no_wrap=True, footer=p.timetable.span)
        table.add_column("Module", ratio=1, overflow="fold", footer="In all")
        table.add_column("Min", justify="right", no_wrap=True, footer=str(p.timetable.minutes))
        for slot in p.timetable.slots:
            title = Text("Break", style="dim italic") if slot.is_break else t(slot.title)
            table.add_row(p.timetable.time_of(slot), title, str(slot.minutes))
        parts.append(table)
    return Panel(Group(*parts), title="The day", title_align="left", box=box.ROUNDED)


def _cost(brief: Brief) -> RenderableType:
    c = brief.proposal.cost
    parts: list[RenderableType] = []
    if c.lines:
        table = Table(box=box.SIMPLE_HEAD, expand=True, show_footer=c.total is not None)
        table.add_column("Consultant's fee", ratio=1, overflow="fold", footer="Total")
        table.add_column("Amount", justify="right", no_wrap=True, footer=c.total or "")
        for line in c.lines:
            table.add_row(t(line.label), t(line.shown))
        parts.append(table)
    if c.missing:
        parts.append(t(c.missing, "yellow"))
    if c.library:
        text = Text("The library's own costs:", style="bold")
        for own in c.library:
            text.append("\n- ")
            text.append_text(t(own))
        parts.append(text)
    return Panel(Group(*parts), title="Cost", title_align="left", box=box.ROUNDED)


def _decisions(brief: Brief) -> RenderableType:
    decisions = brief.proposal.decisions
    title = "What training won't fix"
    if not decisions:
        text = "Nothing raised: the answers point to nothing outside the training it depends on."
        return Panel(Text(text, style="dim"), title=title, title_align="left")
    table = Table(box=None, show_header=False, expand=True)
    table.add_column("owner", ratio=1, overflow="fold")
    table.add_column("decision", ratio=3, overflow="fold")
    for i, d in enumerate(decisions):
        gap = "\n" if i else ""
        table.add_row(Text(gap) + t(d.owner, "bold"), Text(gap) + t(d.message))
    return Panel(table, title=f"{title} ({len(decisions)})", title_align="left")


def _assumptions(brief: Brief) -> RenderableType:
    p = brief.proposal
    body = Text()
    for a in p.assumptions:
        body.append("- ")
        body.append_text(t(a))
        body.append("\n")
    if not p.assumptions:
        body.append("No assumptions stated.\n", style="dim")
    if p.approvals:
        body.append("\nWho approves what:", style="bold")
        for a in p.approvals:
            body.append("\n- ")
            body.append_text(t(a))
    body.rstrip()
    return Panel(body, title="Assumptions and approval", title_align="left", box=box.ROUNDED)


def _planned(
    brief: Brief, title: str, modules: tuple[AgendaModule, ...], total: int, panel: str
) -> RenderableType:
    """A follow-up session, or what is left for later, as a panel."""
    table = _module_table(title, modules, total, kept=False, internal=brief.internal)
    return Panel(table, title=panel, title_align="left", box=box.ROUNDED)


def _flags(brief: Brief) -> RenderableType:
    flags = brief.risks
    if not flags:
        return Panel(Text("No flags raised.", style="dim"), title="Flags", title_align="left")
    table = Table(box=None, show_header=False, expand=True)
    table.add_column("level", no_wrap=True)
    table.add_column("flag", overflow="fold", ratio=1)
    for i, f in enumerate(flags):
        body = Text("\n") if i else Text()
        body.append_text(t(f.message))
        if f.reason:
            body.append("\n")
            body.append_text(t(flag_reason(f), "italic"))
        if brief.internal:
            body.append("\n")
            body.append_text(t(because_text(f.because, "always raised"), "dim italic"))
            if f.audience == "internal":
                body.append(" (internal)", style="dim italic")
        level = Text("\n" if i else "")
        level.append(LEVEL_NAMES[f.level], style=_LEVEL_STYLES[f.level])
        table.add_row(level, body)
    return Panel(table, title=f"Flags ({len(flags)})", title_align="left")


def _open_questions(brief: Brief) -> RenderableType:
    if not brief.open_questions and not brief.open_notes:
        return Panel(Text("Nothing open.", style="dim"), title="Open questions", title_align="left")
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Question", ratio=3, overflow="fold")
    table.add_column("Status", ratio=2, overflow="fold")
    for q in brief.open_questions:
        status = Text(open_status(q), style="yellow")
        if q.answer is not None:
            status.append("\nanswered: ", style="dim")
            status.append_text(t(q.answer))
        question = t(q.prompt)
        if brief.internal:
            question.append_text(t(f" ({q.id})", "dim"))
        if q.note:
            question.append("\nNote: ", style="italic")
            question.append_text(t(q.note, "italic"))
        table.add_row(question, status)
    for n in brief.open_notes:
        question = t(n.prompt)
        question.append_text(t(f" ({n.id})", "dim"))
        question.append("\nNote: ", style="italic")
        question.append_text(t(n.text, "italic"))
        table.add_row(question, Text("noted", style="dim"))
    return Panel(table, title="Open questions", title_align="left")


def _plan(brief: Brief) -> list[RenderableType]:
    """The evaluation plan and the next steps."""
    parts: list[RenderableType] = []
    if brief.evaluation:
        table = Table(box=box.SIMPLE_HEAD, expand=True)
        table.add_column("Level", no_wrap=True)
        table.add_column("When", ratio=1, overflow="fold")
        table.add_column("How", ratio=2, overflow="fold")
        for e in brief.evaluation:
            table.add_row(t(e.level), t(e.timing), t(e.measure))
        parts.append(Panel(table, title="Evaluation plan", title_align="left"))
    if brief.next_steps:
        body = Text()
        for i, n in enumerate(brief.next_steps):
            if i:
                body.append("\n")
            body.append("- ")
            body.append_text(t(n.text))
            body.append_text(t(f" (owner: {n.owner})", "dim"))
        parts.append(Panel(body, title="Next steps", title_align="left"))
    return parts


def _context(brief: Brief) -> list[RenderableType]:
    parts: list[RenderableType] = [Rule(Text("Context: the answers from the intake"))]
    for section in brief.context:
        table = Table(
            title=t(section.title, "bold"),
            title_justify="left",
            show_header=False,
            box=box.SIMPLE,
            expand=True,
        )
        table.add_column("question", ratio=1, overflow="fold")
        table.add_column("answer", ratio=1, overflow="fold")
        for a in section.answers:
            answer = t(a.shown)
            if a.note:
                answer.append("\nNote: ", style="italic")
                answer.append_text(t(a.note, "italic"))
            table.add_row(t(a.prompt, "dim"), answer)
        parts.append(table)
    if not brief.context:
        parts.append(Text("No answers yet.", style="dim"))
    return parts
