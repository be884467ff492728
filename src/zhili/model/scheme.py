"""types.yaml: the scheme (方案), its categories (城市/农村) and community types."""

from __future__ import annotations

from zhili.model.base import Date, Field, Id, Int, Strict, Text
from zhili.model.rules import Attribute, Rule


class Scheme(Strict):
    """方案本身：一个辖区的分类治理方案。"""

    id: Id = Field(description="方案的稳定标识（英文字母、数字、连字符）")
    name: Text = Field(description="方案简称")
    jurisdiction: Text = Field(description="适用地域，如 绵阳市游仙区")
    title: Text = Field(description="方案标题（原文）")
    document: Text = Field(description="发文字号，如 绵游委基治委发〔2021〕1号")
    issuer: Text = Field(description="发文机关")
    date: Date = Field(description="成文日期，YYYY-MM-DD")
    ranking_rule: str | None = Field(default=None, description="排队评定规则的原文表述，如 每类 2 个先进、2 个后进")
    note: str | None = Field(default=None, description="备注")


class Category(Strict):
    """社区大类，如 城市社区、农村社区。"""

    id: Id = Field(description="大类标识，如 urban、rural")
    name: Text = Field(description="大类名称，如 城市社区")
    description: str | None = Field(default=None, description="说明")


class Direction(Strict):
    """重点治理方向（原文第三部分的编号条目）。"""

    no: Int = Field(description="序号")
    title: Text = Field(description="方向标题")
    text: str | None = Field(default=None, description="方向正文")


class CommunityType(Strict):
    """社区类型。"""

    id: Id = Field(description="类型的稳定标识（英文字母、数字、连字符）")
    name: Text = Field(description="类型名称，与方案原文一致，如 商品住宅型社区")
    category: Id | None = Field(default=None, description="所属大类（categories 中的 id）")
    definition: str | None = Field(default=None, description="方案对该类型的定义句")
    goal: str | None = Field(default=None, description="治理目标，如 和美宜居")
    main_line: str | None = Field(default=None, description="主线（原文“坚持以……为主线”）")
    summary: str | None = Field(default=None, description="该类型治理方向的导语段")
    directions: list[Direction] = Field(default_factory=list, description="重点治理方向")
    rule: Rule | None = Field(default=None, description="分类规则：社区满足它时计算为这一类型（见 README 的“分类规则”）；留空表示不参与自动分类")


class TypesFile(Strict):
    """types.yaml 的整体结构。"""

    scheme: Scheme = Field(description="方案本身")
    categories: list[Category] = Field(default_factory=list, description="社区大类")
    types: list[CommunityType] = Field(min_length=1, description="社区类型")
    attributes: list[Attribute] = Field(default_factory=list, description="分类规则可以使用的社区属性声明")
    precedence: list[str] = Field(default_factory=list,
                                  description="多个类型的规则同时满足时的优先顺序（类型 id 或名称，靠前者优先）")
