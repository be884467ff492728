"""Attribute values: the kinds an attribute may have, and typing a text under its declaration.

No pydantic here: commands that answer from the cache (`zhili.loading.cache`) type and show values
without loading the models.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal, Union

if TYPE_CHECKING:
    from zhili.model.rules import Attribute

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


class AttributeValueError(ValueError):
    """A text that does not fit an attribute's declaration; `message` is Chinese (no final stop)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


_TYPED: dict[tuple[str, str], Value] = {}  # (kind, text) -> value, for the kinds whose value depends only on these
_TYPED_MAX = 65536


def convert(attr: Attribute, text: str) -> Value:
    """The typed value of `text` under `attr`'s declaration, or AttributeValueError."""
    kind = attr.kind
    if kind != "choice" and getattr(attr, "min", None) is None and getattr(attr, "max", None) is None:
        known = _TYPED.get((kind, text))
        if known is not None:
            return known
        value = _convert(attr, text)
        if len(_TYPED) < _TYPED_MAX:
            _TYPED[(kind, text)] = value
        return value
    return _convert(attr, text)


def _convert(attr: Attribute, text: str) -> Value:
    value = _typed(attr, text)
    low, high = getattr(attr, "min", None), getattr(attr, "max", None)
    if (low is not None or high is not None) and type(value) in (int, float):
        if low is not None and value < low:
            raise AttributeValueError(f"不能小于 {show(None, low)}（types.yaml 中“{attr.name}”声明的下限），这里是 {text}",
                                      "检查这个数是否录错（例如多了负号）。")
        if high is not None and value > high:
            raise AttributeValueError(f"不能大于 {show(None, high)}（types.yaml 中“{attr.name}”声明的上限），这里是 {text}",
                                      "检查这个数是否录错（例如多写了一位）。")
    return value


def _typed(attr: Attribute, text: str) -> Value:
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


_LOOSE_DATE = re.compile(r"\s*([0-9]{4})\s*(?:[-/.]|年)\s*([0-9]{1,2})\s*(?:[-/.]|月)\s*([0-9]{1,2})\s*日?\s*")
_COMPACT_DATE = re.compile(r"\s*([0-9]{4})([0-9]{2})([0-9]{2})\s*")


def corrected_date(text: str) -> str | None:
    """The YYYY-MM-DD a date written another way means (`2021/3/19`, `2021年3月19日`, `2021-3-19`,
    `20210319`, full-width digits), when it is a real date; else None."""
    import unicodedata
    from datetime import date

    plain = unicodedata.normalize("NFKC", text)
    m = _LOOSE_DATE.fullmatch(plain) or _COMPACT_DATE.fullmatch(plain)
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None
