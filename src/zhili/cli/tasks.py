"""`zhili tasks`: the ledger of key tasks, by unit, with deadlines, progress, overdue and stalled work."""

from __future__ import annotations

import click

from datetime import date
from typing import TYPE_CHECKING, Any

from zhili.cli.options import as_of_option, command, data_option, dimension_options, level_option, output_options

if TYPE_CHECKING:
    from zhili.domain.tasks import TaskFilter, TaskState
    from zhili.model.registry import Registry
    from zhili.render.output import Output

STATUS_CHOICES = ("open", "done", "overdue", "ongoing", "recurring")


@command("tasks")
@click.option("--lead", metavar="单位", default=None, help="只列出该单位牵头的任务（名称、别名或简称；单位组的成员、层级的合称也算）。")
@click.option("--support", metavar="单位", default=None, help="只列出该单位配合的任务。")
@click.option("--unit", metavar="单位", default=None,
              help="只列出该单位牵头或配合的任务，包括交给它所属单位组的任务，以及上级单位写明 cascade: true（延及下级）的任务。")
@click.option("--type", "type_", metavar="类型", default=None, help="只列出该类型的任务（名称、id 或简称）。")
@click.option("--status", "statuses", type=click.Choice(STATUS_CHOICES), multiple=True,
              help="按状态筛选，可重复： open 未到期， done 已完成， overdue 逾期， ongoing 常态推进， recurring 周期任务按期。")
@click.option("--overdue", is_flag=True, default=False, help="只列出逾期的任务（显示逾期天数）。")
@click.option("--due-before", "due_before", metavar="日期", default=None,
              help="只列出截止日期不晚于该日（含当天）的任务；周期任务按当前周期的截止日计。")
@click.option("--stalled", metavar="天数", type=click.IntRange(min=1), default=None,
              help="只列出至少这么多天没有进展记录的未完成任务（“无动静”名单）。")
@dimension_options
@level_option
@as_of_option
@data_option
@output_options
def command(lead: str | None, support: str | None, unit: str | None, type_: str | None, statuses: tuple[str, ...],
            overdue: bool, due_before: str | None, stalled: int | None, dimension: str | None, values: tuple[str, ...],
            level: str | None, as_of: str | None, data_dir: str | None, fmt: str | None, output: str | None, force: bool) -> None:
    """列出重点工作任务台账：牵头、配合单位，截止日期或周期，截至某日的状态、逾期天数和最近进展。

    筛选条件可以组合（同时满足）。进展记录来自数据目录中的 progress.yaml。--type 和 --value 只列出适用范围
    （applies_to 或 type）明确写出该取值的任务，适用于全部社区的任务不列出。

    \b
    示例：
      zhili tasks --lead 某单位
      zhili tasks --overdue --as-of 2021-12-31
      zhili tasks --stalled 90 --lead 某单位 --as-of 2021-12-31
      zhili tasks --type 某类型 --status recurring --format json
      zhili tasks --dimension type --value type=某类型
    """
    from zhili.cli.emit import emit
    from zhili.domain import dimensions as dims
    from zhili.domain import tasks as ledger
    from zhili.domain.lookup import find_type
    from zhili.domain.units import find_unit
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry

    reg = load_registry(resolve(data_dir))
    day = ledger.parse_date(as_of, "--as-of") or ledger.today()
    flt = ledger.TaskFilter(
        lead=find_unit(reg, lead) if lead else None, support=find_unit(reg, support) if support else None,
        unit=find_unit(reg, unit) if unit else None, type_=find_type(reg, type_) if type_ else None,
        values=tuple(dims.parse_filters(reg, values)), statuses=frozenset(statuses), overdue=overdue, due_before=ledger.parse_date(due_before, "--due-before"),
        stalled=stalled)
    states = ledger.select(reg, ledger.task_states(reg, day), flt)
    group = dims.find_dimension(reg, dimension) if dimension else None
    if level is not None:
        emit(level_output(reg, states, day, flt, level), fmt, output, force)
        return
    emit(ledger_output(reg, states, day, flt, stalled is not None, group), fmt, output, force)


