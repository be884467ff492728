"""Matching needs with resources (治理项目目录) on small hand-built registries."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhili.domain.catalogue import project_catalogue
from zhili.errors import MissingPartError
from zhili.model.catalogue import Need, Resource
from zhili.model.community import Community
from zhili.model.registry import Registry
from zhili.model.scheme import Scheme
from zhili.model.unit import Unit, UnitGroup

SCHEME = Scheme.model_validate({"id": "t", "name": "测试方案", "jurisdiction": "某市", "title": "方案", "document": "某〔2022〕1号",
                                "issuer": "某市政府", "date": "2022-05-07", "need_dimensions": ["基础设施提升", "社区服务供给"]})
UNITS = [Unit(name="东镇", kind="镇", level="unit"), Unit(name="西镇", kind="镇", level="unit"), Unit(name="北街道", kind="街道", level="unit")]
GROUPS = [UnitGroup(name="各镇", members=["东镇", "西镇"])]
COMMUNITIES = [Community(id="a", name="甲社区", street="东镇"), Community(id="b", name="乙社区", street="东镇"),
               Community(id="c", name="丙村", street="西镇"), Community(id="d", name="丁社区", street="北街道")]


def need(id_: str, community: str, dimension: str = "基础设施提升") -> Need:
    return Need(id=id_, community=community, dimension=dimension, description=f"{id_} 的需求")


def resource(id_: str, scope: str, *dimensions: str) -> Resource:
    return Resource(id=id_, name=f"资源{id_}", kind="人力", provider="某单位", provider_kind="驻区单位", scope=scope,
                    dimensions=list(dimensions or ["基础设施提升"]))


def catalogue(needs: list[Need], resources: list[Resource], street: str | None = None):
    reg = Registry(Path("."), SCHEME, [], [], COMMUNITIES, UNITS, GROUPS, [], needs=needs, resources=resources)
    return project_catalogue(reg, street)


def ids(projects) -> list[str]:
    return [p.need.id for p in projects]


def test_town_wide_resource_serves_every_community_of_the_town_only():
    cat = catalogue([need("n1", "a"), need("n2", "b"), need("n3", "c")], [resource("r1", "东镇")])
    assert ids(cat.priority) == ["n1", "n2"]
    assert ids(cat.pending) == ["n3"]  # 丙村 is in 西镇
    assert cat.priority[0].matches[0].why == "能服务“基础设施提升”维度，服务范围“东镇”包含东镇甲社区"


def test_several_resources_for_one_need_are_all_listed():
    cat = catalogue([need("n1", "a")], [resource("r1", "a"), resource("r2", "东镇"), resource("r3", "各镇")])
    [project] = cat.priority
    assert [m.resource.id for m in project.matches] == ["r1", "r2", "r3"]
    assert project.matches[0].why == "能服务“基础设施提升”维度，服务范围就是甲社区"
    assert project.to_dict()["resources"][2]["why"] == "能服务“基础设施提升”维度，服务范围“各镇”包含东镇甲社区"


def test_a_resource_for_another_dimension_does_not_match():
    cat = catalogue([need("n1", "a", "社区服务供给")], [resource("r1", "a", "基础设施提升"), resource("r2", "东镇")])
    assert cat.priority == []
    assert ids(cat.pending) == ["n1"]
    assert cat.to_dict()["pending"][0]["resources"] == []


def test_a_community_resource_does_not_serve_its_neighbour():
    cat = catalogue([need("n1", "b")], [resource("r1", "a")])
    assert ids(cat.pending) == ["n1"]


def test_group_scope_covers_member_towns_only():
    cat = catalogue([need("n1", "c"), need("n2", "d")], [resource("r1", "各镇")])
    assert ids(cat.priority) == ["n1"] and ids(cat.pending) == ["n2"]  # 北街道 is not in 各镇


def test_json_contract_and_street_filter():
    data = catalogue([need("n1", "a"), need("n2", "d")], [resource("r1", "a")], street="东镇").to_dict()
    assert set(data) == {"priority", "pending"}
    [entry] = data["priority"]
    assert {"need", "community", "dimension", "resources"} <= set(entry)
    assert (entry["need"], entry["community"], entry["dimension"]) == ("n1 的需求", "甲社区", "基础设施提升")
    assert data["pending"] == []  # n2 is in 北街道


def test_without_resources_every_need_is_pending():
    cat = catalogue([need("n1", "a"), need("n2", "c")], [])
    assert cat.priority == [] and ids(cat.pending) == ["n1", "n2"] and not cat.has_resources


def test_without_needs_says_so():
    with pytest.raises(MissingPartError) as exc:
        catalogue([], [resource("r1", "a")])
    assert exc.value.message.startswith("该数据集没有治理需求目录（needs.yaml）")
