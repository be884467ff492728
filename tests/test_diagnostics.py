"""A diagnostic repeats what a file holds, but never more than a bounded excerpt of it."""

from __future__ import annotations

import json

from conftest import edit

from zhili.diagnostics import EXCERPT_CHARS, Diagnostic, excerpt


def test_excerpt_keeps_a_short_line_and_windows_a_long_one_around_the_column():
    assert excerpt("type: 甲", 7) == ("type: 甲", 7)
    line = "a" * 1000 + "X" + "b" * 1000
    shown, column = excerpt(line, 1001)
    assert len(shown) <= EXCERPT_CHARS + 2 and shown.startswith("…") and shown.endswith("…")
    assert shown[column - 1] == "X"
    shown, column = excerpt("X" + "b" * 1000, 1)
    assert shown[0] == "X" and column == 1 and shown.endswith("…")


def test_long_quoted_value_in_a_message_is_shortened_and_its_length_said():
    d = Diagnostic("f.yaml", 1, 1, "ZL301", f"类型“{'长' * 5000}”不存在。")
    assert len(d.message) < 120 and "（共 5000 个字符）" in d.message and d.message.endswith("不存在。")


def test_deep_brackets_on_one_long_line_show_a_short_excerpt(data_copy, run):
    (data_copy / "communities.yaml").write_text("communities: " + "[" * 30_000 + "]" * 30_000 + "\n")
    result = run("validate", "--data", data_copy)
    assert result.exit_code == 1
    assert "ZL114" in result.stderr and "ZL102" not in result.stderr
    assert len(result.stderr) < 1000
    caret = next(line for line in result.stderr.splitlines() if line.strip().endswith("^"))
    source = next(line for line in result.stderr.splitlines() if line.startswith("    1 | "))
    assert len(source) <= len("    1 | ") + EXCERPT_CHARS + 2
    assert source[caret.index("^")] == "["


def test_a_5000_character_type_is_not_echoed_whole_in_any_format(data_copy, run):
    edit(data_copy / "communities.yaml", "type: ", "type: " + "长" * 5000)
    for fmt in ("text", "json", "github"):
        result = run("validate", "--data", data_copy, "--format", fmt)
        assert result.exit_code == 1
        assert "长" * 200 not in result.output + result.stderr, fmt
    payload = json.loads(run("validate", "--data", data_copy, "--format", "json").stdout)
    assert any("个字符）" in e["message"] for e in payload["errors"])
