"""The 治理项目目录 derived from the 治理需求目录 and the 治理资源清单 (三份目录).

A resource matches a need when (1) the need's dimension is one the resource serves and (2) the need's
community lies in the resource's scope (the community itself, or a town/street or unit group that
contains it). A need with at least one matching resource goes to the 先治理项目目录 ("有需求且有资源"),
a need with none to the 待治理项目目录 ("有需求暂无资源").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhili.errors import MissingPartError
from zhili.model.refs import Scope, community_by_ref, scope_of
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.model.catalogue import Need, Resource
    from zhili.model.community import Community


@dataclass(frozen=True)
class Match:
    resource: Resource
    why: str  # Chinese: which dimension and which scope made it match


@dataclass(frozen=True)
class Project:
    need: Need
    community: Community
    matches: list[Match]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.need.id,
            "need": self.need.description,
            "community": self.community.name,
            "community_id": self.community.id,
            "street": self.community.street,
            "dimension": self.need.dimension,
            "resources": [{
                "id": m.resource.id,
                "name": m.resource.name,
                "kind": m.resource.kind,
                "provider": m.resource.provider,
                "provider_kind": m.resource.provider_kind,
                "scope": m.resource.scope,
                "why": m.why,
            } for m in self.matches],
        }


@dataclass(frozen=True)
class ProjectCatalogue:
    priority: list[Project]  # 先治理项目目录：有需求且有资源
    pending: list[Project]  # 待治理项目目录：有需求暂无资源
    has_resources: bool  # False when the data set has no resources.yaml

    def to_dict(self) -> dict[str, object]:
        return {"priority": [p.to_dict() for p in self.priority], "pending": [p.to_dict() for p in self.pending]}


def why(need: Need, community: Community, resource: Resource, scope: Scope) -> str:
    where = (f"服务范围就是{community.name}" if scope.community is not None
             else f"服务范围“{resource.scope}”包含{community.street}{community.name}")
    return f"能服务“{need.dimension}”维度，{where}"


def match(reg: Registry, need: Need, community: Community, resources: list[Resource]) -> list[Match]:
    found = []
    for r in resources:
        if need.dimension not in r.dimensions:
            continue
        scope = scope_of(reg, r.scope)
        if scope is not None and scope.covers(community, reg):
            found.append(Match(r, why(need, community, r, scope)))
    return found


def project_catalogue(reg: Registry, street: str | None = None) -> ProjectCatalogue:
    """Every need (of `street` only, when given) sorted into priority and pending, in needs.yaml order."""
    if not reg.needs:
        raise MissingPartError(f"该数据集没有治理需求目录（needs.yaml），无法生成治理项目目录：{reg.scheme.name}。",
                            "在数据目录中添加 needs.yaml（以及 resources.yaml），格式见文档 docs/data/needs.md。")
    priority, pending = [], []
    for need in reg.needs:
        community = community_by_ref(reg, need.community)
        if community is None:  # the loader has reported it; a valid registry never gets here
            continue
        if street is not None and not reg.covers(reg.unit(street), community):
            continue
        matches = match(reg, need, community, reg.resources)
        (priority if matches else pending).append(Project(need, community, matches))
    return ProjectCatalogue(priority, pending, bool(reg.resources))
