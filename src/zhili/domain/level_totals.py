"""Totals by a declared administrative level (`--level`): each community, task or programme member counted
under the unit of that level it belongs to (the unit itself or its ancestor at that level)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from zhili.errors import UsageError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.domain.tasks import TaskState
    from zhili.model.community import Community
    from zhili.model.scheme import Level

UNASSIGNED = "未归属"  # a community whose unit has no unit at the level asked (shown last)


def find_level(reg: Registry, text: str) -> Level:
    """A declared level by id or name; else a usage error (exit 2) listing every declared level."""
    typed = text.strip()
    found = reg.level(typed)
    if found is not None:
        return found
    partial = [lv for lv in reg.levels if typed and (typed in lv.id or typed in lv.name)]
    if len(partial) == 1:
        return partial[0]
    known = "、".join(f"{lv.name}（{lv.id}）" for lv in reg.levels)
    raise UsageError(f"没有名为“{typed}”的层级。", f"types.yaml 声明的层级：{known}。")


def unit_name(reg: Registry, community: Community, level: Level) -> str | None:
    """The name of the unit of `level` the community belongs to, None when it has none."""
    unit = reg.at_level(community.street, level.id)
    return unit.name if unit is not None else None


def order(reg: Registry, level: Level) -> dict[str | None, int]:
    """Units of the level in registry order; no unit last."""
    place: dict[str | None, int] = {u.name: i for i, u in enumerate(reg.units_at(level.id))}
    place[None] = len(place)
    return place


def sort_rows(reg: Registry, level: Level, rows: list[dict[str, Any]], key: str = "level_unit") -> None:
    """Order rows (stable) by the unit of `level` in `key`: registry order, no unit last."""
    place = order(reg, level)
    rows.sort(key=lambda r: place.get(r.get(key), len(place)))


def community_totals(reg: Registry, communities: Iterable[Community], level: Level,
                     status_of: Callable[[Community], str] | None = None,
                     statuses: Sequence[str] = ()) -> list[dict[str, Any]]:
    """One row per unit of `level` (in registry order, also those with no community; communities under no unit
    of the level last): {unit, level, communities} and, with `status_of`, one count per status in `statuses`."""
    grouped: dict[str | None, list[Community]] = {u.name: [] for u in reg.units_at(level.id)}
    for c in communities:
        grouped.setdefault(unit_name(reg, c, level), []).append(c)
    place = order(reg, level)
    rows = []
    for name in sorted(grouped, key=lambda n: place.get(n, len(place))):
        members = grouped[name]
        row: dict[str, Any] = {"unit": name, "level": level.id, "level_name": level.name, "communities": len(members)}
        if status_of is not None:
            tally = Counter(status_of(c) for c in members)
            row.update({s: tally[s] for s in statuses})
        rows.append(row)
    return rows


def task_totals(reg: Registry, states: Sequence[TaskState], level: Level) -> list[dict[str, Any]]:
    """Per unit of `level` (registry order): the tasks that bind it under the rule of `tasks --unit` (given to
    it, to a group it belongs to, or cascading from a unit above), counted by status."""
    from zhili.domain.tasks import STATUSES, TaskFilter, select
    from zhili.domain.units import find_unit

    rows = []
    for u in reg.units_at(level.id):
        mine = select(reg, states, TaskFilter(unit=find_unit(reg, u.name)))
        tally = Counter(s.status for s in mine)
        rows.append({"unit": u.name, "level": level.id, "level_name": level.name, "tasks": len(mine),
                     **{s: tally[s] for s in STATUSES}, "overdue_tasks": [s.task.no for s in mine if s.overdue]})
    return rows


def coverage_totals(reg: Registry, as_of: date, level: Level, target: str | None = None) -> list[dict[str, Any]]:
    """Programme membership per unit of `level` for every declared target (the one in force of each
    timeline; only the timeline of `target` when given): {target, programme, unit, level, communities, members,
    share}. A target counted per unit of a lower level is aggregated up to `level`."""
    from zhili.domain.coverage import in_force, start_of, timelines

    rows = []
    for timeline in timelines(reg.targets):
        if target is not None and all(t.id != target for t in timeline):
            continue
        t = in_force(timeline, as_of)
        programme = reg.programme(t.programme)
        per_unit: dict[str | None, list[int]] = {u.name: [0, 0] for u in reg.units_at(level.id)}
        for c in reg.communities:
            counts = per_unit.setdefault(unit_name(reg, c, level), [0, 0])
            start = start_of(c, t.programme)
            counts[0] += 1
            counts[1] += start is not None and start <= as_of
        place = order(reg, level)
        for name in sorted(per_unit, key=lambda n: place.get(n, len(place))):
            n, m = per_unit[name]
            if name is None and n == 0:
                continue
            rows.append({"target_id": t.id, "programme": t.programme,
                         "programme_name": programme.name if programme is not None else t.programme,
                         "scope": t.scope, "unit": name, "level": level.id, "level_name": level.name,
                         "communities": n, "members": m, "share": round(m / n, 4) if n else None})
    return rows
