"""`zhili standards`: each community against the declared standards (e.g. 每百户设施面积不低于 30 平方米)."""

from __future__ import annotations

from typing import Any

import click

from zhili.cli.options import command, data_option, output_options


@command("standards")
@click.option("--standard", "wanted", metavar="标准", default=None, help="只看这一项标准（名称或 id）；默认全部。")
@click.option("--type", "type_", metavar="类型", default=None, help="只看该类型的社区。")
@click.option("--street", "--unit", "street", metavar="单位", default=None,
              help="只列出该单位的社区：最低层级的单位，或任一上级单位（包括其下属单位的社区）。")
@click.option("--check", is_flag=True, default=False, help="有社区未达标时退出码为 1（缺数据不算未达标），供 CI 使用。")
@data_option
@output_options
@click.pass_context
def command(ctx: click.Context, wanted: str | None, type_: str | None, street: str | None, check: bool,
            data_dir: str | None, fmt: str | None, output: str | None, force: bool) -> None:
    """逐个社区对照配置标准：实际值、标准、缺口、是否达标。

    标准在 types.yaml 的 standards 中声明，如 中发〔2017〕13号“每百户居民拥有社区综合服务设施面积
    不低于30平方米”。户数或面积没有填写的社区列为“缺数据”，不算未达标。

    \b
    示例：
      zhili standards
      zhili standards --street 某单位 --format markdown
      zhili standards --check            # 有社区未达标时退出码为 1
    """
    from zhili.cli.emit import emit
    from zhili.cli.outcome import settle
    from zhili.domain import standards as dom
    from zhili.domain.listing import community_rows
    from zhili.domain.lookup import find_street, find_type
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry
    from zhili.errors import ExitCode
    from zhili.render.output import Output, Table

    reg = load_registry(resolve(data_dir))
    chosen = dom.standards_of(reg, wanted)
    t = find_type(reg, type_) if type_ else None
    s = find_street(reg, street) if street else None
    ids = {r["id"] for r in community_rows(reg, t, s)}
    communities = [c for c in reg.communities if c.id in ids]
    tables, data, notes, short = [], [], [], 0
    for standard in chosen:
        found = dom.assess(reg, standard, communities)
        rows = [{**dom.row(reg, a), "basis": basis(standard)} for a in found]
        counts = dom.summary(found)
        short += counts[dom.SHORT]
        data.extend(rows)
        tables.append(Table(columns(reg, standard), rows, title(standard, counts)))
        notes.append(basis(standard))
    flat = Table(flat_columns(reg.level_label()), [flat_row(reg, r) for r in data]) if len(chosen) > 1 else None
    if check and short:
        settle(ExitCode.FINDINGS)  # before writing: a broken pipe keeps the failure
    emit(Output(tables, data, notes, flat), fmt, output, force)
    if check and short:
        click.echo(f"检查未通过：{short} 个社区未达标。", err=True)
        ctx.exit(1)


def columns(reg: Any, standard: Any) -> list[Any]:
    from zhili.domain.standards import ratio_key
    from zhili.render.output import Column

    num, den = reg.attribute(standard.numerator), reg.attribute(standard.denominator)
    per = f"{standard.per:g}"
    return [
        Column("name", "社区"), Column("street", reg.level_label()),
        Column(standard.denominator, _label(den, standard.denominator), "right"),
        Column(standard.numerator, _label(num, standard.numerator), "right"),
        Column(ratio_key(standard), f"每{per}{den.unit or ''}（{standard.unit}）" if den else f"每{per}（{standard.unit}）", "right"),
        Column("standard", f"标准（{standard.unit}）", "right"),
        Column("shortfall", f"缺口（{standard.unit}）", "right"),
        Column("status_label", "结论"),
    ]


def _label(attr: Any, name: str) -> str:
    if attr is None:
        return name
    return f"{attr.label}（{attr.unit}）" if attr.unit else attr.label


def title(standard: Any, counts: dict[str, int]) -> str:
    from zhili.domain.standards import STATUS_LABELS

    parts = "，".join(f"{STATUS_LABELS[k]} {v} 个" for k, v in counts.items())
    return f"{standard.name}（{parts}）"


def basis(standard: Any) -> str:
    per, minimum = f"{standard.per:g}", f"{standard.minimum:g}"
    text = f"标准：{standard.name}，每 {per} 个分母单位不低于 {minimum} {standard.unit}"
    if standard.text:
        text = f"标准：{standard.text}"
    source = "；".join(x for x in (standard.source, standard.task) if x)
    return text + (f"（{source}）" if source else "") + "。缺口 = 按标准应有的数量 − 实际数量；缺数据的社区不计入未达标。"


def flat_columns(level: str = "所属单位") -> list[Any]:
    from zhili.render.output import Column

    return [Column("standard_name", "标准"), Column("name", "社区"), Column("street", level),
            Column("denominator", "分母", "right"), Column("numerator", "分子", "right"), Column("ratio", "实际值", "right"),
            Column("standard", "标准值", "right"), Column("shortfall", "缺口", "right"), Column("status_label", "结论")]



def flat_row(reg: Any, row: dict[str, Any]) -> dict[str, Any]:
    from zhili.domain.standards import ratio_key

    s = next(x for x in reg.standards if x.id == row["standard_id"])
    return {**row, "standard_name": s.name, "denominator": row[s.denominator], "numerator": row[s.numerator],
            "ratio": row[ratio_key(s)]}
