"""zhili's reader against the official YAML test suite (402 cases), and the tally kept exactly.

Every valid case is either read to exactly the suite's value or refused for a reason listed here;
every invalid case is refused; every refusal is Chinese and names a line and a column. Nothing is
misread and nothing crashes. docs/yaml-conformance.md explains the same tally for users.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import edit
from yaml_suite import expected, is_chinese, json_agrees, json_documents, load_cases, run_case

from zhili.loading import yamlread

CASES = load_cases()
BY_ID = {c["id"]: c for c in CASES}
OUTCOMES = {c["id"]: run_case(c) for c in CASES}

MISREAD_PREFIX = "zhili 无法准确读取这种写法"

# Valid YAML that zhili refuses on purpose, by reason (the code of the first diagnostic).
REFUSED_BY_DESIGN = {
    "ZL109 anchors and aliases (& / *)": [
        "26DV", "2SXE", "3GZX", "3R3P", "6BFJ", "6KGN", "6M2F", "7BMT", "7BUB", "9KAX", "BU8L", "CN3R", "CUP7",
        "E76Z", "F2C7", "FTA2", "HMQ5", "JS2J", "PW8X", "SKE5", "U3XV", "V55R", "X38W", "Y2GN", "ZH7C", "ZWK4"],
    "ZL111 explicit tags (! / !!)": [
        "2AUY", "2XXW", "33X3", "35KP", "52DL", "565N", "57H4", "5TYM", "6CK3", "6JWB", "6WLZ", "735Y", "74H7",
        "7FWL", "8MK2", "9WXW", "C4HZ", "CC74", "EHF6", "FH7J", "J7PZ", "L94M", "LE5A", "M5C3", "P76L", "S4JQ",
        "U3C3", "UGM3", "UKK6/02", "WZ62", "Z67P", "Z9M4"],
    "ZL103 tabs where zhili expects indentation": [
        "3RLN/02", "3RLN/05", "4ZYM", "5GBF", "6CA3", "6HB6", "7A4E", "96NN/00", "96NN/01", "DK95/00", "DK95/02",
        "DK95/03", "DK95/04", "DK95/05", "DK95/07", "DK95/08", "HS5T", "J3BT", "M9B4", "MJS9", "NB6Z", "PRH3",
        "Q5MG", "R4YG", "T5N4", "TL85", "UV7Q", "Y79Y/001", "Y79Y/002"],
    "ZL112 several documents in one file": ["6XDY", "6ZKB", "9DXL", "JHB9", "KSS4", "L383", "PUW8", "RZT7", "U9NS"],
    "ZL113 keys that are not text (lists, mappings, empty keys)": [
        "4FJ6", "6PBE", "9MMW", "DFF7", "KK5P", "LX3P", "M2N8/00", "M2N8/01", "M5DY", "Q9WF", "RZP5", "SBG9",
        "V9D5", "XW4D"],
    "ZL115 no data (empty stream or empty document)": ["8G76", "98YD", "AVM7", "MUS6/02", "MUS6/03", "MUS6/04"],
    "ZL116 escapes producing control characters": ["G4RS"],
    "ZL102 libyaml's own syntax error on valid YAML": [
        "2JQS", "2LFX", "4ABK", "4MUZ/00", "4MUZ/01", "4MUZ/02", "58MP", "5MUD", "5T43", "6BCT", "6LVF", "7Z25",
        "8XYN", "9SA2", "A2M4", "BEC7", "CFD4", "DBG4", "DK3J", "FP8R", "FRK4", "HM87/00", "HWV9", "K3WX", "M7A3",
        "MUS6/05", "MUS6/06", "NHX8", "NJ66", "NKF9", "QT73", "S3PD", "SM9W/01", "UKK6/00", "UT92", "VJP3/01",
        "W4TN", "W5VH", "Y79Y/010"],
    "ZL102 valid YAML libyaml would misread": ["652Z", "HM87/01", "JEF9/02", "L24T/01"],
}


def reason(outcome) -> str:
    code = outcome.codes[0]
    if code == "ZL102":
        first = outcome.diagnostics[0].message
        return "ZL102 valid YAML libyaml would misread" if first.startswith(MISREAD_PREFIX) \
            else "ZL102 libyaml's own syntax error on valid YAML"
    return next(label for label in REFUSED_BY_DESIGN if label.startswith(code))


def test_the_suite_is_complete_and_vendored_with_its_licence():
    assert len(CASES) == 402 and sum(c["error"] for c in CASES) == 94
    from yaml_suite import SUITE

    assert "MIT License" in (SUITE.parent / "License").read_text(encoding="utf-8")


def test_tally_nothing_misread_nothing_invalid_accepted():
    tally = Counter(o.category for o in OUTCOMES.values())
    assert tally == {"exact": 148, "refused": 160, "invalid-refused": 94}, \
        [(o.case, o.category, o.detail) for o in OUTCOMES.values() if o.category in ("misread", "crash",
                                                                                     "invalid-accepted")]


def test_every_valid_refusal_has_a_listed_reason():
    got: dict[str, list[str]] = {}
    for o in OUTCOMES.values():
        if o.category == "refused":
            got.setdefault(reason(o), []).append(o.case)
    assert got == REFUSED_BY_DESIGN


def test_every_refusal_is_chinese_with_a_line_a_column_and_a_hint():
    for o in OUTCOMES.values():
        for d in o.diagnostics:
            assert is_chinese(d.message), (o.case, d.message)
            assert is_chinese(d.hint), (o.case, d.hint)
            text = BY_ID[o.case]["yaml"]
            assert 1 <= d.line <= text.count("\n") + 1 and d.column >= 1, (o.case, d.line, d.column)


def test_the_pure_python_fallback_parser_misreads_nothing_either(monkeypatch):
    """Without libyaml the reader falls back to PyYAML's pure-Python parser: the same guarantees hold
    (nothing misread, every invalid case refused, every refusal Chinese with a place); the two parsers
    differ only in which rare valid inputs each can read."""
    import yaml

    from zhili.loading import yamlconform

    monkeypatch.setenv(yamlread.READER_ENV, "python")  # the native reader is libyaml too
    monkeypatch.setattr(yamlread, "_Parser", yaml.SafeLoader)
    monkeypatch.setattr(yamlconform, "_Parser", yaml.SafeLoader)
    outcomes = {c["id"]: run_case(c) for c in CASES}
    assert Counter(o.category for o in outcomes.values()) == {"exact": 149, "refused": 159, "invalid-refused": 94}
    differ = {cid: o.category for cid, o in outcomes.items() if o.category != OUTCOMES[cid].category}
    assert differ == {"2LFX": "exact", "4ABK": "exact", "6LVF": "exact", "BEC7": "exact",
                      "DC7X": "refused", "JR7V": "refused", "K54U": "refused"}
    for o in outcomes.values():
        for d in o.diagnostics:
            assert is_chinese(d.message) and is_chinese(d.hint) and d.line >= 1 and d.column >= 1, (o.case, d)


def test_expected_values_read_from_the_events_agree_with_the_suites_json():
    """The check of this test's own reading of test.event: where the suite has in.json (and no alias
    or tag changes the value), the event texts under the YAML 1.2 core schema give exactly that JSON."""
    checked = 0
    for case in CASES:
        if case["error"] or case["json"] is None:
            continue
        exp = expected(case["events"])
        if exp.features & {"alias", "tag"}:
            continue
        docs = json_documents(case["json"])
        assert len(docs) == len(exp.styled), case["id"]
        assert all(json_agrees(s, v) for s, v in zip(exp.styled, docs)), case["id"]
        checked += 1
    assert checked == 235


def test_an_exact_read_keeps_the_text_of_numbers_where_json_has_numbers():
    """in.json has the numbers 1.3 and 1, 2, 3; zhili keeps the texts that were written."""
    assert json_documents(BY_ID["GH63"]["json"]) == [{"a": 1.3, "fifteen": "d"}]
    assert OUTCOMES["GH63"].category == "exact"
    assert yamlread.read(BY_ID["GH63"]["yaml"].encode(), "x.yaml").value == {"a": "1.3", "fifteen": "d"}
    assert yamlread.read(BY_ID["4RWC"]["yaml"].encode(), "x.yaml").value == ["1", "2", "3"]


# The inputs libyaml misreads (valid) or accepts (invalid): each refused at the place of the problem.
NEWLY_REFUSED = [
    ("L24T/01", 3, 1, "zhili 无法准确读取这种写法：文件最后一行只有空格、没有换行符"),
    ("JEF9/02", 2, 1, "zhili 无法准确读取这种写法：文件最后一行只有空格、没有换行符"),
    ("HM87/01", 1, 2, "zhili 无法准确读取这种写法：“?”后面紧跟着文字"),
    ("652Z", 1, 3, "zhili 无法准确读取这种写法：“?”后面紧跟着文字"),
    ("QB6E", 3, 1, "YAML 语法错误：跨行的引号中的文字，这一行的缩进不够"),
    ("9C9N", 3, 1, "YAML 语法错误：跨行的“[ ]”或“{ }”列表，这一行的缩进不够"),
    ("SU5Z", 1, 13, "YAML 语法错误：“#”前面没有空格"),
    ("X4QW", 1, 9, "YAML 语法错误：“#”前面没有空格"),
    ("CVW2", 2, 11, "YAML 语法错误：“#”前面没有空格"),
    ("9JBA", 2, 13, "YAML 语法错误：“#”前面没有空格"),
    ("YJV2", 1, 2, "YAML 语法错误：在 [ ] 或 { } 中单独写了一个“-”"),
    ("G5U8", 2, 4, "YAML 语法错误：在 [ ] 或 { } 中单独写了一个“-”"),
    ("S98Z", 4, 1, "YAML 语法错误：块文字（| 或 >）开头的空白行比第一行文字缩进得更多"),
]


@pytest.mark.parametrize("case,line,column,message", NEWLY_REFUSED, ids=[c[0] for c in NEWLY_REFUSED])
def test_what_libyaml_misreads_is_refused_where_it_happens(case, line, column, message):
    result = yamlread.read(BY_ID[case]["yaml"].encode(), "x.yaml")
    first = result.diagnostics[0]
    assert (first.code, first.line, first.column) == ("ZL102", line, column)
    assert first.message.startswith(message)
    assert result.value is yamlread.NOTHING


# ---- the same shapes written correctly read as before (no refusal of ordinary data) ------------------

ORDINARY = [
    ("url: http://example.org/a?b=1&c=2\n", {"url": "http://example.org/a?b=1&c=2"}),
    ("q: [? x]\n", {"q": [{"x": None}]}),  # `? ` with a space: an explicit key, as YAML says
    ("q: 为什么?是\n", {"q": "为什么?是"}),
    ("a: ?x\n", {"a": "?x"}),
    ("address: 1#楼 2-#\n", {"address": "1#楼 2-#"}),
    ("a: \"#1\" # 注释\n", {"a": "#1"}),
    ("a: [甲, 乙] # 注释 [x]#y, z,#w\n", {"a": ["甲", "乙"]}),
    ("a: [\"x,#y\", 'b]#c']\n", {"a": ["x,#y", "b]#c"]}),
    ("# [a]#b \"c\"#d\na: 1\n", {"a": "1"}),
    ("a: [甲,\n  乙,\n\n# 注释\n  丙]\n", {"a": ["甲", "乙", "丙"]}),
    ("a:\n  b: \"一行\n    两行\"\n", {"a": {"b": "一行 两行"}}),
    ("- \"一\n  二\"\n- '三\n\n  四'\n", ["一 二", "三\n四"]),
    ("\"一\n二\"\n", "一 二"),
    ("-: x\n", {"-": "x"}),
    ("a: [-x, x-, '-']\n", {"a": ["-x", "x-", "-"]}),
    ("a: |\n\n  文字\n\n  二\nb: >-\n  折叠\n", {"a": "\n文字\n\n二\n", "b": "折叠"}),
    ("a: |\n  文字\n   \nb: 1\n", {"a": "文字\n \n", "b": "1"}),
    ("a: |\n  x\n\n", {"a": "x\n"}),
    ("a: 1\n   ", {"a": "1"}),
    ("a: |2\n    二\n", {"a": "  二\n"}),
    ("a: > # 说明\n  b\n", {"a": "b\n"}),
]


@pytest.mark.parametrize("text,value", ORDINARY, ids=[str(i) for i in range(len(ORDINARY))])
def test_ordinary_text_near_those_shapes_still_reads_exactly(text, value):
    result = yamlread.read(text.encode(), "x.yaml")
    assert result.diagnostics == []
    assert result.value == value


def test_a_closing_bracket_at_the_left_edge_is_refused_with_the_fix():
    """YAML counts the closing bracket of a multi-line list as a continuation line: it must be indented."""
    (d,) = yamlread.read("别名: [\n  甲,\n]\n".encode(), "x.yaml").diagnostics
    assert (d.code, d.line, d.column) == ("ZL102", 3, 1)
    assert d.message.startswith("YAML 语法错误：跨行的“[ ]”或“{ }”列表，这一行的缩进不够")
    assert d.hint == "把这一行至少缩进 1 个空格，或把整个值写在一行里。"
    assert yamlread.read("别名: [\n  甲,\n  ]\n".encode(), "x.yaml").value == {"别名": ["甲"]}


def test_validate_names_file_line_and_column_of_a_glued_comment(run, data_copy):
    edit(data_copy / "communities.yaml", "name: 桑林社区\n", "name: \"桑林社区\"# 旧名\n")
    result = run("validate", "--data", data_copy, "--format", "json")
    assert result.exit_code == 1
    (err,) = json.loads(result.stdout)["errors"]
    text = (data_copy / "communities.yaml").read_text(encoding="utf-8")
    line = text[: text.index("# 旧名")].count("\n") + 1
    assert (err["code"], err["line"], err["column"]) == ("ZL102", line, len("    name: \"桑林社区\"") + 1)
    assert err["file"].endswith("communities.yaml")
    assert err["message"].startswith("YAML 语法错误：“#”前面没有空格")
    assert "在“#”前加一个空格" in err["hint"]
