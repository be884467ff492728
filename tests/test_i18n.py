"""click's own words are Chinese too: every string click can show, Chinese quotes, one heading style."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest

from conftest import DATA
from zhili.cli.i18n import _MESSAGES


def _click_strings() -> set[str]:
    """Every literal click passes to gettext (`_(...)`, `ngettext(...)`) in its installed source."""
    found = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                found |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def test_every_click_string_has_chinese():
    missing = sorted(_click_strings() - set(_MESSAGES))
    assert missing == []


def test_translations_keep_the_placeholders_and_quote_in_chinese():
    for english, chinese in _MESSAGES.items():
        names = {re.sub(r"!r$", "", p) for p in re.findall(r"\{(\w+(?:!r)?)\}", english)}
        assert {p for p in re.findall(r"\{(\w+)\}", chinese)} == names, english
        assert "!r" not in chinese and "'" not in chinese, chinese


@pytest.mark.parametrize("args, expected", [
    (("tasks", "--stalled", "0"), "错误：“--stalled”的值无效：0 不在范围 x>=1 内。"),
    (("tasks", "--forc"), "您是否要找：“--force”、“--format”？"),
    (("tasks", "--status", "late"), "“--status”的值无效：“late”不在可选值"),
    (("plans", "--lead", "x"), "没有选项“--lead”。"),
    (("nosuch",), "没有命令“nosuch”。"),
])
def test_click_errors_are_chinese_with_chinese_quotes(run, args, expected):
    result = run(*args, "--data", DATA) if args[0] != "nosuch" else run(*args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "'" not in result.stderr


def test_usage_and_headings_share_the_full_width_colon(run):
    for args in (("-h",), ("tasks", "-h")):
        out = run(*args).stdout
        assert out.startswith("用法：") and not out.startswith("用法： ")
        headings = [line for line in out.splitlines() if line.rstrip() in ("选项：", "命令：", "选项:", "命令:")]
        assert headings and all(h.rstrip().endswith("：") for h in headings)


@pytest.mark.parametrize("name", ["tasks", "plans", "rank", "coverage", "standards", "units", "classify", "report"])
def test_help_fits_the_terminal_and_never_starts_a_line_with_closing_punctuation(run, name):
    from rich.cells import cell_len

    out = run(name, "-h", env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert not [line for line in lines if line.lstrip()[:1] in set("、，。；：？！）」』》")]
