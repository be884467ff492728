"""`--level` on communities, classify, tasks, coverage and report: grouping and totals by the units of a
declared level, on both bundled data sets and on a three-level copy of 游仙's data (市 → 区 → 街道)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import DATA, TAICANG, edit


def as_json(run, *args) -> object:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def three_levels(data_copy: Path) -> Path:
    """游仙's data with a city above the district, a second (empty) district, and task 1 also led by the city,
    with cascade: true."""
    edit(data_copy / "types.yaml", "levels:\n  - {id: district, name: 区}\n",
         "levels:\n  - {id: city, name: 市}\n  - {id: district, name: 区}\n")
    edit(data_copy / "units.yaml", "  - name: 游仙区\n    kind: 区\n    level: district\n",
         "  - name: 绵阳市\n    kind: 市\n    level: city\n    aliases: []\n"
         "  - name: 涪城区\n    kind: 区\n    level: district\n    parent: 绵阳市\n    aliases: []\n"
         "  - name: 游仙区\n    kind: 区\n    level: district\n    parent: 绵阳市\n")
    edit(data_copy / "types.yaml", "  unit_kinds: [党委部门,", "  unit_kinds: [市, 党委部门,")
    edit(data_copy / "tasks.yaml", "    lead: [区委组织部, 区民政局]\n    support: [经济试验区, 各街道]\n",
         "    lead: [区委组织部, 区民政局, 绵阳市]\n    support: [经济试验区, 各街道]\n    cascade: true\n")
    return data_copy


def test_the_three_level_fixture_is_valid(three_levels, run):
    result = run("validate", "--data", three_levels)
    assert result.exit_code == 0, result.output


# -- communities ---------------------------------------------------------------------------------

def test_communities_by_district_on_youxian(run):
    data = as_json(run, "communities", "--data", DATA, "--level", "区")
    assert data["level"] == "district" and data["level_name"] == "区"
    assert [(t["unit"], t["communities"]) for t in data["totals"]] == [("游仙区", 25)]
    assert len(data["communities"]) == 25
    assert {r["level_unit"] for r in data["communities"]} == {"游仙区"}
    assert all(r["street"] and r["type"] for r in data["communities"])  # the fields without --level stay


def test_communities_by_street_total_the_streets(run):
    data = as_json(run, "communities", "--data", DATA, "--level", "street")
    plain = as_json(run, "communities", "--data", DATA)
    expected = Counter(r["street"] for r in plain)
    assert {t["unit"]: t["communities"] for t in data["totals"]} == dict(expected)
    assert sum(t["communities"] for t in data["totals"]) == 25
    # rows come grouped by the unit of the level
    units = [r["level_unit"] for r in data["communities"]]
    assert units == sorted(units, key=[t["unit"] for t in data["totals"]].index)


def test_communities_by_town_on_taicang(run):
    data = as_json(run, "communities", "--data", TAICANG, "--level", "镇(区、街道)")
    totals = {t["unit"]: t["communities"] for t in data["totals"]}
    assert totals["城厢镇"] == 5 and totals["沙溪镇"] == 5 and totals["浏河镇"] == 4
    assert sum(totals.values()) == 40
    city = as_json(run, "communities", "--data", TAICANG, "--level", "市")
    assert [(t["unit"], t["communities"]) for t in city["totals"]] == [("太仓市", 40)]


def test_communities_table_uses_the_level_name(run):
    result = run("communities", "--data", DATA, "--level", "district")
    assert result.exit_code == 0, result.output
    assert "按区合计" in result.stdout and "游仙区       25" in result.stdout


def test_communities_csv_has_the_level_column(run):
    result = run("communities", "--data", TAICANG, "--level", "town", "--format", "csv")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    assert "镇(区、街道)" in header


def test_communities_three_levels(three_levels, run):
    city = as_json(run, "communities", "--data", three_levels, "--level", "市")
    assert [(t["unit"], t["communities"]) for t in city["totals"]] == [("绵阳市", 25)]
    district = as_json(run, "communities", "--data", three_levels, "--level", "区")
    assert [(t["unit"], t["communities"]) for t in district["totals"]] == [("涪城区", 0), ("游仙区", 25)]
    within = as_json(run, "communities", "--data", three_levels, "--level", "区", "--unit", "绵阳市")
    assert len(within["communities"]) == 25


# -- classify ------------------------------------------------------------------------------------

def test_classify_by_street_counts_statuses(run):
    data = as_json(run, "classify", "--data", DATA, "--level", "街道")
    plain = as_json(run, "classify", "--data", DATA)
    per_street = Counter(r["street"] for r in plain)
    assert {t["unit"]: t["communities"] for t in data["totals"]} == dict(per_street)
    assert all(t["consistent"] == t["communities"] for t in data["totals"])  # 游仙's data classify consistently
    assert all(r["level"] == "street" and r["level_unit"] == r["street"] for r in data["communities"])


def test_classify_by_city_on_taicang(run):
    data = as_json(run, "classify", "--data", TAICANG, "--level", "city")
    (total,) = data["totals"]
    plain = as_json(run, "classify", "--data", TAICANG)
    statuses = Counter(r["status"] for r in plain)
    assert total["unit"] == "太仓市" and total["communities"] == 40
    assert {s: total[s] for s in statuses} == dict(statuses)


def test_classify_table_total_line(run):
    result = run("classify", "--data", DATA, "--level", "区")
    assert result.exit_code == 0, result.output
    assert "按区合计" in result.stdout


# -- tasks ---------------------------------------------------------------------------------------

def unit_count(run, data, unit) -> Counter:
    rows = as_json(run, "tasks", "--data", data, "--unit", unit, "--as-of", "2021-12-31")
    return Counter(r["status"] for r in rows)


def test_tasks_by_street_are_those_of_tasks_unit(run):
    rows = as_json(run, "tasks", "--data", DATA, "--level", "街道", "--as-of", "2021-12-31")
    assert [r["unit"] for r in rows] == ["经济试验区", "涪江街道", "富乐街道", "游仙街道"]
    for r in rows:
        expected = unit_count(run, DATA, r["unit"])
        assert r["tasks"] == sum(expected.values()) == 24
        assert {s: r[s] for s in expected} == dict(expected)
        assert r["overdue"] == 2 and r["ongoing"] == 22


def test_tasks_three_levels_cascade(three_levels, run):
    rows = as_json(run, "tasks", "--data", three_levels, "--level", "区", "--as-of", "2021-12-31")
    by_unit = {r["unit"]: r for r in rows}
    assert by_unit["涪城区"]["tasks"] == 1 and by_unit["游仙区"]["tasks"] == 1  # task 1 cascades from 绵阳市
    city = as_json(run, "tasks", "--data", three_levels, "--level", "市", "--as-of", "2021-12-31")
    assert [(r["unit"], r["tasks"]) for r in city] == [("绵阳市", 1)]
    streets = as_json(run, "tasks", "--data", three_levels, "--level", "街道", "--as-of", "2021-12-31")
    for r in streets:
        assert r["tasks"] == sum(unit_count(run, three_levels, r["unit"]).values())


def test_tasks_by_town_on_taicang(run):
    rows = as_json(run, "tasks", "--data", TAICANG, "--level", "town", "--as-of", "2023-12-31")
    assert len(rows) == 12
    first = rows[0]
    expected = unit_count(run, TAICANG, first["unit"])
    assert first["tasks"] == sum(expected.values()) > 0


def test_tasks_level_table(run):
    result = run("tasks", "--data", DATA, "--level", "street", "--as-of", "2021-12-31")
    assert result.exit_code == 0, result.output
    assert "按街道合计的任务状态" in result.stdout and "逾期" in result.stdout


# -- coverage ------------------------------------------------------------------------------------

def test_coverage_by_city_on_taicang(run):
    data = as_json(run, "coverage", "--data", TAICANG, "--level", "市", "--as-of", "2022-12-31")
    plain = as_json(run, "coverage", "--data", TAICANG, "--as-of", "2022-12-31")
    assert data["targets"] == plain  # today's output, unchanged, under `targets`
    (row,) = data["level_totals"]
    assert (row["unit"], row["communities"], row["members"], row["share"]) == ("太仓市", 40, 19, 0.475)
    assert data["level"] == "city"


def test_coverage_by_town_matches_the_each_target(run):
    data = as_json(run, "coverage", "--data", TAICANG, "--level", "town", "--as-of", "2023-12-31")
    each = {r["unit"]: r for r in data["targets"] if r.get("unit")}
    totals = [r for r in data["level_totals"] if r["scope"] == "each"]
    assert len(totals) == 12
    for t in totals:
        assert (t["communities"], t["members"]) == (each[t["unit"]]["communities"], each[t["unit"]]["members"])


def test_coverage_aggregates_an_each_target_of_a_lower_level(run):
    """太仓's targets count each 镇(区、街道); by 市 they add up."""
    data = as_json(run, "coverage", "--data", TAICANG, "--level", "city", "--as-of", "2023-12-31")
    each = [r for r in data["targets"] if r["scope"] == "each"]
    (total,) = [r for r in data["level_totals"] if r["scope"] == "each"]
    assert total["members"] == sum(r["members"] for r in each) == 28
    assert total["communities"] == sum(r["communities"] for r in each) == 40


