"""Coverage of the scheme's targets (目标) on a given day: programmes, shares and counts, by scope.

A community is in a programme on `as_of` when it started that day or earlier (`programmes: {id: date}`;
`pilot_start` is the start of programme `pilot`). Targets of one programme and one scope (the whole
jurisdiction, each unit of a level, each value of a dimension) form a timeline: the target in force is the
first whose deadline is `as_of` or later, and after the last deadline the last. A share target is met when
members / communities >= share, computed exactly (3 of 10 meets 30%); a count target when members >= count.
A unit or value without communities has no share to judge: share None, meets None (not a failure).

A target of scope `each` may also require `min_per_led_type` members of every type a unit leads
(`units[].leads`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from math import ceil
from typing import TYPE_CHECKING, Iterable

from zhili.errors import MissingPartError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.model.community import Community
    from zhili.model.targets import Programme, Target
    from zhili.model.unit import Unit

PILOT = "pilot"  # the programme `pilot_start` stands for (zhili.model.targets.PILOT, without loading pydantic)
TYPE_DIMENSION = "type"  # the primary dimension: the community's type (zhili.model.registry.TYPE_DIMENSION)
DEFAULT_LEVEL = ("unit", "所属单位")  # the one level of a scheme that declares none


# -- where the scheme's levels and dimensions are looked up (one place each) ----------------------


def declared_levels(reg: Registry) -> list[tuple[str, str]]:
    """(id, name) of every level the scheme declares, top down; without a declaration, the default one."""
    levels = getattr(reg, "levels", None) or []
    return [(lv.id, lv.name) for lv in levels] or [DEFAULT_LEVEL]


def level_name(reg: Registry, level_id: str | None) -> str:
    return next((name for key, name in declared_levels(reg) if key == level_id), level_id or "")


def units_of_level(reg: Registry, level_id: str) -> list["Unit"]:
    """The units of a level, in registry order. Until the registry knows levels (`units_at`), the
    street-level units (those communities attach to) stand for the one default level."""
    units_at = getattr(reg, "units_at", None)
    if units_at is not None:
        return list(units_at(level_id))
    names = set(reg.streets())
    return [u for u in reg.units if u.name in names]


def unit_of(reg: Registry, community: "Community", level_id: str) -> "Unit | None":
    """The unit of `level_id` the community belongs to: its own unit, or the ancestor at that level."""
    at_level = getattr(reg, "at_level", None)
    if at_level is not None:
        return at_level(community.street, level_id)
    return reg.unit(community.street)


def declared_dimensions(reg: Registry) -> list[str]:
    """Ids of the classification dimensions: `type` always, then those the scheme declares."""
    return [d.id for d in reg.all_dimensions()]


def dimension_name(reg: Registry, dimension_id: str) -> str:
    d = reg.dimension(dimension_id)
    return d.name if d is not None else dimension_id


def dimension_values(reg: Registry, dimension_id: str) -> list[str]:
    """The names of a dimension's values, in declaration order."""
    d = reg.dimension(dimension_id)
    return [v.name for v in d.values] if d is not None else []


def value_of(reg: Registry, community: "Community", dimension_id: str) -> str | None:
    """The name of the community's value of a dimension (None: no value)."""
    found = reg.value_of(community, dimension_id)
    return found.name if found is not None else None


# -- programmes and timelines -------------------------------------------------------------------


def start_of(community: "Community", programme: str) -> date | None:
    """The day the community joined `programme` (None: not in it)."""
    if programme == PILOT and community.pilot_start is not None:
        return community.pilot_start
    return community.programmes.get(programme)


def timeline_key(t: "Target") -> tuple[str, str | None, str | None, str | None]:
    return (t.programme, t.scope, t.level if t.scope == "each" else None, t.dimension if t.scope == "per_value" else None)


def timelines(targets: Iterable["Target"]) -> list[list["Target"]]:
    """Targets grouped by programme and scope, each group by deadline; groups in the order of their first target."""
    groups: dict[tuple[str, str | None, str | None, str | None], list["Target"]] = {}
    for t in targets:
        groups.setdefault(timeline_key(t), []).append(t)
    return [sorted(g, key=lambda t: t.by) for g in groups.values()]


def in_force(timeline: list["Target"], day: date) -> "Target":
    """The target in force on `day`: the first whose deadline is that day or later; after the last deadline, the last."""
    return next((t for t in timeline if t.by >= day), timeline[-1])


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShortType:
    """A led type with fewer members of the programme than required."""

    type: str
    pilots: int
    required: int


