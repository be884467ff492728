"""The rule language and the classification decision, on small hand-built registries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhili.domain.classify import _why, classify, classify_community, decide, evaluate
from zhili.model.community import Community
from zhili.model.registry import Registry
from zhili.model.rules import Attribute, AttributeValueError, Rule, convert
from zhili.model.scheme import CommunityType, Scheme

ATTRS = [
    Attribute(name="share", label="商品住宅占比", kind="ratio"),
    Attribute(name="year", label="建成年份", kind="year", unit="年"),
    Attribute(name="count", label="驻区单位数", kind="integer", unit="个"),
    Attribute(name="area", label="设施面积", kind="number", unit="平方米"),
    Attribute(name="flag", label="已移交", kind="yesno"),
    Attribute(name="origin", label="社区来源", kind="choice", choices=["城市新建", "村改居", "拆迁安置"]),
]
DECLS = {a.name: a for a in ATTRS}
SCHEME = Scheme.model_validate({"id": "t", "name": "测试方案", "jurisdiction": "某区", "title": "测试", "document": "某发〔2024〕1号",
                                "issuer": "某委", "date": "2024-01-01"})


def holds(rule: dict[str, Any], **values: str) -> bool | None:
    """Evaluate a rule written as in types.yaml against attribute values written as in communities.yaml."""
    typed = {k: convert(DECLS[k], v) for k, v in values.items()}
    parsed = Rule.model_validate(rule)
    result = evaluate(parsed, typed, DECLS).result
    assert decide(parsed, typed, DECLS) is result, "the fast decision and the explanation disagree"
    return result


def registry(rules: dict[str, dict[str, Any] | None], communities: list[dict[str, Any]],
             precedence: list[str] | None = None) -> Registry:
    types = [CommunityType.model_validate({"id": tid, "name": f"{tid}型社区", "rule": rule}) for tid, rule in rules.items()]
    comms = [Community.model_validate({"street": "某街道", **c}) for c in communities]
    return Registry(data_dir=Path("."), scheme=SCHEME, categories=[], types=types, communities=comms, units=[], groups=[],
                    tasks=[], attributes=list(ATTRS), precedence=list(precedence or []))


def one(rules: dict[str, dict[str, Any] | None], attributes: dict[str, str], recorded: str | None = None,
        precedence: list[str] | None = None):
    reg = registry(rules, [{"id": "c1", "name": "甲社区", "type": recorded, "attributes": attributes}], precedence)
    return classify_community(reg, reg.communities[0])


# -- operators ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "threshold", "actual", "expected"), [
    (">=", "0.5", "0.5", True), (">=", "0.5", "0.49", False),
    (">", "0.5", "0.5", False), (">", "0.5", "0.51", True),
    ("<=", "0.5", "0.5", True), ("<=", "0.5", "0.6", False),
    ("<", "0.5", "0.5", False), ("<", "0.5", "0.1", True),
    ("==", "0.5", "0.50", True), ("==", "0.5", "0.4", False),
    ("!=", "0.5", "0.4", True), ("!=", "0.5", "0.5", False),
])
def test_comparison_operators_on_a_ratio(op, threshold, actual, expected):
    assert holds({"attribute": "share", "op": op, "value": threshold}, share=actual) is expected


def test_year_integer_and_number_compare_as_numbers_not_text():
    assert holds({"attribute": "year", "op": "<=", "value": "2000"}, year="1998") is True
    assert holds({"attribute": "year", "op": "<=", "value": "2000"}, year="2001") is False
    assert holds({"attribute": "count", "op": ">=", "value": "15"}, count="9") is False  # "9" > "15" as text
    assert holds({"attribute": "count", "op": ">=", "value": "15"}, count="100") is True
    assert holds({"attribute": "area", "op": "<", "value": "30"}, area="29.5") is True


def test_yesno_equality_accepts_chinese_and_english_spellings():
    assert holds({"attribute": "flag", "op": "==", "value": "true"}, flag="是") is True
    assert holds({"attribute": "flag", "op": "==", "value": "是"}, flag="false") is False
    assert holds({"attribute": "flag", "op": "!=", "value": "false"}, flag="true") is True


def test_in_a_list_of_choices():
    rule = {"attribute": "origin", "in": ["村改居", "拆迁安置"]}
    assert holds(rule, origin="拆迁安置") is True
    assert holds(rule, origin="城市新建") is False
    assert holds({"attribute": "count", "in": ["1", "2"]}, count="2") is True


def test_present_and_absent():
    assert holds({"attribute": "area", "present": "true"}, area="120") is True
    assert holds({"attribute": "area", "present": "true"}) is False
    assert holds({"attribute": "area", "present": "false"}) is True
    assert holds({"attribute": "area", "present": "否"}, area="120") is False


def test_a_condition_on_a_missing_value_is_unknown():
    assert holds({"attribute": "share", "op": ">=", "value": "0.5"}) is None
    assert holds({"attribute": "origin", "in": ["村改居"]}) is None


# -- combinations --------------------------------------------------------------------------------

YEAR_OLD = {"attribute": "year", "op": "<=", "value": "2000"}
NOT_MOVED = {"attribute": "flag", "op": "==", "value": "false"}
VILLAGE = {"attribute": "origin", "in": ["村改居"]}


def test_all_any_not_nested():
    rule = {"all": [YEAR_OLD, {"any": [VILLAGE, {"not": NOT_MOVED}]}]}
    assert holds(rule, year="1990", origin="城市新建", flag="true") is True  # not(flag == false)
    assert holds(rule, year="1990", origin="村改居", flag="false") is True  # the village branch
    assert holds(rule, year="1990", origin="城市新建", flag="false") is False
    assert holds(rule, year="2005", origin="村改居", flag="true") is False


def test_unknown_follows_three_valued_logic():
    # a False part settles all/any without the missing value; otherwise the result stays unknown
    assert holds({"all": [YEAR_OLD, VILLAGE]}, year="2005") is False
    assert holds({"all": [YEAR_OLD, VILLAGE]}, year="1990") is None
    assert holds({"any": [YEAR_OLD, VILLAGE]}, year="1990") is True
    assert holds({"any": [YEAR_OLD, VILLAGE]}, year="2005") is None
    assert holds({"not": VILLAGE}) is None


# -- decisions -----------------------------------------------------------------------------------

OLD = {"attribute": "year", "op": "<=", "value": "2000"}
COMMODITY = {"attribute": "share", "op": ">=", "value": "0.5"}


def test_single_match_is_consistent_with_the_recorded_type_and_says_why():
    result = one({"old": OLD, "commodity": COMMODITY}, {"year": "1990", "share": "0.2"}, recorded="old")
    assert result.status == "consistent"
    assert result.computed.id == "old"
    assert result.reason == "建成年份 1990 年 ≤ 2000 年"


def test_precedence_decides_between_several_matches():
    attrs = {"year": "1990", "share": "0.8"}
    first = one({"old": OLD, "commodity": COMMODITY}, attrs, recorded="old", precedence=["old", "commodity"])
    assert (first.status, first.computed.id) == ("consistent", "old")
    assert "也符合commodity型社区，优先顺序在后" in first.reason
    assert "old型社区第 1 位、commodity型社区第 2 位" in first.decision
    swapped = one({"old": OLD, "commodity": COMMODITY}, attrs, recorded="old", precedence=["commodity", "old"])
    assert (swapped.status, swapped.computed.id) == ("mismatch", "commodity")
    assert swapped.reason.startswith("登记为old型社区，规则计算为commodity型社区：商品住宅占比 0.8 ≥ 0.5")


def test_several_matches_without_precedence_are_ambiguous():
    result = one({"old": OLD, "commodity": COMMODITY}, {"year": "1990", "share": "0.8"}, recorded="old")
    assert result.status == "ambiguous"
    assert result.computed is None
    assert [t.id for t in result.matches] == ["old", "commodity"]
    assert result.reason == "同时符合old型社区、commodity型社区，优先顺序无法区分"


def test_a_match_missing_from_a_partial_precedence_is_ambiguous():
    rules = {"old": OLD, "commodity": COMMODITY, "village": VILLAGE}
    result = one(rules, {"year": "1990", "share": "0.8", "origin": "城市新建"}, precedence=["old"])
    assert result.status == "ambiguous"
    assert "commodity型社区不在优先顺序（precedence）中" in result.decision


def test_no_match_is_unclassified():
    result = one({"old": OLD, "commodity": COMMODITY}, {"year": "2010", "share": "0.1"}, recorded="old")
    assert (result.status, result.computed) == ("unclassified", None)
    assert result.reason == "不符合任何类型的规则"


def test_missing_data_names_the_attribute():
    result = one({"old": OLD, "commodity": COMMODITY}, {"year": "2010"}, recorded="commodity")
    assert result.status == "missing-data"
    assert result.missing == ["share"]
    assert result.reason == "缺少属性：商品住宅占比（share），无法判断"


def test_an_unknown_type_after_the_winner_does_not_block_the_decision():
    rules = {"old": OLD, "commodity": COMMODITY}
    decided = one(rules, {"year": "1990"}, recorded="old", precedence=["old", "commodity"])
    assert (decided.status, decided.computed.id) == ("consistent", "old")
    blocked = one(rules, {"share": "0.9"}, recorded="commodity", precedence=["old", "commodity"])
    assert (blocked.status, blocked.missing) == ("missing-data", ["year"])


def test_a_community_without_recorded_type_gets_a_proposal():
    result = one({"old": OLD, "commodity": COMMODITY}, {"year": "2010", "share": "0.7"})
    assert result.status == "mismatch"
    assert result.computed.id == "commodity"
    assert result.reason == "尚未登记类型，建议登记为commodity型社区：商品住宅占比 0.7 ≥ 0.5"


def test_types_without_rules_never_match():
    result = one({"old": None, "commodity": COMMODITY}, {"share": "0.7"}, recorded="old")
    assert (result.status, result.computed.id) == ("mismatch", "commodity")
    nothing = one({"old": None}, {"share": "0.7"}, recorded="old")
    assert (nothing.status, nothing.reason) == ("unclassified", "方案中没有任何类型写了分类规则")


def test_a_recorded_type_without_a_rule_matching_nothing_is_consistent():
    result = one({"old": None, "commodity": COMMODITY}, {"share": "0.1"}, recorded="old")
    assert (result.status, result.computed) == ("consistent", None)
    assert result.reason == "old型社区没有分类规则，不参与自动分类；也不符合其他类型的规则"
    unknown = one({"old": None, "commodity": COMMODITY}, {}, recorded="old")
    assert unknown.status == "missing-data"  # commodity might still hold
    ruled = one({"old": OLD, "commodity": COMMODITY}, {"year": "2010", "share": "0.1"}, recorded="old")
    assert ruled.status == "unclassified"  # a type with a rule that does not hold stays a finding


def test_classify_filters_by_recorded_or_computed_type():
    reg = registry({"old": OLD, "commodity": COMMODITY}, [
        {"id": "a", "name": "甲社区", "type": "old", "attributes": {"year": "1990"}},
        {"id": "b", "name": "乙社区", "type": "commodity", "attributes": {"year": "1995", "share": "0.1"}},
        {"id": "c", "name": "丙社区", "type": "commodity", "attributes": {"year": "2010", "share": "0.9"}},
    ], precedence=["old", "commodity"])
    old = reg.type_of("old")
    assert [r.community.id for r in classify(reg, old)] == ["a", "b"]  # b: recorded commodity, computed old
    assert [r.status for r in classify(reg)] == ["consistent", "mismatch", "consistent"]


# -- values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "text", "message"), [
    ("share", "1.2", "是比例，应在 0 到 1 之间，这里是 1.2"),
    ("share", "80%", "应为0 到 1 之间的比例，这里是“80%”"),
    ("count", "3.5", "应为整数，这里是“3.5”"),
    ("year", "98", "应为四位数的年份，这里是“98”"),
    ("flag", "yes", "应为是/否，这里是“yes”"),
    ("origin", "新建", "应为 城市新建、村改居、拆迁安置 之一，这里是“新建”"),
    ("area", "1,200", "应为数字，这里是“1,200”"),
])
def test_convert_refuses_text_that_does_not_fit(name, text, message):
    with pytest.raises(AttributeValueError) as info:
        convert(DECLS[name], text)
    assert info.value.message == message


def test_registry_gives_typed_values_and_skips_empty_ones():
    reg = registry({}, [{"id": "a", "name": "甲社区", "attributes": {"year": "1990", "flag": "是", "share": None, "area": "30"}}])
    assert reg.attribute_values(reg.communities[0]) == {"year": 1990, "flag": True, "area": 30.0}


# -- the fast decision agrees with the explanation ---------------------------------------------

_CONDITIONS = st.sampled_from([
    {"attribute": "share", "op": ">=", "value": "0.5"}, {"attribute": "share", "op": "<", "value": "0.3"},
    {"attribute": "year", "op": "<=", "value": "2000"}, {"attribute": "count", "op": "!=", "value": "3"},
    {"attribute": "flag", "op": "==", "value": "是"}, {"attribute": "origin", "in": ["村改居", "拆迁安置"]},
    {"attribute": "area", "present": True}, {"attribute": "origin", "present": False},
])
_RULES = st.recursive(_CONDITIONS, lambda inner: st.one_of(
    st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda x: {"not": x}, inner)), max_leaves=8)
_VALUES = st.fixed_dictionaries({}, optional={
    "share": st.sampled_from(["0", "0.3", "0.5", "1"]), "year": st.sampled_from(["1990", "2000", "2010"]),
    "count": st.sampled_from(["0", "3"]), "flag": st.sampled_from(["是", "否"]),
    "origin": st.sampled_from(["城市新建", "村改居", "拆迁安置"]), "area": st.sampled_from(["12.5"])})


@settings(max_examples=200, deadline=None)
@given(_RULES, _VALUES)
def test_the_fast_decision_gives_the_explained_result_for_any_rule(rule, values):
    holds(rule, **values)  # asserts that decide() and evaluate() agree
    typed = {k: convert(DECLS[k], v) for k, v in values.items()}
    parsed = Rule.model_validate(rule)
    if decide(parsed, typed, DECLS):
        assert _why(parsed, typed, DECLS) == evaluate(parsed, typed, DECLS).why()


def test_a_listing_explains_only_what_its_reason_needs():
    result = one({"a": {"attribute": "share", "op": ">=", "value": "0.5"}, "b": {"attribute": "year", "op": "<", "value": "2000"}},
                 {"share": "0.8", "year": "2010"}, recorded="a")
    assert result.reason == "商品住宅占比 0.8 ≥ 0.5"
    assert all(o._trace is False for o in result.outcomes)  # the reason line needed no trace
    assert result.outcomes[1].trace.why() == "建成年份 2010 年 < 2000 年"  # built on demand, same as before
