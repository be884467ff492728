"""The responsibility ledger as of a day: deadlines, recurrence, progress, overdue and stalled work.

"Now" is always an explicit date (`as_of`), so every answer is reproducible. A date-only deadline means
the end of that day (Asia/Shanghai): a task due 2021-03-19 is on time as of 2021-03-19 and one day
overdue as of 2021-03-20. Progress entries dated after `as_of` are ignored.

Status words (the JSON contract; the tables show the Chinese):
  open       有截止日期、未到期、未完成          未到期
  done       有 done: true 的进展记录           已完成
  overdue    过了截止日期仍未完成，或周期任务有已结束的周期没有进展记录   逾期 N 天
  ongoing    没有截止日期也没有周期（常态工作），从不逾期                 常态推进
  recurring  周期任务，已结束的周期都有进展记录                          每季度，按期

A task with milestones (节点) is also overdue when a milestone's day has passed without a progress entry
naming it (the milestone is named in the status); while none is missed, `next_due` is the first milestone
not yet met (after the last one, `due`). Periods and milestones are worked out in `zhili.domain.schedule`.
Tasks keep the ledger's order (the file's order); `no` is text and never sorted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from zhili.domain.dimensions import ValueFilter, scope_data, scope_text, task_matches
from zhili.domain.schedule import (MET, MISSED, OPEN, MilestoneState, Period, Recurrence, explicit_periods, milestone_name,
                                   milestone_states, period_of, periods, recurrence_of, recurrences)
from zhili.domain.units import UnitQuery, bound
from zhili.errors import UsageError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.model.progress import ProgressEntry
    from zhili.model.scheme import CommunityType
    from zhili.model.task import Task

STATUSES = ("open", "done", "overdue", "ongoing", "recurring")
STATUS_CN = {"open": "未到期", "done": "已完成", "overdue": "逾期", "ongoing": "常态推进", "recurring": "按期"}
UNNAMED_LEAD = "未明确"  # how a listing shows a task whose lead the document does not name

# -- dates ------------------------------------------------------------------------------------


def year_end(year: int, now: date) -> date:
    """The day a report about `year` judges deadlines on by default: 31 December of that year, or `now`
    while the year is not over yet."""
    return min(date(year, 12, 31), now)


def today() -> date:
    """Today in Asia/Shanghai (UTC+8 when the tz database is missing)."""
    try:
        from zoneinfo import ZoneInfo

        tz: Any = ZoneInfo("Asia/Shanghai")
    except Exception:  # ZoneInfoNotFoundError, or no tzdata on this system
        tz = timezone(timedelta(hours=8))
    return datetime.now(tz).date()


def parse_date(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or a UsageError naming the option."""
    if text is None:
        return None
    from pydantic_core import PydanticCustomError

    from zhili.model.base import _date

    try:
        return _date(text.strip())
    except PydanticCustomError as exc:
        raise UsageError(f"{option} 的值{exc.message()}。") from None


# -- one task as of a day ---------------------------------------------------------------------


@dataclass(frozen=True)
class TaskState:
    task: Task
    status: str
    overdue_days: int | None = None
    last_progress: date | None = None
    done_on: date | None = None
    next_due: date | None = None  # the deadline that applies now: due, the current period's end, or the next milestone
    idle_days: int | None = None  # days since the last progress (or the start); None when done
    missed: tuple[Period, ...] = field(default=())
    as_of: date | None = None  # the day the state was judged on
    recurrence: Recurrence | None = None  # the task's recurrence as declared (label, months or dates)
    milestones: tuple[MilestoneState, ...] = field(default=())  # each milestone as of `as_of`, in the task's order

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"

    @property
    def missed_milestones(self) -> list[MilestoneState]:
        return [m for m in self.milestones if m.status == MISSED]


