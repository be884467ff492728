"""The ranking rules on small hand-built registries (zhili.domain.ranking)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from zhili.domain.ranking import Designation, compare, rank_year, suggest_pairs
from zhili.errors import MissingPartError, UsageError
from zhili.model.community import Community
from zhili.model.evaluation import Evaluation, EvaluationYear, Remediation, Veto
from zhili.model.registry import Registry
from zhili.model.scheme import CommunityType, EvaluationRules, Scheme, Stage, YearRules
from zhili.model.unit import Unit
from zhili.model.vocab import Vocabularies

W = {"self_assessment": "0.2", "street_review": "0.3", "district_review": "0.5"}
LABELS = {"self_assessment": "社区自评", "street_review": "街道初评", "district_review": "区级评议"}
TIE_BREAK = ["district_review", "street_review", "self_assessment"]


def rules(weights=W, **kw) -> EvaluationRules:
    """Three scored stages (as the bundled data declares them) with the given weights."""
    stages = [Stage(id=k, label=LABELS[k], weight=w) for k, w in weights.items()]
    return EvaluationRules(stages=stages, tie_break=kw.pop("tie_break", TIE_BREAK), **kw)
A, L = Designation.ADVANCED, Designation.LAGGING


def ev(cid: str, s, t, d, vetoes=()) -> Evaluation:
    return Evaluation(community=cid, self_assessment=s, street_review=t, district_review=d,
                      vetoes=[Veto(item=i, reason="示例") for i in vetoes])


def registry(communities: list[tuple[str, str]] | list[tuple[str, str, str]], years: dict[int, list[Evaluation]],
             weights=W, advanced=2, lagging=2, overrides=(), remediation=(), evaluation=None) -> Registry:
    """Communities as (id, street[, type id]); all in type "t" unless a type id is given."""
    types = [CommunityType(id="t", name="甲型社区"), CommunityType(id="u", name="乙型社区")]
    comms = [Community(id=c[0], name=f"{c[0]}社区", street=c[1], type=c[2] if len(c) > 2 else "t") for c in communities]
    streets = sorted({c.street for c in comms})
    return Registry(
        data_dir=Path("."),
        scheme=Scheme(id="s", name="示例", jurisdiction="示例区", title="示例方案", document="示例〔2021〕1号",
                      issuer="示例", date="2021-03-10"),
        categories=[], types=types, communities=comms,
        units=[Unit(name=s, kind="街道") for s in streets] + [Unit(name="区委组织部", kind="党委部门")],
        groups=[], tasks=[],
        evaluation=evaluation or rules(weights, advanced=advanced, lagging=lagging, years=list(overrides)),
        evaluations=[EvaluationYear(year=y, evaluations=records) for y, records in sorted(years.items())],
        remediation=list(remediation), vocabularies=Vocabularies(),
    )


def only(reg: Registry, year: int = 2021):
    rankings = rank_year(reg, year)
    return rankings[0]


def view(ranking) -> list[tuple[str, int | None, Designation | None]]:
    return [(e.community.id, e.rank, e.designation) for e in ranking.entries]


def test_composite_by_weights_highest_first():
    reg = registry([("a", "X"), ("b", "X"), ("c", "X"), ("d", "X"), ("e", "X")], {2021: [
        ev("a", 80, 80, 80), ev("b", 100, 60, 90), ev("c", 60, 100, 85), ev("d", 95, 95, 70), ev("e", 70, 70, 70)]})
    r = only(reg)
    # b = 20+18+45 = 83, c = 12+30+42.5 = 84.5, a = 80, d = 19+28.5+35 = 82.5, e = 70
    assert [(e.community.id, e.score, e.rank) for e in r.entries] == [
        ("c", 84.5, 1), ("b", 83.0, 2), ("d", 82.5, 3), ("a", 80.0, 4), ("e", 70.0, 5)]
    assert view(r)[0][2] is A and view(r)[1][2] is A
    assert view(r)[3][2] is L and view(r)[4][2] is L
    assert view(r)[2][2] is None
    assert r.warnings == []


def test_exact_arithmetic_no_float_drift():
    # 0.2*0.1 + 0.3*0.2 + 0.5*0.3 style sums drift in floats; two equal composites must tie, not differ by 1e-15
    reg = registry([("a", "X"), ("b", "X")], {2021: [ev("a", "90.1", "80.2", "70.3"), ev("b", "90.1", "80.2", "70.3")]},
                   advanced=0, lagging=0)
    r = only(reg)
    assert [e.rank for e in r.entries] == [1, 1]


def test_tie_broken_by_district_review():
    reg = registry([("a", "X"), ("b", "X")], {2021: [ev("a", 94, 87, 85), ev("b", 90, 88, 86)]}, advanced=1, lagging=1)
    r = only(reg)
    assert r.entries[0].score == r.entries[1].score == 87.4
    assert view(r) == [("b", 1, A), ("a", 2, L)]
    assert r.tie_breaks == ["b社区与a社区综合得分相同（87.4），按区级评议（86 对 85）排定先后。"]
    assert r.warnings == []


def test_tie_broken_by_street_review_when_district_equal():
    reg = registry([("a", "X"), ("b", "X")], {2021: [ev("a", 90, 80, 80), ev("b", 84, 84, 80)]}, advanced=1, lagging=1)
    r = only(reg)
    assert view(r) == [("b", 1, A), ("a", 2, L)]
    assert "按街道初评（84 对 80）" in r.tie_breaks[0]


def test_tie_broken_by_self_assessment_last():
    weights = {"self_assessment": "0", "street_review": "0.5", "district_review": "0.5"}
    reg = registry([("a", "X"), ("b", "X")], {2021: [ev("a", 85, 80, 80), ev("b", 90, 80, 80)]}, weights=weights,
                   advanced=1, lagging=1)
    r = only(reg)
    assert view(r) == [("b", 1, A), ("a", 2, L)]
    assert "按社区自评（90 对 85）" in r.tie_breaks[0]


def test_unbreakable_tie_is_shared_rank_with_committee_warning():
    records = [ev("a", 90, 90, 90), ev("b", 85, 85, 85), ev("c", 85, 85, 85), ev("d", 80, 80, 80), ev("e", 70, 70, 70),
               ev("f", 60, 60, 60)]
    reg = registry([(c, "X") for c in "abcdef"], {2021: records})
    r = only(reg)
    assert [(e.community.id, e.rank, e.tied) for e in r.entries][:3] == [("a", 1, False), ("b", 2, True), ("c", 2, True)]
    assert r.entries[3].rank == 4  # competition ranking: 1, 2, 2, 4
    assert any("b社区、c社区" in w and "并列第 2 名" in w and "评议委员会" in w for w in r.warnings)
    # the tie sits exactly on the 先进 boundary (2 places, 3 candidates): neither is named, both wait
    assert r.entries[0].designation is A
    assert [e.designation for e in r.entries[1:3]] == [None, None]
    assert [e.pending for e in r.entries[1:3]] == [A, A]
    assert any("先进名额只剩 1 个" in w and "不能按名称或录入顺序" in w for w in r.warnings)


def test_tie_never_broken_by_name_or_file_order():
    records = [ev("b", 70, 70, 70), ev("a", 70, 70, 70), ev("c", 90, 90, 90)]
    forward = only(registry([("a", "X"), ("b", "X"), ("c", "X")], {2021: records}, advanced=1, lagging=1))
    backward = only(registry([("c", "X"), ("b", "X"), ("a", "X")], {2021: list(reversed(records))}, advanced=1, lagging=1))
    for r in (forward, backward):
        got = {e.community.id: (e.rank, e.designation, e.pending) for e in r.entries}
        assert got == {"c": (1, A, None), "a": (2, None, L), "b": (2, None, L)}


def test_veto_is_lagging_regardless_of_score_and_uses_a_lagging_place():
    records = [ev("a", 99, 99, 99, vetoes=["发生重大安全事故"]), ev("b", 90, 90, 90), ev("c", 85, 85, 85),
               ev("d", 80, 80, 80), ev("e", 75, 75, 75), ev("f", 70, 70, 70)]
    r = only(registry([(c, "X") for c in "abcdef"], {2021: records}))
    got = {e.community.id: e.designation for e in r.entries}
    assert got == {"a": L, "b": A, "c": A, "d": None, "e": None, "f": L}
    top = r.entries[0]
    assert top.community.id == "a" and top.rank == 1 and top.veto
    assert any("a社区有一票否决事项（发生重大安全事故）" in w for w in r.warnings)


def test_more_vetoes_than_lagging_places_all_lagging():
    records = [ev(c, 90 - i, 90 - i, 90 - i, vetoes=["新增违法建设"] if c in "abc" else ()) for i, c in enumerate("abcdef")]
    r = only(registry([(c, "X") for c in "abcdef"], {2021: records}))
    got = {e.community.id: e.designation for e in r.entries}
    assert got == {"a": L, "b": L, "c": L, "d": A, "e": A, "f": None}
    assert any("一票否决的社区有 3 个，多于后进名额 2 个" in w for w in r.warnings)


def test_three_community_type_gets_one_and_one():
    r = only(registry([("a", "X"), ("b", "X"), ("c", "X")], {2021: [ev("a", 90, 90, 90), ev("b", 80, 80, 80),
                                                                    ev("c", 70, 70, 70)]}))
    assert view(r) == [("a", 1, A), ("b", 2, None), ("c", 3, L)]
    assert (r.advanced_quota, r.lagging_quota) == (1, 1)
    assert any("只有 3 个" in w and "评定先进 1 个、后进 1 个" in w for w in r.warnings)


def test_one_community_type_gets_neither():
    r = only(registry([("a", "X")], {2021: [ev("a", 90, 90, 90)]}))
    assert view(r) == [("a", 1, None)]
    assert (r.advanced_quota, r.lagging_quota) == (0, 0)
    assert any("只有 1 个" in w and "评定先进 0 个、后进 0 个" in w for w in r.warnings)


def test_missing_and_incomplete_evaluations_are_unrated():
    records = [ev("a", 90, 90, 90), ev("b", 80, None, 80), ev("c", 70, 70, 70), ev("d", 60, 60, 60), ev("e", 50, 50, 50)]
    r = only(registry([(c, "X") for c in "abcdef"], {2021: records}))
    assert [(e.community.id, e.rank) for e in r.entries] == [("a", 1), ("c", 2), ("d", 3), ("e", 4), ("b", None), ("f", None)]
    unrated = {e.community.id: e for e in r.entries if not e.rated}
    assert all(e.designation is None and e.score is None for e in unrated.values())
    assert "b社区的 2021 年评议不完整（缺少街道初评），列为未评，不参加排队。" in r.warnings
    assert "f社区没有 2021 年的评议记录，列为未评，不参加排队。" in r.warnings
    assert r.entries[0].designation is A and r.entries[3].designation is L


def test_per_year_override_of_weights_and_counts():
    override = YearRules(year=2022, weights={"self_assessment": "0", "street_review": "0", "district_review": "1"}, lagging=1)
    records = [ev("a", 100, 100, 62), ev("b", 60, 60, 90), ev("c", 70, 70, 70), ev("d", 80, 80, 80)]
    reg = registry([(c, "X") for c in "abcd"], {2021: records, 2022: records}, overrides=[override])
    # 2021, default weights: a 81, d 80, b 75, c 70
    assert [e.community.id for e in only(reg, 2021).entries] == ["a", "d", "b", "c"]
    r22 = only(reg, 2022)
    assert [e.community.id for e in r22.entries] == ["b", "d", "c", "a"]
    assert (r22.advanced_quota, r22.lagging_quota) == (2, 1)
    assert [e.designation for e in r22.entries] == [A, A, None, L]


def test_year_without_data_is_a_finding():
    reg = registry([("a", "X")], {2021: [ev("a", 90, 90, 90)], 2022: []})
    with pytest.raises(MissingPartError) as info:
        rank_year(reg, 2023)
    assert "没有 2023 年的评议数据" in info.value.message and "2021" in info.value.hint
    with pytest.raises(MissingPartError):
        rank_year(reg, 2022)  # a file with no records is no data either


def test_types_are_ranked_separately_and_type_filter():
    reg = registry([("a", "X", "t"), ("b", "X", "u"), ("c", "X", "t")], {2021: [ev("a", 90, 90, 90), ev("b", 50, 50, 50),
                                                                               ev("c", 70, 70, 70)]})
    both = rank_year(reg, 2021)
    assert [[e.community.id for e in r.entries] for r in both] == [["a", "c"], ["b"]]
    only_u = rank_year(reg, 2021, reg.types[1])
    assert [r.type.id for r in only_u] == ["u"]


def test_previous_year_change():
    y1 = [ev("a", 90, 90, 90), ev("b", 80, 80, 80), ev("c", 70, 70, 70), ev("d", 60, 60, 60)]
    y2 = [ev("a", 70, 70, 70), ev("b", 80, 80, 80), ev("c", 75, 75, 75), ev("d", 95, 95, 95)]
    r = only(registry([(c, "X") for c in "abcd"], {2021: y1, 2022: y2}), 2022)
    change = {e.community.id: (e.rank_change, e.previous.rank, e.previous.designation) for e in r.entries}
    assert change == {"d": (3, 4, L), "b": (0, 2, A), "c": (0, 3, L), "a": (-3, 1, A)}
    first = only(registry([(c, "X") for c in "abcd"], {2021: y1}), 2021)
    assert all(e.previous is None and e.rank_change is None for e in first.entries)


def test_compare_movement_of_lagging_with_measures():
    y1 = [ev("a", 90, 90, 90), ev("b", 80, 80, 80), ev("c", 70, 70, 70), ev("d", 60, 60, 60), ev("e", 50, 50, 50)]
    y2 = [ev("a", 90, 90, 90), ev("b", 60, 60, 60), ev("c", 70, 70, 70), ev("d", 95, 95, 95)]  # e not evaluated
    measure = Remediation(community="d", year=2021, measure="先进社区帮带", partner="a", start=date(2022, 1, 10))
    reg = registry([(c, "X") for c in "abcde"], {2021: y1, 2022: y2}, remediation=[measure])
    [(ranking, moves)] = compare(reg, 2022, 2021, reg.types[0])
    got = {m.base.community.id: (m.status, m.now.rank if m.now and m.now.rated else None) for m in moves}
    assert got == {"d": ("moved_up", 1), "e": ("unrated", None)}
    d = next(m for m in moves if m.base.community.id == "d")
    assert [x.measure for x in d.measures] == ["先进社区帮带"]
    # a lagging community that stays lagging
    y3 = [ev("a", 90, 90, 90), ev("b", 80, 80, 80), ev("c", 70, 70, 70), ev("d", 60, 60, 60), ev("e", 50, 50, 50)]
    [(_, moves), (_, none)] = compare(registry([(c, "X") for c in "abcde"], {2021: y1, 2022: y3}), 2022, 2021)
    assert none == []  # the other type has no communities, so no 后进
    assert {m.base.community.id: m.status for m in moves} == {"d": "still_lagging", "e": "still_lagging"}
    assert all(m.measures == [] for m in moves)
    with pytest.raises(UsageError):
        compare(reg, 2021, 2021)
    with pytest.raises(MissingPartError):
        compare(reg, 2022, 2020)


def test_pairs_prefer_same_street_then_spread_the_load():
    records = [ev("a", 95, 95, 95), ev("b", 90, 90, 90), ev("c", 80, 80, 80), ev("d", 70, 70, 70), ev("e", 60, 60, 60)]
    reg = registry([("a", "东街道"), ("b", "西街道"), ("c", "东街道"), ("d", "北街道"), ("e", "西街道")], {2021: records})
    ranking = only(reg)
    pairs, warnings = suggest_pairs(reg, ranking)
    got = [(p.lagging.community.id, p.advanced.community.id, p.same_street) for p in pairs]
    # worst first: e (西) takes b (西, same street); d (北) has no same-street 先进: a, which helps nobody yet
    assert got == [("e", "b", True), ("d", "a", False)]
    assert warnings == []


def test_pairs_without_advanced_warn():
    reg = registry([("a", "X")], {2021: [ev("a", 90, 90, 90, vetoes=["发生重大安全事故"])]})
    pairs, warnings = suggest_pairs(reg, only(reg))
    assert [(p.lagging.community.id, p.advanced) for p in pairs] == [("a", None)]
    assert any("没有评定先进社区" in w for w in warnings)


def test_pairs_equal_candidates_left_to_committee():
    records = [ev("a", 90, 90, 90), ev("b", 90, 90, 90), ev("c", 80, 80, 80), ev("d", 70, 70, 70)]
    reg = registry([("a", "X"), ("b", "X"), ("c", "Y"), ("d", "Y")], {2021: records}, advanced=2, lagging=1)
    pairs, warnings = suggest_pairs(reg, only(reg))
    assert [(p.lagging.community.id, p.advanced, sorted(c.community.id for c in p.candidates)) for p in pairs] == [
        ("d", None, ["a", "b"])]
    assert any("需由评议委员会指定" in w for w in warnings)


def test_type_without_communities_has_one_plain_warning():
    reg = registry([("a", "X")], {2021: [ev("a", 90, 90, 90)]})
    empty = rank_year(reg, 2021)[1]
    assert empty.entries == [] and empty.warnings == ["本类型没有参加排队的社区。"]


def test_previous_year_unrated_shows_as_such():
    y1 = [ev("a", 90, 90, 90), ev("b", 80, None, 80)]
    y2 = [ev("a", 90, 90, 90), ev("b", 80, 80, 80)]
    r = only(registry([("a", "X"), ("b", "X")], {2021: y1, 2022: y2}), 2022)
    b = next(e for e in r.entries if e.community.id == "b")
    assert b.previous is not None and b.previous.rank is None and b.rank_change is None
