"""`zhili classify`: compute each community's type from the scheme's rules and compare it with the record."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import click

from zhili.cli.options import command, data_option, dimension_options, level_option, output_options

if TYPE_CHECKING:
    from zhili.domain.classify import Classification
    from zhili.domain.classify_dimensions import DimensionResult
    from zhili.model.registry import Registry
    from zhili.render.output import Output


@command("classify")
@click.option("--type", "type_", metavar="类型", default=None, help="只列出登记类型或计算类型为该类型的社区（名称、id 或简称）。")
@click.option("--street", "--unit", "street", metavar="单位", default=None,
              help="只列出该单位的社区：最低层级的单位，或任一上级单位（包括其下属单位的社区）。")
@click.option("--explain", metavar="社区", default=None,
              help="逐条解释一个社区（名称或 id）：每个类型规则的每个条件、实际值、阈值、是否成立，以及最终如何决定。")
@click.option("--check", is_flag=True, default=False, help="有任何社区的状态不是“一致”时退出码为 1（用于 CI）。")
@dimension_options
@level_option
@data_option
@output_options
@click.pass_context
def command(ctx: click.Context, type_: str | None, street: str | None, explain: str | None, check: bool,
            dimension: str | None, values: tuple[str, ...], level: str | None, data_dir: str | None, fmt: str | None, output: str | None,
            force: bool) -> None:
    """按 types.yaml 中的分类规则计算每个社区的类型，并与登记的类型比对。

    状态：consistent（一致）、mismatch（与登记不符，可考虑调整类型；未登记类型的社区给出建议）、
    ambiguous（同时符合多个类型且优先顺序无法区分）、unclassified（不符合任何类型）、
    missing-data（缺少规则需要的属性）。方案声明的其他分类维度（types.yaml 的 dimensions）中写了规则的取值，
    也逐个社区计算并与登记的取值比对（JSON 的 dimensions 字段；--dimension 在表格中显示该维度）。

    \b
    示例：
      zhili classify
      zhili classify --street 某单位 --format json
      zhili classify --explain 某社区
      zhili classify --check              # CI：有不一致的社区时退出码为 1
      zhili classify --value type=某类型 --dimension type
    """
    from zhili.cli.emit import emit
    from zhili.cli.outcome import settle
    from zhili.domain import classify as domain
    from zhili.domain import classify_dimensions as by_dimension
    from zhili.domain import dimensions as dims
    from zhili.domain.lookup import find_community, find_street, find_type
    from zhili.errors import ExitCode, UsageError
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry

    if explain is not None and (type_ or street or values):
        raise UsageError("--explain 只解释一个社区，不能与 --type、--street、--value 同时使用。",
                         "去掉 --type / --street / --value，或去掉 --explain 查看列表。")
    reg = load_registry(resolve(data_dir))
    group = dims.find_dimension(reg, dimension) if dimension else None
    if explain is not None:
        results = [domain.classify_community(reg, find_community(reg, explain))]
        extra = {results[0].community.id: by_dimension.classify_dimensions(reg, results[0].community)}
        out = _explain_output(results[0], extra[results[0].community.id])
    else:
        t = find_type(reg, type_) if type_ else None
        s = find_street(reg, street) if street else None
        filters = dims.parse_filters(reg, values)
        results = [r for r in domain.classify(reg, t, s) if dims.community_matches(reg, r.community, filters)]
        extra = {r.community.id: by_dimension.classify_dimensions(reg, r.community) for r in results}
        out = _listing_output(reg, results, extra, group)
        if level is not None:
            _by_level(reg, out, results, level)
    failed = [r for r in results if r.status != "consistent"
              or any(d.status != "consistent" for d in extra[r.community.id])]
    if check and failed:
        settle(ExitCode.FINDINGS)  # before writing: a broken pipe keeps the failure
    emit(out, fmt, output, force)
    if check and failed:
        click.echo(f"分类核对未通过：{len(failed)} 个社区的状态不是“一致”。", err=True)
        ctx.exit(1)


def _listing_output(reg: Registry, results: list[Classification], extra: dict[str, list[DimensionResult]],
                    group: object = None) -> Output:
    from zhili.domain import dimensions as dims
    from zhili.domain.classify import STATUS_LABELS, STATUSES, row
    from zhili.render.output import Column, Output, Table

    rows = []
    for r in results:
        cells = {"id": r.community.id, "name": r.community.name, "street": r.community.street,
                 "recorded": r.recorded.name if r.recorded else None, "computed": r.computed.name if r.computed else None,
                 "status_cn": STATUS_LABELS[r.status], "reason": r.reason}
        for d in extra[r.community.id]:
            cells.update({f"{d.dimension.id}_recorded": d.recorded.name if d.recorded else None,
                          f"{d.dimension.id}_computed": d.computed.name if d.computed else None,
                          f"{d.dimension.id}_status": STATUS_LABELS[d.status], f"{d.dimension.id}_reason": d.reason})
        if group is not None:
            cells["group"] = dims.value_name(reg, r.community, group.id)  # type: ignore[attr-defined]
        rows.append(cells)
    label = reg.type_label.removeprefix("社区")
    columns = [Column("id", "标识"), Column("name", "社区"), Column("street", reg.level_label()), Column("recorded", f"登记{label}"),
               Column("computed", f"计算{label}"), Column("status_cn", "状态"), Column("reason", "原因")]
    notes = []
    if group is not None and group.id != "type":  # type: ignore[attr-defined]
        name = group.name  # type: ignore[attr-defined]
        ruled = any(d.dimension.id == group.id for ds in extra.values() for d in ds)  # type: ignore[attr-defined]
        key = group.id  # type: ignore[attr-defined]
        columns[3:3] = [Column(f"{key}_recorded", f"登记{name}"), Column(f"{key}_computed", f"计算{name}"),
                        Column(f"{key}_status", f"{name}状态"), Column(f"{key}_reason", f"{name}原因")] \
            if ruled else [Column("group", name)]
    if group is not None:
        place = dims.order_key(group)
        key_of = (lambda c: c["recorded"]) if group.id == "type" else (lambda c: c["group"])  # type: ignore[attr-defined]
        rows.sort(key=lambda c: (key_of(c) is None, place.get(key_of(c) or "", 0)))
        notes.append(dims.summary(reg, [r.community for r in results], group))
    counts = Counter(r.status for r in results)
    summary = "、".join(f"{STATUS_LABELS[s]}（{s}）{counts[s]} 个" for s in STATUSES if counts[s])
    notes.insert(0, f"合计：{summary or '无'}。")
    for d in by_dimension_list(extra):
        tally = Counter(x.status for ds in extra.values() for x in ds if x.dimension.id == d.id)
        text = "、".join(f"{STATUS_LABELS[s]}（{s}）{tally[s]} 个" for s in STATUSES if tally[s])
        notes.append(f"{d.name}：{text or '无'}。")

    def data() -> list[dict[str, object]]:
        out = []
        for r in results:
            item = row(r)
            if reg.dimensions:
                item["dimensions"] = {d.dimension.id: d.to_dict() for d in extra[r.community.id]}
            out.append(item)
        return out
    return Output([Table(columns, rows, f"社区分类核对（{len(rows)} 个）")], None, notes=notes,
                  build_data=data)  # the JSON rows, made only for --format json


def _by_level(reg: Registry, out: Output, results: list[Classification], text: str) -> None:
    """--level: each row's unit of that level, rows grouped by it, and one total line per unit (by status)."""
    from zhili.domain import level_totals
    from zhili.domain.classify import STATUS_LABELS, STATUSES
    from zhili.render.output import Column, Table

    lv = level_totals.find_level(reg, text)
    unit_of = {r.community.id: level_totals.unit_name(reg, r.community, lv) for r in results}
    listing = out.tables[0]
    for row in listing.rows:
        row["level"], row["level_unit"] = lv.id, unit_of[row["id"]]
    level_totals.sort_rows(reg, lv, listing.rows)
    listing.columns.insert(2, Column("level_unit", lv.name))
    status = {r.community.id: r.status for r in results}
    totals = level_totals.community_totals(reg, [r.community for r in results], lv, lambda c: status[c.id], STATUSES)
    shown = [s for s in STATUSES if any(t[s] for t in totals)]
    out.tables.append(Table([Column("unit", lv.name), Column("communities", "社区数", "right"),
                             *[Column(s, STATUS_LABELS[s], "right") for s in shown]],
                            [{**t, "unit": t["unit"] or level_totals.UNASSIGNED} for t in totals], f"按{lv.name}合计", name="合计"))
    out.flat = listing
    rows = out.build_data
    assert rows is not None

    def data() -> dict[str, object]:
        items = rows()
        for item in items:
            item["level"], item["level_unit"] = lv.id, unit_of[item["id"]]
        level_totals.sort_rows(reg, lv, items)
        return {"level": lv.id, "level_name": lv.name, "communities": items, "totals": totals}
    out.build_data = data


