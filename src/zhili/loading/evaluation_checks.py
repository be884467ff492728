"""Cross-checks of the evaluation declaration (types.yaml `evaluation:`), the yearly evaluation files
(evaluations/<年度>.yaml) and remediation.yaml."""

from __future__ import annotations

from fractions import Fraction
from pathlib import PurePath
from typing import Any, Iterable

from zhili.diagnostics import Diagnostic, Severity
from zhili.loading.checking import CheckContext
from zhili.loading.checking import duplicates as _duplicates
from zhili.model.behaviour import NO, YES
from zhili.model.evaluation import Evaluation
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


METHOD_LABELS = {"scores": "打分（scores）", "selection": "入选（selection）", "grades": "等次（grades）"}


def reserved_stage_ids() -> set[str]:
    """Names an evaluation record already uses (its fields and methods): a stage cannot be called so."""
    return set(Evaluation.model_fields) | {n for n in dir(Evaluation) if not n.startswith("_")}


def _declared(rules: Any) -> str:
    return "、".join(f"{s.id}（{s.label}）" for s in rules.stages)


def _sum_text(total: Fraction) -> str:
    return f"{float(total):g}"


def check_evaluation_rules(ctx: CheckContext) -> Iterable[Diagnostic]:
    """The declaration itself: stage ids, weights, tie-break, grades (ZL330–ZL334)."""
    rules = ctx.registry.evaluation
    if rules is None or not ctx.has("types"):
        return
    at = ("evaluation",)
    ids = [s.id for s in rules.stages]
    for j in _duplicates(ids):
        yield ctx.diag("types", (*at, "stages", j, "id"), "ZL331", f"评议阶段 id“{ids[j]}”重复。",
                       "每个阶段的 id 必须唯一：评议记录以阶段 id 为键写结果。")
    reserved = reserved_stage_ids()
    for j, s in enumerate(rules.stages):
        if s.id in reserved or s.id.startswith("model_"):
            yield ctx.diag("types", (*at, "stages", j, "id"), "ZL333", f"评议阶段 id“{s.id}”与评议记录的字段同名。",
                           f"换一个 id，不要用 {'、'.join(sorted(Evaluation.model_fields))} 这些字段名。")
    scores = rules.method == "scores"
    method = METHOD_LABELS[rules.method]
    for j, s in enumerate(rules.stages):
        if scores and s.weight is None:
            yield ctx.diag("types", (*at, "stages", j), "ZL333", f"评议方式为{method}，阶段“{s.label}”没有写权重 weight。",
                           "每个阶段写 weight（0–1），各阶段之和为 1。")
        elif not scores and s.weight is not None:
            yield ctx.diag("types", (*at, "stages", j, "weight"), "ZL333",
                           f"评议方式为{method}，不计算综合得分，阶段“{s.label}”不能写权重。",
                           "删除 weight；要按得分排队时写 method: scores。")
    if scores and all(s.weight is not None for s in rules.stages):
        total = sum((Fraction(str(s.weight)) for s in rules.stages), Fraction(0))
        if total != 1:
            yield ctx.diag("types", (*at, "stages"), "ZL330", f"各评议阶段的权重之和应为 1，这里是 {_sum_text(total)}。",
                           "调整各阶段的 weight，使之和为 1（如 0.2、0.3、0.5）。", at_key=True)
    for k, name in enumerate(rules.tie_break):
        if not scores:
            yield ctx.diag("types", (*at, "tie_break"), "ZL333", f"评议方式为{method}，没有综合得分，不能写 tie_break。",
                           "删除 tie_break。", at_key=True)
            break
        if name not in ids:
            yield ctx.diag("types", (*at, "tie_break", k), "ZL332", f"同分比较顺序中的阶段“{name}”没有声明。",
                           f"已声明的阶段：{_declared(rules)}。")
    for k in _duplicates(list(rules.tie_break)):
        yield ctx.diag("types", (*at, "tie_break", k), "ZL331", f"同分比较顺序中的阶段“{rules.tie_break[k]}”重复。",
                       "每个阶段在 tie_break 中只写一次。")
    if rules.method == "grades" and len(rules.grades) < 2:
        yield ctx.diag("types", at, "ZL334", "评议方式为等次（grades），但没有声明至少两个等次（grades）。",
                       "加上“grades: [优秀, 合格, 不合格]”，从高到低。", at_key=True)
    elif rules.method != "grades" and rules.grades:
        yield ctx.diag("types", (*at, "grades"), "ZL334", f"评议方式为{method}，不能写等次 grades。",
                       "删除 grades，或写 method: grades。", at_key=True)
    for k in _duplicates(list(rules.grades)):
        yield ctx.diag("types", (*at, "grades", k), "ZL334", f"等次“{rules.grades[k]}”重复。", "每个等次只写一次。")
    for i, y in enumerate(rules.years):
        if y.weights is None:
            continue
        where = (*at, "years", i, "weights")
        if not scores:
            yield ctx.diag("types", where, "ZL333", f"评议方式为{method}，{y.year} 年不能调整权重。", "删除 weights。", at_key=True)
            continue
        unknown = [k for k in y.weights if k not in ids]
        for k in unknown:
            yield ctx.diag("types", (*where, k), "ZL332", f"{y.year} 年的权重中，阶段“{k}”没有声明。",
                           f"已声明的阶段：{_declared(rules)}。", at_key=True)
        left = [s.label for s in rules.stages if s.id not in y.weights]
        if left:
            yield ctx.diag("types", where, "ZL333", f"{y.year} 年的权重没有写全：缺少{'、'.join(left)}。",
                           "按年度调整权重时写出每个阶段的权重，之和为 1。", at_key=True)
        elif not unknown:
            total = sum((Fraction(str(w)) for w in y.weights.values()), Fraction(0))
            if total != 1:
                yield ctx.diag("types", where, "ZL330", f"{y.year} 年各评议阶段的权重之和应为 1，这里是 {_sum_text(total)}。",
                               "调整该年度的权重，使之和为 1。", at_key=True)


