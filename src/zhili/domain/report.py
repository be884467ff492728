"""What the one-page report for a year says: gathered from the other domain functions, no rendering here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Sequence

from zhili.errors import MissingPartError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.model.scheme import CommunityType
    from zhili.domain.ranking import TypeRanking
    from zhili.domain.standards import Assessment
    from zhili.domain.notice import LeadLine
    from zhili.model.standards import Standard


@dataclass
class TypeCount:
    type: CommunityType
    communities: int


@dataclass
class DimensionCount:
    """How many communities have each value of a declared dimension besides the type."""

    name: str  # the dimension's name, e.g. 主题
    values: list[tuple[str, int]]  # (value name, communities), in declaration order
    unset: int  # communities without a value


@dataclass
class LevelCount:
    """Communities per unit of one level (`report --level`), by type."""

    name: str  # the level's declared name, e.g. 街道
    rows: list[tuple[str, int, list[int]]]  # (unit, communities, per type in `reg.types` order)


@dataclass
class StandardSection:
    standard: "Standard"
    assessments: list["Assessment"]

    @property
    def short(self) -> list["Assessment"]:
        """Communities below the standard, largest shortfall first."""
        return sorted((a for a in self.assessments if a.meets is False), key=lambda a: -(a.shortfall or 0))

    @property
    def missing(self) -> list["Assessment"]:
        return [a for a in self.assessments if not a.complete]

    @property
    def met(self) -> int:
        return sum(1 for a in self.assessments if a.meets)


if TYPE_CHECKING:  # the evaluation history section, the coverage of the targets
    from zhili.domain.coverage import CoverageReport
    from zhili.domain.history import EvaluationHistory


@dataclass
class Report:
    reg: Registry
    year: int
    as_of: date
    type_counts: list[TypeCount]
    unclassified: int
    rankings: list["TypeRanking"] | None  # None: the data has no yearly evaluation at all
    overdue: list["LeadLine"]  # by lead unit; units sharing the same tasks are one line
    overdue_tasks: int
    standards: list[StandardSection] = field(default_factory=list)
    coverage: "CoverageReport | None" = None  # None: the scheme declares no targets
    dimensions: list[DimensionCount] = field(default_factory=list)  # the declared dimensions besides the type
    filters: list[Any] = field(default_factory=list)  # --value: the communities shown (places stay the whole type's)
    levels: LevelCount | None = None  # --level: communities per unit of that level, by type

    @property
    def history(self) -> "EvaluationHistory | None":
        """How the previous year's 后进 moved and each type over the years; None without an earlier year."""
        from zhili.domain.history import evaluation_history

        return evaluation_history(self.reg, self.year) if self.rankings is not None else None


def build(reg: Registry, year: int, as_of: date, filters: Sequence[Any] = (), dimension: Any = None,
          level: Any = None) -> Report:
    """The report's content for `year`, with task deadlines judged as of `as_of`. With `filters` (--value) it
    covers only the communities they select and the tasks that concern them (places stay the whole type's);
    it counts communities by every declared dimension, or only by `dimension`."""
    from zhili.domain import coverage, ranking, standards, tasks
    from zhili.domain import dimensions as dims
    from zhili.domain.notice import by_lead

    whole, reg = reg, dims.restricted(reg, filters)
    per_type = Counter(t.id for c in reg.communities if (t := reg.type_of(c.type)) is not None)
    counts = [TypeCount(t, per_type[t.id]) for t in reg.types]
    unclassified = len(reg.communities) - sum(c.communities for c in counts)
    rankings = None
    if reg.evaluations:
        if year not in ranking.years(reg):
            have = "、".join(str(y) for y in ranking.years(reg))
            raise MissingPartError(f"没有 {year} 年的评议数据，无法生成该年度的报告。", f"有评议数据的年度：{have}。")
        rankings = ranking.rank_year(whole, year)
        if filters:
            rankings = [r for r in dims.only_matching(whole, rankings, filters) if r.entries]
    overdue_states = [s for s in tasks.task_states(reg, as_of) if s.overdue and dims.concerns(reg, s.task, filters)]
    sections = [StandardSection(s, standards.assess(reg, s)) for s in reg.standards]
    covered = coverage.coverage(reg, as_of) if reg.targets else None
    return Report(reg, year, as_of, counts, unclassified, rankings, by_lead(reg, overdue_states, key=lambda s: -(s.overdue_days or 0)),
                  len(overdue_states), sections, covered, dimension_counts(reg, dimension), list(filters),
                  level_counts(reg, level) if level is not None else None)


def level_counts(reg: Registry, level: Any) -> LevelCount:
    """Communities per unit of `level` (registry order; those under no unit of it last), by type."""
    from zhili.domain import level_totals

    grouped: dict[str | None, list[Any]] = {}
    for c in reg.communities:
        grouped.setdefault(level_totals.unit_name(reg, c, level), []).append(c)
    place = level_totals.order(reg, level)
    rows = []
    for name in sorted(grouped, key=lambda n: place.get(n, len(place))):
        per_type = Counter(t.id for c in grouped[name] if (t := reg.type_of(c.type)) is not None)
        rows.append((name or level_totals.UNASSIGNED, len(grouped[name]), [per_type[t.id] for t in reg.types]))
    return LevelCount(level.name, rows)


def dimension_counts(reg: Registry, only: Any = None) -> list[DimensionCount]:
    """Communities per value of each declared dimension; with `only` (--dimension), of that one alone
    (none for the type: the report counts types anyway)."""
    out = []
    for d in reg.dimensions if only is None else [d for d in reg.dimensions if d.id == only.id]:
        per_value = Counter(v.id for c in reg.communities if (v := reg.value_of(c, d.id)) is not None)
        values = [(v.name, per_value[v.id]) for v in d.values]
        out.append(DimensionCount(d.name, values, len(reg.communities) - sum(n for _, n in values)))
    return out
