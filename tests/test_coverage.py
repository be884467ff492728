"""Pilot coverage on small hand-built registries: boundaries, the target in force, led types."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from zhili.domain.coverage import meets, unit_coverage
from zhili.errors import MissingPartError
from zhili.model.community import Community
from zhili.model.registry import Registry
from zhili.model.scheme import CommunityType, Scheme
from zhili.model.unit import Unit

TARGETS = {"targets": [{"by": "2022-12-31", "share": "0.3"}, {"by": "2023-12-31", "share": "0.6"}],
           "min_pilots_per_led_type": "2"}


def scheme(coverage: dict | None = TARGETS) -> Scheme:
    return Scheme.model_validate({"id": "t", "name": "测试方案", "jurisdiction": "某市", "title": "方案", "document": "某〔2022〕1号",
                                  "issuer": "某市政府", "date": "2022-05-07", "coverage": coverage})


TYPES = [CommunityType(id="a", name="甲类社区"), CommunityType(id="b", name="乙类村")]


def community(i: int, street: str, type_: str = "甲类社区", pilot: str | None = None) -> Community:
    return Community.model_validate({"id": f"c{street}{i}".encode().hex(), "name": f"{i}号社区", "street": street,
                                     "type": type_, "pilot_start": pilot})


def registry(communities: list[Community], units: list[Unit] | None = None, coverage: dict | None = TARGETS) -> Registry:
    units = units or [Unit(name="东镇", kind="镇", level="unit"), Unit(name="西镇", kind="镇", level="unit", leads=["甲类社区"]),
                      Unit(name="空镇", kind="镇", level="unit"), Unit(name="市民政局", kind="政府部门")]
    return Registry(Path("."), scheme(coverage), [], TYPES, communities, units, [], [])


def rows(reg: Registry, day: str) -> dict:
    return {r.unit: r for r in unit_coverage(reg, date.fromisoformat(day)).rows}


def test_exactly_thirty_percent_meets_and_one_less_does_not():
    three = [community(i, "东镇", pilot="2022-03-01" if i < 3 else None) for i in range(10)]
    r = rows(registry(three), "2022-12-31")["东镇"]
    assert (r.communities, r.pilots, r.share, r.target, r.meets) == (10, 3, 0.3, 0.3, True)
    two = [community(i, "东镇", pilot="2022-03-01" if i < 2 else None) for i in range(10)]
    r = rows(registry(two), "2022-12-31")["东镇"]
    assert (r.pilots, r.share, r.meets) == (2, 0.2, False)


def test_a_town_without_communities_is_listed_and_has_nothing_to_miss():
    reg = registry([community(0, "东镇", pilot="2022-01-01")])
    report = unit_coverage(reg, date(2022, 12, 31))
    empty = next(r for r in report.rows if r.unit == "空镇")
    assert (empty.communities, empty.pilots, empty.share, empty.meets, empty.ok) == (0, 0, None, None, True)
    assert empty.ok
    assert [r.unit for r in report.rows] == ["东镇", "西镇", "空镇"]  # street-level units only, in registry order


def test_target_switches_the_day_after_a_deadline():
    reg = registry([community(i, "东镇", pilot="2022-03-01" if i < 4 else None) for i in range(10)])
    last_day = rows(reg, "2022-12-31")["东镇"]
    next_day = rows(reg, "2023-01-01")["东镇"]
    assert (last_day.target, last_day.target_by, last_day.meets) == (0.3, date(2022, 12, 31), True)
    assert (next_day.target, next_day.target_by, next_day.meets) == (0.6, date(2023, 12, 31), False)
    # before the first deadline the first target applies; after the last one the last stays in force
    assert rows(reg, "2021-06-01")["东镇"].target == 0.3
    assert rows(reg, "2025-01-01")["东镇"].target == 0.6


def test_a_pilot_counts_from_its_start_date_on():
    reg = registry([community(0, "东镇", pilot="2022-06-01"), community(1, "东镇")])
    assert rows(reg, "2022-05-31")["东镇"].pilots == 0
    assert rows(reg, "2022-06-01")["东镇"].pilots == 1


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
    assert [r.unit for r in unit_coverage(reg, date(2022, 1, 1), "西镇").rows] == ["西镇"]


def test_a_scheme_without_targets_says_so():
    with pytest.raises(MissingPartError) as exc:
        unit_coverage(registry([community(0, "东镇")], coverage=None), date(2022, 1, 1))
    assert exc.value.message.startswith("该数据集没有试点覆盖目标")


@pytest.mark.parametrize("share", ["0.3", "0.6", "0.7", "0.29", "0.333"])
def test_meets_is_exact_for_every_count(share):
    required = Fraction(share)
    for communities in range(1, 120):
        for pilots in range(communities + 1):
            assert meets(pilots, communities, float(share)) == (Fraction(pilots, communities) >= required)