def task_state(task: Task, entries: Iterable[ProgressEntry], as_of: date, anchor: date | None = None,
               declared: dict[str, Recurrence] | None = None) -> TaskState:
    """Where `task` stands on `as_of` given its progress entries; `anchor` starts the idle count when
    the task has neither progress nor a start date (usually the scheme's date); `declared` are the
    scheme's recurrences (the defaults when not given)."""
    seen = sorted((e for e in entries if e.task == task.no and e.date <= as_of), key=lambda e: e.date)
    last = seen[-1].date if seen else None
    done_on = next((e.date for e in seen if e.done), None)
    rec = recurrence_of(task, declared)
    ms = tuple(milestone_states(task, seen, as_of, done_on))
    if done_on is not None:
        return TaskState(task, "done", None, last, done_on, as_of=as_of, recurrence=rec, milestones=ms)
    since = last or task.start or anchor
    idle = max(0, (as_of - since).days) if since is not None else None
    missed_ms = [m for m in ms if m.status == MISSED]
    late_ms = max((m.overdue_days or 0 for m in missed_ms), default=None)
    next_ms = next((m.milestone.by for m in ms if m.status != MET), None)  # the first milestone not met
    if rec is not None and (rec.dates or (rec.months is not None and task.start is not None)):
        return _recurring(task, rec, seen, as_of, last, idle, ms, late_ms)
    if task.due is not None and as_of > task.due:
        days = max((as_of - task.due).days, late_ms or 0)
        return TaskState(task, "overdue", days, last, None, next_ms or task.due, idle, as_of=as_of, recurrence=rec,
                         milestones=ms)
    if late_ms is not None:
        return TaskState(task, "overdue", late_ms, last, None, next_ms or task.due, idle, as_of=as_of, recurrence=rec,
                         milestones=ms)
    if next_ms is not None or task.due is not None:
        return TaskState(task, "open", None, last, None, next_ms or task.due, idle, as_of=as_of, recurrence=rec,
                         milestones=ms)
    return TaskState(task, "ongoing", None, last, None, None, idle, as_of=as_of, recurrence=rec, milestones=ms)


def _recurring(task: Task, rec: Recurrence, seen: list[ProgressEntry], as_of: date, last: date | None,
               idle: int | None, ms: tuple[MilestoneState, ...], late_ms: int | None) -> TaskState:
    if rec.dates:
        every = [p for p in explicit_periods(rec.dates, task.start) if task.due is None or p.end <= task.due]
        elapsed = [p for p in every if p.end < as_of]
        current = next((p.end for p in every if p.end >= as_of), None)
    else:
        assert task.start is not None
        until = min(as_of, task.due) if task.due is not None else as_of
        elapsed = [p for p in periods(rec, task.start, until) if p.end < as_of]
        if as_of < task.start:
            current = period_of(rec, task.start).end
        elif task.due is not None and as_of > task.due:
            current = None
        else:
            current = period_of(rec, as_of).end
    missed = tuple(p for p in elapsed if not any(p.start <= e.date <= p.end for e in seen))
    if missed or late_ms is not None:
        days = max((as_of - missed[0].end).days if missed else 0, late_ms or 0)
        return TaskState(task, "overdue", days, last, None, current, idle, missed, as_of=as_of, recurrence=rec,
                         milestones=ms)
    return TaskState(task, "recurring", None, last, None, current, idle, as_of=as_of, recurrence=rec, milestones=ms)


def task_states(reg: Registry, as_of: date) -> list[TaskState]:
    """Every task of the ledger as of `as_of`, in ledger (file) order."""
    by_task: dict[str, list[ProgressEntry]] = {}
    for e in reg.progress:
        by_task.setdefault(e.task, []).append(e)
    declared = recurrences(reg)
    return [task_state(t, by_task.get(t.no, []), as_of, reg.scheme.date, declared) for t in reg.tasks]


