"""units.yaml: every unit (单位) the ledger names, with aliases, and groups such as 各街道."""

from __future__ import annotations

from typing import Literal

from zhili.model.base import Field, Strict, Text

UnitKind = Literal["党委部门", "政府部门", "街道", "镇", "功能区", "群团组织", "市区共管部门", "事业单位", "非政府方"]


class Unit(Strict):
    """一个单位：牵头单位、配合单位或街道（镇）。"""

    name: Text = Field(description="规范名称，如 区市场监管局")
    kind: UnitKind = Field(description="单位性质：党委部门、政府部门、街道、镇、功能区、群团组织、市区共管部门、事业单位、非政府方")
    aliases: list[Text] = Field(default_factory=list, description="其他写法，如台账中的 市场监管局")
    leads: list[Text] = Field(
        default_factory=list, description="该镇（街道）牵头共建的社区类型（名称或 id）；每个牵头类型都应有足够的试点社区")
    note: str | None = Field(default=None, description="备注")


class UnitGroup(Strict):
    """单位组：台账中代指多个单位的写法，如 各街道。"""

    name: Text = Field(description="组名，如 各街道")
    members: list[Text] = Field(min_length=1, description="成员单位的规范名称")
    aliases: list[Text] = Field(default_factory=list, description="其他写法")
    note: str | None = Field(default=None, description="备注")


class UnitsFile(Strict):
    """units.yaml 的整体结构。"""

    units: list[Unit] = Field(min_length=1, description="单位列表")
    groups: list[UnitGroup] = Field(default_factory=list, description="单位组")
