"""Cross-checks of the yearly evaluation files (evaluations/<年度>.yaml) and remediation.yaml."""

from __future__ import annotations

from pathlib import PurePath
from typing import Iterable

from zhili.diagnostics import Diagnostic, Severity
from zhili.loading.checking import CheckContext
from zhili.model.evaluation import PARTNER_MEASURE
from zhili.model.registry import Registry



def _community_hint(reg: Registry, text: str) -> str:
    by_name = [c for c in reg.communities if text in (c.name, f"{c.street}{c.name}")] or \
        [c for c in reg.communities if text in c.name]
    if len(by_name) == 1:
        return f"这里要写社区 id：{by_name[0].name}的 id 是 {by_name[0].id}。"
    import difflib

    ids = [c.id for c in reg.communities]
    if len(ids) > 2000:  # difflib compares with every id: in a large registry, only plausible ones
        ids = [i for i in ids if i[:1] == text[:1] and abs(len(i) - len(text)) <= 3][:2000]
    close = difflib.get_close_matches(text, ids, n=3, cutoff=0.5)
    if close:
        return f"您是否要找：{'、'.join(close)}？"
    return "community 写 communities.yaml 中的社区 id，如 sanglin。"


def _ranked_communities(reg: Registry) -> list[str]:
    """Ids of the communities the ranking covers: those with a known type."""
    return [c.id for c in reg.communities if reg.type_of(c.type) is not None]


def check_evaluations(ctx: CheckContext) -> Iterable[Diagnostic]:
    files = ctx.each("evaluations")
    if not files or not ctx.has("communities"):
        return
    reg: Registry = ctx.registry
    names = {c.id: c.name for c in reg.communities}
    for key, loaded in files:
        data = loaded.model
        stem = PurePath(key).stem
        if stem != str(data.year):
            yield ctx.diag(key, ("year",), "ZL402", f"文件名 {PurePath(key).name} 与其中的年度 {data.year} 不一致。",
                           f"把文件改名为 {data.year}.yaml，或改正 year。")
        if data.evaluations and reg.evaluation is None:
            yield ctx.diag(key, ("year",), "ZL311", "types.yaml 中没有年度评议规则（evaluation），无法计算综合得分。",
                           "在 types.yaml 中加上 evaluation: 部分，写明三项得分的权重和每类先进、后进的个数。")
        seen: set[str] = set()
        for i, e in enumerate(data.evaluations):
            if e.community not in names:
                yield ctx.diag(key, ("evaluations", i, "community"), "ZL305",
                               f"评议记录中的社区“{e.community}”不在社区台账中。", _community_hint(reg, e.community))
                continue
            if e.community in seen:
                yield ctx.diag(key, ("evaluations", i, "community"), "ZL303",
                               f"{data.year} 年已有{names[e.community]}（{e.community}）的评议记录。",
                               "每个社区每年只能有一条评议记录：合并这两条。")
            seen.add(e.community)
            if not e.complete:
                yield ctx.diag(key, ("evaluations", i), "ZL401",
                               f"{names[e.community]}的 {data.year} 年评议缺少{'、'.join(e.missing())}，排队时列为未评。",
                               "补齐三项得分（0–100）。", Severity.WARNING)
        missing = [c for c in _ranked_communities(reg) if c not in seen]
        if seen and missing:
            shown = "、".join(f"{names[c]}（{c}）" for c in missing[:10]) + ("等" if len(missing) > 10 else "")
            yield ctx.diag(key, ("evaluations",), "ZL401",
                           f"{data.year} 年只有部分社区有评议记录，缺少 {len(missing)} 个：{shown}。",
                           "补上这些社区的评议记录；没有记录的社区排队时列为未评。", Severity.WARNING, at_key=True)


