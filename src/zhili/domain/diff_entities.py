"""What `zhili diff` compares: each kind of thing as an `Entity` with its `Compared` fields.

A new field in the model is one more `Compared` entry in its entity's `fields`; a new kind of thing is one
more `Entity` in `ENTITIES`. Values are taken by meaning: a unit by its canonical name (an alias is no
change), a type by its id (a name or an id is no change), nested things (rules) as plain data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from zhili.model.registry import Registry


def show(value: Any) -> str:
    """A compared value as Chinese text."""
    if value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(show(v) for v in value) if value else "（空）"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    return str(value)


def _recurrence(value: Any) -> Any:
    """A declared recurrence id, or the explicit dates as text."""
    if value is None or isinstance(value, str):
        return value
    return "指定日期：" + "、".join(d.isoformat() for d in value.dates)


def _milestone(m: Any) -> str:
    from zhili.domain.schedule import milestone_name

    return milestone_name(m)


def plain(value: Any) -> Any:
    """Models as plain JSON-like values (for comparing nested things such as rules)."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value



Getter = Callable[["Registry", Any], Any]


@dataclass(frozen=True)
class Compared:
    field: str
    label: str
    get: Getter  # the value as shown
    ident: Getter | None = None  # what decides "changed" when it differs from the shown value (e.g. a type's id)
    kind: str = "changed"


@dataclass(frozen=True)
class Entity:
    section: str
    items: Callable[["Registry"], Iterable[Any]]
    key: Getter
    name: Getter
    summary: Getter
    fields: tuple[Compared, ...]
    declared: Callable[["Registry", "Registry"], tuple[Compared, ...]] | None = None  # fields the data declares

    def fields_for(self, old: Registry, new: Registry) -> tuple[Compared, ...]:
        """The fixed fields, then those declared by either side's data (an evaluation's stages)."""
        return self.fields + (self.declared(old, new) if self.declared is not None else ())


def attr(name: str) -> Getter:
    return lambda reg, x: plain(getattr(x, name))


def _unit(reg: Registry, name: str) -> str:
    u = reg.unit(name)
    return u.name if u is not None else name


def _units(name: str) -> Getter:
    return lambda reg, x: [_unit(reg, n) for n in getattr(x, name)]


def _type_name(reg: Registry, key: str | None) -> str | None:
    t = reg.type_of(key)
    return t.name if t is not None else key


def _type_id(reg: Registry, key: str | None) -> str | None:
    t = reg.type_of(key)
    return t.id if t is not None else key


_NAMES: dict[int, tuple[Registry, dict[str, str]]] = {}  # id(registry) -> names by community id, during one diff


def _community_name(reg: Registry, cid: str | None) -> str:
    cached = _NAMES.get(id(reg))
    if cached is None or cached[0] is not reg:
        cached = (reg, {c.id: f"{c.name}（{c.id}）" for c in reg.communities})
        _NAMES[id(reg)] = cached
    return cached[1].get(str(cid), str(cid))


def forget_names() -> None:
    """Drop the name indexes built during one comparison."""
    _NAMES.clear()


def _stages(reg: Registry) -> list[tuple[str, str]]:
    return [(s.id, s.label) for s in reg.evaluation.stages] if reg.evaluation is not None else []


def _scores(reg: Registry, rec: Any) -> str:
    return "，".join(f"{label} {show(getattr(rec, key, None))}" for key, label in _stages(reg))


def _weights(reg: Registry, rules: Any) -> str:
    if rules.method != "scores":
        return "、".join(s.label for s in rules.stages)
    return "，".join(f"{s.label} {show(s.weight)}" for s in rules.stages)


def _stage_fields(old: Registry, new: Registry) -> tuple[Compared, ...]:
    """One compared field per stage declared on either side (labels from the newer declaration)."""
    stages = dict(_stages(old)) | dict(_stages(new))
    return tuple(Compared(key, label, lambda reg, p, key=key: getattr(p[1], key, None)) for key, label in stages.items())


def _dimension_value(dimension_id: str, by: str) -> Getter:
    """A community's recorded value on a declared dimension: its name (`by="name"`) or its id."""
    def get(reg: Registry, c: Any) -> str | None:
        key = (c.dimensions or {}).get(dimension_id)
        value = reg.dimension_value(dimension_id, key)
        return getattr(value, by) if value is not None else key
    return get


