"""Tables for people: correct widths for Chinese text, colour only where the terminal wants it.

District-sized tables go through rich, laid out by `zhili.render.wrap` (cells break only where Chinese text
may; too narrow a terminal gets one row at a time). Rich measures every
cell several times, which takes minutes for a provincial registry, so a table of more than
`PLAIN_ABOVE` rows is laid out by `plain()`: the same columns, header rule and alignment, each cell
measured once, long cells not wrapped.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from zhili.render.cells import cell, has_unsafe, safe
from zhili.render.output import Output, Table
from zhili.render.wrap import display_width

if TYPE_CHECKING:
    from rich.console import Console

PLAIN_ABOVE = 500


def render(output: Output, *, width: int | None, color: bool, fit: bool = False) -> str:
    """`fit`: `width` is a real terminal's (not a pipe's default), so a long table wider than it is shown
    one row at a time instead of in lines the terminal would break anywhere."""
    if sum(len(t.rows) for t in output.tables) > PLAIN_ABOVE:
        return plain(output, width if fit else None)
    return _rich(output, width=width, color=color)


def _pad(text: str, width: int, own: int, justify: str) -> str:
    gap = width - own
    if justify == "right":
        return " " * gap + text
    if justify == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def _texts(table: Table) -> list[list[str]]:
    """Each row's cells as `cell` shows them, on one line. Plain text (most cells) is checked for unsafe
    characters in one pass over the whole table instead of one search per cell."""
    keys = [c.key for c in table.columns]
    raw = [[row.get(k) for k in keys] for row in table.rows]
    texts = [v for values in raw for v in values if type(v) is str]
    if has_unsafe("\n".join(texts)):
        return [[cell(v).replace("\n", " ") for v in values] for values in raw]
    numbers: dict[float, str] = {}  # scores repeat: each is formatted once

    def shown(v: object) -> str:
        if type(v) is str:
            return v.replace("\n", " ") if "\n" in v else v
        if type(v) is float:
            text = numbers.get(v)
            if text is None:
                text = numbers[v] = cell(v)
            return text
        return cell(v).replace("\n", " ")

    return [[shown(v) for v in values] for values in raw]


def _plain_table(table: Table) -> list[str]:
    headers = [c.header for c in table.columns]
    known: dict[str, int] = {}  # many cells repeat (streets, types, statuses): measure each text once
    widths: list[int] = []
    padded: list[list[str]] = []  # column by column, each cell padded to its column's width
    for column, texts in zip(table.columns, zip(*_texts(table))):
        sizes = []
        for t in texts:
            w = known.get(t)
            if w is None:
                w = known[t] = display_width(t)
            sizes.append(w)
        width = max(display_width(column.header), *sizes)
        widths.append(width)
        if column.justify == "right":
            padded.append([" " * (width - w) + t for t, w in zip(texts, sizes)])
        elif column.justify == "center":
            padded.append([_pad(t, width, w, "center") for t, w in zip(texts, sizes)])
        else:
            padded.append([t + " " * (width - w) for t, w in zip(texts, sizes)])
    lines = []
    if table.title:
        lines.append(safe(table.title))
        lines.append("")
    justify = [c.justify for c in table.columns]
    lines.append(" " + "   ".join(_pad(h, widths[i], display_width(h), justify[i]) for i, h in enumerate(headers)).rstrip())
    lines.append(" " + "─" * (sum(widths) + 3 * (len(widths) - 1)))
    lines.extend((" " + "   ".join(cells)).rstrip() for cells in zip(*padded))
    lines.append("")
    return lines


def _plain_vertical(table: Table, width: int) -> list[str]:
    """One block of 列名：值 lines per row; only a value too long for the line is wrapped."""
    from zhili.render.wrap import wrap

    headers = [safe(c.header) for c in table.columns]
    label = max(display_width(h) for h in headers) + 2
    heads = [" " + h + "：" + " " * (label - display_width(h) - 2) for h in headers]
    room, pad = max(width - label - 1, 8), " " * (label + 1)
    lines = [*wrap(safe(table.title), width), ""] if table.title else []
    rule = " " + "─" * min(width - 2, 40)
    for cells in _texts(table):
        for head, text in zip(heads, cells):
            if display_width(text) <= room:
                lines.append(head + text)
            else:
                first, *more = wrap(text, room)
                lines.append(head + first)
                lines.extend(pad + m for m in more)
        lines.append(rule)
    lines.append("")
    return lines


def plain(output: Output, width: int | None = None) -> str:
    """Long tables, each row on one line; with `width`, a table wider than that one row at a time."""
    lines: list[str] = []
    for table in output.tables:
        if not table.rows:
            lines.append(f"{safe(table.title) + '：' if table.title else ''}（无）")
            continue
        rows = _plain_table(table)
        if width is not None and len(rows[3 if table.title else 1]) > width:  # the rule spans the table
            rows = _plain_vertical(table, width)
        lines.extend(rows)
    if width is None:
        lines.extend(safe(n) for n in output.notes)
    else:
        from zhili.render.wrap import wrap

        lines.extend(line for n in output.notes for line in wrap(safe(n), width))
    return "\n".join(line.rstrip() for line in lines) + "\n"


# SIMPLE_HEAD without padding at the edges: one blank cell at each edge, three between columns
def _overhead(n: int) -> int:
    return 2 + 3 * (n - 1)


def _rich(output: Output, *, width: int | None, color: bool) -> str:
    """Tables laid out for `width` cells (None: a file, nothing wraps). Cells break only where Chinese
    text may (never inside a date, an id or a number; no line starts with 、，。); a table that does not
    fit even so is shown one row at a time as 列名：值 lines."""
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    from zhili.render import wrap

    grids = [[[cell(row.get(c.key)) for row in t.rows] for c in t.columns] for t in output.tables]
    layouts = [wrap.columns([c.header for c in t.columns], grid, width, _overhead(len(t.columns)))
               for t, grid in zip(output.tables, grids)]
    if width is None:  # a file: as wide as the widest table
        width = max([sum(lay.widths) + _overhead(len(lay.widths)) for lay in layouts if lay.widths] + [80])
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        color_system="auto" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )

    def say(text: str, style: str = "") -> None:
        console.print(Text("\n".join(wrap.wrap(safe(text), width)), style=style), soft_wrap=True)

    for table, grid, layout in zip(output.tables, grids, layouts):
        if not table.rows:
            say(f"{table.title + '：' if table.title else ''}（无）")
            continue
        if table.title:
            say(table.title, "bold")
        if layout.widths is None:
            console.print()
            _vertical(console, table, grid, width, color)
            continue
        rich_table = RichTable(box=box.SIMPLE_HEAD, header_style="bold" if color else "", pad_edge=False)
        for col, w in zip(table.columns, layout.widths):
            rich_table.add_column(Text("\n".join(wrap.wrap(safe(col.header), w))), justify=col.justify,  # type: ignore[arg-type]
                                  width=w, no_wrap=True)
        for i in range(len(table.rows)):
            rich_table.add_row(*(Text("\n".join(wrap.wrap(col[i], w))) for col, w in zip(grid, layout.widths)))
        console.print(rich_table)
    for note in output.notes:
        say(note)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def _vertical(console: Console, table: Table, grid: list[list[str]], width: int, color: bool) -> None:
    """One block of 列名：值 lines per row, for a terminal too narrow for the table's columns."""
    from rich.text import Text

    from zhili.render import wrap

    headers = [safe(c.header) for c in table.columns]
    label = max(display_width(h) for h in headers) + 2  # "：" and a space
    room = max(width - label - 1, 8)
    for i in range(len(table.rows)):
        lines = []
        for header, values in zip(headers, grid):
            head = header + "：" + " " * (label - display_width(header) - 2)
            body = wrap.wrap(values[i], room)
            lines.append(Text(" " + head, style="bold" if color else "") + Text(body[0]))
            lines.extend(Text(" " * (label + 1) + more) for more in body[1:])
        for line in lines:
            console.print(line, soft_wrap=True)
        console.print(Text(" " + "─" * min(width - 2, 40)), soft_wrap=True)
