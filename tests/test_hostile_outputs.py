"""What zhili writes for others to open (issue 14): spreadsheet cells that stay text, exit codes a
broken pipe cannot turn into success, outputs that never replace a link or a pipe, Markdown without
live HTML, and the reader's entry limit and declared ranges.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest

from conftest import DATA, edit

from zhili.render.cells import formula_like, spreadsheet_text
from zhili.render.formats import render_csv, render_markdown
from zhili.render.output import Column, Output, Table
from zhili.render.xlsx import render_xlsx

HOSTILE_TEXTS = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "#N/A", "#REF!", "#div/0!"]


def hostile_output() -> Output:
    columns = [Column("a", HOSTILE_TEXTS[0]), Column("b", "#N/A"), Column("n", "数")]
    rows = [{"a": text, "b": "普通文字", "n": -3} for text in HOSTILE_TEXTS]
    return Output([Table(columns, rows, title="=cmd|' /C calc'!A0")], rows, ["@提示"])


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_formula_and_error_texts_are_recognised(text):
    assert formula_like(text) and spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "-0.5", "桑林社区", "a=b", "#1 楼", "N/A"])
def test_ordinary_texts_and_negative_numbers_are_left_alone(text):
    assert not formula_like(text) and spreadsheet_text(text) == text


def test_every_csv_cell_headers_included_is_text():
    rows = list(csv.reader(io.StringIO(render_csv(hostile_output()).lstrip("\ufeff"))))
    assert rows[0] == ["'" + HOSTILE_TEXTS[0], "'#N/A", "数"]
    shown = [r[0] for r in rows[1:]]
    assert shown[5] == "\\u000d=1+1"  # a CR is shown escaped, as everywhere, so the cell starts with "\\"
    assert shown[:5] + shown[6:] == ["'" + t for t in HOSTILE_TEXTS[:5] + HOSTILE_TEXTS[6:]]
    assert {r[2] for r in rows[1:]} == {"-3"}  # a negative number stays a number


def test_every_xlsx_text_cell_headers_and_sheet_titles_included_is_text():
    from openpyxl import load_workbook

    content = render_xlsx(hostile_output())
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    assert ws.title.startswith("_=")  # a sheet name may not start with an apostrophe
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert cells and all(c.data_type == "s" for c in cells)  # never a formula ("f") or an error ("e")
    assert all(c.quotePrefix for c in cells if formula_like(c.value))
    assert ws.cell(row=1, column=1).value == HOSTILE_TEXTS[0] and ws.cell(row=1, column=2).value == "#N/A"
    assert ws.cell(row=2, column=3).value == -3  # numbers stay numbers
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and 't="e"' not in sheet
    notes = wb.worksheets[1]
    assert notes.cell(row=1, column=1).value == "@提示" and notes.cell(row=1, column=1).quotePrefix


def test_markdown_escapes_raw_html_but_keeps_its_own_line_breaks():
    out = Output([Table([Column("a", "<b>名称</b>")], [{"a": "<script>alert(1)</script>\n第二行"}], title="<i>标题</i>")],
                 [], ["<img src=x onerror=alert(1)>"])
    md = render_markdown(out)
    assert "<script>" not in md and "<img" not in md and "<b>" not in md and "<i>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>第二行" in md and "&lt;b&gt;名称&lt;/b&gt;" in md


# -- exit codes under a broken pipe ------------------------------------------------------------------


def child_with_gone_reader(*args: str, env: dict | None = None) -> int:
    read, write = os.pipe()
    os.close(read)
    done = subprocess.run([sys.executable, "-m", "zhili", *args], stdout=write, stderr=write, timeout=120,
                          env={**os.environ, **(env or {})})
    os.close(write)
    return done.returncode


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_invalid_data_fails_even_when_the_reader_is_gone(data_copy, fmt):
    edit(data_copy / "communities.yaml", "street: 经济试验区", "street: 不存在的街道")
    assert child_with_gone_reader("validate", "--data", str(data_copy), "--format", fmt) == 1


def test_a_failing_check_fails_even_when_the_reader_is_gone(data_copy):
    edit(data_copy / "communities.yaml", "households: 3200", "households: 1")  # 桑林社区 now falls short
    assert child_with_gone_reader("standards", "--check", "--data", str(data_copy)) == 1


def test_a_successful_listing_into_a_closed_pipe_still_succeeds():
    assert child_with_gone_reader("tasks", "--data", str(DATA)) == 0


def test_a_usage_error_into_a_closed_pipe_stays_a_usage_error():
    assert child_with_gone_reader("rank", "--data", str(DATA), "--year", "1999x") == 2


def test_broken_pipe_in_process_exits_with_the_settled_code(monkeypatch):
    """The mapping itself: a BrokenPipeError after the command settled on failure exits 1, not 0."""
    from zhili.cli import app
    from zhili.cli.outcome import settle
    from zhili.errors import ExitCode

    @click.command("boom")
    def boom() -> None:
        settle(ExitCode.FINDINGS)
        raise BrokenPipeError()

    monkeypatch.setitem(app.COMMANDS, "boom", "tests_boom:command")
    monkeypatch.setattr(app.ZhiliGroup, "get_command", lambda self, ctx, name: boom if name == "boom" else None)
    monkeypatch.setattr(app, "_silence_output", lambda: None)
    with pytest.raises(SystemExit) as exited:
        app.cli.main(["boom"], prog_name="zhili")
    assert exited.value.code == 1


# -- outputs never replace a link or a pipe ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_force_never_replaces_a_link_or_a_pipe(run, tmp_path, monkeypatch, kind):
    monkeypatch.chdir(tmp_path)
    other = tmp_path / "别人的文件.txt"
    other.write_text("保留\n", encoding="utf-8")
    if kind == "symlink":
        (tmp_path / "out.csv").symlink_to(other)
    else:
        os.mkfifo(tmp_path / "out.csv")
    result = run("types", "-o", "out.csv", "--force")
    assert result.exit_code == 2
    assert "out.csv 不是普通文件（是符号链接、管道或设备），zhili 不会覆盖它，--force 也不会。" in result.stderr
    assert other.read_text(encoding="utf-8") == "保留\n"
    assert (tmp_path / "out.csv").is_symlink() == (kind == "symlink")


def test_force_still_replaces_a_regular_file(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out.csv").write_text("上一次的内容\n", encoding="utf-8")
    assert run("types", "-o", "out.csv", "--force").exit_code == 0
    assert "上一次的内容" not in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")


# -- the reader's entry limit and declared ranges ------------------------------------------------------


def test_entries_over_the_limit_are_refused_where_the_limit_is_passed(monkeypatch):
    from zhili.loading import yamlread

    monkeypatch.setattr(yamlread, "MAX_ENTRIES", 5)
    text = "communities:\n" + "".join(f"  - {{id: c{i}, name: 社区{i}, street: 甲}}\n" for i in range(6))
    result = yamlread.read(text.encode(), "c.yaml")
    (diag,) = result.diagnostics
    # the top mapping is entry 1, the list entry 2, the communities 3..8: the sixth entry is the fourth
    # community, on line 5, its "{" in column 5
    assert (diag.code, diag.line, diag.column) == ("ZL120", 5, 5)
    assert diag.message == "文件中的条目（映射和列表）超过 5 个，zhili 不再读下去：这么多内容会耗尽内存和时间。"


def test_values_over_the_limit_are_refused_where_the_limit_is_passed(monkeypatch):
    from zhili.loading import yamlread

    monkeypatch.setattr(yamlread, "MAX_VALUES", 10)
    text = "communities:\n" + "".join(f"  - {{id: c{i}, name: 社区{i}}}\n" for i in range(3))
    (diag,) = yamlread.read(text.encode(), "c.yaml").diagnostics
    # "communities" is value 1, each entry adds four: the 11th value is the third entry's id "c2", line 4
    assert (diag.code, diag.line, diag.column) == ("ZL120", 4, 10)
    assert diag.message == "文件中的值（字段名和取值）超过 10 个，zhili 不再读下去：这么多内容会耗尽内存和时间。"


def test_entries_up_to_the_limit_are_read(monkeypatch):
    from zhili.loading import yamlread

    monkeypatch.setattr(yamlread, "MAX_ENTRIES", 6)
    monkeypatch.setattr(yamlread, "MAX_VALUES", 25)
    text = "communities:\n" + "".join(f"  - {{id: c{i}, name: 社区{i}, street: 甲}}\n" for i in range(4))
    assert yamlread.read(text.encode(), "c.yaml").diagnostics == []


def test_a_declared_range_refuses_values_outside_it(run, data_copy):
    edit(data_copy / "types.yaml", "    unit: 户\n    min: 0", "    unit: 户\n    min: 0\n    max: 5000")
    edit(data_copy / "communities.yaml", "households: 3200", "households: 32000")
    result = run("validate", "--data", data_copy)
    assert result.exit_code == 1
    assert "的属性“户数”（households）不能大于 5000（types.yaml 中“households”声明的上限），这里是 32000。" in result.stderr


def test_without_a_declared_range_a_negative_integer_is_a_value(run, data_copy):
    edit(data_copy / "types.yaml", "    unit: 个\n    min: 0\n", "    unit: 个\n")
    edit(data_copy / "communities.yaml", "institution_count: 6", "institution_count: -6")
    assert run("validate", "--data", data_copy).exit_code == 0


# -- files zhili does not read -------------------------------------------------------------------------


def test_a_misnamed_evaluation_file_stops_rank_instead_of_finding_no_data(run, data_copy):
    """The issue's case: evaluations/2022.yml passed validate unread, then `rank --year 2022` found nothing."""
    (data_copy / "evaluations" / "2022.yaml").rename(data_copy / "evaluations" / "2022.yml")
    result = run("rank", "--year", "2022", "--data", data_copy)
    assert result.exit_code == 1
    assert "2022.yml 的扩展名是 .yml，zhili 只读取扩展名为 .yaml 的数据文件，这个文件没有被读取。" in result.stderr
    assert "把它改名为 2022.yaml。" in result.stderr


def test_an_unknown_yaml_file_is_a_warning_that_strict_refuses(run, data_copy):
    (data_copy / "会议记录.yaml").write_text("会议: 第一次\n", encoding="utf-8")
    (data_copy / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")  # a tool's own file
    loose = run("validate", "--data", data_copy, "--format", "json")
    assert loose.exit_code == 0
    import json

    warnings = json.loads(loose.stdout)["warnings"]
    assert [(w["code"], Path(w["file"]).name) for w in warnings] == [("ZL006", "会议记录.yaml")]
    assert run("validate", "--data", data_copy, "--strict").exit_code == 1
