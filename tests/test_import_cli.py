"""`zhili import ledger|communities`: the 游仙 附件 rebuilt from Word, round trips, encodings, and refusals."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DATA, FIXTURES, TAICANG, edit

OFFICE = FIXTURES / "office"
ATTACHMENT = OFFICE / "游仙台账附件.docx"
LEDGER_FIELDS = ("no", "type", "title", "lead", "support", "note")


def ledger_of(data_dir: Path) -> list[dict]:
    from zhili.loading.registry import load_registry

    return [{k: getattr(t, k) for k in LEDGER_FIELDS} for t in load_registry(data_dir).tasks]


def snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def only_first_task(data_dir: Path) -> None:
    """tasks.yaml keeps task 1 only (with its comments); files that refer to other tasks go."""
    path = data_dir / "tasks.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - no: 2\n")], encoding="utf-8")
    (data_dir / "progress.yaml").unlink()
    (data_dir / "plans.yaml").unlink()


# -- the 游仙 ledger from the Word table of the 附件 --------------------------------------------------------

def test_the_committed_attachment_is_what_the_builder_makes(tmp_path):
    from docx import Document

    spec = importlib.util.spec_from_file_location("build_youxian_ledger", OFFICE / "build_youxian_ledger.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(tmp_path / "built.docx")

    def cells(path):
        table = Document(str(path)).tables[0]
        return [[("".join(t.text or "" for t in tc.iter(tc.tag.replace("}tc", "}t"))), tc.vMerge) for tc in tr.tc_lst]
                for tr in table._tbl.tr_lst]

    committed = cells(ATTACHMENT)
    assert committed == cells(tmp_path / "built.docx")
    assert len(committed) == 33  # 30 tasks and the header on each of the three pages
    # the 社区类型 column is merged cells: a run starts with vMerge="restart" and continues with "continue"
    assert [row[1][1] for row in committed[1:7]] == ["restart"] + ["continue"] * 5


def test_the_youxian_ledger_is_rebuilt_from_the_attachment(run, data_copy):
    only_first_task(data_copy)
    result = run("import", "ledger", ATTACHMENT, "--data", data_copy)
    assert result.exit_code == 0, result.output + result.stderr
    assert result.output.splitlines() == ["新增任务 29 项：序号 2–30", "读到任务 30 项；与 tasks.yaml 相同 1 项。", "已写入：tasks.yaml"]
    assert ledger_of(data_copy) == ledger_of(DATA)
    # task 1 kept what the ledger does not carry, and the file kept its header comments
    text = (data_copy / "tasks.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/tasks.schema.json\n# 游仙区城市社区分类治理重点工作任务台账（30 项）")
    assert "    source: 三（一）1\n" in text
    assert run("validate", "--data", data_copy).exit_code == 0


def test_importing_the_attachment_into_the_bundled_data_changes_nothing(run, data_copy):
    before = snapshot(data_copy)
    result = run("import", "ledger", ATTACHMENT, "--data", data_copy)
    assert result.exit_code == 0
    assert result.output.splitlines() == ["读到任务 30 项；与 tasks.yaml 相同 30 项。", "没有变化，未写入任何文件。"]
    assert snapshot(data_copy) == before


def test_a_new_district_starts_from_init_and_its_word_ledger(run, tmp_path):
    target = tmp_path / "新区"
    assert run("init", target, "--scheme", "empty").exit_code == 0
    refused = run("import", "ledger", ATTACHMENT, "--data", target)
    assert refused.exit_code == 1
    assert "游仙台账附件.docx 表1 第2行 社区类型: 错误 ZL301 未知的社区类型“商品住宅型社区”。\n" in refused.stderr
    assert "游仙台账附件.docx 表1 第2行 牵头单位: 错误 ZL302 未知的单位“区委组织部”。" in refused.stderr
    assert "错误：表格中有 31 个数据目录未声明的单位或社区类型，未导入。"  # 各街道 is in the template in refused.stderr
    added = run("import", "ledger", ATTACHMENT, "--data", target, "--add-missing", "--force")
    assert added.exit_code == 0, added.stderr
    assert "补充社区类型 5 个（types.yaml）：商品住宅型社区、老旧院落型社区、国有企业改制型社区、单位集中型社区、城乡融合型社区" in added.output
    units = (target / "units.yaml").read_text(encoding="utf-8")
    assert "  - name: 区住建局 # 由 zhili import --add-missing 补充的最简条目：请核对并补全" in units
    assert run("validate", "--data", target).exit_code == 0
    assert len(ledger_of(target)) == 30


# -- round trips through Excel and Word built here ---------------------------------------------------------

def _rows(data_dir: Path) -> list[list[str]]:
    rows = [["序号", "社区类型", "重点任务", "牵头单位", "配合单位", "备注"]]
    for t in ledger_of(data_dir):
        rows.append([str(t["no"]), t["type"] or "——", t["title"], "、".join(t["lead"]), "、".join(t["support"]) or "——",
                     t["note"] or ""])
    return rows


@pytest.mark.parametrize("source", [DATA, TAICANG], ids=["youxian", "taicang"])
def test_round_trip_through_xlsx(run, tmp_path, source):
    from openpyxl import Workbook

    data_dir = tmp_path / "data"
    shutil.copytree(source, data_dir)
    wb = Workbook()
    ws = wb.active
    ws.append(["重点工作任务台账"])  # a title row above the header
    for row in _rows(source):
        ws.append([int(row[0]) if row[0].isdigit() else row[0], *row[1:]])  # 序号 as numbers, as Excel keeps them
    wb.save(tmp_path / "台账.xlsx")
    before = snapshot(data_dir)
    result = run("import", "ledger", tmp_path / "台账.xlsx", "--data", data_dir)
    assert result.exit_code == 0, result.stderr
    assert "没有变化，未写入任何文件。" in result.output
    assert snapshot(data_dir) == before


def _merged_docx(rows: list[list[str]], path: Path) -> None:
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=len(rows), cols=6)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if j != 1 or i == 0 or rows[i - 1][1] != text:
                table.cell(i, j).text = text
    start = 1
    for i in range(2, len(rows) + 1):  # merge each run of one type into one cell
        if i == len(rows) or rows[i][1] != rows[start][1]:
            if i - 1 > start:
                table.cell(start, 1).merge(table.cell(i - 1, 1)).text = rows[start][1]
            start = i
    doc.save(str(path))


def test_round_trip_through_docx_with_merged_type_cells(run, tmp_path, data_copy):
    _merged_docx(_rows(DATA), tmp_path / "台账.docx")
    only_first_task(data_copy)
    result = run("import", "ledger", tmp_path / "台账.docx", "--data", data_copy)
    assert result.exit_code == 0, result.stderr
    assert ledger_of(data_copy) == ledger_of(DATA)


def test_round_trip_through_docx_for_taicang(run, tmp_path):
    data_dir = tmp_path / "tc"
    shutil.copytree(TAICANG, data_dir)
    _merged_docx(_rows(TAICANG), tmp_path / "台账.docx")
    before = snapshot(data_dir)
    result = run("import", "ledger", tmp_path / "台账.docx", "--data", data_dir)
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines()[-1] == "没有变化，未写入任何文件。"
    assert snapshot(data_dir) == before


# -- CSV encodings --------------------------------------------------------------------------------------------

CSV = "序号,社区类型,重点任务,牵头单位,配合单位,备注\n1,商品住宅型社区,理顺治理主体关系,区委组织部、区民政局,经济试验区、各街道,\n"


def test_csv_in_utf8_with_bom_and_in_gb18030(run, tmp_path, data_copy):
    (tmp_path / "bom.csv").write_bytes(CSV.encode("utf-8-sig"))
    (tmp_path / "gb.csv").write_bytes(CSV.encode("gb18030"))
    for name, extra in (("bom.csv", ()), ("gb.csv", ("--encoding", "gb18030"))):
        result = run("import", "ledger", tmp_path / name, "--data", data_copy, "--dry-run", *extra)
        assert result.exit_code == 0, result.stderr
        assert result.output.splitlines()[0] == "读到任务 1 项；与 tasks.yaml 相同 1 项。"
    wrong = run("import", "ledger", tmp_path / "gb.csv", "--data", data_copy)
    assert wrong.exit_code == 1
    assert "错误：gb.csv 第1行不是 utf-8-sig 编码。" in wrong.stderr
    assert "加上 --encoding gb18030 重试" in wrong.stderr


# -- refusals: nothing is written -------------------------------------------------------------------------------

def test_a_different_row_is_not_overwritten_without_force(run, tmp_path, data_copy):
    (tmp_path / "t.csv").write_text(CSV.replace("区委组织部、区民政局", "区委组织部"), encoding="utf-8")
    before = snapshot(data_copy)
    result = run("import", "ledger", tmp_path / "t.csv", "--data", data_copy)
    assert result.exit_code == 1
    assert ("t.csv 第2行: 错误 ZL402 与 tasks.yaml 现有的任务 1 不同：牵头单位 “区委组织部、区民政局” → “区委组织部”"
            in result.stderr)
    assert snapshot(data_copy) == before
    more = tmp_path / "more.csv"
    more.write_text(CSV + "31,,新任务,区住建局,——,\n", encoding="utf-8")
    listed = run("import", "ledger", more, "--data", data_copy, "--dry-run")
    assert listed.output.splitlines()[:2] == ["新增任务 1 项：序号 31", "  31. 新任务（牵头：区住建局；more.csv 第3行）"]
    dry = run("import", "ledger", tmp_path / "t.csv", "--data", data_copy, "--force", "--dry-run")
    assert dry.output.splitlines()[0] == "修改任务 1（理顺治理主体关系）：牵头单位"
    assert "（演练，未写入）将修改：tasks.yaml" in dry.output
    assert snapshot(data_copy) == before
    forced = run("import", "ledger", tmp_path / "t.csv", "--data", data_copy, "--force")
    assert forced.exit_code == 0
    text = (data_copy / "tasks.yaml").read_text(encoding="utf-8")
    assert "    lead: [区委组织部]\n    support: [经济试验区, 各街道]\n    source: 三（一）1\n" in text


def test_unknown_units_are_listed_with_close_matches_and_nothing_is_written(run, tmp_path, data_copy):
    (tmp_path / "t.csv").write_text(CSV.replace("区民政局", "区民正局"), encoding="utf-8")
    before = snapshot(data_copy)
    result = run("import", "ledger", tmp_path / "t.csv", "--data", data_copy)
    assert result.exit_code == 1
    assert "t.csv 第2行 牵头单位: 错误 ZL302 未知的单位“区民正局”。您是否要找：区民政局？" in result.stderr
    assert snapshot(data_copy) == before


def test_a_directory_that_does_not_validate_is_not_written(run, tmp_path, data_copy):
    edit(data_copy / "tasks.yaml", "lead: [区住建局]", "lead: [区住键局]")
    (tmp_path / "t.csv").write_text(CSV, encoding="utf-8")
    before = snapshot(data_copy)
    result = run("import", "ledger", tmp_path / "t.csv", "--data", data_copy)
    assert result.exit_code == 1
    assert "现在就未通过校验，未写入任何内容。" in result.stderr
    assert snapshot(data_copy) == before


def test_a_change_that_would_not_validate_is_not_written(run, tmp_path, data_copy):
    # every cell is fine on its own, but the title is longer than a line of a data file may be
    (tmp_path / "t.csv").write_text(CSV.replace("1,商品住宅型社区,理顺治理主体关系", "31,商品住宅型社区," + "长" * 70_000),
                                    encoding="utf-8")
    before = snapshot(data_copy)
    result = run("import", "ledger", tmp_path / "t.csv", "--data", data_copy)
    assert result.exit_code == 1
    assert "错误：写入后的数据将无法通过校验，未写入任何内容。" in result.stderr
    assert f"{data_copy}/tasks.yaml" in result.stderr or "data/tasks.yaml" in result.stderr
    assert "zhili-check-" not in result.stderr  # the scratch copy is never shown
    assert snapshot(data_copy) == before


def test_formulas_and_hidden_characters_are_refused_with_their_cell(run, tmp_path, data_copy):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["序号", "重点任务", "牵头单位"])
    ws.append([1, "=HYPERLINK(\"http://x\",\"点我\")", "区住建局"])
    ws.append([2, "任务\u202e局建住区", "区住建局"])
    wb.save(tmp_path / "f.xlsx")
    result = run("import", "ledger", tmp_path / "f.xlsx", "--data", data_copy)
    assert result.exit_code == 1
    assert "f.xlsx 工作表 台账 第2行 B列: 错误 ZL209 单元格是公式，zhili 不计算公式。" in result.stderr
    assert "f.xlsx 工作表 台账 第3行 B列: 错误 ZL116 单元格中有控制字符或不可见字符。" in result.stderr
    assert "\u202e" not in result.stderr


@pytest.mark.parametrize("name, content, message", [
    ("t.doc", b"x", "错误：t.doc 是旧版 Office 格式，zhili 不读取。"),
    ("t.txt", b"x", "错误：不支持的文件类型：t.txt。"),
    ("t.xlsx", b"not a zip", "错误：无法读取 t.xlsx：不是有效的 Office 文件（.docx/.xlsx 应是 zip 格式）。"),
])
def test_files_that_are_not_ledgers(run, tmp_path, data_copy, name, content, message):
    (tmp_path / name).write_bytes(content)
    result = run("import", "ledger", tmp_path / name, "--data", data_copy)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_map_file_names_the_columns(run, tmp_path, data_copy):
    (tmp_path / "t.csv").write_text("事项,主办科室,协办\n理顺治理主体关系,区委组织部、区民政局,经济试验区、各街道\n", encoding="utf-8")
    (tmp_path / "map.txt").write_text("重点任务: 事项\n牵头单位: 主办科室\n配合单位: 协办\n", encoding="utf-8")
    unmapped = run("import", "ledger", tmp_path / "t.csv", "--data", data_copy)
    assert unmapped.exit_code == 1 and "找不到表头" in unmapped.stderr
    mapped = run("import", "ledger", tmp_path / "t.csv", "--data", data_copy, "--map", tmp_path / "map.txt", "--dry-run")
    assert mapped.exit_code == 0, mapped.stderr
    assert mapped.output.splitlines()[0] == "读到任务 1 项；与 tasks.yaml 相同 1 项。"  # no 序号 column: numbered 1, 2, …


# -- community rosters ------------------------------------------------------------------------------------------

def test_community_roster_adds_new_communities_and_keeps_existing(run, tmp_path, data_copy):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["游仙区城市社区名册"])
    ws.append(["社区名称", "所属街道", "社区类型", "有专业化物业服务"])
    ws.append(["桑林社区", "经济试验区", "商品住宅型社区", None])
    ws.append(["涪江街道新苑社区", "涪江街道", "商品住宅型社区", "是"])
    ws.append(["新村社区", "新街道", None, None])
    wb.save(tmp_path / "名册.xlsx")
    refused = run("import", "communities", tmp_path / "名册.xlsx", "--data", data_copy)
    assert refused.exit_code == 1
    assert "名册.xlsx 工作表 Sheet 第5行 所属街道: 错误 ZL304 未知的街道“新街道”。" in refused.stderr
    result = run("import", "communities", tmp_path / "名册.xlsx", "--data", data_copy, "--add-missing")
    assert result.exit_code == 0, result.stderr
    assert "新增社区 2 个：新苑社区、新村社区" in result.output
    data = yaml.safe_load((data_copy / "communities.yaml").read_text(encoding="utf-8"))["communities"]
    assert data[-2] == {"id": "community-26", "name": "新苑社区", "street": "涪江街道", "type": "商品住宅型社区",
                        "attributes": {"professional_property": "是"}}
    assert data[-1]["street"] == "新街道" and data[-1]["type"] is None
    units = yaml.safe_load((data_copy / "units.yaml").read_text(encoding="utf-8"))["units"]
    assert {"name": "新街道", "kind": "街道", "level": "street", "parent": "游仙区", "aliases": []} in units
    assert run("validate", "--data", data_copy).exit_code == 0


def test_a_new_district_imports_its_roster_then_its_ledger(run, tmp_path):
    target = tmp_path / "新区"
    assert run("init", target, "--scheme", "empty").exit_code == 0
    roster = tmp_path / "名册.csv"
    assert run("communities", "--data", DATA, "-o", roster).exit_code == 0
    first = run("import", "communities", roster, "--data", target, "--add-missing")
    assert first.exit_code == 0, first.stderr
    assert "补充单位 4 个（units.yaml）：经济试验区、涪江街道、富乐街道、游仙街道" in first.output
    second = run("import", "ledger", ATTACHMENT, "--data", target, "--add-missing", "--force")
    assert second.exit_code == 0, second.stderr
    assert run("validate", "--data", target).exit_code == 0
    streets = {u["name"]: u["kind"] for u in yaml.safe_load((target / "units.yaml").read_text(encoding="utf-8"))["units"]}
    assert streets["经济试验区"] == "街道"  # named as a street in the roster, so a street-level unit


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_round_trip_through_zhilis_own_export(run, tmp_path, data_copy, suffix):
    out = tmp_path / f"tasks.{suffix}"
    assert run("tasks", "--data", data_copy, "--as-of", "2021-12-31", "-o", out).exit_code == 0
    only_first_task(data_copy)
    result = run("import", "ledger", out, "--data", data_copy)
    assert result.exit_code == 0, result.stderr
    assert ledger_of(data_copy) == ledger_of(DATA)


def test_xlsx_with_merged_type_cells_and_a_header_on_each_page(run, tmp_path, data_copy):
    from openpyxl import Workbook

    rows = _rows(DATA)
    wb = Workbook()
    ws = wb.active
    ws.append(["游仙区城市社区分类治理重点工作任务台账"])
    ws.merge_cells("A1:F1")
    for i, row in enumerate(rows):
        if i in (11, 25):  # the header again where a printed page starts, as in the 附件
            ws.append(rows[0])
        keep = i == 0 or row[1] != rows[i - 1][1]
        ws.append([row[0], row[1] if keep else None, *row[2:]])
    # merge each run of one type in column B
    first = None
    for r in range(3, ws.max_row + 2):
        value = ws.cell(row=r, column=2).value if r <= ws.max_row else "end"
        is_header = ws.cell(row=r, column=1).value == "序号"
        if value is not None or is_header:
            if first is not None and r - 1 > first:
                ws.merge_cells(start_row=first, start_column=2, end_row=r - 1, end_column=2)
            first = None if is_header else r
    wb.save(tmp_path / "台账.xlsx")
    only_first_task(data_copy)
    result = run("import", "ledger", tmp_path / "台账.xlsx", "--data", data_copy)
    assert result.exit_code == 0, result.stderr
    assert ledger_of(data_copy) == ledger_of(DATA)


def test_docx_with_a_merged_title_row_inside_the_table(run, tmp_path, data_copy):
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=3, cols=6)
    table.cell(0, 0).merge(table.cell(0, 5)).text = "重点工作任务台账"
    for j, text in enumerate(["序号", "社区类型", "重点任务", "牵头单位", "配合单位", "备注"]):
        table.cell(1, j).text = text
    for j, text in enumerate(["1", "商品住宅型社区", "理顺治理主体关系", "区委组织部\n区民政局", "经济试验区，各街道", ""]):
        table.cell(2, j).text = text
    doc.save(str(tmp_path / "t.docx"))
    result = run("import", "ledger", tmp_path / "t.docx", "--data", data_copy)
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines() == ["读到任务 1 项；与 tasks.yaml 相同 1 项。", "没有变化，未写入任何文件。"]


def test_encoding_is_for_csv_only(run, data_copy):
    result = run("import", "ledger", ATTACHMENT, "--data", data_copy, "--encoding", "gb18030")
    assert result.exit_code == 2
    assert "错误：--encoding 只用于 CSV 文件。" in result.stderr


def test_a_roster_street_that_units_yaml_declares_as_another_kind(run, tmp_path, data_copy):
    (tmp_path / "r.csv").write_text("社区,所属街道（镇）\n新苑社区,区住建局\n", encoding="utf-8")
    before = snapshot(data_copy)
    result = run("import", "communities", tmp_path / "r.csv", "--data", data_copy, "--add-missing")
    assert result.exit_code == 1
    assert "r.csv 第2行 所属街道: 错误 ZL326 “区住建局”在 units.yaml 中不在任何层级中，不是“街道”。" in result.stderr
    assert snapshot(data_copy) == before


def test_hostile_files_are_refused_without_a_traceback(run, tmp_path, data_copy):
    (tmp_path / "nul.csv").write_bytes(b"\xe5\xba\x8f\xe5\x8f\xb7,a\n1,\x00\n")
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    for name, message in (("nul.csv", "nul.csv 第2行: 错误 ZL116 单元格中有控制字符或不可见字符。"), ("zero.csv", "不是普通文件"), ("big.csv", "超过了 20 MB 的上限，未读取。")):
        result = run("import", "ledger", tmp_path / name, "--data", data_copy)
        assert result.exit_code in (1, 2), name
        assert message in result.stderr, name
        assert "Traceback" not in result.stderr


def test_many_problems_in_a_sheet_do_not_point_at_a_missing_format_option(run, tmp_path, data_copy):
    # import has no --format: the note under the first 20 problems must not suggest `--format json`
    rows = ["序号,社区类型,重点任务,牵头单位,配合单位"]
    rows += [f"{i},商品住宅型社区,任务{i},不存在单位{i},——" for i in range(1, 31)]
    sheet = tmp_path / "台账.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = snapshot(data_copy)
    result = run("import", "ledger", sheet, "--data", data_copy, "--force")
    assert result.exit_code == 1
    assert "……另有 10 个问题未显示（改正以上问题后重新运行，可看到其余问题）。" in result.stderr
    assert "--format json" not in result.stderr
    assert snapshot(data_copy) == before


@pytest.mark.parametrize("header", ["所属镇(区、街道)", "镇(区、街道)", "所属镇（区、街道）", "所属街道（镇）"])
def test_a_roster_header_may_use_the_declared_level_name(run, tmp_path, header):
    data_dir = tmp_path / "tc"
    shutil.copytree(TAICANG, data_dir)
    (tmp_path / "r.csv").write_text(f"社区,{header}\n新村社区,\n新苑社区,城厢镇\n", encoding="utf-8")
    result = run("import", "communities", tmp_path / "r.csv", "--data", data_dir)
    assert result.exit_code == 1
    # messages name the unit column by the declared level, whatever spelling the table used
    assert "r.csv 第2行 所属镇(区、街道): 错误 ZL202 所属镇(区、街道)为空。" in result.stderr
    assert "填写该社区所属的镇(区、街道)。" in result.stderr


def test_an_unknown_roster_unit_is_named_by_the_declared_level(run, tmp_path):
    data_dir = tmp_path / "tc"
    shutil.copytree(TAICANG, data_dir)
    (tmp_path / "r.csv").write_text("社区,所属镇(区、街道)\n新苑社区,新镇\n", encoding="utf-8")
    result = run("import", "communities", tmp_path / "r.csv", "--data", data_dir)
    assert result.exit_code == 1
    assert "r.csv 第2行 所属镇(区、街道): 错误 ZL304 未知的镇(区、街道)“新镇”。" in result.stderr
