"""Print-ready .xlsx and .docx read back with openpyxl and python-docx, and `zhili notice`."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from conftest import DATA, TAICANG


def _sheet(run, tmp_path, *args):
    import openpyxl

    target = tmp_path / "out.xlsx"
    result = run(*args, "-o", target, "--force")
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(target)


def test_every_sheet_prints_landscape_a4_fitted_to_width_with_its_header_repeated(run, tmp_path):
    wb = _sheet(run, tmp_path, "tasks", "--data", DATA, "--as-of", "2021-12-31")
    ws = wb.worksheets[0]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert "游仙区城市社区分类治理重点工作任务台账" in ws.oddHeader.center.text
    assert ws.oddHeader.right.text == "截至 2021年12月31日"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text


def test_sheet_names_do_not_change_with_the_date(run, tmp_path):
    a = _sheet(run, tmp_path, "tasks", "--data", DATA, "--as-of", "2021-06-30").sheetnames
    b = _sheet(run, tmp_path, "tasks", "--data", DATA, "--as-of", "2021-12-31", "--overdue").sheetnames
    assert a == b == ["台账"]


def test_dates_are_dates_and_long_text_gets_tall_rows(run, tmp_path):
    ws = _sheet(run, tmp_path, "tasks", "--data", DATA, "--as-of", "2021-12-31").worksheets[0]
    head = [c.value for c in ws[1]]
    deadline = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=head.index("截止日期") + 1) for r in range(2, ws.max_row + 1)}
    assert isinstance(deadline["25"].value, (date, datetime)) and deadline["25"].number_format == "yyyy-mm-dd"
    assert isinstance(deadline["17"].value, str) and deadline["17"].value.startswith("每季度")  # a period, not a day
    # tasks for every type (25–30) say so: an empty type cell would read as “same as above” on import
    types = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=head.index("社区类型") + 1).value for r in range(2, ws.max_row + 1)}
    assert types["24"] == "城乡融合型社区" and types["25"] == "—"
    title_col = head.index("重点任务") + 1
    row29 = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "29")
    assert ws.cell(row=row29, column=title_col).alignment.wrap_text
    assert ws.row_dimensions[row29].height >= 3 * ws.row_dimensions[2].height - 10  # 130 characters wrap over lines


def test_rank_and_coverage_are_numbers_with_formats(run, tmp_path):
    ws = _sheet(run, tmp_path, "rank", "--data", DATA, "--year", "2021").worksheets[0]
    head = [c.value for c in ws[1]]
    ranks = [ws.cell(row=r, column=head.index("名次") + 1) for r in range(2, ws.max_row + 1)]
    assert all(isinstance(c.value, int) for c in ranks if c.value != "未评")
    scores = [ws.cell(row=r, column=head.index("综合") + 1).value for r in range(2, ws.max_row + 1)]
    assert all(isinstance(s, (int, float)) for s in scores if s is not None)
    ws = _sheet(run, tmp_path, "coverage", "--data", TAICANG, "--as-of", "2022-12-31").worksheets[0]
    head = [c.value for c in ws[1]]
    share = ws.cell(row=2, column=head.index("覆盖率") + 1)
    assert isinstance(share.value, float) and 0 <= share.value <= 1 and share.number_format == "0.0%"


def test_a_tied_rank_is_a_number_that_still_says_tied():
    from zhili.render.output import Column
    from zhili.render.xlsx import typed

    assert typed({"rank_text": "3（并列）", "rank": 3}, Column("rank_text", "名次", value="rank")) == (3, '0"（并列）"')
    assert typed({"rank_text": "未评", "rank": None}, Column("rank_text", "名次", value="rank")) == ("未评", None)
    assert typed({"idle": "12 天", "idle_days": 12}, Column("idle", "无进展", value="idle_days")) == (12, '0" 天"')


def _docx(run, tmp_path, *args):
    import docx

    target = tmp_path / "out.docx"
    result = run(*args, "-o", target, "--force")
    assert result.exit_code == 0, result.output
    return docx.Document(str(target))


def test_word_ledger_merges_type_cells_and_repeats_its_header(run, tmp_path):
    d = _docx(run, tmp_path, "tasks", "--data", DATA, "--as-of", "2021-12-31")
    assert d.paragraphs[0].text == "游仙区城市社区分类治理重点工作任务台账"
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells][:5] == ["序号", "社区类型", "重点任务", "牵头单位", "配合单位"]
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")
    type_cells = [row.cells[1] for row in table.rows[1:7]]
    assert len({id(c._tc) for c in type_cells}) == 1 and type_cells[0].text == "商品住宅型社区"  # one merged cell
    s = d.sections[0]
    assert s.page_width > s.page_height  # landscape


def test_word_ranking_marks_advanced_and_lagging(run, tmp_path):
    d = _docx(run, tmp_path, "rank", "--data", DATA, "--year", "2021")
    marked = {}
    for t in d.tables:
        for row in t.rows[1:]:
            cells = [c.text for c in row.cells]
            shd = row.cells[0]._tc.tcPr.xpath("./w:shd")
            marked.setdefault(cells[7].split("（")[0], set()).add(shd[0].get(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill") if shd else None)
    assert marked["先进"] == {"E2EFDA"} and marked["后进"] == {"FCE4D6"}


def test_word_notice_fonts_are_named_with_fallbacks(run, tmp_path):
    d = _docx(run, tmp_path, "notice", "--data", DATA, "--as-of", "2021-12-31")
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    title = d.paragraphs[0].runs[0]._r.rPr.rFonts.get(f"{ns}eastAsia")
    assert title == "方正小标宋简体"
    body = d.styles["Normal"].element.rPr.rFonts.get(f"{ns}eastAsia")
    assert body == "仿宋_GB2312" and d.styles["Normal"].font.size.pt == 16
    fonts = next(r.target_part for r in d.part.rels.values() if r.reltype.endswith("/fontTable")).blob.decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="黑体"/>' in fonts
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    texts = [p.text for p in d.paragraphs if p.text]
    assert texts[-2:] == ["区委组织部", "2021年12月31日"]
    assert texts[1] == "经济试验区，各街道党工委，区委城乡基层治理委员会各成员单位，有关市区共管部门："


def test_notice_counts_each_task_once_and_groups_shared_leads(run):
    out = json.loads(run("notice", "--data", DATA, "--as-of", "2021-12-31", "--format", "json").stdout)
    tasks = json.loads(run("tasks", "--data", DATA, "--as-of", "2021-12-31", "--format", "json").stdout)
    assert out["overdue_tasks"] == sum(1 for t in tasks if t["overdue"]) == 2
    assert [(l["lead"], l["count"]) for l in out["overdue"]] == [("经济试验区、各街道", 2)]
    stalled = {t["no"] for l in out["stalled"] for t in l["tasks"]}
    assert stalled == {t["no"] for t in tasks if t["status"] not in ("done", "overdue") and t["idle_days"] >= 60}
    assert out["stalled_tasks"] == len(stalled)
    taicang = json.loads(run("notice", "--data", TAICANG, "--as-of", "2022-12-31", "--format", "json").stdout)
    assert [(l["lead"], l["count"]) for l in taicang["overdue"]] == [("各镇(区、街道)", 1)]


def test_notice_stalled_days_option_and_table(run):
    few = json.loads(run("notice", "--data", DATA, "--as-of", "2021-12-31", "--stalled", "200", "--format", "json").stdout)
    many = json.loads(run("notice", "--data", DATA, "--as-of", "2021-12-31", "--format", "json").stdout)
    assert few["stalled_days"] == 200 and few["stalled_tasks"] < many["stalled_tasks"]
    table = run("notice", "--data", DATA, "--as-of", "2021-12-31").stdout
    assert "督导通报（截至 2021-12-31）：逾期 2 项" in table and "经济试验区、各街道" in table


@pytest.mark.parametrize("args,message", [
    (["--stalled", "0"], "0"),
    (["--as-of", "2021-13-01"], "--as-of"),
])
def test_notice_bad_options_are_usage_errors(run, args, message):
    result = run("notice", "--data", DATA, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_docx_to_the_screen_is_refused(run):
    result = run("tasks", "--data", DATA, "--format", "docx")
    assert result.exit_code == 2
    assert "docx 是二进制格式" in result.output


def test_word_tables_keep_markup_and_line_breaks_as_text():
    import io

    import docx

    from zhili.render.docx import render_docx
    from zhili.render.output import Column, Output, Table

    rows = [{"a": "甲<w:t>&amp;", "b": "一行\n二行"}, {"a": "甲<w:t>&amp;", "b": "=1+1"}]
    data = render_docx(Output([Table([Column("a", "名称", merge=True), Column("b", "说明")], rows, "表")], None))
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert table.cell(1, 0).text == "甲<w:t>&amp;" and table.cell(1, 0)._tc is table.cell(2, 0)._tc  # merged, literal
    assert table.cell(1, 1).text == "一行\n二行" and table.cell(2, 1).text == "=1+1"
