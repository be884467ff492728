"""Cross-checks for the ledger's schedules, progress entries (progress.yaml) and 一社区一策 plans (plans.yaml)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from zhili.diagnostics import Diagnostic, Severity
from zhili.loading.checking import CheckContext, duplicate_pairs, duplicates, suggest
from zhili.loading.level_checks import by_level, under_unknown_level, units_of_unknown_level

if TYPE_CHECKING:
    from zhili.model.task import Task


def _unit_names(ctx: "CheckContext") -> list[str]:
    reg = ctx.registry
    return [u.name for u in reg.units] + [a for u in reg.units for a in u.aliases] + [g.name for g in reg.groups]


def _listed(nos: list[str], limit: int = 8) -> str:
    """The ledger's numbers in ledger order, shortened: 1、2、3、…、30."""
    if not nos:
        return "（任务台账为空）"
    shown = nos if len(nos) <= limit else [*nos[:limit - 2], "…", nos[-1]]
    return "、".join(shown)


def _unknown_task_hint(no: str, nos: list[str]) -> str:
    return f"任务台账的序号是 {_listed(nos)}（照原样写，如 25、三.1）；检查序号是否录错。"


def check_schedules(ctx: "CheckContext") -> Iterable[Diagnostic]:
    """The scheme's recurrences and plan status labels; each task's lead, recurrence and milestones."""
    reg = ctx.registry
    if ctx.has("types") and reg.vocabularies is not None:
        yield from _check_vocabularies(ctx)
    if not ctx.has("tasks"):
        return
    declared = {r.id: r for r in reg.vocabularies.recurrences} if reg.vocabularies is not None else None
    for i, t in enumerate(reg.tasks):
        if not t.lead:
            yield ctx.diag("tasks", ("tasks", i, "lead"), "ZL360", f"任务 {t.no} 牵头单位未明确。",
                           "方案写明了牵头单位的，照录到 lead；确未写明的可以留空，各命令把它显示为“未明确”，"
                           "按牵头单位筛选时不会列出它。", severity=Severity.WARNING)
        if isinstance(t.recurrence, str):
            if declared is not None and t.recurrence not in declared:
                yield ctx.diag("tasks", ("tasks", i, "recurrence"), "ZL373",
                               f"任务 {t.no} 的周期“{t.recurrence}”没有在 types.yaml 的 vocabularies.recurrences 中声明。",
                               "可用的周期：" + "、".join(f"{r.id}（{r.label}）" for r in declared.values())
                               + "；或写 {dates: [YYYY-MM-DD, ...]} 指定各期截止日。")
            elif t.start is None:
                label = declared[t.recurrence].label if declared is not None else t.recurrence
                yield ctx.diag("tasks", ("tasks", i, "recurrence"), "ZL202",
                               f"任务 {t.no} 是周期任务（{label}），但没有开始日期 start。",
                               "加上“start: YYYY-MM-DD”：从这一天所在的周期起，每个周期都应有进展记录。")
        elif t.recurrence is not None:
            yield from _check_dates(ctx, i, t)
        yield from _check_milestones(ctx, i, t)


def _check_dates(ctx: "CheckContext", i: int, t: "Task") -> Iterable[Diagnostic]:
    dates = list(t.recurrence.dates)  # type: ignore[union-attr]
    for j in range(1, len(dates)):
        if dates[j] <= dates[j - 1]:
            yield ctx.diag("tasks", ("tasks", i, "recurrence", "dates", j), "ZL364",
                           f"任务 {t.no} 的周期日期 {dates[j]} 不晚于前一个日期 {dates[j - 1]}。",
                           "各期截止日期按先后顺序写，每个日期只写一次。")
    for j, d in enumerate(dates):
        if t.start is not None and d < t.start:
            yield ctx.diag("tasks", ("tasks", i, "recurrence", "dates", j), "ZL365",
                           f"任务 {t.no} 的周期日期 {d} 早于开始日期 {t.start}。", "检查日期是否录错，或改开始日期 start。")
        if t.due is not None and d > t.due:
            yield ctx.diag("tasks", ("tasks", i, "recurrence", "dates", j), "ZL365",
                           f"任务 {t.no} 的周期日期 {d} 晚于截止日期 {t.due}。", "检查日期是否录错，或改截止日期 due。")


