"""What the models do besides holding fields, in plain classes without pydantic.

Each pydantic model with behaviour inherits it from here, and so does its light twin in
`zhili.model.records`, the form in which `zhili.loading.cache` gives a validated registry back to
commands without loading pydantic. Both forms therefore answer the same questions the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhili.model.rules import Rule
    from zhili.model.scheme import Weights

PARTNER_MEASURE = "先进社区帮带"  # the remediation measure that pairs a 后进 with a 先进 community


class RuleMethods:
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

    def children(self) -> list[Rule]:
        if self.all is not None:
            return list(self.all)
        if self.any is not None:
            return list(self.any)
        if self.not_ is not None:
            return [self.not_]
        return []


# The evaluation stages: (field of an Evaluation, Chinese label). The one table to change when stages
# become declared data; collection (`zhili collect --stage`) and `missing()` read it.
STAGES: tuple[tuple[str, str], ...] = (("self_assessment", "社区自评"), ("street_review", "街道初评"),
                                       ("district_review", "区级评议"))


class EvaluationMethods:
    if TYPE_CHECKING:
        self_assessment: float | None
        street_review: float | None
        district_review: float | None

    @property
    def complete(self) -> bool:
        return None not in (self.self_assessment, self.street_review, self.district_review)

    def missing(self) -> list[str]:
        """Chinese names of the scores not yet given."""
        return [label for key, label in STAGES if getattr(self, key) is None]


class EvaluationRulesMethods:
    if TYPE_CHECKING:
        weights: Weights
        advanced: int
        lagging: int
        years: list[Any]

    def for_year(self, year: int) -> tuple[Weights, int, int]:
        """The weights and the 先进/后进 counts that apply to `year`."""
        override = next((y for y in self.years if y.year == year), None)
        if override is None:
            return self.weights, self.advanced, self.lagging
        return (override.weights or self.weights,
                self.advanced if override.advanced is None else override.advanced,
                self.lagging if override.lagging is None else override.lagging)


# The evaluation stages, in order: the fields of an evaluation record. Everything that walks a record's
# scores (ranking, diff, history) goes through `STAGES`; the Chinese labels are the ones `missing()` gives.
STAGE_FIELDS: tuple[str, ...] = ("self_assessment", "street_review", "district_review")


def _stages() -> tuple[tuple[str, str], ...]:
    from types import SimpleNamespace

    unanswered = SimpleNamespace(**dict.fromkeys(STAGE_FIELDS))  # every stage missing: missing() names them all
    return tuple(zip(STAGE_FIELDS, EvaluationMethods.missing(unanswered)))  # type: ignore[arg-type]


STAGES: tuple[tuple[str, str], ...] = _stages()


def stage_scores(evaluation: Any) -> dict[str, float | None]:
    """An evaluation record's scores by stage field (None: not given, or no record)."""
    return {key: getattr(evaluation, key) if evaluation is not None else None for key in STAGE_FIELDS}