@dataclass(frozen=True)
class CoverageRow:
    """One unit, one value, or the whole jurisdiction, judged against the target in force."""

    target: "Target"
    programme: "Programme"
    unit: str | None  # the unit (scope each) or the jurisdiction (scope whole)
    kind: str | None  # the unit's kind (scope each)
    value: str | None  # the dimension's value (scope per_value)
    communities: int
    members: int  # communities in the programme on as_of
    as_of: date
    leads: list[str] = field(default_factory=list)
    short_types: list[ShortType] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return round(self.members / self.communities, 4) if self.communities else None

    @property
    def required(self) -> int:
        """Members needed to meet the target."""
        if self.target.count is not None:
            return self.target.count
        return ceil(Fraction(repr(self.target.share)) * self.communities)

    @property
    def meets(self) -> bool | None:
        """None: a share of no communities, nothing to judge."""
        if self.target.count is not None:
            return self.members >= self.target.count
        if not self.communities:
            return None
        return meets(self.members, self.communities, self.target.share)

    @property
    def ok(self) -> bool:
        """The target and the led-type minimum are both met."""
        return self.meets is not False and not self.short_types

    def to_dict(self) -> dict[str, object]:
        t = self.target
        return {
            "as_of": self.as_of.isoformat(),
            "target_id": t.id,
            "programme": self.programme.id,
            "programme_name": self.programme.name,
            "scope": t.scope,
            "level": t.level if t.scope == "each" else None,
            "dimension": t.dimension if t.scope == "per_value" else None,
            "unit": self.unit,
            "kind": self.kind,
            "value": self.value,
            "communities": self.communities,
            "pilots": self.members,
            "members": self.members,
            "share": self.share,
            "measure": "count" if t.count is not None else "share",
            "target": t.count if t.count is not None else t.share,
            "target_share": t.share if t.count is None else None,
            "target_count": t.count,
            "required": self.required,
            "target_by": t.by.isoformat(),
            "meets": self.meets,
            "leads": list(self.leads),
            "short_types": [{"type": s.type, "pilots": s.pilots, "required": s.required} for s in self.short_types],
            "ok": self.ok,
            "target_source": t.source or None,
        }


@dataclass(frozen=True)
class TargetCoverage:
    """One timeline of targets on one day: the target in force and a row per unit, per value or one row."""

    target: "Target"  # in force
    timeline: list["Target"]
    programme: "Programme"
    label: str  # the level's or the dimension's name, or the jurisdiction
    rows: list[CoverageRow]

    @property
    def minimum(self) -> int:
        return (self.target.min_per_led_type or 0) if self.target.scope == "each" else 0


@dataclass(frozen=True)
class CoverageReport:
    as_of: date
    sections: list[TargetCoverage]

    @property
    def rows(self) -> list[CoverageRow]:
        return [r for s in self.sections for r in s.rows]

    @property
    def failing(self) -> list[CoverageRow]:
        return [r for r in self.rows if not r.ok]


def meets(members: int, communities: int, share: float) -> bool:
    """members / communities >= share, exactly: the share is read as the decimal that was written."""
    return Fraction(members) >= Fraction(repr(share)) * communities


def require_targets(reg: Registry) -> None:
    if not reg.targets:
        raise MissingPartError(f"该数据集没有声明目标：{reg.scheme.name}的 types.yaml 中没有 targets。",
                               "在 types.yaml 顶层写 targets（项目 programme、比例 share 或个数 count、范围 scope、期限 by），"
                               "再运行 zhili coverage。")


def coverage(reg: Registry, as_of: date, unit: str | None = None, target: str | None = None) -> CoverageReport:
    """Every declared target's coverage on `as_of`. With `unit` (a canonical unit name) only the rows of
    that unit (targets of scope each); with `target` (an id) only the timeline holding that target."""
    require_targets(reg)
    sections = []
    for timeline in timelines(reg.targets):
        if target is not None and all(t.id != target for t in timeline):
            continue
        current = in_force(timeline, as_of)
        if unit is not None and current.scope != "each":
            continue
        sections.append(_section(reg, timeline, current, as_of, unit))
    return CoverageReport(as_of, sections)


def _section(reg: Registry, timeline: list["Target"], t: "Target", as_of: date, only: str | None) -> TargetCoverage:
    programme = reg.programme(t.programme)
    assert programme is not None  # the loader checked every target's programme

    def joined(c: "Community") -> bool:
        start = start_of(c, t.programme)
        return start is not None and start <= as_of

    rows: list[CoverageRow] = []
    if t.scope == "whole":
        members = sum(1 for c in reg.communities if joined(c))
        rows.append(CoverageRow(t, programme, reg.scheme.jurisdiction, None, None, len(reg.communities), members, as_of))
        return TargetCoverage(t, timeline, programme, reg.scheme.jurisdiction, rows)
    if t.scope == "per_value":
        dim = t.dimension or TYPE_DIMENSION
        totals: dict[str, list[int]] = {v: [0, 0] for v in dimension_values(reg, dim)}
        for c in reg.communities:
            v = value_of(reg, c, dim)
            if v in totals:
                totals[v][0] += 1
                totals[v][1] += joined(c)
        rows = [CoverageRow(t, programme, None, None, v, n, m, as_of) for v, (n, m) in totals.items()]
        return TargetCoverage(t, timeline, programme, dimension_name(reg, dim), rows)
    level = t.level or ""
    units = [u for u in units_of_level(reg, level) if only is None or u.name == only]
    members_of: dict[str, list["Community"]] = {u.name: [] for u in units}
    for c in reg.communities:
        u = unit_of(reg, c, level)
        if u is not None and u.name in members_of:
            members_of[u.name].append(c)
    minimum = t.min_per_led_type or 0
    for u in units:
        members = members_of[u.name]
        joined_ = [c for c in members if joined(c)]
        led = [ty for key in u.leads if (ty := reg.type_of(key)) is not None]
        short = []
        for ty in led:
            n = sum(1 for c in joined_ if reg.type_of(c.type) is ty)
            if n < minimum:
                short.append(ShortType(ty.name, n, minimum))
        rows.append(CoverageRow(t, programme, u.name, u.kind, None, len(members), len(joined_), as_of,
                                [ty.name for ty in led], short))
    return TargetCoverage(t, timeline, programme, level_name(reg, level), rows)
