"""types.yaml: the scheme (方案), its categories (城市/农村) and community types."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from zhili.model.base import Date, Field, Id, Int, Ratio, Prose, Strict, Text, YesNo, empty_list
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
    jurisdiction: Text = Field(description="适用地域，如 某市某区")
    title: Prose | None = Field(default=None, description="方案标题（原文）；可不写，不写则各处不显示")
    document: Text | None = Field(default=None, description="发文字号，如 绵游委基治委发〔2021〕1号；没有文号的方案不写")
    issuer: Text | None = Field(default=None, description="发文机关；可不写")
    date: Date | None = Field(default=None, description="成文日期，YYYY-MM-DD；可不写")
    ranking_rule: str | None = Field(default=None, description="排队评定规则的原文表述，如 每类 2 个先进、2 个后进")
    need_dimensions: list[Text] = Field(
        default_factory=empty_list, description="治理需求的维度（needs.yaml、resources.yaml 引用），如 基层组织建设")
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
    name: Text = Field(description="类型名称，与方案原文一致，如 某某型社区")
    category: Id | None = Field(default=None, description="所属大类（categories 中的 id）")
    definition: str | None = Field(default=None, description="方案对该类型的定义句")
    goal: str | None = Field(default=None, description="治理目标，如 和美宜居")
    main_line: str | None = Field(default=None, description="主线（原文“坚持以……为主线”）")
    summary: str | None = Field(default=None, description="该类型治理方向的导语段")
    directions: list[Direction] = Field(default_factory=empty_list, description="重点治理方向")
    rule: Rule | None = Field(default=None, description="分类规则：社区满足它时计算为这一类型（见文档 docs/data/types.md 的“分类规则”）；留空表示不参与自动分类")


def _quota(value: Any) -> Any:
    """A 先进/后进 quota: a count (2), or a share (0.1 or “10%”) of the type's ranked communities."""
    text = str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    if text is not None:
        share = text.endswith("%")
        body = text[:-1].strip() if share else text
        if body.replace(".", "", 1).isdigit() and body.isascii():
            number = float(body)
            if share and 0 <= number <= 100:
                return number / 100
            if not share and "." not in body:
                return int(body)
            if not share and 0 <= number < 1:
                return number
    raise PydanticCustomError("ZL335", "名额“{value}”的写法不对：写个数（如 2）或比例（如 0.1 或 10%）",
                              {"value": value, "hint": "个数写整数；比例写 0 到 1 之间的小数，或 0% 到 100% 的百分数（按参评社区数计算，向下取整）。"})


