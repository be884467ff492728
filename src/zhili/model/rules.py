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

import re
from typing import Literal, Union

from zhili.model.base import Field, Id, Strict, Text, YesNo

AttributeKind = Literal["number", "ratio", "integer", "year", "yesno", "choice"]
Op = Literal[">=", ">", "<=", "<", "==", "!="]
Value = Union[bool, int, float, str]

KIND_LABELS: dict[str, str] = {
    "number": "数字",
    "ratio": "0 到 1 之间的比例",
    "integer": "整数",
    "year": "年份",
    "yesno": "是/否",
    "choice": "选项",
}
OP_LABELS: dict[str, str] = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
ORDERED_KINDS = frozenset(("number", "ratio", "integer", "year"))

_INT = re.compile(r"-?[0-9]+")
_NUM = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_YEAR = re.compile(r"[0-9]{4}")
_TRUE = frozenset(("true", "True", "TRUE", "是"))
_FALSE = frozenset(("false", "False", "FALSE", "否"))


class Attribute(Strict):
    """分类规则可以使用的一项社区属性。"""

    name: Id = Field(description="属性标识（英文字母、数字、下划线），如 old_building_share；社区的 attributes 和规则都用它")
    label: Text = Field(description="属性的中文名称，如 老旧住房占比")
    kind: AttributeKind = Field(
        description="取值类型：number（数字）、ratio（0 到 1 的比例）、integer（整数）、year（年份）、yesno（是/否）、choice（从 choices 中选一项）")
    unit: str | None = Field(default=None, description="单位，如 户、平方米、个")
    choices: list[Text] = Field(default_factory=list, description="kind 为 choice 时可选的取值")
    description: str | None = Field(default=None, description="属性的含义和统计口径")
    source: str | None = Field(default=None, description="定义的出处，如 国办发〔2020〕23号")


class Rule(Strict):
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


class AttributeValueError(ValueError):
    """A text that does not fit an attribute's declaration; `message` is Chinese (no final stop)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


def convert(attr: Attribute, text: str) -> Value:
    """The typed value of `text` under `attr`'s declaration, or AttributeValueError."""
    kind = attr.kind
    if kind in ("number", "ratio"):
        if not _NUM.fullmatch(text):
            raise AttributeValueError(f"应为{KIND_LABELS[kind]}，这里是“{text}”",
                                      "只写阿拉伯数字，如 0.35（比例写成小数，不写百分号）。" if kind == "ratio"
                                      else "只写阿拉伯数字，如 1200 或 30.5，不加逗号或单位。")
        number = float(text)
        if kind == "ratio" and not 0 <= number <= 1:
            raise AttributeValueError(f"是比例，应在 0 到 1 之间，这里是 {text}", "比例写成小数，如 80% 写成 0.8。")
        return number
    if kind == "integer":
        if not _INT.fullmatch(text):
            raise AttributeValueError(f"应为整数，这里是“{text}”", "只写阿拉伯数字，不加逗号、单位或小数点。")
        return int(text)
    if kind == "year":
        if not _YEAR.fullmatch(text):
            raise AttributeValueError(f"应为四位数的年份，这里是“{text}”", "写成 1998 这样的四位年份。")
        return int(text)
    if kind == "yesno":
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise AttributeValueError(f"应为是/否，这里是“{text}”", "写 true 或 false（也可写 是 / 否）。")
    if text not in attr.choices:
        raise AttributeValueError(f"应为 {'、'.join(attr.choices)} 之一，这里是“{text}”",
                                  "照声明中的 choices 逐字书写，或在 types.yaml 的 attributes 中补充这个选项。")
    return text


def show(attr: Attribute | None, value: Value | None) -> str:
    """A typed value as people read it: 0.85、1998 年、是、村改居、1200 户."""
    if value is None:
        return "（未填）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    unit = attr.unit if attr is not None else None
    return f"{text} {unit}" if unit else text


Rule.model_rebuild()
