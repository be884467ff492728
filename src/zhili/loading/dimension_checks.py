"""Cross-checks for classification dimensions: their declarations in types.yaml, the values
communities record, and the scope (`applies_to`, or the `type` shorthand) of every task."""

from __future__ import annotations

from typing import Any, Iterable

from zhili.diagnostics import Diagnostic, Severity
from zhili.loading.checking import CheckContext, suggest
from zhili.loading.rule_checks import check_rule
from zhili.model.registry import TYPE_DIMENSION


def check_dimensions(ctx: CheckContext) -> Iterable[Diagnostic]:
    yield from _check_declarations(ctx)
    if ctx.has("communities"):
        yield from _check_communities(ctx)
    if ctx.has("tasks"):
        yield from _check_tasks(ctx)


def _declared(ctx: CheckContext) -> str:
    dims = ctx.registry.dimensions
    if not dims:
        return "types.yaml 中除社区类型（type）外没有声明其他维度（dimensions）。"
    return f"已声明的维度：type（{ctx.registry.type_label}）、" + "、".join(f"{d.id}（{d.name}）" for d in dims) + "。"


def _check_declarations(ctx: CheckContext) -> Iterable[Diagnostic]:
    reg = ctx.registry
    ids: dict[str, int] = {}
    names: dict[str, int] = {}
    for i, d in enumerate(reg.dimensions):
        if d.id == TYPE_DIMENSION:
            yield ctx.diag("types", ("dimensions", i, "id"), "ZL342", "维度 id 不能是“type”：type 是社区类型这一主维度。",
                           "换一个 id，如 theme；社区类型的名称用 type_label 设定。")
        elif d.id in ids:
            yield ctx.diag("types", ("dimensions", i, "id"), "ZL342", f"维度 id“{d.id}”重复（第 {ids[d.id] + 1} 个维度已用）。",
                           "每个维度的 id 必须唯一。")
        else:
            ids[d.id] = i
        if d.name == reg.type_label:
            yield ctx.diag("types", ("dimensions", i, "name"), "ZL342", f"维度名称“{d.name}”与社区类型这一主维度重名。",
                           "换一个名称；社区类型的名称用 type_label 设定。")
        elif d.name in names:
            yield ctx.diag("types", ("dimensions", i, "name"), "ZL342",
                           f"维度名称“{d.name}”重复（第 {names[d.name] + 1} 个维度已用）。", "每个维度的名称必须唯一。")
        else:
            names[d.name] = i
        for field_name, label in (("id", "id"), ("name", "名称")):
            seen: dict[str, int] = {}
            for j, v in enumerate(d.values):
                key = getattr(v, field_name)
                if key in seen:
                    yield ctx.diag("types", ("dimensions", i, "values", j, field_name), "ZL342",
                                   f"维度“{d.name}”的取值{label}“{key}”重复（第 {seen[key] + 1} 个取值已用）。",
                                   "同一维度内每个取值的 id 和名称都必须唯一。")
                else:
                    seen[key] = j
        for j, v in enumerate(d.values):
            if v.rule is not None:
                yield from check_rule(ctx, f"维度“{d.name}”取值“{v.name}”的分类规则", v.rule, ("dimensions", i, "values", j, "rule"))


def _value_problem(ctx: CheckContext, kind: str, path: tuple[Any, ...], owner: str, dim_id: str,
                   key: str) -> Iterable[Diagnostic]:
    reg = ctx.registry
    if reg.dimension_value(dim_id, key) is not None:
        return
    if dim_id == TYPE_DIMENSION:
        keys = [t.name for t in reg.types]
        yield ctx.diag(kind, path, "ZL301", f"{owner}的类型“{key}”不存在。", suggest(key, keys) or f"可用的类型：{'、'.join(keys)}。")
        return
    dim = reg.dimension(dim_id)
    names = [v.name for v in dim.values] if dim is not None else []
    yield ctx.diag(kind, path, "ZL341", f"{owner}在维度“{dim.name if dim else dim_id}”上的取值“{key}”没有声明。",
                   suggest(key, names + [v.id for v in dim.values] if dim else []) or
                   f"可用的取值：{'、'.join(names)}；或在 types.yaml 该维度的 values 中声明它。")


