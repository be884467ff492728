"""`zhili coverage` on the bundled 太仓 data, --check exit codes, and bad pilot/target/lead data."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import DATA, TAICANG, edit


@pytest.fixture
def taicang(tmp_path):
    target = tmp_path / "taicang"
    shutil.copytree(TAICANG, target)
    return target


def coverage(run, *args):
    result = run("coverage", "--data", TAICANG, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {r["unit"]: r for r in json.loads(result.stdout)}


def test_json_contract_per_town_and_street(run):
    rows = coverage(run, "--as-of", "2022-12-31")
    assert len(rows) == 12  # 6 镇、4 个功能区、2 个街道
    for r in rows.values():
        assert {"unit", "communities", "pilots", "share", "target", "meets"} <= set(r)
        assert r["as_of"] == "2022-12-31" and 0 <= r["target"] <= 1
        if r["communities"]:
            assert 0 <= r["share"] <= 1 and isinstance(r["meets"], bool)
    # 浏河镇: 4 communities, 1 pilot started by then (郑和村 2022-03-30; 闸北村 only from 2023-02-15)
    assert {k: rows["浏河镇"][k] for k in ("communities", "pilots", "share", "target", "meets")} == \
        {"communities": 4, "pilots": 1, "share": 0.25, "target": 0.3, "meets": False}
    assert rows["浏河镇"]["short_types"] == [{"type": "特色乡村", "pilots": 1, "required": 2}]
    # a unit with no communities has no share to judge: null, not 0.0 and "met" (the table says 没有登记社区)
    empty = rows["旅游度假区"]
    assert (empty["communities"], empty["share"], empty["meets"], empty["ok"]) == (0, None, None, True)


def test_target_in_force_switches_after_2022_12_31(run):
    assert coverage(run, "--as-of", "2022-12-31")["城厢镇"]["target"] == 0.3
    after = coverage(run, "--as-of", "2023-01-01")["城厢镇"]
    assert (after["target"], after["target_by"]) == (0.6, "2023-12-31")
    assert after["meets"] is False  # 2 of 5 pilots until 金色港湾社区 starts on 2023-03-01
    assert coverage(run, "--as-of", "2023-03-01")["城厢镇"]["meets"] is True  # 3 of 5 = exactly 60%


def test_table_shows_share_target_and_short_led_types(run):
    result = run("coverage", "--data", TAICANG, "--as-of", "2022-12-31")
    assert result.exit_code == 0
    line = next(l for l in result.output.splitlines() if l.strip().startswith("浏河镇"))
    assert "25%" in line and "≥30%" in line and "否" in line and "特色乡村（1/2）" in line
    assert "没有登记社区" in next(l for l in result.output.splitlines() if l.strip().startswith("旅游度假区"))
    assert "未达到覆盖目标：浏河镇。" in result.output
    assert "原文：2022年，各镇(区、街道)要按照不少于30%比例开始试点" in result.output


def test_check_exit_codes(run):
    failed = run("coverage", "--data", TAICANG, "--as-of", "2023-12-31", "--check")
    assert failed.exit_code == 1
    assert "试点覆盖未达标：浮桥镇（截至 2023-12-31）。" in failed.stderr
    # 城厢镇 meets 30% and has two 老街巷社区 pilots
    assert run("coverage", "--data", TAICANG, "--as-of", "2022-12-31", "--street", "城厢", "--check").exit_code == 0
    # 科教新城 meets 30% (1 of 2) but leads 普通商品房社区 with only 1 pilot: --check fails on that too
    short = run("coverage", "--data", TAICANG, "--as-of", "2022-12-31", "--street", "科教新城", "--check")
    assert short.exit_code == 1 and "科教新城" in short.stderr
    assert run("coverage", "--data", TAICANG, "--as-of", "2022-12-31", "--street", "城厢").exit_code == 0


def test_data_set_without_targets_says_so(run):
    result = run("coverage", "--data", DATA)
    assert result.exit_code == 2
    assert "该数据集没有声明目标" in result.stderr


def test_bad_as_of_is_a_usage_error(run):
    result = run("coverage", "--data", TAICANG, "--as-of", "2022/12/31")
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def diagnostics(run, path):
    result = run("validate", "--data", path, "--format", "json")
    assert result.exit_code == 1
    return json.loads(result.stdout)["errors"]


def line_of(path, text):
    return next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in l)


def test_unknown_led_type(run, taicang):
    edit(taicang / "units.yaml", "leads: [老街巷社区]", "leads: [老街区社区]")
    [err] = diagnostics(run, taicang)
    assert (err["code"], err["line"]) == ("ZL301", line_of(taicang / "units.yaml", "老街区社区"))
    assert err["message"] == "单位“城厢镇”牵头的类型“老街区社区”不存在。"
    assert err["hint"].startswith("您是否要找：老街巷社区")


def test_pilot_start_must_be_a_date(run, taicang):
    edit(taicang / "communities.yaml", "pilot_start: 2022-03-15", "pilot_start: 2022-3-15")
    [err] = diagnostics(run, taicang)
    assert (err["code"], err["line"]) == ("ZL206", line_of(taicang / "communities.yaml", "2022-3-15"))
    assert "“2022-3-15”不是有效的日期" in err["message"]


def test_target_share_is_a_ratio(run, taicang):
    edit(taicang / "types.yaml", "share: 0.3", "share: 30")
    [err] = diagnostics(run, taicang)
    assert (err["code"], err["line"]) == ("ZL351", line_of(taicang / "types.yaml", "share: 30"))
    assert err["message"] == "目标“pilot-2022”的比例 30 不在 0 到 1 之间。"


def test_targets_of_one_timeline_need_different_deadlines(run, taicang):
    edit(taicang / "types.yaml", "by: 2023-12-31", "by: 2022-12-31")
    [err] = diagnostics(run, taicang)
    assert (err["code"], err["line"]) == ("ZL402", line_of(taicang / "types.yaml", "by: 2022-12-31") + 9)
    assert err["message"] == "目标“pilot-2023”与目标“pilot-2022”的项目、范围和期限 2022-12-31 都相同。"


def test_targets_may_be_written_in_any_order(run, taicang):
    text = (taicang / "types.yaml").read_text(encoding="utf-8")
    first = text[text.index("  - id: pilot-2022"):text.index("  - id: pilot-2023")]
    second = text[text.index("  - id: pilot-2023"):text.index("categories:")]
    (taicang / "types.yaml").write_text(text.replace(first + second, second + first), encoding="utf-8")
    assert coverage_of(run, taicang, "2022-12-31")["浏河镇"]["target_id"] == "pilot-2022"
    assert coverage_of(run, taicang, "2023-01-01")["浏河镇"]["target_id"] == "pilot-2023"


def coverage_of(run, data, day):
    result = run("coverage", "--data", data, "--format", "json", "--as-of", day)
    assert result.exit_code == 0, result.output
    return {r["unit"]: r for r in json.loads(result.stdout)}


def test_led_type_without_enough_communities_warns(run, taicang):
    edit(taicang / "units.yaml", "leads: [老街巷社区]", "leads: [老街巷社区, 拆迁撤并村]")
    result = run("validate", "--data", taicang, "--format", "json")
    assert result.exit_code == 0
    [warn] = [w for w in json.loads(result.stdout)["warnings"] if w["code"] != "ZL360"]  # ZL360: task 2 names no lead
    assert (warn["code"], warn["line"]) == ("ZL402", line_of(taicang / "units.yaml", "拆迁撤并村]"))
    assert warn["message"] == "城厢镇牵头“拆迁撤并村”，但只登记了 0 个该类型的社区，达不到每个牵头类型至少 2 个试点社区的要求。"
