"""plans.yaml: the 一社区一策 plans — what is required, and which community submitted when."""

from __future__ import annotations

from zhili.model.base import Date, Field, Id, Int, Number, Prose, Strict, Text, empty_list


class PlanRequirement(Strict):
    """报送要求：方案交给谁、何时截止。"""

    title: Prose = Field(description="方案名称，如 社区分类治理方案（一社区一策）")
    due: Date = Field(description="报送截止日期，YYYY-MM-DD（当天 24 时前，北京时间）")
    receiver: Text = Field(description="接收单位（units.yaml 中的名称或别名），如 区委组织部")
    office: str | None = Field(default=None, description="接收科室，如 302办公室")
    task: Text | None = Field(default=None, description="对应的台账任务序号（tasks.yaml 中的 no，照原样写）")
    source: str | None = Field(default=None, description="在方案正文中的出处，如 四（一）")


class PlanTarget(Strict):
    """方案中一项可量化考核的治理目标。"""

    name: Text = Field(description="目标，如 新建小区党支部")
    value: Number = Field(description="目标值（数字）")
    unit: str | None = Field(default=None, description="计量单位，如 个、%、次")
    year: Int | None = Field(default=None, description="目标年度，如 2021")


class PlanSubmission(Strict):
    """一个社区报送的方案。"""

    community: Id = Field(description="社区 id（communities.yaml 中的 id）")
    submitted: Date = Field(description="报送日期，YYYY-MM-DD")
    targets: list[PlanTarget] = Field(min_length=1, description="可量化考核的治理目标，至少一项")
    note: str | None = Field(default=None, description="备注")


class PlansFile(Strict):
    """plans.yaml 的整体结构。"""

    requirement: PlanRequirement | None = Field(
        default=None, description="报送要求。plans.yaml 必须写；分文件存放（plans/ 文件夹）时，恰好一个文件写")
    plans: list[PlanSubmission] = Field(default_factory=empty_list, description="已报送的方案，每个社区一条")
