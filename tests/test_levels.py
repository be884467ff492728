"""Administrative levels: declarations in types.yaml, units at levels with parents, groups by level, unit
kinds, the lowest level communities belong to — each mistake with its code, line, message and hint."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DATA, TAICANG, edit


def line_of(path: Path, text: str, after: str | None = None) -> int:
    content = path.read_text(encoding="utf-8")
    start = content.index(after) if after is not None else 0
    return content.count("\n", 0, content.index(text, start)) + 1


def errors(run, data: Path) -> list[dict]:
    result = run("validate", "--data", data, "--format", "json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["errors"]


def one_error(run, data: Path) -> dict:
    (error,) = errors(run, data)
    return error


def test_a_repeated_level_is_a_cycle(data_copy, run):
    edit(data_copy / "types.yaml", "  - {id: street, name: 街道}\n",
         "  - {id: street, name: 街道}\n  - {id: district, name: 区级}\n")
    error = one_error(run, data_copy)
    assert (error["code"], error["file"].rsplit("/", 1)[-1]) == ("ZL320", "types.yaml")
    assert error["line"] == line_of(data_copy / "types.yaml", "{id: district, name: 区级}")
    assert error["message"] == "层级“district”出现了两次（第 1 个和第 3 个），层级次序成了循环。"
    assert error["hint"] == "levels 自上而下每个层级只写一次；同一层级的不同叫法写在 name 里，如 街道（镇）。"


def test_a_repeated_level_name(data_copy, run):
    edit(data_copy / "types.yaml", "  - {id: street, name: 街道}\n", "  - {id: street, name: 区}\n")
    error = one_error(run, data_copy)
    assert error["code"] == "ZL321" and error["message"] == "层级名称“区”重复。"
    assert error["line"] == line_of(data_copy / "types.yaml", "{id: street, name: 区}")


def test_a_unit_at_an_undeclared_level(data_copy, run):
    edit(data_copy / "units.yaml", "    kind: 街道\n    level: street\n    parent: 游仙区\n    aliases: []\n  - name: 富乐街道",
         "    kind: 街道\n    level: stret\n    parent: 游仙区\n    aliases: []\n  - name: 富乐街道")
    error = one_error(run, data_copy)
    assert error["code"] == "ZL322"
    assert error["message"] == "单位“涪江街道”的层级“stret”没有在 types.yaml 的 levels 中声明。"
    assert error["hint"] == "您是否要找：street、district？"
    assert error["line"] == line_of(data_copy / "units.yaml", "level: stret")


def test_a_unit_without_its_parent(data_copy, run):
    edit(data_copy / "units.yaml", "    level: street\n    parent: 游仙区\n    aliases: []\n  - name: 富乐街道",
         "    level: street\n    aliases: []\n  - name: 富乐街道")
    error = one_error(run, data_copy)
    assert error["code"] == "ZL323"
    assert error["message"] == "单位“涪江街道”在“街道”一级，但没有写上级单位（parent）。"
    assert error["hint"] == "写 parent: 一个“区”一级的单位，如 游仙区。"
    assert error["line"] == line_of(data_copy / "units.yaml", "- name: 涪江街道")


def test_a_parent_that_is_not_a_unit(data_copy, run):
    edit(data_copy / "units.yaml", "    parent: 游仙区\n    aliases: []\n  - name: 富乐街道",
         "    parent: 游仙县\n    aliases: []\n  - name: 富乐街道")
    error = one_error(run, data_copy)
    assert error["code"] == "ZL324"
    assert error["message"] == "单位“涪江街道”的上级单位“游仙县”不在单位列表中。"
    assert error["hint"] == "您是否要找：游仙区？"
    assert error["line"] == line_of(data_copy / "units.yaml", "parent: 游仙县")


def test_a_parent_not_at_the_level_just_above(data_copy, run):
    edit(data_copy / "units.yaml", "    parent: 游仙区\n    aliases: []\n  - name: 富乐街道",
         "    parent: 区民政局\n    aliases: []\n  - name: 富乐街道")
    error = one_error(run, data_copy)
    assert error["code"] == "ZL325"
    assert error["message"] == "单位“涪江街道”的上级单位“区民政局”不在任何层级中，不是上一层级的单位。"
    assert error["hint"] == "上级单位须是“区”一级的单位。"
    assert error["line"] == line_of(data_copy / "units.yaml", "parent: 区民政局")


def test_a_top_level_unit_has_no_parent(data_copy, run):
    edit(data_copy / "units.yaml", "    level: district\n", "    level: district\n    parent: 涪江街道\n")
    error = one_error(run, data_copy)
    assert error["code"] == "ZL325"
    assert error["message"] == "单位“游仙区”的上级单位“涪江街道”在“街道”一级，不是上一层级的单位。"
    assert error["hint"] == "“区”是最高层级，它的单位没有上级：删去 parent。"


def test_a_community_attached_above_the_lowest_level(data_copy, run):
    edit(data_copy / "communities.yaml", "    street: 涪江街道\n", "    street: 游仙区\n")
    error = one_error(run, data_copy)
    assert error["code"] == "ZL326" and error["file"].endswith("communities.yaml")
    assert error["message"] == "社区“五里堆路社区”的所属单位“游仙区”是“区”一级的单位，不是“街道”。"
    assert error["hint"] == "社区属于最低层级“街道”的单位，如 经济试验区、涪江街道、富乐街道、游仙街道。"
    assert error["line"] == line_of(data_copy / "communities.yaml", "street: 游仙区")


def test_a_community_attached_to_a_department(data_copy, run):
    edit(data_copy / "communities.yaml", "    street: 涪江街道\n", "    street: 区民政局\n")
    error = one_error(run, data_copy)
    assert error["code"] == "ZL326"
    assert error["message"] == "社区“五里堆路社区”的所属单位“区民政局”不在任何层级中，不是“街道”。"
    assert error["hint"] == "社区属于最低层级“街道”的单位；或在 units.yaml 中给这个单位写 level: street。"


@pytest.mark.parametrize("group, message, hint", [
    ("  - name: 各街道\n    level: town\n",
     "单位组“各街道”的层级“town”没有在 types.yaml 的 levels 中声明。", "声明的层级：district（区）、street（街道）。"),
    ("  - name: 各街道\n    members: [涪江街道]\n    level: street\n",
     "单位组“各街道”同时写了 members 和 level。", "二者选一：逐个列出成员，或用 level（可加 within）表示一个层级的全部单位。"),
    ("  - name: 各街道\n    members: []\n",
     "单位组“各街道”既没有成员（members），也没有层级（level）。", "写 members: [单位, ...]，或写 level: 层级 id 表示该层级的全部单位。"),
    ("  - name: 各街道\n    members: [涪江街道]\n    within: 游仙区\n",
     "单位组“各街道”写了 within，但没有写 level。", "within 与 level 同用，表示“某单位下属的某一层级的全部单位”；逐个列出成员时不写 within。"),
    ("  - name: 各街道\n    level: street\n    within: 游仙县\n",
     "单位组“各街道”的 within“游仙县”不在单位列表中。", "您是否要找：游仙区、游仙街道？"),
    ("  - name: 各街道\n    level: street\n    within: 涪江街道\n",
     "单位组“各街道”的 within“涪江街道”不在“街道”以上的层级，下面没有这一级的单位。", "within 写一个比“街道”高的层级的单位。"),
], ids=["undeclared-level", "both", "neither", "within-without-level", "within-unknown", "within-not-above"])
def test_group_level_problems(group, message, hint, data_copy, run):
    edit(data_copy / "units.yaml", "  - name: 各街道\n    members: [涪江街道, 富乐街道, 游仙街道]\n", group)
    error = one_error(run, data_copy)
    assert (error["code"], error["message"], error["hint"]) == ("ZL327", message, hint)
    assert error["line"] >= line_of(data_copy / "units.yaml", "  - name: 各街道")


def test_an_undeclared_unit_kind(data_copy, run):
    edit(data_copy / "units.yaml", "  - name: 区民政局\n    kind: 政府部门", "  - name: 区民政局\n    kind: 管委会")
    error = one_error(run, data_copy)
    assert error["code"] == "ZL371"
    assert error["message"] == "单位“区民政局”的性质“管委会”不在 types.yaml 声明的单位性质中。"
    assert error["hint"].startswith("可用的单位性质：党委部门、政府部门、街道、镇、功能区")
    assert error["line"] == line_of(data_copy / "units.yaml", "kind: 管委会")


def test_a_kind_declared_in_the_scheme_is_accepted(data_copy, run):
    edit(data_copy / "units.yaml", "  - name: 区民政局\n    kind: 政府部门", "  - name: 区民政局\n    kind: 管委会")
    edit(data_copy / "types.yaml", "非政府方, 区]", "非政府方, 区, 管委会]")
    assert run("validate", "--data", data_copy).exit_code == 0


def test_a_level_group_name_clashing_with_a_unit(data_copy, run):
    edit(data_copy / "types.yaml", "  - {id: street, name: 街道}\n", "  - {id: street, name: 街道, group: 涪江街道}\n")
    error = one_error(run, data_copy)
    assert error["code"] == "ZL303" and error["file"].endswith("types.yaml")
    assert error["message"] == "层级“街道”的合称“涪江街道”与 units.yaml 中的单位或单位组重名。"


def test_without_levels_communities_name_their_unit_as_before(tmp_path, run):
    """A scheme that declares no levels has one (所属单位): the units communities name sit at it."""
    data = tmp_path / "d"
    shutil.copytree(DATA, data)
    text = (data / "types.yaml").read_text(encoding="utf-8")
    start = text.index("# 行政层级，自上而下")
    end = text.index("\ntypes:", start) + 1
    (data / "types.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    units = (data / "units.yaml").read_text(encoding="utf-8")
    units = units.replace("    level: street\n    parent: 游仙区\n", "").replace("    level: district\n", "")
    (data / "units.yaml").write_text(units, encoding="utf-8")
    assert run("validate", "--data", data).exit_code == 0
    out = json.loads(run("communities", "--data", data, "--format", "json").stdout)
    assert {r["street"] for r in out} == {"经济试验区", "涪江街道", "富乐街道", "游仙街道"}
    assert "所属单位" in run("communities", "--data", data).stdout


# -- the registry's level lookups ------------------------------------------------------------------

def test_registry_levels_of_taicang():
    from zhili.loading.registry import load_registry

    reg = load_registry(TAICANG)
    assert [(lv.id, lv.name) for lv in reg.levels] == [("city", "市"), ("town", "镇(区、街道)")]
    assert reg.level_of("城厢镇").id == "town" and reg.level_of("市民政局") is None
    assert reg.unit_parent("城厢镇").name == "太仓市" and reg.unit_parent("太仓市") is None
    assert [u.name for u in reg.ancestors("城厢镇")] == ["太仓市"]
    assert len(reg.descendants("太仓市")) == 12 == len(reg.lowest_level_units())
    assert [u.name for u in reg.members("各镇(区、街道)")] == [u.name for u in reg.lowest_level_units()]
    assert reg.community_label == "城乡社区"


def test_a_group_within_one_unit(tmp_path):
    from zhili.loading.registry import load_registry

    data = tmp_path / "d"
    shutil.copytree(TAICANG, data)
    edit(data / "units.yaml", "  - name: 各镇\n", "  - name: 太仓市各镇(区、街道)\n    level: town\n    within: 太仓市\n  - name: 各镇\n")
    reg = load_registry(data)
    assert len(reg.members("太仓市各镇(区、街道)")) == 12


# -- tasks through the hierarchy -------------------------------------------------------------------

def cascade_task(data: Path, cascade: bool) -> None:
    """Task 1 given to the district itself (游仙区), cascading or not."""
    edit(data / "tasks.yaml", "    lead: [区委组织部, 区民政局]\n    support: [经济试验区, 各街道]\n",
         "    lead: [游仙区]\n    support: []\n" + ("    cascade: true\n" if cascade else ""))


@pytest.mark.parametrize("cascade", [True, False])
def test_a_street_finds_the_district_task_only_when_it_cascades(cascade, data_copy, run):
    cascade_task(data_copy, cascade)
    assert run("validate", "--data", data_copy).exit_code == 0
    rows = json.loads(run("tasks", "--data", data_copy, "--unit", "涪江街道", "--format", "json").stdout)
    assert ("1" in [r["no"] for r in rows]) is cascade
    district = json.loads(run("tasks", "--data", data_copy, "--unit", "游仙区", "--format", "json").stdout)
    assert [r["no"] for r in district] == ["1"]


def test_a_street_finds_tasks_of_its_groups(run):
    rows = json.loads(run("tasks", "--data", DATA, "--unit", "涪江街道", "--format", "json").stdout)
    groups = json.loads(run("tasks", "--data", DATA, "--unit", "各街道", "--format", "json").stdout)
    assert {r["no"] for r in groups} <= {r["no"] for r in rows} and groups


def test_taicang_town_finds_the_tasks_of_the_level_group(run):
    rows = json.loads(run("tasks", "--data", TAICANG, "--unit", "城厢镇", "--format", "json").stdout)
    assert rows and all("各镇(区、街道)" in r["lead"] + r["support"] or "城厢镇" in r["lead"] + r["support"] for r in rows)


# -- one mistake in a unit's level is reported once (its consequences are not) ------------------------

YUNZHOU = Path(__file__).resolve().parent.parent / "examples" / "yunzhou"

# progress by a street under 青岚区 for a task given to 青岚区各街道（镇）, a resource for the same group, and
# a progress entry of 青岚区 for a task that names units one by one (its level does not matter there)
_MORE_PROGRESS = ("progress:\n", "progress:\n  - task: 三.6\n    date: 2024-08-01\n    unit: 锦屏街道\n    note: 绿道开工（示意）\n"
                  "  - task: 四.4\n    date: 2024-08-02\n    unit: 青岚区\n    note: 非相关单位的记录（示意）\n")
_MORE_RESOURCES = ("resources:\n", "resources:\n  - id: R00\n    name: 绿道养护队（示意）\n    kind: 人力\n    provider: 某公司\n"
                   "    provider_kind: 驻区单位\n    scope: 青岚区各街道（镇）\n    dimensions: [公共空间]\n")


@pytest.fixture
def yunzhou(tmp_path: Path) -> Path:
    data = tmp_path / "yunzhou"
    shutil.copytree(YUNZHOU, data)
    edit(data / "progress.yaml", *_MORE_PROGRESS)
    edit(data / "resources.yaml", *_MORE_RESOURCES)
    return data


def findings(run, data: Path) -> list[tuple[str, str, int, int, str]]:
    result = run("validate", "--data", data, "--format", "json")
    out = json.loads(result.stdout)
    return sorted((d["code"], d["file"].rsplit("/", 1)[-1], d["line"], d["column"], d["message"])
                  for d in out["errors"] + out["warnings"] if d["code"] != "ZL360")  # 三.7 has no lead (in the example)


# the one finding the extra entries give on the example as it is: 青岚区 takes no part in task 二.6
_UNRELATED = "“青岚区”既不是任务 四.4 的牵头单位，也不是配合单位。"


def test_the_extra_entries_are_right_but_one(yunzhou, run):
    assert [f[0] + f[4] for f in findings(run, yunzhou)] == ["ZL402" + _UNRELATED]


def test_a_misspelt_level_is_reported_once(yunzhou, run):
    """`level: conty` on a county: ZL322 only, not its streets (ZL325), the group within it (ZL327), a
    resource scoped to it or to that group (ZL311), nor its progress or its streets' (ZL402)."""
    edit(yunzhou / "units.yaml", "  - name: 青岚区\n    kind: 区\n    level: county", "  - name: 青岚区\n    kind: 区\n    level: conty")
    result = run("validate", "--data", yunzhou, "--format", "json")
    assert result.exit_code == 1
    assert findings(run, yunzhou) == [
        ("ZL322", "units.yaml", 44, 12, "单位“青岚区”的层级“conty”没有在 types.yaml 的 levels 中声明。"),
        ("ZL402", "progress.yaml", 16, 11, _UNRELATED),  # names its units one by one: the level does not matter
    ]
    (error,) = json.loads(result.stdout)["errors"]
    assert error["hint"] == "您是否要找：county、city？"
    assert line_of(yunzhou / "units.yaml", "level: conty") == 44


