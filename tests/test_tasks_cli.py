"""`zhili tasks` and `zhili units` on the bundled 游仙 ledger and its illustrative progress.yaml."""

from __future__ import annotations

import json

import pytest

from conftest import DATA

YEAR_END = ("--data", DATA, "--as-of", "2021-12-31")


def tasks_json(run, *args: str) -> list[dict]:
    result = run("tasks", *YEAR_END, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_tasks_json_has_every_contract_field(run):
    rows = tasks_json(run)
    assert [r["no"] for r in rows] == [str(n) for n in range(1, 31)]  # text, in the ledger's order
    contract = {"no", "type", "title", "lead", "support", "due", "status", "overdue", "overdue_days", "last_progress",
                "start", "recurrence", "source"}
    assert all(contract <= set(r) for r in rows)
    r25 = rows[24]
    assert (r25["due"], r25["status"], r25["overdue"], r25["overdue_days"], r25["last_progress"]) == (
        "2021-03-19", "overdue", True, 287, "2021-03-26")
    r26 = rows[25]
    assert (r26["status"], r26["overdue"], r26["overdue_days"], r26["done_date"]) == ("done", False, None, "2021-12-10")
    r17 = rows[16]
    assert (r17["recurrence"], r17["status"], r17["overdue_days"]) == ("quarterly", "overdue", 92)
    assert r17["missed_periods"] == [{"period": "2021Q3", "start": "2021-07-01", "end": "2021-09-30"}]
    assert rows[0]["status"] == "ongoing" and rows[0]["overdue_days"] is None
    assert rows[22]["last_progress"] is None
    assert {r["status"] for r in rows} <= {"open", "done", "overdue", "ongoing", "recurring"}


def test_lead_short_form_and_note(run):
    result = run("tasks", *YEAR_END, "--lead", "住建局")
    assert result.exit_code == 0
    assert "区住建局牵头" in result.output
    assert "“住建局”按“区住建局”查找" in result.output
    assert [r["no"] for r in tasks_json(run, "--lead", "住建局")] == ["3", "7", "23"]


def test_lead_street_counts_tasks_of_its_group(run):
    rows = tasks_json(run, "--lead", "涪江街道")
    assert [r["no"] for r in rows] == ["5", "6", "9", "10", "11", "12", "14", "16", "17", "18", "19", "20", "24", "25", "27"]
    assert all("各街道" in r["lead"] for r in rows)
    assert "台账写作各街道的任务也计入" in run("tasks", *YEAR_END, "--lead", "涪江街道").output


def test_support_and_unit_and_alias(run):
    assert [r["no"] for r in tasks_json(run, "--support", "区市场监管局")] == ["6"]
    assert [r["no"] for r in tasks_json(run, "--support", "市场监管局")] == ["6"]
    assert [r["no"] for r in tasks_json(run, "--unit", "区住建局")] == ["3", "7", "9", "11", "23", "24", "30"]


@pytest.mark.parametrize("option", ["--lead", "--support", "--unit"])
def test_unknown_unit_exits_2_with_candidates(run, option):
    result = run("tasks", "--data", DATA, option, "区住建委")
    assert result.exit_code == 2
    assert "没有名为“区住建委”的单位。您是否要找：区住建局" in result.output
    assert result.stdout == ""


def test_ambiguous_unit_exits_2_with_candidates(run):
    result = run("tasks", "--data", DATA, "--lead", "街道")
    assert result.exit_code == 2
    assert "“街道”可以指多个单位。您是否要找：涪江街道、富乐街道、游仙街道、各街道？" in result.output


def test_overdue_shows_days(run):
    result = run("tasks", *YEAR_END, "--overdue")
    assert result.exit_code == 0
    assert "逾期 287 天" in result.output and "逾期 92 天（缺 2021Q3）" in result.output
    assert [r["no"] for r in tasks_json(run, "--overdue")] == ["17", "25"]


def test_as_of_moves_now(run):
    # 2021-12-05: 督导 (26, due 2021-11-30) not yet done; 2021-12-10 it is done
    early = tasks_json(run, "--overdue", "--as-of", "2021-12-05")
    assert [(r["no"], r["overdue_days"]) for r in early] == [("17", 66), ("25", 261), ("26", 5)]
    assert [r["no"] for r in tasks_json(run, "--overdue", "--as-of", "2021-03-19")] == []
    assert [r["no"] for r in tasks_json(run, "--overdue", "--as-of", "2021-03-20")] == ["25"]
    result = run("tasks", "--data", DATA, "--as-of", "2021-13-01")
    assert result.exit_code == 2 and "--as-of 的值“2021-13-01”不是真实存在的日期" in result.output


def test_due_before(run):
    assert [r["no"] for r in tasks_json(run, "--due-before", "2021-03-19", "--as-of", "2021-03-01")] == ["25"]
    assert [r["no"] for r in tasks_json(run, "--due-before", "2021-06-30", "--as-of", "2021-04-02")] == ["17", "25"]
    assert [r["no"] for r in tasks_json(run, "--due-before", "2021-11-30")] == ["25", "26"]
    result = run("tasks", "--data", DATA, "--due-before", "明天")
    assert result.exit_code == 2 and "--due-before 的值“明天”不是有效的日期" in result.output


def test_stalled(run):
    rows = tasks_json(run, "--stalled", "180")
    got = {r["no"]: r["idle_days"] for r in rows}
    assert got["7"] == 260 and got["23"] == 296 and got["25"] == 280
    assert "3" not in got and "17" not in got and "26" not in got  # recent progress, or done
    assert all(d >= 180 for d in got.values())
    assert "无进展" in run("tasks", *YEAR_END, "--stalled", "180").output
    result = run("tasks", "--data", DATA, "--stalled", "0")
    assert result.exit_code == 2


def test_type_and_status(run):
    assert [r["no"] for r in tasks_json(run, "--type", "单位集中")] == ["16", "17", "18", "19"]
    assert [r["no"] for r in tasks_json(run, "--status", "done")] == ["26"]
    assert [r["no"] for r in tasks_json(run, "--status", "recurring", "--as-of", "2021-09-30")] == ["17"]
    assert [r["no"] for r in tasks_json(run, "--status", "done", "--status", "overdue")] == ["17", "25", "26"]
    assert len(tasks_json(run, "--status", "ongoing")) == 27
    assert [r["no"] for r in tasks_json(run, "--status", "open", "--as-of", "2021-06-01")] == ["26"]
    result = run("tasks", "--data", DATA, "--status", "late")
    assert result.exit_code == 2


def test_filters_combine(run):
    rows = tasks_json(run, "--lead", "富乐街道", "--overdue", "--type", "单位集中", "--stalled", "5")
    assert [r["no"] for r in rows] == ["17"]
    assert tasks_json(run, "--lead", "区住建局", "--overdue") == []
    result = run("tasks", *YEAR_END, "--lead", "区住建局", "--overdue")
    assert result.exit_code == 0 and "（无）" in result.output


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_human_formats(run, fmt):
    out = run("tasks", *YEAR_END, "--format", fmt).output
    assert "理顺治理主体关系" in out and "逾期 287 天" in out and "已完成（2021-12-10）" in out and "每季度" in out


# -- zhili units --------------------------------------------------------------------------------


def test_units_counts_through_groups(run):
    rows = json.loads(run("units", *YEAR_END, "--format", "json").output)
    by = {r["name"]: r for r in rows}
    assert len(rows) == 30
    assert (by["涪江街道"]["lead"], by["涪江街道"]["support"], by["涪江街道"]["overdue"]) == (15, 9, 2)
    assert by["涪江街道"]["overdue_tasks"] == ["17", "25"]
    assert (by["区住建局"]["lead"], by["区住建局"]["support"], by["区住建局"]["overdue"]) == (3, 4, 0)
    assert by["区市场监管局"]["support"] == 1
    assert by["区委组织部"]["overdue_support"] == 2


def test_units_sort_and_as_of(run):
    rows = json.loads(run("units", *YEAR_END, "--sort", "support", "--format", "json").output)
    supports = [r["support"] for r in rows]
    assert supports == sorted(supports, reverse=True)
    rows = json.loads(run("units", "--data", DATA, "--as-of", "2021-12-05", "--sort", "overdue", "--format",
                          "json").output)
    assert [(r["name"], r["overdue"]) for r in rows[:5]] == [("经济试验区", 2), ("涪江街道", 2), ("富乐街道", 2),
                                                            ("游仙街道", 2), ("区委组织部", 1)]
    out = run("units", *YEAR_END, "--sort", "name").output
    assert "牵头逾期" in out and "各街道" in out
    assert run("units", "--data", DATA, "--sort", "size").exit_code == 2


def test_status_choices_match_the_domain():
    from zhili.cli.tasks import STATUS_CHOICES
    from zhili.domain.tasks import STATUSES

    assert STATUS_CHOICES == STATUSES


def test_unknown_type_exits_2(run):
    result = run("tasks", "--data", DATA, "--type", "别墅型")
    assert result.exit_code == 2
    assert "没有名为“别墅型”的社区类型" in result.output


def test_output_file(run, tmp_path):
    target = tmp_path / "逾期.json"
    result = run("tasks", *YEAR_END, "--overdue", "-o", target)
    assert result.exit_code == 0
    assert [r["no"] for r in json.loads(target.read_text(encoding="utf-8"))] == ["17", "25"]
