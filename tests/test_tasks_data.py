"""Bad progress.yaml (and ledger schedules): exact code, line and message for each kind of mistake."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import edit

FIRST = """progress:
  - task: 1
    date: 2021-04-08
    unit: 区委组织部
"""


def write_progress(data_dir: Path, body: str) -> Path:
    path = data_dir / "progress.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def diagnostics(run, data_dir: Path) -> dict:
    result = run("validate", "--data", data_dir, "--format", "json")
    return {"exit": result.exit_code, **json.loads(result.output)}


def only_error(run, data_dir: Path) -> dict:
    got = diagnostics(run, data_dir)
    assert got["exit"] == 1
    [err] = got["errors"]
    return err


def test_bundled_progress_and_plans_are_clean(run, data_copy):
    got = diagnostics(run, data_copy)
    assert got["exit"] == 0 and got["errors"] == [] and got["warnings"] == []
    assert run("validate", "--data", data_copy, "--strict").exit_code == 0


def test_progress_file_is_optional(run, data_copy):
    (data_copy / "progress.yaml").unlink()
    assert run("validate", "--data", data_copy).exit_code == 0
    rows = json.loads(run("tasks", "--data", data_copy, "--as-of", "2021-12-31", "--format", "json").output)
    assert all(r["last_progress"] is None for r in rows)
    assert rows[16]["overdue_days"] == 184  # no entry in any quarter: counted from the end of 2021Q2


def test_unknown_task_number(run, data_copy):
    write_progress(data_copy, FIRST.replace("task: 1", "task: 31"))
    err = only_error(run, data_copy)
    assert (err["code"], err["line"], err["column"]) == ("ZL311", 2, 11)
    assert err["message"] == "进展记录引用的任务序号 31 不在任务台账中。"
    assert err["hint"] == "任务台账的序号是 1、2、3、4、5、6、…、30（照原样写，如 25、三.1）；检查序号是否录错。"


def test_unknown_unit(run, data_copy):
    write_progress(data_copy, FIRST.replace("unit: 区委组织部", "unit: 区委组织"))
    err = only_error(run, data_copy)
    assert (err["code"], err["line"], err["column"]) == ("ZL302", 4, 11)
    assert err["message"] == "进展记录的单位“区委组织”不在单位列表中。"
    assert "区委组织部" in err["hint"]


def test_bad_date_and_done(run, data_copy):
    write_progress(data_copy, FIRST.replace("2021-04-08", "2021-4-8") + "    done: yes\n")
    got = diagnostics(run, data_copy)
    errors = {e["code"]: e for e in got["errors"]}
    assert sorted(errors) == ["ZL206", "ZL208"]
    assert errors["ZL206"]["line"] == 3
    assert errors["ZL206"]["message"] == "“date”（进展日期）：“2021-4-8”不是有效的日期，日期要写成 YYYY-MM-DD，如 2021-03-19。"
    assert errors["ZL208"]["line"] == 5
    assert errors["ZL208"]["message"] == "“done”（是否标志任务已完成）：“yes”不是是/否值：请写 true 或 false（也可写 是 / 否）。"


def test_unknown_field_and_missing_unit(run, data_copy):
    write_progress(data_copy, "progress:\n  - task: 1\n    date: 2021-04-08\n    unti: 区委组织部\n")
    got = diagnostics(run, data_copy)
    codes = sorted((e["code"], e["line"]) for e in got["errors"])
    assert codes == [("ZL201", 4), ("ZL202", 2)]
    unknown = next(e for e in got["errors"] if e["code"] == "ZL201")
    assert "您是否要写“unit”" in unknown["hint"]


def test_unit_not_on_the_task_is_a_warning(run, data_copy):
    write_progress(data_copy, FIRST.replace("unit: 区委组织部", "unit: 区财政局"))
    got = diagnostics(run, data_copy)
    assert got["exit"] == 0 and got["errors"] == []
    [warn] = got["warnings"]
    assert (warn["code"], warn["line"]) == ("ZL402", 4)
    assert warn["message"] == "“区财政局”既不是任务 1 的牵头单位，也不是配合单位。"
    assert run("validate", "--data", data_copy, "--strict").exit_code == 1


def test_street_reporting_on_a_group_task_is_fine(run, data_copy):
    write_progress(data_copy, "progress:\n  - task: 5\n    date: 2021-04-08\n    unit: 游仙街道\n")
    got = diagnostics(run, data_copy)
    assert got["exit"] == 0 and got["warnings"] == []


def test_progress_before_the_task_starts_is_a_warning(run, data_copy):
    write_progress(data_copy, "progress:\n  - task: 17\n    date: 2021-03-20\n    unit: 涪江街道\n")
    [warn] = diagnostics(run, data_copy)["warnings"]
    assert (warn["code"], warn["line"]) == ("ZL402", 3)
    assert warn["message"] == "进展日期 2021-03-20 早于任务 17 的开始日期 2021-04-01。"


def test_recurring_task_needs_a_start(run, data_copy):
    edit(data_copy / "tasks.yaml", "    start: 2021-04-01\n", "")
    (data_copy / "progress.yaml").unlink()
    err = only_error(run, data_copy)
    lines = (data_copy / "tasks.yaml").read_text(encoding="utf-8").splitlines()
    assert err["code"] == "ZL202" and lines[err["line"] - 1].strip() == "recurrence: quarterly"
    assert err["message"] == "任务 17 是周期任务（每季度），但没有开始日期 start。"


def test_bad_recurrence_word(run, data_copy):
    edit(data_copy / "tasks.yaml", "recurrence: quarterly", "recurrence: 每季度")
    err = only_error(run, data_copy)
    lines = (data_copy / "tasks.yaml").read_text(encoding="utf-8").splitlines()
    assert (err["code"], err["column"]) == ("ZL209", 17) and lines[err["line"] - 1].strip() == "recurrence: 每季度"
    assert err["message"].startswith("“recurrence”（周期）的写法“每季度”不符合要求")


def test_broken_progress_makes_tasks_exit_1(run, data_copy):
    write_progress(data_copy, FIRST.replace("task: 1", "task: 31"))
    result = run("tasks", "--data", data_copy)
    assert result.exit_code == 1
    assert "ZL311" in result.output
