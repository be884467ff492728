"""One contract for every output: JSON fields, errors as JSON, exit codes for a missing optional part."""

from __future__ import annotations

import json

import pytest

from conftest import DATA

TAICANG = "examples/taicang"


def _json(run, *args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- as_of: every command that judges against a date says which date ----------------------------


@pytest.mark.parametrize("args", [("tasks", "--data", DATA), ("units", "--data", DATA), ("plans", "--all", "--data", DATA),
                                  ("coverage", "--data", TAICANG)])
def test_date_judging_commands_carry_as_of_in_every_row(run, args):
    rows = _json(run, *args, "--as-of", "2021-12-31")
    assert rows and all(r["as_of"] == "2021-12-31" for r in rows)


# -- enumerations: English codes, Chinese in *_label ----------------------------------------------


def test_plans_status_is_a_code_with_a_label(run):
    rows = _json(run, "plans", "--all", "--data", DATA, "--as-of", "2021-12-31")
    assert all("status_cn" not in r for r in rows)
    by_id = {r["community"]: r for r in rows}
    assert (by_id["dongcai"]["status"], by_id["dongcai"]["status_label"]) == ("missing", "未报送（截至 2021-12-31 逾期 287 天）")
    assert (by_id["minan"]["status"], by_id["minan"]["status_label"]) == ("late", "逾期报送 7 天")
    assert {r["receiver"] for r in rows} == {"区委组织部302办公室"}  # the note under the table: where plans go


def test_task_and_classify_and_rank_statuses_have_labels(run):
    tasks = _json(run, "tasks", "--data", DATA, "--as-of", "2021-12-31", "--overdue")
    assert tasks and all(t["status"] == "overdue" and t["status_label"].startswith("逾期 ") for t in tasks)
    classified = _json(run, "classify", "--data", DATA)
    assert {(c["status"], c["status_label"]) for c in classified} >= {("consistent", "一致")}
    ranked = _json(run, "rank", "--data", DATA, "--year", "2021")
    entries = [e for g in ranked for e in g["communities"]]
    assert {(e["designation"], e["designation_label"]) for e in entries} == {("advanced", "先进"), ("lagging", "后进"),
                                                                            (None, None)}
    moves = _json(run, "rank", "--data", DATA, "--year", "2022", "--compare", "2021")
    labels = {m["status"]: m["status_label"] for g in moves for m in g["compare"]["lagging"]}
    assert labels["moved_up"] == "晋位升级" and labels["still_lagging"] == "仍为后进"


# -- the notes under a table are in the JSON too ---------------------------------------------------


def test_notes_are_in_the_json(run, tmp_path):
    coverage = _json(run, "coverage", "--data", TAICANG, "--as-of", "2022-12-31")
    assert {r["target_source"] for r in coverage} == {r["target_source"] for r in coverage[:1]} != {None}
    assert {r["unit"] for r in coverage if not r["ok"]} >= {"浏河镇"}
    standards = _json(run, "standards", "--data", DATA)
    assert all(r["basis"].startswith("标准：") for r in standards)
    import shutil

    taicang = tmp_path / "taicang"
    shutil.copytree(TAICANG, taicang)
    (taicang / "resources.yaml").unlink()
    projects = _json(run, "projects", "--data", taicang)
    assert projects["notes"] == ["该数据集没有治理资源清单（resources.yaml），所有需求都列入待治理项目目录。"]
    ranked = _json(run, "rank", "--data", DATA, "--year", "2021")
    assert all("tie_breaks" in g and "warnings" in g for g in ranked)


# -- errors with --format json ---------------------------------------------------------------------


def test_a_usage_error_is_a_json_object_on_stdout(run):
    result = run("tasks", "--data", DATA, "--lead", "不存在的局", "--format", "json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert (error["error"], error["code"], error["exit_code"]) == (True, "usage", 2)
    assert error["message"].startswith("没有名为“不存在的局”的单位")
    assert error["hint"]


def test_a_click_error_is_a_json_object_on_stdout(run):
    result = run("tasks", "--data", DATA, "--stalled", "0", "--format=json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["code"] == "usage" and "--stalled" in error["message"] and " tasks -h”" in error["hint"]


def test_invalid_data_is_a_json_object_with_diagnostics(run, data_copy):
    (data_copy / "units.yaml").write_text("units: [\n", encoding="utf-8")
    result = run("units", "--data", data_copy, "--format", "json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)
    assert error["code"] == "data_invalid" and error["exit_code"] == 1
    assert error["diagnostics"] and error["diagnostics"][0]["file"].endswith("units.yaml")


def test_without_json_errors_stay_text_on_stderr(run):
    result = run("tasks", "--data", DATA, "--lead", "不存在的局")
    assert result.exit_code == 2 and result.stdout == "" and result.stderr.startswith("错误：没有名为")


# -- a data set without the optional part a command needs: exit 2 for every command --------------


@pytest.mark.parametrize("args, words", [
    (("plans", "--data", TAICANG), "没有 plans.yaml"),
    (("projects", "--data", DATA), "没有治理需求目录"),
    (("coverage", "--data", DATA), "没有声明目标"),
    (("standards", "--data", TAICANG), "没有声明配置标准"),
    (("rank", "--data", DATA, "--year", "2019"), "没有 2019 年的评议数据"),
    (("report", "--data", DATA, "--year", "2019"), "没有 2019 年的评议数据"),
])
def test_a_missing_optional_part_exits_2_for_every_command(run, args, words):
    result = run(*args)
    assert result.exit_code == 2 and words in result.stderr
    if args[0] != "report":
        as_json = run(*args, "--format", "json")
        assert as_json.exit_code == 2
        error = json.loads(as_json.stdout)
        assert error["code"] == "missing_part" and words in error["message"]


# -- --format and the -o file's extension agree ----------------------------------------------------


@pytest.mark.parametrize("fmt, name", [("csv", "x.xlsx"), ("json", "x.csv"), ("table", "x.md"), ("csv", "x.txt"),
                                       ("markdown", "x.json")])
def test_a_format_that_disagrees_with_the_extension_is_refused(run, tmp_path, fmt, name):
    target = tmp_path / name
    result = run("types", "--data", DATA, "--format", fmt, "-o", target)
    assert result.exit_code == 2
    assert f"--format {fmt} 与输出文件" in result.output and "不一致，未写入" in result.output  # json: on stdout
    assert not target.exists()


def test_an_unknown_extension_is_refused_even_with_a_format(run, tmp_path):
    target = tmp_path / "x.xls"
    result = run("types", "--data", DATA, "--format", "csv", "-o", target)
    assert result.exit_code == 2 and "无法从文件名" in result.stderr and ".txt（table）" in result.stderr
    assert not target.exists()


def test_txt_is_the_plain_table_and_says_so(run, tmp_path):
    target = tmp_path / "x.txt"
    result = run("types", "--data", DATA, "-o", target)
    assert result.exit_code == 0 and f"已写入 {target}" in result.stderr
    text = target.read_text(encoding="utf-8")
    assert "商品住宅型社区" in text and "\x1b[" not in text
    agreed = run("types", "--data", DATA, "--format", "json", "-o", tmp_path / "x.json")
    assert agreed.exit_code == 0 and json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))[0]["id"]


# -- as-of defaults: a report about a past year -------------------------------------------------------

def test_a_past_year_is_judged_as_of_its_end_and_says_so(run):
    result = run("report", "--data", DATA, "--year", "2021")
    assert result.exit_code == 0
    assert "任务逾期按 2021-12-31 计算" in result.stderr and "--as-of" in result.stderr
    assert "任务逾期按 2021-12-31 计算" in result.stdout
    at_end = json.loads(run("tasks", "--data", DATA, "--overdue", "--as-of", "2021-12-31", "--format", "json").stdout)
    assert f"共 {len(at_end)} 项任务逾期" in result.stdout
    chosen = run("report", "--data", DATA, "--year", "2021", "--as-of", "2021-06-30")
    assert "任务逾期按 2021-06-30 计算" in chosen.stdout and "任务逾期按" not in chosen.stderr


def test_year_end_never_lies_in_the_future():
    from datetime import date

    from zhili.domain.tasks import year_end

    assert year_end(2021, date(2026, 12, 3)) == date(2021, 12, 31)
    assert year_end(2026, date(2026, 12, 3)) == date(2026, 12, 3)
