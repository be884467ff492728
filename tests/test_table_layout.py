"""Terminal tables: dates, ids and numbers never break; no line starts with 、，。; narrow terminals stay readable."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from conftest import DATA
NO_LINE_START = set("、，。；：？！）」』》〉】〕”’…%％,.;:!?)]}")  # what Chinese typesetting never starts a line with
NO_LINE_END = set("（「『《〈【〔“‘([{")

TAICANG = "examples/taicang"
COMMANDS = [
    ("tasks", "--data", DATA, "--as-of", "2021-12-31"),
    ("units", "--data", DATA, "--as-of", "2021-12-31"),
    ("plans", "--all", "--data", DATA, "--as-of", "2021-12-31"),
    ("standards", "--data", DATA),
    ("rank", "--data", DATA, "--year", "2022", "--compare", "2021"),
    ("classify", "--data", DATA),
    ("communities", "--data", DATA),
    ("types", "--data", DATA),
    ("coverage", "--data", TAICANG, "--as-of", "2022-12-31"),
    ("projects", "--data", TAICANG),
]
ATOMS = re.compile(r"[0-9A-Za-z][0-9A-Za-z.:%/_-]*")  # dates, ids, numbers: what must never break


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_tables_fit_and_never_break_an_atom(run, args, width):
    result = run(*args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    for line in lines:
        assert line.lstrip()[:1] not in NO_LINE_START, line
        assert line.rstrip()[-1:] not in NO_LINE_END, line
    # the dates, ids and numbers of the unwrapped table are found whole in the narrow one, and no fragment
    # of one shows up (the vertical layout repeats headers, so compare the sets, not the counts)
    unwrapped = run(*args, env={"COLUMNS": "1000"}).stdout
    assert set(ATOMS.findall(result.stdout)) == set(ATOMS.findall(unwrapped))


def test_a_narrow_terminal_shows_one_row_at_a_time(run):
    out = run("tasks", "--data", DATA, "--as-of", "2021-12-31", env={"COLUMNS": "60"}).stdout
    assert " 重点任务：理顺治理主体关系" in out and " 最近进展：2021-04-08" in out
    wide = run("tasks", "--data", DATA, "--as-of", "2021-12-31", env={"COLUMNS": "160"}).stdout
    assert "重点任务：" not in wide and "理顺治理主体关系" in wide


def test_the_plans_status_wraps_between_words_not_inside_the_date():
    from zhili.render.wrap import wrap

    lines = wrap("未报送（截至 2021-12-31 逾期 287 天）", 14)
    assert len(lines) > 1 and any("2021-12-31" in line for line in lines)
    assert all(not line.startswith(("、", "，", "。", "）")) for line in lines)
    assert max(cell_len(line) for line in lines) <= 14


def test_punctuation_sticks_to_its_neighbour():
    from zhili.render.wrap import tokens, wrap

    assert tokens("区委组织部、区民政局") == ["区", "委", "组", "织", "部、", "区", "民", "政", "局"]
    assert tokens("（截至 34.38）") == ["（截", "至", " ", "34.38）"]
    for width in range(6, 12):  # the widest piece, 100%；, takes 6 cells
        for line in wrap("经济试验区、各街道，覆盖率 100%；评选星级文明户 20户。", width):
            assert line[:1] not in NO_LINE_START and cell_len(line) <= width


def test_a_piece_wider_than_the_column_is_folded_only_as_a_last_resort():
    from zhili.render.wrap import wrap

    assert wrap("a" * 100, 20) == ["a" * 20] * 5
    assert wrap("编号 " + "x" * 30, 12) == ["编号", "x" * 12, "x" * 12, "x" * 6]


def test_indentation_that_shows_nesting_is_kept(run):
    out = run("classify", "--data", DATA, "--explain", "民安社区", env={"COLUMNS": "160"}).stdout
    assert "\n   国有企业办社会职能已移交（soe_functions_transferred）" in out
    from zhili.render.wrap import wrap

    assert wrap("  子条件甲乙丙丁", 8) == ["  子条件", "  甲乙丙", "  丁"]


def test_a_long_table_in_a_narrow_terminal_goes_one_row_at_a_time():
    from zhili.render.output import Column, Output, Table
    from zhili.render.table import PLAIN_ABOVE, render

    rows = [{"id": f"community-{i:04d}", "name": f"社区{i}", "due": "2021-03-19", "text": "区委组织部、区民政局、" * 4}
            for i in range(PLAIN_ABOVE + 1)]
    columns = [Column("id", "标识"), Column("name", "社区"), Column("due", "截止日期"), Column("text", "牵头单位")]
    out = Output([Table(columns, rows, "标题")], rows, ["说明：" + "很长的说明，" * 20])
    narrow = render(out, width=60, color=False, fit=True).splitlines()
    assert max(cell_len(line) for line in narrow) <= 60
    assert " 标识：    community-0000" in narrow and " 截止日期：2021-03-19" in narrow
    assert not [line for line in narrow if line.lstrip()[:1] in NO_LINE_START]
    piped = render(out, width=60, color=False).splitlines()  # a pipe: one line per row, as before
    assert len([line for line in piped if "community-" in line]) == PLAIN_ABOVE + 1
