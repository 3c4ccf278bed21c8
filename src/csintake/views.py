"""Rich renderables for the terminal. Every piece of data goes in as ``Text``, never markup."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from rich.tree import Tree

if TYPE_CHECKING:
    from csintake.bank import Bank
    from csintake.catalog import BankEntry


def bank_table(entries: list[BankEntry]) -> Table:
    table = Table(title="Question banks", title_justify="left")
    for name in ("id", "version", "title", "questions", "found in"):
        table.add_column(name, overflow="fold", justify="right" if name == "questions" else "left")
    for e in entries:
        where = Text(f"{e.origin}: {e.path}")
        if e.problem:
            where.append(f"\n{e.problem}", style="red")
        table.add_row(Text(e.id), Text(e.version), Text(e.title), str(e.questions), where)
    if not entries:
        table.caption = "No banks found."
    return table


def bank_tree(bank: Bank, path: Path) -> Tree:
    root = Tree(Text.assemble((bank.title, "bold"), f"  {bank.id} {bank.version}  ({path})"))
    questions = root.add(Text(f"Questions ({len(bank.questions)})", style="bold"))
    number = 0
    for section in bank.sections:
        label = Text.assemble((section.title, "bold cyan"), f"  [{section.id}]")
        if section.when:
            label.append(f"  when {section.when}", style="yellow")
        branch = questions.add(label)
        for q in section.questions:
            number += 1
            line = Text.assemble(f"{number}. ", (q.id, "bold"), f" ({q.type}")
            line.append(")" if q.required else ", optional)")
            line.append(f"  {q.prompt}")
            if q.when:
                line.append(f"  when {q.when}", style="yellow")
            branch.add(line)
    brief = bank.brief
    modules = root.add(Text(f"Modules ({len(brief.modules)})", style="bold"))
    for m in brief.modules:
        line = Text.assemble((m.id, "bold"), f"  {m.title}  {m.minutes} min, {m.priority}")
        if m.when:
            line.append(f"  when {m.when}", style="yellow")
        modules.add(line)
    flags = root.add(Text(f"Flags ({len(brief.flags)})", style="bold"))
    styles = {"blocker": "bold red", "warning": "yellow", "info": "blue"}
    for f in brief.flags:
        flags.add(
            Text.assemble((f"{f.level:8}", styles[f.level]), (f.id, "bold"), f"  when {f.when}")
        )
    return root
