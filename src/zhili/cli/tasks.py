"""`zhili tasks`: the ledger of key tasks."""

from __future__ import annotations

import click

from zhili.cli.options import command, data_option, output_options


@command("tasks")
@data_option
@output_options
def command(data_dir: str | None, fmt: str | None, output: str | None, force: bool) -> None:
    """列出重点工作任务台账：序号、类型、任务、牵头单位、配合单位、截止日期。

    \b
    示例：
      zhili tasks
      zhili tasks --format json
    """
    from zhili.cli.emit import emit
    from zhili.domain.listing import task_rows
    from zhili.loading.datadir import resolve
    from zhili.loading.registry import load_registry
    from zhili.render.output import Column, Output, Table

    reg = load_registry(resolve(data_dir))
    rows = task_rows(reg)
    columns = [Column("no", "序号", "right"), Column("type", "社区类型"), Column("title", "重点任务"),
               Column("lead", "牵头单位"), Column("support", "配合单位"), Column("due", "截止日期")]
    emit(Output([Table(columns, rows, f"重点工作任务台账（{len(rows)} 项）")], rows), fmt, output, force)
