"""`zhili communities`: the registry of communities."""

from __future__ import annotations

import click

from zhili.cli.options import command, data_option, dimension_options, level_option, output_options


@command("communities")
@click.option("--type", "type_", metavar="类型", default=None, help="只列出该类型（名称、id 或简称）。")
@click.option("--street", "--unit", "street", metavar="单位", default=None,
              help="只列出该单位的社区：最低层级的单位，或任一上级单位（包括其下属单位的社区）。")
@dimension_options
@level_option
@data_option
@output_options
def command(type_: str | None, street: str | None, dimension: str | None, values: tuple[str, ...], level: str | None,
            data_dir: str | None,
            fmt: str | None, output: str | None, force: bool) -> None:
    """列出社区：名称、所属单位（表头用方案声明的最低层级名称）、登记的类型，以及方案声明的其他分类维度的取值。

    \b
    示例：
      zhili communities --street 某单位
      zhili communities --type 某类型 --format csv -o 某类型.csv
      zhili communities --dimension type --value type=某类型
    """
    from zhili.cli.emit import emit
    from zhili.domain import dimensions as dims
    from zhili.domain.listing import community_rows
    from zhili.domain.lookup import find_street, find_type
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry
    from zhili.render.output import Column, Output, Table

    reg = load_registry(resolve(data_dir))
    t = find_type(reg, type_) if type_ else None
    s = find_street(reg, street) if street else None
    filters = dims.parse_filters(reg, values)
    group = dims.find_dimension(reg, dimension) if dimension else None
    rows = community_rows(reg, t, s, filters, group)
    table_rows = [{**r, **{f"dim_{k}": v for k, v in (r.get("dimensions") or {}).items()}} for r in rows]
    columns = [Column("id", "标识"), Column("name", "社区"), Column("street", reg.level_label()), Column("type", reg.type_label),
               *[Column(f"dim_{d.id}", d.name) for d in reg.dimensions]]
    described = f"：{dims.describe(filters)}" if filters else ""
    notes = []
    if group is not None:
        chosen = [c for c in reg.communities if c.id in {r["id"] for r in rows}]
        notes.append(dims.summary(reg, chosen, group))
    tables = [Table(columns, table_rows, f"社区（{len(rows)} 个）{described}")]
    data: object = rows
    if level is not None:
        from zhili.domain import level_totals

        lv = level_totals.find_level(reg, level)
        chosen = {c.id: c for c in reg.communities}
        for r, t in zip(rows, table_rows):
            r["level"] = t["level"] = lv.id
            r["level_unit"] = t["level_unit"] = level_totals.unit_name(reg, chosen[r["id"]], lv)
        if group is None:
            level_totals.sort_rows(reg, lv, rows)
            level_totals.sort_rows(reg, lv, table_rows)
        columns.insert(2, Column("level_unit", lv.name))
        totals = level_totals.community_totals(reg, [chosen[r["id"]] for r in rows], lv)
        tables.append(Table([Column("unit", lv.name), Column("communities", "社区数", "right")],
                            [{**t, "unit": t["unit"] or level_totals.UNASSIGNED} for t in totals],
                            f"按{lv.name}合计", name="合计"))
        data = {"level": lv.id, "level_name": lv.name, "communities": rows, "totals": totals}
    emit(Output(tables, data, notes=notes, flat=tables[0]), fmt, output, force)
