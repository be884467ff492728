"""Cross-checks of the standards in types.yaml: unique ids, numerator and denominator declared as numbers."""

from __future__ import annotations

from typing import Iterable

from zhili.diagnostics import Diagnostic
from zhili.loading.checking import CheckContext
from zhili.model.rules import KIND_LABELS


NUMERIC_KINDS = ("number", "integer")


def check_standards(ctx: "CheckContext") -> Iterable[Diagnostic]:
    if not ctx.has("types"):
        return
    reg = ctx.registry
    declared = {a.name: a for a in reg.attributes}
    seen: set[str] = set()
    for i, s in enumerate(reg.standards):
        if s.id in seen:
            yield ctx.diag("types", ("standards", i, "id"), "ZL303", f"配置标准 id“{s.id}”重复。", "每项标准的 id 必须唯一。")
        seen.add(s.id)
        for role, label in (("numerator", "分子"), ("denominator", "分母")):
            name = getattr(s, role)
            attr = declared.get(name)
            if attr is None:
                names = "、".join(a for a, d in declared.items() if d.kind in NUMERIC_KINDS)
                yield ctx.diag("types", ("standards", i, role), "ZL307",
                               f"配置标准“{s.name}”的{label}“{name}”不是已声明的属性。",
                               f"先在 types.yaml 的 attributes 中声明它（kind: number 或 integer）；已声明的数值属性：{names or '无'}。")
            elif attr.kind not in NUMERIC_KINDS:
                yield ctx.diag("types", ("standards", i, role), "ZL308",
                               f"配置标准“{s.name}”的{label}“{name}”是“{KIND_LABELS.get(attr.kind, attr.kind)}”属性，不是数值。",
                               "分子和分母须是 kind: number 或 kind: integer 的属性。")
