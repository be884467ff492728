"""progress.yaml: progress entries on ledger tasks (任务进展记录)."""

from __future__ import annotations

from zhili.model.base import Date, Field, Int, Strict, Text, YesNo


class ProgressEntry(Strict):
    """一条任务进展：哪天、哪个单位、做了什么，是否已完成。"""

    task: Int = Field(ge=1, description="任务序号（tasks.yaml 中的 no）")
    date: Date = Field(description="进展日期，YYYY-MM-DD")
    unit: Text = Field(description="报告进展的单位（units.yaml 中的名称或别名）")
    note: str | None = Field(default=None, description="进展说明")
    done: YesNo = Field(default=False, description="是否标志任务已完成（true/false）；周期任务完成后不再要求后续周期的记录")


class ProgressFile(Strict):
    """progress.yaml 的整体结构。"""

    progress: list[ProgressEntry] = Field(default_factory=list, description="进展记录列表")
