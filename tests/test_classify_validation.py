"""Bad attribute declarations, rules, precedence and attribute values: exact code, place and message."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA, edit

from zhili.loading.registry import load


def errors(data_dir: Path) -> list:
    result = load(data_dir)
    assert result.registry is None, "bad data must not give a registry"
    return result.errors


def line_of(path: Path, text: str, after: str | None = None) -> int:
    """1-based number of the first line containing `text` (after the line containing `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if after in l) if after else 0
    return next(i for i, l in enumerate(lines) if i >= start and text in l) + 1


def test_rule_referencing_an_undeclared_attribute(data_copy):
    types = data_copy / "types.yaml"
    edit(types, "      attribute: institution_count\n", "      attribute: institution_cnt\n")
    [err] = errors(data_copy)
    assert (err.code, err.line) == ("ZL309", line_of(types, "attribute: institution_cnt"))
    assert err.column == len("      attribute: ") + 1
    assert err.message == "类型“单位集中型社区”的分类规则引用了未声明的属性“institution_cnt”。"
    assert err.hint.startswith("您是否要找：institution_count？")


def test_community_value_of_the_wrong_kind(data_copy):
    comms = data_copy / "communities.yaml"
    edit(comms, "      institution_count: 4\n", "      institution_count: 四个\n")
    [err] = errors(data_copy)
    assert (err.code, err.line) == ("ZL308", line_of(comms, "institution_count: 四个"))
    assert err.message == "社区“东材社区”的属性“驻区机关和企事业单位数”（institution_count）应为整数，这里是“四个”。"


def test_ratio_outside_zero_to_one(data_copy):
    comms = data_copy / "communities.yaml"
    edit(comms, "      soe_staff_share: 0.83\n", "      soe_staff_share: 83\n")
    [err] = errors(data_copy)
    assert (err.code, err.line) == ("ZL308", line_of(comms, "soe_staff_share: 83"))
    assert err.message == "社区“东材社区”的属性“原国企职工及家属占比”（soe_staff_share）是比例，应在 0 到 1 之间，这里是 83。"
    assert err.hint == "比例写成小数，如 80% 写成 0.8。"


def test_choice_value_not_declared_and_yesno_misspelt(data_copy):
    comms = data_copy / "communities.yaml"
    edit(comms, "      origin: 村改居\n", "      origin: 村转居\n")
    edit(comms, "      urban_fringe: false\n", "      urban_fringe: no\n")
    found = {(e.code, e.line): e.message for e in errors(data_copy)}
    assert found == {
        ("ZL308", line_of(comms, "urban_fringe: no")):
            "社区“桑林社区”的属性“位于城乡接合地带”（urban_fringe）应为是/否，这里是“no”。",
        ("ZL308", line_of(comms, "origin: 村转居")):
            "社区“民安社区”的属性“社区来源”（origin）应为 城市新建、老城区、企业生活区、村改居、拆迁安置 之一，这里是“村转居”。",
    }


def test_undeclared_community_attribute_points_at_the_key(data_copy):
    comms = data_copy / "communities.yaml"
    edit(comms, "      households: 3200\n", "      househlds: 3200\n")
    [err] = errors(data_copy)
    assert (err.code, err.line, err.column) == ("ZL307", line_of(comms, "househlds"), 7)
    assert err.message == "社区“桑林社区”的属性“househlds”没有在 types.yaml 的 attributes 中声明。"
    assert err.hint.startswith("您是否要找：households？")


def test_threshold_that_does_not_fit_the_declaration(data_copy):
    types = data_copy / "types.yaml"
    edit(types, "          value: 2000\n", "          value: 2000年\n")
    [err] = errors(data_copy)
    assert (err.code, err.line) == ("ZL308", line_of(types, "value: 2000年"))
    assert err.message == "类型“老旧院落型社区”的分类规则中属性“主要住房建成年份”（main_build_year）的取值应为四位数的年份，这里是“2000年”。"


def test_ordering_a_choice_attribute_is_refused(data_copy):
    types = data_copy / "types.yaml"
    edit(types, "          in: [村改居, 拆迁安置]\n", "          op: \">=\"\n          value: 村改居\n")
    [err] = errors(data_copy)
    assert (err.code, err.line) == ("ZL209", line_of(types, "op: \">=\"", after="id: urban-rural"))
    assert err.message == "类型“城乡融合型社区”的分类规则中，属性“origin”是选项，不能用 >= 比较大小。"


def test_condition_with_two_tests_and_node_with_two_shapes(data_copy):
    types = data_copy / "types.yaml"
    edit(types, "      value: 15\n", "      value: 15\n      present: true\n")
    edit(types, "      any:\n        - attribute: origin", "      all: []\n      any:\n        - attribute: origin")
    found = sorted((e.code, e.line, e.message) for e in errors(data_copy))
    assert found == sorted([
        ("ZL209", line_of(types, "attribute: institution_count"),
         "类型“单位集中型社区”的分类规则中对属性“institution_count”的条件同时写了 op、present。"),
        ("ZL209", line_of(types, "all: []", after="id: urban-rural"),
         "类型“城乡融合型社区”的分类规则中有一条同时写了 all、any。"),
    ])


def test_unknown_rule_field_suggests_the_real_one(data_copy):
    types = data_copy / "types.yaml"
    edit(types, "          in: [村改居, 拆迁安置]\n", "          inn: [村改居, 拆迁安置]\n")
    codes = {e.code: e for e in errors(data_copy)}
    assert codes["ZL201"].line == line_of(types, "inn: [村改居")
    assert codes["ZL201"].message == "未知字段“inn”。"
    assert "您是否要写“in”？" in codes["ZL201"].hint and "not" in codes["ZL201"].hint


def test_precedence_unknown_and_repeated_types(data_copy):
    types = data_copy / "types.yaml"
    edit(types, "precedence: [soe-restructured, urban-rural,", "precedence: [soe-restructured, urban-rual, soe-restructured,")
    found = sorted((e.code, e.column, e.message) for e in errors(data_copy))
    line = line_of(types, "precedence: [")
    text = types.read_text(encoding="utf-8").splitlines()[line - 1]
    assert {e.line for e in errors(data_copy)} == {line}
    assert found == [
        ("ZL310", text.index("urban-rual") + 1, "优先顺序中的“urban-rual”不是已定义的社区类型。"),
        ("ZL310", text.index("soe-restructured, unit") + 1, "优先顺序中“国有企业改制型社区”出现了两次（第 1 项和第 3 项）。"),
    ]


def test_choice_attribute_needs_choices(data_copy):
    types = data_copy / "types.yaml"
    edit(types, "    choices: [城市新建, 老城区, 企业生活区, 村改居, 拆迁安置]\n", "")
    found = [e for e in errors(data_copy) if e.code == "ZL202"]
    assert [e.message for e in found] == ["属性“origin”是选项（choice），但没有列出 choices。"]
    assert found[0].line == line_of(types, "- name: origin")


def test_every_bundled_threshold_has_a_source_or_an_assumption():
    from zhili.loading.registry import load_registry

    reg = load_registry(DATA)

    def leaves(rule):
        return [rule] if rule.kind == "condition" else [leaf for c in rule.children() for leaf in leaves(c)]

    conditions = [leaf for t in reg.types if t.rule for leaf in leaves(t.rule)]
    assert len(conditions) >= 5
    assert all(leaf.source or leaf.assumption for leaf in conditions)