def test_a_misspelt_street_level_is_reported_once(yunzhou, run):
    edit(yunzhou / "units.yaml", "  - name: 锦屏街道\n    kind: 街道\n    level: town", "  - name: 锦屏街道\n    kind: 街道\n    level: twon")
    assert [f[:2] for f in findings(run, yunzhou)] == [("ZL322", "units.yaml"), ("ZL402", "progress.yaml")]
    assert findings(run, yunzhou)[0][4] == "单位“锦屏街道”的层级“twon”没有在 types.yaml 的 levels 中声明。"


def test_a_misspelt_top_level_is_reported_once(yunzhou, run):
    edit(yunzhou / "units.yaml", "    kind: 市\n    level: city", "    kind: 市\n    level: ctiy")
    assert [f[0] + f[4] for f in findings(run, yunzhou) if f[0] != "ZL402"] == [
        "ZL322单位“云州市”的层级“ctiy”没有在 types.yaml 的 levels 中声明。"]


def test_a_forgotten_level_is_reported_once(yunzhou, run):
    """No `level` but a `parent`: ZL325 on the unit says to write its level; its streets and what covers
    them are not judged by it."""
    edit(yunzhou / "units.yaml", "  - name: 青岚区\n    kind: 区\n    level: county\n", "  - name: 青岚区\n    kind: 区\n")
    assert findings(run, yunzhou)[:-1] == [
        ("ZL325", "units.yaml", 44, 13, "单位“青岚区”的上级单位“云州市”在“市”一级，不是上一层级的单位。")]


