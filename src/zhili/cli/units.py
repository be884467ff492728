"""`zhili units`: every unit with the tasks it leads and supports and how many of them are overdue."""

from __future__ import annotations

import click

from zhili.cli.options import as_of_option, command, data_option, output_options


@command("units")
@click.option("--sort", type=click.Choice(["order", "name", "lead", "support", "overdue"]), default="order",
              help="排序： order 按 units.yaml 中的顺序（默认）， name 按名称， lead 按牵头任务数， support 按配合任务数，"
                   " overdue 按牵头的逾期任务数；数量从多到少。")
@as_of_option
@data_option
@output_options
def command(sort: str, as_of: str | None, data_dir: str | None, fmt: str | None, output: str | None,
            force: bool) -> None:
    """列出每个单位牵头、配合的任务数，以及截至某日牵头的逾期任务数（写通报用）。

    台账写作单位组的任务，计入组内每个单位。

    \b
    示例：
      zhili units --sort overdue --as-of 2021-12-31
      zhili units --sort lead --format csv -o 单位任务.csv
    """
    from zhili.cli.emit import emit
    from zhili.domain import tasks as ledger
    from zhili.domain.unit_counts import unit_rows
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry
    from zhili.render.output import Column, Output, Table

    reg = load_registry(resolve(data_dir))
    day = ledger.parse_date(as_of, "--as-of") or ledger.today()
    rows = [{**row, "as_of": day} for row in unit_rows(reg, ledger.task_states(reg, day), sort)]
    columns = [Column("name", "单位"), Column("kind", "性质"), Column("groups", "所属单位组"),
               Column("lead", "牵头任务", "right"), Column("support", "配合任务", "right"),
               Column("overdue", "牵头逾期", "right"), Column("overdue_support", "配合逾期", "right"),
               Column("overdue_tasks", "牵头逾期的任务")]
    title = f"单位与任务（{len(rows)} 个单位，截至 {day.isoformat()}）"
    emit(Output([Table(columns, rows, title)], rows), fmt, output, force)
