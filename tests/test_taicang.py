"""The bundled 太仓 data set: clean, faithful to the seed where taken from it, and served by every command."""

from __future__ import annotations

import json

from conftest import TAICANG


def test_validate_is_clean_with_only_the_warning_the_document_calls_for(run):
    result = run("validate", "--data", TAICANG, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["valid"] is True and payload["errors"] == []
    # 四（二） names no one: the ledger says so instead of inventing a lead
    lines = (TAICANG / "tasks.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.strip().startswith("lead: []"))
    assert [(w["code"], w["line"], w["message"]) for w in payload["warnings"]] == [("ZL360", line, "任务 2 牵头单位未明确。")]


def test_scheme_matches_the_notice():
    from zhili.loading.registry import load_registry

    reg = load_registry(TAICANG)
    s = reg.scheme
    assert (s.document, s.issuer, s.date.isoformat()) == ("太政办〔2022〕46号", "太仓市人民政府办公室", "2022-05-07")
    assert s.title == "推进城乡社区分类共建试点工作实施方案"
    assert s.need_dimensions == ["基层组织建设", "基层群众自治", "基础设施提升", "人居环境整治", "多元文化融合", "社区服务供给", "物业管理监督"]
    assert [(t.programme, t.share, t.scope, t.by.isoformat(), t.min_per_led_type) for t in reg.targets] == [
        ("pilot", 0.3, "each", "2022-12-31", 2), ("pilot", 0.6, "each", "2023-12-31", 2)]


def test_eight_types_in_two_categories(run):
    result = run("types", "--data", TAICANG, "--format", "json")
    assert result.exit_code == 0
    by_category = {}
    for t in json.loads(result.stdout):
        by_category.setdefault(t["category"], []).append(t["name"])
    assert by_category == {"城市社区": ["普通商品房社区", "老街巷社区", "动迁安置社区", "村改居社区"],
                           "农村社区": ["传统乡村", "城郊融合村", "特色乡村", "拆迁撤并村"]}


def test_every_type_and_street_level_unit_has_communities_except_the_labelled_one(run):
    result = run("communities", "--data", TAICANG, "--format", "json")
    rows = json.loads(result.stdout)
    assert 30 <= len(rows) <= 40
    assert len({r["type"] for r in rows}) == 8
    streets = {r["street"] for r in rows}
    assert streets == {"城厢镇", "沙溪镇", "浏河镇", "浮桥镇", "璜泾镇", "双凤镇", "太仓港经济技术开发区", "太仓高新区",
                       "科教新城", "娄东街道", "陆渡街道"}  # 旅游度假区 has none (labelled in communities.yaml)


def test_ledger_has_the_tasks_and_the_three_phases(run):
    result = run("tasks", "--data", TAICANG, "--format", "json")
    assert result.exit_code == 0
    rows = {r["no"]: r for r in json.loads(result.stdout)}
    assert [rows[str(n)]["title"] for n in range(1, 8)] == ["突出要点、精准分类", "坚持共性、梳理清单", "着眼落实、细化措施",
                                                      "着眼长远、健全体系", "强化组织领导", "加强宣传引导", "突出考核引领"]
    assert rows["5"]["lead"] == ["市民政局"]
    assert all(rows[str(n)]["lead"] == ["各镇(区、街道)"] for n in (1, 3, 4, 6, 7, 8, 9, 10))
    assert rows["2"]["lead"] == []  # 四（二） names no one: 牵头单位未明确
    phases = [(rows[str(n)]["title"], rows[str(n)]["due"]) for n in (8, 9, 10)]
    assert phases == [("试点启动", "2022-03-31"), ("组织实施", "2022-12-31"), ("总结推广", "2023-12-31")]


def test_every_illustrative_file_says_so():
    for name in ("communities.yaml", "needs.yaml", "resources.yaml"):
        assert "示意数据" in (TAICANG / name).read_text(encoding="utf-8").split("\n\n")[0], name
    units = (TAICANG / "units.yaml").read_text(encoding="utf-8")
    assert "原文以外的信息" in units and units.count("leads:") == units.count("# 示意数据：原文附件未公布")


def test_classify_agrees_with_every_registered_type(run):
    result = run("classify", "--data", TAICANG, "--format", "json", "--check")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert len(rows) == 40 and {r["status"] for r in rows.values()} == {"consistent"}
    # 陆南社区 also satisfies the 动迁安置社区 rule: the precedence puts 村改居社区 first
    assert rows["lunan"]["computed"] == "村改居社区" and set(rows["lunan"]["matches"]) == {"村改居社区", "动迁安置社区"}
    # 雅鹿村 has no 村庄规划分类: 传统乡村 by 城乡分类代码 220 and 农业劳动力占比
    assert rows["yalu"]["computed"] == "传统乡村"


def test_rank_2022_ranks_every_type(run):
    result = run("rank", "--year", "2022", "--data", TAICANG, "--format", "json")
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)
    assert len(groups) == 8
    for g in groups:
        designations = [c["designation"] for c in g["communities"]]
        assert designations.count("advanced") == 1 and designations.count("lagging") == 1, g["type"]


def test_tasks_progress_and_overdue_phases(run):
    result = run("tasks", "--data", TAICANG, "--as-of", "2023-01-15", "--overdue", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(r["no"], r["overdue_days"]) for r in json.loads(result.stdout)] == [("8", 290), ("9", 15)]
