"""`zhili coverage`: pilot coverage (试点覆盖) per town/street against the scheme's targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from zhili.cli.options import as_of_option, command, data_option, dimension_options, output_options

if TYPE_CHECKING:
    from zhili.domain.coverage import CoverageReport
    from zhili.render.output import Output


@command("coverage")
@click.option("--street", metavar="街道", default=None, help="只列出该镇（区、街道）。")
@click.option("--check", is_flag=True, default=False,
              help="有任何镇（区、街道）未达到覆盖目标，或牵头类型的试点社区不足时，退出码为 1（用于 CI）。")
@dimension_options
@as_of_option
@data_option
@output_options
@click.pass_context
def command(ctx: click.Context, street: str | None, check: bool, dimension: str | None, values: tuple[str, ...],
            as_of: str | None, data_dir: str | None, fmt: str | None, output: str | None, force: bool) -> None:
    """试点覆盖：每个镇（区、街道）的社区数、试点社区数、覆盖率、当日有效的目标、是否达标，以及试点不足的牵头类型。

    试点社区：communities.yaml 中 pilot_start 在统计日当天或之前的社区。

    目标取自 types.yaml 的 scheme.coverage：统计日之后（含当天）最近一个期限的目标；过了最后一个期限仍按最后一个目标。

    --value 只统计符合的社区；--dimension 按该维度的每个取值分别统计（每个取值一张表）。

    \b
    示例：
      zhili coverage --data examples/taicang --as-of 2022-12-31
      zhili coverage --data examples/taicang --as-of 2023-12-31 --format json
      zhili coverage --data examples/taicang --check    # CI：未达标时退出码为 1
      zhili coverage --data examples/taicang --as-of 2023-12-31 --dimension type
    """
    from zhili.cli.emit import emit
    from zhili.domain.coverage import unit_coverage
    from zhili.domain.lookup import find_street
    from zhili.domain.tasks import parse_date, today
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry
    from zhili.cli.outcome import settle
    from zhili.errors import ExitCode
    from zhili.render.cells import safe

    from zhili.domain import dimensions as dims

    reg = load_registry(resolve(data_dir))
    day = parse_date(as_of, "--as-of") or today()
    unit = find_street(reg, street) if street else None
    filters = dims.parse_filters(reg, values)
    reg = dims.restricted(reg, filters)
    group = dims.find_dimension(reg, dimension) if dimension else None
    if group is None:
        report = unit_coverage(reg, day, unit)
        failing = report.failing
        out = _output(report)
    else:
        parts = [(v, unit_coverage(dims.restricted(reg, [dims.ValueFilter(group, v)]), day, unit)) for v in group.values]
        failing = [r for _, p in parts for r in p.failing]
        out = _grouped_output(group, parts)
    if filters:
        out.notes.insert(0, f"只统计{dims.describe(filters)}的社区。")
    if check and failing:
        settle(ExitCode.FINDINGS)  # before writing: a broken pipe keeps the failure
    emit(out, fmt, output, force)
    if check and failing:
        click.echo(f"试点覆盖未达标：{safe('、'.join(r.unit for r in failing))}（截至 {day.isoformat()}）。", err=True)
        ctx.exit(1)


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%".replace(".0%", "%")


def _output(report: "CoverageReport") -> "Output":
    from zhili.render.output import Column, Output, Table

    rows = []
    for r in report.rows:
        rows.append({
            "unit": r.unit,
            "communities": r.communities,
            "pilots": r.pilots,
            "share": _percent(r.share) if r.communities else "—",
            "share_value": r.share if r.communities else None,  # what a spreadsheet stores behind the text
            "target": f"≥{_percent(r.target)}",
            "meets": ("是" if r.meets else "否") if r.communities else "没有登记社区",
            "leads": r.leads,
            "short": [f"{s.type}（{s.pilots}/{s.required}）" for s in r.short_types],
        })
    columns = [Column("unit", "镇（区、街道）"), Column("communities", "社区数", "right"),
               Column("pilots", "试点数", "right"), Column("share", "覆盖率", "right", value="share_value", number_format="0.0%"),
               Column("target", "目标", "right"), Column("meets", "达标"), Column("leads", "牵头类型"),
               Column("short", "试点不足的牵头类型")]
    t = report.target
    notes = [f"目标：截至 {t.by.isoformat()} 每个镇（区、街道）的试点社区不少于 {_percent(t.share)}"
             + (f"（原文：{t.source}）" if t.source else "") + "。"]
    missed = [r.unit for r in report.rows if r.meets is False]
    short = [r.unit for r in report.rows if r.short_types]
    notes.append(f"未达到覆盖目标：{'、'.join(missed)}。" if missed else "所有镇（区、街道）都达到覆盖目标。")
    if short:
        notes.append(f"牵头类型的试点社区不足（括号中为已有/至少需要的试点社区数）：{'、'.join(short)}。")
    elif report.minimum:
        notes.append(f"每个牵头类型都已有至少 {report.minimum} 个试点社区。")
    title = f"试点覆盖（截至 {report.as_of.isoformat()}，{len(rows)} 个镇（区、街道））"
    return Output([Table(columns, rows, title, name="试点覆盖")], [r.to_dict() for r in report.rows], notes=notes,
                  as_of=report.as_of)


def _grouped_output(group: object, parts: list[tuple[object, "CoverageReport"]]) -> "Output":
    """One table per value of the dimension; JSON: [{dimension, value, rows}]."""
    from zhili.render.output import Output, Table

    from zhili.render.output import Column

    tables, data, notes, flat_rows = [], [], [], []
    for i, (value, report) in enumerate(parts):
        one = _output(report)
        if i == 0:
            notes.append(one.notes[0])  # the target: the same for every value
        label = f"{group.name}：{value.name}"  # type: ignore[attr-defined]
        table = one.tables[0]
        tables.append(Table(table.columns, table.rows, f"{label}，{table.title}", name=table.name))
        flat_rows += [{**r, "group": value.name} for r in table.rows]  # type: ignore[attr-defined]
        data.append({"dimension": group.id, "value": value.name, "rows": one.data})  # type: ignore[attr-defined]
        notes += [f"{label}：{n}" for n in one.notes[1:]]
    flat = Table([Column("group", group.name), *tables[0].columns], flat_rows, name="试点覆盖")  # type: ignore[attr-defined]
    return Output(tables, data, notes=notes, flat=flat, as_of=parts[0][1].as_of)
