"""Pydantic validation errors → Chinese diagnostics at the right line and column."""

from __future__ import annotations

import difflib
import re
import types as _types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from zhili.diagnostics import Diagnostic
from zhili.loading.source import SourceFile
from zhili.model.values import corrected_date


# fields that moved elsewhere in the format: (model class name, field) -> where it went
MOVED: dict[tuple[str, str], str] = {
    ("Scheme", "coverage"): "试点覆盖目标已改为 types.yaml 顶层的 programmes 和 targets（每个目标写 id、programme、share 或 count、"
                            "scope、by）；min_pilots_per_led_type 改为目标的 min_per_led_type。见 docs/data/types.md 的“项目和目标”。",
}


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated/list/dict until a model class (or something else) remains."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, _types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else args[0]
        elif origin in (list, tuple, set, frozenset):
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return annotation


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class whose fields are validated at `loc` (a mapping path), or None."""
    current: Any = model
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)  # `in:`, `not:` are aliases
        if field is None:
            # inside a dict field the key is data, not a field: stay on the value type
            continue
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field_label(model: type[BaseModel] | None, name: Any) -> str:
    if model is not None and isinstance(name, str) and name in model.model_fields:
        desc = model.model_fields[name].description
        if desc:
            return f"“{name}”（{desc.split('，')[0].split('（')[0]}）"
    return f"“{name}”"


def _kind_of(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, dict):
        return "映射（“字段: 值”的形式）"
    if isinstance(value, list):
        return "列表"
    return f"文字“{value}”"


def _loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # pydantic adds validator names to loc for some wrappers; keep only keys and indexes
    return tuple(p for p in loc if isinstance(p, int) or not (isinstance(p, str) and ("[" in p or p in ("function-before", "function-after"))))


def diagnostics(exc: ValidationError | list[dict[str, Any]], model: type[BaseModel], source: SourceFile) -> list[Diagnostic]:
    from zhili.loading.yamlread import MAX_DIAGNOSTICS_PER_FILE, too_many

    out: list[Diagnostic] = []
    errors = exc.errors(include_url=False) if isinstance(exc, ValidationError) else exc
    for err in errors[:MAX_DIAGNOSTICS_PER_FILE]:
        out.append(_one(err, model, source))
    if len(errors) > MAX_DIAGNOSTICS_PER_FILE:  # a file copied wrong thousands of times: say so once
        out.append(too_many(source.display, MAX_DIAGNOSTICS_PER_FILE))
    return out


def _one(err: dict[str, Any], root: type[BaseModel], source: SourceFile) -> Diagnostic:
    kind: str = err["type"]
    loc = _loc(tuple(err["loc"]))
    value = err.get("input")
    ctx = err.get("ctx") or {}
    name = loc[-1] if loc else ""
    parent = model_at(root, loc[:-1])
    label = _field_label(parent, name)

    if kind == "extra_forbidden":
        allowed = sorted(f.alias or n for n, f in parent.model_fields.items()) if parent is not None else []
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.5)
        hint = f"您是否要写“{close[0]}”？" if close else ""
        hint += f"这里允许的字段：{'、'.join(allowed)}。" if allowed else "删除这个字段。"
        moved = MOVED.get((parent.__name__ if parent is not None else "", str(name)))
        if moved:
            hint = moved
        return source.diag(loc, "ZL201", f"未知字段“{name}”。", hint, at_key=True)
    if kind == "missing":
        model = model_at(root, loc[:-1])
        label = _field_label(model, name)
        return source.diag(loc[:-1], "ZL202", f"缺少必填字段{label}。", f"在这一条目中加上“{name}: …”。")
    if kind == "ZL206" and isinstance(value, str):
        fixed = corrected_date(value)
        if fixed is not None and fixed != value:
            return source.diag(loc, kind, f"{label}：{err['msg']}。", f"改为 {fixed}。")
    if kind.startswith("ZL"):
        return source.diag(loc, kind, f"{label}：{err['msg']}。", ctx.get("hint") or _HINTS.get(kind, "按字段说明改正这个值。"))
    if kind in ("string_type", "int_type", "float_type", "bool_type", "date_type"):
        if value is None:
            return source.diag(loc, "ZL202", f"{label}不能为空。", "填写这个值，或整行删除（如果它是可选的）。")
        return source.diag(loc, "ZL203", f"{label}应为文字，这里是{_kind_of(value)}。", "写成“字段: 值”，值是一段文字。")
    if kind in ("list_type",):
        return source.diag(loc, "ZL203", f"{label}应为列表，这里是{_kind_of(value)}。",
                           "列表写成 [甲, 乙]，或每项一行、以“- ”开头。")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return source.diag(loc, "ZL203", f"{label or '这里'}应为映射（“字段: 值”的形式），这里是{_kind_of(value)}。",
                           "检查缩进和冒号：每个字段写成“字段: 值”。")
    if kind == "literal_error":
        # pydantic writes "'甲', '乙' or '丙'": list the choices the Chinese way
        expected = "、".join(re.findall(r"'([^']*)'", str(ctx.get("expected", "")))) or ctx.get("expected", "")
        return source.diag(loc, "ZL207", f"{label}的值“{value}”不在允许的取值中。", f"允许的取值：{expected}。")
    if kind in ("enum",):
        return source.diag(loc, "ZL207", f"{label}的值“{value}”不在允许的取值中。", f"允许的取值：{ctx.get('expected', '')}。")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": "不小于", "greater_than": "大于", "less_than_equal": "不大于", "less_than": "小于"}[kind]
        limit = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        return source.diag(loc, "ZL205", f"{label}的值 {value} 超出范围：应{bound} {limit}。", "检查这个数值是否录错。")
    if kind == "string_too_short":
        return source.diag(loc, "ZL202", f"{label}不能为空。", "填写这个值。")
    if kind == "too_short":
        return source.diag(loc, "ZL202", f"{label}至少要有 {ctx.get('min_length', 1)} 项。", "补上缺少的条目。")
    if kind == "string_pattern_mismatch":
        return source.diag(loc, "ZL209", f"{label}的写法“{value}”不符合要求：只能用英文字母、数字、点、下划线和连字符，且以字母或数字开头。",
                           "标识（id）用拼音或英文，如 sanglin、commodity-housing。")
    if kind in ("finite_number",):
        return source.diag(loc, "ZL204", f"{label}不是有限的数字。", "写一个普通的数字。")
    return source.diag(loc, "ZL209", f"{label}的值无效（{err.get('msg', '')}）。", "按字段说明改正这个值。")


_HINTS = {
    "ZL204": "只写阿拉伯数字，例如 1200 或 30.5。",
    "ZL206": "日期写成 YYYY-MM-DD，例如 2021-03-19。",
    "ZL208": "写 true 或 false（也可写 是 / 否）。",
}
