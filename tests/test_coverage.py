"""Target coverage on small hand-built registries: boundaries, the target in force, led types, counts,
the whole jurisdiction, per type, programmes other than pilots."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from zhili.domain.coverage import coverage, meets, timelines
from zhili.errors import MissingPartError
from zhili.model.community import Community
from zhili.model.registry import Registry
from zhili.model.scheme import CommunityType, Scheme
from zhili.model.targets import Programme, Target
from zhili.model.unit import Unit

EACH = {"programme": "pilot", "scope": "each", "level": "unit", "min_per_led_type": "2"}
TARGETS = [{"id": "p22", "by": "2022-12-31", "share": "0.3", **EACH}, {"id": "p23", "by": "2023-12-31", "share": "0.6", **EACH}]
PROGRAMMES = [Programme(id="pilot", name="试点"), Programme(id="park", name="未来公园社区")]


def scheme() -> Scheme:
    return Scheme.model_validate({"id": "t", "name": "测试方案", "jurisdiction": "某市"})


TYPES = [CommunityType(id="a", name="甲类社区"), CommunityType(id="b", name="乙类村")]


def community(i: int, street: str, type_: str = "甲类社区", pilot: str | None = None, **programmes: str) -> Community:
    return Community.model_validate({"id": f"c{street}{i}".encode().hex(), "name": f"{i}号社区", "street": street,
                                     "type": type_, "pilot_start": pilot, "programmes": programmes})


def registry(communities: list[Community], units: list[Unit] | None = None, targets: list[dict] | None = None) -> Registry:
    units = units or [Unit(name="东镇", kind="镇", level="unit"), Unit(name="西镇", kind="镇", level="unit", leads=["甲类社区"]),
                      Unit(name="空镇", kind="镇", level="unit"), Unit(name="市民政局", kind="政府部门")]
    return Registry(Path("."), scheme(), [], TYPES, communities, units, [], [], programmes=PROGRAMMES,
                    targets=[Target.model_validate(t) for t in (TARGETS if targets is None else targets)])


def rows(reg: Registry, day: str) -> dict:
    return {r.unit: r for r in coverage(reg, date.fromisoformat(day)).rows}


def test_exactly_thirty_percent_meets_and_one_less_does_not():
    three = [community(i, "东镇", pilot="2022-03-01" if i < 3 else None) for i in range(10)]
    r = rows(registry(three), "2022-12-31")["东镇"]
    assert (r.communities, r.members, r.share, r.target.share, r.meets, r.required) == (10, 3, 0.3, 0.3, True, 3)
    two = [community(i, "东镇", pilot="2022-03-01" if i < 2 else None) for i in range(10)]
    r = rows(registry(two), "2022-12-31")["东镇"]
    assert (r.members, r.share, r.meets) == (2, 0.2, False)


def test_a_town_without_communities_is_listed_and_has_nothing_to_miss():
    reg = registry([community(0, "东镇", pilot="2022-01-01")])
    report = coverage(reg, date(2022, 12, 31))
    empty = next(r for r in report.rows if r.unit == "空镇")
    assert (empty.communities, empty.members, empty.share, empty.meets, empty.ok) == (0, 0, None, None, True)
    assert empty.ok
    assert [r.unit for r in report.rows] == ["东镇", "西镇", "空镇"]  # street-level units only, in registry order


def test_target_switches_the_day_after_a_deadline():
    reg = registry([community(i, "东镇", pilot="2022-03-01" if i < 4 else None) for i in range(10)])
    last_day = rows(reg, "2022-12-31")["东镇"]
    next_day = rows(reg, "2023-01-01")["东镇"]
    assert (last_day.target.share, last_day.target.by, last_day.meets) == (0.3, date(2022, 12, 31), True)
    assert (next_day.target.share, next_day.target.by, next_day.meets) == (0.6, date(2023, 12, 31), False)
    # before the first deadline the first target applies; after the last one the last stays in force
    assert rows(reg, "2021-06-01")["东镇"].target.id == "p22"
    assert rows(reg, "2025-01-01")["东镇"].target.id == "p23"


def test_a_pilot_counts_from_its_start_date_on():
    reg = registry([community(0, "东镇", pilot="2022-06-01"), community(1, "东镇")])
    assert rows(reg, "2022-05-31")["东镇"].members == 0
    assert rows(reg, "2022-06-01")["东镇"].members == 1


def test_led_type_with_fewer_than_two_pilots_is_reported():
    communities = [community(0, "西镇", pilot="2022-03-01"), community(1, "西镇", pilot="2023-02-01"),
                   community(2, "西镇", "乙类村", pilot="2022-03-01")]
    reg = registry(communities)
    r = rows(reg, "2022-12-31")["西镇"]
    assert r.meets  # 2 of 3 pilots: the share is met
    assert [(s.type, s.pilots, s.required) for s in r.short_types] == [("甲类社区", 1, 2)]  # the 乙类村 pilot does not count
    assert not r.ok
    r = rows(reg, "2023-12-31")["西镇"]
    assert r.short_types == [] and r.ok


def test_only_the_requested_street():
    reg = registry([community(0, "东镇"), community(1, "西镇")])
    assert [r.unit for r in coverage(reg, date(2022, 1, 1), "西镇").rows] == ["西镇"]


def test_a_scheme_without_targets_says_so():
    with pytest.raises(MissingPartError) as exc:
        coverage(registry([community(0, "东镇")], targets=[]), date(2022, 1, 1))
    assert exc.value.message.startswith("该数据集没有声明目标")


WHOLE = {"id": "park-2025", "programme": "park", "count": "3", "scope": "whole", "by": "2025-12-31"}


def test_a_count_for_the_whole_jurisdiction_counts_members_of_that_programme_only():
    communities = [community(0, "东镇", park="2024-05-01"), community(1, "西镇", park="2025-03-01"),
                   community(2, "西镇", pilot="2022-01-01"), community(3, "空镇", "乙类村", park="2026-01-01")]
    reg = registry(communities, targets=[WHOLE])
    (row,) = coverage(reg, date(2025, 12, 31)).rows
    assert (row.unit, row.communities, row.members, row.required, row.meets, row.ok) == ("某市", 4, 2, 3, False, False)
    assert row.to_dict()["measure"] == "count" and row.to_dict()["target"] == 3 and row.to_dict()["programme"] == "park"
    (row,) = coverage(reg, date(2026, 1, 1)).rows  # after the deadline the last target stays in force
    assert (row.members, row.meets) == (3, True)


def test_a_count_is_judged_even_without_communities():
    reg = registry([], units=[Unit(name="东镇", kind="镇", level="unit")], targets=[{**WHOLE, "scope": "each", "level": "unit"}])
    (row,) = coverage(reg, date(2025, 1, 1)).rows
    assert (row.communities, row.members, row.meets) == (0, 0, False)


def test_a_share_per_type_has_a_row_per_declared_type_and_leaves_unclassified_communities_out():
    communities = [community(0, "东镇", pilot="2022-01-01"), community(1, "东镇"), community(2, "西镇", "乙类村"),
                   community(3, "西镇", None, pilot="2022-01-01")]
    reg = registry(communities, targets=[{"id": "t", "programme": "pilot", "share": "0.5", "scope": "per_value",
                                          "dimension": "type", "by": "2022-12-31"}])
    got = [(r.value, r.communities, r.members, r.meets) for r in coverage(reg, date(2022, 12, 31)).rows]
    assert got == [("甲类社区", 2, 1, True), ("乙类村", 1, 0, False)]


def test_timelines_are_per_programme_and_scope_in_deadline_order():
    targets = [Target.model_validate(t) for t in [TARGETS[1], WHOLE, TARGETS[0]]]
    assert [[t.id for t in line] for line in timelines(targets)] == [["p22", "p23"], ["park-2025"]]
    reg = registry([community(0, "东镇", pilot="2022-01-01")], targets=[TARGETS[1], WHOLE, TARGETS[0]])
    report = coverage(reg, date(2022, 6, 1))
    assert [s.target.id for s in report.sections] == ["p22", "park-2025"]
    assert [s.target.id for s in coverage(reg, date(2022, 6, 1), target="p23").sections] == ["p22"]
    assert [s.target.id for s in coverage(reg, date(2022, 6, 1), "东镇").sections] == ["p22"]  # a unit: each-targets only


@pytest.mark.parametrize("share", ["0.3", "0.6", "0.7", "0.29", "0.333"])
def test_meets_is_exact_for_every_count(share):
    required = Fraction(share)
    for communities in range(1, 120):
        for pilots in range(communities + 1):
            assert meets(pilots, communities, float(share)) == (Fraction(pilots, communities) >= required)