def _check_milestones(ctx: "CheckContext", i: int, t: "Task") -> Iterable[Diagnostic]:
    ms = list(t.milestones)
    for j in range(1, len(ms)):
        if ms[j].by <= ms[j - 1].by:
            yield ctx.diag("tasks", ("tasks", i, "milestones", j, "by"), "ZL361",
                           f"任务 {t.no} 的节点日期 {ms[j].by} 不晚于上一个节点的日期 {ms[j - 1].by}。",
                           "节点按日期先后排列，每个节点一个日期。")
    titles: dict[str, int] = {}
    for j, m in enumerate(ms):
        if t.start is not None and m.by < t.start:
            yield ctx.diag("tasks", ("tasks", i, "milestones", j, "by"), "ZL362",
                           f"任务 {t.no} 的节点日期 {m.by} 早于开始日期 {t.start}。", "检查日期是否录错，或改开始日期 start。")
        if t.due is not None and m.by > t.due:
            yield ctx.diag("tasks", ("tasks", i, "milestones", j, "by"), "ZL363",
                           f"任务 {t.no} 的节点日期 {m.by} 晚于截止日期 {t.due}。",
                           "截止日期 due 是整项任务的最后期限：把 due 改为最后一个节点的日期或更晚，或删去 due。")
        if m.title is not None:
            if m.title in titles:
                yield ctx.diag("tasks", ("tasks", i, "milestones", j, "title"), "ZL366",
                               f"任务 {t.no} 有两个名为“{m.title}”的节点。",
                               "节点名称在一项任务内要唯一（进展记录用它指明完成了哪个节点），如 首批、第二批。")
            titles[m.title] = j


def _check_vocabularies(ctx: "CheckContext") -> Iterable[Diagnostic]:
    from zhili.model.vocab import DEFAULT_PLAN_STATUSES

    PLAN_STATUSES = [i for i, _ in DEFAULT_PLAN_STATUSES]  # the ids are fixed; only their labels are the scheme's
    vocab = ctx.registry.vocabularies
    ids = [r.id for r in vocab.recurrences]
    for j in duplicates(ids):
        yield ctx.diag("types", ("vocabularies", "recurrences", j, "id"), "ZL373", f"周期“{ids[j]}”重复声明。",
                       "每个周期标识只声明一次。")
    statuses = [s.id for s in vocab.plan_statuses]
    for j, sid in enumerate(statuses):
        if sid not in PLAN_STATUSES:
            yield ctx.diag("types", ("vocabularies", "plan_statuses", j, "id"), "ZL374",
                           f"没有“{sid}”这种方案报送状态。",
                           f"状态标识是固定的：{'、'.join(PLAN_STATUSES)}；方案只能改它们的中文名称 label。")
    for j in duplicates(statuses):
        yield ctx.diag("types", ("vocabularies", "plan_statuses", j, "id"), "ZL374", f"方案报送状态“{statuses[j]}”重复。",
                       "每个状态只写一次。")
    missing = [sid for sid in PLAN_STATUSES if sid not in statuses]
    if missing and "plan_statuses" in getattr(vocab, "model_fields_set", ()):  # written, not the defaults
        yield ctx.diag("types", ("vocabularies", "plan_statuses"), "ZL374",
                       f"vocabularies.plan_statuses 缺少状态：{'、'.join(missing)}。",
                       f"四个状态都要写出中文名称：{'、'.join(PLAN_STATUSES)}（默认：按时报送、逾期报送、未报送、未报送（未到期））。",
                       at_key=True)


