"""The third bundled example, 云州市 (examples/yunzhou, 虚构示例): a city-level scheme written as data.

It validates with no errors, labels itself fictional, and every zhili command works on it; a few concrete
facts (levels in headers, the cascade task, the milestone, the count target, the declared stages) are
checked so that a regression in any part of the declared scheme shows here.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import ROOT

YUNZHOU = ROOT / "examples" / "yunzhou"
D = ("--data", str(YUNZHOU))


def js(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def city_copy(tmp_path):
    target = tmp_path / "yunzhou"
    shutil.copytree(YUNZHOU, target)
    return target


# -- the data set --------------------------------------------------------------------------------------


def test_every_file_says_it_is_fictional_and_invented_numbers_are_labelled():
    files = sorted(YUNZHOU.rglob("*.yaml"))
    assert len(files) >= 12
    for path in files:
        head = "\n".join(path.read_text(encoding="utf-8").splitlines()[:6])
        assert "虚构示例" in head, path
    for name in ("types.yaml", "tasks.yaml", "progress.yaml", "plans.yaml", "remediation.yaml", "evaluations/2024.yaml"):
        assert "示意" in (YUNZHOU / name).read_text(encoding="utf-8"), name
    assert "虚构示例" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_communities_are_a_folder_with_one_file_per_county():
    assert not (YUNZHOU / "communities.yaml").exists()
    assert sorted(p.stem for p in (YUNZHOU / "communities").glob("*.yaml")) == [
        "gaoxin", "heming", "qinglan", "songxi", "wangjiang"]


def test_every_file_points_vs_code_at_its_schema_and_validates_against_it():
    from test_schema import SCHEMAS, _data_files, _plain, _validator

    files = list(_data_files(YUNZHOU))
    assert {k for _, k in files} >= {"types", "units", "communities", "tasks", "progress", "plans", "evaluations",
                                     "remediation", "needs", "resources"}
    assert len([p for p, k in files if k == "communities"]) == 5
    for path, kind in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert (path.parent / first.split("=", 1)[1]).resolve() == (SCHEMAS / f"{kind}.schema.json").resolve(), path
        errors = [f"{list(e.path)}: {e.message}" for e in _validator(kind).iter_errors(_plain(path))]
        assert not errors, f"{path}: {errors[:3]}"


def test_validate_has_no_errors_and_warns_only_of_the_task_without_lead(run):
    result = run("validate", *D, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["valid"] is True and payload["errors"] == []
    assert [w["message"] for w in payload["warnings"]] and all("牵头单位未明确" in w["message"] for w in payload["warnings"])
    assert len(payload["warnings"]) == 1 and payload["warnings"][0]["file"].endswith("tasks.yaml")


def test_the_scheme_is_declared_data():
    from zhili.loading.registry import load_registry

    reg = load_registry(YUNZHOU)
    s = reg.scheme
    assert (s.id, s.jurisdiction) == ("yunzhou-2024", "云州市（虚构）")
    assert s.document is None and s.issuer is None and s.date is None  # optional metadata left out
    assert len(reg.communities) == 48 and len({c.street for c in reg.communities}) == 12
    assert [lv.name for lv in reg.levels] == ["市", "区（市）县", "街道（镇、乡）"]
    assert len(reg.lowest_level_units()) == 12
    assert reg.unit_parent("锦屏街道").name == "青岚区"
    assert [u.name for u in reg.ancestors("锦屏街道")] == ["青岚区", "云州市"]
    assert {u.kind for u in reg.units} >= {"区", "县", "乡", "管委会", "县级市"}
    assert reg.type_label == "公园社区类型" and [d.name for d in reg.dimensions] == ["主题"]
    assert [p.name for p in reg.programmes] == ["分类治理试点", "未来公园社区"]


# -- every command -------------------------------------------------------------------------------------


def test_types_lists_the_three_park_types(run):
    rows = js(run("types", *D, "--format", "json"))
    assert [r["name"] for r in rows] == ["城镇公园社区", "乡村公园社区", "产业公园社区"]
    assert sum(r["communities"] for r in rows) == 48


def test_communities_by_county_and_by_theme(run):
    rows = js(run("communities", *D, "--format", "json"))
    assert len(rows) == 48
    assert len(js(run("communities", *D, "--street", "锦屏街道", "--format", "json"))) == 4
    assert len(js(run("communities", *D, "--street", "青岚区", "--format", "json"))) == 12
    assert len(js(run("communities", *D, "--value", "theme=生态", "--format", "json"))) == 11
    table = run("communities", *D, "--dimension", "theme")
    assert table.exit_code == 0 and "主题" in table.stdout and "生态" in table.stdout


def test_tasks_of_a_street_include_the_cascade_task_and_the_groups(run):
    rows = js(run("tasks", *D, "--unit", "锦屏街道", "--as-of", "2024-06-30", "--format", "json"))
    found = [r["no"] for r in rows]
    assert "四.1" in found  # 各区（市）县 with cascade: true, through 青岚区
    assert "四.2" in found  # 各街道（镇、乡）, a group by level
    assert "三.6" in found  # 青岚区各街道（镇）, a group by level within a unit
    assert "三.4" not in found  # 鹤鸣市、松溪县 only
    everything = [r["no"] for r in js(run("tasks", *D, "--as-of", "2024-06-30", "--format", "json"))]
    assert everything == ["三.1", "三.2", "三.3", "三.4", "三.5", "三.6", "三.7", "三.8", "四.1", "四.2", "四.3", "四.4"]


def test_milestones_and_the_task_without_lead(run):
    rows = {r["no"]: r for r in js(run("tasks", *D, "--as-of", "2025-03-01", "--format", "json"))}
    park = rows["三.2"]
    assert [(m["by"], m["title"], m["quantity"], m["status"]) for m in park["milestones"]] == [
        ("2024-12-31", "首批建成", 8, "met"), ("2025-12-31", "全部建成", 20, "open")]
    assert park["milestones"][0]["met_date"] == "2024-12-20" and park["overdue"] is False
    assert rows["三.3"]["milestones"][1]["status"] == "open"
    assert rows["三.7"]["lead"] == []
    assert rows["三.8"]["recurrence"] == "half-yearly" and rows["三.8"]["recurrence_label"] == "每半年"
    late = {r["no"]: r for r in js(run("tasks", *D, "--as-of", "2026-01-15", "--overdue", "--format", "json"))}
    assert [m["status"] for m in late["三.2"]["milestones"]] == ["met", "missed"]  # 全部建成 has no record
    assert "全部建成" in late["三.2"]["status_label"]


def test_rank_uses_the_declared_stages(run):
    table = run("rank", *D, "--year", "2024")
    assert table.exit_code == 0, table.output
    for label in ("社区自评", "区县初评", "市级评议"):
        assert label in table.stdout
    assert "街道初评" not in table.stdout and "区级评议" not in table.stdout
    rows = js(run("rank", *D, "--year", "2024", "--format", "json"))
    flat = [r for t in rows for r in t["communities"]]
    by_name = {r["name"]: r for r in flat}
    assert set(by_name["帆影社区"]["scores"]) == {"self_assessment", "county_review", "city_review"}
    lagging = sorted(r["name"] for r in flat if r["designation"] == "lagging")
    assert lagging == ["文庙社区", "溪口村", "芯谷社区"]


def test_coverage_reports_the_count_and_the_share_target(run):
    end_2025 = js(run("coverage", *D, "--as-of", "2025-12-31", "--format", "json"))
    assert {r["target_id"] for r in end_2025} == {"future-park-2025", "pilot-2024"}
    (counted,) = [r for r in end_2025 if r["target_id"] == "future-park-2025"]
    assert (counted["scope"], counted["measure"], counted["members"], counted["target_count"], counted["meets"]) == (
        "whole", "count", 21, 20, True)
    end_2024 = js(run("coverage", *D, "--as-of", "2024-12-31", "--format", "json"))
    (counted,) = [r for r in end_2024 if r["target_id"] == "future-park-2025"]
    assert counted["members"] == 9
    shares = [r for r in end_2024 if r["target_id"] == "pilot-2024"]
    assert [r["unit"] for r in shares] == ["青岚区", "望江区", "鹤鸣市", "松溪县", "云州高新区"]
    assert [r["unit"] for r in shares if not r["meets"]] == ["云州高新区"]
    table = run("coverage", *D, "--as-of", "2024-12-31")
    assert table.exit_code == 0 and "未来公园社区" in table.stdout
    assert run("coverage", *D, "--as-of", "2024-12-31", "--check").exit_code == 1  # 芯谷街道 below 30%
    assert run("coverage", *D, "--as-of", "2025-12-31", "--target", "future-park-2025", "--check").exit_code == 0


def test_units_plans_projects_standards_classify_history(run, tmp_path):
    units = {r["name"]: r for r in js(run("units", *D, "--as-of", "2024-06-30", "--format", "json"))}
    assert "市委社会工作部" in units
    plans = js(run("plans", *D, "--as-of", "2024-06-30", "--format", "json"))
    states = {r["name"]: r["status"] for r in plans}
    assert (states["渡口社区"], states["黄泥坝村"], states["沙洲社区"], states["智造社区"]) == ("missing", "missing", "late", "late")
    assert run("projects", *D).exit_code == 0
    assert run("standards", *D).exit_code == 0
    classify = js(run("classify", *D, "--format", "json"))
    assert len(classify) == 48 and {r["status"] for r in classify} == {"consistent"}  # every type as its rule says
    assert {r["dimensions"]["theme"]["status"] for r in classify} == {"consistent"}  # 智慧/平安/共享 have no rule
    assert run("classify", *D, "--check").exit_code == 0
    themes = run("classify", *D, "--dimension", "theme")
    assert themes.exit_code == 0 and "生态 11 个" in themes.stdout
    history = run("history", "锦屏社区", *D)
    assert history.exit_code == 0 and "锦屏社区" in history.stdout


def test_report_follows_the_scheme(run, tmp_path):
    out = tmp_path / "简报.html"
    result = run("report", *D, "--year", "2024", "--as-of", "2025-12-31", "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    for word in ("云州市", "区县初评", "市级评议", "未来公园社区", "主题"):
        assert word in html, word
    assert "本节从略" not in html and "街道初评" not in html


def test_notice_schema_init(run, tmp_path):
    notice = run("notice", *D, "--as-of", "2025-03-01", "-o", tmp_path / "通报.docx")
    assert notice.exit_code == 0, notice.output
    assert run("schema", tmp_path / "schemas").exit_code == 0
    made = run("init", tmp_path / "新市", "--scheme", "yunzhou")
    assert made.exit_code == 0, made.output
    assert (tmp_path / "新市" / "communities" / "qinglan.yaml").is_file()
    assert run("validate", "--data", tmp_path / "新市").exit_code == 0


def test_writes_import_collect_progress(run, city_copy, tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("社区,所属街道（镇）,类型\n新竹社区,锦屏街道,城镇公园社区\n", encoding="utf-8")
    dry = run("import", "communities", roster, "--data", city_copy, "--dry-run")
    assert dry.exit_code == 0, dry.output
    added = run("progress", "add", "--task", "三.2", "--unit", "市公园城市局", "--date", "2025-10-20",
                "--note", "第三批验收（示意）", "--data", city_copy)
    assert added.exit_code == 0, added.output
    assert "三.2" in (city_copy / "progress.yaml").read_text(encoding="utf-8").split("第三批验收")[0][-200:]
    forms = run("collect", "--data", city_copy, "--as-of", "2025-03-01", "-o", tmp_path / "填报表")
    assert forms.exit_code == 0, forms.output
    scores = run("collect", "--data", city_copy, "--stage", "county_review", "--year", "2025", "-o", tmp_path / "评分表")
    assert scores.exit_code == 0, scores.output
    assert list((tmp_path / "评分表").glob("*.xlsx"))
    assert run("validate", "--data", city_copy).exit_code == 0


def test_diff_names_a_reclassification(run, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(YUNZHOU, repo / "data")
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one")
    path = repo / "data" / "communities" / "qinglan.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: 桂苑社区\n    street: 锦屏街道\n    type: 城镇公园社区",
                                 "name: 桂苑社区\n    street: 锦屏街道\n    type: 产业公园社区"), encoding="utf-8")
    result = run("diff", "--data", repo / "data", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "桂苑社区" in result.stdout


def test_every_command_is_exercised_here():
    """A new command must be tried on the city example too."""
    from zhili.cli.app import COMMANDS

    source = (ROOT / "tests" / "test_example_city.py").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f'run("{name}"' in source, name


def test_a_levels_own_group_name_leads_a_task_for_every_unit_of_that_level(run, city_copy):
    def led(unit: str) -> list[str]:
        return [t["no"] for t in js(run("tasks", "--data", city_copy, "--unit", unit, "--format", "json"))]

    assert "三.3" not in led("松溪县")  # 三.3: 市住建局 leads, 中心城区 (青岚区, 望江区) supports
    types, tasks = city_copy / "types.yaml", city_copy / "tasks.yaml"
    types.write_text(types.read_text(encoding="utf-8").replace(
        "  - {id: county, name: 区（市）县}", "  - {id: county, name: 区（市）县, group: 全市各区县}"), encoding="utf-8")
    text = tasks.read_text(encoding="utf-8")
    at = text.index("  - no: 三.3")
    tasks.write_text(text[:at] + text[at:].replace("    lead: [市住建局]", "    lead: [全市各区县]", 1), encoding="utf-8")
    report = js(run("validate", "--data", city_copy, "--format", "json"))
    assert report["valid"] is True and report["errors"] == []
    assert "三.3" in led("松溪县") and "三.3" in led("青岚区")  # every unit of the county level
    assert "三.3" not in led("芯谷街道")  # the level group names the county level only, not the towns below
    (row,) = [t for t in js(run("tasks", "--data", city_copy, "--format", "json")) if t["no"] == "三.3"]
    assert row["lead"] == ["全市各区县"]
