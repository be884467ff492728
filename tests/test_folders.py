"""Registries that grow: communities/, progress/ and plans/ as folders of files, loaded as one registry.

Each diagnostic names its own file and line; a duplicate across files names both places; the form
itself is checked (both forms, an empty folder, a subfolder, too many files, a link out of the data
directory); the cache, the writers, `zhili diff` and `zhili history` follow the folder form.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DATA, edit
from zhili.loading import layout, yamlread
from zhili.loading.registry import load


def split_communities(data_dir: Path) -> dict[str, list[str]]:
    """Move communities.yaml into communities/<street>.yaml, one file per street; returns street → ids."""
    value = yamlread.read((data_dir / "communities.yaml").read_bytes(), "communities.yaml").value
    by_street: dict[str, list[dict]] = {}
    for c in value["communities"]:
        by_street.setdefault(c["street"], []).append(c)
    (data_dir / "communities").mkdir()
    for street, items in by_street.items():
        text = yaml.safe_dump({"communities": items}, allow_unicode=True, sort_keys=False)
        (data_dir / "communities" / f"{street}.yaml").write_text(text, encoding="utf-8")
    (data_dir / "communities.yaml").unlink()
    return {street: [c["id"] for c in items] for street, items in by_street.items()}


def errors(run, data_dir: Path) -> list[dict]:
    result = run("validate", "--data", data_dir, "--format", "json")
    return json.loads(result.stdout)["errors"]


def line_of(path: Path, text: str, nth: int = 0) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [i for i, line in enumerate(lines, 1) if text in line][nth]


COMMUNITY = "  - {{id: {id}, name: {name}, street: 游仙街道, type: 商品住宅型社区}}\n"


# -- the folder form loads as one registry --------------------------------------------------------


def test_a_split_registry_gives_the_same_answers_as_one_file(run, data_copy):
    commands = {"rank": ("--year", "2021"), "tasks": ("--as-of", "2022-06-30"), "classify": (), "plans": ("--as-of", "2021-06-30")}
    before = {cmd: run(cmd, "--data", data_copy, "--format", "json", *extra) for cmd, extra in commands.items()}
    assert all(r.exit_code in (0, 1) and '"error": true' not in r.stdout for r in before.values())
    split_communities(data_copy)
    ok = run("validate", "--data", data_copy)
    assert ok.exit_code == 0, ok.output
    assert "25 个社区" in ok.stdout
    after = {cmd: run(cmd, "--data", data_copy, "--format", "json", *extra) for cmd, extra in commands.items()}
    for cmd in ("rank", "tasks"):
        assert after[cmd].stdout == before[cmd].stdout, cmd
    # classify and plans list the communities in registry order (file order, then entry order): the same rows
    rows = lambda r: sorted(json.dumps(x, sort_keys=True, ensure_ascii=False) for x in json.loads(r.stdout))  # noqa: E731
    assert rows(after["classify"]) == rows(before["classify"])
    assert rows(after["plans"]) == rows(before["plans"])


def test_registry_order_is_file_order_then_entry_order(data_copy):
    ids = split_communities(data_copy)
    registry = load(data_copy).registry
    assert registry is not None
    assert [c.id for c in registry.communities] == [i for street in sorted(ids) for i in ids[street]]


def test_an_error_names_its_own_file_and_line(run, data_copy):
    split_communities(data_copy)
    target = data_copy / "communities" / "游仙街道.yaml"
    with target.open("a", encoding="utf-8") as fh:
        fh.write("- {id: xinjian, name: 新建社区, street: 游仙镇, type: 商品住宅型社区}\n")
    [err] = errors(run, data_copy)
    assert (err["code"], err["file"], err["line"]) == ("ZL304", str(target), line_of(target, "xinjian"))
    assert err["message"] == "社区“新建社区”的所属街道“游仙镇”不在单位列表中。"


def test_a_duplicate_across_files_names_both_places(run, data_copy):
    split_communities(data_copy)
    first = data_copy / "communities" / "富乐街道.yaml"
    second = data_copy / "communities" / "游仙街道.yaml"
    with second.open("a", encoding="utf-8") as fh:
        fh.write("- {id: liduci, name: 另一个社区, street: 游仙街道, type: 商品住宅型社区}\n")
    [err] = errors(run, data_copy)
    assert (err["code"], err["file"], err["line"]) == ("ZL303", str(second), line_of(second, "id: liduci"))
    assert err["message"] == f"社区 id“liduci”重复：communities/富乐街道.yaml 第 {line_of(first, 'id: liduci')} 行已有。"


def test_each_file_has_its_own_limits(run, data_copy, monkeypatch):
    """The per-file entry limit (ZL120) refuses one large file; the same entries split in two pass."""
    value = yamlread.read((data_copy / "plans.yaml").read_bytes(), "plans.yaml").value
    # types.yaml leaves out the vocabularies it spells out at their defaults (measures, recurrences, plan status
    # labels), so that plans.yaml, with 105 mappings and lists, is the one file over the limit
    types = (data_copy / "types.yaml").read_text(encoding="utf-8")
    (data_copy / "types.yaml").write_text(types[:types.index("\n  measures:", types.index("\nvocabularies:")) + 1], encoding="utf-8")
    monkeypatch.setattr(yamlread, "MAX_ENTRIES", 104)
    assert [(e["code"], Path(e["file"]).name) for e in errors(run, data_copy)] == [("ZL120", "plans.yaml")]
    (data_copy / "plans.yaml").unlink()
    (data_copy / "plans").mkdir()
    half = len(value["plans"]) // 2
    for name, part in (("a.yaml", {"requirement": value["requirement"], "plans": value["plans"][:half]}),
                       ("b.yaml", {"plans": value["plans"][half:]})):
        text = yaml.safe_dump(part, allow_unicode=True, sort_keys=False)
        (data_copy / "plans" / name).write_text(text, encoding="utf-8")
    assert errors(run, data_copy) == []


def test_progress_and_plans_as_folders(run, data_copy):
    (data_copy / "progress").mkdir()
    shutil.move(data_copy / "progress.yaml", data_copy / "progress" / "2021.yaml")
    (data_copy / "progress" / "2022.yaml").write_text("progress:\n  - {task: 99, date: 2022-01-05, unit: 区住建局, note: 测试}\n",
                                                      encoding="utf-8")
    (data_copy / "plans").mkdir()
    shutil.move(data_copy / "plans.yaml", data_copy / "plans" / "报送要求.yaml")
    [err] = errors(run, data_copy)
    assert (err["code"], err["file"], err["line"]) == ("ZL311", str(data_copy / "progress" / "2022.yaml"), 2)
    (data_copy / "progress" / "2022.yaml").write_text("progress: []\n", encoding="utf-8")
    assert errors(run, data_copy) == []
    out = run("plans", "--data", data_copy, "--as-of", "2021-06-30", "--format", "json")
    assert out.exit_code == 0, out.output


# -- the form itself: ZL010–ZL016 ------------------------------------------------------------------


def test_zl010_both_forms(run, data_copy):
    (data_copy / "communities").mkdir()
    (data_copy / "communities" / "a.yaml").write_text("communities:\n" + COMMUNITY.format(id="a", name="甲社区"),
                                                      encoding="utf-8")
    [err] = errors(run, data_copy)
    single, folder = data_copy / "communities.yaml", data_copy / "communities"
    assert (err["code"], err["file"], err["line"]) == ("ZL010", str(single), 0)
    assert err["message"] == f"{single} 和文件夹 {folder}/ 同时存在：社区只能写在其中一处，两处都没有读取。"
    assert err["hint"] == ("把 communities.yaml 中的条目移到 communities/ 中的一个文件里（如 communities/其他.yaml）后删除 "
                           "communities.yaml；或者删除文件夹 communities/。")


def test_zl011_an_empty_folder(run, data_copy):
    (data_copy / "progress").mkdir()
    (data_copy / "progress.yaml").unlink()
    [err] = errors(run, data_copy)
    folder = data_copy / "progress"
    assert (err["code"], err["file"], err["line"]) == ("ZL011", str(folder), 0)
    assert err["message"] == f"文件夹 {folder}/ 中没有 .yaml 文件：任务进展记录一条也没有读到。"


def test_zl011_for_a_required_registry_is_the_only_error(run, data_copy):
    split_communities(data_copy)
    for f in (data_copy / "communities").iterdir():
        f.unlink()
    assert [(e["code"], e["file"]) for e in errors(run, data_copy)] == [("ZL011", str(data_copy / "communities"))]


def test_zl012_a_folder_name_that_is_a_file(run, data_copy):
    (data_copy / "plans").write_text("plans: []\n", encoding="utf-8")
    [err] = errors(run, data_copy)
    shown = data_copy / "plans"
    assert (err["code"], err["file"], err["line"]) == ("ZL012", str(shown), 0)
    assert err["message"] == f"{shown} 不是文件夹：一社区一策方案报送要么写在 plans.yaml 中，要么写在文件夹 plans/ 中的 .yaml 文件里。"


def test_zl013_a_subfolder_is_never_silently_skipped(run, data_copy):
    split_communities(data_copy)
    (data_copy / "communities" / "绵阳").mkdir()
    (data_copy / "communities" / "绵阳" / "x.yaml").write_text("communities: []\n", encoding="utf-8")
    [err] = errors(run, data_copy)
    inner, folder = data_copy / "communities" / "绵阳", data_copy / "communities"
    assert (err["code"], err["file"]) == ("ZL013", str(inner))
    assert err["message"] == f"{inner}/ 是子文件夹：zhili 只读取 {folder}/ 中直接存放的 .yaml 文件，子文件夹里的文件没有被读取。"


def test_zl014_too_many_files(run, data_copy, monkeypatch):
    split_communities(data_copy)
    monkeypatch.setattr(layout, "MAX_FOLDER_FILES", 3)
    codes = [(e["code"], e["message"]) for e in errors(run, data_copy)]
    assert codes == [("ZL014", f"文件夹 {data_copy / 'communities'}/ 中的 .yaml 文件超过 3 个，zhili 不读取它。")]


def test_zl015_no_plans_file_holds_the_requirement(run, data_copy):
    (data_copy / "plans").mkdir()
    text = (data_copy / "plans.yaml").read_text(encoding="utf-8")
    (data_copy / "plans.yaml").unlink()
    (data_copy / "plans" / "a.yaml").write_text("plans: []\n", encoding="utf-8")
    [err] = errors(run, data_copy)
    assert (err["code"], err["file"], err["line"]) == ("ZL015", str(data_copy / "plans" / "a.yaml"), 1)
    assert err["message"] == f"文件夹 {data_copy / 'plans'}/ 中的文件没有写报送要求（requirement）。"
    # one plans.yaml without it: the same code, naming the file
    (data_copy / "plans" / "a.yaml").unlink()
    (data_copy / "plans").rmdir()
    (data_copy / "plans.yaml").write_text(text[:text.index("requirement:")] + "plans: []\n", encoding="utf-8")
    [err] = errors(run, data_copy)
    assert (err["code"], err["message"]) == ("ZL015", f"{data_copy / 'plans.yaml'}没有写报送要求（requirement）。")


def test_zl016_the_requirement_in_two_files(run, data_copy):
    (data_copy / "plans").mkdir()
    shutil.move(data_copy / "plans.yaml", data_copy / "plans" / "a.yaml")
    shutil.copy(data_copy / "plans" / "a.yaml", data_copy / "plans" / "b.yaml")
    edit(data_copy / "plans" / "b.yaml", "plans:", "plans: []\nold_plans:")
    text = (data_copy / "plans" / "b.yaml").read_text(encoding="utf-8")
    (data_copy / "plans" / "b.yaml").write_text(text[:text.index("old_plans:")], encoding="utf-8")
    [err] = errors(run, data_copy)
    b = data_copy / "plans" / "b.yaml"
    assert (err["code"], err["file"], err["line"]) == ("ZL016", str(b), line_of(b, "requirement:"))
    a_line = line_of(data_copy / "plans" / "a.yaml", "requirement:")
    assert err["message"] == f"报送要求（requirement）写了不止一处：{data_copy / 'plans' / 'a.yaml'} 第 {a_line} 行已经写了。"


def test_zl005_a_yml_file_inside_a_folder(run, data_copy):
    split_communities(data_copy)
    shutil.move(data_copy / "communities" / "游仙街道.yaml", data_copy / "communities" / "游仙街道.yml")
    found = errors(run, data_copy)
    stray = data_copy / "communities" / "游仙街道.yml"
    assert ("ZL005", str(stray)) in [(e["code"], e["file"]) for e in found]


def test_zl004_a_folder_linked_out_of_the_data_directory(run, data_copy, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.yaml").write_text("progress: []\n", encoding="utf-8")
    (data_copy / "progress.yaml").unlink()
    os.symlink(outside, data_copy / "progress")
    [err] = errors(run, data_copy)
    assert (err["code"], err["file"]) == ("ZL004", str(data_copy / "progress"))
    assert "secret" not in json.dumps(err, ensure_ascii=False)


def test_a_link_or_a_pipe_inside_a_folder_is_refused(run, data_copy, tmp_path):
    split_communities(data_copy)
    (tmp_path / "outside.yaml").write_text("communities: []\n", encoding="utf-8")
    os.symlink(tmp_path / "outside.yaml", data_copy / "communities" / "z-link.yaml")
    os.mkfifo(data_copy / "communities" / "z-pipe.yaml")
    found = {(e["code"], Path(e["file"]).name) for e in errors(run, data_copy)}
    assert found == {("ZL004", "z-link.yaml"), ("ZL001", "z-pipe.yaml")}


# -- the cache sees the folder --------------------------------------------------------------------


def test_the_cache_notices_a_new_subfolder_and_an_emptied_folder(run, data_copy):
    split_communities(data_copy)
    assert run("communities", "--data", data_copy).exit_code == 0  # stored in the cache
    (data_copy / "communities" / "子").mkdir()
    assert run("communities", "--data", data_copy).exit_code == 1
    (data_copy / "communities" / "子").rmdir()
    assert run("communities", "--data", data_copy).exit_code == 0
    (data_copy / "communities" / "游仙街道.yaml").write_text(
        "communities:\n" + COMMUNITY.format(id="xinjian", name="新建社区"), encoding="utf-8")
    listed = run("communities", "--data", data_copy, "--format", "json")
    assert "xinjian" in listed.stdout


# -- writers: an entry is changed where it is written; new entries go to a documented file ---------


ROSTER = "社区,所属街道（镇）,类型\n{rows}"


def test_import_communities_into_a_folder(run, data_copy, tmp_path):
    split_communities(data_copy)
    roster = tmp_path / "r.csv"
    roster.write_text("社区,所属街道（镇）,类型\n桑林社区,经济试验区,老旧院落型社区\n新社区,游仙街道,商品住宅型社区\n"
                      "又一社区,富乐街道,商品住宅型社区\n", encoding="utf-8")
    before = {p.name: p.read_text(encoding="utf-8") for p in (data_copy / "communities").iterdir()}
    refused = run("import", "communities", roster, "--data", data_copy)
    assert refused.exit_code == 1
    assert "与 communities/经济试验区.yaml 现有的社区 经济试验区桑林社区 不同：type “商品住宅型社区” → “老旧院落型社区”" in refused.stderr
    result = run("import", "communities", roster, "--data", data_copy, "--force")
    assert result.exit_code == 0, result.output
    assert "已写入：communities/富乐街道.yaml、communities/游仙街道.yaml、communities/经济试验区.yaml" in result.stdout
    after = {p.name: p.read_text(encoding="utf-8") for p in (data_copy / "communities").iterdir()}
    assert after["涪江街道.yaml"] == before["涪江街道.yaml"]
    assert "name: 新社区" in after["游仙街道.yaml"] and "name: 又一社区" in after["富乐街道.yaml"]
    assert "老旧院落型社区" in after["经济试验区.yaml"]


def test_import_communities_with_file(run, data_copy, tmp_path):
    split_communities(data_copy)
    roster = tmp_path / "r.csv"
    roster.write_text("社区,所属街道（镇）,类型\n新社区,游仙街道,商品住宅型社区\n", encoding="utf-8")
    result = run("import", "communities", roster, "--data", data_copy, "--file", "新增.yaml")
    assert result.exit_code == 0, result.output
    text = (data_copy / "communities" / "新增.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/communities.schema.json\n")
    assert "communities:\n  - id: community-26" in text
    assert run("validate", "--data", data_copy).exit_code == 0


@pytest.mark.parametrize("bad", ["a.yml", "../a.yaml", "x/a.yaml", ".a.yaml"])
def test_a_bad_file_name_is_a_usage_error(run, data_copy, tmp_path, bad):
    split_communities(data_copy)
    roster = tmp_path / "r.csv"
    roster.write_text("社区,所属街道（镇）,类型\n新社区,游仙街道,商品住宅型社区\n", encoding="utf-8")
    result = run("import", "communities", roster, "--data", data_copy, "--file", bad)
    assert result.exit_code == 2
    assert f"错误：--file {bad} 不是 communities/ 中的文件名。" in result.stderr


def test_progress_add_into_a_folder(run, data_copy):
    (data_copy / "progress").mkdir()
    shutil.move(data_copy / "progress.yaml", data_copy / "progress" / "2021.yaml")
    args = ("progress", "add", "--data", data_copy, "--task", "3", "--unit", "住建局", "--as-of", "2022-01-01")
    last = run(*args, "--date", "2021-06-30", "--note", "其一")
    assert last.exit_code == 0, last.output
    assert "已写入：progress/2021.yaml" in last.stdout
    named = run(*args, "--date", "2021-07-30", "--note", "其二", "--file", "2022.yaml")
    assert "已写入：progress/2022.yaml" in named.stdout
    assert "note: 其二" in (data_copy / "progress" / "2022.yaml").read_text(encoding="utf-8")
    assert run("validate", "--data", data_copy).exit_code == 0


def test_progress_add_file_needs_the_folder_form(run, data_copy):
    result = run("progress", "add", "--data", data_copy, "--task", "3", "--unit", "住建局", "--note", "x",
                 "--date", "2021-06-30", "--file", "2021.yaml")
    assert result.exit_code == 2
    assert "错误：数据目录用一个文件 progress.yaml 存放任务进展记录，--file 只用于分文件存放的 progress/ 文件夹。" in result.stderr


# -- history and diff read the folder in every commit ----------------------------------------------


def test_history_and_diff_follow_a_folder(run, tmp_path, monkeypatch):
    from test_diff import commit, git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copytree(DATA, repo / "data")
    commit(repo, "one file")
    split_communities(repo / "data")
    first = commit(repo, "split by street")
    target = repo / "data" / "communities" / "涪江街道.yaml"
    edit(target, "name: 绵山路社区\n  street: 涪江街道\n  type: 商品住宅型社区",
         "name: 绵山路社区\n  street: 涪江街道\n  type: 老旧院落型社区")
    second = commit(repo, "绵山路社区改为老旧院落型")
    result = run("history", "--data", repo / "data", "绵山路社区", "--format", "json")
    h = json.loads(result.stdout)
    assert [(r["commit"], r["old"], r["new"]) for r in h["reclassifications"]] == [
        (second, "商品住宅型社区", "老旧院落型社区")]
    diff = run("diff", first, second, "--data", repo / "data", "--format", "json")
    assert diff.exit_code in (0, 1), diff.output
    assert "mianshanlu" in diff.stdout and "老旧院落型社区" in diff.stdout
