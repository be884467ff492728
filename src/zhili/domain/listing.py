"""Plain rows for the listing commands `types`, `communities` and the plain ledger."""

from __future__ import annotations

from typing import Any

from zhili.model.registry import Registry
from zhili.model.scheme import CommunityType


def type_rows(reg: Registry) -> list[dict[str, Any]]:
    rows = []
    for t in reg.types:
        category = reg.category_of(t)
        rows.append({
            "id": t.id,
            "name": t.name,
            "category": category.name if category else None,
            "goal": t.goal,
            "main_line": t.main_line,
            "definition": t.definition,
            "directions": [d.title for d in t.directions],
            "communities": len(reg.communities_of(t)),
        })
    return rows


def community_rows(reg: Registry, type_: CommunityType | None = None, street: str | None = None) -> list[dict[str, Any]]:
    rows = []
    for c in reg.communities:
        t = reg.type_of(c.type)
        if type_ is not None and t is not type_:
            continue
        if street is not None and reg.unit(c.street) is not reg.unit(street):
            continue
        rows.append({"id": c.id, "name": c.name, "street": c.street, "type": t.name if t else None,
                     "type_id": t.id if t else None})
    return rows


def task_rows(reg: Registry) -> list[dict[str, Any]]:
    rows = []
    for t in sorted(reg.tasks, key=lambda t: t.no):
        ty = reg.type_of(t.type)
        rows.append({
            "no": t.no,
            "type": ty.name if ty else None,
            "title": t.title,
            "lead": list(t.lead),
            "support": list(t.support),
            "start": t.start,
            "due": t.due,
            "recurrence": t.recurrence,
            "source": t.source,
        })
    return rows
