"""Cross-checks of the administrative levels (types.yaml `levels`), the units placed at them (units.yaml
`level`, `parent`, `kind`), groups that stand for a level, and the unit each community belongs to."""

from __future__ import annotations

from typing import Iterable

from zhili.diagnostics import Diagnostic
from zhili.loading.checking import CheckContext
from zhili.loading.checking import duplicates as _duplicates
from zhili.loading.checking import suggest as _suggest


def check_levels(ctx: CheckContext) -> Iterable[Diagnostic]:
    """types.yaml: level ids and names are unique (a repeated level would make the order go round)."""
    if not ctx.registry.levels_declared:
        return
    levels = ctx.registry.levels
    ids = [lv.id for lv in levels]
    for i in _duplicates(ids):
        first = ids.index(ids[i])
        yield ctx.diag("types", ("levels", i, "id"), "ZL320",
                       f"层级“{ids[i]}”出现了两次（第 {first + 1} 个和第 {i + 1} 个），层级次序成了循环。",
                       "levels 自上而下每个层级只写一次；同一层级的不同叫法写在 name 里，如 街道（镇）。")
    names = [lv.name for lv in levels]
    for i in _duplicates(names):
        yield ctx.diag("types", ("levels", i, "name"), "ZL321", f"层级名称“{names[i]}”重复。",
                       "每个层级的名称用作表头，必须各不相同。")


def check_unit_levels(ctx: CheckContext) -> Iterable[Diagnostic]:
    """units.yaml: kinds are declared, levels exist, parents are units of the level just above, and a group
    means either its members or one level's units."""
    reg = ctx.registry
    kinds = list(reg.vocabularies.unit_kinds) if reg.vocabularies is not None and ctx.has("types") else []
    ids = [lv.id for lv in reg.levels]
    declared = "、".join(f"{lv.id}（{lv.name}）" for lv in reg.levels)
    populated = {u.level for u in reg.units if u.level in ids}
    unknown = units_of_unknown_level(reg)
    for i, u in enumerate(reg.units):
        if kinds and u.kind not in kinds:
            yield ctx.diag("units", ("units", i, "kind"), "ZL371", f"单位“{u.name}”的性质“{u.kind}”不在 types.yaml 声明的单位性质中。",
                           _suggest(u.kind, kinds) or f"可用的单位性质：{'、'.join(kinds)}；"
                           "其他性质（如 区、县、乡、管委会）先写进 types.yaml 的 vocabularies.unit_kinds。")
        if u.level is not None and u.level not in ids:
            if ctx.has("types"):
                yield ctx.diag("units", ("units", i, "level"), "ZL322", f"单位“{u.name}”的层级“{u.level}”没有在 types.yaml 的 levels 中声明。",
                               _suggest(u.level, ids) or f"声明的层级：{declared}。")
            continue
        if levels_sound(reg):
            yield from _parent_problems(ctx, i, populated, unknown)
    for i, g in enumerate(reg.groups):
        yield from _group_problems(ctx, i, ids, declared, unknown)


def _parent_problems(ctx: CheckContext, i: int, populated: set[str | None], unknown: set[str]) -> Iterable[Diagnostic]:
    reg = ctx.registry
    u = reg.units[i]
    ids = [lv.id for lv in reg.levels]
    place = ids.index(u.level) if u.level is not None else None
    above = reg.levels[place - 1] if place else None
    if u.parent is None:
        if above is not None and above.id in populated:
            yield ctx.diag("units", ("units", i, "name"), "ZL323",
                           f"单位“{u.name}”在“{reg.levels[place].name}”一级，但没有写上级单位（parent）。",
                           f"写 parent: 一个“{above.name}”一级的单位，如 {next(x.name for x in reg.units if x.level == above.id)}。")
        return
    parent = reg.unit(u.parent)
    if parent is None:
        candidates = [x.name for x in reg.units if above is not None and x.level == above.id]
        yield ctx.diag("units", ("units", i, "parent"), "ZL324", f"单位“{u.name}”的上级单位“{u.parent}”不在单位列表中。",
                       _suggest(u.parent, candidates or [x.name for x in reg.units]) or "先在 units 中添加这个单位。")
        return
    if parent.name in unknown:
        return  # the parent's level is the mistake (ZL322, or ZL325 on the parent): its units are not judged by it
    if above is None or parent.level != above.id:
        where = "不在任何层级中" if parent.level is None else f"在“{_level_name(reg, parent.level)}”一级"
        if u.level is None:
            hint = "不在层级中的单位（部门）不写 parent；要放进层级，先写 level。"
        elif above is None:
            hint = f"“{reg.levels[place].name}”是最高层级，它的单位没有上级：删去 parent。"
        else:
            hint = f"上级单位须是“{above.name}”一级的单位。"
        yield ctx.diag("units", ("units", i, "parent"), "ZL325",
                       f"单位“{u.name}”的上级单位“{parent.name}”{where}，不是上一层级的单位。", hint)


