"""units.yaml: every unit (单位) the ledger names, with aliases, its level and parent unit, and groups
(a list of members, or every unit of a level)."""

from __future__ import annotations

from zhili.model.base import Field, Id, Strict, Text, empty_list


class Unit(Strict):
    """一个单位：牵头单位、配合单位，或某一层级的单位（如 区、街道）。"""

    name: Text = Field(description="规范名称，如 区市场监管局")
    kind: Text = Field(description="单位性质，须是 types.yaml 中 vocabularies.unit_kinds 声明的一种，如 政府部门")
    level: Id | None = Field(
        default=None, description="所在层级（types.yaml 中 levels 的 id）；留空表示不在层级之中的部门")
    parent: Text | None = Field(
        default=None, description="上级单位（上一层级的单位名称）；上一层级有单位时必填")
    aliases: list[Text] = Field(default_factory=empty_list, description="其他写法，如台账中的 市场监管局")
    leads: list[Text] = Field(
        default_factory=empty_list, description="该单位牵头共建的社区类型（名称或 id）；每个牵头类型都应有足够的试点社区")
    note: str | None = Field(default=None, description="备注")


class UnitGroup(Strict):
    """单位组：台账中代指多个单位的写法。成员逐个列出（members），或是某一层级的全部单位（level，可加 within）。"""

    name: Text = Field(description="组名，台账中的集合称谓")
    members: list[Text] = Field(default_factory=empty_list, description="成员单位的规范名称（与 level 二选一）")
    level: Id | None = Field(default=None, description="该层级（levels 的 id）的全部单位都是成员（与 members 二选一）")
    within: Text | None = Field(default=None, description="与 level 同用：只取这个单位下属的该层级单位")
    aliases: list[Text] = Field(default_factory=empty_list, description="其他写法")
    note: str | None = Field(default=None, description="备注")


class UnitsFile(Strict):
    """units.yaml 的整体结构。"""

    units: list[Unit] = Field(min_length=1, description="单位列表")
    groups: list[UnitGroup] = Field(default_factory=empty_list, description="单位组")
