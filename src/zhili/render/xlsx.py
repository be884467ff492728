"""Excel workbooks that print: one sheet per table, a bold frozen header row with Chinese column names,
landscape A4 fitted to the page width, the header row repeated on every page, wrapped text with row heights
that show it, typed dates and numbers with formats, stable sheet names, the title and as-of date in the page
header and page numbers in the footer."""

from __future__ import annotations

import io
import math
from copy import copy
import re
from datetime import date
from typing import Any

from zhili.render.cells import cell, formula_like, safe
from zhili.render.output import Column, Output, Table

MAX_WIDTH = 60  # characters; longer cells wrap
MIN_WIDTH = 6
PAGE_WIDTH = 150  # character units that print legibly across landscape A4 once fitted to the page width
LINE_HEIGHT = 15.0  # points per wrapped line of 11-point text (Chinese glyphs included)
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_VOLATILE = re.compile(r"[（(：:].*$")  # counts, dates and filters in a title: not part of a sheet's name


def render_xlsx(output: Output) -> bytes:
    """The output as an .xlsx workbook. Several tables become several sheets (stable names from the titles)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    # a flat table (all rows, with a column telling the groups apart) filters better than one sheet per group
    tables = [output.flat] if output.flat is not None else (output.tables or [output.sheet])
    used: set[str] = set()
    for i, table in enumerate(tables):
        ws = wb.create_sheet(sheet_name(table, i, used))
        _fill(ws, table)
        _page_setup(ws, output.title or table.title, output.as_of, repeat_rows=bool(table.columns))
    if output.notes:
        ws = wb.create_sheet(sheet_name(Table([], [], "说明"), len(tables), used))
        ws.column_dimensions["A"].width = MAX_WIDTH * 2
        wrap = _alignment(wrap=True)
        for r, note in enumerate(output.notes, start=1):
            target = _as_text(ws.cell(row=r, column=1, value=safe(note)))
            target.alignment = wrap
            ws.row_dimensions[r].height = _height([(cell(note), MAX_WIDTH * 2)])
        _page_setup(ws, output.title or (tables[0].title if tables else None), output.as_of, repeat_rows=False)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _alignment(wrap: bool = False, horizontal: str | None = None) -> Any:
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=wrap, vertical="top" if wrap else "center", horizontal=horizontal)


def _fill(ws: Any, table: Table) -> None:
    from openpyxl.styles import Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    shade = PatternFill("solid", fgColor="DDEBF7")
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    widths = column_widths(table)
    for col, c in enumerate(table.columns, start=1):
        head = _as_text(ws.cell(row=1, column=col, value=safe(c.header)))
        head.font = bold
        head.fill = shade
        head.border = box
        head.alignment = _alignment(wrap=True, horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    ws.row_dimensions[1].height = _height([(c.header, w) for c, w in zip(table.columns, widths)])
    wrap = {j: _alignment(wrap=True, horizontal=_horizontal(c)) for j, c in enumerate(table.columns)}
    # Styling a cell hashes its style objects; a column's cells share a few styles, so each is built once and
    # copied (openpyxl's StyleArray) to the others: ten times faster on a 20,000-row ranking.
    styles: dict[tuple[int, str | None], Any] = {}
    for r, row in enumerate(table.rows, start=2):
        shown = []
        for col, c in enumerate(table.columns, start=1):
            text = cell(row.get(c.key))
            value, fmt = typed(row, c)
            target = ws.cell(row=r, column=col, value=value)
            done = styles.get((col, fmt))
            if done is not None:
                target._style = copy(done)
            else:
                target.alignment = wrap[col - 1]
                target.border = box
                if fmt:
                    target.number_format = fmt
                styles[(col, fmt)] = copy(target._style)
            _as_text(target)  # after the shared style: what it marks on one cell stays on that cell
            shown.append((text, widths[col - 1]))
        ws.row_dimensions[r].height = _height(shown)
    ws.freeze_panes = "A2"
    if table.columns and table.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"


def _horizontal(c: Column) -> str | None:
    return {"right": "right", "center": "center"}.get(c.justify)


def typed(row: dict[str, Any], column: Column) -> tuple[Any, str | None]:
    """What a spreadsheet cell stores for `column` in `row`, and its number format.

    Numbers stay numbers and dates stay dates (Excel can sort and sum them). When the column names a typed
    `value` behind its text, the cell stores that value and shows the text through its format: 3 behind
    “3（并列）” is stored as 3 with the format 0"（并列）"; 0.333 behind “33.3%” uses the column's 0.0%."""
    shown = row.get(column.key)
    raw = row.get(column.value) if column.value else shown
    if isinstance(raw, bool) or raw is None or not isinstance(raw, (int, float, date)):
        return _value(shown), ("yyyy-mm-dd" if isinstance(shown, date) else None)
    if isinstance(raw, date):
        return raw, column.number_format or "yyyy-mm-dd"
    base = column.number_format or ("0" if isinstance(raw, int) or raw == int(raw) else "0.00")
    text, plain = cell(shown), cell(raw)
    if column.value and text != plain and text.startswith(plain) and not column.number_format:
        suffix = text[len(plain):].replace('"', "")
        return raw, f'{base}"{suffix}"'
    if column.value and not column.number_format and text != plain:
        return _value(shown), None  # the text says more than the number (e.g. 未评): keep the text
    return raw, base


