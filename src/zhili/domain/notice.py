"""What a 督导通报 (supervision notice) says as of a day: overdue and stalled tasks by lead unit, with counts.

Tasks are counted by the units that lead them, groups expanded (a group answers for each member). Units
whose lists are the same because one ledger entry names them together are one line, named as the ledger
names them (a unit and a group: 甲单位、某单位组), so a task led by a group of twelve is one line, not twelve equal ones.
Every total counts a task once, however many units lead it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Sequence

from zhili.errors import UsageError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.domain.tasks import TaskState


@dataclass
class LeadLine:
    """The tasks that one lead unit, or several units sharing exactly the same tasks, answer for."""

    label: str  # one unit, or several joined with 、 (a group by its name) when they share the same tasks
    units: list[str]  # the canonical units behind the label
    tasks: list["TaskState"]

    @property
    def worst(self) -> int:
        """Most days overdue (0 when none is overdue)."""
        return max((s.overdue_days or 0) for s in self.tasks) if self.tasks else 0

    @property
    def longest_idle(self) -> int:
        return max((s.idle_days or 0) for s in self.tasks) if self.tasks else 0


@dataclass
class Notice:
    as_of: date
    stalled_days: int
    overdue: list[LeadLine]
    stalled: list[LeadLine]  # not overdue, not done, no progress for at least `stalled_days`
    overdue_tasks: int  # distinct tasks
    stalled_tasks: int
    total_tasks: int
    done_tasks: int

    def to_dict(self) -> dict[str, Any]:
        def lines(ls: list[LeadLine], key: str) -> list[dict[str, Any]]:
            return [{"lead": line.label, "units": line.units, "count": len(line.tasks),
                     "tasks": [{"no": s.task.no, "title": s.task.title, key: getattr(s, key),
                                "last_progress": s.last_progress} for s in line.tasks]} for line in ls]

        return {"as_of": self.as_of, "stalled_days": self.stalled_days, "total_tasks": self.total_tasks,
                "done_tasks": self.done_tasks, "overdue_tasks": self.overdue_tasks, "stalled_tasks": self.stalled_tasks,
                "overdue": lines(self.overdue, "overdue_days"), "stalled": lines(self.stalled, "idle_days")}


def build(reg: Registry, as_of: date, stalled_days: int) -> Notice:
    """The notice's content: every task judged as of `as_of`; stalled means `stalled_days` or more without progress."""
    from zhili.domain.tasks import task_states

    if stalled_days < 1:
        raise UsageError("--stalled 的天数至少为 1。", "例如 --stalled 60：60 天以上没有进展记录的任务。")
    states = task_states(reg, as_of)
    overdue = [s for s in states if s.overdue]
    stalled = [s for s in states if s.status not in ("done", "overdue") and (s.idle_days or 0) >= stalled_days]
    return Notice(as_of, stalled_days,
                  by_lead(reg, overdue, key=lambda s: -(s.overdue_days or 0)),
                  by_lead(reg, stalled, key=lambda s: -(s.idle_days or 0)),
                  len(overdue), len(stalled), len(states), sum(1 for s in states if s.status == "done"))


def by_lead(reg: Registry, states: Sequence["TaskState"], key: Any = None) -> list[LeadLine]:
    """Tasks by lead unit (groups expanded); units with identical task lists share one line. Most tasks first,
    then the longest overdue or idle; ties keep the registry's unit order."""
    per_unit: dict[str, list["TaskState"]] = {}
    for s in states:
        for name in _lead_units(reg, s.task.lead) or [UNNAMED]:
            per_unit.setdefault(name, []).append(s)
    order = {u.name: i for i, u in enumerate(reg.units)}
    shared: dict[tuple[int, ...], list[str]] = {}
    for name in sorted(per_unit, key=lambda n: order.get(n, len(order))):
        shared.setdefault(tuple(sorted(id(s) for s in per_unit[name])), []).append(name)
    lines = []
    for units in shared.values():
        tasks = sorted(per_unit[units[0]], key=key) if key is not None else per_unit[units[0]]
        lines.append(LeadLine(_label(reg, units), units, tasks) if units != [UNNAMED]
                     else LeadLine(UNNAMED_LABEL, [], tasks))
    return sorted(lines, key=lambda g: (-len(g.tasks), -g.worst, -g.longest_idle))


UNNAMED = ""  # the line of tasks whose lead the document does not name
UNNAMED_LABEL = "牵头单位未明确"


def _lead_units(reg: Registry, written: Sequence[str]) -> list[str]:
    names: list[str] = []
    for w in written:
        for n in [u.name for u in reg.members(w)] or [w]:
            if n not in names:
                names.append(n)
    return names


def _label(reg: Registry, units: list[str]) -> str:
    """How the ledger would name these units together: a group whose members are all among them stands for
    them (largest group first); the rest by name, in registry order."""
    left = list(units)
    parts: list[str] = []
    for g in sorted(reg.groups, key=lambda g: -len(reg.members(g.name))):
        members = [u.name for u in reg.members(g.name)]
        if len(members) > 1 and set(members) <= set(left):
            parts.append(g.name)
            left = [u for u in left if u not in members]
    return "、".join(left + parts)
