"""What a change to the data means: compare two registries, like pip-tools' `diff(compiled, installed)`.

Pure: `diff(old, new)` takes two registries and returns `Changes`; it never reads files, runs git or
prints. Where the registries come from (two git revisions, a working tree) is `zhili.loading.revisions`.

Each compared kind of thing is an `Entity`: how to list it, its identity, its name, a one-line summary
for additions and removals, and the `Compared` fields. A new field in the model is one more `Compared`
entry in its entity's `fields`; a new kind of thing is one more `Entity` in `ENTITIES`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Iterable

from zhili.errors import ZhiliError
from zhili.model.behaviour import STAGES

if TYPE_CHECKING:
    from zhili.model.registry import Registry

SECTIONS: dict[str, str] = {
    "scheme": "方案与评议规则", "types": "社区类型", "attributes": "分类属性", "standards": "配置标准",
    "communities": "社区", "units": "单位", "groups": "单位组", "tasks": "任务", "progress": "任务进展",
    "plans": "一社区一策方案", "evaluations": "年度评议得分", "designations": "先进/后进评定（按新旧数据分别重新排队）",
    "remediation": "帮扶措施",
}
NOUNS: dict[str, str] = {  # the section's thing in a sentence: 新增社区“…”
    "scheme": "方案", "types": "社区类型", "attributes": "分类属性", "standards": "配置标准", "communities": "社区",
    "units": "单位", "groups": "单位组", "tasks": "任务", "progress": "进展记录", "plans": "方案报送",
    "evaluations": "评议记录", "designations": "评定", "remediation": "帮扶措施",
}
KINDS: dict[str, str] = {"added": "新增", "removed": "删除", "changed": "修改", "renamed": "更名", "reclassified": "改变类型"}

# The data file kinds (zhili.loading.layout) a section is read from: when one of them did not validate on
# either side, the section is not compared (a file that failed contributes nothing, which would read as
# "everything removed").
SOURCES: dict[str, tuple[str, ...]] = {
    "scheme": ("types",), "types": ("types",), "attributes": ("types",), "standards": ("types",),
    "communities": ("communities", "types", "units"), "units": ("units",), "groups": ("units",),
    "tasks": ("tasks", "types", "units"), "progress": ("progress", "units"), "plans": ("plans", "communities"),
    "evaluations": ("evaluations", "communities"), "designations": ("types", "communities", "evaluations"),
    "remediation": ("remediation", "communities"),
}


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


@dataclass(frozen=True)
class Change:
    """One change in meaning. `old`/`new` are plain values; for additions and removals, the thing itself."""

    section: str
    kind: str
    id: str
    name: str
    field: str | None = None
    label: str | None = None  # Chinese name of the field
    old: Any = None
    new: Any = None
    summary: str | None = None  # what was added or removed, in one line
    note: str | None = None  # a consequence, e.g. whether a reclassification agrees with the rules
    facts: dict[str, Any] = dc_field(default_factory=dict)

    @property
    def detail(self) -> str:
        if self.kind in ("added", "removed"):
            text = self.summary or ""
        else:
            text = f"{self.label}：{show(self.old)} → {show(self.new)}"
        return text + (f"；{self.note}" if self.note else "")

    @property
    def text(self) -> str:
        """The change as one Chinese sentence (what the text and markdown formats show)."""
        return f"{KINDS[self.kind]}{NOUNS[self.section]}“{self.name}”：{self.detail}"

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "section_label": SECTIONS[self.section], "kind": self.kind,
                "kind_label": KINDS[self.kind], "id": self.id, "name": self.name, "field": self.field,
                "field_label": self.label, "old": self.old, "new": self.new, "summary": self.summary, "note": self.note,
                "detail": self.detail,
                "text": self.text, **self.facts}


@dataclass
class Changes:
    changes: list[Change]
    skipped: list[str] = dc_field(default_factory=list)  # sections not compared: a side's file did not validate

    def __bool__(self) -> bool:
        return bool(self.changes)

    def by_section(self) -> list[tuple[str, list[Change]]]:
        return [(s, found) for s in SECTIONS if (found := [c for c in self.changes if c.section == s])]


# -- what is compared ------------------------------------------------------------------------------

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


def _scores(rec: Any) -> str:
    return "，".join(f"{label} {show(getattr(rec, key))}" for key, label in STAGES)


def _weights(reg: Registry, rules: Any) -> str:
    return "，".join(f"{label} {show(getattr(rules.weights, key))}" for key, label in STAGES)


def _evaluations(reg: Registry) -> Iterable[tuple[Any, Any]]:
    return ((y, e) for y in reg.evaluations for e in y.evaluations)


def _targets(reg: Registry, p: Any) -> list[str]:
    return [f"{t.name} {show(t.value)}{t.unit or ''}" + (f"（{t.year} 年）" if t.year else "") for t in p.targets]


def _vetoes(reg: Registry, pair: Any) -> list[str]:
    return [f"{v.item}（{v.reason}）" for v in pair[1].vetoes]


def _coverage_targets(reg: Registry) -> list[Any]:
    return list(reg.scheme.coverage.targets) if reg.scheme.coverage is not None else []


ENTITIES: tuple[Entity, ...] = (
    Entity("scheme", lambda reg: [reg.scheme], lambda reg, s: "scheme", lambda reg, s: s.name,
           lambda reg, s: f"{s.jurisdiction}《{s.title}》", (
               Compared("name", "方案简称", attr("name")), Compared("jurisdiction", "适用地域", attr("jurisdiction")),
               Compared("title", "方案标题", attr("title")), Compared("document", "发文字号", attr("document")),
               Compared("issuer", "发文机关", attr("issuer")), Compared("date", "成文日期", attr("date")),
               Compared("ranking_rule", "排队评定规则", attr("ranking_rule")),
               Compared("dimensions", "治理需求维度", attr("dimensions")),
               Compared("precedence", "分类优先顺序", lambda reg, s: [_type_name(reg, k) for k in reg.precedence],
                        lambda reg, s: [_type_id(reg, k) for k in reg.precedence]),
               Compared("coverage.min_pilots_per_led_type", "每个牵头类型最少试点社区数",
                        lambda reg, s: s.coverage.min_pilots_per_led_type if s.coverage else None),
           )),
    Entity("scheme", lambda reg: _coverage_targets(reg), lambda reg, t: f"coverage/{t.by}",
           lambda reg, t: f"试点覆盖目标（{t.by} 前）", lambda reg, t: f"试点社区占比不低于 {t.share:.0%}", (
               Compared("share", "最低比例", attr("share")), Compared("source", "原文表述", attr("source")),
           )),
    Entity("scheme", lambda reg: [reg.evaluation] if reg.evaluation is not None else [], lambda reg, r: "evaluation",
           lambda reg, r: "年度评议规则", lambda reg, r: f"权重：{_weights(reg, r)}；每类先进 {r.advanced} 个、后进 {r.lagging} 个", (
               Compared("weights", "权重", _weights, lambda reg, r: plain(r.weights)),
               Compared("advanced", "每类先进个数", attr("advanced")), Compared("lagging", "每类后进个数", attr("lagging")),
               Compared("years", "按年度调整的规则", attr("years")),
           )),
    Entity("types", lambda reg: reg.types, lambda reg, t: t.id, lambda reg, t: t.name,
           lambda reg, t: f"{t.name}（{t.id}）" + (f"，治理目标：{t.goal}" if t.goal else ""), (
               Compared("name", "名称", attr("name"), kind="renamed"), Compared("category", "大类", attr("category")),
               Compared("definition", "定义", attr("definition")), Compared("goal", "治理目标", attr("goal")),
               Compared("main_line", "主线", attr("main_line")),
               Compared("directions", "重点治理方向", lambda reg, t: [d.title for d in t.directions],
                        lambda reg, t: plain(t.directions)),
               Compared("rule", "分类规则", attr("rule")),
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
               Compared("street", "街道", lambda reg, c: _unit(reg, c.street)),
               Compared("type", "类型", lambda reg, c: _type_name(reg, c.type), lambda reg, c: _type_id(reg, c.type),
                        kind="reclassified"),
               Compared("pilot_start", "试点开始日期", attr("pilot_start")),
           )),
    Entity("units", lambda reg: reg.units, lambda reg, u: u.name, lambda reg, u: u.name,
           lambda reg, u: u.kind + (f"，别名 {show(u.aliases)}" if u.aliases else ""), (
               Compared("kind", "单位性质", attr("kind")), Compared("aliases", "别名", attr("aliases")),
               Compared("leads", "牵头共建的类型", lambda reg, u: [_type_name(reg, t) for t in u.leads],
                        lambda reg, u: [_type_id(reg, t) for t in u.leads]),
           )),
    Entity("groups", lambda reg: reg.groups, lambda reg, g: g.name, lambda reg, g: g.name,
           lambda reg, g: f"成员：{show(g.members)}", (
               Compared("members", "成员单位", lambda reg, g: [_unit(reg, m) for m in g.members]),
               Compared("aliases", "别名", attr("aliases")),
           )),
    Entity("tasks", lambda reg: reg.tasks, lambda reg, t: str(t.no), lambda reg, t: f"{t.no}. {t.title}",
           lambda reg, t: f"牵头：{show(t.lead)}" + (f"，截止 {t.due}" if t.due else ""), (
               Compared("title", "任务内容", attr("title")),
               Compared("type", "社区类型", lambda reg, t: _type_name(reg, t.type) or "所有类型",
                        lambda reg, t: _type_id(reg, t.type)),
               Compared("lead", "牵头单位", _units("lead")), Compared("support", "配合单位", _units("support")),
               Compared("start", "开始日期", attr("start")), Compared("due", "截止日期", attr("due")),
               Compared("recurrence", "周期", attr("recurrence")), Compared("source", "出处", attr("source")),
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
           lambda reg, p: _scores(p[1]) + (f"；一票否决：{show(_vetoes(reg, p))}" if p[1].vetoes else ""), (
               *(Compared(key, label, lambda reg, p, key=key: getattr(p[1], key)) for key, label in STAGES),
               Compared("vetoes", "一票否决事项", _vetoes),
               Compared("evaluator", "评议机构", lambda reg, p: p[1].evaluator or p[0].evaluator),
               Compared("date", "评议日期", lambda reg, p: p[1].date or p[0].date),
           )),
    Entity("remediation", lambda reg: reg.remediation,
           lambda reg, r: f"{r.year}/{r.community}/{r.measure}/{r.partner or _unit(reg, r.unit or '')}",
           lambda reg, r: f"{r.year} 年 {_community_name(reg, r.community)}：{r.measure}",
           lambda reg, r: f"{_community_name(reg, r.partner) if r.partner else _unit(reg, r.unit or '')}"
                          + (f"，{r.start or '?'} 至 {r.end or '?'}" if (r.start or r.end) else ""), (
               Compared("start", "开始日期", attr("start")), Compared("end", "结束日期", attr("end")),
           )),
)


def _index(entity: Entity, reg: Registry) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in entity.items(reg):
        key = entity.key(reg, item)
        n, unique = 1, key
        while unique in out:  # the same key twice (e.g. two progress entries on one day): keep both
            n += 1
            unique = f"{key}#{n}"
        out[unique] = item
    return out


def _compare(entity: Entity, old: Registry, new: Registry) -> list[Change]:
    before, after = _index(entity, old), _index(entity, new)
    out: list[Change] = []
    for key, item in after.items():
        if key not in before:
            out.append(Change(entity.section, "added", key, entity.name(new, item), new=_fields(entity, new, item),
                              summary=entity.summary(new, item)))
            continue
        was = before[key]
        for f in entity.fields:
            ident = f.ident or f.get
            if ident(old, was) != ident(new, item):
                out.append(Change(entity.section, f.kind, key, entity.name(new, item), f.field, f.label,
                                  f.get(old, was), f.get(new, item)))
    for key, item in before.items():
        if key not in after:
            out.append(Change(entity.section, "removed", key, entity.name(old, item), old=_fields(entity, old, item),
                              summary=entity.summary(old, item)))
    return out


def _fields(entity: Entity, reg: Registry, item: Any) -> dict[str, Any]:
    return {f.field: f.get(reg, item) for f in entity.fields}


# -- consequences ---------------------------------------------------------------------------------


def _attributes(old: Registry, new: Registry) -> list[Change]:
    """Changed attribute values of communities present on both sides (one change per attribute)."""
    before = {c.id: c for c in old.communities}
    labels = {a.name: a.label for a in old.attributes} | {a.name: a.label for a in new.attributes}
    out = []
    for c in new.communities:
        was = before.get(c.id)
        if was is None:
            continue
        for key in dict.fromkeys([*was.attributes, *c.attributes]):
            a, b = was.attributes.get(key), c.attributes.get(key)
            if a != b:
                out.append(Change("communities", "changed", c.id, f"{c.name}（{c.id}）", f"attributes.{key}",
                                  f"{labels.get(key, key)}", a, b))
    return out


def _with_rules(change: Change, new: Registry) -> Change:
    """A reclassification, with whether the new type agrees with the classification rules of the new data."""
    from dataclasses import replace

    from zhili.domain.classify import classify_community

    community = next((c for c in new.communities if c.id == change.id), None)  # once per reclassification
    if community is None:
        return change
    result = classify_community(new, community)
    computed = result.computed
    recorded = new.type_of(community.type)
    if computed is None:
        agrees, note = None, f"分类规则无法判断（{result.reason}）"
    elif recorded is not None and computed.id == recorded.id:
        agrees, note = True, "与分类规则一致"
    else:
        agrees, note = False, f"与分类规则不符：规则计算为{computed.name}"
    return replace(change, note=note, facts={"agrees_with_rules": agrees,
                                             "rule_type": computed.id if computed else None,
                                             "rule_type_label": computed.name if computed else None})


@dataclass(frozen=True)
class Standing:
    type: str
    rank: int | None
    score: float | None
    designation: str | None  # advanced / lagging / None
    pending: str | None

    @property
    def label(self) -> str:
        from zhili.domain.ranking import Designation

        if self.designation is not None:
            text = Designation(self.designation).label
        elif self.pending is not None:
            text = f"待定{Designation(self.pending).label}"
        elif self.rank is None:
            return "未评"
        else:
            text = "无评定"
        return f"{text}（{self.type}第 {self.rank} 名）" if self.rank is not None else f"{text}（{self.type}未评）"


def standings(reg: Registry) -> dict[tuple[int, str], Standing]:
    """(year, community id) -> where the community stands, ranking every year with evaluations afresh."""
    from zhili.domain import ranking

    out: dict[tuple[int, str], Standing] = {}
    for year in ranking.years(reg):
        try:
            rankings = ranking.rank_year(reg, year, previous=False)
        except ZhiliError:  # no rules or no records that year: nothing ranked
            continue
        for r in rankings:
            for e in r.entries:
                out[(year, e.community.id)] = Standing(
                    r.type.name, e.rank, e.score, e.designation.value if e.designation else None,
                    e.pending.value if e.pending else None)
    return out


def _designations(old: Registry, new: Registry) -> list[Change]:
    before, after = standings(old), standings(new)
    names = {c.id: f"{c.name}（{c.id}）" for c in old.communities} | {c.id: f"{c.name}（{c.id}）" for c in new.communities}
    out = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        da = (a.designation, a.pending) if a else (None, None)
        db = (b.designation, b.pending) if b else (None, None)
        if da == db:
            continue
        year, cid = key
        out.append(Change("designations", "changed", f"{year}/{cid}", f"{year} 年 {names.get(cid, cid)}", "designation",
                          "评定", a.label if a else "未参加排队", b.label if b else "未参加排队",
                          facts={"year": year, "old_designation": da[0], "new_designation": db[0],
                                 "old_pending": da[1], "new_pending": db[1],
                                 "old_rank": a.rank if a else None, "new_rank": b.rank if b else None,
                                 "old_score": a.score if a else None, "new_score": b.score if b else None}))
    return out


def diff(old: Registry, new: Registry, unavailable: Iterable[str] = ()) -> Changes:
    """Every change in meaning from `old` to `new`. `unavailable`: data file kinds that did not validate on
    either side; the sections read from them are skipped (and listed in `Changes.skipped`)."""
    missing = set(unavailable)
    skipped = [s for s, kinds in SOURCES.items() if missing & set(kinds)]
    changes: list[Change] = []
    try:
        return _diff(old, new, skipped, changes)
    finally:
        _NAMES.clear()


def _diff(old: Registry, new: Registry, skipped: list[str], changes: list[Change]) -> Changes:
    for entity in ENTITIES:
        if entity.section in skipped:
            continue
        for c in _compare(entity, old, new):
            changes.append(_with_rules(c, new) if c.kind == "reclassified" else c)
        if entity.section == "communities":
            changes += _attributes(old, new)
    if "designations" not in skipped:
        changes += _designations(old, new)
    return Changes(changes, skipped)