def _group_problems(ctx: CheckContext, i: int, ids: list[str], declared: str, unknown: set[str]) -> Iterable[Diagnostic]:
    reg = ctx.registry
    g = reg.groups[i]
    if g.level is None:
        if g.within is not None:
            yield ctx.diag("units", ("groups", i, "within"), "ZL327", f"单位组“{g.name}”写了 within，但没有写 level。",
                           "within 与 level 同用，表示“某单位下属的某一层级的全部单位”；逐个列出成员时不写 within。")
        elif not g.members:
            yield ctx.diag("units", ("groups", i, "name"), "ZL327", f"单位组“{g.name}”既没有成员（members），也没有层级（level）。",
                           "写 members: [单位, ...]，或写 level: 层级 id 表示该层级的全部单位。")
        return
    if g.members:
        yield ctx.diag("units", ("groups", i, "level"), "ZL327", f"单位组“{g.name}”同时写了 members 和 level。",
                       "二者选一：逐个列出成员，或用 level（可加 within）表示一个层级的全部单位。")
        return
    if g.level not in ids:
        if ctx.has("types"):
            yield ctx.diag("units", ("groups", i, "level"), "ZL327", f"单位组“{g.name}”的层级“{g.level}”没有在 types.yaml 的 levels 中声明。",
                           _suggest(g.level, ids) or f"声明的层级：{declared}。")
        return
    if g.within is None:
        return
    within = reg.unit(g.within)
    if within is None:
        yield ctx.diag("units", ("groups", i, "within"), "ZL327", f"单位组“{g.name}”的 within“{g.within}”不在单位列表中。",
                       _suggest(g.within, [u.name for u in reg.units]) or "within 写一个上级层级的单位名称。")
        return
    if within.name in unknown:
        return  # the level of the unit it is within is the mistake, reported on that unit
    if within.level not in ids or ids.index(within.level) >= ids.index(g.level):
        yield ctx.diag("units", ("groups", i, "within"), "ZL327",
                       f"单位组“{g.name}”的 within“{within.name}”不在“{_level_name(reg, g.level)}”以上的层级，下面没有这一级的单位。",
                       f"within 写一个比“{_level_name(reg, g.level)}”高的层级的单位。")


def check_level_groups(ctx: CheckContext) -> Iterable[Diagnostic]:
    """types.yaml: a level's `group` name is not also a unit or a group of units.yaml."""
    reg = ctx.registry
    if not reg.levels_declared:
        return
    for i, lv in enumerate(reg.levels):
        if lv.group is not None and (reg.unit(lv.group) is not None or reg.group(lv.group) is not None):
            yield ctx.diag("types", ("levels", i, "group"), "ZL303", f"层级“{lv.name}”的合称“{lv.group}”与 units.yaml 中的单位或单位组重名。",
                           "合称不能与单位或单位组同名；删去其中一个。")
    seen: dict[str, int] = {}
    for i, lv in enumerate(reg.levels):
        if lv.group is not None:
            if lv.group in seen:
                yield ctx.diag("types", ("levels", i, "group"), "ZL303", f"层级的合称“{lv.group}”重复。", "每个合称只能指一个层级。")
            seen.setdefault(lv.group, i)


def units_of_unknown_level(reg) -> set[str]:
    """Names of the units whose level is unknown: a level not declared in types.yaml (ZL322), or no level
    but a parent (ZL325 on the unit itself says to write its level). That mistake is reported once, on the
    unit; what hangs on the unit's level (units naming it as parent, a group within it, a scope or a ledger
    name covering the units below it) is not judged, so one typo does not surface as many errors."""
    ids = {lv.id for lv in reg.levels}
    return {u.name for u in reg.units
            if (u.level is not None and u.level not in ids) or (u.level is None and u.parent is not None and reg.levels_declared)}


