"""Units as users type them, and the per-unit counts a 通报 is written from.

A query names a unit (canonical name or alias), a group such as 各街道, or an unambiguous short form
(住建局 → 区住建局). It stands for a set of canonical units; a task matches when the units it names,
groups expanded, share one of them. So `涪江街道` matches the tasks led by 各街道, and `各街道` matches the
tasks of any of its member streets.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from zhili.errors import UsageError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.domain.tasks import TaskState

SORTS = ("order", "name", "lead", "support", "overdue")


@dataclass(frozen=True)
class UnitQuery:
    """What a --lead/--support/--unit value resolved to."""

    text: str  # as typed
    name: str  # canonical name of the unit or group
    is_group: bool
    members: frozenset[str]  # canonical unit names it stands for

    def matches(self, units: Iterable[str]) -> bool:
        return not self.members.isdisjoint(units)


def _entries(reg: Registry) -> list[tuple[str, bool, tuple[str, ...]]]:
    """(canonical name, is_group, aliases) for every unit and group, registry order."""
    return ([(u.name, False, tuple(u.aliases)) for u in reg.units]
            + [(g.name, True, tuple(g.aliases)) for g in reg.groups])


def find_unit(reg: Registry, text: str) -> UnitQuery:
    """Exact name or alias; else the one canonical name containing `text`; else the one alias containing it."""
    typed = text.strip()
    entries = _entries(reg)
    hits = [e for e in entries if typed in (e[0], *e[2])]
    if not hits and typed:
        hits = [e for e in entries if typed in e[0]] or [e for e in entries if any(typed in a for a in e[2])]
    if len(hits) == 1:
        name, is_group, _ = hits[0]
        return UnitQuery(typed, name, is_group, frozenset(u.name for u in reg.members(name)))
    if hits:
        raise UsageError(f"“{typed}”可以指多个单位。您是否要找：{'、'.join(e[0] for e in hits[:8])}？",
                         "请写出完整名称，如 区住建局。")
    picks = _closest(typed, [e[0] for e in entries] + [a for e in entries for a in e[2]], reg)
    raise UsageError(f"没有名为“{typed}”的单位。您是否要找：{'、'.join(picks)}？",
                     "单位名称以 units.yaml 为准；可运行 zhili units 查看全部单位。")


def _closest(text: str, names: Sequence[str], reg: Registry) -> list[str]:
    """The (canonical) names most like `text`: never empty, so the message always offers candidates."""
    scored = sorted(((difflib.SequenceMatcher(None, text, n).ratio(), i, n) for i, n in enumerate(names)),
                    key=lambda s: (-s[0], s[1]))
    picks: list[str] = []
    for ratio, _, n in scored:
        if ratio <= 0 and picks:
            break
        unit = reg.unit(n)
        canonical = unit.name if unit is not None else n
        if canonical not in picks:
            picks.append(canonical)
        if len(picks) == 5:
            break
    return picks


def canonical(reg: Registry, names: Iterable[str]) -> frozenset[str]:
    """The canonical units a list of ledger names stands for (groups expanded, aliases resolved)."""
    return frozenset(u.name for u in reg.canonical_units(names))


def unit_rows(reg: Registry, states: Sequence["TaskState"], sort: str = "order") -> list[dict[str, Any]]:
    """Every unit with its lead/support counts and the overdue tasks it leads or supports, counted through groups."""
    if sort not in SORTS:
        raise UsageError(f"不能按“{sort}”排序。", f"可选：{'、'.join(SORTS)}。")
    roles = [(s, canonical(reg, s.task.lead), canonical(reg, s.task.support)) for s in states]
    groups_of: dict[str, list[str]] = {}
    for g in reg.groups:
        for m in g.members:
            unit = reg.unit(m)
            if unit is not None:
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