def _stage_problem(rules: Any, stage: Any, value: Any) -> tuple[str, str, str] | None:
    """(code, message, hint) when `value` is not a result the method allows for `stage`."""
    if rules.method == "scores":
        if type(value) in (int, float) and 0 <= value <= 100:
            return None
        return ("ZL336", f"{stage.label}（{stage.id}）的得分应为 0–100 的数，这里是“{_value_text(value)}”。",
                "写阿拉伯数字，可带小数，如 87.5；尚未评的阶段整行不写。")
    if rules.method == "selection":
        if isinstance(value, str) and (value in YES or value in NO):
            return None
        return ("ZL336", f"{stage.label}（{stage.id}）的结果应为 是 或 否，这里是“{_value_text(value)}”。",
                "入选写 是，未入选写 否（也可写 入选 / 未入选）；尚未评的阶段整行不写。")
    if isinstance(value, str) and value in rules.grades:
        return None
    return ("ZL334", f"{stage.label}（{stage.id}）的等次“{_value_text(value)}”没有声明。",
            f"声明的等次：{'、'.join(rules.grades)}（types.yaml 的 evaluation.grades）。")


def _value_text(value: Any) -> str:
    if type(value) is float:
        return f"{value:g}"
    if isinstance(value, (list, dict)):
        return "列表" if isinstance(value, list) else "映射"
    return str(value)


