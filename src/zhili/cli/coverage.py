"""`zhili coverage`: every declared target (programmes: share or count, whole / each unit / each value) on a day."""

from __future__ import annotations

from typing import Any

import click

from zhili.cli.options import as_of_option, command, data_option, dimension_options, level_option, output_options


@command("coverage")
@click.option("--street", metavar="单位", default=None,
              help="只列出这个单位（按单位计算的目标）；整个辖区和按取值计算的目标不列出。")
@click.option("--target", "target", metavar="目标", default=None, help="只列出这个目标（types.yaml 中 targets 的 id）所在的目标序列。")
@click.option("--check", is_flag=True, default=False,
              help="有任何目标未达到，或牵头类型的参加社区不足时，退出码为 1（用于 CI）。")
@dimension_options
@level_option
@as_of_option
@data_option
@output_options
@click.pass_context
def command(ctx: click.Context, street: str | None, target: str | None, check: bool, dimension: str | None,
            values: tuple[str, ...], level: str | None, as_of: str | None, data_dir: str | None, fmt: str | None, output: str | None,
            force: bool) -> None:
    """目标覆盖：types.yaml 中声明的每个目标在统计日的完成情况。

    列出社区数、参加项目的社区数、覆盖率、当日有效的目标、是否达标。参加项目：communities.yaml 中
    programmes 的开始日期（试点为 pilot_start）在统计日当天或之前。

    \b
    按目标的范围报告：
      scope: whole       整个辖区一行
      scope: each        层级的每个单位一行，并列出参加社区不足的牵头类型
      scope: per_value   维度（如社区类型）的每个取值一行

    同一项目、同一范围的几个目标按期限排成序列：统计日之后（含当天）最近一个期限的目标有效；
    过了最后一个期限仍按最后一个目标。

    \b
    示例：
      zhili coverage --data examples/taicang --as-of 2022-12-31
      zhili coverage --data examples/taicang --as-of 2023-12-31 --format json
      zhili coverage --data examples/taicang --target pilot-2023
      zhili coverage --data examples/taicang --check    # CI：未达标时退出码为 1
      zhili coverage --data examples/taicang --as-of 2023-12-31 --dimension type

    --value 只统计符合的社区；--dimension 按该维度的每个取值分别统计（每个取值一组表）。
    """
    from zhili.cli.emit import emit
    from zhili.cli.outcome import settle
    from zhili.domain.coverage import coverage
    from zhili.domain.lookup import find_street
    from zhili.domain.tasks import parse_date, today
    from zhili.errors import ExitCode, UsageError
    from zhili.loading.cache import load_registry
    from zhili.loading.datadir import resolve
    from zhili.render.cells import safe
    from zhili.render.coverage import coverage_output

    reg = load_registry(resolve(data_dir))
    day = parse_date(as_of, "--as-of") or today()
    if target is not None and all(t.id != target for t in reg.targets):
        known = "、".join(t.id for t in reg.targets)
        raise UsageError(f"没有目标“{target}”。", f"已声明的目标：{known}。" if known else "types.yaml 中没有声明目标。")
    from zhili.domain import dimensions as dims

    unit = find_street(reg, street) if street else None
    filters = dims.parse_filters(reg, values)
    reg = dims.restricted(reg, filters)
    group = dims.find_dimension(reg, dimension) if dimension else None
    if group is None:
        report = coverage(reg, day, unit, target)
        out = coverage_output(report)
    else:
        parts = [(v, coverage(dims.restricted(reg, [dims.ValueFilter(group, v)]), day, unit, target)) for v in group.values]
        report = type(parts[0][1])(day, [s for _, p in parts for s in p.sections])
        out = _grouped_output(group, parts)
    if level is not None:
        _add_level_totals(reg, out, day, level, target)
    if filters:
        out.notes.insert(0, f"只统计{dims.describe(filters)}的社区。")
    failing = report.failing
    if check and failing:
        settle(ExitCode.FINDINGS)  # before writing: a broken pipe keeps the failure
    emit(out, fmt, output, force)
    if check and failing:
        several = len(report.sections) > 1
        names = "、".join(dict.fromkeys(f"{r.target.id}：{r.value or r.unit}" if several else f"{r.value or r.unit}"
                                        for r in failing))
        what = "" if several else report.sections[0].programme.name
        click.echo(f"{safe(what)}覆盖未达标：{safe(names)}（截至 {day.isoformat()}）。", err=True)
        ctx.exit(1)


def _add_level_totals(reg: Any, out: Any, day: Any, text: str, target: str | None) -> None:
    """--level: besides the targets' own rows, programme membership per unit of that level for every target
    (JSON: {"targets": <as without --level>, "level": .., "level_totals": [...]})."""
    from zhili.domain import level_totals
    from zhili.render.output import Column, Table

    lv = level_totals.find_level(reg, text)
    rows = level_totals.coverage_totals(reg, day, lv, target)
    columns = [Column("programme_name", "项目"), Column("target_id", "目标"), Column("unit", lv.name),
               Column("communities", "社区数", "right"), Column("members", "参加社区", "right"),
               Column("share_text", "占比", "right")]
    shown = [{**r, "unit": r["unit"] or level_totals.UNASSIGNED,
              "share_text": f"{r['share'] * 100:.1f}%" if r["share"] is not None else "—"} for r in rows]
    out.tables.append(Table(columns, shown, f"按{lv.name}合计的参加社区（截至 {day.isoformat()}）", name=f"按{lv.name}合计"))
    before = out.json_data()
    out.build_data = None
    out.data = {"targets": before, "level": lv.id, "level_name": lv.name, "level_totals": rows}


def _grouped_output(group: Any, parts: list[tuple[Any, Any]]) -> Any:
    """The coverage of the communities of each value of `group`, one set of tables per value;
    JSON: [{dimension, value, rows}], each `rows` as without --dimension."""
    from zhili.render.coverage import coverage_output
    from zhili.render.output import Column, Output, Table

    tables, data, notes, flat_rows = [], [], [], []
    for value, report in parts:
        one = coverage_output(report)
        label = f"{group.name}：{value.name}"
        for t in one.tables:
            tables.append(Table(t.columns, t.rows, f"{label}，{t.title}" if t.title else label, name=t.name))
            flat_rows += [{**row, "group": value.name} for row in t.rows]
        data.append({"dimension": group.id, "value": value.name, "rows": one.json_data()})
        notes += [f"{label}：{n}" for n in one.notes]
    columns = [Column("group", group.name), *[c for c in tables[0].columns]] if tables else [Column("group", group.name)]
    flat = Table(columns, flat_rows, name="目标覆盖")
    return Output(tables, data, notes=notes, flat=flat, as_of=parts[0][1].as_of)
