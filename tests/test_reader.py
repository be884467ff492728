"""The strict reader keeps every value exactly as written; only the models give values a type.

PyYAML's YAML 1.1 guessing would turn these into False, 8, 493, 510, 1000, 31, inf and a date. In a
text field they must arrive as the very text that was typed; in a typed field they are errors
(test_hostile.py checks each error's code, line and message).
"""

from __future__ import annotations

import pytest

from conftest import DATA, edit

from zhili.loading import yamlread
from zhili.loading.registry import load

TRAPS = ["no", "off", "yes", "On", "010", "0755", "8:30", "1_000", "0x1F", ".inf", "-.inf", ".NaN", "0b101", "1e3",
         "2021-03-19", "2021-03-19 08:30:00", "+12", "0o17", "=", "<<"]


@pytest.mark.parametrize("trap", TRAPS)
def test_yaml11_traps_in_text_fields_stay_text_exactly(trap, data_copy, run):
    edit(data_copy / "communities.yaml", "name: 桑林社区\n", f"name: 桑林社区\n    note: {trap}\n")
    edit(data_copy / "tasks.yaml", "    note: null\n", f"    note: {trap}\n", 1)  # task 1's note
    text = (data_copy / "tasks.yaml").read_text(encoding="utf-8")
    assert f"note: {trap}\n" in text
    result = load(data_copy)
    assert result.errors == [], [d.message for d in result.errors]
    community = next(c for c in result.registry.communities if c.id == "sanglin")
    assert community.note == trap and type(community.note) is str
    assert result.registry.tasks[0].note == trap


def test_traps_as_names_stay_text_in_listings(data_copy, run):
    """A community named `no` (or `0755`) is listed under that name, not as false or 493."""
    edit(data_copy / "communities.yaml", "name: 桑林社区", "name: no")
    edit(data_copy / "communities.yaml", "name: 六里社区", "name: 0755")
    result = run("communities", "--data", data_copy, "--format", "json")
    assert result.exit_code == 0, result.output
    names = [c["name"] for c in __import__("json").loads(result.stdout)]
    assert "no" in names and "0755" in names


