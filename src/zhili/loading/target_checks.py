"""Cross-checks for programmes and targets (types.yaml) and the programmes communities take part in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from zhili.diagnostics import Diagnostic
from zhili.loading.checking import suggest

if TYPE_CHECKING:
    from zhili.loading.checking import CheckContext

SCOPES = "whole（整个辖区）、each（某一层级的每个单位）、per_value（某一维度的每个取值）"


def check_targets(ctx: "CheckContext") -> Iterable[Diagnostic]:
    yield from _programmes(ctx)
    yield from _targets(ctx)
    if ctx.has("communities"):
        yield from _memberships(ctx)


def _programmes(ctx: "CheckContext") -> Iterable[Diagnostic]:
    seen: set[str] = set()
    for i, p in enumerate(getattr(ctx.files["types"].model, "programmes", None) or []):
        if p.id in seen:
            yield ctx.diag("types", ("programmes", i, "id"), "ZL354", f"项目标识“{p.id}”重复。",
                           "每个项目只声明一次；两个不同的项目用不同的 id。")
        seen.add(p.id)


def _targets(ctx: "CheckContext") -> Iterable[Diagnostic]:
    reg = ctx.registry
    if not reg.targets:  # nothing to check (and no need to import the coverage module)
        return
    from zhili.domain.coverage import declared_dimensions, declared_levels, timeline_key

    programmes = [p.id for p in reg.programmes]
    levels = declared_levels(reg)
    level_ids = [key for key, _ in levels]
    dimensions = declared_dimensions(reg)
    ids: set[str] = set()
    deadlines: dict[tuple[object, ...], object] = {}
    for i, t in enumerate(reg.targets):
        at = ("targets", i)
        if t.id in ids:
            yield ctx.diag("types", (*at, "id"), "ZL357", f"目标标识“{t.id}”重复。", "每个目标用不同的 id，如 pilot-2022、pilot-2023。")
        ids.add(t.id)
        if reg.programme(t.programme) is None:
            yield ctx.diag("types", (*at, "programme"), "ZL350", f"目标“{t.id}”的项目“{t.programme}”没有声明。",
                           (suggest(t.programme, programmes) or "") + f"已声明的项目：{'、'.join(programmes)}；"
                           "新的项目先在 types.yaml 顶层的 programmes 中声明（id 和 name）。")
        if t.share is not None and t.count is not None:
            yield ctx.diag("types", (*at, "count"), "ZL352", f"目标“{t.id}”同时写了比例 share 和个数 count。",
                           "一个目标只写其中一个：比例（如 share: 0.3）或个数（如 count: 200）；两者都要求时写成两个目标。")
        elif t.share is None and t.count is None:
            yield ctx.diag("types", at, "ZL352", f"目标“{t.id}”既没有比例 share，也没有个数 count。",
                           "写上其中一个：比例（如 share: 0.3，即 30%）或个数（如 count: 200）。")
        if t.share is not None and not 0 < t.share <= 1:
            yield ctx.diag("types", (*at, "share"), "ZL351", f"目标“{t.id}”的比例 {t.share:g} 不在 0 到 1 之间。",
                           "比例写成小数，大于 0、不超过 1：30% 写 0.3。")
        if t.count is not None and t.count < 1:
            yield ctx.diag("types", (*at, "count"), "ZL351", f"目标“{t.id}”的个数 {t.count} 小于 1。",
                           "个数是至少要有多少个社区参加项目，写 1 或更大的整数，如 count: 200。")
        yield from _scope(ctx, i, t, level_ids, dimensions)
        if t.min_per_led_type is not None and t.scope != "each":
            yield ctx.diag("types", (*at, "min_per_led_type"), "ZL358",
                           f"目标“{t.id}”的 min_per_led_type 只适用于 scope: each（每个单位牵头的类型）。",
                           "删除 min_per_led_type，或把这个目标的范围写成 scope: each。")
        key = (*timeline_key(t), t.by)
        if key in deadlines:
            yield ctx.diag("types", (*at, "by"), "ZL402",
                           f"目标“{t.id}”与目标“{deadlines[key]}”的项目、范围和期限 {t.by} 都相同。",
                           "同一项目、同一范围的几个目标按期限排成序列，期限不能重复；改期限，或删去其中一个。")
        else:
            deadlines[key] = t.id


def _scope(ctx: "CheckContext", i: int, t: object, level_ids: list[str], dimensions: list[str]) -> Iterable[Diagnostic]:
    at = ("targets", i)
    tid, scope, level, dimension = (getattr(t, "id"), getattr(t, "scope"), getattr(t, "level"), getattr(t, "dimension"))
    if scope is None:
        yield ctx.diag("types", at, "ZL353", f"目标“{tid}”没有写范围 scope。", f"写上 scope：{SCOPES}。")
        return
    if scope == "each":
        if level is None:
            yield ctx.diag("types", at, "ZL353", f"目标“{tid}”的范围是 each，但没有写层级 level。",
                           f"写上按哪个层级的每个单位计算：level: {level_ids[-1]}（已声明的层级：{'、'.join(level_ids)}）。")
        elif level not in level_ids:
            yield ctx.diag("types", (*at, "level"), "ZL353", f"目标“{tid}”的层级“{level}”没有声明。",
                           f"已声明的层级：{'、'.join(level_ids)}。")
    elif level is not None:
        yield ctx.diag("types", (*at, "level"), "ZL353", f"目标“{tid}”的范围是 {scope}，不用写层级 level。",
                       "删除 level，或把范围写成 scope: each。")
    if scope == "per_value":
        if dimension is None:
            yield ctx.diag("types", at, "ZL353", f"目标“{tid}”的范围是 per_value，但没有写维度 dimension。",
                           f"写上按哪个维度的每个取值计算，如 dimension: type（社区类型）；已声明的维度：{'、'.join(dimensions)}。")
        elif dimension not in dimensions:
            yield ctx.diag("types", (*at, "dimension"), "ZL353", f"目标“{tid}”的维度“{dimension}”没有声明。",
                           f"已声明的维度：{'、'.join(dimensions)}。")
    elif dimension is not None:
        yield ctx.diag("types", (*at, "dimension"), "ZL353", f"目标“{tid}”的范围是 {scope}，不用写维度 dimension。",
                       "删除 dimension，或把范围写成 scope: per_value。")


def _memberships(ctx: "CheckContext") -> Iterable[Diagnostic]:
    from zhili.model.targets import PILOT

    reg = ctx.registry
    declared = [p.id for p in reg.programmes]
    hint = f"已声明的项目：{'、'.join(declared)}；新的项目先在 types.yaml 顶层的 programmes 中声明。"
    pilot_declared = PILOT in declared
    for i, c in enumerate(reg.communities):
        at = ("communities", i)
        if c.pilot_start is not None and not pilot_declared:
            yield ctx.diag("communities", (*at, "pilot_start"), "ZL355",
                           f"社区“{c.name}”写了试点开始日期 pilot_start，但方案没有声明项目 pilot。",
                           f"pilot_start 是项目 pilot 的简写：在 types.yaml 的 programmes 中声明 pilot，"
                           f"或改写成 programmes: {{项目 id: {c.pilot_start}}}。{hint}")
        for key in c.programmes:
            if key not in declared:
                yield ctx.diag("communities", (*at, "programmes", key), "ZL355",
                               f"社区“{c.name}”参加的项目“{key}”没有声明。", (suggest(key, declared) or "") + hint, at_key=True)
            elif key == PILOT and c.pilot_start is not None:
                yield ctx.diag("communities", (*at, "programmes", key), "ZL356",
                               f"社区“{c.name}”的试点开始日期写了两次：pilot_start 和 programmes 中的 pilot。",
                               "只写一处：保留 pilot_start，或删去它、只在 programmes 中写 pilot。", at_key=True)
