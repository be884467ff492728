"""Programmes and targets in types.yaml, programmes of communities: every bad declaration is an error with
its code, exact message and line; good ones (counts, the whole jurisdiction, per type, a second programme)
are reported by `zhili coverage`, also from the cache."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import TAICANG, edit

TARGET_2022 = """  - id: pilot-2022
    programme: pilot
    share: 0.3
    scope: each
    level: town
"""
PARK = """programmes:
  - id: pilot
    name: 试点
  - id: future-park
    name: 未来公园社区
"""


@pytest.fixture
def taicang(tmp_path):
    target = tmp_path / "taicang"
    shutil.copytree(TAICANG, target)
    return target


def errors(run, data):
    result = run("validate", "--data", data, "--format", "json")
    assert result.exit_code == 1, result.output
    return [(e["code"], e["file"].rsplit("/", 1)[-1], e["line"], e["message"], e["hint"])
            for e in json.loads(result.stdout)["errors"]]


def line_of(path, text, after: str | None = None):
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if after in l) if after else 0
    return next(i for i, l in enumerate(lines[start:], start + 1) if text in l)


def test_a_target_on_an_undeclared_programme(run, taicang):
    edit(taicang / "types.yaml", "    programme: pilot\n    share: 0.3", "    programme: pilots\n    share: 0.3")
    [(code, file, line, message, hint)] = errors(run, taicang)
    assert (code, file, line) == ("ZL350", "types.yaml", line_of(taicang / "types.yaml", "programme: pilots"))
    assert message == "目标“pilot-2022”的项目“pilots”没有声明。"
    assert hint.startswith("您是否要找：pilot？已声明的项目：pilot；")


@pytest.mark.parametrize("old, new, message", [
    ("share: 0.3", "share: 1.5", "目标“pilot-2022”的比例 1.5 不在 0 到 1 之间。"),
    ("share: 0.3", "share: 0", "目标“pilot-2022”的比例 0 不在 0 到 1 之间。"),
    ("share: 0.3", "count: 0", "目标“pilot-2022”的个数 0 小于 1。"),
])
def test_a_share_outside_0_to_1_or_a_count_below_1(run, taicang, old, new, message):
    edit(taicang / "types.yaml", old, new)
    [(code, file, line, got, _)] = errors(run, taicang)
    assert (code, line, got) == ("ZL351", line_of(taicang / "types.yaml", new), message)


def test_both_share_and_count(run, taicang):
    edit(taicang / "types.yaml", "    share: 0.3\n", "    share: 0.3\n    count: 20\n")
    [(code, _, line, message, hint)] = errors(run, taicang)
    assert (code, line) == ("ZL352", line_of(taicang / "types.yaml", "count: 20"))
    assert message == "目标“pilot-2022”同时写了比例 share 和个数 count。"


def test_neither_share_nor_count(run, taicang):
    edit(taicang / "types.yaml", "    share: 0.3\n", "")
    [(code, _, line, message, hint)] = errors(run, taicang)
    assert (code, line) == ("ZL352", line_of(taicang / "types.yaml", "- id: pilot-2022"))
    assert message == "目标“pilot-2022”既没有比例 share，也没有个数 count。"
    assert hint == "写上其中一个：比例（如 share: 0.3，即 30%）或个数（如 count: 200）。"


@pytest.mark.parametrize("old, new, at, message", [
    ("    scope: each\n    level: town\n    by: 2022-12-31", "    by: 2022-12-31", "- id: pilot-2022",
     "目标“pilot-2022”没有写范围 scope。"),
    ("    level: town\n    by: 2022-12-31", "    by: 2022-12-31", "- id: pilot-2022",
     "目标“pilot-2022”的范围是 each，但没有写层级 level。"),
    ("    level: town\n    by: 2022-12-31", "    level: village\n    by: 2022-12-31", "level: village",
     "目标“pilot-2022”的层级“village”没有声明。"),
    ("    scope: each\n    level: town\n    by: 2022-12-31", "    scope: per_value\n    by: 2022-12-31", "- id: pilot-2022",
     "目标“pilot-2022”的范围是 per_value，但没有写维度 dimension。"),
    ("    scope: each\n    level: town\n    by: 2022-12-31", "    scope: per_value\n    dimension: theme\n    by: 2022-12-31",
     "dimension: theme", "目标“pilot-2022”的维度“theme”没有声明。"),
    ("    scope: each\n    level: town\n    by: 2022-12-31", "    scope: whole\n    level: town\n    by: 2022-12-31",
     "level: town", "目标“pilot-2022”的范围是 whole，不用写层级 level。"),
])
def test_a_scope_without_its_level_or_dimension_or_with_an_undeclared_one(run, taicang, old, new, at, message):
    edit(taicang / "types.yaml", old, new)
    found = [e for e in errors(run, taicang) if e[0] == "ZL353"]
    assert [(e[2], e[3]) for e in found] == [(line_of(taicang / "types.yaml", at, after="- id: pilot-2022"), message)]


def test_min_per_led_type_only_for_each_unit(run, taicang):
    edit(taicang / "types.yaml", "    scope: each\n    level: town\n    by: 2022-12-31", "    scope: whole\n    by: 2022-12-31")
    [(code, _, line, message, _)] = errors(run, taicang)
    assert (code, line) == ("ZL358", line_of(taicang / "types.yaml", "min_per_led_type: 2"))
    assert message == "目标“pilot-2022”的 min_per_led_type 只适用于 scope: each（每个单位牵头的类型）。"


def test_a_programme_declared_twice_and_a_target_id_twice(run, taicang):
    edit(taicang / "types.yaml", "programmes:\n  - id: pilot\n    name: 试点\n",
         "programmes:\n  - id: pilot\n    name: 试点\n  - id: pilot\n    name: 又一个试点\n")
    edit(taicang / "types.yaml", "  - id: pilot-2023", "  - id: pilot-2022")
    found = errors(run, taicang)
    assert [(e[0], e[2], e[3]) for e in found] == [
        ("ZL354", line_of(taicang / "types.yaml", "id: pilot", after="name: 试点"), "项目标识“pilot”重复。"),
        ("ZL357", line_of(taicang / "types.yaml", "id: pilot-2022", after="by: 2022-12-31"), "目标标识“pilot-2022”重复。"),
    ]


def test_a_community_in_an_undeclared_programme(run, taicang):
    edit(taicang / "communities.yaml", "    pilot_start: 2022-03-15\n", "    pilot_start: 2022-03-15\n    programmes: {future-park: 2024-05-01}\n")
    [(code, file, line, message, hint)] = errors(run, taicang)
    assert (code, file, line) == ("ZL355", "communities.yaml", line_of(taicang / "communities.yaml", "future-park"))
    assert message == "社区“南园社区”参加的项目“future-park”没有声明。"
    assert hint.endswith("已声明的项目：pilot；新的项目先在 types.yaml 顶层的 programmes 中声明。")


def test_pilot_start_needs_the_pilot_programme(run, taicang):
    edit(taicang / "types.yaml", "  - id: pilot\n    name: 试点\n", "  - id: future-park\n    name: 未来公园社区\n")
    found = [e for e in errors(run, taicang) if e[1] == "communities.yaml"]
    assert found[0][:4] == ("ZL355", "communities.yaml", line_of(taicang / "communities.yaml", "pilot_start: 2022-03-15"),
                            "社区“南园社区”写了试点开始日期 pilot_start，但方案没有声明项目 pilot。")


def test_a_pilot_start_written_twice(run, taicang):
    edit(taicang / "communities.yaml", "    pilot_start: 2022-03-15\n", "    pilot_start: 2022-03-15\n    programmes: {pilot: 2022-03-15}\n")
    [(code, _, line, message, hint)] = errors(run, taicang)
    assert (code, line) == ("ZL356", line_of(taicang / "communities.yaml", "programmes: {pilot"))
    assert message == "社区“南园社区”的试点开始日期写了两次：pilot_start 和 programmes 中的 pilot。"


def test_the_old_scheme_coverage_points_at_targets(run, taicang):
    edit(taicang / "types.yaml", "  ranking_rule: null", "  coverage:\n    min_pilots_per_led_type: 2\n  ranking_rule: null")
    [(code, _, line, message, hint)] = errors(run, taicang)
    assert (code, line, message) == ("ZL201", line_of(taicang / "types.yaml", "  coverage:"), "未知字段“coverage”。")
    assert hint.startswith("试点覆盖目标已改为 types.yaml 顶层的 programmes 和 targets")


def test_a_count_for_the_whole_jurisdiction_and_a_share_per_type_with_a_second_programme(run, taicang):
    text = (taicang / "types.yaml").read_text(encoding="utf-8")
    text = text.replace("programmes:\n  - id: pilot\n    name: 试点\n", PARK)
    text = text.replace("targets:\n", "targets:\n"
                        "  - {id: park-2024, programme: future-park, count: 2, scope: whole, by: 2024-12-31}\n"
                        "  - {id: pilot-type, programme: pilot, share: 0.5, scope: per_value, dimension: type, by: 2023-12-31}\n")
    (taicang / "types.yaml").write_text(text, encoding="utf-8")
    edit(taicang / "communities.yaml", "    pilot_start: 2022-03-15\n", "    pilot_start: 2022-03-15\n    programmes: {future-park: 2024-05-01}\n")
    result = run("coverage", "--data", taicang, "--as-of", "2024-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    whole = [r for r in rows if r["target_id"] == "park-2024"]
    assert [(r["unit"], r["communities"], r["members"], r["measure"], r["target"], r["required"], r["meets"]) for r in whole] == [
        ("太仓市", 40, 1, "count", 2, 2, False)]
    per_type = {r["value"]: r for r in rows if r["target_id"] == "pilot-type"}
    assert len(per_type) == 8 and per_type["老街巷社区"]["scope"] == "per_value" and per_type["老街巷社区"]["dimension"] == "type"
    assert [r["target_id"] for r in rows].count("pilot-2023") == 12  # the each-unit timeline is still there
    text_out = run("coverage", "--data", taicang, "--as-of", "2024-06-30").stdout
    assert "未来公园社区覆盖（截至 2024-06-30，太仓市）" in text_out
    assert "park-2024：目标：截至 2024-12-31 太仓市的未来公园社区不少于 2 个。" in text_out
    assert "试点覆盖（截至 2024-06-30，按社区类型）" in text_out
    failed = run("coverage", "--data", taicang, "--as-of", "2024-06-30", "--target", "park-2024", "--check")
    assert failed.exit_code == 1 and "覆盖未达标：太仓市（截至 2024-06-30）。" in failed.stderr
    # from the cache (light records) and without it: the same rows
    from zhili.loading import cache
    from zhili.model.records import Record

    assert isinstance(cache.load_registry(taicang).targets[0], Record)
    uncached = run("coverage", "--data", taicang, "--as-of", "2024-06-30", "--format", "json", env={"ZHILI_NO_CACHE": "1"})
    assert json.loads(uncached.stdout) == rows
    html = run("report", "--data", taicang, "--year", "2023", "--as-of", "2024-06-30").stdout
    assert html.count("目标：截至") == 3 and "未来公园社区数" not in html  # a whole target is one sentence, no table


def test_an_unknown_target_is_a_usage_error(run):
    result = run("coverage", "--data", TAICANG, "--target", "pilot-2030")
    assert result.exit_code == 2
    assert "没有目标“pilot-2030”" in result.stderr and "已声明的目标：pilot-2022、pilot-2023" in result.stderr


def test_the_report_of_taicang_has_a_coverage_section(run):
    html = run("report", "--data", TAICANG, "--year", "2022", "--as-of", "2022-12-31").stdout
    assert '<section id="coverage"><h2>二、目标覆盖（截至 2022-12-31）</h2></section>' in html
    assert "未达到覆盖目标：浏河镇。" in html and "<th>试点不足的牵头类型</th>" in html


def test_a_share_per_value_of_a_declared_dimension(run, taicang):
    edit(taicang / "types.yaml", "targets:\n", "dimensions:\n  - id: theme\n    name: 主题\n    values:\n"
         "      - {id: eco, name: 生态}\n      - {id: culture, name: 文化}\n"
         "targets:\n  - {id: pilot-theme, programme: pilot, share: 0.5, scope: per_value, dimension: theme, by: 2023-12-31}\n")
    edit(taicang / "communities.yaml", "    pilot_start: 2022-03-15\n", "    pilot_start: 2022-03-15\n    dimensions: {theme: 生态}\n")
    edit(taicang / "communities.yaml", "    pilot_start: 2022-03-28\n", "    pilot_start: 2022-03-28\n    dimensions: {theme: eco}\n")
    result = run("coverage", "--data", taicang, "--as-of", "2022-03-20", "--target", "pilot-theme", "--format", "json")
    assert result.exit_code == 0, result.output
    got = [(r["value"], r["dimension"], r["communities"], r["members"], r["meets"]) for r in json.loads(result.stdout)]
    assert got == [("生态", "theme", 2, 1, True), ("文化", "theme", 0, 0, None)]
    table = run("coverage", "--data", taicang, "--as-of", "2022-03-20", "--target", "pilot-theme").stdout
    assert "试点覆盖（截至 2022-03-20，按主题）" in table and "目标：截至 2023-12-31 主题的每个取值的试点社区不少于 50%" in table


def test_the_report_counts_communities_per_value_of_a_declared_dimension(run, taicang):
    edit(taicang / "types.yaml", "targets:\n", "dimensions:\n  - id: theme\n    name: 主题\n    values:\n"
         "      - {id: eco, name: 生态}\n      - {id: culture, name: 文化}\ntargets:\n")
    edit(taicang / "communities.yaml", "    pilot_start: 2022-03-15\n", "    pilot_start: 2022-03-15\n    dimensions: {theme: 生态}\n")
    html = run("report", "--data", taicang, "--year", "2022", "--as-of", "2022-12-31").stdout
    assert '<th>主题</th><th class="num">社区数</th>' in html
    assert '<tr><td>生态</td><td class="num">1</td></tr><tr><td>文化</td><td class="num">0</td></tr>' in html
    assert "另有 39 个社区尚未登记主题。" in html
    plain = run("report", "--data", TAICANG, "--year", "2022", "--as-of", "2022-12-31").stdout
    assert "尚未登记主题" not in plain and "<th>主题</th>" not in plain
