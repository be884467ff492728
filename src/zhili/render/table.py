"""Tables for people: correct widths for Chinese text, colour only where the terminal wants it.

District-sized tables go through rich (wrapping long cells to the terminal width). Rich measures every
cell several times, which takes minutes for a provincial registry, so a table of more than
`PLAIN_ABOVE` rows is laid out by `plain()`: the same columns, header rule and alignment, each cell
measured once, long cells not wrapped.
"""

from __future__ import annotations

import io
import unicodedata

from zhili.render.cells import cell, safe
from zhili.render.output import Output, Table

PLAIN_ABOVE = 500


def render(output: Output, *, width: int | None, color: bool) -> str:
    if sum(len(t.rows) for t in output.tables) > PLAIN_ABOVE:
        return plain(output)
    return _rich(output, width=width, color=color)


def display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, justify: str) -> str:
    gap = width - display_width(text)
    if justify == "right":
        return " " * gap + text
    if justify == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def _plain_table(table: Table) -> list[str]:
    headers = [c.header for c in table.columns]
    cells = [[cell(row.get(c.key)).replace("\n", " ") for c in table.columns] for row in table.rows]
    widths = [display_width(h) for h in headers]
    for row in cells:
        for i, text in enumerate(row):
            w = display_width(text)
            if w > widths[i]:
                widths[i] = w
    lines = []
    if table.title:
        lines.append(safe(table.title))
        lines.append("")
    justify = [c.justify for c in table.columns]
    lines.append(" " + "   ".join(_pad(h, widths[i], justify[i]) for i, h in enumerate(headers)).rstrip())
    lines.append(" " + "─" * (sum(widths) + 3 * (len(widths) - 1)))
    for row in cells:
        lines.append(" " + "   ".join(_pad(t, widths[i], justify[i]) for i, t in enumerate(row)).rstrip())
    lines.append("")
    return lines


def plain(output: Output) -> str:
    lines: list[str] = []
    for table in output.tables:
        if not table.rows:
            lines.append(f"{safe(table.title) + '：' if table.title else ''}（无）")
            continue
        lines.extend(_plain_table(table))
    lines.extend(safe(n) for n in output.notes)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _rich(output: Output, *, width: int | None, color: bool) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width or 160,
        color_system="auto" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    for table in output.tables:
        rich_table = RichTable(
            title=Text(safe(table.title), style="bold") if table.title else None,
            box=box.SIMPLE_HEAD,
            header_style="bold" if color else "",
            title_justify="left",
            pad_edge=False,
        )
        for col in table.columns:
            rich_table.add_column(Text(col.header), justify=col.justify, overflow="fold")  # type: ignore[arg-type]
        for row in table.rows:
            rich_table.add_row(*(Text(cell(row.get(c.key))) for c in table.columns))
        if not table.rows:
            console.print(Text(f"{safe(table.title) + '：' if table.title else ''}（无）"))
        else:
            console.print(rich_table)
    for note in output.notes:
        console.print(Text(safe(note)))
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
