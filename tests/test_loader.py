"""The loader on large files: positions found lazily, long lists validated a slice at a time, caps.

These are the mechanisms that keep `zhili validate` within its memory and time bounds; each test
checks that a user sees exactly what the simple way would have shown (the same line and column,
the same message).
"""

from __future__ import annotations

import json
import random
from datetime import date

import pytest

from conftest import DATA

from zhili.loading import positions, yamlread

ITEM = "  - id: gen-{i}\n    name: 生成社区{i}\n    # 注释行\n    street: 经济试验区\n    type: 商品住宅型社区\n\n"
NESTED = ("  - id: gen-{i}\n    name: 生成社区{i}\n    # 注释行\n    street: 经济试验区\n"
          "    attributes: {{楼龄: '{i}', 面积: [1, {i}]}}\n    type: 商品住宅型社区\n\n")


def large_communities(count: int, bad: dict[int, str] | None = None, item: str = ITEM) -> str:
    head = (DATA / "communities.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n"
    items = [item.format(i=i) for i in range(count)]
    for i, replacement in (bad or {}).items():
        items[i] = replacement
    return head + "".join(items)


def test_outline_of_a_large_file_finds_the_same_places_as_a_whole_index():
    text = large_communities(25_000, item=NESTED) + "others:\n  - a\n  - b: [c, d]\nlast: x\n"
    data = text.encode("utf-8")
    assert len(data) > positions.WHOLE_LIMIT
    outline = positions.Positions(data)
    assert outline._whole is None  # the large file really took the outline path
    values, keys = yamlread.position_index(data)
    whole = positions.Positions(b"x: 1")
    whole._whole = (values, keys)
    rng = random.Random(8)
    paths = rng.sample(sorted(values, key=repr), 2000) + [("communities", 24_999, "attributes", "面积", 1),
                                                           ("others", 1, "b", 1), ("last",), ("communities", 7, "nope")]
    for path in paths:
        for at_key in (False, True):
            assert outline.lookup(path, at_key) == whole.lookup(path, at_key), path


def test_error_deep_in_a_long_list_is_placed_exactly(run, data_copy):
    """A file of 6,000 communities (validated in slices) reports the two bad ones at their lines."""
    bad = {4321: "  - id: gen-4321\n    name: 生成社区4321\n    street: 经济试验区\n    type: 商品住宅型社区\n    pilot_start: 2021-02-30\n",
           5999: "  - id: gen-5999\n    nmae: 生成社区5999\n    street: 经济试验区\n"}
    text = large_communities(6000, bad)
    (data_copy / "communities.yaml").write_text(text, encoding="utf-8")
    result = run("validate", "--data", data_copy, "--format", "json")
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    lines = text.split("\n")
    got = [(e["code"], lines[e["line"] - 1].strip()) for e in errors]
    assert got == [("ZL206", "pilot_start: 2021-02-30"), ("ZL202", "- id: gen-5999"), ("ZL201", "nmae: 生成社区5999")]
    assert errors[0]["message"] == "“pilot_start”（试点开始日期）：“2021-02-30”不是真实存在的日期（检查月份和该月的天数）。"


def test_a_large_valid_file_loads_every_entry(data_copy):
    from zhili.loading.registry import load

    (data_copy / "communities.yaml").write_text(large_communities(4500), encoding="utf-8")
    result = load(data_copy)
    assert result.errors == []
    ids = [c.id for c in result.registry.communities]
    assert len(ids) == 25 + 4500 and ids[25] == "gen-0" and ids[-1] == "gen-4499"


def test_the_same_cross_reference_mistake_everywhere_is_capped(run, data_copy):
    items = "".join(f"  - id: c{i}\n    name: 社区{i}\n    street: 经济试验区\n    type: 不存在的类型\n" for i in range(3000))
    head = (DATA / "communities.yaml").read_text(encoding="utf-8")
    (data_copy / "communities.yaml").write_text(head + items, encoding="utf-8")
    result = run("validate", "--data", data_copy, "--format", "json")
    assert result.exit_code == 1
    errors = [e for e in json.loads(result.stdout)["errors"] if e["file"].endswith("communities.yaml")]
    assert len(errors) == 201
    assert errors[0]["code"] == "ZL119"
    assert [e["code"] for e in errors[1:]] == ["ZL301"] * 200
    assert errors[1]["message"] == "社区“社区0”的类型“不存在的类型”不存在。"


@pytest.mark.parametrize(("validator", "good", "bad"), [
    ("_int", {"7": 7, "2021": 2021, "-3": -3}, ["010", "1,200", "1.5", "１２"]),
    ("_number", {"85.5": 85.5, "0": 0.0, "-2.25": -2.25}, ["1e5", "85,5", "nan", "8５"]),
    ("_date", {"2021-03-19": date(2021, 3, 19)}, ["2021/3/19", "2021-02-30", "20210319"]),
])
def test_scalar_texts_keep_their_verdicts_when_seen_again(validator, good, bad):
    """Accepted texts are remembered (data sets repeat them); a refused text is refused every time."""
    from pydantic_core import PydanticCustomError

    from zhili.model import base

    check = getattr(base, validator)
    for _ in range(2):
        for text, value in good.items():
            assert check(text) == value
        for text in bad:
            with pytest.raises(PydanticCustomError):
                check(text)
