"""Machine and document formats: JSON (the contract), CSV (UTF-8 with BOM, for Excel), Markdown."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date
from typing import Any

from zhili.render.cells import cell, safe, spreadsheet_text
from zhili.render.output import Output, Table


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n"


def render_json(output: Output) -> str:
    return to_json(output.json_data())


def render_csv(output: Output) -> str:
    table = output.sheet
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([spreadsheet_text(safe(c.header)) for c in table.columns])  # headers are data too
    for row in table.rows:
        writer.writerow([_csv_cell(row.get(c.key)) for c in table.columns])
    return "\ufeff" + buf.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    return spreadsheet_text(cell(value))  # a cell starting with = + - @ is a formula to Excel: keep it text


def _md_escape(text: str) -> str:
    text = safe(text)  # titles and notes too, not only cells: nothing in a document may drive a terminal
    # data is text, never markup: "<script>" or "<img onerror=…>" in a name must not become HTML when the
    # Markdown is rendered (the only HTML zhili writes is its own <br> for line breaks)
    text = html.escape(text, quote=False)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _md_table(table: Table) -> str:
    header = "| " + " | ".join(_md_escape(c.header) for c in table.columns) + " |"
    align = {"left": ":---", "right": "---:", "center": ":---:"}
    rule = "| " + " | ".join(align.get(c.justify, "---") for c in table.columns) + " |"
    lines = [header, rule]
    for row in table.rows:
        lines.append("| " + " | ".join(_md_escape(cell(row.get(c.key))) for c in table.columns) + " |")
    return "\n".join(lines)


def render_markdown(output: Output) -> str:
    parts = []
    for table in output.tables:
        if table.title:
            parts.append(f"### {_md_escape(table.title)}")
        parts.append(_md_table(table) if table.rows else "（无）")
    parts.extend(f"> {_md_escape(n)}" for n in output.notes)
    return "\n\n".join(parts) + "\n"