def check_remediation(ctx: CheckContext) -> Iterable[Diagnostic]:
    if not ctx.has("remediation", "communities"):
        return
    reg: Registry = ctx.registry
    by_id = {c.id: c for c in reg.communities}
    standings = _standings(ctx, reg)
    for i, r in enumerate(reg.remediation):
        def diag(path: tuple, code: str, message: str, hint: str = "") -> Diagnostic:
            return ctx.diag("remediation", ("remediation", i, *path), code, message, hint)

        low = by_id.get(r.community)
        if low is None:
            yield diag(("community",), "ZL305", f"帮扶记录中的社区“{r.community}”不在社区台账中。", _community_hint(reg, r.community))
        if r.measure == PARTNER_MEASURE and r.partner is None:
            yield diag((), "ZL202", "措施为先进社区帮带时要写 partner（帮带的先进社区 id）。", "加上“partner: 先进社区的 id”。")
        if r.measure != PARTNER_MEASURE and r.unit is None:
            yield diag((), "ZL202", f"措施为{r.measure}时要写 unit（责任单位）。", "加上“unit: 单位名称”，单位须在 units.yaml 中。")
        if r.unit is not None and not reg.resolves(r.unit):
            yield diag(("unit",), "ZL302", f"帮扶记录的责任单位“{r.unit}”不在单位列表中。", "先在 units.yaml 中添加这个单位，或改用已有单位的名称。")
        partner = by_id.get(r.partner) if r.partner is not None else None
        if r.partner is not None and partner is None:
            yield diag(("partner",), "ZL305", f"帮带社区“{r.partner}”不在社区台账中。", _community_hint(reg, r.partner))
        if r.start is not None and r.end is not None and r.end < r.start:
            yield diag(("end",), "ZL402", f"帮扶记录的结束日期 {r.end} 早于开始日期 {r.start}。", "检查两个日期是否写反。")
        if standings is None or low is None:
            continue
        year = standings.get(r.year)
        if year is None:
            yield diag(("year",), "ZL311", f"没有 {r.year} 年的评议数据，无法确认{low.name}是该年的后进社区。",
                       f"year 写评为后进的年度；评议数据放在 evaluations/{r.year}.yaml。")
            continue
        status = year.get(low.id, "未评")
        if status != "后进":
            yield diag(("community",), "ZL311", f"{low.name}在 {r.year} 年不是后进社区（{status}），帮扶措施只用于后进社区。",
                       "检查 community 和 year 是否写对。")
        if partner is not None and year.get(partner.id) != "先进":
            yield diag(("partner",), "ZL311", f"帮带社区{partner.name}在 {r.year} 年不是先进社区（{year.get(partner.id, '未评')}）。",
                       "先进社区帮带要由该年评定的先进社区承担。")
        elif partner is not None and reg.type_of(partner.type) is not reg.type_of(low.type):
            yield diag(("partner",), "ZL311", f"帮带社区{partner.name}与{low.name}不是同一类型的社区。",
                       "先进社区帮带由同类型的先进社区承担。")


def _standings(ctx: CheckContext, reg: Registry) -> dict[int, dict[str, str]] | None:
    """year → community id → 先进 / 后进 / …, when every evaluation file validated; else None."""
    if reg.evaluation is None or "evaluations" in ctx.failed or not ctx.has("types", "communities"):
        return None
    untyped = [c for c in reg.communities if c.type is not None and reg.type_of(c.type) is None]
    if untyped and reg.remediation:
        # a community left out of its type's ranking changes who is 先进 and 后进: judging remediation
        # against that ranking would report errors that are only consequences of the wrong type
        c = untyped[0]
        where = ctx.place("communities", ("communities", reg.communities.index(c), "type"))
        others = f"等 {len(untyped)} 个社区" if len(untyped) > 1 else ""
        ctx.skip("communities", f"社区“{c.name}”{others}的类型不存在（{where}）："
                                "remediation.yaml 中先进、后进身份的核对未进行")
        return None
    from zhili.domain.ranking import rank_year

    out: dict[int, dict[str, str]] = {}
    for data in reg.evaluations:
        if not data.evaluations or data.year in out:
            continue
        marks: dict[str, str] = {}
        for ranking in rank_year(reg, data.year, previous=False):
            for e in ranking.entries:
                side = e.designation or e.pending  # a 待定 tie decided by the committee is accepted
                marks[e.community.id] = side.label if side else ("未评定先进或后进" if e.rated else "未评")
        out[data.year] = marks
    return out
