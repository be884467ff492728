"""Collection workbooks as files: writing a fill-in form, reading a filled one back. The openpyxl edge.

A form has an instructions sheet first (说明), the sheet to fill (填报), and a very hidden sheet holding
what the form is for (kind, unit, stage, year), which `zhili collect import` reads back. Locked columns
are protected cells; the columns to fill are unlocked, with a drop-down for the status and validation
for dates and scores. Every text is written as text, so a name starting with "=" never becomes a formula.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

from zhili.diagnostics import Diagnostic, error
from zhili.errors import DataError
from zhili.importing.collect import (PROGRESS_FILLED, PROGRESS_LOCKED_N, SCORE_FILLED, SCORE_LOCKED_N, STATUSES,
                                     FilledRow, Form)
from zhili.importing.readers import MAX_BYTES, _check_zip, load_workbook_quietly

META = "zhili"
FILL = "填报"
GUIDE = "说明"
_WIDTHS = {"序号": 6, "重点任务": 36, "牵头单位": 22, "配合单位": 28, "日期": 13, "状态": 10,
           "已做工作": 40, "下一步": 30, "社区标识": 16, "社区": 16, "得分": 10}


def file_name(form: Form) -> str:
    """The form's file name; a unit name never picks the directory (no separators, no leading dot)."""
    unit = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", form.unit).lstrip(".") or "_"
    if form.kind == "progress":
        return f"进展填报_{unit}.xlsx"
    label = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", form.stage_label or form.stage or "").lstrip(".") or "_"
    return f"评分填报_{form.year}_{label}_{unit}.xlsx"


