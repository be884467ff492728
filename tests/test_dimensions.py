"""Classification dimensions besides the type: declarations, community values, task scopes
(`applies_to`), `--dimension` / `--value` on the commands, and every ZL340–ZL346 diagnostic."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, edit

THEME = """
dimensions:
  - id: theme
    name: 主题
    description: 示意：演示用的第二个分类维度
    values:
      - id: eco
        name: 生态
        rule: {attribute: urban_fringe, op: "==", value: "true"}
      - id: livable
        name: 宜居
        rule: {attribute: urban_fringe, op: "==", value: "false"}
"""


def line_of(path, text: str, start: str | None = None) -> int:
    content = path.read_text(encoding="utf-8")
    at = content.index(start) if start else 0
    return content.count("\n", 0, content.index(text, at)) + 1


@pytest.fixture
def themed(data_copy):
    """游仙 with a second dimension (主题, rules on urban_fringe), three communities recording it and one
    task applying to 生态."""
    (data_copy / "types.yaml").write_text((data_copy / "types.yaml").read_text(encoding="utf-8") + THEME, encoding="utf-8")
    edit(data_copy / "communities.yaml", "    street: 经济试验区\n    type: 商品住宅型社区\n",
         "    street: 经济试验区\n    type: 商品住宅型社区\n    dimensions: {theme: 宜居}\n")  # sanglin
    edit(data_copy / "communities.yaml", "  - id: wuliduilu\n", "  - id: wuliduilu\n    dimensions: {theme: eco}\n")
    edit(data_copy / "tasks.yaml", "  - no: 25\n    applies_to: all", "  - no: 25\n    applies_to: {theme: [生态]}")
    return data_copy


def errors(run, data) -> list[tuple[str, str, int, str]]:
    result = run("validate", "--data", data, "--format", "json")
    payload = json.loads(result.stdout)
    return [(e["file"].rsplit("/", 1)[-1], e["code"], e["line"], e["message"]) for e in payload["errors"] + payload["warnings"]]


# -- the bundled data -------------------------------------------------------------------------


def test_the_bundled_ledgers_say_every_scope_explicitly(run):
    for data in (DATA, DATA.parent / "examples" / "taicang"):
        payload = json.loads(run("validate", "--data", data, "--format", "json").stdout)
        assert payload["valid"] is True
        assert [w for w in payload["warnings"] if w["code"] == "ZL345"] == []


def test_tasks_json_keeps_type_and_adds_applies_to(run):
    rows = json.loads(run("tasks", "--data", DATA, "--format", "json").stdout)
    first, last = rows[0], rows[-1]
    assert (first["type"], first["applies_to"]) == ("商品住宅型社区", {"type": ["商品住宅型社区"]})
    assert (last["type"], last["applies_to"]) == (None, "all")


# -- registry API -----------------------------------------------------------------------------


def test_registry_dimension_and_value_of(themed):
    from zhili.loading.registry import load_registry

    reg = load_registry(themed)
    theme = reg.dimension("theme")
    assert (theme.id, theme.name, [v.name for v in theme.values]) == ("theme", "主题", ["生态", "宜居"])
    assert reg.dimension("主题") is theme
    assert (reg.dimension("type").name, [v.name for v in reg.dimension("type").values][:1]) == ("社区类型", ["商品住宅型社区"])
    sanglin = next(c for c in reg.communities if c.id == "sanglin")
    wuli = next(c for c in reg.communities if c.id == "wuliduilu")
    liduci = next(c for c in reg.communities if c.id == "liduci")
    assert reg.value_of(sanglin, "theme").name == "宜居"
    assert reg.value_of(wuli, "theme").name == "生态"  # recorded by id
    assert reg.value_of(liduci, "theme") is None
    assert reg.value_of(sanglin, "type").name == "商品住宅型社区"
    task25 = next(t for t in reg.tasks if t.no == "25")
    task1 = next(t for t in reg.tasks if t.no == "1")
    assert reg.task_applies(task25, wuli) and not reg.task_applies(task25, sanglin)
    xiaodao = next(c for c in reg.communities if c.id == "xiaodao")  # 老旧院落型社区
    assert reg.task_applies(task1, sanglin) and reg.task_applies(task1, liduci) and not reg.task_applies(task1, xiaodao)
    assert [v.name for v in reg.scope_of(task1)["type"]] == ["商品住宅型社区"]
    assert reg.scope_of(next(t for t in reg.tasks if t.no == "26")) is None


def test_a_task_for_two_types_applies_to_both(data_copy):
    from zhili.loading.registry import load_registry

    edit(data_copy / "tasks.yaml", "  - no: 1\n    type: 商品住宅型社区\n",
         "  - no: 1\n    applies_to: {type: [商品住宅型社区, old-courtyard]}\n")
    reg = load_registry(data_copy)
    task1 = next(t for t in reg.tasks if t.no == "1")
    kinds = {reg.value_of(c, "type").id for c in reg.communities if reg.task_applies(task1, c)}
    assert kinds == {"commodity-housing", "old-courtyard"}


def test_the_cache_carries_dimensions_and_scopes(themed, run):
    first = run("communities", "--data", themed, "--value", "theme=生态", "--format", "json").stdout
    second = run("communities", "--data", themed, "--value", "theme=生态", "--format", "json").stdout  # from the cache
    assert first == second and [r["id"] for r in json.loads(second)] == ["wuliduilu"]
    from zhili.loading import cache, cache_format
    from zhili.loading.registry import load_registry

    reg = load_registry(themed)
    back = cache_format.load(cache_format.dump("k", reg), "k")
    back.data_dir = themed
    task25 = next(t for t in back.tasks if t.no == "25")
    assert back.dimension("theme").values[0].name == "生态" and back.type_label == "社区类型"
    assert [v.name for v in back.scope_of(task25)["theme"]] == ["生态"]
    assert back.value_of(next(c for c in back.communities if c.id == "wuliduilu"), "theme").name == "生态"
    assert cache.enabled()
    tasks_first = run("tasks", "--data", themed, "--value", "主题=eco", "--format", "json", "--as-of", "2021-12-31").stdout
    tasks_again = run("tasks", "--data", themed, "--value", "主题=eco", "--format", "json", "--as-of", "2021-12-31").stdout
    assert tasks_first == tasks_again and [r["no"] for r in json.loads(tasks_again)] == ["25"]


# -- commands ---------------------------------------------------------------------------------


def test_communities_show_each_dimension_under_its_name(themed, run):
    rows = json.loads(run("communities", "--data", themed, "--format", "json").stdout)
    assert rows[0]["dimensions"] == {"theme": "宜居"} and rows[2]["dimensions"] == {"theme": None}
    text = run("communities", "--data", themed, "--dimension", "主题").stdout
    header = next(line for line in text.splitlines() if "标识" in line)
    assert header.split() == ["标识", "社区", "街道", "社区类型", "主题"]
    assert "按主题：生态 1 个、宜居 1 个、未登记 23 个。" in text
    ordered = json.loads(run("communities", "--data", themed, "--dimension", "theme", "--format", "json").stdout)
    assert [r["id"] for r in ordered[:2]] == ["wuliduilu", "sanglin"]  # 生态 first, as declared


def test_value_filters_combine(themed, run):
    rows = json.loads(run("communities", "--data", themed, "--value", "theme=宜居", "--value", "type=商品住宅",
                          "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["sanglin"]
    assert json.loads(run("communities", "--data", themed, "--value", "theme=宜居", "--value", "type=老旧院落",
                          "--format", "json").stdout) == []


@pytest.mark.parametrize("args, message", [
    (["--value", "theme"], "--value 的写法“theme”不对：应写成 维度=取值。"),
    (["--value", "colour=红"], "没有名为“colour”的分类维度。"),
    (["--value", "theme=红"], "没有名为“红”的主题取值。"),
    (["--value", "theme=生态", "--value", "主题=宜居"], "--value 对维度“主题”写了两次。"),
    (["--dimension", "colour"], "没有名为“colour”的分类维度。"),
])
def test_bad_value_options_are_usage_errors(themed, run, args, message):
    result = run("communities", "--data", themed, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_classify_checks_each_dimension_with_rules(themed, run):
    result = run("classify", "--data", themed, "--format", "json")
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    wuli = rows["wuliduilu"]["dimensions"]["theme"]
    assert (wuli["name"], wuli["recorded"], wuli["computed"], wuli["status"]) == ("主题", "生态", "宜居", "mismatch")
    assert wuli["reason"] == "登记为生态，规则计算为宜居：位于城乡接合地带：否"
    sanglin = rows["sanglin"]["dimensions"]["theme"]
    assert (sanglin["recorded"], sanglin["computed"], sanglin["status"]) == ("宜居", "宜居", "consistent")
    liduci = rows["liduci"]["dimensions"]["theme"]
    assert liduci["recorded"] is None and liduci["status"] == "mismatch" and liduci["reason"].startswith("尚未登记主题，建议登记为")
    checked = run("classify", "--data", themed, "--check")
    assert checked.exit_code == 1  # communities without a recorded theme are findings
    table = run("classify", "--data", themed, "--dimension", "theme").stdout
    header = next(line for line in table.splitlines() if "标识" in line)
    assert header.split()[:8] == ["标识", "社区", "街道", "登记主题", "计算主题", "主题状态", "主题原因", "登记类型"]


def test_a_recorded_value_without_a_rule_matching_nothing_is_consistent(themed, run):
    edit(themed / "types.yaml", "        rule: {attribute: urban_fringe, op: \"==\", value: \"false\"}\n",
         "        rule: {attribute: urban_fringe, op: \"==\", value: \"false\"}\n      - id: smart\n        name: 智慧\n")
    # 宜居 now holds only where urban_fringe is not filled in
    edit(themed / "types.yaml", '{attribute: urban_fringe, op: "==", value: "false"}', "{attribute: urban_fringe, present: false}")
    edit(themed / "communities.yaml", "dimensions: {theme: 宜居}", "dimensions: {theme: 智慧}")  # sanglin: not in the fringe
    rows = {r["id"]: r for r in json.loads(run("classify", "--data", themed, "--format", "json").stdout)}
    sanglin = rows["sanglin"]["dimensions"]["theme"]
    assert (sanglin["recorded"], sanglin["computed"], sanglin["status"]) == ("智慧", None, "consistent")
    assert sanglin["reason"] == "智慧没有分类规则，不参与自动分类；也不符合主题其他取值的规则"
    liduci = rows["liduci"]["dimensions"]["theme"]
    assert (liduci["recorded"], liduci["status"]) == (None, "unclassified")  # nothing recorded: still a finding
    assert run("classify", "--data", themed, "--value", "theme=智慧", "--check").exit_code == 0


def test_the_example_theme_values_without_rules_are_not_findings(run):
    from zhili.domain.classify_dimensions import classify_dimension
    from zhili.loading.registry import load_registry

    reg = load_registry(DATA.parent / "examples" / "yunzhou")
    theme = next(d for d in reg.dimensions if d.id == "theme")
    results = [classify_dimension(reg, c, theme) for c in reg.communities]
    without_rule = [r for r in results if r.recorded is not None and r.recorded.rule is None]
    assert without_rule and {r.status for r in without_rule} == {"consistent"}
    assert {r.computed for r in without_rule} == {None}


def test_classify_filters_by_value(themed, run):
    rows = json.loads(run("classify", "--data", themed, "--value", "theme=宜居", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["sanglin"]
    plain = json.loads(run("classify", "--data", DATA, "--format", "json").stdout)
    assert "dimensions" not in plain[0]  # a scheme without further dimensions: rows as before


def test_tasks_by_dimension(themed, run):
    rows = json.loads(run("tasks", "--data", themed, "--value", "theme=生态", "--format", "json", "--as-of", "2021-12-31").stdout)
    assert [(r["no"], r["type"], r["applies_to"]) for r in rows] == [("25", None, {"theme": ["生态"]})]
    table = run("tasks", "--data", themed, "--dimension", "theme", "--as-of", "2021-12-31").stdout
    header = next(line for line in table.splitlines() if "序号" in line)
    assert header.split()[:4] == ["序号", "社区类型", "主题", "适用范围"]
    body = [line.split() for line in table.splitlines() if line.strip().startswith("25 ")]
    assert body and body[0][2] == "生态"
    by_type = json.loads(run("tasks", "--data", DATA, "--value", "type=老旧院落", "--format", "json").stdout)
    assert [r["no"] for r in by_type] == ["7", "8", "9", "10"]


# -- diagnostics ------------------------------------------------------------------------------


def test_zl340_undeclared_dimension_in_a_community(themed, run):
    edit(themed / "communities.yaml", "dimensions: {theme: eco}", "dimensions: {topic: eco}")
    line = line_of(themed / "communities.yaml", "dimensions: {topic: eco}")
    assert errors(run, themed) == [("communities.yaml", "ZL340", line, "社区“五里堆路社区”引用了未声明的维度“topic”。")]
    text = run("validate", "--data", themed).stderr
    assert "已声明的维度：type（社区类型）、theme（主题）。" in text


def test_zl340_type_is_not_written_under_dimensions(themed, run):
    edit(themed / "communities.yaml", "dimensions: {theme: eco}", "dimensions: {type: 商品住宅型社区}")
    line = line_of(themed / "communities.yaml", "dimensions: {type: 商品住宅型社区}")
    assert errors(run, themed) == [("communities.yaml", "ZL340", line, "社区“五里堆路社区”在 dimensions 中写了 type。")]


def test_zl340_undeclared_dimension_in_a_task(themed, run):
    edit(themed / "tasks.yaml", "applies_to: {theme: [生态]}", "applies_to: {topic: [生态]}")
    line = line_of(themed / "tasks.yaml", "applies_to: {topic: [生态]}")
    assert errors(run, themed) == [("tasks.yaml", "ZL340", line, "任务 25 引用了未声明的维度“topic”。")]


def test_zl341_undeclared_value(themed, run):
    edit(themed / "communities.yaml", "dimensions: {theme: eco}", "dimensions: {theme: 生太}")
    edit(themed / "tasks.yaml", "applies_to: {theme: [生态]}", "applies_to: {theme: [宜居, 生太]}")
    assert errors(run, themed) == [
        ("communities.yaml", "ZL341", line_of(themed / "communities.yaml", "{theme: 生太}"),
         "社区“五里堆路社区”在维度“主题”上的取值“生太”没有声明。"),
        ("tasks.yaml", "ZL341", line_of(themed / "tasks.yaml", "[宜居, 生太]"), "任务 25 在维度“主题”上的取值“生太”没有声明。")]


def test_an_unknown_type_in_applies_to_is_zl301(themed, run):
    edit(themed / "tasks.yaml", "applies_to: {theme: [生态]}", "applies_to: {type: [商品住宅形社区]}")
    line = line_of(themed / "tasks.yaml", "[商品住宅形社区]")
    assert errors(run, themed) == [("tasks.yaml", "ZL301", line, "任务 25 的类型“商品住宅形社区”不存在。")]


@pytest.mark.parametrize("old, new, marker, message", [
    ("- id: livable", "- id: eco", "- id: eco\n        name: 宜居", "维度“主题”的取值id“eco”重复（第 1 个取值已用）。"),
    ("name: 宜居", "name: 生态", "name: 生态\n        rule: {attribute: urban_fringe, op: \"==\", value: \"false\"}",
     "维度“主题”的取值名称“生态”重复（第 1 个取值已用）。"),
    ("- id: theme", "- id: type", "- id: type", "维度 id 不能是“type”：type 是社区类型这一主维度。"),
    ("name: 主题", "name: 社区类型", "name: 社区类型\n    description: 示意", "维度名称“社区类型”与社区类型这一主维度重名。"),
])
def test_zl342_duplicate_ids_and_names(themed, run, old, new, marker, message):
    types = themed / "types.yaml"
    text = types.read_text(encoding="utf-8")
    at = text.index("\ndimensions:\n")
    types.write_text(text[:at] + text[at:].replace(old, new, 1), encoding="utf-8")
    line = line_of(types, marker, "\ndimensions:\n")
    found = [e for e in errors(run, themed) if e[0] == "types.yaml"]  # communities.yaml may then name an unknown value
    assert found == [("types.yaml", "ZL342", line, message)]


def test_zl342_two_dimensions_with_one_id(themed, run):
    types = themed / "types.yaml"
    types.write_text(types.read_text(encoding="utf-8") + "  - {id: theme, name: 片区, values: [{id: a, name: 甲}]}\n",
                     encoding="utf-8")
    line = line_of(types, "{id: theme, name: 片区")
    assert errors(run, themed) == [("types.yaml", "ZL342", line, "维度 id“theme”重复（第 1 个维度已用）。")]


def test_zl343_a_value_given_twice(themed, run):
    edit(themed / "tasks.yaml", "applies_to: {theme: [生态]}", "applies_to: {theme: [生态, eco]}")
    line = line_of(themed / "tasks.yaml", "[生态, eco]")
    assert errors(run, themed) == [("tasks.yaml", "ZL343", line, "任务 25 的适用范围中“生态”写了两次（第 1 项和第 2 项）。")]


def test_zl344_type_and_applies_to_both(themed, run):
    edit(themed / "tasks.yaml", "  - no: 1\n    type: 商品住宅型社区\n",
         "  - no: 1\n    type: 商品住宅型社区\n    applies_to: all\n")
    line = line_of(themed / "tasks.yaml", "    applies_to: all\n", "  - no: 1\n")
    assert errors(run, themed) == [("tasks.yaml", "ZL344", line, "任务 1 同时写了 type 和 applies_to。")]


def test_zl345_no_scope_is_a_warning_with_position(themed, run):
    edit(themed / "tasks.yaml", "  - no: 26\n    applies_to: all  # 第四部分“务实推进举措”的任务，适用于所有类型\n", "  - no: 26\n")
    line = line_of(themed / "tasks.yaml", "  - no: 26\n")
    result = run("validate", "--data", themed, "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["valid"] is True and payload["errors"] == []
    assert [(w["code"], w["line"], w["message"]) for w in payload["warnings"]] == [
        ("ZL345", line, "任务 26 的适用范围未写明，按全部处理。")]
    strict = run("validate", "--data", themed, "--strict")
    assert strict.exit_code == 1
    rows = json.loads(run("tasks", "--data", themed, "--format", "json").stdout)
    assert next(r for r in rows if r["no"] == "26")["applies_to"] == "all"


@pytest.mark.parametrize("written, marker, message", [
    ("applies_to: {}", "applies_to: {}", "任务 25 的适用范围是空的。"),
    ("applies_to: {theme: []}", "applies_to: {theme: []}", "任务 25 的适用范围中“theme”没有列出取值。"),
])
def test_zl346_empty_scope(themed, run, written, marker, message):
    edit(themed / "tasks.yaml", "applies_to: {theme: [生态]}", written)
    line = line_of(themed / "tasks.yaml", marker)
    assert errors(run, themed) == [("tasks.yaml", "ZL346", line, message)]


def test_applies_to_of_another_shape_is_a_schema_error(themed, run):
    edit(themed / "tasks.yaml", "applies_to: {theme: [生态]}", "applies_to: 全部")
    line = line_of(themed / "tasks.yaml", "applies_to: 全部")
    (found,) = errors(run, themed)
    assert found[:3] == ("tasks.yaml", "ZL209", line) and "只能写 all" in found[3]
    edit(themed / "tasks.yaml", "applies_to: 全部", "applies_to: {theme: 生态}")
    (found,) = errors(run, themed)
    assert found[:3] == ("tasks.yaml", "ZL203", line) and "应为列表" in found[3]


def test_a_value_rule_is_checked_like_a_type_rule(themed, run):
    edit(themed / "types.yaml", 'rule: {attribute: urban_fringe, op: "==", value: "true"}',
         'rule: {attribute: urban_edge, op: "==", value: "true"}')
    line = line_of(themed / "types.yaml", "attribute: urban_edge")
    (found,) = errors(run, themed)
    assert found == ("types.yaml", "ZL309", line, "维度“主题”取值“生态”的分类规则引用了未声明的属性“urban_edge”。")


def test_rank_shows_only_selected_communities_with_their_places(themed, run):
    whole = json.loads(run("rank", "--data", themed, "--year", "2021", "--format", "json").stdout)
    places = {c["id"]: c["rank"] for g in whole for c in g["communities"]}
    shown = json.loads(run("rank", "--data", themed, "--year", "2021", "--value", "theme=宜居", "--format", "json").stdout)
    assert [(g["type"], [(c["id"], c["rank"]) for c in g["communities"]]) for g in shown] == [
        ("商品住宅型社区", [("sanglin", places["sanglin"])])]
    table = run("rank", "--data", themed, "--year", "2021", "--dimension", "主题", "--value", "type=商品住宅").stdout
    header = next(line for line in table.splitlines() if "名次" in line)
    assert header.split()[:3] == ["名次", "社区", "主题"]
    row = next(line for line in table.splitlines() if "五里堆路社区" in line)
    assert row.split()[2] == "生态"
    refused = run("rank", "--data", themed, "--years", "2021-2022", "--value", "theme=宜居")
    assert refused.exit_code == 2 and "不能与 --value、--dimension 同时使用" in refused.stderr


def test_coverage_by_value_and_per_value(run):
    taicang = DATA.parent / "examples" / "taicang"
    whole = json.loads(run("coverage", "--data", taicang, "--as-of", "2023-12-31", "--format", "json").stdout)
    one = json.loads(run("coverage", "--data", taicang, "--as-of", "2023-12-31", "--value", "type=普通商品房社区",
                         "--format", "json").stdout)
    assert sum(r["communities"] for r in one) < sum(r["communities"] for r in whole)
    grouped = json.loads(run("coverage", "--data", taicang, "--as-of", "2023-12-31", "--dimension", "type",
                             "--format", "json").stdout)
    assert [g["value"] for g in grouped][:2] == ["普通商品房社区", "老街巷社区"] and grouped[0]["dimension"] == "type"
    assert grouped[0]["rows"] == one
    assert sum(r["communities"] for g in grouped for r in g["rows"]) == sum(r["communities"] for r in whole)
    text = run("coverage", "--data", taicang, "--as-of", "2023-12-31", "--dimension", "type").stdout
    assert "社区类型：老街巷社区，试点覆盖（截至 2023-12-31" in text


def test_report_counts_by_dimension_and_filters(themed, run):
    html = run("report", "--data", themed, "--year", "2021").stdout
    assert "<th>主题</th>" in html and "另有 23 个社区尚未登记主题。" in html
    narrowed = run("report", "--data", themed, "--year", "2021", "--dimension", "type").stdout
    assert "<th>主题</th>" not in narrowed  # --dimension: that dimension only (the types are counted anyway)
    only = run("report", "--data", themed, "--year", "2021", "--value", "theme=宜居").stdout
    assert "本报告只含主题：宜居的社区及与之相关的任务；名次仍按整个类型计算。" in only
    assert "桑林社区：91.6 分" in only and "五里堆路社区：" not in only  # bars of the selected communities only
    plain = run("report", "--data", DATA, "--year", "2021").stdout
    assert "本报告只含" not in plain and "<th>主题</th>" not in plain
