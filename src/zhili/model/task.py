"""tasks.yaml: the ledger of key tasks (重点工作任务台账)."""

from __future__ import annotations

from typing import Literal

from zhili.model.base import Date, Field, Int, Prose, Strict, Text
from zhili.model.dimensions import AppliesTo

Recurrence = Literal["monthly", "quarterly", "yearly"]


class Task(Strict):
    """台账中的一项重点任务。"""

    no: Int = Field(ge=1, description="台账序号")
    type: Text | None = Field(default=None, description="社区类型（名称或 id）：applies_to: {type: [类型]} 的简写，与 applies_to 二选一")
    applies_to: AppliesTo | None = Field(
        default=None, description="适用范围：all（全部社区），或“维度 id: [取值, …]”，如 {type: [商品住宅型社区]}、{theme: [生态]}；"
                                  "与 type 都不写时按全部处理并给出警告")
    title: Prose = Field(description="重点任务，照录台账")
    lead: list[Text] = Field(min_length=1, description="牵头单位，名称照录台账")
    support: list[Text] = Field(default_factory=list, description="配合单位；台账写“——”时为 []")
    source: str | None = Field(default=None, description="在方案正文中的出处，如 三（一）1")
    note: str | None = Field(default=None, description="备注")
    start: Date | None = Field(default=None, description="开始日期，YYYY-MM-DD")
    due: Date | None = Field(default=None, description="截止日期，YYYY-MM-DD（当天 24 时前，北京时间）")
    recurrence: Recurrence | None = Field(
        default=None, description="周期：monthly（每月）、quarterly（每季度）、yearly（每年）；每个周期都应有进展记录")


class TasksFile(Strict):
    """tasks.yaml 的整体结构。"""

    tasks: list[Task] = Field(min_length=1, description="任务列表")