def test_coverage_level_table(run):
    result = run("coverage", "--data", TAICANG, "--level", "市", "--as-of", "2022-12-31")
    assert result.exit_code == 0, result.output
    assert "按市合计的参加社区" in result.stdout and "47.5%" in result.stdout


# -- report --------------------------------------------------------------------------------------

def test_report_counts_communities_per_street(run):
    result = run("report", "--data", DATA, "--year", "2021", "--as-of", "2021-12-31", "--level", "街道")
    assert result.exit_code == 0, result.output
    plain = as_json(run, "communities", "--data", DATA)
    for street, n in Counter(r["street"] for r in plain).items():
        assert f"<td>{street}</td><td class=\"num\">{n}</td>" in result.stdout or \
            f"<td>{street}</td><td class='num'>{n}</td>" in result.stdout


def test_report_three_levels(three_levels, run):
    result = run("report", "--data", three_levels, "--year", "2021", "--as-of", "2021-12-31", "--level", "市")
    assert result.exit_code == 0, result.output
    assert "<th>市</th>" in result.stdout and "绵阳市" in result.stdout


# -- errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [("communities",), ("classify",), ("tasks",), ("coverage",),
                                     ("report", "--year", "2021", "--as-of", "2021-12-31")])
def test_an_unknown_level_is_a_usage_error(command, run):
    data = TAICANG if command[0] == "coverage" else DATA
    result = run(*command, "--data", data, "--level", "省")
    assert result.exit_code == 2, result.output
    assert "没有名为“省”的层级" in result.output
    listed = "市（city）、镇(区、街道)（town）" if data == TAICANG else "区（district）、街道（street）"
    assert f"types.yaml 声明的层级：{listed}。" in result.output


