"""Every listing command in every output format, parsed back; format from the file extension; terminal manners."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from conftest import DATA

LISTINGS = [
    # (arguments, JSON key, a value that must appear, the Chinese header of that value's column)
    (["types"], "name", "老旧院落型社区", "类型"),
    (["communities"], "name", "桑林社区", "社区"),
    (["tasks"], "title", "理顺治理主体关系", "重点任务"),
]


def _json_rows(run, args):
    result = run(*args, "--data", DATA, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("args,key,value,header", LISTINGS)
def test_csv_has_bom_and_parses_back_to_the_json_rows(run, args, key, value, header):
    result = run(*args, "--data", DATA, "--format", "csv")
    assert result.exit_code == 0
    raw = result.stdout_bytes
    assert raw.startswith("\ufeff".encode("utf-8"))  # Excel on Chinese Windows reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(_json_rows(run, args))
    assert value in [r[header] for r in rows]


@pytest.mark.parametrize("args,key,value,header", LISTINGS)
def test_markdown_is_one_pipe_table_per_listing(run, args, key, value, header):
    out = run(*args, "--data", DATA, "--format", "markdown").stdout
    table = [l for l in out.splitlines() if l.startswith("|")]
    cols = table[0].count(" | ") + 1
    assert header in [h.strip() for h in table[0].strip("|").split("|")]
    assert set(table[1].replace(" ", "").strip("|").split("|")) <= {":---", "---:", ":---:"}
    assert all(l.replace("\\|", "").count(" | ") + 1 == cols for l in table)
    assert len(table) == 2 + len(_json_rows(run, args))
    assert any(value in l for l in table[2:])


@pytest.mark.parametrize("args,key,value,header", LISTINGS)
def test_xlsx_workbook_has_frozen_chinese_header_and_all_rows(run, args, key, value, header, tmp_path):
    import openpyxl

    target = tmp_path / "out.xlsx"
    result = run(*args, "--data", DATA, "-o", target)
    assert result.exit_code == 0, result.output
    assert f"已写入 {target}" in result.stderr
    wb = openpyxl.load_workbook(target)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    assert header in head
    assert ws.freeze_panes == "A2"
    assert ws[1][0].font.bold
    values = [ws.cell(row=r, column=head.index(header) + 1).value for r in range(2, ws.max_row + 1)]
    assert value in values
    assert ws.max_row - 1 == len(_json_rows(run, args))
    for i, h in enumerate(head, start=1):
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
        assert 2 * len(h) <= width <= 60  # the Chinese header fits, long text does not sprawl


def test_xlsx_keeps_numbers_as_numbers_and_task_numbers_as_the_ledgers_text(run, tmp_path):
    import openpyxl

    target = tmp_path / "tasks.xlsx"
    run("tasks", "--data", DATA, "--stalled", "30", "--as-of", "2021-12-31", "-o", target)
    ws = openpyxl.load_workbook(target).worksheets[0]
    head = [c.value for c in ws[1]]
    assert [ws.cell(row=r, column=1).value for r in range(2, 5)] == ["1", "2", "3"]  # 序号 is a text key (三.1 too)
    idle = [ws.cell(row=r, column=head.index("无进展") + 1).value for r in range(2, 5)]
    assert all(isinstance(v, int) for v in idle), idle


def test_xlsx_text_that_looks_like_a_formula_stays_text():
    import openpyxl

    from zhili.render.output import Column, Output, Table
    from zhili.render.xlsx import render_xlsx

    data = render_xlsx(Output([Table([Column("a", "备注")], [{"a": "=HYPERLINK(\"x\")"}], "表")], None))
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws["A2"].value == "=HYPERLINK(\"x\")"
    assert ws["A2"].data_type == "s"


def test_xlsx_to_the_screen_is_refused(run):
    result = run("types", "--data", DATA, "--format", "xlsx")
    assert result.exit_code == 2
    assert "xlsx 是二进制格式" in result.output


@pytest.mark.parametrize("suffix,check", [
    (".json", lambda b: json.loads(b.decode("utf-8"))[0]["name"] == "商品住宅型社区"),
    (".csv", lambda b: b.startswith(b"\xef\xbb\xbf") and "商品住宅型社区" in b.decode("utf-8-sig")),
    (".md", lambda b: b.decode("utf-8").splitlines()[2].startswith("| 标识 |")),
    (".xlsx", lambda b: b[:2] == b"PK"),
])
def test_format_follows_the_file_extension(run, tmp_path, suffix, check):
    target = tmp_path / f"types{suffix}"
    assert run("types", "--data", DATA, "-o", target).exit_code == 0
    assert check(target.read_bytes())


def test_an_explicit_format_must_agree_with_the_extension(run, tmp_path):
    target = tmp_path / "types.txt"
    assert run("types", "--data", DATA, "--format", "json", "-o", target).exit_code == 2
    assert not target.exists()
    target = tmp_path / "types.json"
    assert run("types", "--data", DATA, "--format", "json", "-o", target).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))[0]["id"] == "commodity-housing"


def test_unknown_extension_is_a_usage_error(run, tmp_path):
    result = run("types", "--data", DATA, "-o", tmp_path / "types.pdf")
    assert result.exit_code == 2
    assert "无法从文件名" in result.output and "--format" in result.output
    assert not (tmp_path / "types.pdf").exists()


def test_every_listing_command_offers_the_same_formats():
    from zhili.cli.app import COMMANDS, cli

    import click

    ctx = click.Context(cli)
    listing = []
    for name in COMMANDS:
        cmd = cli.get_command(ctx, name)
        params = {p.name: p for p in cmd.params}
        if "output" in params and "fmt" in params and name not in ("report", "schema", "init"):
            listing.append(name)
            assert set(params["fmt"].type.choices) >= {"table", "json", "csv", "markdown", "xlsx"}, name
            assert "-o" in params["output"].opts, name
    assert {"types", "communities", "tasks"} <= set(listing)


# -- terminal manners ----------------------------------------------------------------------------


def test_no_colour_when_piped_or_no_color(run, monkeypatch):
    from zhili.cli import emit

    assert "\x1b[" not in run("types", "--data", DATA).stdout  # CliRunner's stdout is not a terminal
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert emit.color_wanted() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert emit.color_wanted() is False


def test_colour_codes_only_when_wanted():
    from zhili.render.output import Column, Output, Table
    from zhili.render.table import render

    out = Output([Table([Column("a", "社区")], [{"a": "桑林社区"}], "社区")], None)
    assert "\x1b[" in render(out, width=80, color=True)
    assert "\x1b[" not in render(out, width=80, color=False)


def test_table_fits_the_terminal_width_and_aligns_chinese(run):
    from rich.cells import cell_len

    out = run("communities", "--data", DATA, env={"COLUMNS": "70"}).stdout
    lines = [l for l in out.splitlines() if l.strip()]
    assert max(cell_len(l) for l in lines) <= 70
    head = next(l for l in lines if "街道" in l and "社区" in l)
    row = next(l for l in lines if "桑林社区" in l)
    # the street column starts at the same screen column in the header and in a row
    assert cell_len(head[: head.index("街道")]) == cell_len(row[: row.index("经济试验区")])


def _complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "_ZHILI_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    done = subprocess.run([sys.executable, "-m", "zhili"], env=env, capture_output=True, text=True, timeout=60)
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if "," in line]


def test_shell_completion_completes_commands_and_options():
    assert "communities" in _complete("zhili comm", 1)
    assert "--format" in _complete("zhili types --fo", 2)
    assert {"json", "xlsx"} <= set(_complete("zhili types --format ", 3))
