"""`zhili projects` on the bundled 太仓 data, a data set without catalogues, and bad catalogue data."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from conftest import DATA, TAICANG, edit


@pytest.fixture
def taicang(tmp_path):
    target = tmp_path / "taicang"
    shutil.copytree(TAICANG, target)
    return target


def test_json_contract(run):
    result = run("projects", "--data", TAICANG, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"priority", "pending", "notes"}
    for entry in data["priority"] + data["pending"]:
        assert {"need", "community", "dimension", "resources"} <= set(entry)
    assert all(e["resources"] for e in data["priority"]) and all(e["resources"] == [] for e in data["pending"])
    n01 = next(e for e in data["priority"] if e["id"] == "N01")
    assert (n01["community"], n01["dimension"]) == ("南园社区", "基础设施提升")
    assert [r["id"] for r in n01["resources"]] == ["R01", "R02"]  # the community's own and the town-wide one
    # 陆新社区 has a resource, but for 多元文化融合, not for its 物业管理监督 need
    assert "N15" in [e["id"] for e in data["pending"]]


def test_table_has_both_catalogues_with_reasons(run):
    result = run("projects", "--data", TAICANG, "--street", "城厢镇")
    assert result.exit_code == 0
    assert "先治理项目目录：有需求且有资源（2 项）" in result.output
    assert "待治理项目目录：有需求暂无资源（2 项）" in result.output
    assert "城厢镇西门街社区" in result.output.split("待治理项目目录")[1]


def test_csv_is_one_sheet_with_the_catalogue_column(run):
    result = run("projects", "--data", TAICANG, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert {r["目录"] for r in rows} == {"先治理项目目录", "待治理项目目录"}
    n03 = next(r for r in rows if r["需求"] == "N03")
    assert "R03：能服务“社区服务供给”维度，服务范围“城厢镇”包含城厢镇东门社区" == n03["匹配理由"]


def test_data_set_without_catalogues_says_so(run):
    result = run("projects", "--data", DATA)
    assert result.exit_code == 2
    assert "该数据集没有治理需求目录（needs.yaml）" in result.stderr


def test_needs_without_resources_are_all_pending(run, taicang):
    (taicang / "resources.yaml").unlink()
    result = run("projects", "--data", taicang)
    assert result.exit_code == 0
    assert "先治理项目目录：有需求且有资源（0 项）" in result.output
    assert "该数据集没有治理资源清单（resources.yaml），所有需求都列入待治理项目目录。" in result.output


def errors(run, path):
    result = run("validate", "--data", path, "--format", "json")
    assert result.exit_code == 1
    return json.loads(result.stdout)["errors"]


def line_of(path, text, exact=False):
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, l in enumerate(lines, 1) if (l.strip() == text if exact else text in l))


def test_need_for_an_unknown_community(run, taicang):
    edit(taicang / "needs.yaml", "community: nanyuan", "community: nanyuen")
    [err] = errors(run, taicang)
    assert (err["code"], err["line"], err["column"]) == ("ZL305", line_of(taicang / "needs.yaml", "nanyuen"), 16)
    assert err["message"] == "需求 N01 的社区“nanyuen”不在社区台账中。"
    assert err["hint"].startswith("您是否要找：nanyuan")


def test_unknown_dimension_in_need_and_resource(run, taicang):
    edit(taicang / "needs.yaml", "dimension: 人居环境整治", "dimension: 环境整治")
    edit(taicang / "resources.yaml", "dimensions: [人居环境整治]", "dimensions: [人居环境]")
    need, res = errors(run, taicang)
    assert (need["code"], need["line"]) == ("ZL311", line_of(taicang / "needs.yaml", "dimension: 环境整治"))
    assert need["message"] == "需求 N02 的维度“环境整治”不是方案规定的需求维度。"
    assert need["hint"] == "您是否要找：人居环境整治？"
    assert (res["code"], res["line"]) == ("ZL311", line_of(taicang / "resources.yaml", "[人居环境]"))
    assert res["message"] == "资源 R04 的维度“人居环境”不是方案规定的需求维度。"


def test_resource_scope_must_be_a_community_or_a_town(run, taicang):
    edit(taicang / "resources.yaml", "scope: 城厢镇", "scope: 城厢")
    [err] = errors(run, taicang)
    assert (err["code"], err["line"]) == ("ZL311", line_of(taicang / "resources.yaml", "scope: 城厢", exact=True))
    assert err["message"] == "资源 R02 的服务范围“城厢”既不是社区，也不是“镇(区、街道)”或其上级单位、单位组。"
    assert err["hint"] == "您是否要找：城厢镇？"


def test_resource_kind_is_one_of_six(run, taicang):
    edit(taicang / "resources.yaml", "kind: 物力", "kind: 资金")
    [err] = errors(run, taicang)
    assert (err["code"], err["line"]) == ("ZL207", line_of(taicang / "resources.yaml", "kind: 资金"))
    assert "的值“资金”不在允许的取值中" in err["message"]


def test_duplicate_need_id(run, taicang):
    edit(taicang / "needs.yaml", "id: N02", "id: N01")
    [err] = errors(run, taicang)
    assert (err["code"], err["message"]) == ("ZL303", "需求 id“N01”重复。")


def test_unknown_resource_kind_lists_the_six_kinds_in_chinese(run, taicang):
    edit(taicang / "resources.yaml", "kind: 物力", "kind: 资金")
    [err] = errors(run, taicang)
    assert err["hint"] == "允许的取值：人力、物力、文化、智力、宣传、组织。"
