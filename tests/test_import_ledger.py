"""Ledger rows → tasks: header synonyms, title rows, repeated headers, type continuation, located problems."""

from __future__ import annotations

from zhili.importing import ledger
from zhili.importing.table import SheetTable, parse_mapping

KNOWN = {"区委组织部", "区民政局", "区住建局", "经济试验区", "各街道"}
HEADER = ["序号", "社区类型", "重点任务", "牵头单位", "配合单位", "备注"]


def table(rows, file="台账.xlsx", place="工作表 Sheet1"):
    return SheetTable(file, place, rows)


def test_title_rows_are_skipped_and_columns_found_in_any_order_by_synonym():
    rows = [["某区重点工作任务台账", "", "", ""], ["", "", "", ""],
            ["责任单位", "工作任务", "编号", "协同单位"],
            ["区住建局", "优化物业服务管理", "1", "经济试验区、各街道"]]
    tasks, diags = ledger.parse([table(rows)], KNOWN)
    assert diags == []
    assert [t.fields() for t in tasks] == [{"no": 1, "type": None, "title": "优化物业服务管理", "lead": ["区住建局"],
                                            "support": ["经济试验区", "各街道"], "note": None}]
    assert tasks[0].where == "台账.xlsx 工作表 Sheet1 第4行"


def test_blank_type_cells_continue_the_type_above_but_not_across_a_repeated_header():
    rows = [HEADER,
            ["1", "商品住宅型社区", "甲", "区委组织部", "——", ""],
            ["2", "", "乙", "区民政局", "---", ""],
            HEADER,
            ["3", "", "丙", "区住建局", "", ""],
            ["4", "老旧院落型社区", "丁", "区住建局", "", "备注文字"]]
    tasks, diags = ledger.parse([table(rows)], KNOWN)
    assert diags == []
    assert [(t.no, t.type, t.support, t.note) for t in tasks] == [
        ("1", "商品住宅型社区", [], None), ("2", "商品住宅型社区", [], None), ("3", None, [], None), ("4", "老旧院落型社区", [], "备注文字")]


def test_every_problem_is_located_at_its_cell():
    rows = [HEADER,
            ["", "类型", "甲", "区委组织部", "", ""],
            ["2", "类型", "", "区委组织部", "", ""],
            ["4", "类型", "丁", "区民政局", "", ""],
            ["4", "类型", "戊", "区民政局", "", ""]]
    tasks, diags = ledger.parse([table(rows, "台账.docx", "表1")], KNOWN)
    assert [t.no for t in tasks] == ["4"]
    assert [(d.file, d.code, d.message) for d in diags] == [
        ("台账.docx 表1 第2行 序号", "ZL202", "序号为空。"),
        ("台账.docx 表1 第3行 重点任务", "ZL202", "重点任务为空。"),
        ("台账.docx 表1 第5行 序号", "ZL303", "序号 4 重复（台账.docx 表1 第4行 已用）。"),
    ]


def test_numbers_are_the_ledgers_text_in_its_order_and_a_lead_may_be_missing():
    rows = [HEADER,
            ["三.1", "类型", "甲", "区委组织部", "", ""],
            ["12.", "类型", "乙", "——", "", ""],
            ["2", "类型", "丙", "区民政局", "", ""]]
    tasks, diags = ledger.parse([table(rows, "台账.docx", "表1")], KNOWN)
    assert diags == []
    assert [(t.no, t.lead) for t in tasks] == [("三.1", ["区委组织部"]), ("12", []), ("2", ["区民政局"])]
    assert [ledger.yaml_no(t.no) for t in tasks] == ["三.1", 12, 2]


def test_a_table_without_the_header_is_reported():
    tasks, diags = ledger.parse([table([["甲", "乙"], ["1", "2"]])], KNOWN)
    assert tasks == []
    assert diags[0].file == "台账.xlsx 工作表 Sheet1"
    assert diags[0].message.startswith("在前 10 行中找不到表头：需要的列是 重点任务（")


