"""CLI tests for `zhili rank`: every option and format, on the bundled (illustrative) 2021/2022 evaluations."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import DATA


def groups(run, *args: str) -> list[dict]:
    result = run("rank", "--data", DATA, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_name(group: dict) -> dict[str, dict]:
    return {c["name"]: c for c in group["communities"]}


def test_json_contract_one_group_per_type(run):
    data = groups(run, "--year", "2021")
    assert [g["type"] for g in data] == ["商品住宅型社区", "老旧院落型社区", "国有企业改制型社区", "单位集中型社区", "城乡融合型社区"]
    assert sum(len(g["communities"]) for g in data) == 25
    for g in data:
        assert isinstance(g["warnings"], list)
        for c in g["communities"]:
            assert {"name", "street", "score", "rank", "designation", "veto"} <= set(c)
            assert c["designation"] in ("advanced", "lagging", None)
            assert isinstance(c["veto"], bool)
    first = data[0]["communities"][0]
    assert (first["name"], first["street"], first["score"], first["rank"], first["designation"]) == (
        "桑林社区", "经济试验区", 91.6, 1, "advanced")
    assert first["scores"] == {"self_assessment": 95.0, "street_review": 92.0, "district_review": 90.0}
    assert (first["evaluator"], first["date"]) == ("区委城乡基层治理委员会", "2021-11-26")  # the file's defaults


def test_bundled_2021_shows_veto_and_small_type(run):
    data = {g["type"]: g for g in groups(run, "--year", "2021")}
    old = by_name(data["老旧院落型社区"])
    assert old["小岛社区"]["rank"] == 1 and old["小岛社区"]["veto"] is True
    assert old["小岛社区"]["designation"] == "lagging"
    assert old["小岛社区"]["vetoes"][0]["item"] == "新增违法建设"
    unit = data["单位集中型社区"]
    assert [c["designation"] for c in unit["communities"]] == ["advanced", None, "lagging"]
    assert (unit["advanced_quota"], unit["lagging_quota"]) == (1, 1)
    assert any("只有 3 个" in w for w in unit["warnings"])


def test_bundled_2022_tie_and_change_against_previous_year(run):
    [commodity] = groups(run, "--year", "2022", "--type", "商品住宅")
    tied = [c for c in commodity["communities"] if c["tied"]]
    assert [(c["name"], c["rank"]) for c in tied] == [("绵山路社区", 4), ("沈家坝东街社区", 4)]
    assert any("并列第 4 名" in w and "评议委员会" in w for w in commodity["warnings"])
    hanjiaji = by_name(commodity)["韩家脊社区"]
    assert hanjiaji["previous"] == {"year": 2021, "rank": 6, "score": 80.7, "designation": "lagging"}
    assert hanjiaji["rank_change"] == 3


def test_table_per_type_with_chinese_columns(run):
    result = run("rank", "--data", DATA, "--year", "2022", "--type", "commodity-housing")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "2022 年商品住宅型社区排队（先进 2 个、后进 2 个）"
    header = next(l for l in lines if "名次" in l)
    assert header.split() == ["名次", "社区", "街道", "社区自评", "街道初评", "区级评议", "综合", "评定", "较上年"]
    row = next(l for l in lines if "韩家脊社区" in l)
    assert row.split() == ["3", "韩家脊社区", "涪江街道", "92", "89", "88", "89.1", "—", "↑3（上年后进）"]
    assert "4（并列）" in next(l for l in lines if "绵山路社区" in l)
    assert "商品住宅型社区：绵山路社区、沈家坝东街社区的综合得分" in result.output


def test_table_shows_veto_and_tie_break_note(run):
    out = run("rank", "--data", DATA, "--year", "2021").output
    assert "后进（否决）" in next(l for l in out.splitlines() if "小岛社区" in l)
    assert "五里堆路社区与绵山路社区综合得分相同（87.4），按区级评议（86 对 85）排定先后。" in out


def test_csv_is_one_flat_table(run):
    out = run("rank", "--data", DATA, "--year", "2021", "--format", "csv").output
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(rows) == 25
    assert list(rows[0]) == ["社区类型", "名次", "社区", "街道", "社区自评", "街道初评", "区级评议", "综合", "评定", "较上年"]
    xiaodao = next(r for r in rows if r["社区"] == "小岛社区")
    assert (xiaodao["社区类型"], xiaodao["名次"], xiaodao["综合"], xiaodao["评定"]) == ("老旧院落型社区", "1", "88.9", "后进（否决）")


def test_markdown_has_a_table_per_type(run):
    out = run("rank", "--data", DATA, "--year", "2021", "--format", "markdown").output
    assert out.count("| 名次 | 社区 | 街道 |") == 5
    assert "### 2021 年单位集中型社区排队（先进 1 个、后进 1 个）" in out
    assert "> 单位集中型社区：本类型参加排队的社区只有 3 个" in out


def test_xlsx_written_to_file(run, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "rank.xlsx"
    result = run("rank", "--data", DATA, "--year", "2021", "-o", target)
    assert result.exit_code == 0, result.output
    ws = load_workbook(target).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][:3] == ["社区类型", "名次", "社区"]
    assert len(values) == 26


def test_compare_table_and_json(run):
    result = run("rank", "--data", DATA, "--year", "2022", "--compare", "2021")
    assert result.exit_code == 0
    out = result.output
    assert "2021 年后进社区在 2022 年的变化（9 个）" in out
    row = next(l for l in out.splitlines() if "韩家脊社区" in l and "晋位升级" in l)
    assert "先进社区帮带（李杜祠社区，2022-01-10 至 2022-11-30）" in row
    assert "仍为后进" in next(l for l in out.splitlines() if "游仙观社区" in l and "选派第一书记" in l)
    data = {g["type"]: g for g in groups(run, "--year", "2022", "--compare", "2021")}
    moves = {m["name"]: m for m in data["商品住宅型社区"]["compare"]["lagging"]}
    assert data["商品住宅型社区"]["compare"]["year"] == 2021
    assert set(moves) == {"韩家脊社区", "游仙观社区"}
    assert (moves["韩家脊社区"]["status"], moves["韩家脊社区"]["base_rank"], moves["韩家脊社区"]["rank"]) == ("moved_up", 6, 3)
    assert moves["韩家脊社区"]["measures"][0]["measure"] == "先进社区帮带"
    assert moves["游仙观社区"]["status"] == "still_lagging"
    old = {m["name"]: m for m in data["老旧院落型社区"]["compare"]["lagging"]}
    assert old["小岛社区"]["status"] == "moved_up" and old["小岛社区"]["designation"] == "advanced"


def test_compare_csv_is_the_movement_table(run):
    out = run("rank", "--data", DATA, "--year", "2022", "--compare", "2021", "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(rows) == 9
    assert {r["变化"] for r in rows} == {"晋位升级", "仍为后进"}
    assert list(rows[0])[:5] == ["社区类型", "社区", "街道", "2021 年名次", "2022 年名次"]


def test_pairs_table_and_json(run):
    out = run("rank", "--data", DATA, "--year", "2021", "--pairs").output
    assert "2021 年帮带建议（9 对）" in out
    row = next(l for l in out.splitlines() if l.split()[:2] == ["城乡融合型社区", "吴家社区"])
    assert "芙蓉社区（游仙街道）" in row and "是" in row.split()
    data = {g["type"]: g for g in groups(run, "--year", "2021", "--pairs")}
    soe = {p["lagging"]: p for p in data["国有企业改制型社区"]["pairs"]}
    assert soe["仙人路社区"]["advanced"] == "五八社区" and soe["仙人路社区"]["same_street"] is True
    assert soe["游仙路社区"]["advanced"] == "东材社区" and soe["游仙路社区"]["same_street"] is False
    assert soe["仙人路社区"]["recorded"] == ["五八社区"]


def test_pairs_csv(run):
    out = run("rank", "--data", DATA, "--year", "2021", "--pairs", "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [r["后进社区"] for r in rows if r["社区类型"] == "单位集中型社区"] == ["剑南路东段社区"]


def test_compare_and_pairs_together(run):
    data = groups(run, "--year", "2022", "--compare", "2021", "--pairs")
    assert all("compare" in g and "pairs" in g for g in data)
    result = run("rank", "--data", DATA, "--year", "2022", "--compare", "2021", "--pairs", "--format", "csv")
    assert result.exit_code == 2
    assert "csv/xlsx 只能写一张表" in result.output


def test_year_without_data_exits_2(run):
    result = run("rank", "--data", DATA, "--year", "2023")
    assert result.exit_code == 2
    assert "错误：没有 2023 年的评议数据" in result.stderr
    assert "已有评议数据的年度：2021、2022" in result.stderr
    assert result.stdout == ""
    assert run("rank", "--data", DATA, "--year", "2022", "--compare", "2019").exit_code == 2


@pytest.mark.parametrize("args, message", [
    ((), "请用 --year 指定评议年度，如 --year 2021。"),
    (("--year", "二〇二一"), "“二〇二一”不是年度：写四位阿拉伯数字，如 2021。"),
    (("--year", "2022", "--compare", "21"), "“21”不是年度"),
    (("--year", "2021", "--type", "不存在"), "没有名为“不存在”的社区类型"),
    (("--year", "2021", "--compare", "2021"), "--compare 的年度 2021 与 --year 相同"),
])
def test_usage_errors_exit_2(run, args, message):
    result = run("rank", "--data", DATA, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_output_file_refuses_to_overwrite(run, tmp_path):
    target = tmp_path / "rank.json"
    assert run("rank", "--data", DATA, "--year", "2021", "-o", target).exit_code == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 5
    assert run("rank", "--data", DATA, "--year", "2021", "-o", target).exit_code == 2
    assert run("rank", "--data", DATA, "--year", "2022", "-o", target, "--force").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))[0]["year"] == 2022
