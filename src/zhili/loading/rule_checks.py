"""Cross-checks for classification: attribute declarations, rules, precedence, community values.

Rules and values are validated against the declarations in types.yaml, with the exact place of every
problem, so a mistyped attribute or threshold is a validation error and never a crash at `classify`.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterable

from zhili.diagnostics import Diagnostic
from zhili.loading.checking import CheckContext, duplicates
from zhili.model.rules import KIND_LABELS, ORDERED_KINDS, Attribute, AttributeValueError, Rule, Value, convert


def _did_you_mean(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    if close:
        return f"您是否要找：{'、'.join(close)}？"
    return f"已声明的属性：{'、'.join(names)}。" if names else "types.yaml 中还没有声明任何属性（attributes）。"


def check_rules(ctx: CheckContext) -> Iterable[Diagnostic]:
    """types.yaml: attribute declarations, precedence and every type's rule."""
    types_file = ctx.files["types"].model
    attrs: list[Attribute] = list(types_file.attributes)
    names = [a.name for a in attrs]
    for i in duplicates(names):
        yield ctx.diag("types", ("attributes", i, "name"), "ZL303", f"属性“{names[i]}”重复声明。", "每个属性只声明一次。")
    for i, a in enumerate(attrs):
        if a.kind == "choice" and not a.choices:
            yield ctx.diag("types", ("attributes", i), "ZL202", f"属性“{a.name}”是选项（choice），但没有列出 choices。",
                           "加上 choices: [甲, 乙]，列出所有可选的取值。")
        elif a.kind != "choice" and a.choices:
            yield ctx.diag("types", ("attributes", i, "choices"), "ZL209",
                           f"属性“{a.name}”的类型是{KIND_LABELS[a.kind]}，不能有 choices。", "删除 choices，或把 kind 改为 choice。")
        for j in duplicates(list(a.choices)):
            yield ctx.diag("types", ("attributes", i, "choices", j), "ZL303", f"属性“{a.name}”的选项“{a.choices[j]}”重复。",
                           "每个选项只写一次。")
    yield from _check_precedence(ctx, list(types_file.precedence))
    decls = {a.name: a for a in attrs}
    for i, t in enumerate(ctx.registry.types):
        if t.rule is not None:
            yield from _check_node(ctx, t.name, t.rule, ("types", i, "rule"), decls)


def _check_precedence(ctx: CheckContext, precedence: list[str]) -> Iterable[Diagnostic]:
    reg = ctx.registry
    seen: dict[str, int] = {}
    keys = [k for t in reg.types for k in (t.id, t.name)]
    for j, key in enumerate(precedence):
        t = reg.type_of(key)
        if t is None:
            close = difflib.get_close_matches(key, keys, n=3, cutoff=0.4)
            yield ctx.diag("types", ("precedence", j), "ZL310", f"优先顺序中的“{key}”不是已定义的社区类型。",
                           f"您是否要找：{'、'.join(close)}？" if close else f"可用的类型：{'、'.join(t.id for t in reg.types)}。")
        elif t.id in seen:
            yield ctx.diag("types", ("precedence", j), "ZL310",
                           f"优先顺序中“{t.name}”出现了两次（第 {seen[t.id] + 1} 项和第 {j + 1} 项）。",
                           "每个类型在 precedence 中只写一次。")
        else:
            seen[t.id] = j


def check_rule(ctx: CheckContext, where: str, rule: Rule, path: tuple[Any, ...]) -> Iterable[Diagnostic]:
    """Another rule in types.yaml (e.g. a dimension value's), checked as a type's rule is; `where` names it."""
    decls = {a.name: a for a in ctx.files["types"].model.attributes}
    yield from _check_node(ctx, "", rule, path, decls, where)


def _check_node(ctx: CheckContext, type_name: str, node: Rule, path: tuple[Any, ...],
                decls: dict[str, Attribute], where: str | None = None) -> Iterable[Diagnostic]:
    where = where or f"类型“{type_name}”的分类规则"
    shapes = [k for k, v in (("all", node.all), ("any", node.any), ("not", node.not_), ("attribute", node.attribute))
              if v is not None]
    if len(shapes) != 1:
        what = "既没有 all、any、not，也没有 attribute" if not shapes else f"同时写了 {'、'.join(shapes)}"
        yield ctx.diag("types", path, "ZL209", f"{where}中有一条{what}。",
                       "每一条要么是组合（all: […]、any: […] 或 not: {…}），要么是对一个属性的条件（attribute: …）。")
        return
    shape = shapes[0]
    if shape != "attribute":
        stray = [k for k, v in (("op", node.op), ("value", node.value), ("in", node.in_), ("present", node.present))
                 if v is not None]
        if stray:
            yield ctx.diag("types", (*path, stray[0]), "ZL209", f"{where}中，{shape} 组合里不能直接写 {'、'.join(stray)}。",
                           "把条件写成组合下的一项：- {attribute: …, op: …, value: …}。", at_key=True)
        children = node.children()
        if shape in ("all", "any") and not children:
            yield ctx.diag("types", (*path, shape), "ZL202", f"{where}中的 {shape} 是空列表。", "至少写一条条件。")
        for j, child in enumerate(children):
            yield from _check_node(ctx, type_name, child, (*path, shape, j) if shape != "not" else (*path, "not"), decls, where)
        return
    yield from _check_condition(ctx, where, node, path, decls)


