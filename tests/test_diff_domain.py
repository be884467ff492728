"""`zhili.domain.diff.diff(old, new)`: a pure comparison of two registries, no git and no terminal."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import DATA
from zhili.domain.diff import KINDS, SECTIONS, SOURCES, Changes, diff


@pytest.fixture(scope="module")
def reg():
    from zhili.loading.registry import load

    return load(DATA).registry


def changed(reg, **parts):
    return dataclasses.replace(reg, **parts)


def test_same_registry_no_changes(reg):
    result = diff(reg, reg)
    assert isinstance(result, Changes) and not result and result.changes == [] and result.skipped == []


def test_every_section_and_kind_has_a_label():
    assert set(SOURCES) == set(SECTIONS)
    assert set(KINDS) == {"added", "removed", "changed", "renamed", "reclassified"}


def test_a_task_field_is_compared_by_its_declaration(reg):
    task = next(t for t in reg.tasks if t.no == "7")
    tasks = [t.model_copy(update={"support": ["区发改局"]}) if t is task else t
             for t in reg.tasks]
    (c,) = diff(reg, changed(reg, tasks=tasks)).changes
    assert (c.section, c.kind, c.id, c.field, c.label) == ("tasks", "changed", "7", "support", "配合单位")
    assert c.new == ["区发改局"] and c.text.startswith("修改任务“7. 推进社区有机更新”：配合单位：")


def test_an_alias_for_the_same_unit_is_no_change(reg):
    units = [u.model_copy(update={"aliases": ["住建局"]}) if u.name == "区住建局" else u for u in reg.units]
    with_alias = changed(reg, units=units)
    tasks = [t.model_copy(update={"lead": ["住建局"]}) if t.no == "7" else t for t in reg.tasks]
    result = diff(with_alias, changed(with_alias, tasks=tasks))
    assert result.changes == []  # 住建局 is 区住建局: the meaning did not change


def test_type_written_by_id_is_no_reclassification(reg):
    c0 = reg.communities[0]
    t = reg.type_of(c0.type)
    communities = [c0.model_copy(update={"type": t.id}), *reg.communities[1:]]
    assert diff(reg, changed(reg, communities=communities)).changes == []


def test_attribute_values(reg):
    c0 = reg.communities[0]
    communities = [c0.model_copy(update={"attributes": {**c0.attributes, "households": "3300"}}), *reg.communities[1:]]
    new = changed(reg, communities=communities, _values={})
    (c,) = [x for x in diff(reg, new).changes if x.section == "communities"]
    label = reg.attribute("households").label
    assert (c.field, c.label, c.old, c.new) == ("attributes.households", label, "3200", "3300")


def test_files_that_did_not_validate_skip_their_sections(reg):
    result = diff(reg, changed(reg, progress=[]), unavailable={"progress"})
    assert result.changes == [] and result.skipped == ["progress"]
    result = diff(reg, changed(reg, evaluations=[]), unavailable={"evaluations"})
    assert result.changes == [] and result.skipped == ["evaluations", "designations"]


def test_removed_evaluation_year_changes_designations(reg):
    result = diff(reg, changed(reg, evaluations=[e for e in reg.evaluations if e.year != 2022]))
    sections = {c.section for c in result.changes}
    assert sections == {"evaluations", "designations"}
    assert all(c.kind == "removed" for c in result.changes if c.section == "evaluations")
    assert {c.new for c in result.changes if c.section == "designations"} == {"未参加排队"}


def test_a_score_changed_after_the_evaluation_date(reg):
    from datetime import date

    year = reg.evaluation_year(2021)
    first = year.evaluations[0]
    changed_year = year.model_copy(update={"evaluations": [first.model_copy(update={"street_review": 50}),
                                                           *year.evaluations[1:]]})
    new = changed(reg, evaluations=[changed_year if e.year == 2021 else e for e in reg.evaluations])
    (late,) = [c for c in diff(reg, new, as_of=date(2022, 1, 5)).changes if c.section == "evaluations"]
    assert (late.facts["evaluated_on"], late.facts["after_evaluation"]) == (date(2021, 11, 26), True)
    assert late.facts["street"] == reg.unit(first_community(reg, first.community).street).name
    assert late.note == "在评议日期（2021-11-26）之后修改"
    (early,) = [c for c in diff(reg, new, as_of=date(2021, 11, 20)).changes if c.section == "evaluations"]
    assert early.note is None and early.facts["after_evaluation"] is False
    (plain,) = [c for c in diff(reg, new).changes if c.section == "evaluations"]
    assert plain.note is None and "after_evaluation" not in plain.facts


def first_community(reg, cid):
    return next(c for c in reg.communities if c.id == cid)
