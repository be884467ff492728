"""Resolving what users type as a unit, and the per-unit counts, on a hand-built ledger."""

from __future__ import annotations

from datetime import date

import pytest

from test_tasks import QUARTERLY, entry, registry, task
from zhili.domain.tasks import task_states
from zhili.domain.unit_counts import unit_rows
from zhili.domain.units import find_unit
from zhili.errors import UsageError


def test_canonical_alias_and_short_form():
    reg = registry([])
    assert find_unit(reg, "区住建局").name == "区住建局"
    assert find_unit(reg, " 区住建局 ").name == "区住建局"
    short = find_unit(reg, "住建局")
    assert (short.text, short.name, short.is_group) == ("住建局", "区住建局", False)
    assert find_unit(reg, "市场监管局").name == "区市场监管局"  # alias, exact
    assert find_unit(reg, "组织部").members == frozenset({"区委组织部"})


def test_group_stands_for_its_members():
    reg = registry([])
    q = find_unit(reg, "各街道")
    assert q.is_group and q.members == frozenset({"涪江街道", "富乐街道"})
    street = find_unit(reg, "涪江街道")
    assert not street.is_group and street.members == frozenset({"涪江街道"})


def test_ambiguous_short_form_lists_candidates():
    reg = registry([])
    with pytest.raises(UsageError) as exc:
        find_unit(reg, "街道")
    assert exc.value.message == "“街道”可以指多个单位。您是否要找：涪江街道、富乐街道、各街道？"


def test_unknown_unit_always_offers_candidates():
    reg = registry([])
    with pytest.raises(UsageError) as exc:
        find_unit(reg, "区住建委")
    assert exc.value.message.startswith("没有名为“区住建委”的单位。您是否要找：区住建局")
    with pytest.raises(UsageError) as exc:
        find_unit(reg, "xyz")
    assert "您是否要找：" in exc.value.message


def test_counts_go_through_groups_and_aliases():
    reg = registry([
        task(1, lead=["各街道"], support=["市场监管局"], due="2021-03-19"),
        task(2, lead=["涪江街道", "区住建局"], support=["各街道"]),
        task(3, lead=["区住建局"], support=["经济试验区"], **QUARTERLY),
    ], [entry(3, "2021-05-01")])
    rows = {r["name"]: r for r in unit_rows(reg, task_states(reg, date(2021, 7, 1)))}
    assert (rows["涪江街道"]["lead"], rows["涪江街道"]["support"]) == (2, 1)  # task 1 via 各街道, task 2 by name and via the group
    assert (rows["富乐街道"]["lead"], rows["富乐街道"]["support"]) == (1, 1)
    assert (rows["经济试验区"]["lead"], rows["经济试验区"]["support"]) == (0, 1)
    assert rows["区市场监管局"]["support"] == 1  # written 市场监管局 in the ledger
    assert rows["涪江街道"]["groups"] == ["各街道"]
    assert rows["涪江街道"]["overdue"] == 1 and rows["涪江街道"]["overdue_tasks"] == ["1"]
    assert rows["区市场监管局"]["overdue"] == 0 and rows["区市场监管局"]["overdue_support"] == 1
    assert rows["区住建局"]["overdue"] == 0  # the quarter had its entry
    later = {r["name"]: r for r in unit_rows(reg, task_states(reg, date(2021, 10, 1)))}
    assert later["区住建局"]["overdue"] == 1 and later["区住建局"]["overdue_tasks"] == ["3"]


def test_sorting():
    reg = registry([
        task(1, lead=["区民政局"], support=["区住建局"], due="2021-03-19"),
        task(2, lead=["区民政局"], support=["区住建局"]),
        task(3, lead=["区委组织部"], support=["区住建局"], due="2021-03-01"),
    ])
    states = task_states(reg, date(2021, 12, 31))
    assert [r["name"] for r in unit_rows(reg, states)][:3] == ["区住建局", "区民政局", "区市场监管局"]  # units.yaml order
    assert [r["name"] for r in unit_rows(reg, states, "lead")][:2] == ["区民政局", "区委组织部"]
    assert [r["name"] for r in unit_rows(reg, states, "support")][0] == "区住建局"
    overdue = unit_rows(reg, states, "overdue")
    assert [(r["name"], r["overdue"]) for r in overdue[:2]] == [("区民政局", 1), ("区委组织部", 1)]  # ties: file order
    names = [r["name"] for r in unit_rows(reg, states, "name")]
    assert names == sorted(names)
    with pytest.raises(UsageError):
        unit_rows(reg, states, "size")
