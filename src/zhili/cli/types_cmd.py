"""`zhili types`: the scheme's community types."""

from __future__ import annotations


from zhili.cli.options import command, data_option, output_options


@command("types")
@data_option
@output_options
def command(data_dir: str | None, fmt: str | None, output: str | None, force: bool) -> None:
    """列出方案中的社区类型：治理目标、主线、重点方向数和社区数。

    \b
    示例：
      zhili types
      zhili types --format json
    """
    from zhili.cli.emit import emit
    from zhili.domain.listing import type_rows
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry
    from zhili.render.output import Column, Output, Table

    reg = load_registry(resolve(data_dir))
    rows = type_rows(reg)
    for r in rows:
        r["direction_count"] = len(r["directions"])
    columns = [Column("id", "标识"), Column("name", "类型"), Column("category", "大类"), Column("goal", "治理目标"),
               Column("main_line", "主线"), Column("direction_count", "重点方向", "right"),
               Column("communities", "社区数", "right")]
    title = f"{reg.scheme.name}（{reg.scheme.document}）" if reg.scheme.document else reg.scheme.name
    emit(Output([Table(columns, rows, title)], rows), fmt, output, force)