class _Stages:
    """What checking every record against one declaration needs, worked out once (a province has hundreds
    of thousands of records): the stages by id, the texts of the hints, which results are plainly right."""

    def __init__(self, rules: Any):
        self.rules = rules
        self.by_id = {s.id: s for s in rules.stages}
        self.fields = "、".join(Evaluation.model_fields)
        self.declared = _declared(rules)
        self.quiet = rules.method == "grades" and not rules.grades  # no grades: said once, in types.yaml
        self.scores = rules.method == "scores"
        # a result that is plainly right needs no further look (`_stage_problem` says why the others are not)
        if rules.method == "scores":
            self.right = lambda v: type(v) in (int, float) and 0 <= v <= 100
        elif rules.method == "selection":
            self.right = lambda v: isinstance(v, str) and (v in YES or v in NO)
        else:
            grades = set(rules.grades)
            self.right = lambda v: isinstance(v, str) and v in grades
        # the stages in order, and whether a record's result for it is one of its extra fields (a stage id
        # that is also a field or a method of the record, ZL333, is read as an attribute, as before)
        reserved = reserved_stage_ids()
        self.order = [(s.id, s.label, s.id in reserved or s.id.startswith("_")) for s in rules.stages]
        self.simple = not any(attribute for _, _, attribute in self.order) and len(self.by_id) == len(self.order)

    def scan(self, e: Any, extra: dict[str, Any]) -> tuple[bool, bool]:
        """(whether `problems` has nothing to say, whether `gaps` has nothing to say), found without building
        either: true for nearly every record."""
        if e.vetoes and not self.rules.vetoes:
            return False, False
        by_id, known = self.by_id, 0
        if self.scores:
            for name, value in extra.items():
                if name not in by_id:
                    return False, False
                if value is not None:
                    if type(value) not in _NUMBERS or not 0 <= value <= 100:
                        return False, False
                    known += 1
        else:
            right = self.right
            for name, value in extra.items():
                if name not in by_id:
                    return False, False
                if value is not None:
                    if not (self.quiet or right(value)):
                        return False, False
                    known += 1
        return True, self.simple and known == len(by_id)

    def problems(self, ctx: CheckContext, key: str, i: int, e: Any, extra: dict[str, Any]) -> Iterable[Diagnostic]:
        """Each extra key of a record is a declared stage, and its value fits the method (ZL332, ZL334, ZL336)."""
        by_id, right = self.by_id, self.right
        for name, value in extra.items():
            stage = by_id.get(name)
            if stage is None:
                yield ctx.diag(key, ("evaluations", i, name), "ZL332", f"评议记录中的“{name}”不是已声明的评议阶段。",
                               f"已声明的阶段：{self.declared}；记录的其他字段：{self.fields}。", at_key=True)
                continue
            if value is None or self.quiet or right(value):
                continue
            problem = _stage_problem(self.rules, stage, value)
            if problem is not None:
                yield ctx.diag(key, ("evaluations", i, name), *problem)
        if e.vetoes and not self.rules.vetoes:
            yield ctx.diag(key, ("evaluations", i, "vetoes"), "ZL337", "方案没有实行一票否决（evaluation.vetoes: false），记录不能写 vetoes。",
                           "删除 vetoes，或在 types.yaml 的 evaluation 中写 vetoes: true。", at_key=True)

    def gaps(self, e: Any, extra: dict[str, Any]) -> list[str]:
        """Labels of the stages still to come; in a selection, nothing after a 否 is awaited."""
        out = []
        selection = self.rules.method == "selection"
        for sid, label, attribute in self.order:
            value = getattr(e, sid, None) if attribute else extra.get(sid)
            if selection and isinstance(value, str) and value in NO:
                return out
            if value is None:
                out.append(label)
        return out


_NUMBERS = (int, float)


def _extra(e: Any) -> dict[str, Any]:
    """A record's extra fields: its stage results."""
    return getattr(e, "__pydantic_extra__", None) or {}


def _sound(ctx: CheckContext) -> bool:
    """Whether the declaration and every record's stage results are right (the ranking can be computed)."""
    rules = ctx.registry.evaluation
    if any(d.is_error for d in check_evaluation_rules(ctx)):
        return False
    stages = _Stages(rules)
    return not any(d.is_error for key, loaded in ctx.each("evaluations")
                   for i, e in enumerate(loaded.model.evaluations) for d in stages.problems(ctx, key, i, e, _extra(e)))