# -- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskFilter:
    """All conditions must hold (they combine with AND)."""

    lead: UnitQuery | None = None
    support: UnitQuery | None = None
    unit: UnitQuery | None = None  # either role
    type_: CommunityType | None = None
    values: tuple[ValueFilter, ...] = ()  # --value 维度=取值: tasks whose scope names every one of them
    statuses: frozenset[str] = frozenset()
    overdue: bool = False
    due_before: date | None = None  # deadline (or current period's end) on or before this day
    stalled: int | None = None  # no progress for at least this many days

    def __post_init__(self) -> None:
        unknown = sorted(self.statuses - set(STATUSES))
        if unknown:
            raise UsageError(f"没有“{'、'.join(unknown)}”这种状态。", f"可选：{'、'.join(STATUSES)}。")
        if self.stalled is not None and self.stalled < 1:
            raise UsageError("--stalled 的天数至少为 1。", "例如 --stalled 60：60 天以上没有进展记录的任务。")


def select(reg: Registry, states: Sequence[TaskState], flt: TaskFilter) -> list[TaskState]:
    out = []
    for s in states:
        t = s.task
        lead, support = bound(reg, t.lead, t.cascade), bound(reg, t.support, t.cascade)
        if flt.lead is not None and not flt.lead.matches(lead):
            continue
        if flt.support is not None and not flt.support.matches(support):
            continue
        if flt.unit is not None and not flt.unit.matches(lead | support):
            continue
        if flt.type_ is not None and not task_matches(reg, t, [ValueFilter(reg.dimension("type"), flt.type_)]):
            continue
        if flt.values and not task_matches(reg, t, flt.values):
            continue
        if flt.statuses and s.status not in flt.statuses:
            continue
        if flt.overdue and not s.overdue:
            continue
        if flt.due_before is not None:
            deadline = t.due if t.recurrence is None and not t.milestones else s.next_due
            if deadline is None or deadline > flt.due_before:
                continue
        if flt.stalled is not None and (s.idle_days is None or s.idle_days < flt.stalled):
            continue
        out.append(s)
    return out


# -- rows -------------------------------------------------------------------------------------


def status_text(s: TaskState) -> str:
    """The Chinese status shown in tables, e.g. 逾期 12 天, 逾期 12 天（未完成节点：首批（2023-06-30，25 个））."""
    rec = s.recurrence
    if s.status == "overdue":
        text = f"逾期 {s.overdue_days} 天"
        gaps = []
        if s.missed and rec is not None:
            gaps.append(f"缺 {'、'.join(p.label(rec) for p in s.missed)}")
        if s.missed_milestones:
            gaps.append(f"未完成节点：{'、'.join(milestone_name(m.milestone) for m in s.missed_milestones)}")
        return text + (f"（{'；'.join(gaps)}）" if gaps else "")
    if s.status == "done":
        return f"已完成（{s.done_on.isoformat()}）" if s.done_on else "已完成"
    if s.status == "recurring" and rec is not None:
        return f"{rec.label}，按期"
    if s.status == "open" and s.task.milestones:
        upcoming = next((m for m in s.milestones if m.status == OPEN), None)
        if upcoming is not None:
            return f"未到期（下一节点：{milestone_name(upcoming.milestone)}）"
    return STATUS_CN[s.status]


def deadline_text(t: Task, declared: dict[str, Recurrence] | None = None) -> str | None:
    """截止日期, or the recurrence (周期的中文名称，起始日), or the last milestone and how many there are."""
    rec = recurrence_of(t, declared)
    if rec is not None:
        if rec.dates:
            return f"{rec.label}：{'、'.join(d.isoformat() for d in rec.dates)}"
        return f"{rec.label}（{t.start.isoformat() if t.start else '—'} 起）"
    if t.milestones:
        final = t.due or t.milestones[-1].by
        return f"{final.isoformat()}（{len(t.milestones)} 个节点）"
    return t.due.isoformat() if t.due else None


