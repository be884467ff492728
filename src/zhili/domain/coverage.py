"""Pilot coverage (试点覆盖) per town/street on a given day.

A community counts as a pilot on `as_of` when its `pilot_start` is that day or earlier. The target in
force is taken from the scheme's data (`scheme.coverage.targets`): the first target whose deadline is
`as_of` or later, and after the last deadline the last target. A unit meets its target when
pilots / communities >= target share, computed exactly (3 of 10 meets 30%). A unit without
communities has no share to judge: share None, meets None (not a failure), and the table says so.

Besides the share, every type a unit leads (`units[].leads`) needs at least
`coverage.min_pilots_per_led_type` pilot communities of that type in that unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from zhili.errors import MissingPartError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.model.coverage import Coverage, CoverageTarget


@dataclass(frozen=True)
class ShortType:
    """A led type with fewer pilot communities than required."""

    type: str
    pilots: int
    required: int


@dataclass(frozen=True)
class UnitCoverage:
    unit: str
    kind: str
    communities: int
    pilots: int
    share: float | None  # None: no communities
    target: float
    target_by: date
    meets: bool | None  # None: no communities, nothing to judge
    leads: list[str] = field(default_factory=list)
    short_types: list[ShortType] = field(default_factory=list)
    as_of: date | None = None  # the day it was judged on
    target_source: str | None = None  # the target's wording in the scheme (the note under the table)

    @property
    def ok(self) -> bool:
        """Both the share target and the led-type minimum are met."""
        return self.meets is not False and not self.short_types

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "unit": self.unit,
            "kind": self.kind,
            "communities": self.communities,
            "pilots": self.pilots,
            "share": self.share,
            "target": self.target,
            "target_by": self.target_by.isoformat(),
            "meets": self.meets,
            "leads": list(self.leads),
            "short_types": [{"type": s.type, "pilots": s.pilots, "required": s.required} for s in self.short_types],
            "ok": self.ok,
            "target_source": self.target_source,
        }


@dataclass(frozen=True)
class CoverageReport:
    as_of: date
    target: CoverageTarget
    minimum: int  # pilot communities required per led type (0: no requirement)
    rows: list[UnitCoverage]

    @property
    def failing(self) -> list[UnitCoverage]:
        return [r for r in self.rows if not r.ok]


def scheme_coverage(reg: Registry) -> Coverage:
    coverage = reg.scheme.coverage
    if coverage is None:
        raise MissingPartError(f"该数据集没有试点覆盖目标：{reg.scheme.name}的 types.yaml 中没有 scheme.coverage。",
                            "在 types.yaml 的 scheme 下写 coverage.targets（期限 by 和比例 share），再运行 zhili coverage。")
    return coverage


def meets(pilots: int, communities: int, share: float) -> bool:
    """pilots / communities >= share, exactly: the share is read as the decimal that was written."""
    required = Fraction(repr(share))
    return Fraction(pilots) >= required * communities


def unit_coverage(reg: Registry, as_of: date, street: str | None = None) -> CoverageReport:
    """Coverage of every street-level unit (or only `street`, a canonical unit name) on `as_of`."""
    coverage = scheme_coverage(reg)
    target = coverage.target_on(as_of)
    minimum = coverage.min_pilots_per_led_type or 0
    rows = []
    streets = {u.name for u in reg.lowest_level_units()} if street is None else {street}
    for unit in (u for u in reg.units if u.name in streets):
        members = [c for c in reg.communities if reg.unit(c.street) is unit]
        pilots = [c for c in members if c.pilot_start is not None and c.pilot_start <= as_of]
        short = []
        led = [t for key in unit.leads if (t := reg.type_of(key)) is not None]
        for t in led:
            n = sum(1 for c in pilots if reg.type_of(c.type) is t)
            if n < minimum:
                short.append(ShortType(t.name, n, minimum))
        rows.append(UnitCoverage(
            unit=unit.name,
            kind=unit.kind,
            communities=len(members),
            pilots=len(pilots),
            share=round(len(pilots) / len(members), 4) if members else None,
            target=target.share,
            target_by=target.by,
            meets=meets(len(pilots), len(members), target.share) if members else None,
            leads=[t.name for t in led],
            short_types=short,
            as_of=as_of,
            target_source=target.source or None,
        ))
    return CoverageReport(as_of, target, minimum, rows)
