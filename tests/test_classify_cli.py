"""`zhili classify`: listing, filters, formats, --explain and --check."""

from __future__ import annotations

import csv
import io
import json

from conftest import DATA, edit

CONTRACT = {"id", "name", "recorded", "computed", "status", "reason"}


def listing(run, data, *args):
    result = run("classify", "--data", data, "--format", "json", *args)
    return result, json.loads(result.stdout)


def test_bundled_communities_all_classify_as_recorded(run):
    result, rows = listing(run, DATA)
    assert result.exit_code == 0
    assert len(rows) == 25
    assert all(CONTRACT <= set(r) for r in rows)
    assert {r["status"] for r in rows} == {"consistent"}
    assert all(r["computed"] == r["recorded"] for r in rows)
    counts = {}
    for r in rows:
        counts[r["computed"]] = counts.get(r["computed"], 0) + 1
    assert counts == {"商品住宅型社区": 7, "老旧院落型社区": 5, "国有企业改制型社区": 4, "单位集中型社区": 3, "城乡融合型社区": 6}


def test_table_has_chinese_headers_reasons_and_a_summary(run):
    result = run("classify", "--data", DATA, "--street", "游仙街道")
    assert result.exit_code == 0
    out = result.output
    for header in ("标识", "社区", "登记类型", "计算类型", "状态", "原因"):
        assert header in out
    assert "社区分类核对（4 个）" in out
    assert "社区来源：村改居" in out
    assert "合计：一致（consistent）4 个。" in out


def test_filters_by_street_and_type(run):
    _, rows = listing(run, DATA, "--street", "富乐街道")
    assert [r["id"] for r in rows] == ["liduci", "shenjiaba-dongjie", "xianrenlu", "wuba", "jiannanlu-dongduan",
                                       "shenjiaba-beijie"]
    _, rows = listing(run, DATA, "--type", "老旧院落")
    assert [r["id"] for r in rows] == ["liuli", "hancheng", "xiaodao", "kaiyuanlu", "kaiyuanlu-zhongjie"]
    bad = run("classify", "--data", DATA, "--type", "老小区")
    assert bad.exit_code == 2


def test_reclassification_candidate_is_a_mismatch_and_fails_check(run, data_copy):
    edit(data_copy / "communities.yaml", "      soe_staff_share: 0.83\n", "      soe_staff_share: 0.3\n")
    result, rows = listing(run, data_copy)
    assert result.exit_code == 0  # without --check the listing succeeds
    dongcai = next(r for r in rows if r["id"] == "dongcai")
    assert (dongcai["recorded"], dongcai["computed"], dongcai["status"]) == ("国有企业改制型社区", "老旧院落型社区", "mismatch")
    assert dongcai["reason"].startswith("登记为国有企业改制型社区，规则计算为老旧院落型社区：主要住房建成年份 1988 年 ≤ 2000 年")
    assert sum(r["status"] == "mismatch" for r in rows) == 1
    checked = run("classify", "--data", data_copy, "--check")
    assert checked.exit_code == 1
    assert "分类核对未通过：1 个社区的状态不是“一致”。" in checked.stderr
    assert "与登记不符" in checked.stdout


def test_check_passes_on_bundled_data(run):
    result = run("classify", "--data", DATA, "--check")
    assert result.exit_code == 0
    assert "分类核对未通过" not in result.output


def test_missing_attribute_is_named(run, data_copy):
    edit(data_copy / "communities.yaml", "      soe_functions_transferred: true\n", "")  # the first is 游仙路社区
    result, rows = listing(run, data_copy, "--check")
    assert result.exit_code == 1
    row = next(r for r in rows if r["id"] == "youxianlu")
    assert (row["status"], row["computed"], row["missing"]) == ("missing-data", None, ["soe_functions_transferred"])
    assert row["reason"] == "缺少属性：国有企业办社会职能已移交（soe_functions_transferred），无法判断"


NEW_COMMUNITY = """
  - id: xinjian
    name: 新建社区
    street: 游仙街道
    attributes:
      commodity_housing_share: 0.9
      main_build_year: 2018
      soe_functions_transferred: false
      institution_count: 3
      origin: 城市新建
      urban_fringe: false
"""


