"""What the models do besides holding fields, in plain classes without pydantic.

Each pydantic model with behaviour inherits it from here, and so does its light twin in
`zhili.model.records`, the form in which `zhili.loading.cache` gives a validated registry back to
commands without loading pydantic. Both forms therefore answer the same questions the same way.

This module imports no model: the models import it, never the other way round (data flows one way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any


class RuleMethods:
    __slots__ = ()  # the light records (zhili.model.records.Light) have no __dict__

    if TYPE_CHECKING:  # fields of the model (annotations here would become pydantic fields)
        all: Any
        any: Any
        not_: Any

    @property
    def kind(self) -> str:
        """all, any, not or condition (the shape check guarantees exactly one)."""
        if self.all is not None:
            return "all"
        if self.any is not None:
            return "any"
        if self.not_ is not None:
            return "not"
        return "condition"

    def children(self) -> list[Any]:
        if self.all is not None:
            return list(self.all)
        if self.any is not None:
            return list(self.any)
        if self.not_ is not None:
            return [self.not_]
        return []


class EvaluationMethods:
    """An evaluation record: its stage results are extra keys named by the declared stage ids."""

    __slots__ = ()  # the light records (zhili.model.records.Light) have no __dict__

    def value(self, stage: str) -> Any:
        """The record's result for one declared stage (None: not given)."""
        return getattr(self, stage, None)


@dataclass(frozen=True)
class StageInfo:
    id: str
    label: str
    weight: float | None


@dataclass(frozen=True)
class AppliedRules:
    """The evaluation rules in force for one year (the defaults with that year's overrides)."""

    method: str  # scores | selection | grades
    stages: tuple[StageInfo, ...]
    tie_break: tuple[str, ...]
    advanced: int | float  # a count (int) or a share (float below 1)
    lagging: int | float
    small_types: str  # half | none
    grades: tuple[str, ...]
    vetoes: bool

    def label(self, stage: str) -> str:
        return next(s.label for s in self.stages if s.id == stage)


class EvaluationRulesMethods:
    __slots__ = ()  # the light records (zhili.model.records.Light) have no __dict__

    if TYPE_CHECKING:  # fields of the model (annotations here would become pydantic fields)
        method: str
        stages: list[Any]
        tie_break: list[str]
        advanced: int | float
        lagging: int | float
        small_types: str
        grades: list[str]
        vetoes: bool
        years: list[Any]

    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def for_year(self, year: int) -> AppliedRules:
        """The stages (with their weights), quotas and options that apply to `year`."""
        override = next((y for y in self.years if y.year == year), None)
        weights = override.weights if override is not None and override.weights else {}
        stages = tuple(StageInfo(s.id, s.label, weights.get(s.id, s.weight)) for s in self.stages)
        advanced = self.advanced if override is None or override.advanced is None else override.advanced
        lagging = self.lagging if override is None or override.lagging is None else override.lagging
        return AppliedRules(self.method, stages, tuple(self.tie_break), advanced, lagging, self.small_types,
                            tuple(self.grades), self.vetoes)

    def missing(self, record: Any) -> list[str]:
        """Labels of the stages a record has no result for yet."""
        return [s.label for s in self.stages if getattr(record, s.id, None) is None]

    def complete(self, record: Any) -> bool:
        return all(getattr(record, s.id, None) is not None for s in self.stages)

    def values(self, record: Any) -> dict[str, Any]:
        """A record's results by stage id (None: not given, or no record)."""
        return {s.id: getattr(record, s.id, None) if record is not None else None for s in self.stages}


# what a `method: selection` stage may hold: 是 (selected at this stage) or 否 (not)
YES = frozenset({"是", "入选", "通过", "true", "True", "yes"})
NO = frozenset({"否", "未入选", "不通过", "false", "False", "no"})


def pairing_measures(vocabularies: Any) -> frozenset[str]:
    """Names of the remediation measures that pair a 后进 with a 先进 community (declared `pairs: true`)."""
    return frozenset(m.name for m in vocabularies.measures if m.pairs)
