"""Evaluation stages declared in types.yaml `evaluation:` (issue 15): other stages and labels, a selection
(入选/未入选) or grades instead of scores, quotas as shares, and the errors of a wrong declaration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import edit

SELECTION = """evaluation:
  method: selection
  stages:
    - {id: county, label: 县级申报}
    - {id: city, label: 市级把关}
    - {id: province, label: 省级审核}
  years: []
"""

GRADES = """evaluation:
  method: grades
  stages:
    - {id: town, label: 镇级初评}
    - {id: county, label: 县级评定}
  grades: [优秀, 合格, 不合格]
  years: []
"""


def line_of(path: Path, text: str, after: str | None = None) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if after in l) if after else 0
    return next(i for i, l in enumerate(lines) if i >= start and text in l) + 1


def declare(data: Path, evaluation: str, records: str) -> None:
    """Replace the scheme's evaluation by `evaluation`, and the evaluation files by one 2021 file."""
    types = data / "types.yaml"
    text = types.read_text(encoding="utf-8")
    start = text.index("\nevaluation:") + 1
    end = text.index("  years: []\n", start) + len("  years: []\n")
    types.write_text(text[:start] + evaluation + text[end:], encoding="utf-8")
    (data / "remediation.yaml").unlink()  # no 先进/后进 to help
    (data / "evaluations" / "2022.yaml").unlink()
    (data / "evaluations" / "2021.yaml").write_text("year: 2021\nevaluator: 示意评议机构\nevaluations:\n" + records,
                                                    encoding="utf-8")


