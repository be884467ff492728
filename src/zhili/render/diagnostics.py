"""Three renderers of one list of diagnostics: text (hledger-style), JSON and GitHub annotations."""

from __future__ import annotations

import json
from typing import Any, Sequence

from zhili.diagnostics import Diagnostic
from zhili.render.cells import safe


def _caret_line(source: str, column: int) -> str:
    from rich.cells import cell_len

    prefix = source[: max(column - 1, 0)]
    return " " * cell_len(prefix.replace("\t", " ")) + "^"


MORE_WITH_JSON = "用 --format json 查看全部"
MORE_AFTER_FIX = "改正以上问题后重新运行，可看到其余问题"


def text(diags: Sequence[Diagnostic], limit: int | None = 100, more: str = MORE_WITH_JSON) -> str:
    """Diagnostics as text, at most `limit`; `more` says how to see the rest (a command without
    `--format json` must not suggest it)."""
    out: list[str] = []
    shown = diags if limit is None else diags[:limit]
    for d in shown:
        place = f"{safe(d.file)}:{d.line}:{d.column}" if d.line else safe(d.file)
        out.append(f"{place}: {d.severity.label} {d.code} {safe(d.message)}")
        if d.source_line is not None and d.line:
            src = safe(d.source_line)
            gutter = f"{d.line:>5} | "
            out.append(f"{gutter}{src}")
            out.append(" " * (len(gutter) - 2) + "| " + _caret_line(src, d.source_column or d.column))
        if d.hint:
            out.append(f"      提示：{safe(d.hint)}")
    if limit is not None and len(diags) > limit:
        out.append(f"……另有 {len(diags) - limit} 个问题未显示（{more}）。")
    return "\n".join(out)


def skipped_text(skipped: Sequence[Any]) -> str:
    """The checks not done because of a file that could not be read (`zhili.loading.registry.Skipped`)."""
    return "\n".join(f"未进行：{safe(s.message)}。" for s in skipped)


def skipped_github(skipped: Sequence[Any]) -> str:
    return "".join(f"::notice file={_gh_escape(safe(s.file), True)},title=未进行的检查::{_gh_escape(safe(s.message))}\n"
                   for s in skipped)


def summary(diags: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    return f"共 {errors} 个错误、{warnings} 个警告。"


def as_json(valid: bool, diags: Sequence[Diagnostic], extra: dict | None = None) -> str:
    payload = {
        "valid": valid,
        "errors": [d.to_dict() for d in diags if d.is_error],
        "warnings": [d.to_dict() for d in diags if not d.is_error],
    }
    if extra:
        payload.update(extra)
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(diags: Sequence[Diagnostic]) -> str:
    lines = []
    for d in diags:
        level = "error" if d.is_error else "warning"
        props = f"file={_gh_escape(safe(d.file), True)}"
        if d.line:
            props += f",line={d.line},col={d.column}"
        props += f",title={d.code}"
        message = safe(d.message) + (f"（提示：{safe(d.hint)}）" if d.hint else "")
        lines.append(f"::{level} {props}::{_gh_escape(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
