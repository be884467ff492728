"""`zhili plans`: 一社区一策 — which communities submitted their plan late or not at all."""

from __future__ import annotations

import click

from zhili.cli.options import as_of_option, command, data_option, output_options


@command("plans")
@click.option("--status", "statuses", type=click.Choice(["on_time", "late", "missing", "pending"]), multiple=True,
              help="按状态筛选，可重复： on_time 按时报送， late 逾期报送， missing 逾期未报， pending 未报但未到期。"
                   " 默认列出除按时报送以外的全部。")
@click.option("--all", "show_all", is_flag=True, default=False, help="列出全部社区，包括按时报送的。")
@click.option("--street", "--unit", "street", metavar="单位", default=None,
              help="只列出该单位的社区：最低层级的单位，或任一上级单位（包括其下属单位的社区）。")
@as_of_option
@data_option
@output_options
def command(statuses: tuple[str, ...], show_all: bool, street: str | None, as_of: str | None, data_dir: str | None,
            fmt: str | None, output: str | None, force: bool) -> None:
    """“一社区一策”方案报送情况：截至某日未报送和逾期报送的社区。

    截止日期和接收单位取自 plans.yaml 的 requirement。

    \b
    示例：
      zhili plans --as-of 2021-03-31
      zhili plans --all --street 某单位
      zhili plans --status on_time --format json
    """
    from zhili.cli.emit import emit
    from zhili.domain import plans
    from zhili.domain.lookup import find_street
    from zhili.domain.tasks import parse_date, today
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry
    from zhili.render.output import Column, Output, Table

    reg = load_registry(resolve(data_dir))
    day = parse_date(as_of, "--as-of") or today()
    req = plans.requirement(reg)
    everything = plans.plan_states(reg, day)
    wanted = set(statuses) or (set(plans.PLAN_STATUSES) if show_all else plans.NOT_ON_TIME)
    s = find_street(reg, street) if street else None
    chosen = [p for p in everything if p.status in wanted and (s is None or reg.covers(reg.unit(s), p.community))]
    rows = plans.plan_rows(reg, chosen)
    columns = [Column("community", "标识"), Column("name", "社区"), Column("street", reg.level_label()), Column("type", reg.type_label),
               Column("submitted", "报送日期"), Column("status_label", "状态"), Column("target_text", "量化目标")]
    count = plans.summary(everything)
    labels = plans.status_labels(reg)
    title = f"{req.title}报送情况（截至 {day.isoformat()}，{len(rows)} 个社区）"
    note = (f"应于 {req.due.isoformat()} 前报{req.receiver}{req.office or ''}；全部 {len(everything)} 个社区中："
            + "，".join(f"{labels[k]} {count[k]}" for k in plans.PLAN_STATUSES) + "。")
    emit(Output([Table(columns, rows, title)], rows, [note]), fmt, output, force)