def check_evaluations(ctx: CheckContext) -> Iterable[Diagnostic]:
    files = ctx.each("evaluations")
    if not files or not ctx.has("communities"):
        return
    reg: Registry = ctx.registry
    names = {c.id: c.name for c in reg.communities}
    ranked: list[str] | None = None  # the ids the ranking covers, worked out for the first file
    for key, loaded in files:
        data = loaded.model
        stem = PurePath(key).stem
        if stem != str(data.year):
            yield ctx.diag(key, ("year",), "ZL402", f"文件名 {PurePath(key).name} 与其中的年度 {data.year} 不一致。",
                           f"把文件改名为 {data.year}.yaml，或改正 year。")
        rules = reg.evaluation
        if data.evaluations and rules is None:
            yield ctx.diag(key, ("year",), "ZL311", "types.yaml 中没有年度评议规则（evaluation），无法评定。",
                           "在 types.yaml 中加上 evaluation: 部分，写明评议阶段（stages）、各阶段的权重和每类先进、后进的名额。")
        seen: set[str] = set()
        stages = _Stages(rules) if rules is not None and ctx.has("types") else None
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
            if stages is None:
                continue
            extra = _extra(e)
            right, complete = stages.scan(e, extra)
            if not right:
                yield from stages.problems(ctx, key, i, e, extra)
            gaps = [] if complete else stages.gaps(e, extra)
            if gaps:
                yield ctx.diag(key, ("evaluations", i), "ZL401",
                               f"{names[e.community]}的 {data.year} 年评议缺少{'、'.join(gaps)}，"
                               f"{'排队' if rules.method == 'scores' else '评定'}时列为未评。",
                               "补齐各阶段的结果。", Severity.WARNING)
        if ranked is None:
            ranked = _ranked_communities(reg)
        missing = [c for c in ranked if c not in seen]
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
    measures = {m.name: m for m in reg.vocabularies.measures}
    for i, r in enumerate(reg.remediation):
        def diag(path: tuple, code: str, message: str, hint: str = "") -> Diagnostic:
            return ctx.diag("remediation", ("remediation", i, *path), code, message, hint)

        low = by_id.get(r.community)
        if low is None:
            yield diag(("community",), "ZL305", f"帮扶记录中的社区“{r.community}”不在社区台账中。", _community_hint(reg, r.community))
        declared = measures.get(r.measure)
        if declared is None:
            yield diag(("measure",), "ZL372", f"帮扶措施“{r.measure}”没有在方案中声明。",
                       f"声明的措施：{'、'.join(measures) or '（无）'}；其他措施先加到 types.yaml 的 vocabularies.measures。")
        elif declared.pairs and r.partner is None:
            yield diag((), "ZL202", f"措施为{r.measure}时要写 partner（帮带的先进社区 id）。", "加上“partner: 先进社区的 id”。")
        elif declared.needs_unit and r.unit is None:
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
                       "帮带要由该年评定的先进社区承担。")
        elif partner is not None and reg.type_of(partner.type) is not reg.type_of(low.type):
            yield diag(("partner",), "ZL311", f"帮带社区{partner.name}与{low.name}不是同一类型的社区。",
                       "帮带由同类型的先进社区承担。")


def _standings(ctx: CheckContext, reg: Registry) -> dict[int, dict[str, str]] | None:
    """year → community id → 先进 / 后进 / …, when every evaluation file validated; else None."""
    if reg.evaluation is None or "evaluations" in ctx.failed or not ctx.has("types", "communities"):
        return None
    if not _sound(ctx):  # a wrong declaration or stage result: no ranking to judge against
        ctx.skip("types", "评议规则或评议记录有误：remediation.yaml 中先进、后进身份的核对未进行")
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
