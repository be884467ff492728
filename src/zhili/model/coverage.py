"""The pilot coverage targets of a scheme (试点覆盖目标), declared in types.yaml under scheme.coverage."""

from __future__ import annotations

from zhili.model.base import Date, Field, Int, Ratio, Prose, Strict, Text
from zhili.model.behaviour import CoverageMethods


class CoverageTarget(Strict):
    """一个覆盖目标：到某日为止，最低层级每个单位的试点社区至少占多少比例。"""

    by: Date = Field(description="目标期限（YYYY-MM-DD，含当天）。从上一个目标期限的次日起到这一天，这个目标有效")
    share: Ratio = Field(description="试点社区占社区总数的最低比例，0 到 1 之间，如 0.3 表示 30%（达到即算达标）")
    source: str | None = Field(default=None, description="原文表述，如 2022年底全市30%以上城乡社区实行分类治理")


class Coverage(CoverageMethods, Strict):
    """试点覆盖要求：按期限排列的覆盖目标，以及每个牵头类型的最少试点社区数。"""

    targets: list[CoverageTarget] = Field(min_length=1, description="覆盖目标，按期限从早到晚排列")
    min_pilots_per_led_type: Int | None = Field(
        default=None, ge=0, description="单位牵头共建的每个社区类型至少要有几个试点社区；留空表示不要求")
    min_pilots_source: str | None = Field(default=None, description="最少试点社区数的原文表述")
    note: Prose | None = Field(default=None, description="备注")
