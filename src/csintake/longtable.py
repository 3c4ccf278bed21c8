"""Rich tables of thousands of rows, drawn in a fraction of the time Rich itself takes.

Rich lays out and renders every cell through its general machinery (about half a
millisecond a row), so a listing of 10,000 sessions took several seconds. :func:`fast` wraps
a plain :class:`rich.table.Table` so that Rich still decides everything that needs judgement
(column widths, title, header, edges) on a small stand-in table, while the rows themselves
are drawn directly: simple text cells are folded with Rich's own line-breaking function and
padded, and any cell that is not simple goes through Rich as before. The result is the same
text Rich would print (tests compare the two).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich._wrap import divide_line
from rich.cells import cell_len
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Column, Row, Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

# Below this many rows Rich is fast enough, and draws the table itself.
THRESHOLD = 200


def fast(table: Table, threshold: int = THRESHOLD) -> RenderableType:
    """``table``, drawn quickly when it is long and of the plain kind this module draws."""
    plain_kind = (
        table.box is not None
        and table.show_edge
        and table.show_header
        and not table.show_footer
        and not table.show_lines
        and not table.row_styles
        and not table.collapse_padding
        and table.pad_edge
        and table.padding == (0, 1, 0, 1)
        and table.leading == 0
        and table.width is None
        and not table.expand
        and all(r.style is None and not r.end_section for r in table.rows)
        and all(_plain_column(c) for c in table.columns)
    )
    return _LongTable(table) if plain_kind and table.row_count > threshold else table


def _plain_column(column: Column) -> bool:
    return (
        not column.style
        and column.vertical == "top"
        and column.justify in ("left", "right")
        and column.overflow in ("fold", "crop", "ellipsis")
        and column.width is None
        and column.min_width is None
        and column.max_width is None
        and column.ratio is None
    )


class _LongTable:
    def __init__(self, table: Table) -> None:
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table
        columns = table.columns
        rendered: dict[str, Text] = {}  # str cells (dates, counts) repeat
        cells = [[_as_text(console, c, rendered) for c in column._cells] for column in columns]
        widths = _widths(table, cells, console, options)
        # The frame (title, edges, header) and the first row, drawn by Rich at these widths.
        frame = copy.copy(table)
        frame.columns = [
            dataclasses.replace(
                column,
                _cells=[cells[i][0]],
                width=widths[i] - table._get_padding_width(i),
            )
            for i, column in enumerate(columns)
        ]
        frame.rows = [Row()]
        frame.caption = None
        lines = list(Segment.split_lines(console.render(frame, options)))
        box = table.box
        assert box is not None
        box = box.substitute(options, safe=console.safe_box if table.safe_box is None else True)
        bottom = box.get_bottom(widths)
        at = max(i for i, line in enumerate(lines) if "".join(s.text for s in line) == bottom)
        border: Style | None = console.get_style(table.style or "") + console.get_style(
            table.border_style or ""
        )
        if not border:
            border = None  # unstyled, like the cells' padding, so that lines merge
        yield from _lines(lines[:at])
        yield from _lines(
            self._rows(console, options, cells, widths, border, box.mid_left, box.mid_vertical)
        )
        yield from _lines(lines[at:])
        if table.caption:
            caption_table = copy.copy(frame)
            caption_table.title = None
            caption_table.caption = table.caption
            caption = list(Segment.split_lines(console.render(caption_table, options)))
            yield from _lines(caption[len(lines) :])

    def _rows(
        self,
        console: Console,
        options: ConsoleOptions,
        cells: list[list[Text]],
        widths: list[int],
        border: Style | None,
        left: str,
        vertical: str,
    ) -> Iterable[list[Segment]]:
        columns = self.table.columns
        left_segment = Segment(left, border)
        divider = Segment(vertical, border)
        right_segment = Segment(self.table.box.mid_right if self.table.box else "", border)
        for row in range(1, self.table.row_count):
            drawn = [
                _cell(console, options, cells[i][row], widths[i], column)
                for i, column in enumerate(columns)
            ]
            height = max(len(d) for d in drawn)
            for line_no in range(height):
                line = [left_segment]
                for i, d in enumerate(drawn):
                    if i:
                        line.append(divider)
                    if line_no < len(d):
                        line.extend(d[line_no])
                    else:
                        line.append(Segment(" " * widths[i]))
                line.append(right_segment)
                yield _merged(line)


def _merged(line: list[Segment]) -> list[Segment]:
    """Neighbouring segments of one style as one: Rich's console handles each separately."""
    out: list[Segment] = []
    texts: list[str] = []
    style = line[0].style
    for segment in line:
        if segment.style != style:
            out.append(Segment("".join(texts), style))
            texts, style = [], segment.style
        texts.append(segment.text)
    out.append(Segment("".join(texts), style))
    return out


