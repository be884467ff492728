"""The edge where office files come in: .docx tables, .xlsx sheets and .csv files → `SheetTable`s.

Files are untrusted: a size cap before opening, a cap on what a zip (docx/xlsx) unpacks to, formulas
refused (their value is not in the file we read), and control characters reported, never passed on.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from zhili.diagnostics import Diagnostic, error
from zhili.errors import DataError, UsageError
from zhili.importing.table import SheetTable
from zhili.render.cells import has_unsafe

MAX_BYTES = 20 * 1024 * 1024  # an office ledger is kilobytes; anything this large is not one
MAX_UNPACKED = 200 * 1024 * 1024
MAX_ROWS = 100_000
FORMATS = (".docx", ".xlsx", ".csv")


def read_tables(path: Path, encoding: str | None = None) -> tuple[list[SheetTable], list[Diagnostic]]:
    """Every table of the file, or a UsageError/DataError saying in Chinese why it cannot be read."""
    path = Path(path)
    shown = path.name
    suffix = path.suffix.lower()
    if suffix in (".doc", ".xls", ".wps", ".et"):
        raise UsageError(f"{shown} 是旧版 Office 格式，zhili 不读取。", "用 Word/Excel/WPS 另存为 .docx 或 .xlsx 后再导入。")
    if suffix not in FORMATS:
        raise UsageError(f"不支持的文件类型：{shown}。", "可以导入 .docx、.xlsx 或 .csv 文件。")
    if not path.exists():
        raise UsageError(f"文件不存在：{path}。", "检查路径是否写对。")
    if not path.is_file():
        raise UsageError(f"{path} 不是普通文件。", "给出一个 .docx、.xlsx 或 .csv 文件。")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DataError(f"{shown} 有 {size // (1024 * 1024)} MB，超过了 {MAX_BYTES // (1024 * 1024)} MB 的上限，未读取。",
                        hint="台账表格通常只有几十 KB；请确认文件是否正确。")
    data = path.read_bytes()
    if suffix == ".csv":
        return _csv(data, shown, encoding)
    _check_zip(data, shown)
    try:
        return _docx(data, shown) if suffix == ".docx" else _xlsx(data, shown)
    except (DataError, UsageError):
        raise
    except Exception as exc:  # a damaged or disguised file: the libraries raise many kinds of errors
        raise DataError(f"无法读取 {shown}：文件已损坏，或不是真正的 {suffix} 文件（{type(exc).__name__}）。",
                        hint=f"用 Word/Excel/WPS 打开并重新另存为 {suffix} 后再试。") from None


def _check_zip(data: bytes, shown: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        raise DataError(f"无法读取 {shown}：不是有效的 Office 文件（.docx/.xlsx 应是 zip 格式）。",
                        hint="用 Word/Excel/WPS 打开并重新另存后再试。") from None
    if unpacked > MAX_UNPACKED:
        raise DataError(f"{shown} 解压后超过 {MAX_UNPACKED // (1024 * 1024)} MB，未读取。", hint="请确认文件是否正确。")


def _clean(text: str, where: str, diags: list[Diagnostic]) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    if has_unsafe(text.replace("\n", "").replace("\t", "")):
        diags.append(error(where, 0, 0, "ZL116", "单元格中有控制字符或不可见字符。", "删去这些字符（可在 Word/Excel 中重新输入该单元格）。"))
        return ""
    return text


def _docx(data: bytes, shown: str) -> tuple[list[SheetTable], list[Diagnostic]]:
    """Every top-level table, row by row from the XML (linear in the size of the table). A cell merged down
    several rows (w:vMerge) reads as its text on each row it covers; one merged across columns
    (w:gridSpan) gives its text to its first column and "" to the others."""
    from docx import Document
    from docx.table import _Cell

    doc = Document(io.BytesIO(data))
    tables: list[SheetTable] = []
    diags: list[Diagnostic] = []
    for t_index, table in enumerate(doc.tables, start=1):
        place = f"表{t_index}"
        rows: list[list[str]] = []
        above: dict[int, str] = {}
        for r_index, tr in enumerate(table._tbl.tr_lst, start=1):
            if r_index > MAX_ROWS:
                break
            skipped = tr.xpath("./w:trPr/w:gridBefore/@w:val")  # grid columns left empty before the first cell
            cells = [""] * (int(skipped[0]) if skipped and str(skipped[0]).isdigit() else 0)
            for tc in tr.tc_lst:
                column = len(cells)
                if tc.vMerge == "continue":
                    text = above.get(column, "")
                else:
                    text = _clean(_Cell(tc, table).text, f"{shown} {place} 第{r_index}行", diags).strip()
                cells.append(text)
                above[column] = text
                for extra in range(1, tc.grid_span):
                    cells.append("")
                    above[column + extra] = ""
            rows.append(cells)
        tables.append(SheetTable(shown, place, rows))
    return tables, diags


def _xlsx(data: bytes, shown: str) -> tuple[list[SheetTable], list[Diagnostic]]:
    from openpyxl.utils import get_column_letter

    wb = load_workbook_quietly(io.BytesIO(data), read_only=True, data_only=False)
    tables: list[SheetTable] = []
    diags: list[Diagnostic] = []
    try:
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            place = f"工作表 {ws.title}"
            rows: list[list[str]] = []
            for r_index, row in enumerate(ws.iter_rows(), start=1):
                if r_index > MAX_ROWS:
                    break
                cells = []
                for c_index, cell in enumerate(row, start=1):
                    where = f"{shown} {place} 第{r_index}行 {get_column_letter(c_index)}列"
                    cells.append(_xlsx_text(cell, where, diags))
                rows.append(cells)
            tables.append(SheetTable(shown, place, rows))
    finally:
        wb.close()
    return tables, diags


def load_workbook_quietly(source: Any, **options: Any) -> Any:
    """openpyxl's load_workbook; openpyxl 3.1.0 prints a workbook's print titles to stdout while loading,
    which would end up in zhili's output (and in JSON piped to another tool)."""
    import contextlib

    from openpyxl import load_workbook

    with contextlib.redirect_stdout(io.StringIO()):
        return load_workbook(source, **options)


