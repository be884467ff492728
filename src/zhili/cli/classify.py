"""`zhili classify`: compute each community's type from the scheme's rules and compare it with the record."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import click

from zhili.cli.options import command, data_option, output_options

if TYPE_CHECKING:
    from zhili.domain.classify import Classification
    from zhili.render.output import Output


@command("classify")
@click.option("--type", "type_", metavar="类型", default=None, help="只列出登记类型或计算类型为该类型的社区（名称、id 或简称）。")
@click.option("--street", "--unit", "street", metavar="单位", default=None,
              help="只列出该单位的社区：最低层级的单位，或任一上级单位（包括其下属单位的社区）。")
@click.option("--explain", metavar="社区", default=None,
              help="逐条解释一个社区（名称或 id）：每个类型规则的每个条件、实际值、阈值、是否成立，以及最终如何决定。")
@click.option("--check", is_flag=True, default=False, help="有任何社区的状态不是“一致”时退出码为 1（用于 CI）。")
@data_option
@output_options
@click.pass_context
def command(ctx: click.Context, type_: str | None, street: str | None, explain: str | None, check: bool,
            data_dir: str | None, fmt: str | None, output: str | None, force: bool) -> None:
    """按 types.yaml 中的分类规则计算每个社区的类型，并与登记的类型比对。

    状态：consistent（一致）、mismatch（与登记不符，可考虑调整类型；未登记类型的社区给出建议）、
    ambiguous（同时符合多个类型且优先顺序无法区分）、unclassified（不符合任何类型）、
    missing-data（缺少规则需要的属性）。

    \b
    示例：
      zhili classify
      zhili classify --street 富乐街道 --format json
      zhili classify --explain 东材社区
      zhili classify --check              # CI：有不一致的社区时退出码为 1
    """
    from zhili.cli.emit import emit
    from zhili.cli.outcome import settle
    from zhili.domain import classify as domain
    from zhili.domain.lookup import find_community, find_street, find_type
    from zhili.errors import ExitCode, UsageError
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry

    if explain is not None and (type_ or street):
        raise UsageError("--explain 只解释一个社区，不能与 --type、--street 同时使用。", "去掉 --type / --street，或去掉 --explain 查看列表。")
    reg = load_registry(resolve(data_dir))
    if explain is not None:
        results = [domain.classify_community(reg, find_community(reg, explain))]
        out = _explain_output(results[0])
    else:
        t = find_type(reg, type_) if type_ else None
        s = find_street(reg, street) if street else None
        results = domain.classify(reg, t, s)
        out = _listing_output(results, reg.level_label())
    failed = [r for r in results if r.status != "consistent"]
    if check and failed:
        settle(ExitCode.FINDINGS)  # before writing: a broken pipe keeps the failure
    emit(out, fmt, output, force)
    if check and failed:
        click.echo(f"分类核对未通过：{len(failed)} 个社区的状态不是“一致”。", err=True)
        ctx.exit(1)


def _listing_output(results: list[Classification], level_label: str = "所属单位") -> Output:
    from zhili.domain.classify import STATUS_LABELS, STATUSES, row
    from zhili.render.output import Column, Output, Table

    rows = [{"id": r.community.id, "name": r.community.name, "street": r.community.street,
             "recorded": r.recorded.name if r.recorded else None, "computed": r.computed.name if r.computed else None,
             "status_cn": STATUS_LABELS[r.status], "reason": r.reason} for r in results]
    columns = [Column("id", "标识"), Column("name", "社区"), Column("street", level_label), Column("recorded", "登记类型"),
               Column("computed", "计算类型"), Column("status_cn", "状态"), Column("reason", "原因")]
    counts = Counter(r.status for r in results)
    summary = "、".join(f"{STATUS_LABELS[s]}（{s}）{counts[s]} 个" for s in STATUSES if counts[s])
    return Output([Table(columns, rows, f"社区分类核对（{len(rows)} 个）")], None, notes=[f"合计：{summary or '无'}。"],
                  build_data=lambda: [row(r) for r in results])  # the JSON rows, made only for --format json


def _explain_output(result: Classification) -> Output:
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
    flat = Table([Column("type", "类型"), *columns], flat_rows)
    return Output(tables, explain_data(result), notes=notes, flat=flat)
