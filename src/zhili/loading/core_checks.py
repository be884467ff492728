"""Cross-checks of the four required files: types, units, communities and tasks (their ids, names and
the references between them)."""

from __future__ import annotations

from typing import Iterable

from zhili.diagnostics import Diagnostic
from zhili.loading.checking import CheckContext, duplicate_pairs, duplicates, suggest
from zhili.loading.level_checks import community_unit_problem


def check_types(ctx: CheckContext) -> Iterable[Diagnostic]:
    reg = ctx.registry
    for field_name, label in (("id", "id"), ("name", "名称")):
        values = [getattr(t, field_name) for t in reg.types]
        for i in duplicates(values):
            yield ctx.diag("types", ("types", i, field_name), "ZL303", f"社区类型的{label}“{values[i]}”重复。",
                           "每个类型的 id 和名称都必须唯一。")
    cat_ids = [c.id for c in reg.categories]
    for i in duplicates(cat_ids):
        yield ctx.diag("types", ("categories", i, "id"), "ZL303", f"大类 id“{cat_ids[i]}”重复。", "每个大类的 id 必须唯一。")
    for i, t in enumerate(reg.types):
        if t.category is not None and t.category not in cat_ids:
            yield ctx.diag("types", ("types", i, "category"), "ZL306", f"类型“{t.name}”的大类“{t.category}”没有在 categories 中定义。",
                           f"可用的大类：{'、'.join(cat_ids) or '（无，请先在 categories 中定义）'}。")
        nos = [d.no for d in t.directions]
        for j in duplicates(nos):
            yield ctx.diag("types", ("types", i, "directions", j, "no"), "ZL303", f"类型“{t.name}”的方向序号 {nos[j]} 重复。",
                           "方向序号在同一类型内必须唯一。")


def check_units(ctx: CheckContext) -> Iterable[Diagnostic]:
    reg = ctx.registry
    owner: dict[str, str] = {}
    for i, u in enumerate(reg.units):
        for j, name in enumerate([u.name, *u.aliases]):
            path = ("units", i, "name") if j == 0 else ("units", i, "aliases", j - 1)
            if name in owner:
                yield ctx.diag("units", path, "ZL303", f"单位名称或别名“{name}”重复（已用于 {owner[name]}）。",
                               "每个名称只能指向一个单位。")
            else:
                owner[name] = u.name
    for i, g in enumerate(reg.groups):
        for j, name in enumerate([g.name, *g.aliases]):
            path = ("groups", i, "name") if j == 0 else ("groups", i, "aliases", j - 1)
            if name in owner:
                yield ctx.diag("units", path, "ZL303", f"单位组名称“{name}”与单位或其他组重名（{owner[name]}）。",
                               "组名不能与单位名称相同。")
            else:
                owner[name] = g.name
        for j, m in enumerate(g.members):
            if reg.unit(m) is None:
                yield ctx.diag("units", ("groups", i, "members", j), "ZL302", f"单位组“{g.name}”的成员“{m}”不在单位列表中。",
                               suggest(m, [u.name for u in reg.units]) or "先在 units 中添加这个单位。")


def check_communities(ctx: CheckContext) -> Iterable[Diagnostic]:
    if not ctx.has("communities"):
        return
    reg = ctx.registry
    ids = [c.id for c in reg.communities]
    for i, j in duplicate_pairs(ids):  # both places: in a folder registry they may be in two files
        yield ctx.diag("communities", ("communities", i, "id"), "ZL303",
                       f"社区 id“{ids[i]}”重复：{ctx.place('communities', ('communities', j, 'id'))}已有。", "每个社区的 id 必须唯一。")
    keys = [(c.street, c.name) for c in reg.communities]
    label, level = reg.community_label, reg.level_label()
    for i, j in duplicate_pairs(keys):
        yield ctx.diag("communities", ("communities", i, "name"), "ZL303",
                       f"{keys[i][0]}已有名为“{keys[i][1]}”的{label}（{ctx.place('communities', ('communities', j, 'name'))}）。",
                       f"同一{level}内{label}名称必须唯一。")
    lowest = [u.name for u in reg.lowest_level_units()]
    type_keys = [t.name for t in reg.types]
    has_types = ctx.has("types")
    type_of, unit = reg.type_of, reg.unit
    fits: dict[str, bool] = {}  # street → whether its unit is one communities belong to (judged once per street)
    for i, c in enumerate(reg.communities):
        if c.type is not None and has_types and type_of(c.type) is None:
            yield ctx.diag("communities", ("communities", i, "type"), "ZL301", f"{label}“{c.name}”的类型“{c.type}”不存在。",
                           suggest(c.type, type_keys) or f"可用的类型：{'、'.join(type_keys)}。")
        street = c.street
        if unit(street) is None:
            yield ctx.diag("communities", ("communities", i, "street"), "ZL304",
                           f"{label}“{c.name}”的所属{level}“{street}”不在单位列表中。",
                           suggest(street, lowest) or f"可用的{level}：{'、'.join(lowest[:20]) or '（无）'}。")
        elif has_types and fits.get(street) is not True:
            problem = community_unit_problem(ctx, i)
            fits[street] = problem is None
            if problem is not None:
                yield problem


def check_tasks(ctx: CheckContext) -> Iterable[Diagnostic]:
    if not ctx.has("tasks"):
        return
    reg = ctx.registry
    nos = [t.no for t in reg.tasks]
    for i in duplicates(nos):
        yield ctx.diag("tasks", ("tasks", i, "no"), "ZL303", f"任务序号 {nos[i]} 重复。", "台账序号必须唯一。")
    names = [u.name for u in reg.units] + [a for u in reg.units for a in u.aliases] + [g.name for g in reg.groups]
    type_keys = [t.name for t in reg.types]
    for i, t in enumerate(reg.tasks):
        if t.type is not None and reg.type_of(t.type) is None and ctx.has("types"):
            yield ctx.diag("tasks", ("tasks", i, "type"), "ZL301", f"任务 {t.no} 的类型“{t.type}”不存在。",
                           suggest(t.type, type_keys) or f"可用的类型：{'、'.join(type_keys)}。")
        for role, label in (("lead", "牵头单位"), ("support", "配合单位")):
            for j, name in enumerate(getattr(t, role)):
                if not reg.resolves(name):
                    yield ctx.diag("tasks", ("tasks", i, role, j), "ZL302", f"任务 {t.no} 的{label}“{name}”不在单位列表中。",
                                   suggest(name, names) or "先在 units.yaml 中添加这个单位，或把它写成已有单位的别名。")
        if t.start is not None and t.due is not None and t.due < t.start:
            yield ctx.diag("tasks", ("tasks", i, "due"), "ZL402", f"任务 {t.no} 的截止日期 {t.due} 早于开始日期 {t.start}。",
                           "检查两个日期是否写反。")