def _dimension_fields(old: Registry, new: Registry) -> tuple[Compared, ...]:
    """One compared field per dimension declared on either side (labels from the newer declaration)."""
    names = {d.id: d.name for d in old.dimensions} | {d.id: d.name for d in new.dimensions}
    return tuple(Compared(f"dimensions.{did}", name, _dimension_value(did, "name"), _dimension_value(did, "id"))
                 for did, name in names.items())


def _programmes(reg: Registry, c: Any) -> list[str]:
    """A community's programmes as 未来公园社区 2024-06-01 (the declared name, then the start date)."""
    out = []
    for key, start in c.programmes.items():
        programme = reg.programme(key)
        out.append(f"{programme.name if programme is not None else key} {show(start)}")
    return out


_METHODS = {"scores": "打分排队", "selection": "入选", "grades": "评定等次"}


def _evaluations(reg: Registry) -> Iterable[tuple[Any, Any]]:
    return ((y, e) for y in reg.evaluations for e in y.evaluations)


def _targets(reg: Registry, p: Any) -> list[str]:
    return [f"{t.name} {show(t.value)}{t.unit or ''}" + (f"（{t.year} 年）" if t.year else "") for t in p.targets]


def _vetoes(reg: Registry, pair: Any) -> list[str]:
    return [f"{v.item}（{v.reason}）" for v in pair[1].vetoes]


def rule_text(reg: Registry, rule: Any) -> str | None:
    """A classification rule as one readable line: 商品住宅占比 ≥ 0.5 且 …"""
    if rule is None:
        return None
    if rule.all is not None:
        return "（" + " 且 ".join(rule_text(reg, r) or "" for r in rule.all) + "）"
    if rule.any is not None:
        return "（" + " 或 ".join(rule_text(reg, r) or "" for r in rule.any) + "）"
    if rule.not_ is not None:
        return f"并非{rule_text(reg, rule.not_)}"
    decl = reg.attribute(rule.attribute) if rule.attribute else None
    name = decl.label if decl is not None else str(rule.attribute)
    if rule.in_ is not None:
        return f"{name}为{'、'.join(rule.in_)}之一"
    if rule.present is not None:
        return f"{name}{'已' if rule.present else '未'}填写"
    return f"{name} {rule.op} {rule.value}"


def _target_text(reg: Registry, t: Any) -> str:
    programme = reg.programme(t.programme)
    what = programme.name if programme is not None else t.programme
    amount = f"不少于 {t.count} 个" if t.count is not None else f"不低于 {t.share:.0%}"
    return f"{what}社区{amount}（{t.scope}，{t.by} 前）"


