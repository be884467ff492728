"""evaluations/<year>.yaml and remediation.yaml: the yearly evaluation (年度评议) and the lifting of 后进.

The rules that turn stage results into a ranking (the stages, their weights, how many 先进 and 后进) live
in types.yaml (`zhili.model.scheme.EvaluationRules`); these files only record what happened.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, model_validator

from zhili.model.base import Date, Field, Int, Prose, Strict, Text, plain_number, empty_list
from zhili.model.behaviour import EvaluationMethods

__all__ = ["Evaluation", "EvaluationYear", "Remediation", "RemediationFile", "Veto"]


class Veto(Strict):
    """一票否决事项。"""

    item: Prose = Field(description="否决事项，如 发生重大安全事故、新增违法建设")
    reason: Prose = Field(description="具体情况：何时、何事")


_FIELD_NAMES: dict[type, frozenset[str]] = {}  # a model's field names (asked once per record, not per key)


class Evaluation(EvaluationMethods, Strict):
    """一个社区某一年度的评议记录。各评议阶段的结果以阶段 id 为键直接写在记录上（阶段在 types.yaml 的
    evaluation.stages 中声明），如 self_assessment: 95；打分为 0–100，入选为 是/否，等次为声明的等次之一；
    不写表示该阶段尚未评。"""

    model_config = ConfigDict(extra="allow")

    community: Text = Field(description="社区 id（communities.yaml 中的 id）")
    vetoes: list[Veto] = Field(default_factory=empty_list, description="一票否决事项；有任何一项即不能评为先进，直接评为后进")
    evaluator: Text | None = Field(default=None, description="评议机构；留空时取文件顶部的 evaluator")
    date: Date | None = Field(default=None, description="评议日期，YYYY-MM-DD；留空时取文件顶部的 date")
    note: str | None = Field(default=None, description="备注")

    @model_validator(mode="before")
    @classmethod
    def _stage_values(cls, data: Any) -> Any:
        # stage results are checked against the declaration by the cross-checks (they know the stages):
        # here a number written as text becomes a number, everything else stays as written
        if isinstance(data, dict):
            fields = _FIELD_NAMES.get(cls) or _FIELD_NAMES.setdefault(cls, frozenset(cls.model_fields))
            return {k: plain_number(v) if k not in fields else v for k, v in data.items()}
        return data


class EvaluationYear(Strict):
    """evaluations/<年度>.yaml 的整体结构：一个年度的评议记录。"""

    year: Int = Field(ge=1949, le=2200, description="评议年度，须与文件名一致（如 2021.yaml 写 2021）")
    evaluator: Text | None = Field(default=None, description="评议机构（各条记录的默认值）")
    date: Date | None = Field(default=None, description="评议日期（各条记录的默认值），YYYY-MM-DD")
    note: str | None = Field(default=None, description="备注")
    evaluations: list[Evaluation] = Field(default_factory=empty_list, description="每个社区一条评议记录")


class Remediation(Strict):
    """对一个后进社区的帮扶措施（晋位升级）。"""

    community: Text = Field(description="被帮扶社区的 id，须是该年度评定的后进社区")
    year: Int = Field(ge=1949, le=2200, description="评为后进的年度")
    measure: Text = Field(description="措施，须是 types.yaml 的 vocabularies.measures 中声明的措施，如 领导联系包点")
    unit: Text | None = Field(default=None, description="责任单位（units.yaml 中的单位）；声明为 needs_unit 的措施必填")
    partner: Text | None = Field(default=None, description="帮带的先进社区 id；声明为 pairs 的措施必填")
    start: Date | None = Field(default=None, description="开始日期，YYYY-MM-DD")
    end: Date | None = Field(default=None, description="结束日期，YYYY-MM-DD")
    note: str | None = Field(default=None, description="备注")


class RemediationFile(Strict):
    """remediation.yaml 的整体结构。"""

    remediation: list[Remediation] = Field(default_factory=empty_list, description="帮扶措施记录")
