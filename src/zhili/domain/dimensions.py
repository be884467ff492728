"""Classification dimensions in commands: value filters (`--value 维度=取值`), grouping (`--dimension`),
and what a task applies to, as plain functions over the registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from zhili.errors import UsageError
from zhili.model.registry import TYPE_DIMENSION, Registry

if TYPE_CHECKING:
    from zhili.model.community import Community
    from zhili.model.task import Task

ALL = "全部"  # a task that does not restrict a dimension applies to every value of it


@dataclass(frozen=True)
class ValueFilter:
    """One `--value 维度=取值`: communities with that value; tasks that name it in their scope."""

    dimension: Any  # a declared Dimension, or the TypeDimension
    value: Any  # a DimensionValue, or a CommunityType

    @property
    def text(self) -> str:
        return f"{self.dimension.name}：{self.value.name}"


def find_dimension(reg: Registry, text: str) -> Any:
    """A dimension by id or name, or a UsageError listing the declared ones."""
    from zhili.domain.lookup import find

    return find(text, reg.all_dimensions(), lambda d: (d.id, d.name), "分类维度", lambda d: f"{d.id}（{d.name}）")


def find_value(reg: Registry, dimension: Any, text: str) -> Any:
    from zhili.domain.lookup import find

    return find(text, list(dimension.values), lambda v: (v.id, v.name), f"{dimension.name}取值", lambda v: v.name)


def parse_filters(reg: Registry, texts: Iterable[str]) -> list[ValueFilter]:
    """`--value` options (`theme=生态`, `主题=eco`, `type=<a type's name or short form>`) as filters; one value per dimension."""
    out: list[ValueFilter] = []
    for text in texts:
        key, sep, value = text.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f"--value 的写法“{text}”不对：应写成 维度=取值。",
                             f"例如 {_example(reg)}；可用的维度：{_dimension_list(reg)}。")
        dimension = find_dimension(reg, key)
        found = ValueFilter(dimension, find_value(reg, dimension, value))
        if any(f.dimension.id == dimension.id for f in out):
            raise UsageError(f"--value 对维度“{dimension.name}”写了两次。", "每个社区在一个维度上只有一个取值：每个维度只写一次 --value。")
        out.append(found)
    return out


def _example(reg: Registry) -> str:
    """An example `--value` from the scheme's own declaration (its first dimension with values)."""
    for d in reg.all_dimensions():
        if d.values:
            return f"--value {d.id}={d.values[0].name}"
    return "--value 维度=取值"


def _dimension_list(reg: Registry) -> str:
    return "、".join(f"{d.id}（{d.name}）" for d in reg.all_dimensions())


def community_matches(reg: Registry, community: Community, filters: Sequence[ValueFilter]) -> bool:
    """Every filter holds: the community's recorded value on the filter's dimension is the filter's value."""
    return all(reg.value_of(community, f.dimension.id) is f.value for f in filters)


def task_matches(reg: Registry, task: Task, filters: Sequence[ValueFilter]) -> bool:
    """Every filter's value is named in the task's scope (a task for all communities names none)."""
    if not filters:
        return True
    scope = reg.scope_of(task)
    if scope is None:
        return False
    return all(any(v is f.value for v in scope.get(f.dimension.id, [])) for f in filters)


def value_name(reg: Registry, community: Community, dimension_id: str) -> str | None:
    value = reg.value_of(community, dimension_id)
    return value.name if value is not None else None


def task_values(reg: Registry, task: Task, dimension_id: str) -> list[str] | None:
    """The names of the values a task names on a dimension; None when it does not restrict it."""
    scope = reg.scope_of(task)
    if scope is None or dimension_id not in scope:
        return None
    return [v.name for v in scope[dimension_id]]


def scope_data(reg: Registry, task: Task) -> str | dict[str, list[str]]:
    """A task's scope for JSON: "all", or dimension id -> value names (the `type` shorthand expanded)."""
    scope = reg.scope_of(task)
    if scope is None:
        return "all"
    return {d: [v.name for v in values] for d, values in scope.items()}


def scope_text(reg: Registry, task: Task) -> str:
    """A task's scope in words: 全部, or 主题：生态、宜居；<type label>：<type names>."""
    scope = reg.scope_of(task)
    if scope is None:
        return ALL
    parts = []
    for d, values in scope.items():
        dim = reg.dimension(d)
        parts.append(f"{dim.name if dim else d}：{'、'.join(v.name for v in values)}")
    return "；".join(parts)


def order_key(dimension: Any) -> dict[str, int]:
    """Value name -> its place in the declaration (for sorting rows by a dimension; no value goes last)."""
    return {v.name: i for i, v in enumerate(dimension.values)}


def counts(reg: Registry, communities: Iterable[Community], dimension: Any) -> list[tuple[str, int]]:
    """How many of the communities have each value of the dimension (declared order), then those without."""
    tally: dict[str | None, int] = {}
    for c in communities:
        name = value_name(reg, c, dimension.id)
        tally[name] = tally.get(name, 0) + 1
    out = [(v.name, tally[v.name]) for v in dimension.values if v.name in tally]
    if None in tally:
        out.append(("未登记", tally[None]))
    return out


def summary(reg: Registry, communities: Iterable[Community], dimension: Any) -> str:
    """按主题：生态 3 个、宜居 2 个、未登记 1 个。"""
    parts = "、".join(f"{name} {n} 个" for name, n in counts(reg, communities, dimension))
    return f"按{dimension.name}：{parts or '无'}。"


def describe(filters: Sequence[ValueFilter]) -> str:
    """The filters as a phrase for titles: 主题：生态，<type label>：<type name>."""
    return "，".join(f.text for f in filters)


def is_type(dimension: Any) -> bool:
    return dimension.id == TYPE_DIMENSION


def only_matching(reg: Registry, rankings: list[Any], filters: Sequence[ValueFilter]) -> list[Any]:
    """Rankings showing only the communities the filters select; places stay those of the whole type."""
    if not filters:
        return rankings
    from dataclasses import replace

    return [replace(r, entries=[e for e in r.entries if community_matches(reg, e.community, filters)]) for r in rankings]


def restricted(reg: Registry, filters: Sequence[ValueFilter]) -> Registry:
    """The registry with only the communities the filters select (everything else shared, not copied)."""
    if not filters:
        return reg
    from dataclasses import replace

    return replace(reg, communities=[c for c in reg.communities if community_matches(reg, c, filters)])


def concerns(reg: Registry, task: Task, filters: Sequence[ValueFilter]) -> bool:
    """Whether a task concerns the communities the filters select: it applies to all, does not restrict the
    filter's dimension, or names the filter's value."""
    scope = reg.scope_of(task)
    if scope is None:
        return True
    return all(f.dimension.id not in scope or any(v is f.value for v in scope[f.dimension.id]) for f in filters)


def add_column(tables: Iterable[Any], reg: Registry, dimension: Any) -> None:
    """Show each community's value on `dimension` next to its name, in every table whose rows carry a
    community id (`id`) and a name column; the rows are shared between tables, so each is set once."""
    from zhili.render.output import Column

    by_id = {c.id: c for c in reg.communities}
    key = f"dimension_{dimension.id}"
    for table in tables:
        if table is None:
            continue
        names = [i for i, c in enumerate(table.columns) if c.key == "name"]
        if not names or any(c.key == key for c in table.columns):
            continue
        for row in table.rows:
            community = by_id.get(row.get("id", ""))
            row[key] = value_name(reg, community, dimension.id) if community is not None else None
        table.columns.insert(names[0] + 1, Column(key, dimension.name))
