"""Unit lists as ledgers write them: separators, brackets, none marks, declared multi-part names."""

from __future__ import annotations

import pytest

from zhili.importing.names import did_you_mean, is_none, pieces, row_number, split_units


@pytest.mark.parametrize("text, expected", [
    ("区委组织部、区民政局", ["区委组织部", "区民政局"]),
    ("区委组织部，区民政局", ["区委组织部", "区民政局"]),
    ("区委组织部,区民政局;区住建局", ["区委组织部", "区民政局", "区住建局"]),
    ("区委组织部\n区民政局", ["区委组织部", "区民政局"]),
    ("区委组织部、 、区民政局、", ["区委组织部", "区民政局"]),
    ("原单位（或改制、重组企业）", ["原单位（或改制、重组企业）"]),
    ("区民政局、原单位(或改制、重组企业)", ["区民政局", "原单位(或改制、重组企业)"]),
])
def test_pieces_split_on_separators_but_not_inside_brackets(text, expected):
    assert pieces(text) == expected


@pytest.mark.parametrize("text", ["——", "---", "—", "-", "无", "", "  ", "— —"])
def test_dashes_mean_no_unit(text):
    assert is_none(text)
    assert split_units(text, set()) == []


def test_a_declared_name_with_a_separator_stays_one_unit():
    known = {"经济试验区", "各街道", "经济试验区、各街道驻区单位", "区委组织部"}
    assert split_units("区委组织部、经济试验区、各街道驻区单位", known) == ["区委组织部", "经济试验区、各街道驻区单位"]
    assert split_units("经济试验区、各街道", known) == ["经济试验区", "各街道"]
    # undeclared, the same text is two names (and import will list 各街道驻区单位 as unknown)
    assert split_units("经济试验区、各街道驻区单位", {"经济试验区"}) == ["经济试验区", "各街道驻区单位"]


@pytest.mark.parametrize("text, number", [("12", 12), ("12.", 12), ("3、", 3), (" 7 ", 7), ("一", None), ("合计", None), ("", None)])
def test_row_numbers(text, number):
    assert row_number(text) == number


def test_close_matches_offer_declared_names():
    assert did_you_mean("区住键局", ["区住建局", "区民政局", "区财政局"]) == "您是否要找：区住建局？"
    assert did_you_mean("市场监管局", ["区市场监管局"]) == "您是否要找：区市场监管局？"
    assert did_you_mean("完全不同", ["区住建局"]) == ""
