"""The ``csintake report`` for the terminal: a chart of what "customer service" meant, the
median time budget, and rankings of flags and modules. Data goes in as ``Text``, through
:func:`visible`, never as markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

    from csintake.overview.report import Count, Report

BAR_WIDTH = 30
TOP = 10


def report_view(found: Report, where: str) -> RenderableType:
    """The report for the terminal. Data goes in as ``Text``, never as markup."""
    from rich.console import Group
    from rich.text import Text

    from csintake.printable import visible

    title = Text.assemble(("Report", "bold"), visible(f": {found.sessions} sessions in {where}"))
    f = found.filters
    chosen = [
        f"on bank {f.bank}" if f.bank else "",
        f"with status {f.status}" if f.status else "",
        f"created since {f.since.isoformat()}" if f.since else "",
    ]
    parts: list[RenderableType] = [title]
    if any(chosen):
        parts.append(Text(visible(f"Only sessions {', '.join(c for c in chosen if c)}.")))
    if not found.sessions:
        parts.append(Text("No sessions match."))
        return Group(*parts)
    if found.without_brief:
        parts.append(
            Text(
                f"{found.without_brief} of them have no brief (an unreadable file or a bank that"
                " cannot be found) and are counted in the rows only.",
                style="yellow",
            )
        )
    sections = [
        _chart('What "customer service" meant', found.scope, found.with_brief),
        _budget(found),
        _section_minutes(found),
        _ranking("Most frequent flags", found.flags, found.with_brief, flags=True),
        _ranking("Modules most often kept", found.kept, found.with_brief),
        _ranking("Modules most often set aside for a follow-up", found.set_aside, found.with_brief),
    ]
    for section in sections:
        parts += [Text(""), section]
    return Group(*parts)


def _chart(title: str, counts: tuple[Count, ...], total: int) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    from csintake.printable import visible

    table = Table(title=Text(title), title_justify="left", box=None, show_header=False)
    table.add_column("scope")
    table.add_column("count", justify="right")
    table.add_column("share", justify="right")
    table.add_column("bar")
    most = max((c.count for c in counts), default=0)
    for c in counts:
        width = round(BAR_WIDTH * c.count / most) if most else 0
        bar = Text("█" * width, style="cyan" if c.key is not None else "dim")
        # Labels come from banks: their control characters are shown, never obeyed.
        table.add_row(Text(visible(c.label)), str(c.count), _share(c.count, total), bar)
    return table


def _ranking(
    title: str, counts: tuple[Count, ...], total: int, *, flags: bool = False
) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    from csintake.printable import visible

    table = Table(title=Text(title), title_justify="left")
    if flags:
        table.add_column("flag", overflow="fold")
        table.add_column("level")
    else:
        table.add_column("module", overflow="fold")
        table.add_column("id", overflow="fold")
    table.add_column("sessions", justify="right")
    table.add_column("share", justify="right")
    styles = {"blocker": "bold red", "warning": "yellow", "info": "blue"}
    for c in counts[:TOP]:
        if flags:
            level = c.level or ""
            first = [Text(visible(str(c.key))), Text(level, style=styles.get(level, ""))]
        else:
            first = [Text(visible(c.label)), Text(visible(str(c.key)))]
        table.add_row(*first, str(c.count), _share(c.count, total))
    if not counts:
        table.caption = "None."
    elif len(counts) > TOP:
        table.caption = f"and {len(counts) - TOP} more (--json lists them all)"
    return table


def _budget(found: Report) -> RenderableType:
    from rich.text import Text

    if found.median_budget is None:
        return Text("Median time budget: none answered.")
    minutes = found.median_budget
    shown = f"{minutes:g}"
    hours = f" ({minutes / 60:.1f} h)" if minutes >= 60 else ""
    return Text.assemble(
        ("Median time budget: ", "bold"),
        f"{shown} minutes{hours}, over the {found.budgets} sessions that gave one.",
    )


def _section_minutes(found: Report) -> RenderableType:
    from rich.text import Text

    from csintake.printable import visible

    if not found.section_minutes:
        return Text("Minutes per section on the call: none timed.")
    lines = Text("Median minutes per section on the call:", style="bold")
    for section, minutes, sessions in found.section_minutes:
        lines.append(visible(f"\n  {section}: {minutes:g} min ({sessions} sessions)"), style="")
    return lines


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.0f}%" if total else "-"