def by_dimension_list(extra: dict[str, list[DimensionResult]]) -> list[object]:
    """The dimensions classified, in declaration order, once each."""
    seen: dict[str, object] = {}
    for ds in extra.values():
        for d in ds:
            seen.setdefault(d.dimension.id, d.dimension)
    return list(seen.values())


def _explain_output(result: Classification, extra: list[DimensionResult]) -> Output:
    from zhili.domain.classify import RESULT_LABELS, STATUS_LABELS, by_precedence, explain_data, trace_rows
    from zhili.render.output import Column, Output, Table

    columns = [Column("condition", "条件"), Column("actual", "实际值"), Column("requirement", "要求"),
               Column("result", "结果"), Column("basis", "依据")]
    tables, flat_rows = [], []
    for o in by_precedence(result.outcomes):
        rows = trace_rows(o.type.name, o.trace) if o.trace is not None else []
        place = f"优先顺序第 {o.rank} 位" if o.rank else "不在优先顺序中"
        verdict = RESULT_LABELS[o.result] if o.trace is not None else "没有分类规则"
        tables.append(Table(columns, rows, f"{o.type.name}（{place}）：{verdict}"))
        flat_rows.extend(rows)
    c = result.community
    recorded = result.recorded.name if result.recorded else "未登记"
    computed = result.computed.name if result.computed else "无"
    notes = [f"{c.street}{c.name}（{c.id}）",
             f"决定：{result.decision}",
             f"登记类型：{recorded}；计算类型：{computed}；状态：{STATUS_LABELS[result.status]}（{result.status}）。",
             f"原因：{result.reason}"]
    for d in extra:
        notes.append(f"{d.dimension.name}：登记{d.recorded.name if d.recorded else '未登记'}；"
                     f"计算{d.computed.name if d.computed else '无'}；状态：{STATUS_LABELS[d.status]}（{d.status}）；{d.reason}。")
    data = explain_data(result)
    if extra:
        data["dimensions"] = {d.dimension.id: d.to_dict() for d in extra}
    flat = Table([Column("type", "类型"), *columns], flat_rows)
    return Output(tables, data, notes=notes, flat=flat)
