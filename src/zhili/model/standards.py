"""Standards declared in types.yaml (`standards:`): a per-N minimum of one community attribute over another.

The facility standard of 中发〔2017〕13号 — 每百户居民拥有社区综合服务设施面积不低于30平方米 — is
`numerator: facility_area`, `denominator: households`, `per: 100`, `minimum: 30`, `unit: 平方米`.
Other norms (e.g. 每万名城镇常住人口拥有社区工作者 18 人) are declared the same way.
"""

from __future__ import annotations

from typing import Annotated

from zhili.model.base import Field, Id, Number, Strict, Text

PositiveNumber = Annotated[Number, Field(gt=0)]
NonNegativeNumber = Annotated[Number, Field(ge=0)]


class Standard(Strict):
    """一项配置标准：每 per 个分母单位（如 100 户）至少有 minimum 个分子单位（如 30 平方米）。"""

    id: Id = Field(description="标准的稳定标识，如 facility-area")
    name: Text = Field(description="标准名称，如 社区综合服务设施面积")
    numerator: Id = Field(description="分子：社区属性（types.yaml 的 attributes 中的 name），如 facility_area")
    denominator: Id = Field(description="分母：社区属性（attributes 中的 name），如 households")
    per: PositiveNumber = Field(description="每多少个分母单位，如 100（每百户）")
    minimum: NonNegativeNumber = Field(description="最低值（分子的单位），如 30（平方米）")
    unit: Text = Field(description="最低值的单位，如 平方米")
    source: str | None = Field(default=None, description="依据的文件，如 中发〔2017〕13号")
    text: str | None = Field(default=None, description="依据的原文表述")
    task: str | None = Field(default=None, description="落实该标准的台账任务或方案条目，如 台账第 29 项、四（五）")
    note: str | None = Field(default=None, description="备注")