ENTITIES: tuple[Entity, ...] = (
    Entity("scheme", lambda reg: [reg.scheme], lambda reg, s: "scheme", lambda reg, s: s.name,
           lambda reg, s: f"{s.jurisdiction}《{s.title}》" if s.title else f"{s.jurisdiction}{s.name}", (
               Compared("name", "方案简称", attr("name")), Compared("jurisdiction", "适用地域", attr("jurisdiction")),
               Compared("title", "方案标题", attr("title")), Compared("document", "发文字号", attr("document")),
               Compared("issuer", "发文机关", attr("issuer")), Compared("date", "成文日期", attr("date")),
               Compared("ranking_rule", "排队评定规则", attr("ranking_rule")),
               Compared("need_dimensions", "治理需求维度", attr("need_dimensions")),
               Compared("precedence", "分类优先顺序", lambda reg, s: [_type_name(reg, k) for k in reg.precedence],
                        lambda reg, s: [_type_id(reg, k) for k in reg.precedence]),
           )),
    Entity("scheme", lambda reg: reg.programmes, lambda reg, p: f"programmes/{p.id}",
           lambda reg, p: f"项目“{p.name}”", lambda reg, p: f"{p.name}（{p.id}）", (
               Compared("name", "名称", attr("name")),
           )),
    Entity("scheme", lambda reg: reg.targets, lambda reg, t: f"targets/{t.id}",
           lambda reg, t: f"目标 {t.id}", _target_text, (
               Compared("programme", "项目", attr("programme")), Compared("share", "最低比例", attr("share")),
               Compared("count", "最低个数", attr("count")), Compared("scope", "范围", attr("scope")),
               Compared("level", "层级", attr("level")), Compared("dimension", "维度", attr("dimension")),
               Compared("by", "期限", attr("by")),
               Compared("min_per_led_type", "每个牵头类型最少个数", attr("min_per_led_type")),
               Compared("source", "原文表述", attr("source")),
           )),
    Entity("scheme", lambda reg: [reg.evaluation] if reg.evaluation is not None else [], lambda reg, r: "evaluation",
           lambda reg, r: "年度评议规则",
           lambda reg, r: f"{_METHODS.get(r.method, r.method)}，阶段：{_weights(reg, r)}"
                          + (f"；每类先进 {r.advanced}、后进 {r.lagging}" if r.method == "scores" else ""), (
               Compared("method", "评议方式", lambda reg, r: _METHODS.get(r.method, r.method), lambda reg, r: r.method),
               Compared("stages", "评议阶段及权重", _weights, lambda reg, r: plain(r.stages)),
               Compared("tie_break", "同分比较顺序", attr("tie_break")),
               Compared("advanced", "每类先进名额", attr("advanced")), Compared("lagging", "每类后进名额", attr("lagging")),
               Compared("small_types", "小类型规则", attr("small_types")), Compared("grades", "等次", attr("grades")),
               Compared("vetoes", "一票否决", attr("vetoes")),
               Compared("years", "按年度调整的规则", attr("years")),
           )),
    Entity("types", lambda reg: reg.types, lambda reg, t: t.id, lambda reg, t: t.name,
           lambda reg, t: f"{t.name}（{t.id}）" + (f"，治理目标：{t.goal}" if t.goal else ""), (
               Compared("name", "名称", attr("name"), kind="renamed"), Compared("category", "大类", attr("category")),
               Compared("definition", "定义", attr("definition")), Compared("goal", "治理目标", attr("goal")),
               Compared("main_line", "主线", attr("main_line")),
               Compared("directions", "重点治理方向", lambda reg, t: [d.title for d in t.directions],
                        lambda reg, t: plain(t.directions)),
               Compared("rule", "分类规则", lambda reg, t: rule_text(reg, t.rule), attr("rule")),
           )),
    Entity("attributes", lambda reg: reg.attributes, lambda reg, a: a.name, lambda reg, a: f"{a.label}（{a.name}）",
           lambda reg, a: f"{a.kind}" + (f"，单位 {a.unit}" if a.unit else ""), (
               Compared("label", "中文名称", attr("label")), Compared("kind", "取值类型", attr("kind")),
               Compared("unit", "单位", attr("unit")), Compared("choices", "可选取值", attr("choices")),
           )),
    Entity("standards", lambda reg: reg.standards, lambda reg, s: s.id, lambda reg, s: s.name,
           lambda reg, s: f"每 {s.per:g} 不低于 {s.minimum:g} {s.unit}", (
               Compared("numerator", "分子", attr("numerator")), Compared("denominator", "分母", attr("denominator")),
               Compared("per", "每多少", attr("per")), Compared("minimum", "最低值", attr("minimum")),
               Compared("unit", "单位", attr("unit")),
           )),
    Entity("communities", lambda reg: reg.communities, lambda reg, c: c.id, lambda reg, c: f"{c.name}（{c.id}）",
           lambda reg, c: f"{_unit(reg, c.street)}，{_type_name(reg, c.type) or '未登记类型'}", (
               Compared("name", "名称", attr("name"), kind="renamed"),
               Compared("street", "所属单位", lambda reg, c: _unit(reg, c.street)),
               Compared("type", "类型", lambda reg, c: _type_name(reg, c.type), lambda reg, c: _type_id(reg, c.type),
                        kind="reclassified"),
               Compared("pilot_start", "试点开始日期", attr("pilot_start")),
               Compared("programmes", "参加的项目及开始日期", _programmes, attr("programmes")),
           ), declared=_dimension_fields),
    Entity("units", lambda reg: reg.units, lambda reg, u: u.name, lambda reg, u: u.name,
           lambda reg, u: u.kind + (f"，别名 {show(u.aliases)}" if u.aliases else ""), (
               Compared("kind", "单位性质", attr("kind")), Compared("aliases", "别名", attr("aliases")),
               Compared("leads", "牵头共建的类型", lambda reg, u: [_type_name(reg, t) for t in u.leads],
                        lambda reg, u: [_type_id(reg, t) for t in u.leads]),
           )),
    Entity("groups", lambda reg: reg.groups, lambda reg, g: g.name, lambda reg, g: g.name,
           lambda reg, g: f"成员：{show([u.name for u in reg.members(g.name)])}", (
               Compared("members", "成员单位", lambda reg, g: [u.name for u in reg.members(g.name)]),
               Compared("aliases", "别名", attr("aliases")),
           )),
    Entity("tasks", lambda reg: reg.tasks, lambda reg, t: str(t.no), lambda reg, t: f"{t.no}. {t.title}",
           lambda reg, t: f"牵头：{show(t.lead)}" + (f"，截止 {t.due}" if t.due else ""), (
               Compared("title", "任务内容", attr("title")),
               Compared("type", "社区类型", lambda reg, t: _type_name(reg, t.type) or "所有类型",
                        lambda reg, t: _type_id(reg, t.type)),
               Compared("lead", "牵头单位", _units("lead")), Compared("support", "配合单位", _units("support")),
               Compared("start", "开始日期", attr("start")), Compared("due", "截止日期", attr("due")),
               Compared("recurrence", "周期", lambda reg, t: _recurrence(t.recurrence)),
               Compared("milestones", "节点", lambda reg, t: [_milestone(m) for m in t.milestones]),
               Compared("source", "出处", attr("source")),
           )),
    Entity("progress", lambda reg: reg.progress, lambda reg, p: f"{p.task}/{p.date}/{_unit(reg, p.unit)}",
           lambda reg, p: f"第 {p.task} 项任务 {p.date} {_unit(reg, p.unit)}",
           lambda reg, p: (p.note or "（无说明）") + ("；标志任务完成" if p.done else ""), (
               Compared("note", "进展说明", attr("note")), Compared("done", "标志任务完成", attr("done")),
           )),
    Entity("plans", lambda reg: [reg.plan_requirement] if reg.plan_requirement is not None else [],
           lambda reg, r: "requirement", lambda reg, r: f"报送要求：{r.title}",
           lambda reg, r: f"{r.due} 前报送{_unit(reg, r.receiver)}", (
               Compared("title", "方案名称", attr("title")), Compared("due", "报送截止日期", attr("due")),
               Compared("receiver", "接收单位", lambda reg, r: _unit(reg, r.receiver)),
               Compared("office", "接收科室", attr("office")), Compared("task", "对应任务", attr("task")),
           )),
    Entity("plans", lambda reg: reg.plans, lambda reg, p: p.community, lambda reg, p: _community_name(reg, p.community),
           lambda reg, p: f"{p.submitted} 报送，目标：{show(_targets(reg, p))}", (
               Compared("submitted", "报送日期", attr("submitted")), Compared("targets", "治理目标", _targets),
           )),
    Entity("evaluations", _evaluations, lambda reg, p: f"{p[0].year}/{p[1].community}",
           lambda reg, p: f"{p[0].year} 年 {_community_name(reg, p[1].community)}",
           lambda reg, p: _scores(reg, p[1]) + (f"；一票否决：{show(_vetoes(reg, p))}" if p[1].vetoes else ""), (
               Compared("vetoes", "一票否决事项", _vetoes),
               Compared("evaluator", "评议机构", lambda reg, p: p[1].evaluator or p[0].evaluator),
               Compared("date", "评议日期", lambda reg, p: p[1].date or p[0].date),
           ), declared=_stage_fields),
    Entity("remediation", lambda reg: reg.remediation,
           lambda reg, r: f"{r.year}/{r.community}/{r.measure}/{r.partner or _unit(reg, r.unit or '')}",
           lambda reg, r: f"{r.year} 年 {_community_name(reg, r.community)}：{r.measure}",
           lambda reg, r: f"{_community_name(reg, r.partner) if r.partner else _unit(reg, r.unit or '')}"
                          + (f"，{r.start or '?'} 至 {r.end or '?'}" if (r.start or r.end) else ""), (
               Compared("start", "开始日期", attr("start")), Compared("end", "结束日期", attr("end")),
           )),
)
