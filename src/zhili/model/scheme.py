"""types.yaml: the scheme (方案), its categories (城市/农村) and community types."""

from __future__ import annotations

from fractions import Fraction

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from zhili.model.base import Date, Field, Id, Int, Ratio, Prose, Strict, Text
from zhili.model.behaviour import EvaluationRulesMethods
from zhili.model.rules import Attribute, Rule
from zhili.model.standards import Standard
from zhili.model.dimensions import DEFAULT_TYPE_LABEL, Dimension
from zhili.model.targets import Programme, Target
from zhili.model.vocab import Vocabularies


class NoticeSettings(Strict):
    """督导通报（zhili notice）的发文机关和主送机关。"""

    issuer: Text | None = Field(default=None, description="通报的发文机关署名；留空则用方案的发文机关（scheme.issuer）")
    recipients: str | None = Field(default=None, description="主送机关（照录通知的主送）；留空则不写主送")
    stalled_days: Int | None = Field(default=None, ge=1, description="多少天没有进展记录算“无动静”；留空则为 60 天，命令行 --stalled 优先")
    source: str | None = Field(default=None, description="依据（原文表述）")


class Scheme(Strict):
    """方案本身：一个辖区的分类治理方案。"""

    id: Id = Field(description="方案的稳定标识（英文字母、数字、连字符）")
    name: Text = Field(description="方案简称")
    jurisdiction: Text = Field(description="适用地域，如 绵阳市游仙区")
    title: Prose | None = Field(default=None, description="方案标题（原文）；可不写，不写则各处不显示")
    document: Text | None = Field(default=None, description="发文字号，如 绵游委基治委发〔2021〕1号；没有文号的方案不写")
    issuer: Text | None = Field(default=None, description="发文机关；可不写")
    date: Date | None = Field(default=None, description="成文日期，YYYY-MM-DD；可不写")
    ranking_rule: str | None = Field(default=None, description="排队评定规则的原文表述，如 每类 2 个先进、2 个后进")
    need_dimensions: list[Text] = Field(
        default_factory=list, description="治理需求的维度（needs.yaml、resources.yaml 引用），如 基层组织建设")
    notice: NoticeSettings | None = Field(default=None, description="督导通报的发文机关和主送机关（zhili notice 使用）")
    note: str | None = Field(default=None, description="备注")


class Category(Strict):
    """社区大类，如 城市社区、农村社区。"""

    id: Id = Field(description="大类标识，如 urban、rural")
    name: Text = Field(description="大类名称，如 城市社区")
    description: str | None = Field(default=None, description="说明")


class Direction(Strict):
    """重点治理方向（原文第三部分的编号条目）。"""

    no: Int = Field(description="序号")
    title: Prose = Field(description="方向标题")
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
    rule: Rule | None = Field(default=None, description="分类规则：社区满足它时计算为这一类型（见文档 docs/data/types.md 的“分类规则”）；留空表示不参与自动分类")


class Weights(Strict):
    """年度评议三项得分的权重，三项之和须为 1。"""

    self_assessment: Ratio = Field(description="社区自评的权重，0–1")
    street_review: Ratio = Field(description="街道初评的权重，0–1")
    district_review: Ratio = Field(description="区级评议的权重，0–1")

    @model_validator(mode="after")
    def _sum_to_one(self) -> "Weights":
        total = Fraction(str(self.self_assessment)) + Fraction(str(self.street_review)) + Fraction(str(self.district_review))
        if total != 1:
            raise PydanticCustomError("ZL209", "三项权重之和应为 1，这里是 {total}", {"total": f"{float(total):g}"})
        return self


class YearRules(Strict):
    """某一年度与默认规则不同之处（只写要改的项）。"""

    year: Int = Field(description="适用的评议年度")
    weights: Weights | None = Field(default=None, description="该年度的权重；留空沿用默认")
    advanced: Int | None = Field(default=None, ge=0, description="该年度每类评定的先进个数；留空沿用默认")
    lagging: Int | None = Field(default=None, ge=0, description="该年度每类评定的后进个数；留空沿用默认")
    note: str | None = Field(default=None, description="备注")


class EvaluationRules(EvaluationRulesMethods, Strict):
    """年度评议规则：综合得分的权重、每类评定的先进和后进个数，可按年度调整。"""

    weights: Weights = Field(description="社区自评、街道初评、区级评议的权重")
    advanced: Int = Field(default=2, ge=0, description="每类评定的先进个数")
    lagging: Int = Field(default=2, ge=0, description="每类评定的后进个数")
    years: list[YearRules] = Field(default_factory=list, description="按年度调整的规则")
    note: str | None = Field(default=None, description="备注")


class TypesFile(Strict):
    """types.yaml 的整体结构。"""

    scheme: Scheme = Field(description="方案本身")
    categories: list[Category] = Field(default_factory=list, description="社区大类")
    type_label: Text = Field(default=DEFAULT_TYPE_LABEL, description="社区类型这一主分类维度（id 为 type）的名称，用作表头；不写为 社区类型")
    types: list[CommunityType] = Field(min_length=1, description="社区类型")
    dimensions: list[Dimension] = Field(
        default_factory=list, description="社区类型之外的分类维度（如 主题），每个维度有自己的取值和可选的分类规则")
    evaluation: EvaluationRules | None = Field(default=None, description="年度评议规则（权重、先进和后进个数）")
    attributes: list[Attribute] = Field(default_factory=list, description="分类规则可以使用的社区属性声明")
    precedence: list[Text] = Field(default_factory=list,
                                  description="多个类型的规则同时满足时的优先顺序（类型 id 或名称，靠前者优先）")
    standards: list[Standard] = Field(
        default_factory=list, description="配置标准，如 每百户居民拥有社区综合服务设施面积不低于 30 平方米（zhili standards 使用）")
    programmes: list[Programme] | None = Field(
        default=None, description="项目（如 分类治理试点、未来公园社区）；不写则只有一个项目 pilot（试点），社区的 pilot_start 即参加它")
    targets: list[Target] = Field(default_factory=list, description="项目的目标（比例或个数，整个辖区、每个单位或每个取值，期限）；zhili coverage 逐个报告")
    vocabularies: Vocabularies = Field(default_factory=Vocabularies,
                                       description="方案自己的词表：单位性质、帮扶措施、任务周期、报送状态名称；不写取默认值")
