"""`zhili rank`: the yearly evaluation — per type, the ranking, 先进 and 后进, movement and pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from zhili.cli.options import command, data_option, dimension_options, output_options

if TYPE_CHECKING:
    from zhili.domain.ranking import Movement, Pair, RankedCommunity, TypeRanking
    from zhili.model.behaviour import AppliedRules
    from zhili.model.registry import Registry
    from zhili.render.output import Output


class Year(click.ParamType):
    name = "年度"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            self.fail(f"“{value}”不是年度：写四位阿拉伯数字，如 2021。", param, ctx)
        return int(text)


@command("rank")
@click.option("--year", "year", type=Year(), multiple=True, metavar="年度",
              help="评议年度（必填），如 2021（数据在 evaluations/2021.yaml）。写多次（--year 2021 --year 2022）时列出逐年评定。")
@click.option("--years", "span", metavar="起止年", default=None,
              help="逐年评定：如 2021-2025，按类型列出每个社区每年的评定，标出晋位升级、连续后进和从未参评的社区。")
@click.option("--type", "type_", metavar="类型", default=None, help="只看该类型（名称、id 或简称）。")
@click.option("--compare", "base_year", type=Year(), metavar="年度", default=None,
              help="与另一年度比较：该年度的每个后进社区现在仍为后进还是已晋位升级，以及登记的帮扶措施。")
@click.option("--pairs", is_flag=True, default=False, help="列出帮带建议：每个后进社区配一个同类型的先进社区（优先同一所属单位）。")
@dimension_options
@data_option
@output_options
def command(year: tuple[int, ...], span: str | None, type_: str | None, base_year: int | None, pairs: bool,
            dimension: str | None, values: tuple[str, ...], data_dir: str | None, fmt: str | None, output: str | None,
            force: bool) -> None:
    """年度评议排队：按类型列出名次、各阶段得分、综合得分、先进/后进评定和较上年的变化。

    评议阶段、权重、同分比较顺序和名额都来自 types.yaml 的 evaluation：综合得分 = 各阶段得分按声明的
    权重加权；同分依次比较 tie_break 中的阶段，仍相同则并列，由评议委员会决定。有一票否决事项的社区
    评为后进。方式为入选（selection）或等次（grades）时，列出各阶段结果和最终的入选与否或等次。
    没有该年度评议数据时退出码为 2（数据集缺少命令所需的部分，见 docs/exit-codes.md）。
    --value 只显示符合的社区，名次仍按整个类型计算；--dimension 在社区名称后显示该维度的取值。

    \b
    示例：
      zhili rank --year 2021
      zhili rank --year 2022 --type 某类型 --format json
      zhili rank --year 2022 --compare 2021
      zhili rank --year 2021 --pairs --format csv -o 帮带.csv
      zhili rank --years 2021-2025
      zhili rank --year 2021 --value type=某类型 --dimension type
    """
    from zhili.cli.emit import emit, pick_format
    from zhili.domain import ranking
    from zhili.domain.lookup import find_type
    from zhili.errors import UsageError
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry

    from zhili.domain import dimensions as dims

    reg = load_registry(resolve(data_dir))
    filters = dims.parse_filters(reg, values)
    group = dims.find_dimension(reg, dimension) if dimension else None
    if span is not None or len(year) > 1:
        from zhili.cli.rank_years import run_years

        if base_year is not None or pairs:
            raise UsageError("逐年评定（--years 或多个 --year）不能与 --compare、--pairs 同时使用。",
                             "--compare 和 --pairs 只对一个年度：写一个 --year。")
        if filters or group is not None:
            raise UsageError("逐年评定（--years 或多个 --year）不能与 --value、--dimension 同时使用。",
                             "--value 和 --dimension 只对一个年度：写一个 --year。")
        run_years(reg, list(year), span, find_type(reg, type_) if type_ else None, fmt, output, force)
        return
    year = year[0] if year else None  # type: ignore[assignment]
    if year is None:
        have = "、".join(str(e.year) for e in reg.evaluations if e.evaluations) or "（无）"
        raise UsageError("请用 --year 指定评议年度，如 --year 2021。", f"已有评议数据的年度：{have}。")
    t = find_type(reg, type_) if type_ else None
    if base_year is not None and pairs and pick_format(fmt, output) in ("csv", "xlsx"):
        raise UsageError("csv/xlsx 只能写一张表，--compare 和 --pairs 请分开运行。", "例如先运行 --compare，再运行 --pairs。")
    if base_year is not None:
        compared = ranking.compare(reg, year, base_year, t)
        rankings = [r for r, _ in compared]
        moves: list[list[Movement]] | None = [m for _, m in compared]
    else:
        rankings, moves = ranking.rank_year(reg, year, t), None
    paired = [ranking.suggest_pairs(reg, r) for r in rankings] if pairs else None
    if filters:  # only the types with a community the filters select; places stay those of the whole type
        shown = dims.only_matching(reg, rankings, filters)
        keep = [i for i, r in enumerate(shown) if r.entries]
        rankings = [shown[i] for i in keep]
        moves = [moves[i] for i in keep] if moves is not None else None
        paired = [paired[i] for i in keep] if paired is not None else None
    out = build_output(reg, rankings, base_year, moves, paired)
    if group is not None:
        dims.add_column([*out.tables, out.flat], reg, group)
    emit(out, fmt, output, force)


def rank_columns(rules: AppliedRules | None) -> list[tuple[str, str, str]]:
    """(row key, header, justification): one column per declared stage, headed by its label. The unit
    column's header is generic here; `build_output` shows the lowest level's declared name."""
    stages = [(STAGE_KEY + s.id, s.label, "right") for s in rules.stages] if rules is not None else []
    if rules is not None and rules.method != "scores":
        return [("name", "社区", "left"), ("street", "所属单位", "left"), *stages, ("result_text", "评定结果", "left")]
    return [("rank_text", "名次", "right"), ("name", "社区", "left"), ("street", "所属单位", "left"), *stages,
            ("score", "综合", "right"), ("designation_text", "评定", "left"), ("change", "较上年", "left")]


STAGE_KEY = "stage:"  # row keys of the stage columns, apart from the other columns' keys


def build_output(reg: Registry, rankings: list[TypeRanking], base_year: int | None,
                 moves: list[list[Movement]] | None, paired: list[tuple[list[Pair], list[str]]] | None) -> Output:
    from zhili.render.output import Column, Document, Output, Section, Table

    rules = rankings[0].rules if rankings else None
    columns = [Column(k, reg.level_label() if k == "street" else h, j, value="rank" if k == "rank_text" else None)
               for k, h, j in rank_columns(rules)]
    tables, notes, flat_rows = [], [], []
    for i, r in enumerate(rankings):
        rows = [_rank_row(e, r.type.name) for e in r.entries]  # "type" is shown only in the one-sheet (csv/xlsx) table
        if r.rules is not None and r.rules.method != "scores":
            title = f"{r.year} 年{r.type.name}评定结果"
        else:
            title = f"{r.year} 年{r.type.name}排队（先进 {r.advanced_quota} 个、后进 {r.lagging_quota} 个）"
        tables.append(Table(columns, rows, title))
        flat_rows += rows
        warnings = r.warnings + (paired[i][1] if paired is not None else [])
        notes += [f"{r.type.name}：{w}" for w in warnings + r.tie_breaks]

    def data() -> list[dict[str, Any]]:
        groups = []
        for i, r in enumerate(rankings):
            group = r.to_dict()
            if moves is not None:
                group["compare"] = {"year": base_year, "lagging": [m.to_dict(base_year) for m in moves[i]]}  # type: ignore[arg-type]
            if paired is not None:
                group["pairs"] = [p.to_dict() for p in paired[i][0]]
                group["warnings"] += paired[i][1]
            groups.append(group)
        return groups

    flat = Table([Column("type", reg.type_label), *columns], flat_rows, f"{rankings[0].year} 年评议排队" if rankings else None,
                 name="评议排队")
    if moves is not None:
        flat = _movement_table(rankings, moves, base_year, reg)  # type: ignore[arg-type]
        tables.append(flat)
    if paired is not None:
        flat = _pairs_table(rankings, paired, reg.level_label(), reg.type_label)
        tables.append(flat)
    year = rankings[0].year if rankings else None
    doc_title = f"{reg.scheme.name}{year} 年度社区评议排队结果" if year is not None else f"{reg.scheme.name}年度社区评议排队结果"
    sections = [Section(t.title, tables=[Table(t.columns, t.rows, name=t.name)]) for t in tables]
    if notes:
        sections.append(Section("说明", notes))
    return Output(tables, None, notes, flat, build_data=data, title=doc_title, document=Document(doc_title, sections))


def _rank_row(e: RankedCommunity, type_name: str) -> dict[str, Any]:
    from zhili.domain.ranking import RESULT_LABELS

    if e.rank is None:
        rank_text = "未评"
    else:
        rank_text = f"{e.rank}（并列）" if e.tied else str(e.rank)
    if e.designation is not None:
        text = e.designation.label + ("（否决）" if e.veto else "")
    elif e.pending is not None:
        text = f"待定{e.pending.label}（并列）"
    else:
        text = None
    return {
        "type": type_name, "id": e.community.id, "name": e.community.name, "street": e.community.street, "rank": e.rank,
        "rank_text": rank_text, "score": e.score,
        **{STAGE_KEY + k: v for k, v in e.values.items()},
        "result_text": (RESULT_LABELS.get(e.result, e.result) + ("（否决）" if e.veto else "")) if e.result else "未评",
        "designation_text": text, "change": _change(e),
        "_mark": e.designation.value if e.designation is not None else None,  # printed documents mark 先进/后进
    }


def _change(e: RankedCommunity) -> str | None:
    prev = e.previous
    if prev is None or e.rank is None:
        return None
    if prev.rank is None:
        return "上年未评"
    delta = prev.rank - e.rank
    text = f"↑{delta}" if delta > 0 else f"↓{-delta}" if delta < 0 else "持平"
    return text + (f"（上年{prev.designation.label}）" if prev.designation else "")


def _measures_text(m: Movement, names: dict[str, str]) -> str:
    parts = []
    for r in m.measures:
        who = names.get(r.partner, r.partner) if r.partner else r.unit
        when = f"，{r.start or '?'} 至 {r.end or '?'}" if (r.start or r.end) else ""
        parts.append(f"{r.measure}（{who}{when}）")
    return "；".join(parts) if parts else "未登记"


def _movement_table(rankings: list[TypeRanking], moves: list[list[Movement]], base_year: int, reg: Registry) -> Any:
    from zhili.domain.ranking import STATUS_LABELS
    from zhili.render.output import Column, Table

    names = {c.id: c.name for c in reg.communities}
    year = rankings[0].year if rankings else None
    columns = [Column("type", reg.type_label), Column("name", "社区"), Column("street", reg.level_label()),
               Column("base_rank", f"{base_year} 年名次", "right"), Column("rank", f"{year} 年名次", "right"),
               Column("designation", f"{year} 年评定"), Column("status", "变化"), Column("measures", "帮扶措施")]
    rows = []
    for r, ms in zip(rankings, moves):
        for m in ms:
            now = m.now
            rows.append({
                "type": r.type.name, "name": m.base.community.name, "street": m.base.community.street,
                "base_rank": m.base.rank if m.base.rank is not None else "未评",
                "rank": now.rank if now and now.rank is not None else "未评",
                "designation": now.designation.label if now and now.designation else None,
                "status": STATUS_LABELS[m.status], "measures": _measures_text(m, names),
            })
    return Table(columns, rows, f"{base_year} 年后进社区在 {year} 年的变化（{len(rows)} 个）", name="后进社区变化")


def _pairs_table(rankings: list[TypeRanking], paired: list[tuple[list[Pair], list[str]]], level: str = "所属单位",
                 type_label: str = "类型") -> Any:
    from zhili.render.output import Column, Table

    columns = [Column("type", type_label), Column("lagging", "后进社区"), Column("street", level),
               Column("advanced", "帮带的先进社区"), Column("same_street", f"同{level}"), Column("recorded", "已登记的帮带")]
    rows = []
    for r, (pairs, _) in zip(rankings, paired):
        for p in pairs:
            if p.advanced is not None:
                partner = f"{p.advanced.community.name}（{p.advanced.community.street}）"
            elif p.candidates:
                partner = "待定：" + "、".join(c.community.name for c in p.candidates)
            else:
                partner = None
            rows.append({"type": r.type.name, "lagging": p.lagging.community.name, "street": p.lagging.community.street,
                         "advanced": partner, "same_street": p.same_street if (p.advanced or p.candidates) else None,
                         "recorded": p.recorded})
    year = rankings[0].year if rankings else ""
    return Table(columns, rows, f"{year} 年帮带建议（{len(rows)} 对）", name="帮带建议")
