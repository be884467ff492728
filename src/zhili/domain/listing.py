"""Plain rows for the listing commands `types` and `communities` (the ledger's rows: `domain.tasks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from zhili.domain.dimensions import ValueFilter, community_matches, order_key, value_name

from zhili.model.registry import Registry

if TYPE_CHECKING:
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


def community_rows(reg: Registry, type_: CommunityType | None = None, street: str | None = None,
                   filters: Sequence[ValueFilter] = (), dimension: Any = None) -> list[dict[str, Any]]:
    """The JSON rows of `zhili communities`; `dimensions` holds each declared dimension's value (name).
    With `dimension`, the rows are ordered by its values (declared order, no value last)."""
    rows = []
    for c in reg.communities:
        t = reg.type_of(c.type)
        if type_ is not None and t is not type_:
            continue
        if street is not None and not reg.covers(reg.unit(street), c):
            continue
        if filters and not community_matches(reg, c, filters):
            continue
        row: dict[str, Any] = {"id": c.id, "name": c.name, "street": c.street, "type": t.name if t else None,
                               "type_id": t.id if t else None}
        if reg.dimensions:
            row["dimensions"] = {d.id: value_name(reg, c, d.id) for d in reg.dimensions}
        rows.append(row)
    if dimension is not None:
        place = order_key(dimension)
        key = (lambda r: r["type"]) if dimension.id == "type" else (lambda r: r["dimensions"][dimension.id])
        rows.sort(key=lambda r: (key(r) is None, place.get(key(r) or "", 0)))
    return rows