# -- domain --------------------------------------------------------------------------------------

def test_level_totals_domain_on_taicang():
    from zhili.domain import level_totals
    from zhili.errors import UsageError
    from zhili.loading.registry import load_registry as load

    reg = load(TAICANG)
    town = level_totals.find_level(reg, "town")
    assert level_totals.find_level(reg, "镇(区、街道)") is town and level_totals.find_level(reg, "镇") is town
    with pytest.raises(UsageError, match="没有名为“county”的层级"):
        level_totals.find_level(reg, "county")
    c = next(c for c in reg.communities if c.street == "城厢镇")
    assert level_totals.unit_name(reg, c, town) == "城厢镇"
    assert level_totals.unit_name(reg, c, level_totals.find_level(reg, "city")) == "太仓市"
    totals = level_totals.community_totals(reg, reg.communities, town)
    assert len(totals) == 12 and sum(t["communities"] for t in totals) == 40


# -- the bundled city example (市 → 区（市）县 → 街道（镇、乡）) ------------------------------------------

YUNZHOU = Path(__file__).resolve().parent.parent / "examples" / "yunzhou"


def test_yunzhou_communities_per_county(run):
    data = as_json(run, "communities", "--data", YUNZHOU, "--level", "区（市）县")
    assert [(t["unit"], t["communities"]) for t in data["totals"]] == [
        ("青岚区", 12), ("望江区", 12), ("鹤鸣市", 8), ("松溪县", 12), ("云州高新区", 4)]
    city = as_json(run, "communities", "--data", YUNZHOU, "--level", "city")
    assert [(t["unit"], t["communities"]) for t in city["totals"]] == [("云州市", 48)]


def test_yunzhou_tasks_per_county_are_those_of_tasks_unit(run):
    rows = as_json(run, "tasks", "--data", YUNZHOU, "--level", "county", "--as-of", "2024-12-31")
    assert len(rows) == 5
    for r in rows:
        expected = Counter(x["status"] for x in as_json(run, "tasks", "--data", YUNZHOU, "--unit", r["unit"],
                                                          "--as-of", "2024-12-31"))
        assert r["tasks"] == sum(expected.values()) and {s: r[s] for s in expected} == dict(expected)


def test_yunzhou_coverage_per_county_for_every_target(run):
    data = as_json(run, "coverage", "--data", YUNZHOU, "--level", "county", "--as-of", "2025-12-31")
    totals = [r for r in data["level_totals"] if r["target_id"] == "pilot-2024"]
    each = {r["unit"]: r for r in data["targets"] if r["target_id"] == "pilot-2024"}
    assert [t["unit"] for t in totals] == ["青岚区", "望江区", "鹤鸣市", "松溪县", "云州高新区"]
    assert [(t["members"], t["communities"]) for t in totals] == [(each[t["unit"]]["members"], each[t["unit"]]["communities"])
                                                                  for t in totals]
    assert sum(t["communities"] for t in totals) == 48
    park = {t["unit"]: (t["members"], t["communities"]) for t in data["level_totals"] if t["target_id"] == "future-park-2025"}
    assert park["青岚区"] == (5, 12) and park["云州高新区"] == (2, 4)
