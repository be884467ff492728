"""What a change to the data means: compare two registries, like pip-tools' `diff(compiled, installed)`.

Pure: `diff(old, new)` takes two registries and returns `Changes`; it never reads files, runs git or
prints. Where the registries come from (two git revisions, a working tree) is `zhili.loading.revisions`.

What is compared is declared in `zhili.domain.diff_entities` (a new field is one more `Compared` entry
there); this module compares, adds the consequences (agreement with the classification rules,
designations recomputed on both sides) and holds the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from zhili.domain.diff_entities import ENTITIES, Entity, forget_names, show
from zhili.errors import ZhiliError

if TYPE_CHECKING:
    from zhili.model.registry import Registry

SECTIONS: dict[str, str] = {
    "scheme": "方案与评议规则", "types": "社区类型", "attributes": "分类属性", "standards": "配置标准",
    "communities": "社区", "units": "单位", "groups": "单位组", "tasks": "任务", "progress": "任务进展",
    "classification": "分类规则的计算结果", "plans": "一社区一策方案", "evaluations": "年度评议得分", "designations": "先进/后进评定（按新旧数据分别重新排队）",
    "remediation": "帮扶措施",
}
NOUNS: dict[str, str] = {  # the section's thing in a sentence: 新增社区“…”
    "scheme": "方案", "types": "社区类型", "attributes": "分类属性", "standards": "配置标准", "communities": "社区",
    "units": "单位", "groups": "单位组", "tasks": "任务", "progress": "进展记录", "plans": "方案报送",
    "classification": "规则计算",
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
    "classification": ("types", "communities"),
    "evaluations": ("evaluations", "communities"), "designations": ("types", "communities", "evaluations"),
    "remediation": ("remediation", "communities"),
}


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



# -- comparing ------------------------------------------------------------------------------------


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
        for f in entity.fields_for(old, new):
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
    return {f.field: f.get(reg, item) for f in entity.fields_for(reg, reg)}


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
        agrees, note = None, f"分类规则算不出类型：{result.reason}"
    elif recorded is not None and computed.id == recorded.id:
        agrees, note = True, "与分类规则一致"
    else:
        agrees, note = False, f"与分类规则不符：规则计算为{computed.name}"
    return replace(change, note=note, facts={"agrees_with_rules": agrees,
                                             "rule_type": computed.id if computed else None,
                                             "rule_type_label": computed.name if computed else None})


def _computed(old: Registry, new: Registry) -> list[Change]:
    """Communities whose type by the classification rules changed (rules, attributes or precedence changed)."""
    from zhili.domain.classify import classify

    before = {r.community.id: r.computed for r in classify(old)}
    out = []
    for r in classify(new):
        if r.community.id not in before:
            continue
        was, now = before[r.community.id], r.computed
        if (was.id if was else None) == (now.id if now else None):
            continue
        recorded = r.recorded
        if now is None:
            note = r.reason
        elif recorded is not None and recorded.id == now.id:
            note = "与登记类型一致"
        else:
            note = f"与登记类型（{recorded.name if recorded else '未登记'}）不符"
        out.append(Change("classification", "changed", r.community.id, f"{r.community.name}（{r.community.id}）",
                          "computed", "规则计算类型", was.name if was else None, now.name if now else None, note=note,
                          facts={"agrees_with_rules": None if now is None else bool(recorded and recorded.id == now.id)}))
    return out


def _street(change: Change, where: dict[str, str], old: Registry, new: Registry) -> Change:
    """An evaluation change with the community's street (reviewers read score changes street by street)."""
    from dataclasses import replace

    street = where.get(change.id.partition("/")[2])
    if street is None:
        return change
    unit = new.unit(street) or old.unit(street)
    return replace(change, facts={**change.facts, "street": unit.name if unit is not None else street})


def by_street(changes: Changes) -> list[tuple[str, int, int]]:
    """(street, score changes, of which after the evaluation date), most first."""
    counts: dict[str, list[int]] = {}
    for c in changes.changes:
        if c.section == "evaluations" and "street" in c.facts:
            n = counts.setdefault(c.facts["street"], [0, 0])
            n[0] += 1
            n[1] += bool(c.facts.get("after_evaluation"))
    return sorted(((s, n[0], n[1]) for s, n in counts.items()), key=lambda x: -x[1])


def _late(change: Change, when: date | None, as_of: date) -> Change:
    """A score changed after the evaluation it belongs to (`when`: its date; the ranking may have been published)."""
    from dataclasses import replace

    if when is None or as_of <= when:
        return replace(change, facts={**change.facts, "evaluated_on": when, "after_evaluation": False})
    return replace(change, note=f"在评议日期（{when.isoformat()}）之后修改",
                   facts={**change.facts, "evaluated_on": when, "after_evaluation": True})


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


def diff(old: Registry, new: Registry, unavailable: Iterable[str] = (), as_of: date | None = None) -> Changes:
    """Every change in meaning from `old` to `new`. `unavailable`: data file kinds that did not validate on
    either side; the sections read from them are skipped (and listed in `Changes.skipped`). `as_of`: when the
    new version was made (a commit's date); a score changed after its evaluation date is marked so."""
    missing = set(unavailable)
    skipped = [s for s, kinds in SOURCES.items() if missing & set(kinds)]
    changes: list[Change] = []
    try:
        result = _diff(old, new, skipped, changes)
        if as_of is not None:
            dates = {f"{y.year}/{e.community}": e.date or y.date for y in new.evaluations for e in y.evaluations}
            result.changes = [_late(c, dates.get(c.id), as_of) if c.section == "evaluations" and c.kind == "changed"
                              else c for c in result.changes]
        where = {c.id: c.street for c in old.communities} | {c.id: c.street for c in new.communities}
        result.changes = [_street(c, where, old, new) if c.section == "evaluations" else c for c in result.changes]
        return result
    finally:
        forget_names()


def _diff(old: Registry, new: Registry, skipped: list[str], changes: list[Change]) -> Changes:
    for entity in ENTITIES:
        if entity.section in skipped:
            continue
        for c in _compare(entity, old, new):
            changes.append(_with_rules(c, new) if c.kind == "reclassified" else c)
        if entity.section == "communities":
            changes += _attributes(old, new)
    if "classification" not in skipped and any(
            c.section in ("types", "attributes", "scheme") or c.field and c.field.startswith("attributes.")
            for c in changes):
        changes += _computed(old, new)
    if "designations" not in skipped:
        changes += _designations(old, new)
    return Changes(changes, skipped)
