"""References between catalogue entries and communities (used by the loader's checks and by zhili projects).

No pydantic here, so commands answering from the cache can resolve references too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhili.model.community import Community
    from zhili.model.registry import Registry


def community_by_ref(reg: "Registry", text: str) -> "Community | None":
    """A community by id; else by name when only one community has it; else by lowest-level unit + name."""
    for c in reg.communities:
        if c.id == text:
            return c
    named = [c for c in reg.communities if c.name == text]
    if len(named) == 1:
        return named[0]
    return next((c for c in reg.communities if f"{c.street}{c.name}" == text), None)


@dataclass(frozen=True)
class Scope:
    """Where a resource can serve: one community, or every community of some towns (streets)."""

    community: "Community | None"
    streets: tuple[str, ...]  # canonical street-level unit names; empty when `community` is set

    def covers(self, community: "Community", reg: "Registry") -> bool:
        if self.community is not None:
            return self.community.id == community.id
        unit = reg.unit(community.street)
        return unit is not None and unit.name in self.streets


def scope_of(reg: "Registry", text: str) -> Scope | None:
    """A resource's scope: a community reference, or a unit of any level / unit group standing for units of
    the lowest level (itself or the units below it); None if neither."""
    community = community_by_ref(reg, text)
    if community is not None:
        return Scope(community, ())
    lowest = {u.name for u in reg.lowest_level_units()}
    covered = [d.name for u in reg.members(text) for d in (u, *reg.descendants(u))]
    members = tuple(n for n in dict.fromkeys(covered) if n in lowest)
    return Scope(None, members) if members else None