def covers_unknown_level(reg, name: str, unknown: set[str]) -> bool:
    """Whether what `name` (a unit, a group, a level's group name) covers depends on a unit whose level is
    unknown: the unit itself or a unit written below it (by `parent`), a group's member or `within`, or, for
    a group by level, any such unit (it may be meant to sit at that level)."""
    if not unknown:
        return False
    unit = reg.unit(name)
    group = reg.group(name) if unit is None else None
    if unit is None and group is None:
        return reg.level_group(name) is not None
    if group is not None and group.level is not None and group.within is None:
        return True
    named = [unit.name] if unit is not None else [
        m.name for m in (reg.unit(x) for x in [*group.members, *([group.within] if group.within else [])]) if m is not None]
    children: dict[str, list[str]] = {}
    for u in reg.units:
        parent = reg.unit(u.parent) if u.parent is not None else None
        if parent is not None:
            children.setdefault(parent.name, []).append(u.name)
    seen: set[str] = set()
    while named:
        current = named.pop()
        if current in unknown:
            return True
        if current not in seen:
            seen.add(current)
            named.extend(children.get(current, ()))
    return False


def under_unknown_level(reg, name: str, unknown: set[str]) -> bool:
    """Whether `name` stands for a unit whose level, or the level of a unit written above it (by `parent`), is
    unknown, so that whether it belongs to a group by level cannot be judged (for a group: any member; for a
    group by level: any unit of unknown level)."""
    if not unknown:
        return False
    unit = reg.unit(name)
    if unit is not None:
        seen: set[str] = set()
        while unit is not None and unit.name not in seen:
            if unit.name in unknown:
                return True
            seen.add(unit.name)
            unit = reg.unit(unit.parent) if unit.parent is not None else None
        return False
    group = reg.group(name)
    if group is not None and group.level is None:
        return any(reg.unit(m) is not None and under_unknown_level(reg, m, unknown) for m in group.members)
    return group is not None or reg.level_group(name) is not None


def by_level(reg, name: str) -> bool:
    """Whether a ledger name stands for the units of a level (a group with `level`, or a level's group name)."""
    if reg.unit(name) is not None:
        return False
    group = reg.group(name)
    return group.level is not None if group is not None else reg.level_group(name) is not None


def levels_sound(reg) -> bool:
    """Level ids are unique: otherwise the order of levels is the mistake (ZL320), and what hangs on it
    (parents, the lowest level) is not judged."""
    ids = [lv.id for lv in reg.levels]
    return len(ids) == len(set(ids))


def community_unit_problem(ctx: CheckContext, i: int) -> Diagnostic | None:
    """A community attached to a unit that is not of the lowest level (ZL326); None when it is."""
    reg = ctx.registry
    if not levels_sound(reg):
        return None
    c = reg.communities[i]
    unit = reg.unit(c.street)
    lowest = reg.lowest_level()
    if unit is None or lowest is None or reg.level_of(unit) is lowest:
        return None
    if unit.name in units_of_unknown_level(reg):
        return None  # the unit's level is the mistake (ZL322, or ZL325 on the unit), reported in units.yaml
    at = reg.level_of(unit)
    where = f"是“{at.name}”一级的单位" if at is not None else "不在任何层级中"
    below = [u.name for u in reg.descendants(unit) if reg.level_of(u) is lowest][:5]
    hint = (f"{reg.community_label}属于最低层级“{lowest.name}”的单位，如 {'、'.join(below)}。" if below
            else f"{reg.community_label}属于最低层级“{lowest.name}”的单位；或在 units.yaml 中给这个单位写 level: {lowest.id}。")
    return ctx.diag("communities", ("communities", i, "street"), "ZL326",
                    f"{reg.community_label}“{c.name}”的所属单位“{unit.name}”{where}，不是“{lowest.name}”。", hint)


def _level_name(reg, level_id: str | None) -> str:
    found = reg.level(level_id)
    return found.name if found is not None else str(level_id)
