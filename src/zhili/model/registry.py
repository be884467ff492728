"""The Registry: one jurisdiction's validated data, with the lookups every command needs.

Built only by `zhili.loading.registry.load`, after schema and cross-reference checks passed, so
lookups here may assume every reference resolves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from zhili.model.values import Value, convert

if TYPE_CHECKING:  # no pydantic at run time: the cache gives commands a Registry of light records
    from zhili.model.catalogue import Need, Resource
    from zhili.model.community import Community
    from zhili.model.dimensions import Dimension, DimensionValue
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


TYPE_DIMENSION = "type"  # the same as zhili.model.dimensions.TYPE_DIMENSION (no pydantic imported here)


@dataclass(frozen=True)
class TypeDimension:
    """The community types seen as a dimension, with the same fields as a declared `Dimension`."""

    name: str
    values: list[CommunityType]
    id: str = TYPE_DIMENSION
    description: str | None = None


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
    type_label: str = "社区类型"  # the primary dimension's name (types.yaml `type_label`)
    dimensions: list[Dimension] = field(default_factory=list)  # further classification dimensions (types.yaml)
    _type_index: dict[str, CommunityType] = field(default_factory=dict, repr=False)
    _values: dict[str, dict[str, Value]] = field(default_factory=dict, repr=False)
    _unit_index: dict[str, Unit] = field(default_factory=dict, repr=False)
    _group_index: dict[str, UnitGroup] = field(default_factory=dict, repr=False)
    _dimension_index: dict[str, Dimension] = field(default_factory=dict, repr=False)

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
        for d in self.dimensions:
            self._dimension_index.setdefault(d.id, d)

    # -- types -------------------------------------------------------------------------------
    def type_of(self, key: str | None) -> CommunityType | None:
        """A type by its name or id."""
        return self._type_index.get(key) if key is not None else None

    def communities_of(self, type_: CommunityType) -> list[Community]:
        return [c for c in self.communities if self.type_of(c.type) is type_]

    def category_of(self, type_: CommunityType) -> Category | None:
        return next((c for c in self.categories if c.id == type_.category), None)

    # -- dimensions -------------------------------------------------------------------------
    def dimension(self, key: str) -> Dimension | TypeDimension | None:
        """A classification dimension by id (or by its name): `type` is the community types, with the
        scheme's `type_label` as its name; the others are declared in types.yaml `dimensions`."""
        if key in (TYPE_DIMENSION, self.type_label):
            return TypeDimension(self.type_label, self.types)
        found = self._dimension_index.get(key)
        if found is None:
            found = next((d for d in self.dimensions if d.name == key), None)
        return found

    def all_dimensions(self) -> list[Dimension | TypeDimension]:
        """The type dimension first, then the declared ones in file order."""
        return [TypeDimension(self.type_label, self.types), *self.dimensions]

    def dimension_value(self, dimension_id: str, key: str | None) -> DimensionValue | CommunityType | None:
        """A value of a dimension by id or name (a community type for `type`)."""
        if key is None:
            return None
        if dimension_id == TYPE_DIMENSION:
            return self.type_of(key)
        dim = self._dimension_index.get(dimension_id)
        if dim is None:
            return None
        return next((v for v in dim.values if v.id == key), None) or next((v for v in dim.values if v.name == key), None)

    def value_of(self, community: Community, dimension_id: str) -> DimensionValue | CommunityType | None:
        """The community's recorded value on a dimension (its type for `type`), None when it has none."""
        if dimension_id == TYPE_DIMENSION:
            return self.type_of(community.type)
        return self.dimension_value(dimension_id, (getattr(community, "dimensions", None) or {}).get(dimension_id))

    def scope_of(self, task: Task) -> dict[str, list[DimensionValue | CommunityType]] | None:
        """What a task applies to: None for all communities, else dimension id -> the values named
        (`type: X` is the shorthand for {type: [X]}). Unknown names are left out (validation reports them)."""
        applies = getattr(task, "applies_to", None)
        if applies is None:
            if task.type is None:
                return None
            applies = {TYPE_DIMENSION: [task.type]}
        if applies == "all":
            return None
        scope: dict[str, list[Any]] = {}
        for dim_id, keys in applies.items():
            values = [v for k in keys if (v := self.dimension_value(dim_id, k)) is not None]
            scope[dim_id] = list({id(v): v for v in values}.values())
        return scope

    def task_applies(self, task: Task, community: Community) -> bool:
        """Whether a task applies to a community: it has one of the named values on every dimension named."""
        scope = self.scope_of(task)
        if scope is None:
            return True
        return all(any(self.value_of(community, d) is v for v in values) for d, values in scope.items())

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
