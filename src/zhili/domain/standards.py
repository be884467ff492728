"""Standards: does each community reach a declared per-N minimum (e.g. 30 m² of facilities per 100 households)?

A community without the two figures is "缺数据" — listed, never counted as falling short.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from zhili.errors import MissingPartError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.model.community import Community
    from zhili.model.standards import Standard

MET, SHORT, MISSING = "met", "short", "missing"  # the JSON contract (`status`)
STATUS_LABELS = {MET: "达标", SHORT: "未达标", MISSING: "缺数据"}  # `status_label` and the tables


@dataclass(frozen=True)
class Assessment:
    """One community measured against one standard."""

    standard: Standard
    community: Community
    numerator: float | None  # e.g. facility area, m²
    denominator: float | None  # e.g. households
    missing: tuple[str, ...] = ()  # attribute names without a usable value

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def ratio(self) -> float | None:
        """The numerator per `per` of the denominator, e.g. m² per 100 households."""
        if not self.complete:
            return None
        assert self.numerator is not None and self.denominator is not None
        return self.numerator / self.denominator * self.standard.per

    @property
    def required(self) -> float | None:
        """The numerator the standard asks for at this denominator."""
        if self.denominator is None or not self.complete:
            return None
        return self.standard.minimum * self.denominator / self.standard.per

    @property
    def meets(self) -> bool | None:
        if not self.complete:
            return None
        assert self.numerator is not None and self.denominator is not None
        # compare products, not a rounded ratio: 30 m² per 100 households exactly is met
        return self.numerator * self.standard.per >= self.standard.minimum * self.denominator

    @property
    def shortfall(self) -> float | None:
        """How much of the numerator is missing (0 when met)."""
        if not self.complete:
            return None
        assert self.numerator is not None and self.required is not None
        return 0.0 if self.meets else self.required - self.numerator

    @property
    def status(self) -> str:
        return MISSING if not self.complete else MET if self.meets else SHORT

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def ratio_key(standard: Standard) -> str:
    """The JSON key of the ratio: per_100_households for 100 per households."""
    return f"per_{_num(standard.per)}_{standard.denominator}"


def assess(reg: Registry, standard: Standard, communities: Iterable[Community] | None = None) -> list[Assessment]:
    out = []
    for c in reg.communities if communities is None else communities:
        values = reg.attribute_values(c)
        num, den = _figure(values.get(standard.numerator)), _figure(values.get(standard.denominator))
        missing = tuple(name for name, v in ((standard.numerator, num), (standard.denominator, den)) if v is None)
        if den is not None and den <= 0 and standard.denominator not in missing:
            missing += (standard.denominator,)  # no households: no ratio to speak of
        out.append(Assessment(standard, c, num, den, missing))
    return out


def _figure(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def standards_of(reg: Registry, wanted: str | None = None) -> list[Standard]:
    """All declared standards, or the one `wanted` names (id or name, unambiguous part)."""
    if not reg.standards:
        raise MissingPartError("方案数据中没有声明配置标准。",
                            "在 types.yaml 中加上 standards（如 每百户社区综合服务设施面积不低于 30 平方米），见文档 docs/commands/standards.md。")
    if wanted is None:
        return list(reg.standards)
    from zhili.domain.lookup import find

    return [find(wanted, reg.standards, lambda s: (s.id, s.name), "配置标准", lambda s: s.name)]


def row(reg: Registry, a: Assessment) -> dict[str, Any]:
    """The JSON contract of one assessment: keys named after the standard's attributes."""
    s, c = a.standard, a.community
    t = reg.type_of(c.type)
    return {
        "standard_id": s.id,
        "id": c.id,
        "name": c.name,
        "street": c.street,
        "type": t.name if t else None,
        s.denominator: _out(a.denominator),
        s.numerator: _out(a.numerator),
        ratio_key(s): _round(a.ratio),
        "standard": _out(s.minimum),
        "unit": s.unit,
        "required": _round(a.required),
        "shortfall": _round(a.shortfall),
        "meets": a.meets,
        "status": a.status,
        "status_label": a.status_label,
        "missing": list(a.missing),
    }


def summary(assessments: list[Assessment]) -> dict[str, int]:
    return {status: sum(1 for a in assessments if a.status == status) for status in (MET, SHORT, MISSING)}


def _round(value: float | None) -> float | int | None:
    return None if value is None else _out(round(value, 2))


def _out(value: float | None) -> float | int | None:
    """Whole numbers as integers in JSON (3200 households, not 3200.0)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", "_")
