"""`zhili collect` and `zhili collect import`: forms out, filled forms back, located errors, safe merges."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import TAICANG

AS_OF = "2021-12-31"


def forms(run, data_dir: Path, out: Path, *extra: str) -> list[Path]:
    result = run("collect", "--data", data_dir, "-o", out, "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.stderr
    return sorted(out.glob("*.xlsx"))


def fill(path: Path, cells: dict[str, object], target: Path | None = None) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["填报"]
    for ref, value in cells.items():
        ws[ref] = value
    target = target or path
    wb.save(target)
    return target


def snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


# -- the forms ------------------------------------------------------------------------------------------------

def test_one_progress_form_per_unit_with_its_tasks_locked(run, data_copy, tmp_path):
    from openpyxl import load_workbook

    made = forms(run, data_copy, tmp_path / "out")
    assert len(made) == 29  # every unit that leads or supports a task; 各街道 reaches each of its streets
    wb = load_workbook(tmp_path / "out" / "进展填报_区住建局.xlsx")
    assert wb.sheetnames == ["说明", "填报", "zhili"]
    assert wb["zhili"].sheet_state == "veryHidden"
    assert wb["说明"]["A2"].value == "填报单位：区住建局"
    ws = wb["填报"]
    assert [c.value for c in ws[1]] == ["序号", "社区类型", "重点任务", "牵头单位", "配合单位", "日期", "状态", "已做工作", "下一步"]
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == ["3", "7", "9", "11", "23", "24", "30"]
    assert ws.protection.sheet is True
    assert ws["C2"].protection.locked is True and ws["F2"].protection.locked is False
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists[0].formula1 == '"进行中,已完成"' and str(lists[0].sqref) == "G2:G8"
    streets = load_workbook(tmp_path / "out" / "进展填报_涪江街道.xlsx")["填报"]
    group_tasks = [t for t in yaml.safe_load((data_copy / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
                   if "各街道" in t["lead"] + t["support"]]
    assert streets.max_row - 1 == len(group_tasks) == 24  # the tasks of 各街道 are each of its streets'


def test_score_forms_per_street_for_a_stage(run, data_copy, tmp_path):
    from openpyxl import load_workbook

    made = forms(run, data_copy, tmp_path / "out", "--stage", "street_review", "--year", "2023")
    assert [p.name for p in made] == sorted(["评分填报_2023_街道初评_经济试验区.xlsx", "评分填报_2023_街道初评_涪江街道.xlsx",
                                             "评分填报_2023_街道初评_富乐街道.xlsx", "评分填报_2023_街道初评_游仙街道.xlsx"])
    ws = load_workbook(tmp_path / "out" / "评分填报_2023_街道初评_涪江街道.xlsx")["填报"]
    assert [c.value for c in ws[1]] == ["社区标识", "社区", "所属街道", "社区类型", "得分"]
    assert {ws.cell(row=r, column=3).value for r in range(2, ws.max_row + 1)} == {"涪江街道"}


def test_collect_refuses_what_it_does_not_know(run, data_copy, tmp_path):
    stage = run("collect", "--data", data_copy, "-o", tmp_path, "--stage", "复评")
    assert stage.exit_code == 2
    assert "错误：types.yaml 没有声明评议阶段“复评”。\n提示：可选：self_assessment（社区自评）、street_review（街道初评）、district_review（区级评议）。" in stage.stderr
    again = run("collect", "--data", data_copy, "-o", tmp_path / "o", "--unit", "住建局")
    assert again.exit_code == 0
    twice = run("collect", "--data", data_copy, "-o", tmp_path / "o", "--unit", "住建局")
    assert twice.exit_code == 2 and "已存在，未覆盖" in twice.stderr


def test_collect_round_for_taicang(run, tmp_path):
    import shutil

    data_dir = tmp_path / "tc"
    shutil.copytree(TAICANG, data_dir)
    progress = forms(run, data_dir, tmp_path / "p")
    assert len(progress) == 15  # task 2 names no unit (牵头单位未明确): it is on every unit's form, 太仓市 included
    scores = forms(run, data_dir, tmp_path / "s", "--stage", "社区自评", "--year", "2024")
    assert len(scores) == 11
    from openpyxl import load_workbook

    book = load_workbook(scores[0])
    # the unit column is 所属 + the scheme's declared lowest level (太仓: 镇(区、街道)), not a fixed word
    assert [c.value for c in book["填报"][1]] == ["社区标识", "社区", "所属镇(区、街道)", "社区类型", "得分"]
    assert "3. 灰色的列（社区标识、社区、所属镇(区、街道)、社区类型）已锁定，请勿修改、增删或调换行。" in [
        c.value for c in book["说明"]["A"]]
    p = fill(progress[0], {"F2": "2021-10-01", "G2": "进行中", "H2": "开展分类"})
    s = fill(scores[0], {"E2": 91})
    result = run("collect", "import", p, s, "--data", data_dir, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines()[:2] == ["进展记录：新增 1 条，已有 0 条。", "评议得分：新增 1 个，已有 0 个。"]
    assert run("validate", "--data", data_dir).exit_code == 0


# -- importing filled forms -----------------------------------------------------------------------------------

def test_filled_forms_merge_once(run, data_copy, tmp_path):
    forms(run, data_copy, tmp_path / "p", "--unit", "区住建局")
    forms(run, data_copy, tmp_path / "s", "--stage", "street_review", "--year", "2023", "--unit", "涪江街道")
    progress = fill(tmp_path / "p" / "进展填报_区住建局.xlsx",
                    {"F2": date(2021, 7, 1), "G2": "进行中", "H2": "完成物业服务企业考评", "I2": "推广到全区",
                     "F8": "2021-12-20", "G8": "已完成", "H8": "移交制度落实"})
    scores = fill(tmp_path / "s" / "评分填报_2023_街道初评_涪江街道.xlsx", {"E2": 88.5, "E3": 90})
    result = run("collect", "import", progress, scores, "--data", data_copy, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines() == ["进展记录：新增 2 条，已有 0 条。", "评议得分：新增 2 个，已有 0 个。",
                                          "已写入：evaluations/2023.yaml、progress.yaml"]
    text = (data_copy / "progress.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/progress.schema.json\n# 游仙区城市社区分类治理：重点任务进展记录")
    assert text.endswith("  - task: 3\n    date: 2021-07-01\n    unit: 区住建局\n    note: 完成物业服务企业考评；下一步：推广到全区\n"
                         "  - task: 30\n    date: 2021-12-20\n    unit: 区住建局\n    note: 移交制度落实\n    done: true\n")
    ev = yaml.safe_load((data_copy / "evaluations" / "2023.yaml").read_text(encoding="utf-8"))
    assert ev == {"year": 2023, "evaluations": [{"community": "wuliduilu", "street_review": 88.5},
                                                 {"community": "mianshanlu", "street_review": 90}]}
    assert (data_copy / "evaluations" / "2023.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schemas/evaluations.schema.json\n")
    before = snapshot(data_copy)
    again = run("collect", "import", progress, scores, "--data", data_copy, "--as-of", AS_OF)
    assert again.exit_code == 0
    assert again.output.splitlines() == ["进展记录：新增 0 条，已有 2 条。", "评议得分：新增 0 个，已有 2 个。", "没有变化，未写入任何文件。"]
    assert snapshot(data_copy) == before
    assert run("validate", "--data", data_copy).exit_code == 0


def test_a_score_fills_the_empty_stage_of_an_existing_evaluation(run, data_copy, tmp_path):
    from zhili.loading.registry import load_registry

    forms(run, data_copy, tmp_path / "s", "--stage", "district_review", "--year", "2021", "--unit", "涪江街道")
    path = tmp_path / "s" / "评分填报_2021_区级评议_涪江街道.xlsx"
    # 2021 already has district_review 86 for wuliduilu (row 2): the same value is known, another is a conflict
    same = fill(path, {"E2": 86}, tmp_path / "same.xlsx")
    assert run("collect", "import", same, "--data", data_copy).output.startswith("评议得分：新增 0 个，已有 1 个。\n")
    other = fill(path, {"E2": 80}, tmp_path / "other.xlsx")
    result = run("collect", "import", other, "--data", data_copy)
    assert result.exit_code == 1
    assert "other.xlsx 第2行: 错误 ZL402 与已记录的数据不同：区级评议 现为“86”，表格为“80”。" in result.stderr
    assert load_registry(data_copy).evaluation_year(2021).evaluations[1].district_review == 86


def test_two_forms_that_disagree_are_reported_not_merged(run, data_copy, tmp_path):
    forms(run, data_copy, tmp_path / "p", "--unit", "区住建局")
    blank = tmp_path / "p" / "进展填报_区住建局.xlsx"
    one = fill(blank, {"F2": "2021-07-01", "G2": "进行中", "H2": "甲"}, tmp_path / "one.xlsx")
    two = fill(blank, {"F2": "2021-07-01", "G2": "已完成", "H2": "乙"}, tmp_path / "two.xlsx")
    before = snapshot(data_copy)
    result = run("collect", "import", one, two, "--data", data_copy, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "two.xlsx 第2行: 错误 ZL402 与 one.xlsx 第2行 填报的不一致，两处都未导入。" in result.stderr
    assert snapshot(data_copy) == before


@pytest.mark.parametrize("cells, expected", [
    ({"F2": "2021-07-01", "G2": "差不多", "H2": "甲"},
     "f.xlsx 第2行 状态: 错误 ZL207 状态“差不多”不是允许的取值。"),
    ({"F2": "2022-01-05", "G2": "进行中", "H2": "甲"},
     "f.xlsx 第2行 日期: 错误 ZL206 日期 2022-01-05 晚于今天（2021-12-31）。"),
    ({"F2": "七月", "G2": "进行中", "H2": "甲"},
     "f.xlsx 第2行 日期: 错误 ZL206 日期“七月”无效。"),
    ({"F2": "2021-07-01", "G2": "进行中"},
     "f.xlsx 第2行 已做工作: 错误 ZL202 已做工作为空。"),
    ({"C2": "别的任务", "F2": "2021-07-01", "G2": "进行中", "H2": "甲"},
     "f.xlsx 第2行 重点任务: 错误 ZL311 锁定的列被修改，与任务台账不符。"),
    ({"A2": "1", "F2": "2021-07-01", "G2": "进行中", "H2": "甲"},
     "f.xlsx 第2行 序号: 错误 ZL311 任务 1 不由 区住建局 牵头或配合。"),
    ({"F2": "2021-07-01", "G2": "进行中", "H2": "=1+1"},
     "f.xlsx 第2行 已做工作: 错误 ZL209 单元格是公式，zhili 不计算公式。"),
])
def test_progress_form_errors_are_located(run, data_copy, tmp_path, cells, expected):
    forms(run, data_copy, tmp_path / "p", "--unit", "区住建局")
    filled = fill(tmp_path / "p" / "进展填报_区住建局.xlsx", cells, tmp_path / "f.xlsx")
    before = snapshot(data_copy)
    result = run("collect", "import", filled, "--data", data_copy, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "错误：填报表中有 1 处问题，未导入任何内容。" in result.stderr
    assert snapshot(data_copy) == before


@pytest.mark.parametrize("cells, expected", [
    ({"E2": 101}, "f.xlsx 第2行 得分: 错误 ZL205 得分“101”不是 0–100 之间的数。"),
    ({"E2": "优"}, "f.xlsx 第2行 得分: 错误 ZL205 得分“优”不是 0–100 之间的数。"),
    ({"A2": "sanglin", "E2": 90}, "f.xlsx 第2行 社区标识: 错误 ZL311 社区 sanglin 不属于 涪江街道。"),
])
def test_score_form_errors_are_located(run, data_copy, tmp_path, cells, expected):
    forms(run, data_copy, tmp_path / "s", "--stage", "street_review", "--year", "2023", "--unit", "涪江街道")
    filled = fill(tmp_path / "s" / "评分填报_2023_街道初评_涪江街道.xlsx", cells, tmp_path / "f.xlsx")
    result = run("collect", "import", filled, "--data", data_copy)
    assert result.exit_code == 1
    assert expected in result.stderr


def test_a_form_for_a_unit_the_data_does_not_have(run, data_copy, tmp_path):
    from openpyxl import load_workbook

    forms(run, data_copy, tmp_path / "p", "--unit", "区住建局")
    wb = load_workbook(tmp_path / "p" / "进展填报_区住建局.xlsx")
    wb["zhili"]["B2"] = "区住房局"
    wb.save(tmp_path / "f.xlsx")
    result = run("collect", "import", tmp_path / "f.xlsx", "--data", data_copy)
    assert result.exit_code == 1
    assert "f.xlsx: 错误 ZL302 填报单位“区住房局”不在 units.yaml 中。" in result.stderr


def test_a_workbook_zhili_did_not_make(run, data_copy, tmp_path):
    from openpyxl import Workbook

    Workbook().save(tmp_path / "x.xlsx")
    result = run("collect", "import", tmp_path / "x.xlsx", "--data", data_copy)
    assert result.exit_code == 1
    assert "错误：x.xlsx 不是 zhili collect 生成的填报表（缺少“填报”或内部信息工作表）。" in result.stderr


def test_unit_names_never_choose_the_directory(run, data_copy, tmp_path):
    from zhili.importing.collect import Form
    from zhili.importing.workbook import file_name

    assert file_name(Form("progress", "../../etc/局", [])) == "进展填报__.._etc_局.xlsx"


def test_text_that_looks_like_a_formula_stays_text_both_ways(run, data_copy, tmp_path):
    from conftest import edit
    from openpyxl import load_workbook

    edit(data_copy / "tasks.yaml", "title: 优化物业服务管理", "title: \"=HYPERLINK(\\\"http://x\\\",\\\"点我\\\")\"")
    forms(run, data_copy, tmp_path / "p", "--unit", "区住建局")
    path = tmp_path / "p" / "进展填报_区住建局.xlsx"
    cell = load_workbook(path)["填报"]["C2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","点我")'
    filled = fill(path, {"F2": "2021-07-01", "G2": "进行中", "H2": "甲"})
    result = run("collect", "import", filled, "--data", data_copy, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith("进展记录：新增 1 条")


def test_dry_run_checks_and_shows_but_writes_nothing(run, data_copy, tmp_path):
    forms(run, data_copy, tmp_path / "p", "--unit", "区住建局")
    filled = fill(tmp_path / "p" / "进展填报_区住建局.xlsx", {"F2": "2021-07-01", "G2": "进行中", "H2": "甲"})
    before = snapshot(data_copy)
    result = run("collect", "import", filled, "--data", data_copy, "--as-of", AS_OF, "--dry-run")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["进展记录：新增 1 条，已有 0 条。", "（演练，未写入）将修改：progress.yaml"]
    assert snapshot(data_copy) == before


def test_no_score_forms_without_evaluation_rules(run, tmp_path):
    target = tmp_path / "新区"
    assert run("init", target, "--scheme", "empty").exit_code == 0
    result = run("collect", "--data", target, "-o", tmp_path / "s", "--stage", "street_review")
    assert result.exit_code == 2
    assert "错误：types.yaml 中没有年度评议规则（evaluation），收回的得分无法使用，未生成评分表。" in result.stderr
    assert not (tmp_path / "s").exists()


def test_form_headers_take_the_declared_type_label(run, data_copy, tmp_path):
    types = data_copy / "types.yaml"
    text = types.read_text(encoding="utf-8")
    assert "\ntypes:\n" in text
    types.write_text(text.replace("\ntypes:\n", "\ntype_label: 院落类型\ntypes:\n", 1), encoding="utf-8")
    from openpyxl import load_workbook

    progress = forms(run, data_copy, tmp_path / "p")
    assert [c.value for c in load_workbook(progress[0])["填报"][1]][:2] == ["序号", "院落类型"]
    scores = forms(run, data_copy, tmp_path / "s", "--stage", "street_review", "--year", "2023")
    assert [c.value for c in load_workbook(scores[0])["填报"][1]] == ["社区标识", "社区", "所属街道", "院落类型", "得分"]
