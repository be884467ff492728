"""tasks.yaml: the ledger of key tasks (重点工作任务台账)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Tag

from zhili.model.base import Date, Field, Id, Number, Prose, Strict, Text, YesNo, empty_list
from zhili.model.dimensions import AppliesTo


def _no_lead(value: Any) -> Any:
    """`lead:` left empty means the document names no lead unit (a warning, not a second spelling of [])."""
    return [] if value is None else value


class Milestone(Strict):
    """任务的一个节点：到某日应完成什么（可带数量，如 首批 25 个）。"""

    by: Date = Field(description="节点日期，YYYY-MM-DD（当天 24 时前，北京时间）")
    title: Text | None = Field(default=None, description="节点名称，如 首批")
    quantity: Number | None = Field(default=None, ge=0, description="节点要求的数量，如 25")
    unit: Text | None = Field(default=None, description="数量的单位，如 个")
    note: str | None = Field(default=None, description="说明")


class RecurrenceDates(Strict):
    """按指定日期重复：每个日期是一个周期的截止日。"""

    dates: list[Date] = Field(min_length=1, description="各期截止日期，YYYY-MM-DD，按先后顺序")


def _recurrence_kind(value: Any) -> str:
    """A mapping is a list of dates, anything else a declared id: each is then checked as that one only."""
    return "recurrence[dates]" if isinstance(value, dict) or hasattr(value, "dates") else "recurrence[id]"


# the tags hold "[" so that error locations leave them out (loading/schema_errors.py)
RecurrenceValue = Annotated[Annotated[Id, Tag("recurrence[id]")] | Annotated[RecurrenceDates, Tag("recurrence[dates]")],
                            Discriminator(_recurrence_kind)]


class Task(Strict):
    """台账中的一项重点任务。"""

    no: Text = Field(description="台账序号，照录台账的写法（文本），如 25、三.1；在台账中唯一")
    type: Text | None = Field(default=None, description="社区类型（名称或 id）：applies_to: {type: [类型]} 的简写，与 applies_to 二选一")
    applies_to: AppliesTo | None = Field(
        default=None, description="适用范围：all（全部社区），或“维度 id: [取值, …]”，如 {type: [某某型社区]}、{theme: [生态]}；"
                                  "与 type 都不写时按全部处理并给出警告")
    title: Prose = Field(description="重点任务，照录台账")
    lead: Annotated[list[Text] | None, BeforeValidator(_no_lead)] = Field(  # None never stays: it becomes []
        default_factory=empty_list, description="牵头单位，名称照录台账；方案未写明时留空（校验给出警告“牵头单位未明确”）")
    support: list[Text] = Field(default_factory=empty_list, description="配合单位；台账写“——”时为 []")
    source: str | None = Field(default=None, description="在方案正文中的出处，如 三（一）1")
    note: str | None = Field(default=None, description="备注")
    cascade: YesNo = Field(
        default=False, description="是否延及下级：是则交给某单位的任务也约束它的下级单位（zhili tasks --unit 下级单位时列出）")
    start: Date | None = Field(default=None, description="开始日期，YYYY-MM-DD")
    due: Date | None = Field(default=None, description="截止日期，YYYY-MM-DD（当天 24 时前，北京时间）")
    recurrence: RecurrenceValue | None = Field(
        default=None, description="周期，写 types.yaml vocabularies.recurrences 中声明的周期标识（如 quarterly），"
                                  "或 {dates: [YYYY-MM-DD, ...]} 指定各期截止日；每个周期都应有进展记录")
    milestones: list[Milestone] = Field(
        default_factory=empty_list, description="节点，每项写 by（日期），可写 title、quantity、unit、note；按日期先后；逾期按节点判断")


class TasksFile(Strict):
    """tasks.yaml 的整体结构。"""

    tasks: list[Task] = Field(min_length=1, description="任务列表")
