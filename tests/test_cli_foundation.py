"""CLI tests for validate, types, communities and the plain ledger, in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import DATA, edit


def test_validate_bundled_data_is_clean(run):
    result = run("validate", "--data", DATA)
    assert result.exit_code == 0
    assert "校验通过" in result.output
    assert "5 个类型、25 个社区" in result.output


def test_validate_json_contract(run):
    result = run("validate", "--data", DATA, "--format", "json")
    payload = json.loads(result.output)
    assert payload["valid"] is True
    assert payload["errors"] == []
    assert isinstance(payload["warnings"], list)


def test_validate_reports_every_problem_with_place(run, data_copy):
    edit(data_copy / "communities.yaml", "street: 涪江街道", "street: 涪江街到")
    edit(data_copy / "tasks.yaml", "title: 加强小区支部建设", "titel: 加强小区支部建设")
    result = run("validate", "--data", data_copy, "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    codes = sorted(e["code"] for e in payload["errors"])
    assert codes == ["ZL201", "ZL202", "ZL304"]
    unknown = next(e for e in payload["errors"] if e["code"] == "ZL201")
    assert unknown["file"].endswith("tasks.yaml")
    assert "您是否要写“title”" in unknown["hint"]
    street = next(e for e in payload["errors"] if e["code"] == "ZL304")
    text = (data_copy / "communities.yaml").read_text(encoding="utf-8").splitlines()
    assert "涪江街到" in text[street["line"] - 1]
    assert text[street["line"] - 1][street["column"] - 1:].startswith("涪江街到")


def test_validate_text_shows_source_line_and_caret(run, data_copy):
    edit(data_copy / "tasks.yaml", "title: 加强小区支部建设", "titel: 加强小区支部建设")
    result = run("validate", "--data", data_copy)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    head = next(i for i, l in enumerate(lines) if "ZL201" in l)
    assert lines[head].startswith(str(data_copy.name)) or "tasks.yaml:" in lines[head]
    assert "错误 ZL201 未知字段“titel”" in lines[head]
    assert "titel: 加强小区支部建设" in lines[head + 1]
    assert lines[head + 2].rstrip().endswith("^")
    assert lines[head + 3].strip().startswith("提示：")
    assert "校验未通过" in result.output


def test_validate_github_annotations(run, data_copy):
    edit(data_copy / "tasks.yaml", "title: 加强小区支部建设", "titel: 加强小区支部建设")
    result = run("validate", "--data", data_copy, "--format", "github")
    assert result.exit_code == 1
    first = [l for l in result.output.splitlines() if l.startswith(("::error", "::warning"))]
    assert any(l.startswith("::error file=") and ",title=ZL201::" in l for l in first)
    assert all(",line=" in l and ",col=" in l for l in first)
    (notice,) = [l for l in result.output.splitlines() if l.startswith("::notice")]  # tasks.yaml's checks not done
    assert notice.startswith("::notice file=") and "涉及任务台账的相互引用检查未进行" in notice


def test_validate_strict_fails_on_warnings_only(run, data_copy, monkeypatch):
    from zhili.diagnostics import warning
    from zhili.loading import registry as loader

    monkeypatch.setattr(loader, "CHECKS", [*loader.CHECKS, lambda ctx: [warning("x.yaml", 1, 1, "ZL402", "示例警告")]])
    assert run("validate", "--data", data_copy).exit_code == 0
    assert run("validate", "--data", data_copy, "--strict").exit_code == 1


def test_missing_data_dir_is_usage_error(run, tmp_path):
    result = run("validate", "--data", tmp_path / "nope")
    assert result.exit_code == 2
    assert "数据目录不存在" in result.output


def test_data_dir_from_environment(run, data_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    edit(data_copy / "communities.yaml", "name: 桑林社区", "name: 桑林社区甲")
    result = run("communities", "--street", "经济试验区", "--format", "json", env={"ZHILI_DATA": str(data_copy)})
    assert "桑林社区甲" in [r["name"] for r in json.loads(result.output)]


def test_bundled_data_used_from_any_directory(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZHILI_DATA", raising=False)
    result = run("validate")
    assert result.exit_code == 0, result.output


def test_types_json_contract(run):
    rows = json.loads(run("types", "--data", DATA, "--format", "json").output)
    assert [r["name"] for r in rows] == ["商品住宅型社区", "老旧院落型社区", "国有企业改制型社区", "单位集中型社区", "城乡融合型社区"]
    assert [r["goal"] for r in rows] == ["和美宜居", "改造提质", "文化聚力", "共驻共建", "睦邻融合"]
    assert [r["communities"] for r in rows] == [7, 5, 4, 3, 6]
    assert all(r["id"] for r in rows)


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_types_human_formats(run, fmt):
    out = run("types", "--data", DATA, "--format", fmt).output
    for name in ("商品住宅型社区", "和美宜居", "睦邻融合"):
        assert name in out


def test_types_csv_parses_with_bom(run):
    out = run("types", "--data", DATA, "--format", "csv").output
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0]["类型"] == "商品住宅型社区"
    assert rows[1]["主线"] == "“改善基础设施、改优居住环境”"


def test_communities_filters_and_contract(run):
    rows = json.loads(run("communities", "--data", DATA, "--street", "游仙街道", "--format", "json").output)
    assert [r["name"] for r in rows] == ["游仙观社区", "芙蓉社区", "龙申社区", "吴家社区"]
    assert {"id", "name", "street", "type"} <= set(rows[0])
    rows = json.loads(run("communities", "--data", DATA, "--type", "单位集中", "--format", "json").output)
    assert [(r["street"], r["name"]) for r in rows] == [("经济试验区", "汉仙桥社区"), ("富乐街道", "剑南路东段社区"),
                                                       ("涪江街道", "治平路社区")]
    assert {r["type"] for r in rows} == {"单位集中型社区"}


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_communities_human_formats(run, fmt):
    out = run("communities", "--data", DATA, "--format", fmt).output
    assert "桑林社区" in out and "吴家社区" in out


def test_communities_unknown_type_lists_candidates(run):
    result = run("communities", "--data", DATA, "--type", "不存在")
    assert result.exit_code == 2
    assert "没有名为“不存在”的社区类型" in result.output
    assert "商品住宅型社区" in result.output


def test_communities_ambiguous_type(run):
    result = run("communities", "--data", DATA, "--type", "社区")
    assert result.exit_code == 2
    assert "可以指多个社区类型" in result.output


def test_tasks_json_contract(run):
    rows = json.loads(run("tasks", "--data", DATA, "--format", "json").output)
    assert [r["no"] for r in rows] == [str(n) for n in range(1, 31)]
    first = rows[0]
    assert first["type"] == "商品住宅型社区"
    assert first["title"] == "理顺治理主体关系"
    assert first["lead"] == ["区委组织部", "区民政局"]
    assert first["support"] == ["经济试验区", "各街道"]
    assert first["due"] is None
    assert rows[5]["support"] == ["市场监管局", "区商务局"]  # as written in the ledger
    assert all(r["type"] is None for r in rows[24:])
    assert rows[24]["due"] == "2021-03-19"
    assert rows[27]["support"] == []


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_tasks_human_formats(run, fmt):
    out = run("tasks", "--data", DATA, "--format", fmt).output
    assert "理顺治理主体关系" in out and "区自然资源局" in out


def test_markdown_is_a_table(run):
    out = run("communities", "--data", DATA, "--format", "markdown").output
    lines = [l for l in out.splitlines() if l.startswith("|")]
    assert lines[0] == "| 标识 | 社区 | 街道 | 社区类型 |"
    assert lines[1] == "| :--- | :--- | :--- | :--- |"
    assert len(lines) == 2 + 25


def test_output_file_and_no_overwrite(run, tmp_path):
    target = tmp_path / "c.json"
    assert run("communities", "--data", DATA, "-o", target).exit_code == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 25
    again = run("communities", "--data", DATA, "-o", target)
    assert again.exit_code == 2
    assert "已存在" in again.output
    assert run("communities", "--data", DATA, "-o", target, "--force").exit_code == 0


def test_unknown_command_and_option_are_usage_errors_in_chinese(run):
    result = run("nosuch")
    assert result.exit_code == 2
    assert "没有命令" in result.output
    result = run("types", "--nosuch")
    assert result.exit_code == 2
    assert "没有选项" in result.output


def test_internal_error_has_no_traceback(run, monkeypatch):
    from zhili.domain import listing

    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(listing, "type_rows", boom)
    result = run("types", "--data", DATA)
    assert result.exit_code == 3
    assert "内部错误" in result.output
    assert "Traceback" not in result.output


def test_debug_shows_traceback(run, monkeypatch):
    from zhili.domain import listing

    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(listing, "type_rows", boom)
    with pytest.raises(RuntimeError):
        run("--debug", "types", "--data", DATA)


def test_data_error_in_listing_command_exits_1_with_places(run, data_copy):
    edit(data_copy / "communities.yaml", "street: 涪江街道", "street: 涪江街到")
    result = run("communities", "--data", data_copy)
    assert result.exit_code == 1
    assert "ZL304" in result.output
    assert "zhili validate" in result.output


def test_no_color_when_not_a_terminal(run):
    out = run("types", "--data", DATA).output
    assert "\x1b[" not in out


def test_help_has_example_for_every_command(run):
    from zhili.cli.app import COMMANDS

    for name in COMMANDS:
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "示例" in result.output, name
        assert f"zhili {name}" in result.output, name


def test_long_tables_use_the_plain_layout_with_the_same_columns():
    from zhili.render.output import Column, Output, Table
    from zhili.render.table import PLAIN_ABOVE, render

    rows = [{"name": f"社区{i}", "n": i} for i in range(PLAIN_ABOVE + 1)]
    out = render(Output([Table([Column("name", "社区"), Column("n", "序号", "right")], rows, "标题")], rows),
                 width=80, color=False)
    lines = out.rstrip("\n").splitlines()
    assert lines[0] == "标题"
    assert lines[2].split() == ["社区", "序号"]
    assert set(lines[3].strip()) == {"─"}
    # Chinese text takes two cells: the right-aligned numbers line up under the header's end
    assert lines[-1].endswith(str(PLAIN_ABOVE)) and len(lines) == 4 + PLAIN_ABOVE + 1
    ends = {len(l) + sum(1 for ch in l if ord(ch) > 0x2E80) for l in lines[4:]}
    assert len(ends) == 1
