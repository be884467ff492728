"""`zhili diff` on a temporary git repository built from the bundled data: one commit per kind of change."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DATA, edit

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


NEW_COMMUNITY = """
  - id: xinjian
    name: 新建社区
    street: 游仙街道
    type: 商品住宅型社区
"""
NEW_PROGRESS = """
  - task: 30
    date: 2021-10-08
    unit: 区民政局
    note: 完成社区用房移交（测试）
"""

# (commit name, file, old text, new text): each commit is one kind of change
CHANGES = [
    ("rename", "communities.yaml", "name: 桑林社区", "name: 桑林新社区"),
    ("reclassify", "communities.yaml", "name: 绵山路社区\n    street: 涪江街道\n    type: 商品住宅型社区",
     "name: 绵山路社区\n    street: 涪江街道\n    type: 老旧院落型社区"),
    ("add-community", "communities.yaml", "      farmer_migrant_share: 0.71\n", "      farmer_migrant_share: 0.71\n" + NEW_COMMUNITY),
    ("unit", "units.yaml", "  - name: 区住建局\n    kind: 政府部门\n    aliases: []", "  - name: 区住建局\n    kind: 政府部门\n    aliases: [住建局]"),
    ("task", "tasks.yaml", "    due: 2021-11-30\n  - no: 27", "  - no: 27"),
    ("progress", "progress.yaml", "note: 开展新建楼盘社区用房专项清理（示意）\n", "note: 开展新建楼盘社区用房专项清理（示意）\n" + NEW_PROGRESS),
    ("plan", "plans.yaml", "  - community: sanglin\n    submitted: 2021-03-19", "  - community: sanglin\n    submitted: 2021-03-25"),
    ("score", "evaluations/2021.yaml", "  - community: sanglin\n    self_assessment: 95", "  - community: sanglin\n    self_assessment: 60"),
    ("scheme", "types.yaml", "  advanced: 2\n  lagging: 2", "  advanced: 3\n  lagging: 2"),
    ("remediation", "remediation.yaml", "    partner: liduci\n    start: 2022-01-10\n    end: 2022-11-30",
     "    partner: liduci\n    start: 2022-01-10\n    end: 2022-12-31"),
    ("group", "units.yaml", "    members: [涪江街道, 富乐街道, 游仙街道]", "    members: [涪江街道, 富乐街道]"),
    ("rule", "types.yaml", "      op: \">=\"\n      value: 0.5\n      assumption: 原文“以商品住宅小区为主”",
     "      op: \">=\"\n      value: 0.7\n      assumption: 原文“以商品住宅小区为主”"),
    ("broken", "communities.yaml", "street: 经济试验区", "street: 不存在街道"),
    ("broken-schema", "evaluations/2022.yaml", "  - community: sanglin\n    self_assessment: 93", "  - community: sanglin\n    self_assessment: 九十三"),
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("repo")
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(DATA, root / "data")
    commits = {"base": commit(root, "base")}
    for name, file, old, new in CHANGES:
        edit(root / "data" / file, old, new)
        commits[name] = commit(root, name)
    git(root, "reset", "-q", "--hard", commits["rule"])  # the working tree: the last valid commit
    return root, commits


def diff_json(run, root: Path, *revisions: str) -> dict:
    result = run("diff", "--data", root / "data", *revisions, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def step(repo: tuple[Path, dict[str, str]], name: str) -> tuple[str, str]:
    root, commits = repo
    names = ["base"] + [c[0] for c in CHANGES]
    return commits[names[names.index(name) - 1]], commits[name]


def changes(run, repo, name: str) -> list[dict]:
    return diff_json(run, repo[0], *step(repo, name))["changes"]


def test_rename_keeps_the_id(run, repo):
    (c,) = changes(run, repo, "rename")
    assert (c["section"], c["kind"], c["kind_label"], c["id"]) == ("communities", "renamed", "更名", "sanglin")
    assert (c["old"], c["new"]) == ("桑林社区", "桑林新社区")
    assert c["text"] == "更名社区“桑林新社区（sanglin）”：名称：桑林社区 → 桑林新社区"


def test_reclassification_says_whether_the_rules_agree(run, repo):
    found = changes(run, repo, "reclassify")
    (c,) = [x for x in found if x["section"] == "communities"]
    assert (c["kind"], c["old"], c["new"]) == ("reclassified", "商品住宅型社区", "老旧院落型社区")
    assert c["agrees_with_rules"] is False and c["rule_type_label"] == "商品住宅型社区"
    assert c["detail"] == "类型：商品住宅型社区 → 老旧院落型社区；与分类规则不符：规则计算为商品住宅型社区"
    # it now ranks among the 老旧院落型 communities, and takes a 先进 place there from 汉城社区
    moved = {x["id"]: (x["old"], x["new"]) for x in found if x["section"] == "designations"}
    assert moved == {"2021/mianshanlu": ("无评定（商品住宅型社区第 4 名）", "先进（老旧院落型社区第 3 名）"),
                     "2021/hancheng": ("先进（老旧院落型社区第 3 名）", "无评定（老旧院落型社区第 4 名）")}


def test_reclassification_back_agrees_with_the_rules(run, repo):
    old, new = step(repo, "reclassify")
    (c,) = [x for x in diff_json(run, repo[0], new, old)["changes"] if x["section"] == "communities"]
    assert (c["new"], c["agrees_with_rules"], c["note"]) == (
        "商品住宅型社区", True, "与分类规则一致")


def test_added_community(run, repo):
    (c,) = changes(run, repo, "add-community")
    assert (c["kind"], c["id"], c["summary"], c["detail"]) == ("added", "xinjian", "游仙街道，商品住宅型社区", "游仙街道，商品住宅型社区")
    assert c["new"]["street"] == "游仙街道" and c["new"]["type"] == "商品住宅型社区"


def test_removed_is_the_reverse(run, repo):
    old, new = step(repo, "add-community")
    (c,) = diff_json(run, repo[0], new, old)["changes"]
    assert (c["kind"], c["kind_label"], c["id"]) == ("removed", "删除", "xinjian")


def test_unit_alias(run, repo):
    (c,) = changes(run, repo, "unit")
    assert (c["section"], c["name"], c["field"], c["old"], c["new"]) == ("units", "区住建局", "aliases", [], ["住建局"])


def test_task_deadline(run, repo):
    (c,) = changes(run, repo, "task")
    assert (c["section"], c["id"], c["field_label"], c["old"], c["new"]) == ("tasks", "26", "截止日期", "2021-11-30", None)
    assert c["detail"] == "截止日期：2021-11-30 → （无）"


def test_progress_entry(run, repo):
    (c,) = changes(run, repo, "progress")
    assert (c["section"], c["kind"], c["name"]) == ("progress", "added", "第 30 项任务 2021-10-08 区民政局")
    assert c["detail"] == "完成社区用房移交（测试）"


def test_plan_date(run, repo):
    (c,) = changes(run, repo, "plan")
    assert (c["section"], c["id"], c["old"], c["new"]) == ("plans", "sanglin", "2021-03-19", "2021-03-25")


def test_score_and_the_designations_it_changes(run, repo):
    found = changes(run, repo, "score")
    score = [c for c in found if c["section"] == "evaluations"]
    assert [(c["id"], c["field"], c["field_label"], c["old"], c["new"]) for c in score] == [
        ("2021/sanglin", "self_assessment", "社区自评", 95, 60)]
    # committed long after the 2021 evaluation (2021-11-26): the change says so
    assert score[0]["after_evaluation"] is True and score[0]["evaluated_on"] == "2021-11-26"
    assert score[0]["detail"] == "社区自评：95 → 60；在评议日期（2021-11-26）之后修改"
    assert score[0]["street"] == "经济试验区"
    text = run("diff", "--data", repo[0] / "data", *step(repo, "score"), env={"COLUMNS": "400"}).stdout
    assert "评议记录的变化按街道：经济试验区 1 处（其中 1 处在评议日期之后）。" in text
    designations = {c["id"]: c for c in found if c["section"] == "designations"}
    assert set(designations) == {"2021/sanglin", "2021/wuliduilu"}
    s = designations["2021/sanglin"]
    assert (s["old_designation"], s["new_designation"], s["old_rank"], s["new_rank"]) == ("advanced", None, 1, 4)
    assert designations["2021/wuliduilu"]["new_designation"] == "advanced"
    assert s["new"] == "无评定（商品住宅型社区第 4 名）"


def test_designations_agree_with_zhili_rank_on_each_side(run, repo, tmp_path):
    root, _ = repo
    old, new = step(repo, "score")
    ranks = {}
    for rev in (old, new):
        target = tmp_path / rev
        target.mkdir()
        archive = subprocess.run(["git", "archive", rev, "data"], cwd=root, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        result = run("rank", "--data", target / "data", "--year", "2021", "--format", "json")
        ranks[rev] = {c["id"]: c["designation"] for t in json.loads(result.stdout) for c in t["communities"]}
    expected = {f"2021/{cid}" for cid in ranks[old] if ranks[old][cid] != ranks[new].get(cid)}
    assert {c["id"] for c in changes(run, repo, "score") if c["section"] == "designations"} == expected


def test_scheme_rules(run, repo):
    found = changes(run, repo, "scheme")
    (rule,) = [c for c in found if c["section"] == "scheme"]
    assert (rule["name"], rule["field_label"], rule["old"], rule["new"]) == ("年度评议规则", "每类先进名额", 2, 3)
    assert all(c["section"] == "designations" and c["new_designation"] == "advanced" for c in found if c is not rule)
    assert len(found) > 1


def test_remediation_dates(run, repo):
    (c,) = changes(run, repo, "remediation")
    assert (c["section"], c["field"], c["old"], c["new"]) == ("remediation", "end", "2022-11-30", "2022-12-31")


def test_group_members(run, repo):
    (c,) = changes(run, repo, "group")
    assert (c["section"], c["name"], c["field_label"], c["new"]) == ("groups", "各街道", "成员单位", ["涪江街道", "富乐街道"])


def test_a_rule_change_and_the_communities_it_reclassifies(run, repo):
    found = changes(run, repo, "rule")
    (rule,) = [c for c in found if c["section"] == "types"]
    assert (rule["name"], rule["field_label"], rule["old"], rule["new"]) == (
        "商品住宅型社区", "分类规则", "商品住宅占比 >= 0.5", "商品住宅占比 >= 0.7")
    computed = {c["id"]: c for c in found if c["section"] == "classification"}
    assert set(computed) == {"hanjiaji", "youxianguan"}  # 0.69 and below: no longer 商品住宅型 by the rules
    c = computed["hanjiaji"]
    assert (c["old"], c["new"], c["agrees_with_rules"], c["note"]) == ("商品住宅型社区", None, None, "不符合任何类型的规则")
    assert c["text"] == "修改规则计算“韩家脊社区（hanjiaji）”：规则计算类型：商品住宅型社区 → （无）；不符合任何类型的规则"


def test_a_change_that_breaks_validation(run, repo):
    root, _ = repo
    old, new = step(repo, "broken")
    data = diff_json(run, root, old, new)
    assert data["old"]["valid"] is True and data["new"]["valid"] is False
    (error,) = data["new"]["errors"]
    assert error["code"] == "ZL304" and error["file"] == f"{new}:data/communities.yaml" and error["line"] > 0
    (c,) = data["changes"]  # what can be shown is shown
    assert (c["field"], c["old"], c["new"]) == ("street", "经济试验区", "不存在街道")
    text = run("diff", "--data", root / "data", old, new).stdout
    assert "未通过校验（1 个错误）" in text and f"{new}:data/communities.yaml:" in text


def test_a_file_that_fails_its_schema_skips_what_depends_on_it(run, repo):
    root, commits = repo
    data = diff_json(run, root, f"{commits['rule']}..{commits['broken-schema']}")
    assert data["old"]["valid"] and not data["new"]["valid"]
    assert {s["section"] for s in data["skipped"]} == {"evaluations", "designations"}
    assert any(e["code"] == "ZL204" or e["file"].endswith("evaluations/2022.yaml") for e in data["new"]["errors"])
    assert [c["field"] for c in data["changes"]] == ["street"]


def test_working_tree_against_head_and_exit_code(run, repo, tmp_path):
    root, _ = repo
    clean = run("diff", "--data", root / "data", "--exit-code")
    assert clean.exit_code == 0 and "数据的含义没有变化。" in clean.stdout
    target = root / "data" / "communities.yaml"
    original = target.read_text(encoding="utf-8")
    try:
        edit(target, "name: 五里堆路社区", "name: 五里堆社区")
        changed = run("diff", "--data", root / "data", "--exit-code")
        assert changed.exit_code == 1
        assert "HEAD" in changed.stdout and "工作区" in changed.stdout and "名称：五里堆路社区 → 五里堆社区" in changed.stdout
        assert run("diff", "--data", root / "data").exit_code == 0  # without --exit-code: 0
    finally:
        target.write_text(original, encoding="utf-8")


def test_every_format_carries_the_same_facts(run, repo, tmp_path):
    root, commits = repo
    span = (commits["base"], commits["rule"])
    data = diff_json(run, root, *span)
    assert data["count"] == len(data["changes"]) > 10
    md = html.unescape(run("diff", "--data", root / "data", *span, "--format", "markdown").stdout)  # "&gt;" is ">"
    table = run("diff", "--data", root / "data", *span, env={"COLUMNS": "1000"}).stdout
    sheet = list(csv.reader(io.StringIO(run("diff", "--data", root / "data", *span, "--format", "csv").stdout.lstrip("\ufeff"))))
    assert sheet[0] == ["类别", "变化", "对象", "说明"]
    rows = {tuple(r) for r in sheet[1:]}
    for c in data["changes"]:
        assert f"| {c['kind_label']} | {c['name']} | {c['detail']} |" in md
        assert c["name"] in table and c["detail"] in table
        assert (c["section_label"], c["kind_label"], c["name"], c["detail"]) in rows
    assert len(sheet) - 1 == data["count"]
    from openpyxl import load_workbook

    target = tmp_path / "diff.xlsx"
    assert run("diff", "--data", root / "data", *span, "-o", target).exit_code == 0
    cells = [tuple(c if c is not None else "" for c in row) for row in load_workbook(target).active.iter_rows(values_only=True)]
    assert [c for c in cells if c and c[0] != "类别"][-len(sheet) + 1:] == [tuple(r) for r in sheet[1:]]


def test_usage_errors(run, repo, tmp_path):
    root, _ = repo
    outside = tmp_path / "plain"
    shutil.copytree(DATA, outside)
    result = run("diff", "--data", outside)
    assert result.exit_code == 2 and "不在 git 仓库中" in result.stderr
    result = run("diff", "--data", root / "data", "no-such-branch")
    assert result.exit_code == 2 and "错误：未知的版本：no-such-branch。" in result.stderr
    result = run("diff", "--data", root / "data", "--upload-pack=touch")
    assert result.exit_code == 2  # an option, never passed to git as one
    result = run("diff", "--data", root / "data", "HEAD", "HEAD~1", "HEAD~2")
    assert result.exit_code == 2 and "最多写两个版本" in result.stderr


def test_untrusted_repository_runs_nothing_and_follows_no_link(run, tmp_path):
    root = tmp_path / "evil"
    root.mkdir()
    git(root, "init", "-q")
    shutil.copytree(DATA, root / "data")
    base = commit(root, "base")
    marker = tmp_path / "ran"
    secret = tmp_path / "secret.yaml"
    secret.write_text("units: [{name: 泄露单位, kind: 政府部门}]\n", encoding="utf-8")
    (root / "data" / "units.yaml").unlink()
    (root / "data" / "units.yaml").symlink_to(secret)
    head = commit(root, "link")
    for key, value in (("core.fsmonitor", f"touch {marker}"), ("core.pager", f"touch {marker}"),
                       ("diff.external", f"touch {marker}")):
        git(root, "config", key, value)
    hook = root / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    data = diff_json(run, root, base, head)
    assert not marker.exists()
    assert not data["new"]["valid"]
    assert any("符号链接" in e["message"] and e["file"] == f"{head}:data/units.yaml" for e in data["new"]["errors"])
    assert "泄露单位" not in json.dumps(data, ensure_ascii=False)


def test_markdown_escapes_what_the_data_says(run, tmp_path):
    root = tmp_path / "md"
    root.mkdir()
    git(root, "init", "-q")
    shutil.copytree(DATA, root / "data")
    commit(root, "base")
    edit(root / "data" / "communities.yaml", "name: 桑林社区", "name: 桑林|社区")
    md = run("diff", "--data", root / "data", "--format", "markdown").stdout
    assert "| 更名 | 桑林\\|社区（sanglin） | 名称：桑林社区 → 桑林\\|社区 |" in md
    edit(root / "data" / "communities.yaml", "name: 桑林|社区", "name: \"桑林社区\\e[31m\"")
    md = run("diff", "--data", root / "data", "--format", "markdown").stdout
    assert "\x1b" not in md and "U+001B" in md  # refused by the reader, reported, never echoed raw
    assert "数据的含义没有变化" not in md and "未比较" in md


def test_without_data_it_finds_the_data_directory_like_other_commands(run, repo, tmp_path, monkeypatch):
    root, _ = repo
    monkeypatch.delenv("ZHILI_DATA", raising=False)
    monkeypatch.chdir(root / "data" / "evaluations")  # inside the data directory: it is found
    result = run("diff", "--exit-code")
    assert result.exit_code == 0 and "数据的含义没有变化。" in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)  # no data anywhere: never the bundled sample
    result = run("diff")
    assert result.exit_code == 2 and "没有 zhili 数据文件，无从比较" in result.stderr
    assert "使用内置示例数据" not in result.stderr


def test_a_dimension_value_and_programme_dates_under_their_declared_names(run, tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    shutil.copytree(DATA.parent / "examples" / "yunzhou", tmp_path / "data")
    commit(tmp_path, "base")
    target = tmp_path / "data" / "communities" / "qinglan.yaml"
    jinping = "  - id: jinping\n    name: 锦屏社区\n    street: 锦屏街道\n    type: 城镇公园社区\n"
    edit(target, jinping + "    dimensions: {theme: 人文}", jinping + "    dimensions: {theme: culture}")
    assert diff_json(run, tmp_path)["changes"] == []  # the same value by its id: no change
    edit(target, jinping + "    dimensions: {theme: culture}", jinping + "    dimensions: {theme: 智慧}")
    edit(target, jinping + "    dimensions: {theme: 智慧}\n    pilot_start: 2024-03-15  # 示意\n"
                           "    programmes: {future-park: 2024-06-01}",
         jinping + "    dimensions: {theme: 智慧}\n    pilot_start: 2024-03-15  # 示意\n    programmes: {future-park: 2024-09-01}")
    found = {c["field"]: c for c in diff_json(run, tmp_path)["changes"]}
    assert set(found) == {"dimensions.theme", "programmes"}
    theme, programmes = found["dimensions.theme"], found["programmes"]
    assert (theme["id"], theme["field_label"], theme["old"], theme["new"]) == ("jinping", "主题", "人文", "智慧")
    assert programmes["detail"] == "参加的项目及开始日期：未来公园社区 2024-06-01 → 未来公园社区 2024-09-01"
    table = run("diff", "--data", tmp_path / "data").stdout
    assert "主题：人文 → 智慧" in table
