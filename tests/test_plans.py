"""一社区一策: plan submissions as of a day (hand-built), and `zhili plans` on the bundled data."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import DATA, edit
from test_tasks import registry
from zhili.domain.plans import plan_rows, plan_states, summary
from zhili.errors import MissingPartError
from zhili.model.community import Community
from zhili.model.plan import PlanRequirement, PlanSubmission


def plan_registry():
    reg = registry([])
    reg.communities = [Community(id=c, name=f"{c}社区", street="涪江街道", type="老旧院落型社区") for c in ("a", "b", "c", "d")]
    reg.plan_requirement = PlanRequirement.model_validate({"title": "方案", "due": "2021-03-19", "receiver": "区委组织部"})
    reg.plans = [PlanSubmission.model_validate({"community": cid, "submitted": day,
                                                "targets": [{"name": "改造小区", "value": "2", "unit": "个"}]})
                 for cid, day in (("a", "2021-03-19"), ("b", "2021-03-20"), ("c", "2021-04-10"))]
    return reg


def statuses(reg, day: str) -> dict[str, tuple[str, int | None]]:
    return {s.community.id: (s.status, s.days_late) for s in plan_states(reg, date.fromisoformat(day))}


def test_on_time_late_missing_as_of():
    reg = plan_registry()
    assert statuses(reg, "2021-03-19") == {"a": ("on_time", None), "b": ("pending", None), "c": ("pending", None),
                                           "d": ("pending", None)}
    assert statuses(reg, "2021-03-20") == {"a": ("on_time", None), "b": ("late", 1), "c": ("missing", 1),
                                           "d": ("missing", 1)}
    assert statuses(reg, "2021-12-31") == {"a": ("on_time", None), "b": ("late", 1), "c": ("late", 22),
                                           "d": ("missing", 287)}
    assert summary(plan_states(reg, date(2021, 12, 31))) == {"on_time": 1, "late": 2, "missing": 1, "pending": 0}


def test_due_date_and_receiver_come_from_data():
    reg = plan_registry()
    reg.plan_requirement = PlanRequirement.model_validate({"title": "方案", "due": "2021-04-30", "receiver": "区民政局"})
    assert statuses(reg, "2021-04-20")["b"] == ("on_time", None)
    assert statuses(reg, "2021-05-01")["d"] == ("missing", 1)


def test_rows_and_targets():
    reg = plan_registry()
    rows = plan_rows(reg, plan_states(reg, date(2021, 12, 31)))
    assert rows[0]["targets"] == [{"name": "改造小区", "value": 2.0, "unit": "个", "year": None}]
    assert rows[0]["target_text"] == "改造小区 2个"
    assert rows[3]["submitted"] is None and rows[3]["targets"] == []


def test_without_plans_file_is_a_missing_part():
    reg = registry([])
    with pytest.raises(MissingPartError, match="没有 plans.yaml"):
        plan_states(reg, date(2021, 3, 20))


# -- the command ------------------------------------------------------------------------------


def test_plans_default_lists_missing_and_late(run):
    result = run("plans", "--data", DATA, "--as-of", "2021-12-31")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "东材社区" in out and "五八社区" in out and "未报送（截至 2021-12-31 逾期 287 天）" in out
    assert "民安社区" in out and "逾期报送 7 天" in out and "吴家社区" in out and "逾期报送 4 天" in out
    assert "桑林社区" not in out
    assert "应于 2021-03-19 前报区委组织部302办公室" in out
    assert "按时报送 21，逾期报送 2，未报送 2，未报送（未到期） 0" in out


def test_plans_json_contract_and_status_filter(run):
    rows = json.loads(run("plans", "--data", DATA, "--as-of", "2021-12-31", "--format", "json").output)
    assert sorted((r["community"], r["status"], r["days_late"]) for r in rows) == [
        ("dongcai", "missing", 287), ("minan", "late", 7), ("wuba", "missing", 287), ("wujia", "late", 4)]
    assert {"community", "name", "street", "type", "status", "submitted", "due", "days_late", "targets"} <= set(rows[0])
    on_time = json.loads(run("plans", "--data", DATA, "--as-of", "2021-12-31", "--status", "on_time",
                             "--format", "json").output)
    assert len(on_time) == 21 and all(r["submitted"] <= "2021-03-19" and r["targets"] for r in on_time)


def test_plans_all_and_street(run):
    rows = json.loads(run("plans", "--data", DATA, "--as-of", "2021-12-31", "--all", "--format", "json").output)
    assert len(rows) == 25
    rows = json.loads(run("plans", "--data", DATA, "--as-of", "2021-12-31", "--all", "--street", "游仙街道",
                          "--format", "json").output)
    assert [(r["name"], r["status"]) for r in rows] == [("游仙观社区", "on_time"), ("芙蓉社区", "on_time"),
                                                       ("龙申社区", "on_time"), ("吴家社区", "late")]


def test_plans_before_the_due_date_are_pending(run):
    rows = json.loads(run("plans", "--data", DATA, "--as-of", "2021-03-19", "--format", "json").output)
    assert sorted(r["community"] for r in rows) == ["dongcai", "minan", "wuba", "wujia"]
    assert {r["status"] for r in rows} == {"pending"}


def test_plans_bad_as_of_and_missing_file(run, data_copy):
    result = run("plans", "--data", DATA, "--as-of", "3月19日")
    assert result.exit_code == 2
    assert "--as-of 的值“3月19日”不是有效的日期" in result.output
    (data_copy / "plans.yaml").unlink()
    assert run("validate", "--data", data_copy).exit_code == 0  # plans.yaml is optional
    result = run("plans", "--data", data_copy)
    assert result.exit_code == 2 and "没有 plans.yaml" in result.output


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_plans_human_formats(run, fmt):
    out = run("plans", "--data", DATA, "--as-of", "2021-12-31", "--format", fmt).output
    assert "东材社区" in out and "逾期报送 7 天" in out


# -- bad plans.yaml: exact code, line and message ------------------------------------------------


def _errors(run, data_dir):
    result = run("validate", "--data", data_dir, "--format", "json")
    assert result.exit_code == 1, result.output
    return json.loads(result.output)["errors"]


def _line_of(path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, l in enumerate(lines, 1) if text in l)


def test_plan_for_unknown_community(run, data_copy):
    edit(data_copy / "plans.yaml", "community: sanglin", "community: sanglim")
    [err] = _errors(run, data_copy)
    assert (err["code"], err["line"]) == ("ZL305", _line_of(data_copy / "plans.yaml", "community: sanglim"))
    assert err["message"] == "方案的社区“sanglim”不在社区台账中。"
    assert "sanglin" in err["hint"]


def test_plan_registered_twice(run, data_copy):
    edit(data_copy / "plans.yaml", "community: mianshanlu", "community: wuliduilu")
    [err] = _errors(run, data_copy)
    lines = (data_copy / "plans.yaml").read_text(encoding="utf-8").splitlines()
    second = [i for i, l in enumerate(lines, 1) if "community: wuliduilu" in l][1]
    assert (err["code"], err["line"]) == ("ZL303", second)
    first = [i for i, l in enumerate(lines, 1) if "community: wuliduilu" in l][0]
    assert err["message"] == f"社区“wuliduilu”的方案重复登记：plans.yaml 第 {first} 行已有。"


def test_plan_bad_date_value_and_receiver(run, data_copy):
    path = data_copy / "plans.yaml"
    edit(path, "submitted: 2021-03-17", "submitted: 2021/3/17")
    edit(path, "value: 2, unit: \"个\"", "value: 两, unit: \"个\"")
    edit(path, "receiver: 区委组织部", "receiver: 区委组识部")
    errs = {e["code"]: e for e in _errors(run, data_copy)}
    assert errs["ZL206"]["line"] == _line_of(path, "submitted: 2021/3/17")
    assert errs["ZL206"]["message"] == "“submitted”（报送日期）：“2021/3/17”不是有效的日期，日期要写成 YYYY-MM-DD，如 2021-03-19。"
    assert errs["ZL204"]["line"] == _line_of(path, "value: 两")
    assert "“两”不是数字" in errs["ZL204"]["message"]
    # the schema errors stop the cross-check of this file, so the receiver is reported on the next run
    edit(path, "submitted: 2021/3/17", "submitted: 2021-03-17")
    edit(path, "value: 两", "value: 2")
    [err] = _errors(run, data_copy)
    assert (err["code"], err["line"]) == ("ZL302", _line_of(path, "receiver: 区委组识部"))
    assert err["message"] == "方案接收单位“区委组识部”不在单位列表中。"
    assert "区委组织部" in err["hint"]


def test_plan_without_targets_and_unknown_task(run, data_copy):
    path = data_copy / "plans.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  task: 25\n", "  task: 31\n"), encoding="utf-8")
    [err] = _errors(run, data_copy)
    assert (err["code"], err["line"], err["message"]) == ("ZL311", _line_of(path, "task: 31"),
                                                          "报送要求引用的任务序号 31 不在任务台账中。")
    path.write_text(text + "  - community: dongcai\n    submitted: 2021-04-01\n    targets: []\n", encoding="utf-8")
    [err] = _errors(run, data_copy)
    assert err["code"] == "ZL202" and err["line"] == len(text.splitlines()) + 3
    assert "至少要有 1 项" in err["message"]
