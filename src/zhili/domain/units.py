"""Units as users type them, and the per-unit counts a 通报 is written from.

A query names a unit (canonical name or alias), a group such as 各<level name>, or an unambiguous short form
(某局 → 区某局). It stands for a set of canonical units; a task matches when the units it names,
groups expanded, share one of them. So a unit matches the tasks given to a group it belongs to, a group
matches the tasks of any of its members, and a unit matches the tasks of the units above it that say
`cascade: true`. (Counting tasks per unit is `zhili.domain.unit_counts`, which reads task states.)
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence

from zhili.errors import UsageError
from zhili.model.registry import Registry


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
                         f"请写出完整名称，如 {hits[0][0]}。")
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


def bound(reg: Registry, names: Iterable[str], cascade: bool = False) -> frozenset[str]:
    """The units a task given to `names` binds: those units (groups expanded) and, for a task that says
    `cascade: true`, every unit below them (a task of a district then binds its streets too)."""
    units = reg.canonical_units(names)
    if not cascade:
        return frozenset(u.name for u in units)
    return frozenset(n for u in units for n in (u.name, *(d.name for d in reg.descendants(u))))
