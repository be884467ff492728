"""Rich tables: correct widths for Chinese text, colour only where the terminal wants it."""

from __future__ import annotations

import io

from zhili.render.cells import cell, safe
from zhili.render.output import Output


def render(output: Output, *, width: int | None, color: bool) -> str:
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