def _lines(lines: Iterable[list[Segment]]) -> RenderResult:
    new_line = Segment.line()
    for line in lines:
        yield from line
        yield new_line


def _as_text(console: Console, cell: RenderableType, rendered: dict[str, Text]) -> Text:
    if isinstance(cell, Text):
        return cell
    if isinstance(cell, str):
        if cell not in rendered:
            rendered[cell] = console.render_str(cell)
        return rendered[cell]
    raise TypeError("only text cells")  # fast() is only used for text tables


def _widths(
    table: Table, cells: list[list[Text]], console: Console, options: ConsoleOptions
) -> list[int]:
    """Rich's own column widths, computed on a stand-in table holding, per column, only the
    cells that decide its measurement (the widest line and the longest word)."""
    chosen: set[int] = set()
    for column in cells:
        sizes = [_measure(text.plain) for text in column]
        chosen.add(max(range(len(sizes)), key=lambda r: sizes[r].maximum))
        chosen.add(max(range(len(sizes)), key=lambda r: sizes[r].minimum))
    rows = sorted(chosen)
    proxy = copy.copy(table)
    proxy.columns = [
        dataclasses.replace(column, _cells=[cells[i][r] for r in rows])
        for i, column in enumerate(table.columns)
    ]
    proxy.rows = [Row() for _ in rows]
    max_width = options.max_width
    return proxy._calculate_column_widths(
        console, options.update_width(max_width - table._extra_width)
    )


@functools.lru_cache(maxsize=4096)
def _measure(plain: str) -> Measurement:
    """What ``Text.__rich_measure__`` gives, without a console."""
    lines = plain.splitlines()
    widest = max((cell_len(line) for line in lines), default=0)
    words = plain.split()
    return Measurement(max((cell_len(w) for w in words), default=widest), widest)


def _cell(
    console: Console, options: ConsoleOptions, text: Text, width: int, column: Column
) -> list[list[Segment]]:
    """The lines of one cell, padding included, each exactly ``width`` cells wide."""
    inner = width - 2
    plain = text.plain
    simple = (
        inner > 0
        and not text.spans
        and text.justify is None
        and text.overflow is None
        and text.no_wrap is None
        and text.end == "\n"
        and plain.isascii()
        and plain.replace("\n", "").isprintable()
    )
    if not simple:
        lines = console.render_lines(
            Padding(text, (0, 1)),
            options.update(
                width=width,
                justify=column.justify,
                overflow=column.overflow,
                no_wrap=column.no_wrap,
                height=None,
                highlight=column.highlight,
            ),
        )
        return [Segment.adjust_line_length(line, width) for line in lines]
    style = console.get_style(text.style) if text.style else None
    return [
        [Segment(" "), Segment(shown, style), Segment(" ")]
        for shown in _layout(plain, inner, column.justify, column.overflow or "ellipsis")
    ]


@functools.lru_cache(maxsize=4096)
def _layout(plain: str, inner: int, justify: str, overflow: str) -> tuple[str, ...]:
    """The lines of simple text in a cell ``inner`` wide (many cells repeat: cached).

    Like Rich, each line of a multi-line cell is broken on its own."""
    pieces = [
        piece
        for line in plain.split("\n")
        for piece in (_wrap(line, inner, overflow) if len(line) > inner else [line])
    ]
    if justify == "right":
        kept = [_truncate(piece.rstrip(), inner, overflow) for piece in pieces]
        return tuple(" " * (inner - len(k)) + k for k in kept)
    return tuple(_truncate(piece, inner, overflow).ljust(inner) for piece in pieces)


def _truncate(piece: str, width: int, overflow: str) -> str:
    """``Text.truncate`` for ASCII text."""
    if len(piece) <= width:
        return piece
    return piece[: width - 1] + "…" if overflow == "ellipsis" else piece[:width]


def _wrap(plain: str, width: int, overflow: str) -> list[str]:
    """Rich's line breaking of one line of ASCII text, as ``Text.wrap`` does it."""
    offsets = divide_line(plain, width, fold=overflow == "fold")
    pieces = [plain[a:b] for a, b in zip([0, *offsets], [*offsets, len(plain)], strict=True)]
    # Text.rstrip_end: whitespace beyond the width goes.
    out = []
    for piece in pieces:
        trailing = len(piece) - len(piece.rstrip())
        excess = len(piece) - width
        out.append(piece[: len(piece) - min(trailing, excess)] if excess > 0 else piece)
    return out
