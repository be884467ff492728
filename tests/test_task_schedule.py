"""Tasks as the documents write them (issue 15): text numbers in ledger order, a lead the document does not
name, milestones judged one by one, recurrences from the scheme's vocabulary or explicit dates, plan status
labels from the scheme. Domain tests on small ledgers; CLI tests; each new diagnostic with its exact message
and line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, edit
from zhili.domain import schedule
from zhili.domain import tasks as ledger
from zhili.domain.tasks import task_state
from zhili.model.progress import ProgressEntry
from zhili.model.task import Task

D = date.fromisoformat

FIVE_YEARS = dict(start="2023-01-01", due="2025-12-31", milestones=[
    {"by": "2023-06-30", "title": "首批", "quantity": "25", "unit": "个"},
    {"by": "2024-06-30", "title": "第二批", "quantity": "50", "unit": "个"},
    {"by": "2025-12-31", "title": "全面建成"}])


def task(no: str, **kw: Any) -> Task:
    kw.setdefault("title", f"任务{no}")
    kw.setdefault("lead", ["区住建局"])
    return Task.model_validate({"no": no, **kw})


def entry(no: str, day: str, milestone: str | None = None, done: bool = False) -> ProgressEntry:
    value = {"task": no, "date": day, "unit": "区住建局", "done": "true" if done else "false"}
    if milestone is not None:
        value["milestone"] = milestone
    return ProgressEntry.model_validate(value)


# -- milestones ---------------------------------------------------------------------------------------------


def test_a_five_year_task_whose_first_milestone_is_met_is_not_overdue_until_the_next_one():
    t = task("25", **FIVE_YEARS)
    met = [entry("25", "2023-06-20", "首批")]
    after_first = task_state(t, met, D("2023-07-01"))
    assert (after_first.status, after_first.overdue, after_first.next_due) == ("open", False, D("2024-06-30"))
    assert [m.status for m in after_first.milestones] == ["met", "open", "open"]
    assert ledger.status_text(after_first) == "未到期（下一节点：第二批（2024-06-30，50 个））"
    missed = task_state(t, met, D("2024-07-10"))
    assert (missed.status, missed.overdue_days, missed.next_due) == ("overdue", 10, D("2024-06-30"))
    assert ledger.status_text(missed) == "逾期 10 天（未完成节点：第二批（2024-06-30，50 个））"


def test_a_missed_first_milestone_makes_the_task_overdue_with_that_milestone_named():
    t = task("25", **FIVE_YEARS)
    state = task_state(t, [], D("2023-07-01"))
    assert (state.status, state.overdue_days, state.next_due) == ("overdue", 1, D("2023-06-30"))
    assert [m.milestone.title for m in state.missed_milestones] == ["首批"]
    assert ledger.status_text(state) == "逾期 1 天（未完成节点：首批（2023-06-30，25 个））"
    # on its own day a milestone is not missed yet (the end of that day, Beijing time)
    assert task_state(t, [], D("2023-06-30")).status == "open"


def test_a_milestone_met_late_counts_as_met_and_says_how_late():
    t = task("25", **FIVE_YEARS)
    state = task_state(t, [entry("25", "2023-07-05", "2023-06-30")], D("2023-08-01"))  # named by its date
    first = state.milestones[0]
    assert (state.status, first.status, first.met_on, first.late_days) == ("open", "met", D("2023-07-05"), 5)
    assert first.to_dict()["status_label"] == "已完成"


def test_done_meets_every_milestone_and_all_met_without_due_is_ongoing():
    t = task("25", **FIVE_YEARS)
    done = task_state(t, [entry("25", "2024-01-01", done=True)], D("2026-01-01"))
    assert done.status == "done" and {m.status for m in done.milestones} == {"met"}
    no_due = task("9", milestones=[{"by": "2023-06-30"}])
    assert task_state(no_due, [entry("9", "2023-06-01", "2023-06-30")], D("2024-01-01")).status == "ongoing"


def test_idle_days_count_from_the_entry_that_met_a_milestone():
    t = task("25", **FIVE_YEARS)
    state = task_state(t, [entry("25", "2023-06-20", "首批")], D("2023-12-31"))
    assert state.idle_days == 194


# -- recurrences ---------------------------------------------------------------------------------------------


def test_declared_recurrences_have_their_months_and_labels():
    declared = {"bimonthly": schedule.Recurrence("bimonthly", "每两月", 2),
                "half-yearly": schedule.Recurrence("half-yearly", "每半年", 6)}
    t = task("3", recurrence="half-yearly", start="2021-03-01")
    assert task_state(t, [], D("2021-06-30"), declared=declared).status == "recurring"
    late = task_state(t, [], D("2021-07-01"), declared=declared)
    assert (late.status, late.overdue_days, [p.label(late.recurrence) for p in late.missed]) == ("overdue", 1, ["2021H1"])
    assert ledger.status_text(task_state(t, [entry("3", "2021-05-01")], D("2021-07-01"), declared=declared)) == "每半年，按期"
    two = task("4", recurrence="bimonthly", start="2021-03-10")
    got = task_state(two, [], D("2021-05-01"), declared=declared)
    assert [p.label(got.recurrence) for p in got.missed] == ["2021-03～04"]
    assert ledger.deadline_text(two, declared) == "每两月（2021-03-10 起）"


def test_explicit_dates_are_the_ends_of_the_periods():
    t = task("三.2", start="2024-01-01", recurrence={"dates": ["2024-03-31", "2024-09-30", "2024-12-31"]})
    assert task_state(t, [entry("三.2", "2024-03-01")], D("2024-09-30")).next_due == D("2024-09-30")
    late = task_state(t, [entry("三.2", "2024-03-01")], D("2024-10-02"))
    assert (late.status, late.overdue_days, [p.label(late.recurrence) for p in late.missed]) == ("overdue", 2, ["2024-09-30"])
    assert [(p.start, p.end) for p in late.missed] == [(D("2024-04-01"), D("2024-09-30"))]
    assert ledger.deadline_text(t) == "按指定日期：2024-03-31、2024-09-30、2024-12-31"
    assert ledger.recurrence_json(t) == {"dates": [D("2024-03-31"), D("2024-09-30"), D("2024-12-31")]}


# -- the ledger's own numbers and order ------------------------------------------------------------------


TASKS_TAIL = """  - no: 三.1
    type: null
    title: 召开推进会
    lead: []
    support: [区民政局]
    recurrence: {dates: [2021-06-30, 2021-12-31]}
  - no: 2.10
    type: null
    title: 建成示范社区
    lead: [区住建局]
    start: 2021-04-01
    due: 2022-12-31
    milestones:
      - {by: 2021-06-30, title: 首批, quantity: 5, unit: 个}
      - {by: 2022-12-31, title: 全面建成}
