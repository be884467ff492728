"""The Registry: one jurisdiction's validated data, with the lookups every command needs.

Built only by `zhili.loading.registry.load`, after schema and cross-reference checks passed, so
lookups here may assume every reference resolves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from zhili.model.values import Value, convert

if TYPE_CHECKING:  # no pydantic at run time: the cache gives commands a Registry of light records
    from zhili.model.catalogue import Need, Resource
    from zhili.model.community import Community
    from zhili.model.evaluation import EvaluationYear, Remediation
    from zhili.model.plan import PlanRequirement, PlanSubmission
    from zhili.model.progress import ProgressEntry
    from zhili.model.rules import Attribute
    from zhili.model.scheme import Category, CommunityType, EvaluationRules, Scheme
    from zhili.model.standards import Standard
    from zhili.model.targets import Programme, Target
    from zhili.model.task import Task
    from zhili.model.unit import Unit, UnitGroup
    from zhili.model.vocab import Vocabularies


@dataclass
class Registry:
    data_dir: Path
    scheme: Scheme
    categories: list[Category]
    types: list[CommunityType]
    communities: list[Community]
    units: list[Unit]
    groups: list[UnitGroup]
    tasks: list[Task]
    needs: list[Need] = field(default_factory=list)  # 治理需求目录 (optional needs.yaml)
    resources: list[Resource] = field(default_factory=list)  # 治理资源清单 (optional resources.yaml)
    attributes: list[Attribute] = field(default_factory=list)  # declared classification attributes
    precedence: list[str] = field(default_factory=list)  # type ids/names, first wins when several match
    standards: list[Standard] = field(default_factory=list)  # per-N norms, e.g. facility m² per 100 households
    progress: list[ProgressEntry] = field(default_factory=list)  # task progress entries (optional progress.yaml)
    plan_requirement: PlanRequirement | None = None  # 一社区一策: due date and receiver (optional plans.yaml)
    plans: list[PlanSubmission] = field(default_factory=list)  # submitted plans, one per community
    evaluation: EvaluationRules | None = None  # 年度评议规则 (types.yaml `evaluation`)
    evaluations: list[EvaluationYear] = field(default_factory=list)  # evaluations/<年度>.yaml, by year
    remediation: list[Remediation] = field(default_factory=list)  # 后进社区的帮扶措施 (remediation.yaml)
    programmes: list[Programme] = field(default_factory=list)  # declared programmes (or the default pilot)
    targets: list[Target] = field(default_factory=list)  # types.yaml `targets`, in file order
    vocabularies: Vocabularies | None = None  # types.yaml `vocabularies` (None only when types.yaml did not load)
    _type_index: dict[str, CommunityType] = field(default_factory=dict, repr=False)
    _values: dict[str, dict[str, Value]] = field(default_factory=dict, repr=False)
    _unit_index: dict[str, Unit] = field(default_factory=dict, repr=False)
    _group_index: dict[str, UnitGroup] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for t in self.types:
            self._type_index.setdefault(t.id, t)
            self._type_index.setdefault(t.name, t)
        for u in self.units:
            self._unit_index.setdefault(u.name, u)
            for alias in u.aliases:
                self._unit_index.setdefault(alias, u)
        for g in self.groups:
            self._group_index.setdefault(g.name, g)
            for alias in g.aliases:
                self._group_index.setdefault(alias, g)

    # -- types -------------------------------------------------------------------------------
    def type_of(self, key: str | None) -> CommunityType | None:
        """A type by its name or id."""
        return self._type_index.get(key) if key is not None else None

    def communities_of(self, type_: CommunityType) -> list[Community]:
        return [c for c in self.communities if self.type_of(c.type) is type_]

    def category_of(self, type_: CommunityType) -> Category | None:
        return next((c for c in self.categories if c.id == type_.category), None)

    # -- attributes --------------------------------------------------------------------------
    def attribute(self, name: str) -> Attribute | None:
        """An attribute declaration by name."""
        return next((a for a in self.attributes if a.name == name), None)

    def attribute_values(self, community: Community) -> dict[str, Value]:
        """A community's attribute values, typed by their declarations (empty values left out)."""
        cached = self._values.get(community.id)
        if cached is None:
            decls = {a.name: a for a in self.attributes}
            cached = {k: convert(decls[k], v) for k, v in community.attributes.items() if v is not None and k in decls}
            self._values[community.id] = cached
        return cached

    def keep_values(self, community: Community, values: dict[str, Value]) -> None:
        """Typed values the attribute check already converted (the same as `attribute_values` gives)."""
        self._values[community.id] = values

    # -- yearly evaluation -------------------------------------------------------------------
    def evaluation_year(self, year: int) -> EvaluationYear | None:
        """The evaluation records of `year` (evaluations/<year>.yaml), if any."""
        return next((e for e in self.evaluations if e.year == year), None)

    # -- units -------------------------------------------------------------------------------
    def unit(self, name: str) -> Unit | None:
        """A unit by canonical name or alias (not groups)."""
        return self._unit_index.get(name)

    def group(self, name: str) -> UnitGroup | None:
        return self._group_index.get(name)

    def resolves(self, name: str) -> bool:
        return name in self._unit_index or name in self._group_index

    def members(self, name: str) -> list[Unit]:
        """The units a ledger name stands for: itself, or a group's members."""
        unit = self.unit(name)
        if unit is not None:
            return [unit]
        group = self.group(name)
        if group is not None:
            return [u for m in group.members if (u := self.unit(m)) is not None]
        return []

    def canonical_units(self, names: Iterable[str]) -> list[Unit]:
        seen: dict[str, Unit] = {}
        for n in names:
            for u in self.members(n):
                seen.setdefault(u.name, u)
        return list(seen.values())

    def programme(self, key: str) -> Programme | None:
        """A declared programme by id."""
        return next((p for p in self.programmes if p.id == key), None)

    def streets(self) -> list[str]:
        """Street-level units (街道、镇、功能区) in registry order."""
        return [u.name for u in self.units if u.kind in ("街道", "镇", "功能区")]
