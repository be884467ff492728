"""Bad input in evaluations/<年度>.yaml, remediation.yaml and the evaluation rules: exact code, line, message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DATA, edit


def line_of(path: Path, text: str, after: str | None = None) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if after in l) if after else 0
    return next(i for i, l in enumerate(lines) if i >= start and text in l) + 1


def validate(run, data: Path) -> tuple[int, dict]:
    result = run("validate", "--data", data, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def only(payload: dict, code: str, severity: str = "errors") -> dict:
    found = [d for d in payload[severity] if d["code"] == code]
    assert len(found) == 1, payload
    return found[0]


def test_bundled_evaluations_validate_without_warnings(run):
    code, payload = validate(run, DATA)
    assert code == 0
    assert [w for w in payload["warnings"] if w["code"] == "ZL401"] == []


def test_unknown_community_by_name_hints_the_id(run, data_copy):
    f = data_copy / "evaluations" / "2022.yaml"
    edit(f, "community: sanglin", "community: 桑林社区")
    code, payload = validate(run, data_copy)
    assert code == 1
    d = only(payload, "ZL305")
    assert d["file"].endswith("evaluations/2022.yaml")
    assert d["line"] == line_of(f, "community: 桑林社区")
    assert d["message"] == "评议记录中的社区“桑林社区”不在社区台账中。"
    assert d["hint"] == "这里要写社区 id：桑林社区的 id 是 sanglin。"


def test_unknown_community_id_suggests_close_ids(run, data_copy):
    f = data_copy / "evaluations" / "2022.yaml"
    edit(f, "community: sanglin", "community: sanglinn")
    _, payload = validate(run, data_copy)
    d = only(payload, "ZL305")
    assert (d["line"], d["hint"]) == (line_of(f, "sanglinn"), "您是否要找：sanglin？")


def test_two_records_for_one_community_in_a_year(run, data_copy):
    f = data_copy / "evaluations" / "2022.yaml"
    edit(f, "community: wuliduilu", "community: sanglin")
    code, payload = validate(run, data_copy)
    assert code == 1
    d = only(payload, "ZL303")
    lines = f.read_text(encoding="utf-8").splitlines()
    assert lines[d["line"] - 1].strip() == "- community: sanglin"
    assert [i + 1 for i, l in enumerate(lines) if "community: sanglin" in l][1] == d["line"]
    assert d["message"] == "2022 年已有桑林社区（sanglin）的评议记录。"
    # wuliduilu now has no record: the year is incomplete (a warning)
    w = only(payload, "ZL401", "warnings")
    assert w["message"] == "2022 年只有部分社区有评议记录，缺少 1 个：五里堆路社区（wuliduilu）。"
    assert w["line"] == line_of(f, "evaluations:")


def test_year_must_match_file_name(run, data_copy):
    shutil.copy(data_copy / "evaluations" / "2022.yaml", data_copy / "evaluations" / "2020.yaml")
    code, payload = validate(run, data_copy)
    assert code == 1
    d = only(payload, "ZL402")
    assert d["file"].endswith("evaluations/2020.yaml")
    assert d["line"] == line_of(data_copy / "evaluations" / "2020.yaml", "year: 2022")
    assert d["message"] == "文件名 2020.yaml 与其中的年度 2022 不一致。"
    assert d["hint"] == "把文件改名为 2022.yaml，或改正 year。"


def test_score_out_of_range_and_not_a_number(run, data_copy):
    f = data_copy / "evaluations" / "2021.yaml"
    edit(f, "district_review: 90", "district_review: 101")
    edit(f, "self_assessment: 90", "self_assessment: 九十")
    code, payload = validate(run, data_copy)
    assert code == 1
    high, text = sorted((d for d in payload["errors"] if d["code"] == "ZL336"), key=lambda d: d["line"])
    assert (high["line"], high["column"]) == (line_of(f, "district_review: 101"), 22)
    assert high["message"] == "区级评议（district_review）的得分应为 0–100 的数，这里是“101”。"
    assert text["line"] == line_of(f, "self_assessment: 九十")
    assert text["message"] == "社区自评（self_assessment）的得分应为 0–100 的数，这里是“九十”。"
    assert text["hint"] == "写阿拉伯数字，可带小数，如 87.5；尚未评的阶段整行不写。"


def test_veto_needs_a_reason(run, data_copy):
    f = data_copy / "evaluations" / "2021.yaml"
    edit(f, "        reason: 辖区内新增违法建设一处，未及时发现和报告（示意）\n", "")
    _, payload = validate(run, data_copy)
    d = only(payload, "ZL202")
    assert d["line"] == line_of(f, "- item: 新增违法建设")
    assert d["message"] == "缺少必填字段“reason”（具体情况：何时、何事）。"


def test_incomplete_evaluation_is_a_warning(run, data_copy):
    f = data_copy / "evaluations" / "2022.yaml"
    edit(f, "    street_review: 84\n", "")  # wuliduilu, 2022
    code, payload = validate(run, data_copy)
    assert code == 0
    w = only(payload, "ZL401", "warnings")
    assert w["line"] == line_of(f, "- community: wuliduilu")
    assert w["message"] == "五里堆路社区的 2022 年评议缺少街道初评，排队时列为未评。"
    assert run("validate", "--data", data_copy, "--strict").exit_code == 1
    ranked = json.loads(run("rank", "--data", data_copy, "--year", "2022", "--type", "商品住宅", "--format", "json").stdout)
    row = next(c for c in ranked[0]["communities"] if c["name"] == "五里堆路社区")
    assert (row["status"], row["rank"], row["designation"]) == ("unrated", None, None)
    assert "五里堆路社区的 2022 年评议不完整（缺少街道初评），列为未评，不参加排队。" in ranked[0]["warnings"]


def test_weights_must_sum_to_one(run, data_copy):
    f = data_copy / "types.yaml"
    edit(f, "label: 区级评议, weight: 0.5", "label: 区级评议, weight: 0.6")
    code, payload = validate(run, data_copy)
    assert code == 1
    d = only(payload, "ZL330")
    assert d["line"] == line_of(f, "  stages:", after="evaluation:")
    assert d["message"] == "各评议阶段的权重之和应为 1，这里是 1.1。"
    assert d["hint"] == "调整各阶段的 weight，使之和为 1（如 0.2、0.3、0.5）。"


def test_evaluations_without_rules(run, data_copy):
    f = data_copy / "types.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text[: text.index("\nevaluation:")] + "\n", encoding="utf-8")
    code, payload = validate(run, data_copy)
    assert code == 1
    errors = [d for d in payload["errors"] if d["code"] == "ZL311"]
    assert {d["file"].split("/")[-1] for d in errors} == {"2021.yaml", "2022.yaml"}
    assert errors[0]["message"] == "types.yaml 中没有年度评议规则（evaluation），无法评定。"


def test_yaml_error_in_a_year_file_names_the_file(run, data_copy):
    f = data_copy / "evaluations" / "2021.yaml"
    edit(f, "date: 2021-11-26", "date: 2021-11-26\nyear: 2021")
    code, payload = validate(run, data_copy)
    assert code == 1
    d = only(payload, "ZL108")
    assert d["file"].endswith("evaluations/2021.yaml") and d["line"] == line_of(f, "year: 2021", after="date:")
    result = run("rank", "--data", data_copy, "--year", "2022")
    assert result.exit_code == 1
    assert "ZL108" in result.output


def test_remediation_for_a_community_that_was_not_lagging(run, data_copy):
    f = data_copy / "remediation.yaml"
    edit(f, "community: hanjiaji", "community: sanglin")
    code, payload = validate(run, data_copy)
    assert code == 1
    d = only(payload, "ZL311")
    assert d["line"] == line_of(f, "community: sanglin")
    assert d["message"] == "桑林社区在 2021 年不是后进社区（先进），帮扶措施只用于后进社区。"


def test_remediation_partner_must_be_advanced_of_the_same_type(run, data_copy):
    f = data_copy / "remediation.yaml"
    edit(f, "partner: liduci", "partner: mianshanlu")
    _, payload = validate(run, data_copy)
    d = only(payload, "ZL311")
    assert d["line"] == line_of(f, "partner: mianshanlu")
    assert d["message"] == "帮带社区绵山路社区在 2021 年不是先进社区（未评定先进或后进）。"
    edit(f, "partner: mianshanlu", "partner: liuli")
    _, payload = validate(run, data_copy)
    assert only(payload, "ZL311")["message"] == "帮带社区六里社区与韩家脊社区不是同一类型的社区。"


def test_remediation_unknown_unit_and_measure(run, data_copy):
    f = data_copy / "remediation.yaml"
    edit(f, "unit: 区住建局", "unit: 区建设局")
    _, payload = validate(run, data_copy)
    unit = only(payload, "ZL302")
    assert (unit["line"], unit["message"]) == (line_of(f, "unit: 区建设局"), "帮扶记录的责任单位“区建设局”不在单位列表中。")
    edit(f, "measure: 领导联系包点\n    unit: 经济试验区", "measure: 结对帮扶\n    unit: 经济试验区")
    _, payload = validate(run, data_copy)
    measure = only(payload, "ZL372")
    assert (measure["line"], measure["column"]) == (line_of(f, "measure: 结对帮扶"), 14)
    assert measure["message"] == "帮扶措施“结对帮扶”没有在方案中声明。"
    assert measure["hint"] == ("声明的措施：领导联系包点、机关单位结对、先进社区帮带、选派第一书记；"
                               "其他措施先加到 types.yaml 的 vocabularies.measures。")


def test_remediation_required_partner_or_unit_and_dates(run, data_copy):
    f = data_copy / "remediation.yaml"
    edit(f, "    partner: liduci\n", "")
    edit(f, "    unit: 区委组织部\n", "")
    edit(f, "    start: 2022-01-10\n    end: 2022-11-30\n  - community: youxianguan",
         "    start: 2022-01-10\n    end: 2021-11-30\n  - community: youxianguan")
    _, payload = validate(run, data_copy)
    missing = sorted((d["line"], d["message"]) for d in payload["errors"] if d["code"] == "ZL202")
    assert missing == [
        (line_of(f, "- community: hanjiaji"), "措施为先进社区帮带时要写 partner（帮带的先进社区 id）。"),
        (line_of(f, "- community: youxianguan"), "措施为选派第一书记时要写 unit（责任单位）。"),
    ]
    dates = only(payload, "ZL402")
    assert dates["line"] == line_of(f, "end: 2021-11-30")
    assert dates["message"] == "帮扶记录的结束日期 2021-11-30 早于开始日期 2022-01-10。"


def test_remediation_year_without_evaluations(run, data_copy):
    f = data_copy / "remediation.yaml"
    edit(f, "community: hanjiaji\n    year: 2021", "community: hanjiaji\n    year: 2019")
    _, payload = validate(run, data_copy)
    d = only(payload, "ZL311")
    assert d["line"] == line_of(f, "year: 2019")
    assert d["message"] == "没有 2019 年的评议数据，无法确认韩家脊社区是该年的后进社区。"


def test_data_without_evaluations_still_validates_and_rank_says_so(run, data_copy):
    shutil.rmtree(data_copy / "evaluations")
    (data_copy / "remediation.yaml").unlink()
    assert run("validate", "--data", data_copy).exit_code == 0
    result = run("rank", "--data", data_copy, "--year", "2021")
    assert result.exit_code == 2
    assert "没有 2021 年的评议数据" in result.output
    assert "在数据目录的 evaluations/ 中按年度添加评议文件" in result.output


def test_remediation_unknown_communities(run, data_copy):
    f = data_copy / "remediation.yaml"
    edit(f, "community: youxianguan", "community: 游仙观")
    edit(f, "partner: liduci", "partner: lidu")
    _, payload = validate(run, data_copy)
    found = sorted((d["line"], d["message"], d["hint"]) for d in payload["errors"] if d["code"] == "ZL305")
    assert found == [
        (line_of(f, "partner: lidu"), "帮带社区“lidu”不在社区台账中。", "您是否要找：liduci、liuli、wuliduilu？"),
        (line_of(f, "community: 游仙观"), "帮扶记录中的社区“游仙观”不在社区台账中。", "这里要写社区 id：游仙观社区的 id 是 youxianguan。"),
    ]


def test_evaluation_record_overrides_evaluator_and_date(run, data_copy):
    f = data_copy / "evaluations" / "2022.yaml"
    edit(f, "    district_review: 90\n", "    district_review: 90\n    evaluator: 区委组织部\n    date: 2022-11-28\n")
    data = json.loads(run("rank", "--data", data_copy, "--year", "2022", "--format", "json").stdout)
    sanglin = next(c for g in data for c in g["communities"] if c["id"] == "sanglin")
    assert (sanglin["evaluator"], sanglin["date"]) == ("区委组织部", "2022-11-28")