"""


def with_tasks(data: Path, tail: str = TASKS_TAIL) -> int:
    """Append tasks to the ledger; the number of the line before the first appended one."""
    path = data / "tasks.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + tail, encoding="utf-8")
    return len(text.splitlines())


def tasks_json(run, data: Path, *args: str) -> list[dict]:
    result = run("tasks", "--data", data, "--as-of", "2021-07-01", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_text_numbers_keep_the_files_order_and_a_lead_may_be_missing(run, data_copy):
    with_tasks(data_copy)
    rows = tasks_json(run, data_copy)
    assert [r["no"] for r in rows][-3:] == ["30", "三.1", "2.10"]
    unnamed = rows[-2]
    assert (unnamed["lead"], unnamed["recurrence"], unnamed["recurrence_label"]) == (
        [], {"dates": ["2021-06-30", "2021-12-31"]}, "按指定日期")
    assert "三.1" not in [r["no"] for r in tasks_json(run, data_copy, "--lead", "区民政局")]
    assert "三.1" in [r["no"] for r in tasks_json(run, data_copy, "--unit", "区民政局")]
    table = run("tasks", "--data", data_copy, "--as-of", "2021-07-01", "--support", "区民政局").output
    assert "未明确" in table and "三.1" in table


def test_milestones_in_json_and_the_table(run, data_copy):
    with_tasks(data_copy)
    row = tasks_json(run, data_copy)[-1]
    assert (row["status"], row["overdue_days"], row["next_due"]) == ("overdue", 1, "2021-06-30")
    assert row["milestones"][0] == {"by": "2021-06-30", "title": "首批", "quantity": 5.0, "unit": "个", "note": None,
                                    "status": "missed", "status_label": "逾期", "met_date": None, "late_days": None,
                                    "overdue_days": 1}
    assert row["milestones"][1]["status"] == "open"
    table = run("tasks", "--data", data_copy, "--as-of", "2021-07-01", "--overdue", "--format", "markdown").output
    assert "2022-12-31（2 个节点）" in table and "未完成节点：首批（2021-06-30，5 个）" in table


def test_progress_add_names_a_milestone_and_the_task_is_back_on_time(run, data_copy):
    with_tasks(data_copy)
    result = run("progress", "add", "--data", data_copy, "--task", "2.10", "--unit", "住建局", "--date", "2021-06-28",
                 "--note", "首批 5 个建成", "--milestone", "首批", "--as-of", "2021-07-01")
    assert result.exit_code == 0, result.stderr
    assert "完成节点 首批" in result.output
    assert (data_copy / "progress.yaml").read_text(encoding="utf-8").endswith(
        "  - task: '2.10'\n    date: 2021-06-28\n    unit: 区住建局\n    note: 首批 5 个建成\n    milestone: 首批\n")
    row = tasks_json(run, data_copy)[-1]
    assert (row["status"], row["next_due"]) == ("open", "2022-12-31")
    wrong = run("progress", "add", "--data", data_copy, "--task", "2.10", "--unit", "住建局", "--note", "x",
                "--milestone", "第三批", "--as-of", "2021-07-01")
    assert wrong.exit_code == 2 and "任务 2.10 没有节点“第三批”。" in wrong.output


def test_commands_work_from_the_cache(run, data_copy):
    with_tasks(data_copy)
    first = tasks_json(run, data_copy)  # loads and writes the cache
    assert tasks_json(run, data_copy) == first  # from the cache: light records carry milestones and dates
    notice = run("notice", "--data", data_copy, "--as-of", "2021-07-01", "--format", "json")
    assert notice.exit_code == 0, notice.output
    payload = json.loads(notice.stdout)
    leads = [line["lead"] for line in payload["overdue"] + payload["stalled"]]
    assert "牵头单位未明确" in leads  # a task without a lead is not silently dropped


def test_scheme_recurrence_labels_and_plan_status_labels_come_from_the_data(run, data_copy):
    edit(data_copy / "types.yaml", "{id: quarterly, label: 每季度, months: 3}", "{id: quarterly, label: 按季, months: 3}")
    edit(data_copy / "types.yaml", "{id: late, label: 逾期报送}", "{id: late, label: 迟报}")
    out = run("tasks", "--data", data_copy, "--as-of", "2021-12-31", "--overdue").output
    assert "按季（2021-04-01 起）" in out
    rows = json.loads(run("plans", "--data", data_copy, "--as-of", "2021-03-25", "--format", "json").stdout)
    assert {r["status_label"] for r in rows if r["status"] == "late"} == {"迟报 4 天"}


# -- diagnostics ---------------------------------------------------------------------------------------------


def validate(run, data: Path) -> dict:
    result = run("validate", "--data", data, "--format", "json")
    return {"exit": result.exit_code, **json.loads(result.output)}


def found(got: dict, code: str) -> list[tuple[int, str, str]]:
    return [(d["line"], d["message"], d["hint"]) for d in got["errors"] + got["warnings"] if d["code"] == code]


def test_a_missing_lead_is_a_warning_with_its_place(run, data_copy):
    base = with_tasks(data_copy)
    got = validate(run, data_copy)
    assert got["exit"] == 0 and got["errors"] == []
    [(line, message, hint)] = found(got, "ZL360")
    assert (line, message) == (base + 4, "任务 三.1 牵头单位未明确。")
    assert hint.startswith("方案写明了牵头单位的，照录到 lead")
    assert run("validate", "--data", data_copy, "--strict").exit_code == 1


@pytest.mark.parametrize("tail,code,offset,message", [
    ("  - no: 31\n    title: 甲\n    lead: [区住建局]\n    milestones:\n      - {by: 2022-06-30}\n      - {by: 2022-01-31}\n",
     "ZL361", 6, "任务 31 的节点日期 2022-01-31 不晚于上一个节点的日期 2022-06-30。"),
    ("  - no: 31\n    title: 甲\n    lead: [区住建局]\n    start: 2022-01-01\n    milestones:\n      - {by: 2021-12-31}\n",
     "ZL362", 6, "任务 31 的节点日期 2021-12-31 早于开始日期 2022-01-01。"),
    ("  - no: 31\n    title: 甲\n    lead: [区住建局]\n    due: 2022-01-01\n    milestones:\n      - {by: 2022-12-31}\n",
     "ZL363", 6, "任务 31 的节点日期 2022-12-31 晚于截止日期 2022-01-01。"),
    ("  - no: 三.2\n    title: 甲\n    lead: [区住建局]\n    recurrence: {dates: [2022-06-30, 2022-03-31]}\n",
     "ZL364", 4, "任务 三.2 的周期日期 2022-03-31 不晚于前一个日期 2022-06-30。"),
    ("  - no: 三.2\n    title: 甲\n    lead: [区住建局]\n    due: 2022-06-30\n    recurrence:\n      dates: [2022-03-31, 2022-09-30]\n",
     "ZL365", 6, "任务 三.2 的周期日期 2022-09-30 晚于截止日期 2022-06-30。"),
    ("  - no: 31\n    title: 甲\n    lead: [区住建局]\n    milestones:\n      - {by: 2022-01-31, title: 首批}\n"
     "      - {by: 2022-06-30, title: 首批}\n",
     "ZL366", 6, "任务 31 有两个名为“首批”的节点。"),
    ("  - no: 31\n    title: 甲\n    lead: [区住建局]\n    start: 2022-01-01\n    recurrence: weekly\n",
     "ZL373", 5, "任务 31 的周期“weekly”没有在 types.yaml 的 vocabularies.recurrences 中声明。"),
])
def test_ledger_schedule_errors(run, data_copy, tail, code, offset, message):
    base = with_tasks(data_copy, tail)
    got = validate(run, data_copy)
    assert got["exit"] == 1
    [(line, got_message, hint)] = found(got, code)
    assert (line, got_message) == (base + offset, message)
    assert hint


def test_an_undeclared_recurrence_lists_the_declared_ones(run, data_copy):
    edit(data_copy / "tasks.yaml", "recurrence: quarterly", "recurrence: weekly")
    [(_, _, hint)] = found(validate(run, data_copy), "ZL373")
    assert hint == ("可用的周期：monthly（每月）、bimonthly（每两月）、quarterly（每季度）、half-yearly（每半年）、yearly（每年）；"
                    "或写 {dates: [YYYY-MM-DD, ...]} 指定各期截止日。")


def test_duplicate_and_unknown_task_numbers_keep_their_codes(run, data_copy):
    base = with_tasks(data_copy, "  - no: 三.1\n    title: 甲\n    lead: [区住建局]\n  - no: 三.1\n    title: 乙\n    lead: [区住建局]\n")
    assert found(validate(run, data_copy), "ZL303")[0][:2] == (base + 4, "任务序号 三.1 重复。")
    (data_copy / "progress.yaml").write_text("progress:\n  - task: 三．1\n    date: 2021-04-08\n    unit: 区住建局\n",
                                             encoding="utf-8")
    [(line, message, hint)] = found(validate(run, data_copy), "ZL311")
    assert (line, message) == (2, "进展记录引用的任务序号 三．1 不在任务台账中。")
    assert hint == "任务台账的序号是 1、2、3、4、5、6、…、三.1（照原样写，如 25、三.1）；检查序号是否录错。"


def test_progress_naming_an_unknown_milestone(run, data_copy):
    with_tasks(data_copy)
    (data_copy / "progress.yaml").write_text(
        "progress:\n  - task: 2.10\n    date: 2021-06-28\n    unit: 区住建局\n    milestone: 第三批\n"
        "  - task: 1\n    date: 2021-06-28\n    unit: 区委组织部\n    milestone: 首批\n", encoding="utf-8")
    got = found(validate(run, data_copy), "ZL367")
    assert [(line, message) for line, message, _ in got] == [
        (5, "“第三批”不是任务 2.10 的节点。"), (9, "任务 1 没有节点，进展记录却写了节点“首批”。")]
    assert got[0][2] == "写节点名称 title 或节点日期 by；该任务的节点：首批、全面建成。"


def test_plan_status_labels_must_name_the_four_statuses(run, data_copy):
    types = data_copy / "types.yaml"
    edit(types, "    - {id: pending, label: 未报送（未到期）}\n", "    - {id: overdue, label: 超期}\n")
    lines = types.read_text(encoding="utf-8").splitlines()
    got = found(validate(run, data_copy), "ZL374")
    assert [(line, message) for line, message, _ in got] == [
        (lines.index("  plan_statuses:") + 1, "vocabularies.plan_statuses 缺少状态：pending。"),
        (lines.index("    - {id: overdue, label: 超期}") + 1, "没有“overdue”这种方案报送状态。")]
    assert got[1][2] == "状态标识是固定的：on_time、late、missing、pending；方案只能改它们的中文名称 label。"


def test_the_bundled_sets_and_the_init_templates_declare_the_vocabularies(run, tmp_path):
    from conftest import TAICANG

    for folder in (DATA, TAICANG):
        assert "\nvocabularies:\n" in (folder / "types.yaml").read_text(encoding="utf-8")
    assert run("init", tmp_path / "e", "--scheme", "empty").exit_code == 0
    text = (tmp_path / "e" / "types.yaml").read_text(encoding="utf-8")
    assert "  recurrences:\n    - {id: monthly, label: 每月, months: 1}\n    - {id: bimonthly, label: 每两月, months: 2}" in text
    assert "    - {id: half-yearly, label: 每半年, months: 6}" in text and "  plan_statuses:\n" in text
    assert validate(run, tmp_path / "e")["exit"] == 0
