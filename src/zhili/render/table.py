"""Tables for people: correct widths for Chinese text, colour only where the terminal wants it.

District-sized tables go through rich (wrapping long cells to the terminal width). Rich measures every
cell several times, which takes minutes for a provincial registry, so a table of more than
`PLAIN_ABOVE` rows is laid out by `plain()`: the same columns, header rule and alignment, each cell
measured once, long cells not wrapped.
"""

from __future__ import annotations

import io
import re

from zhili.render.cells import cell, has_unsafe, safe
from zhili.render.output import Output, Table

PLAIN_ABOVE = 500


def render(output: Output, *, width: int | None, color: bool) -> str:
    if sum(len(t.rows) for t in output.tables) > PLAIN_ABOVE:
        return plain(output)
    return _rich(output, width=width, color=color)


# East Asian wide and full-width ranges (what a terminal draws two cells wide)
_WIDE = re.compile(
    "[\u1100-\u115f\u231a\u231b\u2329\u232a\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60"
    "\uffe0-\uffe6\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0002fffd\U00030000-\U0003fffd]"
)


def display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text))


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