Quota = Annotated[int | float, BeforeValidator(_quota), WithJsonSchema({"anyOf": [
    {"type": "integer", "minimum": 0}, {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
    {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?%$"}]})]


class Stage(Strict):
    """一个评议阶段，如 自评、初评、复评；评议记录以阶段 id 为键写这一阶段的结果。"""

    id: Id = Field(description="阶段标识，评议记录中以它为键，如 self_assessment")
    label: Text = Field(description="阶段名称，表头和报告中显示，如 自评")
    weight: Ratio | None = Field(default=None, description="综合得分中的权重（0–1，各阶段之和为 1）；只用于 method: scores")


class YearRules(Strict):
    """某一年度与默认规则不同之处（只写要改的项）。"""

    year: Int = Field(description="适用的评议年度")
    weights: dict[Id, Ratio] | None = Field(
        default=None, description="该年度各阶段的权重（阶段 id: 权重，须写全所有阶段且之和为 1）；留空沿用默认")
    advanced: Quota | None = Field(default=None, description="该年度每类评定的先进名额（个数或比例）；留空沿用默认")
    lagging: Quota | None = Field(default=None, description="该年度每类评定的后进名额（个数或比例）；留空沿用默认")
    note: str | None = Field(default=None, description="备注")


class EvaluationRules(EvaluationRulesMethods, Strict):
    """年度评议规则：评议方式、各阶段（及其权重）、同分比较顺序、每类的先进和后进名额、一票否决，可按年度调整。"""

    method: Literal["scores", "selection", "grades"] = Field(
        default="scores", description="评议方式：scores（各阶段打分，加权排队）、selection（各阶段 是/否，评定入选）、"
                                      "grades（各阶段评等次，如 优秀、合格、不合格）")
    stages: list[Stage] = Field(min_length=1, description="评议阶段，按进行的先后顺序")
    tie_break: list[Id] = Field(default_factory=empty_list,
                                description="综合得分相同时依次比较的阶段 id（靠前者先比）；只用于 method: scores")
    advanced: Quota = Field(default=2, description="每类评定的先进名额：整数为个数，0–1 的小数或“10%”为比例（向下取整）；只用于 method: scores")
    lagging: Quota = Field(default=2, description="每类评定的后进名额：整数为个数，0–1 的小数或“10%”为比例（向下取整）；只用于 method: scores")
    small_types: Literal["half", "none"] = Field(
        default="half", description="参评社区少于先进加后进名额的类型：half 为每侧最多评定参评社区数的一半（向下取整），"
                                    "none 为先评先进、余下的评后进")
    grades: list[Text] = Field(default_factory=empty_list, description="等次，从高到低，如 优秀、合格、不合格；只用于 method: grades")
    vetoes: YesNo = Field(default=True, description="是否实行一票否决（评议记录可写 vetoes）")
    years: list[YearRules] = Field(default_factory=empty_list, description="按年度调整的规则")
    note: str | None = Field(default=None, description="备注")


class Level(Strict):
    """一个行政层级，如 区、街道（镇）。"""

    id: Id = Field(description="层级标识（英文字母、数字、连字符），units.yaml 的 level 写它，如 town")
    name: Text = Field(description="层级的中文名称，用作表头和提示，如 街道（镇）")
    group: Text | None = Field(default=None, description="该层级全部单位的合称，台账可以用它指代这些单位，如 各区（市）县")


DEFAULT_LEVEL_ID = "unit"
DEFAULT_LEVEL_NAME = "所属单位"
DEFAULT_COMMUNITY_LABEL = "社区"


def _default_vocabularies() -> Vocabularies:  # a function: pydantic reads a factory's signature, a class's is dear
    return Vocabularies()


class TypesFile(Strict):
    """types.yaml 的整体结构。"""

    scheme: Scheme = Field(description="方案本身")
    categories: list[Category] = Field(default_factory=empty_list, description="社区大类")
    type_label: Text = Field(default=DEFAULT_TYPE_LABEL, description="社区类型这一主分类维度（id 为 type）的名称，用作表头；不写为 社区类型")
    types: list[CommunityType] = Field(min_length=1, description="社区类型")
    dimensions: list[Dimension] = Field(
        default_factory=empty_list, description="社区类型之外的分类维度（如 主题），每个维度有自己的取值和可选的分类规则")
    evaluation: EvaluationRules | None = Field(default=None, description="年度评议规则（评议方式、阶段、权重、先进和后进名额）")
    attributes: list[Attribute] = Field(default_factory=empty_list, description="分类规则可以使用的社区属性声明")
    precedence: list[Text] = Field(default_factory=empty_list,
                                  description="多个类型的规则同时满足时的优先顺序（类型 id 或名称，靠前者优先）")
    standards: list[Standard] = Field(
        default_factory=empty_list, description="配置标准，如 每百户居民拥有社区综合服务设施面积不低于 30 平方米（zhili standards 使用）")
    levels: list[Level] = Field(
        default_factory=empty_list,
        description="行政层级，自上而下；社区属于最后一个层级的单位（communities.yaml 的 street）。不写则只有一个层级：所属单位")
    community_label: Text | None = Field(default=None, description="社区一级的名称，如 社区（村）；不写为 社区")
    programmes: list[Programme] | None = Field(
        default=None, description="项目（如 分类治理试点、未来公园社区）；不写则只有一个项目 pilot（试点），社区的 pilot_start 即参加它")
    targets: list[Target] = Field(default_factory=empty_list, description="项目的目标（比例或个数，整个辖区、每个单位或每个取值，期限）；zhili coverage 逐个报告")
    vocabularies: Vocabularies = Field(default_factory=_default_vocabularies,
                                       description="方案自己的词表：单位性质、帮扶措施、任务周期、报送状态名称；不写取默认值")