def test_a_mapping_names_the_columns_of_another_layout():
    text = "# 本局台账的列名\n重点任务: 事项\nlead: 主办科室\n配合单位：协办\n"
    mapping, diags = parse_mapping(text, ledger.COLUMNS, "列名.txt")
    assert diags == [] and mapping == {"title": "事项", "lead": "主办科室", "support": "协办"}
    rows = [["事项", "主办科室", "协办"], ["甲", "区住建局", "区民政局"]]
    tasks, diags = ledger.parse([table(rows)], KNOWN, mapping)
    assert diags == [] and tasks[0].lead == ["区住建局"] and tasks[0].no == "1"


def test_a_bad_mapping_line_is_located():
    _, diags = parse_mapping("重点任务 事项\n负责人: 某列\n", ledger.COLUMNS, "列名.txt")
    assert [(d.file, d.line, d.code) for d in diags] == [("列名.txt", 1, "ZL209"), ("列名.txt", 2, "ZL201")]
    assert diags[1].message == "未知的字段“负责人”。"


def test_unknown_names_are_listed_once_with_close_matches():
    rows = [HEADER, ["1", "商品住宅型", "甲", "区住键局", "区住键局", ""], ["2", "", "乙", "区住键局", "", ""]]
    tasks, _ = ledger.parse([table(rows)], KNOWN)
    found = ledger.unknowns(tasks, KNOWN, {"商品住宅型社区"})
    assert [(u.kind, u.name, u.where, u.hint) for u in found] == [
        ("type", "商品住宅型", "台账.xlsx 工作表 Sheet1 第2行 社区类型", "您是否要找：商品住宅型社区？"),
        ("unit", "区住键局", "台账.xlsx 工作表 Sheet1 第2行 牵头单位", "您是否要找：区住建局？"),
    ]


def test_compare_counts_only_the_ledger_fields():
    rows = [HEADER, ["1", "", "甲", "区住建局", "——", ""], ["2", "", "乙", "区民政局", "", ""], ["3", "", "丙", "区民政局", "", ""]]
    tasks, _ = ledger.parse([table(rows)], KNOWN)
    existing = [{"no": 1, "type": None, "title": "甲", "lead": ["区住建局"], "support": [], "source": "三（一）1", "due": "2021-03-19"},
                {"no": 2, "title": "乙", "lead": ["区委组织部"]}]
    changes = ledger.compare(existing, tasks)
    assert [t.no for t in changes.unchanged] == ["1"]
    assert [(t.no, diff) for t, diff in changes.changed] == [("2", {"lead": (["区委组织部"], ["区民政局"])})]
    assert [t.no for t in changes.added] == ["3"]


def test_a_table_that_writes_the_type_on_every_row_has_no_runs():
    # zhili's own exports write each row's type: a blank there is a task for every type, not "same as above"
    rows = [HEADER,
            ["1", "商品住宅型社区", "甲", "区委组织部", "", ""],
            ["2", "商品住宅型社区", "乙", "区委组织部", "", ""],
            ["3", "", "丙", "区住建局", "", ""]]
    tasks, diags = ledger.parse([table(rows)], KNOWN)
    assert diags == [] and [t.type for t in tasks] == ["商品住宅型社区", "商品住宅型社区", None]


def test_a_type_written_by_id_in_the_data_is_the_same_type_by_name():
    rows = [HEADER, ["1", "商品住宅型社区", "甲", "区住建局", "", ""]]
    tasks, _ = ledger.parse([table(rows)], KNOWN)
    existing = [{"no": 1, "type": "commodity-housing", "title": "甲", "lead": ["区住建局"], "support": []}]
    ids = {"商品住宅型社区": "commodity-housing", "commodity-housing": "commodity-housing"}
    assert ledger.compare(existing, tasks, lambda t: ids.get(t, t)).unchanged == tasks
    assert ledger.compare(existing, tasks).changed[0][1] == {"type": ("commodity-housing", "商品住宅型社区")}
