"""Classification rules in types.yaml: attribute declarations and the rule language.

A scheme declares the community attributes its rules may use (`attributes:`), the order that
decides between several matching types (`precedence:`), and a `rule:` per type. A rule is a tree:

    all: [rule, ...]        every sub-rule holds
    any: [rule, ...]        at least one sub-rule holds
    not: rule               the sub-rule does not hold
    attribute: name         a condition on one attribute, with exactly one of
      op: ">=" + value        >=, >, <=, <, ==, !=
      in: [a, b]              the value is one of the list
      present: true|false     the community has (or lacks) a value for the attribute

Values stay text here, exactly as the reader gave them; `convert` turns a text into the attribute's
typed value (number, ratio, integer, year, yes/no, choice) and says in Chinese why a text does not fit.
"""

from __future__ import annotations

from zhili.model.base import Field, Id, Number, Strict, Text, YesNo, empty_list
from zhili.model.behaviour import RuleMethods
from zhili.model.values import (KIND_LABELS, OP_LABELS, ORDERED_KINDS, AttributeKind, AttributeValueError, Op, Value,
                                convert, show)

__all__ = ["KIND_LABELS", "OP_LABELS", "ORDERED_KINDS", "Attribute", "AttributeKind", "AttributeValueError", "Op", "Rule",
           "Value", "convert", "show"]


class Attribute(Strict):
    """分类规则可以使用的一项社区属性。"""

    name: Id = Field(description="属性标识（英文字母、数字、下划线），如 old_building_share；社区的 attributes 和规则都用它")
    label: Text = Field(description="属性的中文名称，如 老旧住房占比")
    kind: AttributeKind = Field(
        description="取值类型：number（数字）、ratio（0 到 1 的比例）、integer（整数）、year（年份）、yesno（是/否）、choice（从 choices 中选一项）")
    unit: str | None = Field(default=None, description="单位，如 户、平方米、个")
    choices: list[Text] = Field(default_factory=empty_list, description="kind 为 choice 时可选的取值")
    min: Number | None = Field(default=None, description="取值下限（含），如户数、面积写 0：小于它的取值是错误；不写则不限")
    max: Number | None = Field(default=None, description="取值上限（含）；不写则不限")
    description: str | None = Field(default=None, description="属性的含义和统计口径")
    source: str | None = Field(default=None, description="定义的出处，如 国办发〔2020〕23号")


class Rule(RuleMethods, Strict):
    """分类规则的一个节点：all / any / not 组合，或对一个属性的条件。"""

    all: list[Rule] | None = Field(default=None, description="其中每一条都成立")
    any: list[Rule] | None = Field(default=None, description="其中至少一条成立")
    not_: Rule | None = Field(default=None, alias="not", description="这一条不成立")
    attribute: str | None = Field(default=None, description="条件所用的属性（attributes 中的 name）")
    op: Op | None = Field(default=None, description="比较符：>=、>、<=、<、==、!=（在 YAML 中要加引号，如 \">=\"）")
    value: str | None = Field(default=None, description="与 op 一起使用的阈值或取值")
    in_: list[Text] | None = Field(default=None, alias="in", description="属性取值须是其中之一")
    present: YesNo | None = Field(default=None, description="true：社区填写了这一属性；false：没有填写")
    source: str | None = Field(default=None, description="阈值的依据（文件、条款）")
    assumption: str | None = Field(default=None, description="阈值不是来自文件时，说明这是本方案的假设")
    note: str | None = Field(default=None, description="备注")



Rule.model_rebuild()
