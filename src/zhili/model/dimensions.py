"""Classification dimensions besides the community type (types.yaml `dimensions:`), and the scope a
task applies to (tasks.yaml `applies_to:`).

The community type stays the primary dimension (id `type`, its name from `type_label:`); a scheme may
declare further dimensions, each with its own values and, optionally, a classification rule per value
in the same rule language as the types' rules.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from zhili.model.base import Field, Id, Strict, Text
from zhili.model.rules import Rule

TYPE_DIMENSION = "type"  # the id of the primary dimension: the community types of `types:`
DEFAULT_TYPE_LABEL = "社区类型"


class DimensionValue(Strict):
    """分类维度的一个取值。"""

    id: Id = Field(description="取值的稳定标识（英文字母、数字、连字符），如 eco")
    name: Text = Field(description="取值名称，如 生态")
    rule: Rule | None = Field(default=None, description="分类规则：社区满足它时计算为这一取值（写法同类型的规则）；留空表示不参与自动分类")
    description: str | None = Field(default=None, description="说明")


class Dimension(Strict):
    """社区类型之外的又一个分类维度，如 主题。每个社区在每个维度上至多有一个取值。"""

    id: Id = Field(description="维度的稳定标识，如 theme；不能是 type（type 是社区类型这一主维度）")
    name: Text = Field(description="维度名称，如 主题；用作表头")
    values: list[DimensionValue] = Field(min_length=1, description="维度的取值")
    description: str | None = Field(default=None, description="说明")


def _applies_to(value: Any) -> Any:
    """`all`, or a mapping of dimension id to a list of values; anything else is said in Chinese."""
    if isinstance(value, str):
        if value != "all":
            raise PydanticCustomError("ZL209", "适用范围写成“{value}”，只能写 all 或“维度: [取值, …]”的映射", {"value": value})
        return value
    if isinstance(value, dict):
        for key, items in value.items():
            if not isinstance(items, list):
                raise PydanticCustomError("ZL203", "适用范围中“{key}”的取值应为列表，如 [{example}]",
                                          {"key": key, "example": items if isinstance(items, str) else "取值"})
        return value
    return value


AppliesTo = Annotated[Union[Literal["all"], dict[Id, list[Text]]], BeforeValidator(_applies_to)]
