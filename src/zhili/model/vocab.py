"""Open vocabularies a scheme declares in types.yaml `vocabularies:` (unit kinds, remediation
measures, task recurrences, plan status labels).

A scheme that leaves a list out gets the defaults in `default_templates.py`, which are also what
`zhili init` writes. The defaults are the lists zhili has always accepted; they are templates, not rules: a jurisdiction
with 区、县、乡 or 管委会, or other remediation measures, declares its own.
"""

from __future__ import annotations

from zhili.model.base import Field, Id, Int, Strict, Text, YesNo
from zhili.model.default_templates import (DEFAULT_MEASURES, DEFAULT_PLAN_STATUSES, DEFAULT_RECURRENCES,
                                           DEFAULT_UNIT_KINDS)

__all__ = ["DEFAULT_MEASURES", "DEFAULT_PLAN_STATUSES", "DEFAULT_RECURRENCES", "DEFAULT_UNIT_KINDS", "MeasureDecl",
           "PlanStatusLabel", "RecurrenceDecl", "Vocabularies"]


class MeasureDecl(Strict):
    """一种帮扶措施。"""

    name: Text = Field(description="措施名称，如 领导联系包点")
    pairs: YesNo = Field(default=False, description="是否由一个先进社区帮带（是则帮扶记录须写 partner）")
    needs_unit: YesNo = Field(default=True, description="帮扶记录是否须写责任单位 unit")
    description: str | None = Field(default=None, description="说明")


class RecurrenceDecl(Strict):
    """一种任务周期。"""

    id: Id = Field(description="周期标识，任务的 recurrence 写它，如 quarterly")
    label: Text = Field(description="中文名称，如 每季度")
    months: Int = Field(ge=1, le=120, description="每个周期的月数，如 每季度 为 3")


class PlanStatusLabel(Strict):
    """一社区一策报送状态的中文名称（状态标识固定：on_time、late、missing、pending）。"""

    id: Id = Field(description="状态标识：on_time、late、missing 或 pending")
    label: Text = Field(description="中文名称，如 按时报送")


def _measures() -> list[MeasureDecl]:
    return [MeasureDecl(name=n, pairs=p, needs_unit=u) for n, p, u in DEFAULT_MEASURES]


def _recurrences() -> list[RecurrenceDecl]:
    return [RecurrenceDecl(id=i, label=lb, months=m) for i, lb, m in DEFAULT_RECURRENCES]


def _plan_statuses() -> list[PlanStatusLabel]:
    return [PlanStatusLabel(id=i, label=lb) for i, lb in DEFAULT_PLAN_STATUSES]


class Vocabularies(Strict):
    """方案自己的词表。不写的词表取默认值（zhili init 写出的就是默认值）。"""

    unit_kinds: list[Text] = Field(default_factory=lambda: list(DEFAULT_UNIT_KINDS),
                                   description="单位性质（units.yaml 的 kind 只能取这些），如 党委部门、政府部门、区、县、乡、管委会")
    measures: list[MeasureDecl] = Field(default_factory=_measures, description="后进社区的帮扶措施（remediation.yaml 的 measure）")
    recurrences: list[RecurrenceDecl] = Field(default_factory=_recurrences, description="任务周期（tasks.yaml 的 recurrence）")
    plan_statuses: list[PlanStatusLabel] = Field(default_factory=_plan_statuses, description="一社区一策报送状态的中文名称")