def _unknown_dimension(ctx: CheckContext, kind: str, path: tuple[Any, ...], owner: str, dim_id: str) -> Diagnostic:
    return ctx.diag(kind, path, "ZL340", f"{owner}引用了未声明的维度“{dim_id}”。",
                    _declared(ctx) + "写维度的 id，或先在 types.yaml 的 dimensions 中声明这个维度。", at_key=True)


def _check_communities(ctx: CheckContext) -> Iterable[Diagnostic]:
    reg = ctx.registry
    declared = {d.id for d in reg.dimensions}
    for i, c in enumerate(reg.communities):
        for dim_id, key in c.dimensions.items():
            path = ("communities", i, "dimensions", dim_id)
            if dim_id == TYPE_DIMENSION:
                yield ctx.diag("communities", path, "ZL340", f"社区“{c.name}”在 dimensions 中写了 type。",
                               "社区类型写在社区的 type 字段，dimensions 只写其他维度。", at_key=True)
            elif dim_id not in declared:
                yield _unknown_dimension(ctx, "communities", path, f"社区“{c.name}”", dim_id)
            else:
                yield from _value_problem(ctx, "communities", path, f"社区“{c.name}”", dim_id, key)


def _check_tasks(ctx: CheckContext) -> Iterable[Diagnostic]:
    reg = ctx.registry
    declared = {TYPE_DIMENSION} | {d.id for d in reg.dimensions}
    for i, t in enumerate(reg.tasks):
        owner = f"任务 {t.no} "
        if t.applies_to is None:
            if t.type is None:
                yield ctx.diag("tasks", ("tasks", i), "ZL345", f"任务 {t.no} 的适用范围未写明，按全部处理。",
                               "写 applies_to: all（适用于全部社区），或 applies_to: {type: [类型, …]}、type: 类型。",
                               Severity.WARNING)
            continue
        if t.type is not None:
            yield ctx.diag("tasks", ("tasks", i, "applies_to"), "ZL344", f"任务 {t.no} 同时写了 type 和 applies_to。",
                           f"只写一个：type: {t.type} 是 applies_to: {{type: [{t.type}]}} 的简写。", at_key=True)
            continue
        if t.applies_to == "all":
            continue
        if not t.applies_to:
            yield ctx.diag("tasks", ("tasks", i, "applies_to"), "ZL346", f"任务 {t.no} 的适用范围是空的。",
                           "写 applies_to: all（适用于全部社区），或列出维度和取值，如 applies_to: {type: [类型]}。")
            continue
        for dim_id, keys in t.applies_to.items():
            path = ("tasks", i, "applies_to", dim_id)
            if dim_id not in declared:
                yield _unknown_dimension(ctx, "tasks", path, owner, dim_id)
                continue
            if not keys:
                yield ctx.diag("tasks", path, "ZL346", f"任务 {t.no} 的适用范围中“{dim_id}”没有列出取值。",
                               "至少列出一个取值；适用于全部社区时写 applies_to: all。")
            seen: dict[int, int] = {}
            for j, key in enumerate(keys):
                value = reg.dimension_value(dim_id, key)
                if value is None:
                    yield from _value_problem(ctx, "tasks", (*path, j), owner, dim_id, key)
                elif id(value) in seen:
                    yield ctx.diag("tasks", (*path, j), "ZL343",
                                   f"任务 {t.no} 的适用范围中“{value.name}”写了两次（第 {seen[id(value)] + 1} 项和第 {j + 1} 项）。",
                                   "每个取值只写一次（id 和名称指同一个取值）。")
                else:
                    seen[id(value)] = j
