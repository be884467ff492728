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
    from zhili.model.scheme import Category, CommunityType, EvaluationRules, Level, Scheme
    from zhili.model.standards import Standard
    from zhili.model.targets import Programme, Target
    from zhili.model.task import Task
    from zhili.model.unit import Unit, UnitGroup
    from zhili.model.vocab import Vocabularies


DEFAULT_LEVEL = ("unit", "所属单位")  # (id, name) of the one level of a scheme that declares none
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
    levels: list[Level] = field(default_factory=list)  # top down; the default one level when types.yaml declares none
    levels_declared: bool = False  # types.yaml writes `levels:` (else units named by communities sit at the default level)
    community_label: str = "社区"  # what the scheme calls a community (types.yaml `community_label`)
    type_label: str = "社区类型"  # the primary dimension's name (types.yaml `type_label`)
    dimensions: list[Dimension] = field(default_factory=list)  # further classification dimensions (types.yaml)
    _type_index: dict[str, CommunityType] = field(default_factory=dict, repr=False)
    _values: dict[str, dict[str, Value]] = field(default_factory=dict, repr=False)
    _unit_index: dict[str, Unit] = field(default_factory=dict, repr=False)
    _group_index: dict[str, UnitGroup] = field(default_factory=dict, repr=False)
    _unit_level: dict[str, str] = field(default_factory=dict, repr=False)  # unit name → level id (units at a level)
    _children: dict[str, list[str]] = field(default_factory=dict, repr=False)  # unit name → its subordinate units
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
        if not self.levels:  # built by hand (tests, tools): the one default level
            from zhili.model.records import Record

            self.levels = [Record(id=DEFAULT_LEVEL[0], name=DEFAULT_LEVEL[1], group=None)]
        declared = {lv.id for lv in self.levels}
        named = set() if self.levels_declared else {c.street for c in self.communities}
        for u in self.units:
            if u.level is not None and u.level in declared:
                self._unit_level[u.name] = u.level
            elif u.level is None and self.levels and (u.name in named or any(a in named for a in u.aliases)):
                self._unit_level[u.name] = self.levels[-1].id  # no levels declared: the default level
        for u in self.units:
            parent = self.unit(u.parent) if u.parent is not None else None
            if parent is not None and parent is not u and self._is_above(parent.name, u.name):
                self._children.setdefault(parent.name, []).append(u.name)
        for d in self.dimensions:
            self._dimension_index.setdefault(d.id, d)

    def _is_above(self, upper: str, lower: str) -> bool:
        ids = [lv.id for lv in self.levels]
        a, b = self._unit_level.get(upper), self._unit_level.get(lower)
        return a is not None and b is not None and ids.index(a) + 1 == ids.index(b)

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

    def level_group(self, name: str) -> Level | None:
        """The level whose `group` (e.g. 各区（市）县) is `name`."""
        return next((lv for lv in self.levels if lv.group == name), None)

    def resolves(self, name: str) -> bool:
        return name in self._unit_index or name in self._group_index or self.level_group(name) is not None

    def members(self, name: str) -> list[Unit]:
        """The units a ledger name stands for: itself, a group's members, or every unit of a level (under one unit)."""
        unit = self.unit(name)
        if unit is not None:
            return [unit]
        group = self.group(name)
        if group is not None:
            if group.level is not None:
                return self.units_at(group.level, self.unit(group.within) if group.within is not None else None)
            return [u for m in group.members if (u := self.unit(m)) is not None]
        level = self.level_group(name)
        if level is not None:
            return self.units_at(level.id)
        return []

    # -- levels ------------------------------------------------------------------------------
    def level(self, key: str | None) -> Level | None:
        """A level by id or name."""
        return next((lv for lv in self.levels if key in (lv.id, lv.name)), None) if key is not None else None

    def lowest_level(self) -> Level | None:
        """The level communities belong to (the last one)."""
        return self.levels[-1] if self.levels else None

    def level_of(self, unit: Unit | str) -> Level | None:
        """The level a unit sits at; None for a department outside the hierarchy."""
        name = unit if isinstance(unit, str) else unit.name
        found = self.unit(name)
        return self.level(self._unit_level.get(found.name)) if found is not None else None

    def units_at(self, level_id: str, within: Unit | None = None) -> list[Unit]:
        """The units of a level in registry order (only those under `within`, when given)."""
        units = [u for u in self.units if self._unit_level.get(u.name) == level_id]
        if within is None:
            return units
        under = {d.name for d in self.descendants(within)} | {within.name}
        return [u for u in units if u.name in under]

    def lowest_level_units(self) -> list[Unit]:
        """The units communities may belong to (the lowest level), in registry order."""
        lowest = self.lowest_level()
        return self.units_at(lowest.id) if lowest is not None else []

    def unit_parent(self, unit: Unit | str) -> Unit | None:
        """The unit just above (its `parent`), when that is a unit of the level just above."""
        found = self.unit(unit if isinstance(unit, str) else unit.name)
        if found is None or found.parent is None:
            return None
        parent = self.unit(found.parent)
        return parent if parent is not None and found.name in self._children.get(parent.name, ()) else None

    def ancestors(self, unit: Unit | str) -> list[Unit]:
        """The units above, nearest first."""
        out: list[Unit] = []
        current = self.unit_parent(unit)
        while current is not None and current not in out:
            out.append(current)
            current = self.unit_parent(current)
        return out

    def descendants(self, unit: Unit | str) -> list[Unit]:
        """Every unit below, at any level, in registry order."""
        name = unit if isinstance(unit, str) else unit.name
        found = self.unit(name)
        if found is None:
            return []
        below: set[str] = set()
        todo = [found.name]
        while todo:
            for child in self._children.get(todo.pop(), ()):
                if child not in below:
                    below.add(child)
                    todo.append(child)
        return [u for u in self.units if u.name in below]

    def at_level(self, unit: Unit | str, level_id: str) -> Unit | None:
        """The unit itself or its ancestor at `level_id`."""
        found = self.unit(unit if isinstance(unit, str) else unit.name)
        if found is None:
            return None
        return next((u for u in [found, *self.ancestors(found)] if self._unit_level.get(u.name) == level_id), None)

    def community_unit(self, community: Community) -> Unit | None:
        """The lowest-level unit a community belongs to (its `street`)."""
        return self.unit(community.street)

    def covers(self, unit: Unit, community: Community) -> bool:
        """Whether a community belongs to `unit` or to a unit below it."""
        own = self.unit(community.street)
        return own is not None and (own is unit or unit in self.ancestors(own))

    def level_label(self, level: Level | None = None) -> str:
        """The name of a level, by default the lowest (e.g. 街道（镇））, for headers and messages."""
        chosen = level or self.lowest_level()
        return chosen.name if chosen is not None else "所属单位"

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
        """Names of `lowest_level_units()` (kept for callers written before levels were declared)."""
        return [u.name for u in self.lowest_level_units()]