def ledger_output(reg: Registry, states: list[TaskState], day: date, flt: TaskFilter, idle: bool,
                  group: Any = None) -> Output:
    """The ledger for every format; printed (docx) it keeps the columns of a ledger table, type cells merged."""
    from zhili.domain import tasks as ledger
    from zhili.render.output import Column, Document, Output, Section, Table

    columns = [Column("no", "序号", "right"), Column("type", reg.type_label, merge=True), Column("title", "重点任务"),
               Column("lead", "牵头单位"), Column("support", "配合单位"), Column("deadline", "截止日期"),
               Column("status_cn", "状态"), Column("last_progress", "最近进展")]
    if idle:
        columns.append(Column("idle", "无进展", "right", value="idle_days"))
    rows = ledger.display_rows(reg, states)
    if reg.dimensions:  # the scheme classifies on more than the type: say what each task applies to
        columns.insert(2, Column("scope", "适用范围"))
    if group is not None and group.id != "type":
        columns.insert(2, Column("group", group.name, merge=True))
    if group is not None:
        states, rows = _grouped(reg, states, rows, group)
    described = ledger.describe(flt)
    title = f"重点工作任务台账（{len(states)} 项，截至 {day.isoformat()}）{described}"
    notes = ledger.notes(flt, reg)
    doc_title = f"{reg.scheme.name}重点工作任务台账"
    last = next(i for i, c in enumerate(columns) if c.key == "last_progress")
    printed = Table([*columns[:last], *columns[last + 1:], Column("note", "备注")], rows, name="台账")
    lead = f"共 {len(states)} 项{described.replace('：', '（', 1) + '）' if described else ''}。"
    document = Document(doc_title, [Section(None, [lead], tables=[printed]), *([Section(None, notes)] if notes else [])])
    return Output([Table(columns, rows, title, name="台账")], ledger.ledger_rows(reg, states), notes,
                  title=doc_title, as_of=day, document=document)


def level_output(reg: Registry, states: list[TaskState], day: date, flt: TaskFilter, text: str) -> Output:
    """--level: the task states totalled per unit of that level (the tasks `tasks --unit` lists for it)."""
    from zhili.domain import level_totals
    from zhili.domain import tasks as ledger
    from zhili.render.output import Column, Output, Table

    lv = level_totals.find_level(reg, text)
    rows = level_totals.task_totals(reg, states, lv)
    columns = [Column("unit", lv.name), Column("tasks", "任务数", "right"),
               *[Column(s, ledger.STATUS_CN[s], "right") for s in ledger.STATUSES]]
    described = ledger.describe(flt)
    title = f"按{lv.name}合计的任务状态（{len(states)} 项任务，截至 {day.isoformat()}）{described}"
    notes = [f"每个{lv.name}的任务：交给它、它所属的单位组，以及上级单位写明 cascade: true（延及下级）的任务，与 --unit 相同；"
             "一项任务可计入几个单位。", *ledger.notes(flt, reg)]
    return Output([Table(columns, rows, title, name="合计")],
                  rows, notes, as_of=day)


def _grouped(reg: Registry, states: list[TaskState], rows: list[dict[str, Any]],
             group: Any) -> tuple[list[TaskState], list[dict[str, Any]]]:
    """Rows ordered by the values the tasks name on `group` (declared order; tasks for all values last)."""
    from zhili.domain import dimensions as dims

    place = dims.order_key(group)
    keyed = []
    for s, r in zip(states, rows):
        names = dims.task_values(reg, s.task, group.id)
        text = "、".join(names) if names else dims.ALL
        first = min((place.get(n, len(place)) for n in names), default=len(place)) if names else len(place) + 1
        keyed.append((first, s, {**r, "group": text, **({"type": text} if group.id == "type" else {})}))
    keyed.sort(key=lambda k: k[0])
    return [k[1] for k in keyed], [k[2] for k in keyed]