def validate(run, data: Path) -> tuple[int, dict]:
    result = run("validate", "--data", data, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def errors(payload: dict, code: str) -> list[dict]:
    return [d for d in payload["errors"] if d["code"] == code]


SELECTED = """  - {community: sanglin, county: 是, city: 是, province: 是}
  - {community: wuliduilu, county: 是, city: 否}
  - {community: mianshanlu, county: 是}
  - community: hanjiaji
    county: 是
    city: 是
    province: 是
    vetoes:
      - {item: 发生重大安全事故, reason: 示意}
"""


@pytest.fixture
def selection(data_copy: Path) -> Path:
    declare(data_copy, SELECTION, SELECTED)
    return data_copy


def test_selection_results_in_json(run, selection):
    result = run("rank", "--data", selection, "--year", "2021", "--type", "商品住宅", "--format", "json")
    assert result.exit_code == 0, result.output
    [group] = json.loads(result.stdout)
    assert group["method"] == "selection"
    assert group["stages"] == [{"id": "county", "label": "县级申报", "weight": None},
                               {"id": "city", "label": "市级把关", "weight": None},
                               {"id": "province", "label": "省级审核", "weight": None}]
    rows = {c["id"]: c for c in group["communities"]}
    assert (rows["sanglin"]["result"], rows["sanglin"]["result_label"], rows["sanglin"]["status"]) == \
        ("selected", "入选", "decided")
    assert rows["sanglin"]["scores"] == {"county": "是", "city": "是", "province": "是"}
    assert (rows["wuliduilu"]["result"], rows["wuliduilu"]["result_label"]) == ("not_selected", "未入选")
    assert (rows["mianshanlu"]["result"], rows["mianshanlu"]["status"]) == (None, "unrated")
    assert (rows["hanjiaji"]["result"], rows["hanjiaji"]["veto"]) == ("not_selected", True)
    # no composite, no rank, no 先进/后进
    assert all(c["score"] is None and c["rank"] is None and c["designation"] is None for c in group["communities"])
    assert "绵山路社区的 2021 年评议不完整（缺少市级把关、省级审核），列为未评。" in group["warnings"]
    assert "韩家脊社区有一票否决事项（发生重大安全事故），评为未入选。" in group["warnings"]


def test_selection_table_has_the_declared_labels(run, selection):
    result = run("rank", "--data", selection, "--year", "2021", "--type", "商品住宅")
    assert result.exit_code == 0
    header = next(line for line in result.stdout.splitlines() if "社区" in line and "县级申报" in line)
    assert header.split() == ["社区", "街道", "县级申报", "市级把关", "省级审核", "评定结果"]
    assert "2021 年商品住宅型社区评定结果" in result.stdout
    assert "入选" in result.stdout and "未入选（否决）" in result.stdout


def test_selection_validates_with_a_warning_after_no(run, selection):
    code, payload = validate(run, selection)
    assert code == 0, payload["errors"]
    f = selection / "evaluations" / "2021.yaml"
    gaps = [w for w in payload["warnings"] if w["code"] == "ZL401" and w["line"] == line_of(f, "mianshanlu")]
    assert [w["message"] for w in gaps] == ["绵山路社区的 2021 年评议缺少市级把关、省级审核，评定时列为未评。"]
    # after a 否 the later stages are not awaited
    assert not [w for w in payload["warnings"] if w["line"] == line_of(f, "wuliduilu")]


def test_selection_report_and_history(run, selection):
    html = run("report", "--data", selection, "--year", "2021", "--as-of", "2021-12-31").stdout
    assert "二、2021 年度评定（入选）" in html
    assert "各社区依次经过县级申报、市级把关、省级审核" in html
    assert "<th>省级审核</th>" in html and "综合得分" not in html
    history = json.loads(run("history", "桑林社区", "--data", selection, "--format", "json").stdout)
    year = history["years"][0]
    assert (year["result"], year["result_label"], year["scores"]["province"]) == ("selected", "入选", "是")


def test_selection_answers_the_same_from_the_cache(run, selection):
    args = ("rank", "--data", selection, "--year", "2021", "--format", "json")
    full = run(*args, env={"ZHILI_NO_CACHE": "1"})
    first, cached = run(*args), run(*args)  # the second one reads the cache the first wrote
    assert full.stdout == first.stdout == cached.stdout
    assert '"province": "是"' in cached.stdout


def test_selection_value_must_be_yes_or_no(run, selection):
    f = selection / "evaluations" / "2021.yaml"
    edit(f, "city: 否}", "city: 可以}")
    code, payload = validate(run, selection)
    assert code == 1
    [d] = errors(payload, "ZL336")
    assert (d["line"], d["column"]) == (line_of(f, "city: 可以"), line_of_column(f, "可以"))
    assert d["message"] == "市级把关（city）的结果应为 是 或 否，这里是“可以”。"
    assert d["hint"] == "入选写 是，未入选写 否（也可写 入选 / 未入选）；尚未评的阶段整行不写。"


def line_of_column(path: Path, text: str) -> int:
    line = next(l for l in path.read_text(encoding="utf-8").splitlines() if text in l)
    return line.index(text) + 1


# -- grades ---------------------------------------------------------------------------------------------


GRADED = """  - {community: sanglin, town: 优秀, county: 优秀}
  - {community: wuliduilu, town: 优秀, county: 合格}
  - {community: mianshanlu, town: 合格}
"""


def test_grades_final_is_the_last_stage(run, data_copy):
    declare(data_copy, GRADES, GRADED)
    result = run("rank", "--data", data_copy, "--year", "2021", "--type", "商品住宅", "--format", "json")
    assert result.exit_code == 0, result.output
    [group] = json.loads(result.stdout)
    rows = [(c["id"], c["result"], c["status"]) for c in group["communities"]][:3]
    assert rows == [("sanglin", "优秀", "decided"), ("wuliduilu", "合格", "decided"), ("mianshanlu", None, "unrated")]
    text = run("rank", "--data", data_copy, "--year", "2021", "--type", "商品住宅").stdout
    assert "镇级初评" in text and "县级评定" in text and "评定结果" in text


def test_grade_must_be_declared(run, data_copy):
    declare(data_copy, GRADES, GRADED)
    f = data_copy / "evaluations" / "2021.yaml"
    edit(f, "county: 合格}", "county: 良好}")
    code, payload = validate(run, data_copy)
    assert code == 1
    [d] = errors(payload, "ZL334")
    assert d["line"] == line_of(f, "county: 良好")
    assert d["message"] == "县级评定（county）的等次“良好”没有声明。"
    assert d["hint"] == "声明的等次：优秀、合格、不合格（types.yaml 的 evaluation.grades）。"


def test_grades_need_a_grades_list(run, data_copy):
    declare(data_copy, GRADES.replace("  grades: [优秀, 合格, 不合格]\n", ""), GRADED)
    code, payload = validate(run, data_copy)
    assert code == 1
    [d] = errors(payload, "ZL334")
    assert d["line"] == line_of(data_copy / "types.yaml", "evaluation:")
    assert d["message"] == "评议方式为等次（grades），但没有声明至少两个等次（grades）。"


# -- the declaration's errors (游仙's scored stages) -----------------------------------------------------------


def test_duplicate_stage_id(run, data_copy):
    f = data_copy / "types.yaml"
    edit(f, "{id: street_review, label: 街道初评", "{id: self_assessment, label: 街道初评")
    code, payload = validate(run, data_copy)
    assert code == 1
    [d] = errors(payload, "ZL331")
    assert (d["line"], d["column"]) == (line_of(f, "{id: self_assessment, label: 街道初评"), 12)
    assert d["message"] == "评议阶段 id“self_assessment”重复。"
    assert d["hint"] == "每个阶段的 id 必须唯一：评议记录以阶段 id 为键写结果。"


def test_unknown_stage_in_tie_break(run, data_copy):
    f = data_copy / "types.yaml"
    edit(f, "tie_break: [district_review, street_review, self_assessment]",
         "tie_break: [district_review, town_review, self_assessment]")
    code, payload = validate(run, data_copy)
    assert code == 1
    [d] = errors(payload, "ZL332")
    assert (d["line"], d["column"]) == (line_of(f, "tie_break:"), line_of_column(f, "town_review"))
    assert d["message"] == "同分比较顺序中的阶段“town_review”没有声明。"
    assert d["hint"] == ("已声明的阶段：self_assessment（社区自评）、street_review（街道初评）、"
                         "district_review（区级评议）。")


def test_undeclared_key_on_a_record(run, data_copy):
    f = data_copy / "evaluations" / "2021.yaml"
    edit(f, "  - community: sanglin\n    self_assessment: 95", "  - community: sanglin\n    self_assesment: 95")
    code, payload = validate(run, data_copy)
    assert code == 1
    [d] = errors(payload, "ZL332")
    assert (d["line"], d["column"]) == (line_of(f, "self_assesment: 95"), 5)
    assert d["message"] == "评议记录中的“self_assesment”不是已声明的评议阶段。"
    assert d["hint"] == ("已声明的阶段：self_assessment（社区自评）、street_review（街道初评）、district_review（区级评议）；"
                         "记录的其他字段：community、vetoes、evaluator、date、note。")
    # the ranking the remediation checks need cannot be computed: they are skipped, by name
    assert any("先进、后进身份的核对未进行" in s["message"] for s in payload["skipped"])


def test_scored_stage_needs_a_weight(run, data_copy):
    f = data_copy / "types.yaml"
    edit(f, "{id: self_assessment, label: 社区自评, weight: 0.2}", "{id: self_assessment, label: 社区自评}")
    code, payload = validate(run, data_copy)
    assert code == 1
    [d] = errors(payload, "ZL333")
    assert d["line"] == line_of(f, "{id: self_assessment, label: 社区自评}")
    assert d["message"] == "评议方式为打分（scores），阶段“社区自评”没有写权重 weight。"


def test_stage_id_cannot_be_a_record_field(run, data_copy):
    f = data_copy / "types.yaml"
    edit(f, "{id: self_assessment, label: 社区自评", "{id: note, label: 社区自评")
    _, payload = validate(run, data_copy)
    d = errors(payload, "ZL333")[0]
    assert d["line"] == line_of(f, "{id: note, label: 社区自评")
    assert d["message"] == "评议阶段 id“note”与评议记录的字段同名。"


def test_quota_must_be_a_count_or_a_share(run, data_copy):
    f = data_copy / "types.yaml"
    edit(f, "  advanced: 2\n  lagging: 2\n  small_types", "  advanced: 两个\n  lagging: 2\n  small_types")
    code, payload = validate(run, data_copy)
    assert code == 1
    [d] = errors(payload, "ZL335")
    assert (d["line"], d["column"]) == (line_of(f, "advanced: 两个"), 13)
    assert d["message"] == "“advanced”（每类评定的先进名额：整数为个数）：名额“两个”的写法不对：写个数（如 2）或比例（如 0.1 或 10%）。"
    assert d["hint"] == "个数写整数；比例写 0 到 1 之间的小数，或 0% 到 100% 的百分数（按参评社区数计算，向下取整）。"


def test_year_weights_must_name_every_declared_stage(run, data_copy):
    f = data_copy / "types.yaml"
    edit(f, "  years: []\n", "  years:\n    - year: 2022\n      weights: {self_assessment: 0.5, district_review: 0.6}\n", )
    code, payload = validate(run, data_copy)
    assert code == 1
    [d] = errors(payload, "ZL333")
    assert d["line"] == line_of(f, "weights: {self_assessment: 0.5")
    assert d["message"] == "2022 年的权重没有写全：缺少街道初评。"
    edit(f, "{self_assessment: 0.5, district_review: 0.6}", "{self_assessment: 0.5, street_review: 0.1, district_review: 0.6}")
    _, payload = validate(run, data_copy)
    [d] = errors(payload, "ZL330")
    assert d["message"] == "2022 年各评议阶段的权重之和应为 1，这里是 1.2。"


def test_vetoes_off_refuses_a_veto(run, data_copy):
    edit(data_copy / "types.yaml", "  vetoes: true\n", "  vetoes: false\n")
    code, payload = validate(run, data_copy)
    assert code == 1
    f = data_copy / "evaluations" / "2021.yaml"
    [d] = errors(payload, "ZL337")
    assert d["line"] == line_of(f, "vetoes:", after="community: xiaodao")
    assert d["message"] == "方案没有实行一票否决（evaluation.vetoes: false），记录不能写 vetoes。"


# -- quotas ----------------------------------------------------------------------------------------------------


def test_share_quota_rounds_down(run, data_copy):
    # 商品住宅型 has 7 ranked communities in 2021: 30% → 2 先进, 10% → 0 后进
    edit(data_copy / "types.yaml", "  advanced: 2\n  lagging: 2\n", "  advanced: 30%\n  lagging: 0.1\n")
    (data_copy / "remediation.yaml").unlink()  # its 后进 are 后进 no more
    result = run("rank", "--data", data_copy, "--year", "2021", "--type", "商品住宅", "--format", "json")
    [group] = json.loads(result.stdout)
    assert (group["advanced_quota"], group["lagging_quota"]) == (2, 0)
    assert [c["designation"] for c in group["communities"]].count("advanced") == 2


def test_small_types_none_fills_advanced_first(run, data_copy):
    # 单位集中型 has 3 ranked communities: half → 1 and 1; none → 2 先进, then 1 后进
    edit(data_copy / "types.yaml", "  small_types: half\n", "  small_types: none\n")
    result = run("rank", "--data", data_copy, "--year", "2021", "--type", "单位集中", "--format", "json")
    [group] = json.loads(result.stdout)
    assert (group["advanced_quota"], group["lagging_quota"]) == (2, 1)
    assert "本类型参加排队的社区只有 3 个，少于先进 2 个加后进 2 个：先评定先进，余下的评定后进，评定先进 2 个、后进 1 个。" \
        in group["warnings"]


def test_other_labels_and_tie_break_come_from_the_declaration(run, data_copy):
    f = data_copy / "types.yaml"
    edit(f, "label: 街道初评", "label: 区县初评")
    edit(f, "label: 区级评议", "label: 市级评议")
    edit(f, "tie_break: [district_review, street_review, self_assessment]", "tie_break: [self_assessment]")
    result = run("rank", "--data", data_copy, "--year", "2021", "--type", "商品住宅", "--format", "json")
    [group] = json.loads(result.stdout)
    assert [s["label"] for s in group["stages"]] == ["社区自评", "区县初评", "市级评议"]
    # 五里堆路 (自评 90) and 绵山路 (自评 94) share the composite 87.4: now 社区自评 decides
    assert "五里堆路社区与绵山路社区" not in " ".join(group["tie_breaks"])
    assert "绵山路社区与五里堆路社区综合得分相同（87.4），按社区自评（94 对 90）排定先后。" in group["tie_breaks"]
    text = run("rank", "--data", data_copy, "--year", "2021", "--type", "商品住宅").stdout
    assert "区县初评" in text and "市级评议" in text and "街道初评" not in text


def test_collect_stage_takes_a_declared_label(run, selection, tmp_path):
    out = tmp_path / "表"
    result = run("collect", "--data", selection, "-o", out, "--stage", "市级把关", "--year", "2021")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names and all(n.startswith("评分填报_2021_市级把关_") for n in names)
