"""A mistake repeated in many entries is reported at every one of them.

The cross-checks work out once what every entry shares (a declaration's stages, an attribute's typed
texts, whether a street's unit is of the lowest level), so that a province's hundreds of thousands of
entries cost little; these tests make sure that the second, third, ... entry with the same mistake is
still reported, at its own line, and that repeated right values are typed as the first one.
"""

from __future__ import annotations

from pathlib import Path

from conftest import edit

from zhili.loading.registry import load
from zhili.model.values import convert


def lines_with(path: Path, text: str) -> list[int]:
    return [i + 1 for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()) if text in line]


def test_the_same_wrong_attribute_text_in_several_communities(data_copy):
    comms = data_copy / "communities.yaml"
    edit(comms, "institution_count: 6\n", "institution_count: 六个\n", count=-1)
    result = load(data_copy)
    found = [(d.code, d.line, d.message) for d in result.errors]
    assert [line for _, line, _ in found] == lines_with(comms, "institution_count: 六个") and len(found) >= 2
    assert {code for code, _, _ in found} == {"ZL308"}
    assert all(message.endswith("（institution_count）应为整数，这里是“六个”。") for _, _, message in found)


def test_repeated_attribute_texts_are_typed_as_the_first(data_copy):
    reg = load(data_copy).registry
    decls = {a.name: a for a in reg.attributes}
    for c in reg.communities:
        assert reg.attribute_values(c) == {k: convert(decls[k], v) for k, v in c.attributes.items() if v is not None}


def test_the_same_wrong_score_in_several_records(data_copy):
    year = data_copy / "evaluations" / "2021.yaml"
    edit(year, "street_review: 88\n", "street_review: 188\n", count=-1)
    found = [(d.code, d.line, d.message) for d in load(data_copy).errors]
    assert [line for _, line, _ in found] == lines_with(year, "street_review: 188") and len(found) == 5
    assert {message for _, _, message in found} == {"街道初评（street_review）的得分应为 0–100 的数，这里是“188”。"}


def test_a_missing_stage_after_complete_records_is_a_gap(data_copy):
    year = data_copy / "evaluations" / "2022.yaml"
    text = year.read_text(encoding="utf-8")
    last = text.rindex("    district_review:")
    year.write_text(text[:last] + text[text.index("\n", last) + 1:], encoding="utf-8")
    gaps = [d for d in load(data_copy).warnings if d.code == "ZL401"]
    assert len(gaps) == 1 and gaps[0].file.endswith("2022.yaml") and "缺少区级评议" in gaps[0].message


def test_several_communities_of_a_unit_above_the_lowest_level(data_copy):
    comms = data_copy / "communities.yaml"
    edit(comms, "    street: 涪江街道\n", "    street: 游仙区\n", count=-1)
    found = [(d.code, d.line) for d in load(data_copy).errors]
    assert found == [("ZL326", line) for line in lines_with(comms, "street: 游仙区")] and len(found) == 7
