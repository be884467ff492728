"""Programmes (项目，如 分类治理试点、未来公园社区) and their targets (目标), declared at the top of types.yaml.

A target is a share or a count of the communities in a programme, for the whole jurisdiction, for each
unit of a level, or for each value of a dimension, due by a date. Targets of the same programme and scope
form a timeline: on a given day the first one due that day or later is in force (after the last, the last).
"""

from __future__ import annotations

from typing import Literal

from zhili.model.base import Date, Field, Id, Int, Number, Prose, Strict, Text

PILOT = "pilot"  # the programme `pilot_start` of a community is the shorthand for


class Programme(Strict):
    """一个项目：社区可以参加的一类工作，如 分类治理试点、未来公园社区建设。"""

    id: Id = Field(description="项目标识（英文字母、数字、连字符），如 pilot、future-park；社区的 programmes 和目标的 programme 写它")
    name: Text = Field(description="项目名称，用于表头和说明，如 分类治理试点")
    source: str | None = Field(default=None, description="原文表述")
    note: str | None = Field(default=None, description="备注")


# without a `programmes:` declaration a scheme has the one programme that `pilot_start` stands for
DEFAULT_PROGRAMMES: tuple[dict[str, str], ...] = ({"id": PILOT, "name": "试点"},)

Scope = Literal["whole", "each", "per_value"]


class Target(Strict):
    """一个目标：到某日为止，参加某个项目的社区至少占多少比例（share）或至少有多少个（count）。"""

    id: Id = Field(description="目标标识（英文字母、数字、连字符），如 pilot-2022")
    programme: Text = Field(description="目标针对的项目（programmes 中的 id），如 pilot")
    share: Number | None = Field(default=None, description="参加项目的社区占社区总数的最低比例，0 到 1 之间，如 0.3 表示 30%（达到即算达标）；与 count 二选一")
    count: Int | None = Field(default=None, description="参加项目的社区的最低个数，至少 1，如 200；与 share 二选一")
    scope: Scope | None = Field(
        default=None, description="范围：whole（整个辖区）、each（level 层级的每个单位）、per_value（dimension 维度的每个取值）")
    level: Text | None = Field(default=None, description="scope: each 时必填：按哪个层级的每个单位计算（层级 id）")
    dimension: Text | None = Field(default=None, description="scope: per_value 时必填：按哪个维度的每个取值计算，如 type（社区类型）")
    by: Date = Field(description="目标期限（YYYY-MM-DD，含当天）。同一项目、同一范围的几个目标按期限排成序列：从上一个期限的次日起到这一天，这个目标有效；最后一个期限之后仍按最后一个目标")
    min_per_led_type: Int | None = Field(
        default=None, ge=0, description="scope: each 时可写：每个单位牵头共建的每个社区类型（units.yaml 的 leads）至少有几个参加项目的社区")
    min_per_led_type_source: str | None = Field(default=None, description="min_per_led_type 的原文表述")
    source: str | None = Field(default=None, description="原文表述")
    note: Prose | None = Field(default=None, description="备注")
