"""Checks that span the files of a registry written as a folder (communities/, progress/, plans/).

Duplicates across files are found by the ordinary checks over the joined lists (`CheckContext.locate`
puts each diagnostic in its own file); here only what belongs to the form itself.
"""

from __future__ import annotations

from typing import Iterable

from zhili.diagnostics import Diagnostic
from zhili.loading.checking import CheckContext


def check_plan_requirement(ctx: CheckContext) -> Iterable[Diagnostic]:
    """Exactly one plans file holds `requirement` (ZL015 none, ZL016 more than one)."""
    if not ctx.has("plans"):
        return
    parts = ctx.parts("plans")
    holding = [(key, loaded) for key, loaded in parts if loaded.model.requirement is not None]
    if not holding:
        first = parts[0][1]
        where = first.source.display if parts[0][0] == "plans" else f"文件夹 {ctx.folder_display('plans')}/ 中的文件"
        yield first.source.diag((), "ZL015", f"{where}没有写报送要求（requirement）。",
                                "写明 requirement（title、due、receiver）；分文件存放时，只在其中一个文件（如 plans/报送要求.yaml）写。")
        return
    first_key, first = holding[0]
    for _, loaded in holding[1:]:
        line, _ = first.source.position(("requirement",), at_key=True)
        yield loaded.source.diag(("requirement",), "ZL016",
                                 f"报送要求（requirement）写了不止一处：{first.source.display} 第 {line} 行已经写了。",
                                 "只保留一处报送要求，删去其他文件中的 requirement。", at_key=True)