def test_community_without_recorded_type_gets_a_proposal(run, data_copy):
    with (data_copy / "communities.yaml").open("a", encoding="utf-8") as f:
        f.write(NEW_COMMUNITY)
    _, rows = listing(run, data_copy)
    row = rows[-1]
    assert (row["name"], row["recorded"], row["computed"], row["status"]) == ("新建社区", None, "商品住宅型社区", "mismatch")
    assert row["reason"] == "尚未登记类型，建议登记为商品住宅型社区：商品住宅占比 0.9 ≥ 0.5"


def test_explain_shows_every_condition_value_threshold_and_the_deciding_step(run):
    result = run("classify", "--data", DATA, "--explain", "东材社区")
    assert result.exit_code == 0
    out = result.output
    assert out.index("国有企业改制型社区（优先顺序第 1 位）：成立") < out.index("商品住宅型社区（优先顺序第 5 位）：不成立")
    assert "老旧院落型社区（优先顺序第 4 位）：成立" in out
    line = next(l for l in out.splitlines() if "原国企职工及家属占比（soe_staff_share）" in l)
    assert "0.83" in line and "≥ 0.5" in line and "成立" in line and "假设：" in line
    line = next(l for l in out.splitlines() if "驻区机关和企事业单位数（institution_count）" in l)
    assert "4 个" in line and "≥ 15 个" in line and "不成立" in line
    assert ("决定：“国有企业改制型社区”、“老旧院落型社区”的规则都成立；按优先顺序（国有企业改制型社区第 1 位、"
            "老旧院落型社区第 4 位）取“国有企业改制型社区”。") in out
    assert "状态：一致（consistent）" in out


def test_explain_json_by_id(run):
    result = run("classify", "--data", DATA, "--explain", "minan", "--format", "json")
    data = json.loads(result.stdout)
    assert CONTRACT <= set(data)
    assert (data["name"], data["status"], data["computed"]) == ("民安社区", "consistent", "城乡融合型社区")
    assert [t["precedence"] for t in data["types"]] == [1, 2, 3, 4, 5]
    urban_rural = next(t for t in data["types"] if t["id"] == "urban-rural")
    assert urban_rural["matched"] is True
    first = urban_rural["rule"]["children"][0]
    assert (first["attribute"], first["actual"], first["requirement"], first["result"]) == \
        ("origin", "村改居", "属于 村改居、拆迁安置", True)
    assert first["source"].startswith("方案二（五）")
    assert data["decision"] == "只有“城乡融合型社区”的规则成立。"


def test_explain_unknown_community_is_a_usage_error(run):
    result = run("classify", "--data", DATA, "--explain", "东才社区")
    assert result.exit_code == 2
    assert "您是否要找" in result.stderr


def test_explain_refuses_listing_filters(run):
    result = run("classify", "--data", DATA, "--explain", "东材社区", "--street", "涪江街道")
    assert result.exit_code == 2
    assert "--explain 只解释一个社区，不能与 --type、--street、--value 同时使用。" in result.stderr


def test_explain_with_check_follows_that_community(run, data_copy):
    assert run("classify", "--data", DATA, "--explain", "东材社区", "--check").exit_code == 0
    edit(data_copy / "communities.yaml", "      soe_staff_share: 0.83\n", "      soe_staff_share: 0.3\n")
    result = run("classify", "--data", data_copy, "--explain", "东材社区", "--check")
    assert result.exit_code == 1
    assert "状态：与登记不符（mismatch）" in result.stdout


def test_csv_and_markdown(run):
    result = run("classify", "--data", DATA, "--type", "单位集中型社区", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0] == ["标识", "社区", "街道", "登记类型", "计算类型", "状态", "原因"]
    assert [r[0] for r in rows[1:]] == ["hanxianqiao", "jiannanlu-dongduan", "zhipinglu"]
    assert all(r[5] == "一致" for r in rows[1:])
    md = run("classify", "--data", DATA, "--explain", "治平路社区", "--format", "markdown").stdout
    assert "### 单位集中型社区（优先顺序第 3 位）：成立" in md
    assert "| 条件 | 实际值 | 要求 | 结果 | 依据 |" in md
    flat = run("classify", "--data", DATA, "--explain", "治平路社区", "--format", "csv").stdout
    assert flat.lstrip("\ufeff").startswith("类型,条件,实际值,要求,结果,依据")


def test_help_is_chinese_with_examples(run):
    result = run("classify", "--help")
    assert result.exit_code == 0
    assert "示例：" in result.output and "zhili classify --explain" in result.output
    assert "--check" in result.output