def _check_condition(ctx: CheckContext, where: str, node: Rule, path: tuple[Any, ...],
                     decls: dict[str, Attribute]) -> Iterable[Diagnostic]:
    name = node.attribute or ""
    attr = decls.get(name)
    if attr is None:
        yield ctx.diag("types", (*path, "attribute"), "ZL309", f"{where}引用了未声明的属性“{name}”。",
                       _did_you_mean(name, list(decls)) + "或在 types.yaml 的 attributes 中声明它。")
        return
    tests = [k for k, v in (("op", node.op), ("in", node.in_), ("present", node.present)) if v is not None]
    if len(tests) != 1:
        what = "没有写比较方式" if not tests else f"同时写了 {'、'.join(tests)}"
        yield ctx.diag("types", path, "ZL209", f"{where}中对属性“{name}”的条件{what}。",
                       "每个条件只写一种：op 和 value（如 op: \">=\"、value: 0.5），或 in: […]，或 present: true/false。")
        return
    if node.value is not None and node.op is None:
        yield ctx.diag("types", (*path, "value"), "ZL209", f"{where}中对属性“{name}”的条件有 value 但没有 op。",
                       "加上比较符 op（如 op: \">=\"），或删除 value。", at_key=True)
    if node.op is not None:
        if node.value is None:
            yield ctx.diag("types", path, "ZL202", f"{where}中对属性“{name}”的条件（op: {node.op}）缺少 value。",
                           "加上 value: 阈值。")
            return
        if node.op not in ("==", "!=") and attr.kind not in ORDERED_KINDS:
            yield ctx.diag("types", (*path, "op"), "ZL209",
                           f"{where}中，属性“{name}”是{KIND_LABELS[attr.kind]}，不能用 {node.op} 比较大小。",
                           "这类属性只能用 ==、!= 或 in。")
        yield from _check_value(ctx, where, attr, node.value, (*path, "value"))
    if node.in_ is not None:
        if not node.in_:
            yield ctx.diag("types", (*path, "in"), "ZL202", f"{where}中对属性“{name}”的 in 是空列表。", "列出至少一个取值。")
        for j, text in enumerate(node.in_):
            yield from _check_value(ctx, where, attr, text, (*path, "in", j))


def _check_value(ctx: CheckContext, where: str, attr: Attribute, text: str, path: tuple[Any, ...]) -> Iterable[Diagnostic]:
    try:
        convert(attr, text)
    except AttributeValueError as exc:
        yield ctx.diag("types", path, "ZL308", f"{where}中属性“{attr.label}”（{attr.name}）的取值{exc.message}。", exc.hint)


def check_attribute_values(ctx: CheckContext) -> Iterable[Diagnostic]:
    """communities.yaml: every attribute value is declared and fits its declaration."""
    if not ctx.has("communities"):
        return
    decls = {a.name: a for a in ctx.files["types"].model.attributes}
    # each attribute's texts already typed (a value depends only on its declaration and its text: a province
    # repeats the same few texts), up to a bound per attribute; a refused text is converted, and refused, again
    typed_texts: dict[str, dict[str, Value]] = {name: {} for name in decls}
    registry = ctx.registry
    for i, c in enumerate(registry.communities):
        try:  # every text declared and typed before: the values at once
            registry.keep_values(c, {key: typed_texts[key][text] for key, text in c.attributes.items() if text is not None})
            continue
        except KeyError:
            pass
        typed: dict[str, Value] | None = {}
        for key, text in c.attributes.items():
            known = typed_texts.get(key)
            if known is None:
                typed = None
                path = ("communities", i, "attributes", key)
                yield ctx.diag("communities", path, "ZL307", f"社区“{c.name}”的属性“{key}”没有在 types.yaml 的 attributes 中声明。",
                               _did_you_mean(key, list(decls)) + "或先在 types.yaml 中声明这个属性。", at_key=True)
                continue
            if text is None:
                continue
            value = known.get(text, _UNTYPED)
            if value is _UNTYPED:
                attr = decls[key]
                try:
                    value = convert(attr, text)
                except AttributeValueError as exc:
                    typed = None
                    path = ("communities", i, "attributes", key)
                    yield ctx.diag("communities", path, "ZL308", f"社区“{c.name}”的属性“{attr.label}”（{key}）{exc.message}。", exc.hint)
                    continue
                if len(known) < _TYPED_TEXTS:
                    known[text] = value
            if typed is not None:
                typed[key] = value
        if typed is not None:
            registry.keep_values(c, typed)  # converted once: classify and rank read them from the registry


_UNTYPED = object()
_TYPED_TEXTS = 4096  # texts kept typed per attribute while checking
