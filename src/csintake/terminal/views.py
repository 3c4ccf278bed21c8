"""Rich renderables for the terminal. Every piece of data goes in as ``Text``, never markup,
and through :func:`visible`, so no control sequence in it reaches the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from csintake.printable import one_line, visible
from csintake.store.session import STATE_MARKS

if TYPE_CHECKING:
    from csintake.bank.catalog import BankEntry
    from csintake.bank.model import Bank
    from csintake.interview.engine import Interview
    from csintake.overview.summary import Summary


def _t(text: str, style: str = "") -> Text:
    """Data as Text: shown as typed, with control characters made visible."""
    return Text(visible(text), style=style)


def bank_table(entries: list[BankEntry]) -> Table:
    table = Table(title="Question banks", title_justify="left")
    # Ids are what people type after --bank: never broken across lines.
    table.add_column("id", no_wrap=True)
    table.add_column("version", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("questions", justify="right")
    table.add_column("found in", overflow="fold")
    for e in entries:
        where = _t("shipped with csintake" if e.origin == "shipped" else str(e.path))
        if e.problem:
            where.append(f"\n{visible(e.problem)}", style="red")
        table.add_row(_t(e.id), _t(e.version), _t(e.title), str(e.questions), where)
    if not entries:
        table.caption = "No banks found."
    return table


def bank_tree(bank: Bank, path: Path) -> Tree:
    root = Tree(
        Text.assemble(
            (visible(bank.title), "bold"), visible(f"  {bank.id} {bank.version}  ({path})")
        )
    )
    questions = root.add(Text(f"Questions ({len(bank.questions)})", style="bold"))
    number = 0
    for section in bank.sections:
        label = Text.assemble((visible(section.title), "bold cyan"), f"  [{section.id}]")
        if section.when:
            label.append(visible(f"  when {section.when}"), style="yellow")
        branch = questions.add(label)
        for q in section.questions:
            number += 1
            line = Text.assemble(f"{number}. ", (q.id, "bold"), f" ({q.type}")
            line.append(")" if q.required else ", optional)")
            line.append(visible(f"  {q.prompt}"))
            if q.when:
                line.append(visible(f"  when {q.when}"), style="yellow")
            branch.add(line)
    brief = bank.brief
    modules = root.add(Text(f"Modules ({len(brief.modules)})", style="bold"))
    for m in brief.modules:
        line = Text.assemble((m.id, "bold"), visible(f"  {m.title}  {m.minutes} min, {m.priority}"))
        if m.when:
            line.append(visible(f"  when {m.when}"), style="yellow")
        modules.add(line)
    flags = root.add(Text(f"Flags ({len(brief.flags)})", style="bold"))
    styles = {"blocker": "bold red", "warning": "yellow", "info": "blue"}
    for f in brief.flags:
        flags.add(
            Text.assemble(
                (f"{f.level:8}", styles[f.level]), (f.id, "bold"), visible(f"  when {f.when}")
            )
        )
    return root


ROW_LINES = 3
"""Lines a session takes in the sessions table: its id, client and bank."""
FRAME_LINES = 8
"""The rest of a screenful: title, header and its rules, bottom edge, caption, prompt."""


def screenful(height: int) -> int:
    """How many sessions the table shows on a terminal ``height`` lines high."""
    return max(5, (height - FRAME_LINES) // ROW_LINES)


def sessions_table(rows: list[Summary], root: Path, *, shown: int | None = None) -> Table:
    """The newest ``shown`` sessions (all when None), and a caption saying how many more."""
    # A title given as str would be read as markup: the store's path is data.
    table = Table(title=_t(f"Sessions in {root}"), title_justify="left")
    # Four columns fit an 80-column terminal with the id on a line of its own: the id is
    # what people copy to resume a session, so it should not be broken.
    table.add_column("session", overflow="fold")
    table.add_column("status", overflow="fold")
    table.add_column("progress", justify="right", overflow="fold")
    table.add_column("updated", overflow="fold")
    page = rows if shown is None else rows[:shown]
    for r in page:
        session = Text("\n").join([_t(r.id), _t(r.client), _t(r.bank)])
        status = Text(r.status.replace("_", " "), style="green" if r.status == "complete" else "")
        progress = Text(f"{r.answered}/{r.total}" if r.total else "-")
        if r.problem:
            status = Text(r.status, style="red")
            progress = _t(r.problem, style="red")
        updated = r.updated.strftime("%Y-%m-%d\n%H:%M") if r.updated else ""
        table.add_row(session, status, progress, updated)
    if not rows:
        table.caption = "No sessions yet: start one with csintake interview --client NAME"
    elif len(page) < len(rows):
        more = len(rows) - len(page)
        table.caption = (
            f"The newest {len(page)} of {len(rows):,}; {more:,} older: "
            "add --all to list every one, or --json"
        )
    return table


def sessions_lines(rows: list[Summary], root: Path) -> list[str]:
    """Every session on one plain line, in columns: for thousands of them, and for grep."""
    # One line each whatever the data holds: control characters and breaks escaped.
    cells = [
        [
            one_line(r.id),
            r.status.replace("_", " "),
            f"{r.answered}/{r.total}" if r.total else "-",
            r.updated.strftime("%Y-%m-%d %H:%M") if r.updated else "",
            one_line(r.client),
            one_line(r.bank),
            one_line(r.problem),
        ]
        for r in rows
    ]
    header = ["session", "status", "progress", "updated", "client", "bank", ""]
    widths = [max(cell_len(row[i]) for row in [header, *cells]) for i in range(len(header))]
    right = {2}

    def line(row: list[str]) -> str:
        padded = [
            " " * (w - cell_len(c)) + c if i in right else c + " " * (w - cell_len(c))
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    title = one_line(f"Sessions in {root}: {len(rows):,}, newest first")
    if not rows:
        return [title, "No sessions yet: start one with csintake interview --client NAME"]
    return [title, line(header), *(line(row) for row in cells)]


def session_view(interview: Interview) -> Group:
    """Answers by section with notes; then skipped, parked and unanswered questions."""
    s = interview.session
    parts: list[RenderableType] = []
    status = "complete" if s.status == "complete" else "in progress"
    statuses = [interview.status(q.id) for q in interview.relevant]
    answered = sum(1 for q in interview.relevant if interview.is_answered(q.id))
    header = Text.assemble(
        (visible(s.client), "bold"),
        visible(f"  {s.id}\n{s.bank.id} {s.bank.version}  {status}, ")
        + f"{answered}/{len(interview.relevant)} answered",
    )
    for state in STATE_MARKS:
        if statuses.count(state):
            header.append(f", {statuses.count(state)} {STATE_MARKS[state]}")
    if s.consultant:
        header.append(f"\nConsultant: {visible(s.consultant)}")
    parts.append(header)
    current = None
    table: Table | None = None
    for q in interview.relevant:
        section = interview.section(q.id)
        if section is not current:
            current = section
            table = Table(
                title=_t(section.title), title_justify="left", show_header=False, expand=True
            )
            table.add_column("question", ratio=2, overflow="fold")
            table.add_column("answer", ratio=3, overflow="fold")
            parts.append(table)
        assert table is not None
        answer = _t(interview.show(q.id) or "")
        marks = interview.marks(q.id)
        unsettled = [m for m in marks if m != "parked"]
        if unsettled:
            shown = "not answered" if unsettled[0] in ("missing", "open") else unsettled[0]
            answer = Text(f"({shown})", style="dim")
        if "parked" in marks:
            answer.append("  [parked]", style="yellow")
        note = interview.note_of(q.id)
        if note:
            answer.append("\nNote: ", style="italic")
            answer.append(visible(note), style="italic")
        table.add_row(_t(interview.text(q.prompt)), answer)
    if interview.mismatches:
        parts.append(Text("Answers that no longer fit the bank (kept in the file):", style="red"))
        parts.extend(_t(f"  {m.question}: {m.message}") for m in interview.mismatches)
    return Group(*parts)
