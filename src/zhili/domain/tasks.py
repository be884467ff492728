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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from zhili.domain.dimensions import ValueFilter, scope_data, scope_text, task_matches
from zhili.domain.units import UnitQuery, canonical
from zhili.errors import UsageError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.model.progress import ProgressEntry
    from zhili.model.scheme import CommunityType
    from zhili.model.task import Task

STATUSES = ("open", "done", "overdue", "ongoing", "recurring")
STATUS_CN = {"open": "未到期", "done": "已完成", "overdue": "逾期", "ongoing": "常态推进", "recurring": "按期"}
RECURRENCE_CN = {"monthly": "每月", "quarterly": "每季度", "yearly": "每年"}
_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


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


@dataclass(frozen=True)
class Period:
    """One period of a recurring task: [start, end], both days included."""

    start: date
    end: date

    def label(self, recurrence: str) -> str:
        """2021-07 (a month), 2021Q3 (a quarter), 2021 (a year)."""
        if recurrence == "monthly":
            return f"{self.end.year}-{self.end.month:02d}"
        if recurrence == "quarterly":
            return f"{self.end.year}Q{(self.end.month - 1) // 3 + 1}"
        return str(self.end.year)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def period_of(recurrence: str, day: date) -> Period:
    """The calendar month, quarter or year containing `day`."""
    step = _MONTHS[recurrence]
    first = date(day.year, (day.month - 1) // step * step + 1, 1)
    return Period(first, _add_months(first, step) - timedelta(days=1))


def periods(recurrence: str, start: date, until: date) -> list[Period]:
    """Calendar periods from the one containing `start` (which begins at `start`) to the one containing `until`."""
    out: list[Period] = []
    day = start
    while day <= until:
        p = period_of(recurrence, day)
        out.append(Period(max(p.start, start), p.end))
        day = p.end + timedelta(days=1)
    return out


# -- one task as of a day ---------------------------------------------------------------------


@dataclass(frozen=True)
class TaskState:
    task: Task
    status: str
    overdue_days: int | None = None
    last_progress: date | None = None
    done_on: date | None = None
    next_due: date | None = None  # the deadline that applies now: due, or the end of the current period
    idle_days: int | None = None  # days since the last progress (or the start); None when done
    missed: tuple[Period, ...] = field(default=())
    as_of: date | None = None  # the day the state was judged on

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"


def task_state(task: Task, entries: Iterable[ProgressEntry], as_of: date, anchor: date | None = None) -> TaskState:
    """Where `task` stands on `as_of` given its progress entries; `anchor` starts the idle count when
    the task has neither progress nor a start date (usually the scheme's date)."""
    seen = sorted((e for e in entries if e.task == task.no and e.date <= as_of), key=lambda e: e.date)
    last = seen[-1].date if seen else None
    done_on = next((e.date for e in seen if e.done), None)
    if done_on is not None:
        return TaskState(task, "done", None, last, done_on, as_of=as_of)
    since = last or task.start or anchor
    idle = max(0, (as_of - since).days) if since is not None else None
    if task.recurrence is not None and task.start is not None:
        return _recurring(task, seen, as_of, last, idle)
    if task.due is not None:
        if as_of > task.due:
            return TaskState(task, "overdue", (as_of - task.due).days, last, None, task.due, idle, as_of=as_of)
        return TaskState(task, "open", None, last, None, task.due, idle, as_of=as_of)
    return TaskState(task, "ongoing", None, last, None, None, idle, as_of=as_of)


def _recurring(task: Task, seen: list[ProgressEntry], as_of: date, last: date | None, idle: int | None) -> TaskState:
    assert task.recurrence is not None and task.start is not None
    until = min(as_of, task.due) if task.due is not None else as_of
    elapsed = [p for p in periods(task.recurrence, task.start, until) if p.end < as_of]
    missed = tuple(p for p in elapsed if not any(p.start <= e.date <= p.end for e in seen))
    if as_of < task.start:
        current: date | None = period_of(task.recurrence, task.start).end
    elif task.due is not None and as_of > task.due:
        current = None
    else:
        current = period_of(task.recurrence, as_of).end
    if missed:
        return TaskState(task, "overdue", (as_of - missed[0].end).days, last, None, current, idle, missed, as_of=as_of)
    return TaskState(task, "recurring", None, last, None, current, idle, as_of=as_of)


def task_states(reg: Registry, as_of: date) -> list[TaskState]:
    """Every task of the ledger as of `as_of`, in ledger order."""
    by_task: dict[int, list[ProgressEntry]] = {}
    for e in reg.progress:
        by_task.setdefault(e.task, []).append(e)
    return [task_state(t, by_task.get(t.no, []), as_of, reg.scheme.date) for t in sorted(reg.tasks, key=lambda t: t.no)]


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
        lead, support = canonical(reg, t.lead), canonical(reg, t.support)
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
            deadline = t.due if t.recurrence is None else s.next_due
            if deadline is None or deadline > flt.due_before:
                continue
        if flt.stalled is not None and (s.idle_days is None or s.idle_days < flt.stalled):
            continue
        out.append(s)
    return out


# -- rows -------------------------------------------------------------------------------------


def status_text(s: TaskState) -> str:
    """The Chinese status shown in tables, e.g. 逾期 12 天."""
    if s.status == "overdue":
        text = f"逾期 {s.overdue_days} 天"
        if s.missed and s.task.recurrence:
            text += f"（缺 {'、'.join(p.label(s.task.recurrence) for p in s.missed)}）"
        return text
    if s.status == "done":
        return f"已完成（{s.done_on.isoformat()}）" if s.done_on else "已完成"
    if s.status == "recurring" and s.task.recurrence:
        return f"{RECURRENCE_CN[s.task.recurrence]}，按期"
    return STATUS_CN[s.status]


def deadline_text(t: Task) -> str | None:
    if t.recurrence is not None:
        return f"{RECURRENCE_CN[t.recurrence]}（{t.start.isoformat() if t.start else '—'} 起）"
    return t.due.isoformat() if t.due else None


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
            "recurrence": t.recurrence,
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
            "missed_periods": [{"period": p.label(t.recurrence or ""), "start": p.start, "end": p.end} for p in s.missed],
        })
    return rows


def display_rows(reg: Registry, states: Sequence[TaskState]) -> list[dict[str, Any]]:
    """Table cells for people: Chinese status, deadline text."""
    return [{**row, "type": "、".join(v.name for v in (reg.scope_of(s.task) or {}).get("type", [])) or None,
             "deadline": s.task.due if s.task.recurrence is None and s.task.due else deadline_text(s.task),
             "status_cn": status_text(s), "idle": "—" if s.idle_days is None else f"{s.idle_days} 天",
             "note": s.task.note, "scope": scope_text(reg, s.task)}
            for row, s in zip(ledger_rows(reg, states), states)]


# -- what a filter means, in words ------------------------------------------------------------


def describe(flt: TaskFilter) -> str:
    """The filter as a Chinese phrase for the table title, e.g. “：区住建局牵头，逾期”."""
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
            via = [g.name for g in reg.groups if any((u := reg.unit(m)) is not None and u.name == query.name
                                                     for m in g.members)]
            if via:
                out.append(f"“{query.name}”是{'、'.join(via)}的成员，台账写作{'、'.join(via)}的任务也计入。")
    return out
