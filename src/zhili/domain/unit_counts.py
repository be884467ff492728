"""Per-unit counts of the ledger (lead, support, overdue), the table `zhili units` shows.

Data flows one way: this module reads task states (`zhili.domain.tasks`), which use the unit lookups of
`zhili.domain.units`; neither of those imports it.
"""

from __future__ import annotations

from typing import Any, Sequence

from zhili.domain.tasks import TaskState
from zhili.domain.units import canonical
from zhili.errors import UsageError
from zhili.model.registry import Registry

SORTS = ("order", "name", "lead", "support", "overdue")


def unit_rows(reg: Registry, states: Sequence[TaskState], sort: str = "order") -> list[dict[str, Any]]:
    """Every unit with its lead/support counts and the overdue tasks it leads or supports, counted through groups."""
    if sort not in SORTS:
        raise UsageError(f"不能按“{sort}”排序。", f"可选：{'、'.join(SORTS)}。")
    roles = [(s, canonical(reg, s.task.lead), canonical(reg, s.task.support)) for s in states]
    groups_of: dict[str, list[str]] = {}
    for g in reg.groups:
        for unit in reg.members(g.name):
            groups_of.setdefault(unit.name, []).append(g.name)
    rows = []
    for u in reg.units:
        led = [s for s, lead, _ in roles if u.name in lead]
        supported = [s for s, _, support in roles if u.name in support]
        rows.append({
            "name": u.name,
            "kind": u.kind,
            "aliases": list(u.aliases),
            "groups": groups_of.get(u.name, []),
            "lead": len(led),
            "support": len(supported),
            "overdue": sum(1 for s in led if s.overdue),
            "overdue_support": sum(1 for s in supported if s.overdue),
            "overdue_tasks": [s.task.no for s in led if s.overdue],
        })
    if sort == "name":
        rows.sort(key=lambda r: r["name"])
    elif sort != "order":
        rows.sort(key=lambda r: -r[sort])  # stable: ties keep units.yaml order
    return rows