def recurrence_json(t: Task) -> Any:
    """`recurrence` in JSON: the declared id, or {"dates": [...]} for explicit dates."""
    if t.recurrence is None or isinstance(t.recurrence, str):
        return t.recurrence
    return {"dates": list(t.recurrence.dates)}


def ledger_rows(reg: Registry, states: Sequence[TaskState]) -> list[dict[str, Any]]:
    """The JSON contract of `zhili tasks`, plus the cells the table shows (keys starting with `_`)."""
    rows = []
    for s in states:
        t = s.task
        types = (reg.scope_of(t) or {}).get("type", [])
        rows.append({
            "no": t.no,
            "type": types[0].name if len(types) == 1 else None,  # several types: see applies_to
            "applies_to": scope_data(reg, t),
            "title": t.title,
            "lead": list(t.lead),
            "support": list(t.support),
            "start": t.start,
            "due": t.due,
            "recurrence": recurrence_json(t),
            "recurrence_label": s.recurrence.label if s.recurrence else None,
            "source": t.source,
            "status": s.status,
            "status_label": status_text(s),
            "as_of": s.as_of,
            "overdue": s.overdue,
            "overdue_days": s.overdue_days,
            "last_progress": s.last_progress,
            "done_date": s.done_on,
            "next_due": s.next_due,
            "idle_days": s.idle_days,
            "missed_periods": [{"period": p.label(s.recurrence), "start": p.start, "end": p.end} for p in s.missed],
            "milestones": [m.to_dict() for m in s.milestones],
        })
    return rows


def display_rows(reg: Registry, states: Sequence[TaskState]) -> list[dict[str, Any]]:
    """Table cells for people: Chinese status, deadline text."""
    declared = recurrences(reg)
    return [{**row, "type": "、".join(v.name for v in (reg.scope_of(s.task) or {}).get("type", [])) or None,
             "deadline": s.task.due if s.task.recurrence is None and not s.task.milestones and s.task.due
             else deadline_text(s.task, declared),
             "lead": row["lead"] or UNNAMED_LEAD,
             "status_cn": status_text(s), "idle": "—" if s.idle_days is None else f"{s.idle_days} 天",
             "note": s.task.note, "scope": scope_text(reg, s.task)}
            for row, s in zip(ledger_rows(reg, states), states)]


# -- what a filter means, in words ------------------------------------------------------------


def describe(flt: TaskFilter) -> str:
    """The filter as a Chinese phrase for the table title, e.g. “：某单位牵头，逾期”."""
    parts = []
    for query, role in ((flt.lead, "牵头"), (flt.support, "配合"), (flt.unit, "牵头或配合")):
        if query is not None:
            parts.append(f"{query.name}{role}")
    if flt.type_ is not None:
        parts.append(flt.type_.name)
    parts.extend(f.text for f in flt.values)
    if flt.statuses:
        parts.append("、".join(STATUS_CN[s] for s in STATUSES if s in flt.statuses))
    if flt.overdue:
        parts.append("逾期")
    if flt.due_before is not None:
        parts.append(f"{flt.due_before.isoformat()} 前到期")
    if flt.stalled is not None:
        parts.append(f"{flt.stalled} 天以上无进展")
    return "：" + "，".join(parts) if parts else ""


def notes(flt: TaskFilter, reg: Registry | None = None) -> list[str]:
    """How each unit the user typed was understood (short forms, groups)."""
    out = []
    for query in (flt.lead, flt.support, flt.unit):
        if query is None:
            continue
        if query.text != query.name:
            out.append(f"“{query.text}”按“{query.name}”查找。")
        if query.is_group:
            out.append(f"“{query.name}”包括：{'、'.join(sorted(query.members))}；其中任一单位的任务都列出。")
        elif reg is not None:
            via = [g.name for g in reg.groups if any(u.name == query.name for u in reg.members(g.name))]
            if via:
                out.append(f"“{query.name}”是{'、'.join(via)}的成员，台账写作{'、'.join(via)}的任务也计入。")
    return out
