"""Base model and scalar types shared by every data file.

The reader hands the models text (or None for an empty value). These types decide what text is
acceptable, and say so in Chinese: a date is exactly YYYY-MM-DD, an integer is only digits, a yes/no
is true/false/是/否. Nothing is guessed: `1,200`, `0x1F`, `2021/3/19`, `yes` are errors, not values.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from zhili.model.values import _FALSE, _INT, _NUM, _TRUE  # the same spellings as attribute values

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


class Strict(BaseModel):
    """Every zhili model: unknown fields are errors, values are immutable, no NaN/inf."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


# Typed values by their text. A data set repeats the same few texts (scores with one decimal, target
# values, years, dates) over and over: each text is checked and converted once, and the (immutable)
# result is shared. Only accepted texts are kept, at most _MEMO_MAX of each kind.
_MEMO_MAX = 65536
_INTS: dict[str, int] = {}
_NUMBERS: dict[str, float] = {}
_DATES: dict[str, date] = {}


def _remember(memo: dict[str, Any], text: str, value: Any) -> Any:
    if len(memo) < _MEMO_MAX:
        memo[text] = value
    return value


def _int(value: Any) -> Any:
    if type(value) is str:
        known = _INTS.get(value)
        if known is not None:
            return known
    if isinstance(value, bool):
        raise PydanticCustomError("ZL204", "应为整数，这里是是/否值")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if _INT.fullmatch(value):
            if len(value.lstrip("-")) > 1 and value.lstrip("-")[0] == "0":
                # YAML 1.1 reads 010 as 8 and 0755 as 493: a leading zero is a trap, not a number
                raise PydanticCustomError("ZL204", "“{value}”以 0 开头，有歧义（YAML 1.1 会把它当成八进制数）：整数不要写前导 0",
                                          {"value": value})
            if len(value) > 18:
                raise PydanticCustomError("ZL205", "“{head}…”有 {digits} 位，超出范围", {"head": value[:20], "digits": len(value)})
            return _remember(_INTS, value, int(value))
        raise PydanticCustomError("ZL204", "“{value}”不是整数（只能写阿拉伯数字，不加逗号、单位或小数点）", {"value": value})
    return value  # lists, mappings, None: the core schema reports the kind


def _plain_decimal(text: str) -> bool:
    """Same verdict as the pattern -?[0-9]+(\\.[0-9]+)?, with string methods (this runs per score)."""
    digits = text[1:] if text[:1] == "-" else text
    head, dot, tail = digits.partition(".")
    return (digits.isascii() and head.isdigit() and (not dot or tail.isdigit()))


def _number(value: Any) -> Any:
    if type(value) is str:  # the common case first: text as the reader gives it
        known = _NUMBERS.get(value)
        if known is not None:
            return known
        if _plain_decimal(value):
            number = float(value)
            if math.isinf(number):
                raise PydanticCustomError("ZL205", "这个数有 {digits} 位，超出范围", {"digits": len(value)})
            return _remember(_NUMBERS, value, number)
    if isinstance(value, bool):
        raise PydanticCustomError("ZL204", "应为数字，这里是是/否值")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        if _NUM.fullmatch(value):
            number = float(value)
            if math.isinf(number):
                raise PydanticCustomError("ZL205", "这个数有 {digits} 位，超出范围", {"digits": len(value)})
            return number
        raise PydanticCustomError("ZL204", "“{value}”不是数字（写成 30 或 30.5，不加逗号或单位）", {"value": value})
    return value


def plain_number(value: Any) -> Any:
    """A number written as plain decimal text (95, 87.5) as a number; anything else as it is."""
    if type(value) is str:
        known = _NUMBERS.get(value)  # only plain decimal texts are remembered
        if known is not None:
            return known
    if type(value) is str and _plain_decimal(value):
        number = float(value)
        return value if math.isinf(number) else _remember(_NUMBERS, value, number)
    return value


def _date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        known = _DATES.get(value)
        if known is not None:
            return known
        m = _DATE.fullmatch(value)
        if not m:
            raise PydanticCustomError("ZL206", "“{value}”不是有效的日期，日期要写成 YYYY-MM-DD，如 2021-03-19", {"value": value})
        try:
            return _remember(_DATES, value, date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            raise PydanticCustomError("ZL206", "“{value}”不是真实存在的日期（检查月份和该月的天数）", {"value": value}) from None
    return value


def _yesno(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise PydanticCustomError("ZL208", "“{value}”不是是/否值：请写 true 或 false（也可写 是 / 否）", {"value": value})
    return value


# Characters that make two names look the same or a name look like something else: a TAB, CR or LF
# (an Excel paste: "<name><TAB><street>"), no-break space, soft hyphen, the Hangul fillers (blank
# letters) and the invisible tag characters U+E0000–E007F. Names, ids and references refuse them, and
# spaces at either end, so that "<name> " is never a second community of that name.
_LOOKALIKE = re.compile("[\t\n\r\u00a0\u00ad\u115f\u1160\u3164\uffa0\U000e0000-\U000e007f]")
_LOOKALIKE_NAMES = {"\t": "制表符（Tab）", "\n": "换行符", "\r": "回车符", "\u00a0": "不换行空格", "\u00ad": "软连字符"}


def _name(value: Any) -> Any:
    if type(value) is not str:
        return value
    found = _LOOKALIKE.search(value)
    if found is None and value == value.strip():
        return value
    cleaned = " ".join(_LOOKALIKE.sub(lambda m: " " if m.group() in "\t\n\r\u00a0" else "", value).split())
    if found is not None:
        ch = found.group()
        what = _LOOKALIKE_NAMES.get(ch, "不可见的填充或标签字符")
        message = f"名称“{{value}}”中有{what} U+{ord(ch):04X}（第 {found.start() + 1} 个字符），看起来和“{{cleaned}}”一样却是另一个名称"
    else:
        message = "名称“{value}”首尾有空格，看起来和“{cleaned}”一样却是另一个名称"
    raise PydanticCustomError("ZL210", message, {"value": value, "cleaned": cleaned, "hint": f"改成“{cleaned}”。"})


Int = Annotated[int, BeforeValidator(_int)]
Number = Annotated[float, BeforeValidator(_number)]
Date = Annotated[date, BeforeValidator(_date)]
YesNo = Annotated[bool, BeforeValidator(_yesno)]
Text = Annotated[str, StringConstraints(min_length=1), BeforeValidator(_name)]  # names and references
Prose = Annotated[str, StringConstraints(min_length=1)]  # titles, descriptions, notes: may span lines
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
Ratio = Annotated[float, BeforeValidator(_number), Field(ge=0, le=1)]
Score = Annotated[float, BeforeValidator(_number), Field(ge=0, le=100)]



# Default factories for empty lists and mappings. Not `list` and `dict` themselves: pydantic asks a default
# factory for its signature, and a builtin's signature is found by parsing its text signature with the
# tokenizer (compiling its patterns first): some 30 ms of every start for the two dozen fields.
def empty_list() -> list[Any]:
    return []


def empty_dict() -> dict[Any, Any]:
    return {}


__all__ = ["Strict", "Int", "Number", "Date", "YesNo", "Text", "Prose", "Id", "Ratio", "Score", "Field", "empty_list",
           "empty_dict"]
