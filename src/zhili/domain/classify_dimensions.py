"""Classify communities on the dimensions besides the type (types.yaml `dimensions`), where their
values have rules: the same rule language and three-valued logic as the types' rules.

A dimension has no precedence: one matching value decides; several are ambiguous; a value whose rule
is unknown (an attribute missing) leaves the result open unless another value already matched alone.
A recorded value without a rule, with no rule holding, is consistent, as a type without a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zhili.domain.classify import STATUS_LABELS, Status, _why, decide, evaluate
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.model.community import Community
    from zhili.model.dimensions import Dimension, DimensionValue
    from zhili.model.rules import Attribute


@dataclass
class DimensionResult:
    dimension: Dimension
    recorded: DimensionValue | None
    computed: DimensionValue | None
    status: Status
    reason: str
    matches: list[DimensionValue] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of one dimension in `classify` (under the row's `dimensions`, by dimension id)."""
        return {
            "name": self.dimension.name,
            "recorded": self.recorded.name if self.recorded else None,
            "computed": self.computed.name if self.computed else None,
            "recorded_id": self.recorded.id if self.recorded else None,
            "computed_id": self.computed.id if self.computed else None,
            "status": self.status,
            "status_label": STATUS_LABELS[self.status],
            "reason": self.reason,
            "matches": [v.name for v in self.matches],
            "missing": list(self.missing),
        }


def ruled(reg: Registry) -> list[Dimension]:
    """The declared dimensions that have at least one value with a rule."""
    return [d for d in reg.dimensions if any(v.rule is not None for v in d.values)]


def classify_dimension(reg: Registry, community: Community, dimension: Dimension,
                       decls: dict[str, Attribute] | None = None) -> DimensionResult:
    decls = decls if decls is not None else {a.name: a for a in reg.attributes}
    values = reg.attribute_values(community)
    recorded = reg.value_of(community, dimension.id)
    results = [(v, decide(v.rule, values, decls)) for v in dimension.values if v.rule is not None]
    matches = [v for v, r in results if r is True]
    unknown = [v for v, r in results if r is None]
    if unknown and len(matches) != 1:
        missing = list(dict.fromkeys(n for v in unknown for n in evaluate(v.rule, values, decls).missing()))
        labels = "、".join(f"{decls[n].label}（{n}）" for n in missing)
        return DimensionResult(dimension, recorded, None, "missing-data", f"缺少属性：{labels}，无法判断", matches, missing)
    if len(matches) > 1:
        names = "、".join(v.name for v in matches)
        return DimensionResult(dimension, recorded, None, "ambiguous", f"同时符合{names}的规则", matches)
    if not matches:
        if recorded is not None and recorded.rule is None:  # as a type without a rule (domain/classify.py)
            return DimensionResult(dimension, recorded, None, "consistent",
                                   f"{recorded.name}没有分类规则，不参与自动分类；也不符合{dimension.name}其他取值的规则")
        return DimensionResult(dimension, recorded, None, "unclassified", f"不符合{dimension.name}任何取值的规则")
    computed = matches[0]
    why = _why(computed.rule, values, decls)
    if recorded is None:
        return DimensionResult(dimension, None, computed, "mismatch", f"尚未登记{dimension.name}，建议登记为{computed.name}：{why}",
                               matches)
    if recorded is computed:
        return DimensionResult(dimension, recorded, computed, "consistent", why, matches)
    return DimensionResult(dimension, recorded, computed, "mismatch",
                           f"登记为{recorded.name}，规则计算为{computed.name}：{why}", matches)


def classify_dimensions(reg: Registry, community: Community,
                        decls: dict[str, Attribute] | None = None) -> list[DimensionResult]:
    """The community on every dimension whose values have rules."""
    decls = decls if decls is not None else {a.name: a for a in reg.attributes}
    return [classify_dimension(reg, community, d, decls) for d in ruled(reg)]