def _xlsx_text(cell: Any, where: str, diags: list[Diagnostic]) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f":
        diags.append(error(where, 0, 0, "ZL209", "单元格是公式，zhili 不计算公式。",
                           "把这一列复制后“选择性粘贴 → 数值”，再导入。"))
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(str(value), where, diags).strip()


def _csv(data: bytes, shown: str, encoding: str | None) -> tuple[list[SheetTable], list[Diagnostic]]:
    codec = encoding or "utf-8-sig"
    try:
        text = data.decode(codec)
    except LookupError:
        raise UsageError(f"不认识的编码“{encoding}”。", "常用的是 utf-8 和 gb18030。") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ("Excel 另存的 CSV 常是 GB18030（GBK）编码：加上 --encoding gb18030 重试。" if encoding is None
                else "检查 --encoding 是否与文件的实际编码一致。")
        raise DataError(f"{shown} 第{line}行不是 {codec} 编码。", hint=hint) from None
    if codec.lower().replace("-", "") in ("gb18030", "gbk", "gb2312") and text.startswith("\ufeff"):
        text = text[1:]
    diags: list[Diagnostic] = []
    rows = []
    numbers = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if reader.line_num > MAX_ROWS:
                break
            numbers.append(reader.line_num)
            rows.append([_clean(c, f"{shown} 第{reader.line_num}行", diags).strip() for c in row])
    except csv.Error as exc:
        raise DataError(f"{shown} 第{reader.line_num}行不是有效的 CSV：{exc}。", hint="用 Excel/WPS 打开并重新另存为 CSV。") from None
    return [SheetTable(shown, "", rows, numbers)], diags
