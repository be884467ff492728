"""Cross-checks for pilot coverage: the scheme's targets, the types each town leads, pilot dates."""

from __future__ import annotations

from typing import Iterable

from zhili.diagnostics import Diagnostic, Severity
from zhili.loading.checking import CheckContext, suggest



def check_coverage(ctx: "CheckContext") -> Iterable[Diagnostic]:

    reg = ctx.registry
    coverage = reg.scheme.coverage
    if coverage is not None:
        targets = coverage.targets
        for i in range(1, len(targets)):
            if targets[i].by <= targets[i - 1].by:
                yield ctx.diag("types", ("scheme", "coverage", "targets", i, "by"), "ZL402",
                               f"覆盖目标的期限 {targets[i].by} 不晚于前一个目标的期限 {targets[i - 1].by}。",
                               "覆盖目标要按期限从早到晚排列，且期限不能重复。")
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


def _too_few_communities(ctx: "CheckContext", i: int, j: int, unit: str, type_: object) -> Iterable[Diagnostic]:
    """A warning when a town leads a type but has too few communities of it to ever reach the pilot minimum."""
    reg = ctx.registry
    coverage = reg.scheme.coverage
    if not ctx.has("communities") or coverage is None or not coverage.min_pilots_per_led_type:
        return
    have = sum(1 for c in reg.communities if reg.type_of(c.type) is type_ and reg.unit(c.street) is reg.unit(unit))
    need = coverage.min_pilots_per_led_type
    if have < need:
        name = getattr(type_, "name")
        yield ctx.diag("units", ("units", i, "leads", j), "ZL402",
                       f"{unit}牵头“{name}”，但只登记了 {have} 个该类型的社区，达不到每个牵头类型至少 {need} 个试点社区的要求。",
                       f"在 communities.yaml 中补登{unit}的{name}，或检查牵头类型是否写对。", Severity.WARNING)