def read(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return yamlread.read(data, "x.yaml")


def test_nulls_and_quoted_nulls():
    r = read("a:\nb: ~\nc: null\nd: NULL\ne: '~'\nf: \"null\"\ng: ''\nh: Nothing\n")
    assert r.diagnostics == []
    assert r.value == {"a": None, "b": None, "c": None, "d": None, "e": "~", "f": "null", "g": "", "h": "Nothing"}


def test_values_are_never_typed():
    r = read("a: 010\nb: [yes, no, 1.50, 2021-03-19]\nc: {d: 0x1F}\ne: |\n  多行\n  文字\n")
    assert r.value == {"a": "010", "b": ["yes", "no", "1.50", "2021-03-19"], "c": {"d": "0x1F"}, "e": "多行\n文字\n"}


@pytest.mark.parametrize("prefix,newline", [(b"", b"\n"), (b"\xef\xbb\xbf", b"\n"), (b"\xef\xbb\xbf", b"\r\n")])
def test_utf8_with_or_without_bom_and_windows_line_ends(prefix, newline):
    data = prefix + "名称: 桑林社区\n别名: [桑林]\n".encode("utf-8").replace(b"\n", newline)
    r = read(data)
    assert r.diagnostics == []
    assert r.value == {"名称": "桑林社区", "别名": ["桑林"]}


def test_bundled_files_read_without_any_diagnostic():
    for path in sorted(DATA.rglob("*.yaml")):
        r = read(path.read_bytes())
        assert r.diagnostics == [], path
        assert isinstance(r.value, dict)


def test_reader_diagnostics_carry_the_source_line_for_the_caret():
    r = read("a: 1\nb: &x 2\n")
    (d,) = r.diagnostics
    assert (d.code, d.line, d.column, d.source_line) == ("ZL109", 2, 4, "b: &x 2")


def test_line_index_finds_each_line_including_the_last_and_crlf():
    index = yamlread.LineIndex("甲\r\n乙\n\n丙")
    assert [index.line(n) for n in range(0, 6)] == ["", "甲", "乙", "", "丙", ""]
    assert yamlread.line_text("甲\n乙", 2) == "乙" and yamlread.line_text("甲\n乙", 3) == ""


def test_depth_limit_is_enough_for_every_bundled_file_and_refuses_more():
    ok = "a: " + "[" * (yamlread.MAX_DEPTH - 1) + "]" * (yamlread.MAX_DEPTH - 1) + "\n"
    assert read(ok).diagnostics == []
    too_deep = "a: " + "[" * yamlread.MAX_DEPTH + "]" * yamlread.MAX_DEPTH + "\n"
    (d,) = read(too_deep).diagnostics
    assert d.code == "ZL114" and d.column == 3 + yamlread.MAX_DEPTH


def test_block_nesting_is_limited_like_flow_nesting():
    lines = ["a:"] + [" " * (2 * i) + f"k{i}:" for i in range(1, 30)] + [" " * 60 + "x: 1"]
    (d,) = read("\n".join(lines) + "\n").diagnostics
    assert d.code == "ZL114" and d.line == yamlread.MAX_DEPTH + 1  # line n opens the n-th mapping


def test_a_file_indented_with_tabs_throughout_lists_200_lines_and_says_so():
    text = "".join(f"k{i}:\n\tv: 1\n" for i in range(500))
    diags = read(text).diagnostics
    assert [d.code for d in diags] == ["ZL103"] * 200 + ["ZL119"]
    assert [d.line for d in diags[:3]] == [2, 4, 6] and diags[199].line == 400
    assert diags[-1].message == "这个文件的问题超过 200 个，只列出了前 200 个，其余内容没有再检查。"


DEEP_IN_LOOKAHEAD = [
    "a: " + "[" * 1100 + "]" * 1100 + "\n",  # libyaml >= 0.2.5 stops at 1,000 before handing over an event
    'a: ["[", ' + "[" * 1100 + "]" * 1100 + "]\n",  # a bracket in quotes is text, not nesting
    "a: [x, # [[[[\n  " + "{" * 1100 + "}" * 1100 + "]\n",  # nor is one in a comment
    "rules:\n  - all:\n    - " + "[" * 1100 + "\n",
]


@pytest.mark.parametrize("text", DEEP_IN_LOOKAHEAD)
def test_deep_nesting_is_zhilis_own_refusal_whatever_the_parser(text, monkeypatch):
    """ZL114 in Chinese at the place zhili's limit is passed, the same with libyaml as with the
    pure-Python parser (which has no limit of its own): never libyaml's English message."""
    diags = read(text).diagnostics
    (found,) = [d for d in diags if d.code == "ZL114"]
    assert all(d.code in ("ZL113", "ZL114") for d in diags)  # `{{` opens mappings whose keys are not text
    monkeypatch.setenv(yamlread.READER_ENV, "python")  # the native reader is libyaml too
    monkeypatch.setattr(yamlread, "_Parser", __import__("yaml").SafeLoader)
    (reference,) = [d for d in read(text).diagnostics if d.code == "ZL114"]
    assert found.code == "ZL114" and found.message == f"嵌套超过 {yamlread.MAX_DEPTH} 层，zhili 的数据文件不需要这么深的结构。"
    assert (found.line, found.column) == (reference.line, reference.column)


@pytest.mark.parametrize("reader", ["native", "python"])
def test_a_directive_on_a_last_line_without_line_break_is_placed_on_that_line(reader, monkeypatch):
    # libyaml marks the end of such a file one line past its last line (found by the long fuzz run)
    monkeypatch.setenv("ZHILI_READER", reader)
    data = "year: 2021\nevaluations:\n  - community: a\n%YAML 1.1".encode()
    [d] = yamlread.read(data, "2021.yaml").diagnostics
    assert (d.file, d.line, d.column, d.code) == ("2021.yaml", 4, 10, "ZL102")
