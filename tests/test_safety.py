"""Output safety and atomic writes.

Names with terminal control sequences or bidi overrides are shown escaped, never interpreted: the
reader already refuses them in data files (ZL116, see test_hostile.py), so the renderers are tested
directly, and so are the paths where what a user typed reaches the screen (arguments repeated in
error messages, directory names). Every write is atomic and never overwrites without --force.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from conftest import DATA

from zhili.diagnostics import error
from zhili.errors import UsageError
from zhili import fsio as atomic
from zhili.fsio import write_atomic
from zhili.render.cells import cell, safe
from zhili.render.output import Column, Output, Table

CLEAR = "\x1b[2J"  # clears the screen
RED = "\x1b[31m"
TITLE = "\x1b]0;被改掉的窗口标题\x07"  # OSC: sets the terminal's title
RLO = "\u202e"  # right-to-left override: "桑林\u202e区社" looks like "桑林社区"
HOSTILE = f"{RED}桑林{CLEAR}社区{TITLE}"
RAW = (CLEAR, RED, "\x1b]", "\x07", RLO, "\x1b")


def sample() -> Output:
    rows = [{"name": HOSTILE, "street": f"经济{RLO}区验试", "n": 3}, {"name": "六里社区\u200b", "street": "涪江街道", "n": 4}]
    table = Table([Column("name", "名称"), Column("street", "街道"), Column("n", "数量", "right")], rows,
                  title=f"社区{RLO}")
    return Output(tables=[table], data=rows, notes=[f"注：{CLEAR}"])


def assert_escaped(text: str) -> None:
    for seq in RAW:
        assert seq not in text, f"{seq!r} reached the output"
    assert "\\u001b[31m桑林\\u001b[2J社区" in text
    assert "\\u202e" in text


def test_safe_escapes_controls_and_bidi_but_keeps_chinese():
    assert safe(HOSTILE) == "\\u001b[31m桑林\\u001b[2J社区\\u001b]0;被改掉的窗口标题\\u0007"
    assert safe(f"桑林{RLO}区社") == "桑林\\u202e区社"
    assert safe("零\u200b宽\u2066隔\u2028离\ufeff") == "零\\u200b宽\\u2066隔\\u2028离\\ufeff"
    assert safe("商品住宅型社区（桑林）：1、2\t3") == "商品住宅型社区（桑林）：1、2\t3"
    assert cell([HOSTILE, "六里社区"]) == "\\u001b[31m桑林\\u001b[2J社区\\u001b]0;被改掉的窗口标题\\u0007、六里社区"


@pytest.mark.parametrize("color", [False, True])
def test_table_shows_escaped_names(color):
    from zhili.render.table import render

    text = render(sample(), width=120, color=color)
    # with colour on, rich writes its own styling (bold headers); the user's sequences stay inert
    assert_escaped(text.replace("\x1b[1m", "").replace("\x1b[0m", "").replace("\x1b[22m", ""))
    assert "\\u200b" in text and "注：\\u001b[2J" in text


def test_long_tables_in_the_plain_layout_escape_names_and_keep_each_row_on_one_line():
    from zhili.render.table import PLAIN_ABOVE, render

    filler = [{"name": f"社区{i}", "street": "涪江街道", "n": i} for i in range(PLAIN_ABOVE)]
    for rows in ([*sample().data, *filler], [{"name": "两行\n社区", "street": "涪江街道", "n": 1}, *filler]):
        table = Table([Column("name", "名称"), Column("street", "街道"), Column("n", "数量", "right")], rows)
        lines = render(Output([table], rows), width=120, color=False).splitlines()
        assert len(lines) == 2 + len(rows) + 1  # header, rule, one line per row, the blank line after
        if rows[0]["name"] == HOSTILE:
            assert_escaped(lines[2])
            assert "六里社区\\u200b" in lines[3]
        else:
            assert lines[2].split()[:2] == ["两行", "社区"]


def test_markdown_and_csv_show_escaped_names():
    from zhili.render.formats import render_csv, render_markdown

    markdown = render_markdown(sample())
    for seq in RAW:
        assert seq not in markdown
    # markdown doubles the backslash so that a viewer shows \u001b literally
    assert "\\\\u001b[31m桑林\\\\u001b[2J社区" in markdown and "注：\\\\u001b[2J" in markdown
    text = render_csv(sample())
    assert_escaped(text)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][0] == "\\u001b[31m桑林\\u001b[2J社区\\u001b]0;被改掉的窗口标题\\u0007"


def test_json_keeps_the_exact_value_without_raw_escape_characters():
    """JSON is the contract: the value round-trips exactly; control characters travel as \\u escapes."""
    from zhili.render.formats import render_json

    text = render_json(sample())
    assert "\x1b" not in text and "\x07" not in text
    assert json.loads(text)[0]["name"] == HOSTILE


def test_diagnostic_text_escapes_file_names_and_source_lines():
    from zhili.render import diagnostics as render_diags

    d = error(f"data{CLEAR}/communities.yaml", 3, 5, "ZL116", f"名称含有{RLO}", "删除它")
    d = type(d)(d.file, d.line, d.column, d.code, d.message, d.hint, d.severity, f"    name: 桑林{RLO}区社{RED}")
    out = render_diags.text([d])
    assert CLEAR not in out and RLO not in out and RED not in out
    assert out.splitlines()[0] == "data\\u001b[2J/communities.yaml:3:5: 错误 ZL116 名称含有\\u202e"
    github = render_diags.github([d])
    assert CLEAR not in github and RLO not in github


def test_unknown_unit_typed_on_the_command_line_is_echoed_escaped(run):
    result = run("tasks", "--data", DATA, "--lead", f"{RED}区{RLO}政民")
    assert result.exit_code == 2
    assert "\x1b" not in result.output and RLO not in result.output
    assert "没有名为“\\u001b[31m区\\u202e政民”的单位" in result.stderr


def test_unknown_street_and_bad_data_dir_are_echoed_escaped(run, tmp_path):
    result = run("communities", "--data", DATA, "--street", f"{CLEAR}涪江")
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\\u001b[2J涪江" in result.stderr
    result = run("validate", "--data", tmp_path / f"no{TITLE}such")
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "no\\u001b]0;被改掉的窗口标题\\u0007such" in result.stderr


def test_bad_option_value_is_quoted_not_interpreted(run):
    result = run("types", "--data", DATA, "--format", RED)
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert "“\\u001b[31m”" in result.output  # escaped, in Chinese quotes


def test_data_directory_name_with_control_sequence_is_escaped(run, tmp_path):
    import shutil

    data = tmp_path / f"数据{CLEAR}"
    shutil.copytree(DATA, data)
    result = run("validate", "--data", data)
    assert result.exit_code == 0
    assert CLEAR not in result.output and "数据\\u001b[2J" in result.output


# -- atomic writes -------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_export_never_overwrites_without_force(run, tmp_path):
    out = tmp_path / "types.json"
    out.write_text("我的重要文件", encoding="utf-8")
    result = run("types", "--data", DATA, "-o", out)
    assert result.exit_code == 2
    assert f"文件 {out} 已存在，未覆盖。" in result.stderr
    assert out.read_text(encoding="utf-8") == "我的重要文件"
    result = run("types", "--data", DATA, "-o", out, "--force")
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))[0]["name"] == "商品住宅型社区"
    assert leftovers(tmp_path) == []


def test_new_file_is_written_whole_with_the_usual_mode(tmp_path):
    target = tmp_path / "台账.csv"
    write_atomic(target, "序号,任务\n1,理顺治理主体关系\n")
    assert target.read_text(encoding="utf-8") == "序号,任务\n1,理顺治理主体关系\n"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert leftovers(tmp_path) == []


def test_a_file_that_appears_during_the_write_is_not_overwritten(tmp_path, monkeypatch):
    """The no-overwrite check is the write itself (a hard link), not a test made earlier."""
    target = tmp_path / "out.json"
    real_fsync = os.fsync

    def racing_writer(fd):
        real_fsync(fd)
        target.write_text("另一个程序刚写的内容", encoding="utf-8")  # appears after the existence check

    monkeypatch.setattr(atomic.os, "fsync", racing_writer)
    with pytest.raises(UsageError, match="已存在，未覆盖"):
        write_atomic(target, "{}")
    assert target.read_text(encoding="utf-8") == "另一个程序刚写的内容"
    assert leftovers(tmp_path) == []


def test_without_hard_links_the_name_is_still_taken_exclusively(tmp_path, monkeypatch):
    target = tmp_path / "out.md"

    def no_links(src, dst):
        raise OSError(1, "Operation not permitted")  # e.g. a FAT-formatted USB stick

    monkeypatch.setattr(atomic.os, "link", no_links)
    write_atomic(target, "# 表\n")
    assert target.read_text(encoding="utf-8") == "# 表\n"
    with pytest.raises(UsageError, match="已存在，未覆盖"):
        write_atomic(target, "# 另一张表\n")
    assert target.read_text(encoding="utf-8") == "# 表\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, step):
    target = tmp_path / "out.json"
    target.write_text("旧内容", encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if step == "write":
        monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: _FailingFile(fd))
    else:
        monkeypatch.setattr(atomic.os, step, disk_full)
    with pytest.raises(UsageError) as info:
        write_atomic(target, "新内容" * 1000, force=True)
    assert info.value.message == f"无法写入 {target}：磁盘空间不足。原有文件（如果有）保持不变。"
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert leftovers(tmp_path) == []


class _FailingFile:
    def __init__(self, fd: int):
        self.fd = fd

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        os.close(self.fd)
        return False

    def write(self, data):
        raise OSError(28, "No space left on device")


def test_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.json"

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "link", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "{}")
    assert not target.exists() and leftovers(tmp_path) == []


def test_cli_write_failure_is_a_usage_error_not_a_traceback(run, tmp_path, monkeypatch):
    def read_only(*args):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(atomic.os, "link", read_only)
    result = run("communities", "--data", DATA, "-o", tmp_path / "社区.csv")
    assert result.exit_code == 2
    assert "无法写入" in result.stderr and "磁盘是只读的" in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_init_and_schema_refuse_to_overwrite_without_force(run, tmp_path):
    target = tmp_path / "新数据"
    assert run("init", target, "--scheme", "empty").exit_code == 0
    types = target / "types.yaml"
    types.write_text("# 我改过的文件\n", encoding="utf-8")
    result = run("init", target, "--scheme", "empty")
    assert result.exit_code == 2
    assert types.read_text(encoding="utf-8") == "# 我改过的文件\n"
    assert run("init", target, "--scheme", "empty", "--force").exit_code == 0
    assert types.read_text(encoding="utf-8") != "# 我改过的文件\n"

    schemas = tmp_path / "schemas"
    assert run("schema", schemas).exit_code == 0
    first = sorted(p.name for p in schemas.iterdir())
    (schemas / first[0]).write_text("{}", encoding="utf-8")
    assert run("schema", schemas).exit_code == 2
    assert (schemas / first[0]).read_text(encoding="utf-8") == "{}"
    assert run("schema", schemas, "--force").exit_code == 0
    assert (schemas / first[0]).read_text(encoding="utf-8") != "{}"
    assert leftovers(schemas) == [] and leftovers(target) == []
