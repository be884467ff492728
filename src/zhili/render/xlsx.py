"""Excel workbooks: one sheet per table, a bold frozen header row with Chinese column names, widths that fit."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from zhili.render.cells import cell, formula_like, safe
from zhili.render.output import Output, Table

MAX_WIDTH = 60  # characters; longer cells wrap
MIN_WIDTH = 6
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def render_xlsx(output: Output) -> bytes:
    """The output as an .xlsx workbook. Several tables become several sheets (titles as sheet names)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    # a flat table (all rows, with a column telling the groups apart) filters better than one sheet per group
    tables = [output.flat] if output.flat is not None else (output.tables or [output.sheet])
    used: set[str] = set()
    for i, table in enumerate(tables):
        ws = wb.create_sheet(_sheet_name(table.title, i, used))
        _fill(ws, table)
    if output.notes:
        ws = wb.create_sheet(_sheet_name("说明", len(tables), used))
        ws.column_dimensions["A"].width = MAX_WIDTH * 2
        for r, note in enumerate(output.notes, start=1):
            _as_text(ws.cell(row=r, column=1, value=safe(note)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill(ws: Any, table: Table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    shade = PatternFill("solid", fgColor="DDEBF7")
    for col, c in enumerate(table.columns, start=1):
        head = _as_text(ws.cell(row=1, column=col, value=safe(c.header)))
        head.font = bold
        head.fill = shade
        head.alignment = Alignment(horizontal="center", vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(table.rows, start=2):
        for col, c in enumerate(table.columns, start=1):
            value = _value(row.get(c.key))
            target = _as_text(ws.cell(row=r, column=col, value=value))
            if isinstance(value, str) and display_width(value) > MAX_WIDTH:
                target.alignment = wrap
            if isinstance(value, date):
                target.number_format = "yyyy-mm-dd"
    for col, c in enumerate(table.columns, start=1):
        widest = max([display_width(c.header)] + [display_width(cell(row.get(c.key))) for row in table.rows])
        ws.column_dimensions[get_column_letter(col)].width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
    ws.freeze_panes = "A2"
    if table.columns and table.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"


def _value(value: Any) -> Any:
    """Numbers stay numbers, dates stay dates (Excel can sort and sum them); everything else is text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, date)):
        return value
    return cell(value)


def _as_text(target: Any) -> Any:
    """openpyxl stores text starting with = as a formula and "#N/A" as an error cell; data is never
    either, so keep it text, and mark text Excel would read as a formula (= + - @, TAB or CR before
    them, error literals) with the quote prefix, Excel's own "this is text" (the apostrophe a user types)."""
    if target.data_type in ("f", "e"):
        target.data_type = "s"
    if isinstance(target.value, str) and formula_like(target.value):
        target.quotePrefix = True
    return target


def display_width(text: str) -> int:
    """Width in Excel character units: a Chinese character counts as two."""
    import unicodedata

    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in longest)


def _sheet_name(title: str | None, index: int, used: set[str]) -> str:
    base = _SHEET_BAD.sub("_", safe(title or f"表{index + 1}")).strip("'")
    if formula_like(base):  # a sheet name may not start with an apostrophe: a formula-like one gets "_"
        base = "_" + base
    base = base[:31] or f"表{index + 1}"
    name, n = base, 2
    while name in used:
        suffix = f"_{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name
