"""The ledger as of a day, on small hand-built ledgers: deadlines, recurrence, done, stalled, filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from zhili.domain import tasks as ledger
from zhili.domain.tasks import TaskFilter, period_of, periods, select, task_state, task_states
from zhili.domain.units import find_unit
from zhili.errors import UsageError
from zhili.model.progress import ProgressEntry
from zhili.model.registry import Registry
from zhili.model.scheme import CommunityType, Scheme
from zhili.model.task import Task
from zhili.model.unit import Unit, UnitGroup

D = date.fromisoformat


def task(no: int, **kw: Any) -> Task:
    kw.setdefault("title", f"任务{no}")
    kw.setdefault("lead", ["区住建局"])
    return Task.model_validate({"no": str(no), **kw})


def entry(no: int, day: str, unit: str = "区住建局", done: bool = False) -> ProgressEntry:
    return ProgressEntry.model_validate({"task": str(no), "date": day, "unit": unit, "done": "true" if done else "false"})


def registry(tasks: list[Task], progress: list[ProgressEntry] = ()) -> Registry:  # type: ignore[assignment]
    """A tiny ledger: four departments, three streets, the group 各街道, two types."""
    scheme = Scheme.model_validate({"id": "t", "name": "测试方案", "jurisdiction": "某区", "title": "测试",
                                    "document": "测〔2021〕1号", "issuer": "某区", "date": "2021-03-10"})
    units = [Unit(name="区住建局", kind="政府部门"), Unit(name="区民政局", kind="政府部门"),
             Unit(name="区市场监管局", kind="政府部门", aliases=["市场监管局"]),
             Unit(name="区委组织部", kind="党委部门"),
             Unit(name="涪江街道", kind="街道"), Unit(name="富乐街道", kind="街道"), Unit(name="经济试验区", kind="街道")]
    groups = [UnitGroup(name="各街道", members=["涪江街道", "富乐街道"])]
    types = [CommunityType(id="old", name="老旧院落型社区"), CommunityType(id="unit", name="单位集中型社区")]
    return Registry(data_dir=Path("."), scheme=scheme, categories=[], types=types, communities=[], units=units,
                    groups=groups, tasks=tasks, progress=list(progress))


# -- dated tasks -------------------------------------------------------------------------------


def test_due_date_means_end_of_that_day():
    t = task(1, due="2021-03-19")
    assert task_state(t, [], D("2021-03-18")).status == "open"
    on_the_day = task_state(t, [], D("2021-03-19"))
    assert (on_the_day.status, on_the_day.overdue, on_the_day.overdue_days) == ("open", False, None)
    next_day = task_state(t, [], D("2021-03-20"))
    assert (next_day.status, next_day.overdue, next_day.overdue_days) == ("overdue", True, 1)
    assert task_state(t, [], D("2021-12-31")).overdue_days == 287


def test_task_done_after_its_due_date():
    t = task(25, due="2021-03-19")
    log = [entry(25, "2021-03-18"), entry(25, "2021-03-26", done=True)]
    before = task_state(t, log, D("2021-03-25"))
    assert (before.status, before.overdue_days, before.last_progress) == ("overdue", 6, D("2021-03-18"))
    on_done_day = task_state(t, log, D("2021-03-26"))
    assert (on_done_day.status, on_done_day.overdue, on_done_day.overdue_days) == ("done", False, None)
    assert on_done_day.done_on == D("2021-03-26")
    later = task_state(t, log, D("2021-12-31"))
    assert later.status == "done" and not later.overdue and later.last_progress == D("2021-03-26")


def test_done_before_due_is_never_overdue():
    t = task(2, due="2021-06-30")
    state = task_state(t, [entry(2, "2021-05-01", done=True)], D("2021-12-31"))
    assert state.status == "done" and state.idle_days is None


def test_entries_after_as_of_are_ignored():
    t = task(3, due="2021-03-19")
    log = [entry(3, "2021-04-01", done=True)]
    state = task_state(t, log, D("2021-03-31"))
    assert state.status == "overdue" and state.last_progress is None


def test_ongoing_work_is_never_overdue():
    t = task(4)
    state = task_state(t, [], D("2030-01-01"))
    assert (state.status, state.overdue, state.overdue_days) == ("ongoing", False, None)


# -- recurrence and period boundaries -----------------------------------------------------------


def test_calendar_periods():
    assert period_of("quarterly", D("2021-05-15")) == ledger.Period(D("2021-04-01"), D("2021-06-30"))
    assert period_of("monthly", D("2021-02-10")) == ledger.Period(D("2021-02-01"), D("2021-02-28"))
    assert period_of("yearly", D("2021-12-31")) == ledger.Period(D("2021-01-01"), D("2021-12-31"))
    # the first period begins on the start date
    got = periods("quarterly", D("2021-05-15"), D("2021-10-01"))
    assert [(p.start, p.end) for p in got] == [(D("2021-05-15"), D("2021-06-30")), (D("2021-07-01"), D("2021-09-30")),
                                               (D("2021-10-01"), D("2021-12-31"))]


QUARTERLY = dict(recurrence="quarterly", start="2021-04-01")


def test_quarter_not_overdue_on_its_last_day_overdue_on_the_next_quarters_first_day():
    t = task(17, **QUARTERLY)
    last_day = task_state(t, [], D("2021-06-30"))
    assert (last_day.status, last_day.overdue) == ("recurring", False)
    assert last_day.next_due == D("2021-06-30")
    first_day = task_state(t, [], D("2021-07-01"))
    assert (first_day.status, first_day.overdue_days) == ("overdue", 1)
    assert [(p.start, p.end) for p in first_day.missed] == [(D("2021-04-01"), D("2021-06-30"))]
    assert first_day.next_due == D("2021-09-30")


def test_entry_on_the_last_day_of_a_quarter_counts_for_that_quarter():
    t = task(17, **QUARTERLY)
    log = [entry(17, "2021-06-30")]
    assert task_state(t, log, D("2021-07-01")).status == "recurring"
    # an entry on the first day of Q3 is a Q3 entry: Q2 stays missed
    late = task_state(t, [entry(17, "2021-07-01")], D("2021-07-02"))
    assert late.status == "overdue" and late.overdue_days == 2


def test_missed_quarter_counted_from_the_earliest_unfulfilled_period():
    t = task(17, **QUARTERLY)
    log = [entry(17, "2021-06-24"), entry(17, "2021-12-20")]
    state = task_state(t, log, D("2021-12-31"))
    assert state.status == "overdue"
    assert state.overdue_days == 92  # from 2021-09-30, the end of Q3
    assert [p.label("quarterly") for p in state.missed] == ["2021Q3"]
    assert ledger.status_text(state) == "逾期 92 天（缺 2021Q3）"
    # the current quarter (Q4) has not ended yet, so it cannot be missed
    assert task_state(t, log[:1] + [entry(17, "2021-09-01")], D("2021-12-31")).status == "recurring"


def test_recurring_before_its_start_is_not_overdue():
    t = task(17, **QUARTERLY)
    state = task_state(t, [], D("2021-03-20"))
    assert state.status == "recurring" and state.next_due == D("2021-06-30")


def test_monthly_and_yearly_recurrence():
    monthly = task(5, recurrence="monthly", start="2021-01-15")
    log = [entry(5, "2021-01-20"), entry(5, "2021-02-28")]
    assert task_state(monthly, log, D("2021-03-31")).status == "recurring"
    april = task_state(monthly, log, D("2021-04-01"))
    assert (april.status, april.overdue_days, [p.label("monthly") for p in april.missed]) == ("overdue", 1, ["2021-03"])
    yearly = task(6, recurrence="yearly", start="2021-03-10")
    assert task_state(yearly, [], D("2021-12-31")).status == "recurring"
    assert task_state(yearly, [], D("2022-01-01")).overdue_days == 1


def test_recurring_task_marked_done_stops_asking_for_periods():
    t = task(17, **QUARTERLY)
    log = [entry(17, "2021-05-01", done=True)]
    assert task_state(t, log, D("2022-06-30")).status == "done"
    assert task_state(t, log, D("2021-04-30")).status == "recurring"


# -- stalled (无动静) ---------------------------------------------------------------------------


def test_idle_days_from_last_progress_else_start_else_scheme_date():
    reg = registry([task(1), task(2, start="2021-06-01"), task(3)], [entry(3, "2021-12-01")])
    states = {s.task.no: s for s in task_states(reg, D("2021-12-31"))}
    assert states["1"].idle_days == 296  # since the scheme's date 2021-03-10
    assert states["2"].idle_days == 213
    assert states["3"].idle_days == 30
    stalled = select(reg, list(states.values()), TaskFilter(stalled=30))
    assert [s.task.no for s in stalled] == ["1", "2", "3"]  # 30 days without progress is stalled
    assert [s.task.no for s in select(reg, list(states.values()), TaskFilter(stalled=31))] == ["1", "2"]


def test_done_tasks_are_not_stalled():
    reg = registry([task(1), task(2)], [entry(2, "2021-04-01", done=True)])
    got = select(reg, task_states(reg, D("2021-12-31")), TaskFilter(stalled=10))
    assert [s.task.no for s in got] == ["1"]


# -- filters -----------------------------------------------------------------------------------


def ledger_of_units() -> Registry:
    return registry([
        task(1, lead=["区住建局"], support=["各街道"], type="老旧院落型社区", due="2021-03-19"),
        task(2, lead=["经济试验区", "各街道"], support=["市场监管局"], type="单位集中型社区"),
        task(3, lead=["涪江街道"], support=["区住建局"], type="老旧院落型社区", due="2021-12-31"),
        task(4, lead=["区民政局"], support=[], **QUARTERLY),
        task(5, lead=["区委组织部"], support=["区民政局"]),
    ])


def nos(reg: Registry, as_of: str = "2021-06-01", **kw: Any) -> list[int]:
    return [s.task.no for s in select(reg, task_states(reg, D(as_of)), TaskFilter(**kw))]


def test_lead_by_canonical_alias_short_form_and_group():
    reg = ledger_of_units()
    assert nos(reg, lead=find_unit(reg, "区住建局")) == ["1"]
    assert nos(reg, lead=find_unit(reg, "住建局")) == ["1"]
    assert nos(reg, support=find_unit(reg, "市场监管局")) == ["2"]  # alias
    assert nos(reg, support=find_unit(reg, "监管")) == ["2"]  # short form of the canonical name
    # a member street counts the tasks led by its group, and its own
    assert nos(reg, lead=find_unit(reg, "涪江街道")) == ["2", "3"]
    assert nos(reg, lead=find_unit(reg, "富乐街道")) == ["2"]
    # 经济试验区 is not in 各街道
    assert nos(reg, lead=find_unit(reg, "经济试验区")) == ["2"]
    # the group stands for its members
    assert nos(reg, lead=find_unit(reg, "各街道")) == ["2", "3"]
    assert nos(reg, unit=find_unit(reg, "区住建局")) == ["1", "3"]
    assert nos(reg, unit=find_unit(reg, "民政局")) == ["4", "5"]


def test_filters_combine():
    reg = ledger_of_units()
    old = reg.types[0]
    assert nos(reg, type_=old) == ["1", "3"]
    assert nos(reg, type_=old, overdue=True) == ["1"]
    assert nos(reg, unit=find_unit(reg, "住建局"), statuses=frozenset({"open"})) == ["3"]
    assert nos(reg, "2021-07-02", overdue=True) == ["1", "4"]
    assert nos(reg, "2021-07-02", statuses=frozenset({"overdue", "ongoing"})) == ["1", "2", "4", "5"]
    assert nos(reg, "2021-07-02", overdue=True, lead=find_unit(reg, "区民政局")) == ["4"]
    assert nos(reg, statuses=frozenset({"recurring"})) == ["4"]


def test_due_before_is_inclusive_and_uses_the_current_period_for_recurring_tasks():
    reg = ledger_of_units()
    assert nos(reg, due_before=D("2021-03-18")) == []
    assert nos(reg, due_before=D("2021-03-19")) == ["1"]
    assert nos(reg, due_before=D("2021-06-30")) == ["1", "4"]  # task 4's current quarter ends 2021-06-30
    assert nos(reg, due_before=D("2021-12-31")) == ["1", "3", "4"]


def test_filter_rejects_unknown_status_and_zero_days():
    with pytest.raises(UsageError, match="没有“late”这种状态"):
        TaskFilter(statuses=frozenset({"late"}))
    with pytest.raises(UsageError, match="至少为 1"):
        TaskFilter(stalled=0)


def test_as_of_parsing():
    assert ledger.parse_date("2021-12-31", "--as-of") == D("2021-12-31")
    assert ledger.parse_date(None, "--as-of") is None
    with pytest.raises(UsageError, match="--as-of 的值“2021/12/31”不是有效的日期"):
        ledger.parse_date("2021/12/31", "--as-of")
    with pytest.raises(UsageError, match="不是真实存在的日期"):
        ledger.parse_date("2021-02-30", "--due-before")


def test_today_is_in_shanghai(monkeypatch):
    import datetime as dt

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # 2021-03-19 17:00 UTC is already 2021-03-20 in 北京时间
            return dt.datetime(2021, 3, 19, 17, 0, tzinfo=dt.timezone.utc).astimezone(tz)

    monkeypatch.setattr(ledger, "datetime", Frozen)
    assert ledger.today() == D("2021-03-20")


def test_today_without_tzdata_is_utc_plus_8(monkeypatch):
    import datetime as dt
    import zoneinfo

    def missing(key):
        raise zoneinfo.ZoneInfoNotFoundError(key)

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2021, 3, 19, 16, 30, tzinfo=dt.timezone.utc).astimezone(tz)

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    monkeypatch.setattr(ledger, "datetime", Frozen)
    assert ledger.today() == D("2021-03-20")


def test_rows_carry_the_contract():
    reg = ledger_of_units()
    rows = ledger.ledger_rows(reg, task_states(reg, D("2021-03-20")))
    first = rows[0]
    assert {k: first[k] for k in ("no", "type", "lead", "support", "due", "status", "overdue", "overdue_days",
                                   "last_progress")} == {
        "no": "1", "type": "老旧院落型社区", "lead": ["区住建局"], "support": ["各街道"], "due": D("2021-03-19"),
        "status": "overdue", "overdue": True, "overdue_days": 1, "last_progress": None}
    assert rows[1]["status"] == "ongoing" and rows[1]["overdue_days"] is None