def test_a_forgotten_street_level_spares_its_communities(yunzhou, run):
    edit(yunzhou / "units.yaml", "  - name: 锦屏街道\n    kind: 街道\n    level: town\n", "  - name: 锦屏街道\n    kind: 街道\n")
    assert [f[:2] for f in findings(run, yunzhou)] == [("ZL325", "units.yaml"), ("ZL402", "progress.yaml")]


def test_a_street_naming_a_department_as_parent_is_still_reported(yunzhou, run):
    """Only an unknown level is spared: a street under a unit outside the hierarchy is its own mistake."""
    edit(yunzhou / "units.yaml", "    level: town\n    parent: 青岚区\n", "    level: town\n    parent: 市民政局\n")
    assert ("ZL325", "units.yaml", 68, 13, "单位“锦屏街道”的上级单位“市民政局”不在任何层级中，不是上一层级的单位。") \
        in findings(run, yunzhou)


def test_unknown_level_units():
    from types import SimpleNamespace as NS

    from zhili.loading.level_checks import covers_unknown_level, under_unknown_level, units_of_unknown_level
    from zhili.model.registry import Registry
    from zhili.model.records import Record

    def unit(name, level=None, parent=None):
        return NS(name=name, level=level, parent=parent, aliases=[], kind="x", leads=[])

    levels = [Record(id="county", name="县", group="各县"), Record(id="town", name="镇", group=None)]
    units = [unit("甲县", "conty"), unit("甲镇", "town", "甲县"), unit("乙县", "county"), unit("乙镇", "town", "乙县"),
             unit("丙镇", None, "乙县"), unit("局")]
    groups = [NS(name="甲县各镇", aliases=[], members=[], level="town", within="甲县"),
              NS(name="两镇", aliases=[], members=["甲镇", "乙镇"], level=None, within=None)]
    reg = Registry(data_dir=Path("."), scheme=None, categories=[], types=[], communities=[], units=units, groups=groups,
                   tasks=[], levels=levels, levels_declared=True)
    unknown = units_of_unknown_level(reg)
    assert unknown == {"甲县", "丙镇"}
    assert [n for n in ("甲县", "甲镇", "乙县", "乙镇", "局", "甲县各镇", "两镇", "各县") if covers_unknown_level(reg, n, unknown)] == \
        ["甲县", "乙县", "甲县各镇", "各县"]
    assert [n for n in ("甲县", "甲镇", "乙县", "乙镇", "丙镇", "局", "两镇", "各县") if under_unknown_level(reg, n, unknown)] == \
        ["甲县", "甲镇", "丙镇", "两镇", "各县"]
    assert not covers_unknown_level(reg, "甲县", set()) and not under_unknown_level(reg, "甲县", set())
