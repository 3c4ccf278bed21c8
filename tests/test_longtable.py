"""Long tables are drawn exactly as Rich draws them, only faster."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from csintake.longtable import fast
from csintake.overview import Summary
from csintake.views import sessions_table

STORE = Path("/store")

words = st.sampled_from(
    ["ames", "Public", "library", "a", "x" * 45, "Boone-County-Library-District", "  ", "é", "[b]"]
)
texts = st.lists(words, max_size=6).map(" ".join)
summaries = st.builds(
    Summary,
    id=texts.map(lambda t: t.replace(" ", "-") or "x"),
    client=texts,
    bank=texts,
    status=st.sampled_from(["complete", "in_progress", "unreadable"]),
    answered=st.integers(0, 99),
    total=st.integers(0, 99),
    updated=st.none() | st.just(dt.datetime(2026, 11, 28, 14, 3, tzinfo=dt.UTC)),
    problem=st.sampled_from(["", "", "f.yaml:2:1: YAML syntax: a problem"]),
)


def render(renderable: object, width: int, color: bool) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        highlight=False,
        force_terminal=color,
        color_system="truecolor" if color else None,
    )
    console.print(renderable)
    return out.getvalue()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(summaries, min_size=3, max_size=30),
    st.sampled_from([30, 60, 80, 100, 140, 220]),
    st.booleans(),
)
def test_the_sessions_table_is_drawn_as_rich_draws_it(
    rows: list[Summary], width: int, color: bool
) -> None:
    table = fast(sessions_table(rows, STORE), threshold=1)
    assert not isinstance(table, Table)  # the fast path, really
    assert render(table, width, color) == render(sessions_table(rows, STORE), width, color)


def test_short_or_unusual_tables_are_left_to_rich() -> None:
    rows = [Summary(f"s{i}", "c", "b", "complete", 1, 2, None) for i in range(5)]
    short = sessions_table(rows, STORE)
    assert fast(short) is short
    lined = Table(show_lines=True)
    lined.add_column("a")
    for i in range(300):
        lined.add_row(Text(str(i)))
    assert fast(lined) is lined


def test_a_long_table_of_any_text() -> None:
    table = Table(title="Anything")
    table.add_column("a", overflow="fold")
    table.add_column("b", justify="right")
    table.add_column("c", overflow="crop")
    cells = ["tab\there", "line\nbreak", "wide 東京 text", "[bold]markup[/bold]", "plain " * 9]
    for i in range(250):
        table.add_row(Text(cells[i % 5]), cells[(i + 1) % 5], Text(cells[(i + 2) % 5], style="red"))
    for width in (20, 50, 120):
        expected = render(table, width, color=True)
        assert render(fast(table), width, color=True) == expected
