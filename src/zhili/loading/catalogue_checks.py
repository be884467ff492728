"""Cross-checks for the optional catalogues: needs.yaml (治理需求目录) and resources.yaml (治理资源清单)."""

from __future__ import annotations

from typing import Iterable

from zhili.diagnostics import Diagnostic
from zhili.loading.checking import CheckContext, duplicates, suggest
from zhili.loading.level_checks import covers_unknown_level, units_of_unknown_level
from zhili.model.refs import community_by_ref, scope_of



def check_catalogues(ctx: "CheckContext") -> Iterable[Diagnostic]:
    if ctx.has("needs"):
        yield from _check_needs(ctx)
    if ctx.has("resources"):
        yield from _check_resources(ctx)


def _dimension_problem(ctx: "CheckContext", kind: str, path: tuple, owner: str, dimension: str) -> Iterable[Diagnostic]:

    dims = ctx.registry.scheme.need_dimensions
    if not dims:
        yield ctx.diag(kind, path, "ZL311", f"{owner}的维度“{dimension}”无从核对：方案没有声明需求维度。",
                       "在 types.yaml 的 scheme.need_dimensions 中列出方案规定的需求维度。")
    elif dimension not in dims:
        yield ctx.diag(kind, path, "ZL311", f"{owner}的维度“{dimension}”不是方案规定的需求维度。",
                       suggest(dimension, dims) or f"可用的维度：{'、'.join(dims)}。")


def _check_needs(ctx: "CheckContext") -> Iterable[Diagnostic]:

    reg = ctx.registry
    ids = [n.id for n in reg.needs]
    for i in duplicates(ids):
        yield ctx.diag("needs", ("needs", i, "id"), "ZL303", f"需求 id“{ids[i]}”重复。", "每条需求的 id 必须唯一。")
    for i, n in enumerate(reg.needs):
        if ctx.has("communities") and community_by_ref(reg, n.community) is None:
            yield ctx.diag("needs", ("needs", i, "community"), "ZL305", f"需求 {n.id} 的社区“{n.community}”不在社区台账中。",
                           suggest(n.community, [c.id for c in reg.communities] + [c.name for c in reg.communities])
                           or "写社区的 id（见 communities.yaml）；同名社区要写 id 或“所属单位+名称”。")
        yield from _dimension_problem(ctx, "needs", ("needs", i, "dimension"), f"需求 {n.id} ", n.dimension)


def _check_resources(ctx: "CheckContext") -> Iterable[Diagnostic]:

    reg = ctx.registry
    ids = [r.id for r in reg.resources]
    for i in duplicates(ids):
        yield ctx.diag("resources", ("resources", i, "id"), "ZL303", f"资源 id“{ids[i]}”重复。", "每条资源的 id 必须唯一。")
    places = [u.name for u in reg.units if reg.level_of(u) is not None] + [g.name for g in reg.groups] + [c.id for c in reg.communities]
    unknown = units_of_unknown_level(reg)
    for i, r in enumerate(reg.resources):
        if ctx.has("communities") and scope_of(reg, r.scope) is None and not covers_unknown_level(reg, r.scope, unknown):
            yield ctx.diag("resources", ("resources", i, "scope"), "ZL311",
                           f"资源 {r.id} 的服务范围“{r.scope}”既不是社区，也不是“{reg.level_label()}”或其上级单位、单位组。",
                           suggest(r.scope, places) or "写社区的 id，或一个单位的名称（表示该单位及其下属单位的全部社区）。")
        for j, d in enumerate(r.dimensions):
            yield from _dimension_problem(ctx, "resources", ("resources", i, "dimensions", j), f"资源 {r.id} ", d)
