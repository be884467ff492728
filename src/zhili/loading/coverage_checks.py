"""Cross-checks for the types each unit leads (and enough communities of them for a target's led-type minimum)."""

from __future__ import annotations

from typing import Iterable

from zhili.diagnostics import Diagnostic, Severity
from zhili.loading.checking import CheckContext, suggest


def check_coverage(ctx: CheckContext) -> Iterable[Diagnostic]:
    reg = ctx.registry
    type_keys = [t.name for t in reg.types]
    for i, u in enumerate(reg.units):
        seen: set[str] = set()
        for j, key in enumerate(u.leads):
            t = reg.type_of(key)
            if t is None:
                yield ctx.diag("units", ("units", i, "leads", j), "ZL301", f"单位“{u.name}”牵头的类型“{key}”不存在。",
                               suggest(key, type_keys) or f"可用的类型：{'、'.join(type_keys)}。")
                continue
            if t.id in seen:
                yield ctx.diag("units", ("units", i, "leads", j), "ZL303", f"单位“{u.name}”重复列出牵头类型“{t.name}”。",
                               "每个牵头类型只写一次。")
            seen.add(t.id)
            yield from _too_few_communities(ctx, i, j, u.name, t)


def _too_few_communities(ctx: CheckContext, i: int, j: int, unit: str, type_: object) -> Iterable[Diagnostic]:
    """A warning when a town leads a type but has too few communities of it to ever reach the pilot minimum."""
    reg = ctx.registry
    minimums = [(t.min_per_led_type, t) for t in reg.targets if t.scope == "each" and t.min_per_led_type]
    if not ctx.has("communities") or not minimums:
        return
    need, target = max(minimums, key=lambda m: m[0])
    programme = reg.programme(target.programme)
    have = sum(1 for c in reg.communities if reg.type_of(c.type) is type_ and reg.unit(c.street) is reg.unit(unit))
    if have < need:
        name = getattr(type_, "name")
        what = programme.name if programme is not None else target.programme
        yield ctx.diag("units", ("units", i, "leads", j), "ZL402",
                       f"{unit}牵头“{name}”，但只登记了 {have} 个该类型的社区，达不到每个牵头类型至少 {need} 个{what}社区的要求。",
                       f"在 communities.yaml 中补登{unit}的{name}，或检查牵头类型是否写对。", Severity.WARNING)
