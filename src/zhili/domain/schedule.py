"""When a task is due: recurrences (declared in `vocabularies.recurrences`, or explicit dates) and milestones.

Pure functions over a task and its progress entries. A recurrence is known here only by its number of
months (and its declared Chinese label): a period of `months` months is aligned on the calendar, counted
from January of year 0, so 1, 2, 3, 6 and 12 months give calendar months, two-month spans, quarters,
halves and years. A task may instead list the end of each period (`recurrence: {dates: [...]}`).

A milestone (节点) is met by a progress entry that names it (`milestone:` its title or its `by` date), or
when the whole task is done; it is missed when its day has passed without that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

if TYPE_CHECKING:
    from zhili.model.progress import ProgressEntry
    from zhili.model.registry import Registry
    from zhili.model.task import Milestone, Task


@dataclass(frozen=True)
class Recurrence:
    """A declared recurrence as the domain needs it; `dates` set for explicit period ends."""

    id: str | None
    label: str
    months: int | None = None
    dates: tuple[date, ...] = ()


EXPLICIT_LABEL = "按指定日期"


def _defaults() -> dict[str, Recurrence]:
    from zhili.model.vocab import DEFAULT_RECURRENCES

    return {i: Recurrence(i, label, months) for i, label, months in DEFAULT_RECURRENCES}


def recurrences(reg: Registry | None) -> dict[str, Recurrence]:
    """The recurrences the scheme declares (the defaults when it declares none), by id."""
    vocab = getattr(reg, "vocabularies", None) if reg is not None else None
    if vocab is None:
        return _defaults()
    return {r.id: Recurrence(r.id, r.label, r.months) for r in vocab.recurrences}


def recurrence_of(task: Task, declared: Mapping[str, Recurrence] | None = None) -> Recurrence | None:
    """The task's recurrence, or None. An id the scheme does not declare (refused by validation) has no months."""
    value = task.recurrence
    if value is None:
        return None
    if isinstance(value, str):
        found = (declared if declared is not None else _defaults()).get(value)
        return found if found is not None else Recurrence(value, value)
    return Recurrence(None, EXPLICIT_LABEL, None, tuple(value.dates))  # a RecurrenceDates model or its cache record


# -- periods -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One period of a recurring task: [start, end], both days included."""

    start: date
    end: date

    def label(self, recurrence: str | int | Recurrence | None = None) -> str:
        """2021-07 (a month), 2021Q3 (a quarter), 2021H2 (a half), 2021 (a year), 2021-03～04 (two months);
        the end date for explicit dates."""
        months = _months(recurrence)
        y, m = self.end.year, self.end.month
        if months is None:
            return self.end.isoformat()
        if months == 1:
            return f"{y}-{m:02d}"
        if months == 3:
            return f"{y}Q{(m - 1) // 3 + 1}"
        if months == 6:
            return f"{y}H{(m - 1) // 6 + 1}"
        if months == 12:
            return str(y)
        first = _add_months(date(y, m, 1), 1 - months)
        return f"{first.year}-{first.month:02d}～{y}-{m:02d}" if first.year != y else f"{y}-{first.month:02d}～{m:02d}"


def _months(recurrence: str | int | Recurrence | None) -> int | None:
    if isinstance(recurrence, Recurrence):
        return recurrence.months
    if isinstance(recurrence, str):
        found = _defaults().get(recurrence)
        return found.months if found is not None else None
    return recurrence


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def period_of(recurrence: str | int | Recurrence, day: date) -> Period:
    """The calendar period of the recurrence (a declared id, a number of months) containing `day`."""
    step = _months(recurrence)
    if step is None:
        raise ValueError(f"no months for the recurrence {recurrence!r}")
    index = (day.year * 12 + day.month - 1) // step * step
    first = date(index // 12, index % 12 + 1, 1)
    return Period(first, _add_months(first, step) - timedelta(days=1))


def periods(recurrence: str | int | Recurrence, start: date, until: date) -> list[Period]:
    """Calendar periods from the one containing `start` (which begins at `start`) to the one containing `until`."""
    out: list[Period] = []
    day = start
    while day <= until:
        p = period_of(recurrence, day)
        out.append(Period(max(p.start, start), p.end))
        day = p.end + timedelta(days=1)
    return out


def explicit_periods(dates: Sequence[date], start: date | None) -> list[Period]:
    """One period per listed date: from the day after the previous date (the first from `start`, or the
    date itself when there is no start) to that date."""
    out: list[Period] = []
    previous: date | None = None
    for d in dates:
        begin = previous + timedelta(days=1) if previous is not None else (start if start is not None and start <= d else d)
        out.append(Period(begin, d))
        previous = d
    return out


# -- milestones --------------------------------------------------------------------------------

MET, MISSED, OPEN = "met", "missed", "open"
MILESTONE_CN = {MET: "已完成", MISSED: "逾期", OPEN: "未到期"}


@dataclass(frozen=True)
class MilestoneState:
    """One milestone as of a day."""

    milestone: Milestone
    status: str  # met | missed | open
    met_on: date | None = None
    late_days: int | None = None  # met after its day: by how many days
    overdue_days: int | None = None  # missed: days since its day

    def to_dict(self) -> dict[str, Any]:
        m = self.milestone
        return {"by": m.by, "title": m.title, "quantity": m.quantity, "unit": m.unit, "note": m.note,
                "status": self.status, "status_label": MILESTONE_CN[self.status], "met_date": self.met_on,
                "late_days": self.late_days, "overdue_days": self.overdue_days}


def milestone_key(m: Milestone) -> tuple[str, ...]:
    """What a progress entry's `milestone:` may say to name it: its title or its date."""
    return (m.by.isoformat(),) if m.title is None else (m.title, m.by.isoformat())


def milestone_name(m: Milestone) -> str:
    """首批（2023-06-30，25 个）, or the date alone."""
    extra = [m.by.isoformat()]
    if m.quantity is not None:
        number = str(int(m.quantity)) if float(m.quantity).is_integer() else f"{m.quantity:g}"
        extra.append(f"{number} {m.unit}" if m.unit else number)
    return f"{m.title}（{'，'.join(extra)}）" if m.title else "，".join(extra)


def milestone_states(task: Task, seen: Iterable[ProgressEntry], as_of: date, done_on: date | None) -> list[MilestoneState]:
    """Each milestone of `task` as of `as_of`, given the entries dated on or before it (`seen`)."""
    out = []
    entries = list(seen)
    for m in task.milestones:
        keys = milestone_key(m)
        met_on = next((e.date for e in entries if getattr(e, "milestone", None) in keys), None)
        if met_on is None and done_on is not None:
            met_on = done_on
        if met_on is not None:
            late = (met_on - m.by).days
            out.append(MilestoneState(m, MET, met_on, late if late > 0 else None))
        elif as_of > m.by:
            out.append(MilestoneState(m, MISSED, None, None, (as_of - m.by).days))
        else:
            out.append(MilestoneState(m, OPEN))
    return out