def render_form(form: Form, scheme_name: str, as_of: date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    locked_cols = form.locked
    filled_cols = PROGRESS_FILLED if form.kind == "progress" else SCORE_FILLED
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    what = "重点任务进展" if form.kind == "progress" else f"{form.year} 年度{form.stage_label or form.stage}{'结果' if form.choices else '得分'}"
    lines = [f"{scheme_name}：{what}填报表", f"填报单位：{form.unit}", f"生成日期：{as_of.isoformat()}", ""]
    if form.kind == "progress":
        lines += ["填写方法：",
                  f"1. 在“{FILL}”工作表中，每项有新进展的任务填写一行：日期、状态、已做工作、下一步。",
                  "2. 日期写成 2021-06-30 的形式，不能晚于填报当天。",
                  f"3. 状态从下拉列表中选择：{'、'.join(STATUSES)}。任务全部完成时选“已完成”。",
                  "4. 本期没有进展的任务整行留空即可。",
                  "5. 灰色的列（序号、类型、任务、牵头和配合单位）已锁定，请勿修改、增删或调换行。",
                  "6. 填好后保存为 .xlsx，原样交回；由汇总人员运行 zhili collect import 导入。"]
    else:
        lines += ["填写方法：",
                  f"1. 在“{FILL}”工作表中，为每个社区" + (f"从下拉列表中选择结果：{'、'.join(form.choices)}。"
                                                        if form.choices else "填写得分（0–100，可带小数）。"),
                  "2. 尚未评分的社区留空。",
                  f"3. 灰色的列（{'、'.join(locked_cols)}）已锁定，请勿修改、增删或调换行。",
                  "4. 填好后保存为 .xlsx，原样交回；由汇总人员运行 zhili collect import 导入。"]
    guide.column_dimensions["A"].width = 100
    for r, text in enumerate(lines, start=1):
        cell = guide.cell(row=r, column=1, value=text)
        cell.data_type = "s"
        if r == 1:
            cell.font = Font(bold=True, size=14)

    ws = wb.create_sheet(FILL)
    grey = PatternFill("solid", fgColor="E7E6E6")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    columns = list(locked_cols) + list(filled_cols)
    for c, name in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=c, value=name)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = _WIDTHS.get(name, 14)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(form.rows, start=2):
        for c, text in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=text)
            cell.data_type = "s"  # text stays text: never a formula
            cell.fill = grey
            cell.alignment = wrap
        for c in range(len(locked_cols) + 1, len(columns) + 1):
            cell = ws.cell(row=r, column=c)
            cell.protection = Protection(locked=False)
            cell.alignment = wrap
    last = len(form.rows) + 1
    first_fill = len(locked_cols) + 1
    letter = ws.cell(row=1, column=first_fill).column_letter
    if form.kind == "progress":
        status_letter = ws.cell(row=1, column=first_fill + 1).column_letter
        dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="状态", error=f"请从下拉列表中选择：{'、'.join(STATUSES)}。")
        dv.add(f"{status_letter}2:{status_letter}{last}")
        ws.add_data_validation(dv)
        dd = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2200,12,31)",
                            allow_blank=True, showErrorMessage=True, errorTitle="日期", error="请写成 2021-06-30 这样的日期。")
        dd.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dd)
        for r in range(2, last + 1):
            ws.cell(row=r, column=first_fill).number_format = "yyyy-mm-dd"
    elif form.choices:
        ds = DataValidation(type="list", formula1='"' + ",".join(form.choices) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="结果", error=f"请从下拉列表中选择：{'、'.join(form.choices)}。")
        ds.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(ds)
    else:
        ds = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                            showErrorMessage=True, errorTitle="得分", error="得分应在 0 到 100 之间。")
        ds.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(ds)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"  # printed on paper, every page has the header
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    wb.active = 1

    meta = wb.create_sheet(META)
    for r, (k, v) in enumerate((("kind", form.kind), ("unit", form.unit), ("stage", form.stage or ""),
                                ("year", str(form.year or "")), ("created", as_of.isoformat())), start=1):
        meta.cell(row=r, column=1, value=k).data_type = "s"
        meta.cell(row=r, column=2, value=v).data_type = "s"
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_form(path: Path) -> tuple[dict[str, str], list[FilledRow], list[Diagnostic]]:
    """The form's metadata and its rows as filled in. A file zhili did not make is a DataError."""
    shown = path.name
    if path.suffix.lower() != ".xlsx":
        raise DataError(f"{shown} 不是 .xlsx 文件。", hint="交回的填报表应是 zhili collect 生成的 .xlsx 文件。")
    if not path.is_file():
        raise DataError(f"文件不存在：{path}。", hint="检查路径是否写对。")
    if path.stat().st_size > MAX_BYTES:
        raise DataError(f"{shown} 过大，未读取。", hint="填报表通常只有几十 KB；请确认文件是否正确。")
    data = path.read_bytes()
    _check_zip(data, shown)
    try:
        wb = load_workbook_quietly(io.BytesIO(data), data_only=False)
    except Exception as exc:
        raise DataError(f"无法读取 {shown}：文件已损坏，或不是真正的 .xlsx 文件（{type(exc).__name__}）。",
                        hint="用 Excel/WPS 打开并重新另存为 .xlsx 后再试。") from None
    if META not in wb.sheetnames or FILL not in wb.sheetnames:
        raise DataError(f"{shown} 不是 zhili collect 生成的填报表（缺少“{FILL}”或内部信息工作表）。",
                        hint="请用 zhili collect 生成的表格填报，不要新建或复制到别的工作簿。")
    meta = {str(r[0].value): str(r[1].value or "") for r in wb[META].iter_rows(min_col=1, max_col=2) if r[0].value}
    ws = wb[FILL]
    locked_n = PROGRESS_LOCKED_N if meta.get("kind") == "progress" else SCORE_LOCKED_N
    filled_n = len(PROGRESS_FILLED) if meta.get("kind") == "progress" else len(SCORE_FILLED)
    rows: list[FilledRow] = []
    diags: list[Diagnostic] = []
    for r_index, row in enumerate(ws.iter_rows(min_row=2, max_col=locked_n + filled_n), start=2):
        where = f"{shown} 第{r_index}行"
        values = []
        formula = False
        for cell in row:
            if cell.data_type == "f":  # a text cell starting with "=" is text; only a real formula is refused
                diags.append(error(f"{where} {ws.cell(row=1, column=cell.column).value}", 0, 0, "ZL209",
                                   "单元格是公式，zhili 不计算公式。", "改为直接填写数值或文字。"))
                formula = True
                continue
            values.append(cell.value.date() if isinstance(cell.value, datetime) else cell.value)
        if formula or all(v in (None, "") for v in values):
            continue
        locked = tuple("" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                       for v in values[:locked_n])
        rows.append(FilledRow(where, locked, tuple(values[locked_n:])))
    return meta, rows, diags
