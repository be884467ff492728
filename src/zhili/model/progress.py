"""progress.yaml: progress entries on ledger tasks (任务进展记录)."""

from __future__ import annotations

from zhili.model.base import Date, Field, Strict, Text, YesNo, empty_list


class ProgressEntry(Strict):
    """一条任务进展：哪天、哪个单位、做了什么，是否已完成。"""

    task: Text = Field(description="任务序号（tasks.yaml 中的 no，照原样写，如 25、三.1）")
    date: Date = Field(description="进展日期，YYYY-MM-DD")
    unit: Text = Field(description="报告进展的单位（units.yaml 中的名称或别名）")
    note: str | None = Field(default=None, description="进展说明")
    milestone: Text | None = Field(default=None, description="这条记录完成的节点：节点名称 title 或节点日期 by（YYYY-MM-DD）")
    done: YesNo = Field(default=False, description="是否标志任务已完成（true/false）；周期任务完成后不再要求后续周期的记录")


class ProgressFile(Strict):
    """progress.yaml 的整体结构。"""

    progress: list[ProgressEntry] = Field(default_factory=empty_list, description="进展记录列表")
