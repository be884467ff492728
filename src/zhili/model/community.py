"""communities.yaml: the registry of communities (社区台账)."""

from __future__ import annotations

from zhili.model.base import Date, Field, Id, Strict, Text, empty_dict


class Community(Strict):
    """一个社区（或村）。"""

    id: Id = Field(description="社区的稳定标识（英文字母、数字、连字符），不随名称变化")
    name: Text = Field(description="社区名称，不含所属单位前缀，如 桑林社区")
    street: Text = Field(description="所属单位：units.yaml 中最低层级的单位（键名沿用 street，层级名称由 types.yaml 的 levels 声明）")
    type: Text | None = Field(default=None, description="登记的社区类型（类型名称或 id）；留空表示尚未分类")
    pilot_start: Date | None = Field(
        default=None, description="试点开始日期（YYYY-MM-DD），即 programmes 中 pilot 的简写；留空表示不是试点社区。zhili coverage 只计算在统计日当天或之前开始的试点")
    programmes: dict[Text, Date] = Field(
        default_factory=empty_dict, description="参加的项目及开始日期，如 {future-park: 2024-05-01}（键是 types.yaml 中 programmes 的 id）")
    dimensions: dict[str, Text] = Field(
        default_factory=empty_dict,
        description="社区类型之外各分类维度的取值：键是 types.yaml 中 dimensions 的 id，值是取值的 id 或名称，每个维度至多一个")
    attributes: dict[str, str | None] = Field(
        default_factory=empty_dict, description="分类属性的取值（键是 types.yaml 中 attributes 的 name），按声明的类型校验")
    note: str | None = Field(default=None, description="备注")


class CommunitiesFile(Strict):
    """communities.yaml 的整体结构。"""

    communities: list[Community] = Field(min_length=1, description="社区列表")
