"""Cross-checks for the ledger's schedules, progress entries (progress.yaml) and 一社区一策 plans (plans.yaml)."""

from __future__ import annotations

from typing import Iterable

from zhili.diagnostics import Diagnostic, Severity
from zhili.loading.checking import CheckContext, duplicates, suggest



def _unit_names(ctx: "CheckContext") -> list[str]:
    reg = ctx.registry
    return [u.name for u in reg.units] + [a for u in reg.units for a in u.aliases] + [g.name for g in reg.groups]


def _range(nos: list[int]) -> str:
    return f"{min(nos)}–{max(nos)}" if nos else "（任务台账为空）"


def check_schedules(ctx: "CheckContext") -> Iterable[Diagnostic]:
    """A recurring task needs a start date: its periods are counted from it."""
    if not ctx.has("tasks"):
        return
    for i, t in enumerate(ctx.registry.tasks):
        if t.recurrence is not None and t.start is None:
            yield ctx.diag("tasks", ("tasks", i, "recurrence"), "ZL202",
                           f"任务 {t.no} 是周期任务（{t.recurrence}），但没有开始日期 start。",
                           "加上“start: YYYY-MM-DD”：从这一天所在的月（季度、年）起，每个周期都应有进展记录。")


def check_progress(ctx: "CheckContext") -> Iterable[Diagnostic]:
    if not ctx.has("progress", "tasks"):
        return

    reg = ctx.registry
    tasks = {t.no: t for t in reg.tasks}
    names = _unit_names(ctx)
    for i, e in enumerate(reg.progress):
        task = tasks.get(e.task)
        if task is None:
            yield ctx.diag("progress", ("progress", i, "task"), "ZL311", f"进展记录引用的任务序号 {e.task} 不在任务台账中。",
                           f"任务台账的序号是 {_range(sorted(tasks))}；检查序号是否录错。")
        if not reg.resolves(e.unit):
            yield ctx.diag("progress", ("progress", i, "unit"), "ZL302", f"进展记录的单位“{e.unit}”不在单位列表中。",
                           suggest(e.unit, names) or "先在 units.yaml 中添加这个单位，或把它写成已有单位的别名。")
            continue
        if task is not None:
            involved = {u.name for u in reg.canonical_units([*task.lead, *task.support])}
            if involved.isdisjoint(u.name for u in reg.members(e.unit)):
                yield ctx.diag("progress", ("progress", i, "unit"), "ZL402",
                               f"“{e.unit}”既不是任务 {task.no} 的牵头单位，也不是配合单位。",
                               f"任务 {task.no} 的牵头单位：{'、'.join(task.lead)}；检查任务序号或单位是否写错。",
                               severity=Severity.WARNING)
            if task.start is not None and e.date < task.start:
                yield ctx.diag("progress", ("progress", i, "date"), "ZL402",
                               f"进展日期 {e.date} 早于任务 {task.no} 的开始日期 {task.start}。",
                               "检查日期是否录错。", severity=Severity.WARNING)


def check_plans(ctx: "CheckContext") -> Iterable[Diagnostic]:
    if not ctx.has("plans"):
        return

    reg = ctx.registry
    req = reg.plan_requirement
    if req is not None:
        if not reg.resolves(req.receiver):
            yield ctx.diag("plans", ("requirement", "receiver"), "ZL302", f"方案接收单位“{req.receiver}”不在单位列表中。",
                           suggest(req.receiver, _unit_names(ctx)) or "先在 units.yaml 中添加这个单位。")
        if req.task is not None and ctx.has("tasks") and all(t.no != req.task for t in reg.tasks):
            yield ctx.diag("plans", ("requirement", "task"), "ZL311", f"报送要求引用的任务序号 {req.task} 不在任务台账中。",
                           f"任务台账的序号是 {_range(sorted(t.no for t in reg.tasks))}；不对应台账任务时删去 task。")
    if not ctx.has("communities"):
        return
    ids = [c.id for c in reg.communities]
    known = set(ids)
    for i, p in enumerate(reg.plans):
        if p.community not in known:
            yield ctx.diag("plans", ("plans", i, "community"), "ZL305", f"方案的社区“{p.community}”不在社区台账中。",
                           suggest(p.community, ids) or "社区写 communities.yaml 中的 id，如 sanglin。")
    communities = [p.community for p in reg.plans]
    for i in duplicates(communities):
        yield ctx.diag("plans", ("plans", i, "community"), "ZL303", f"社区“{communities[i]}”的方案重复登记。",
                       "每个社区只登记一条方案报送记录；重报的方案改写原记录的日期和目标。")