def _value(value: Any) -> Any:
    """Numbers stay numbers, dates stay dates; everything else is text. Nothing is “—” as in every other format
    (an empty cell would read as “same as above” to whoever imports a ledger whose type cells were merged)."""
    if value is None:
        return cell(None)
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


def column_widths(table: Table) -> list[int]:
    """Each column as wide as its widest cell (at most MAX_WIDTH); when together they are wider than a
    landscape page, the wide columns give up width (and wrap) until the page holds them."""
    natural = []
    for c in table.columns:
        widest = max([display_width(c.header)] + [display_width(cell(row.get(c.key))) for row in table.rows])
        natural.append(min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))
    floors = [max(MIN_WIDTH, min(w, 2 * len(c.header) + 2, 12)) for c, w in zip(table.columns, natural)]
    widths = list(natural)
    while sum(widths) > PAGE_WIDTH:
        widest = max(range(len(widths)), key=lambda i: widths[i] - floors[i])
        if widths[widest] <= floors[widest]:
            break
        widths[widest] -= 1
    return [max(w, 2 * len(c.header)) for c, w in zip(table.columns, widths)]


def _height(cells: list[tuple[str, int]]) -> float:
    """A row tall enough for its most wrapped cell."""
    lines = 1
    for text, width in cells:
        room = max(width - 1, 1)
        lines = max(lines, sum(max(1, math.ceil(_width(part) / room)) for part in text.split("\n")))
    return LINE_HEIGHT * lines + 3


def _page_setup(ws: Any, title: str | None, as_of: date | None, repeat_rows: bool) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if repeat_rows:
        ws.print_title_rows = "1:1"
    if title:
        ws.oddHeader.center.text = _header_text(title)
        ws.oddHeader.center.size = 12
    if as_of is not None:
        ws.oddHeader.right.text = f"截至 {as_of.year}年{as_of.month}月{as_of.day}日"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _header_text(text: str) -> str:
    """A page header shows & as a code: double it; a header holds at most 255 characters."""
    return cell(text).replace("&", "&&")[:120]


def display_width(text: str) -> int:
    """Width in Excel character units of the longest line: a Chinese character counts as two."""
    longest = max(text.split("\n"), key=len) if text else ""
    return _width(longest)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def sheet_name(table: Table, index: int, used: set[str]) -> str:
    """A sheet name that does not change with the date or the counts: the table's `name`, or its title
    without the parenthesised or colon-led part (重点工作任务台账（30 项，截至 …） → 重点工作任务台账)."""
    source = safe(table.name or _VOLATILE.sub("", table.title or "").strip())
    base = _SHEET_BAD.sub("_", source).strip("'")
    if formula_like(base):  # a sheet name may not start with an apostrophe: a formula-like one gets "_"
        base = "_" + base
    base = base[:31] or f"表{index + 1}"
    name, n = base, 2
    while name in used:
        suffix = f"_{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name