def check_progress(ctx: "CheckContext") -> Iterable[Diagnostic]:
    if not ctx.has("progress", "tasks"):
        return

    reg = ctx.registry
    tasks = {t.no: t for t in reg.tasks}
    nos = [t.no for t in reg.tasks]
    names = _unit_names(ctx)
    unknown = units_of_unknown_level(reg)
    for i, e in enumerate(reg.progress):
        task = tasks.get(e.task)
        if task is None:
            yield ctx.diag("progress", ("progress", i, "task"), "ZL311", f"进展记录引用的任务序号 {e.task} 不在任务台账中。",
                           _unknown_task_hint(e.task, nos))
        elif e.milestone is not None:
            yield from _check_milestone_ref(ctx, i, e.milestone, task)
        if not reg.resolves(e.unit):
            yield ctx.diag("progress", ("progress", i, "unit"), "ZL302", f"进展记录的单位“{e.unit}”不在单位列表中。",
                           suggest(e.unit, names) or "先在 units.yaml 中添加这个单位，或把它写成已有单位的别名。")
            continue
        if task is not None:
            involved = {u.name for u in reg.canonical_units([*task.lead, *task.support])}
            if involved and involved.isdisjoint(u.name for u in reg.members(e.unit)) and \
                    not _rests_on_unknown_level(reg, e.unit, task, unknown):  # a task naming no unit: anyone
                yield ctx.diag("progress", ("progress", i, "unit"), "ZL402",
                               f"“{e.unit}”既不是任务 {task.no} 的牵头单位，也不是配合单位。",
                               f"任务 {task.no} 的牵头单位：{'、'.join(task.lead) or '未明确'}；检查任务序号或单位是否写错。",
                               severity=Severity.WARNING)
            if task.start is not None and e.date < task.start:
                yield ctx.diag("progress", ("progress", i, "date"), "ZL402",
                               f"进展日期 {e.date} 早于任务 {task.no} 的开始日期 {task.start}。",
                               "检查日期是否录错。", severity=Severity.WARNING)


def _rests_on_unknown_level(reg, unit: str, task: "Task", unknown: set[str]) -> bool:
    """Whether the task names units by level and the entry's unit (or a unit written above it) has an unknown
    level (ZL322, or ZL325 on the unit): whether it takes part cannot be judged, and that mistake is reported
    on the unit."""
    return under_unknown_level(reg, unit, unknown) and any(by_level(reg, name) for name in [*task.lead, *task.support])


def _check_milestone_ref(ctx: "CheckContext", i: int, ref: str, task: "Task") -> Iterable[Diagnostic]:
    from zhili.domain.schedule import milestone_key

    if any(ref in milestone_key(m) for m in task.milestones):
        return
    if not task.milestones:
        yield ctx.diag("progress", ("progress", i, "milestone"), "ZL367", f"任务 {task.no} 没有节点，进展记录却写了节点“{ref}”。",
                       "删去 milestone；或先在 tasks.yaml 中给该任务写 milestones。")
        return
    known = "、".join(m.title or m.by.isoformat() for m in task.milestones)
    yield ctx.diag("progress", ("progress", i, "milestone"), "ZL367", f"“{ref}”不是任务 {task.no} 的节点。",
                   f"写节点名称 title 或节点日期 by；该任务的节点：{known}。")


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
                           _unknown_task_hint(req.task, [t.no for t in reg.tasks]) + "不对应台账任务时删去 task。")
    if not ctx.has("communities"):
        return
    ids = [c.id for c in reg.communities]
    known = set(ids)
    for i, p in enumerate(reg.plans):
        if p.community not in known:
            yield ctx.diag("plans", ("plans", i, "community"), "ZL305", f"方案的社区“{p.community}”不在社区台账中。",
                           suggest(p.community, ids) or "社区写 communities.yaml 中的 id，如 sanglin。")
    communities = [p.community for p in reg.plans]
    for i, j in duplicate_pairs(communities):
        yield ctx.diag("plans", ("plans", i, "community"), "ZL303",
                       f"社区“{communities[i]}”的方案重复登记：{ctx.place('plans', ('plans', j, 'community'))}已有。",
                       "每个社区只登记一条方案报送记录；重报的方案改写原记录的日期和目标。")
