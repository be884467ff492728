"""The registry cache: commands on unchanged data answer from it, exactly as from a full load.

`zhili.loading.cache` keeps each data directory's validated registry as light records (no pydantic).
These tests check that every command gives the same output, errors and exit code with and without
it, that any change to a data file is seen, and that a damaged or unwritable cache is passed over.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, TAICANG, edit

from zhili.loading import cache
from zhili.model.records import Record

COMMANDS = [
    ["types"], ["types", "--format", "json"],
    ["communities", "--street", "涪江街道"], ["communities", "--format", "json"], ["communities", "--unit", "游仙区"],
    ["tasks", "--unit", "涪江街道", "--format", "json"],
    ["classify"], ["classify", "--format", "json"], ["classify", "--explain", "东材社区", "--format", "json"],
    ["classify", "--check"],
    ["tasks", "--lead", "区住建局"], ["tasks", "--overdue", "--as-of", "2021-12-31", "--format", "json"],
    ["tasks", "--stalled", "90", "--as-of", "2021-12-31"], ["tasks", "--lead", "不存在的单位"],
    ["units", "--sort", "overdue", "--as-of", "2021-12-31"], ["units", "--format", "json", "--as-of", "2021-12-31"],
    ["plans", "--as-of", "2021-03-31"], ["plans", "--all", "--format", "json", "--as-of", "2021-03-31"],
    ["rank", "--year", "2021"], ["rank", "--year", "2022", "--format", "json"],
    ["rank", "--year", "2022", "--compare", "2021", "--format", "json"], ["rank", "--year", "2021", "--pairs"],
    ["rank", "--year", "1999"],
    ["standards"], ["standards", "--format", "json"], ["standards", "--check"],
    ["report", "--year", "2021", "--as-of", "2021-12-31"],
]
TAICANG_COMMANDS = [
    ["types", "--format", "json"], ["classify", "--format", "json"], ["tasks", "--format", "json", "--as-of", "2022-12-31"],
    ["coverage", "--as-of", "2022-12-31"], ["coverage", "--as-of", "2023-12-31", "--format", "json"],
    ["coverage", "--check", "--as-of", "2022-12-31"], ["projects"], ["projects", "--format", "json"],
    ["projects", "--street", "城厢镇"], ["standards", "--format", "json"],
    ["tasks", "--unit", "城厢镇", "--format", "json", "--as-of", "2022-12-31"], ["communities", "--street", "太仓市"],
    ["coverage", "--target", "pilot-2023", "--as-of", "2023-06-30", "--format", "json"],
    ["report", "--year", "2022", "--as-of", "2022-12-31"],
]


def outcome(run, args: list[str], data: Path, *, cached: bool):
    result = run(*args, "--data", data, env={"ZHILI_NO_CACHE": "" if cached else "1"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("data", "args"), [(DATA, a) for a in COMMANDS] + [(TAICANG, a) for a in TAICANG_COMMANDS],
                         ids=lambda v: " ".join(v) if isinstance(v, list) else v.name)
def test_every_command_answers_the_same_from_the_cache(run, data, args):
    cache.load_registry(data)  # stores the registry if it was not stored yet
    assert isinstance(cache._read(data, cache.fingerprint(data)[0]).communities[0], Record)
    assert outcome(run, args, data, cached=True) == outcome(run, args, data, cached=False)


def test_a_hit_gives_records_and_a_miss_the_validated_models(data_copy):
    first = cache.load_registry(data_copy)
    second = cache.load_registry(data_copy)
    assert type(first.communities[0]).__name__ == "Community" and not isinstance(first.communities[0], Record)
    assert isinstance(second.communities[0], Record)
    assert second.type_of(second.communities[0].type) is second.types[[t.id for t in second.types].index(
        second.type_of(second.communities[0].type).id)]  # shared objects stay shared
    assert [c.name for c in second.communities] == [c.name for c in first.communities]
    assert second.data_dir == data_copy


def test_an_edited_file_is_seen_at_once(run, data_copy):
    assert run("communities", "--data", data_copy).exit_code == 0
    edit(data_copy / "communities.yaml", "name: 东材社区", "name: 东材新社区")
    result = run("communities", "--data", data_copy)
    assert result.exit_code == 0 and "东材新社区" in result.stdout


def test_an_error_added_after_a_cached_run_is_reported(run, data_copy):
    assert run("tasks", "--data", data_copy).exit_code == 0
    edit(data_copy / "tasks.yaml", "lead: [区民政局]", "lead: [区住房局]")
    result = run("tasks", "--data", data_copy)
    assert result.exit_code == 1  # data errors
    assert "区住房局" in result.stderr and "tasks.yaml" in result.stderr


def test_a_new_optional_file_is_seen(run, data_copy):
    (data_copy / "evaluations" / "2021.yaml").rename(data_copy / "2021.bak")
    assert run("rank", "--year", "2021", "--data", data_copy).exit_code == 1
    (data_copy / "2021.bak").rename(data_copy / "evaluations" / "2021.yaml")
    assert run("rank", "--year", "2021", "--data", data_copy).exit_code == 0


def test_a_damaged_cache_is_passed_over(run, data_copy, tmp_path):
    env = {"ZHILI_CACHE_DIR": str(tmp_path / "c")}
    expected = run("communities", "--data", data_copy, env=env).stdout
    [entry] = (tmp_path / "c").iterdir()
    for damage in (b"", b"zhili-registry-cache 1\n" + b"\0" * 20, entry.read_bytes()[:200], b"\x80\x04garbage"):
        entry.write_bytes(damage)
        result = run("communities", "--data", data_copy, env=env)
        assert (result.exit_code, result.stdout) == (0, expected)


def test_an_unwritable_cache_directory_only_costs_time(run, data_copy, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    result = run("communities", "--data", data_copy, env={"ZHILI_CACHE_DIR": str(blocker / "zhili")})
    assert result.exit_code == 0 and "东材社区" in result.stdout and result.stderr == ""


def test_a_cached_command_starts_without_pydantic(data_copy, tmp_path):
    env = {**os.environ, "ZHILI_CACHE_DIR": str(tmp_path / "c")}
    code = ("import sys, runpy; sys.argv = ['zhili', 'tasks', '--lead', '区住建局', '--data', sys.argv[1]]\n"
            "try:\n    runpy.run_module('zhili', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print('PYDANTIC' if any(m == 'pydantic.main' for m in sys.modules) else 'NO-PYDANTIC', file=sys.stderr)")
    cold = subprocess.run([sys.executable, "-c", code, str(data_copy)], env=env, capture_output=True, text=True)
    warm = subprocess.run([sys.executable, "-c", code, str(data_copy)], env=env, capture_output=True, text=True)
    assert cold.stderr.strip().endswith("PYDANTIC") and not cold.stderr.strip().endswith("NO-PYDANTIC")
    assert warm.stderr.strip().endswith("NO-PYDANTIC")
    assert warm.stdout == cold.stdout and "区住建局" in warm.stdout


def test_zhili_no_cache_neither_reads_nor_writes(run, data_copy, tmp_path):
    run("communities", "--data", data_copy, env={"ZHILI_CACHE_DIR": str(tmp_path / "c"), "ZHILI_NO_CACHE": "1"})
    assert not (tmp_path / "c").exists()


def test_every_model_with_behaviour_has_a_record_twin():
    from pydantic import BaseModel

    from zhili.loading.layout import SPECS
    from zhili.model import behaviour
    from zhili.model.records import TWINS

    mixins = {v for v in vars(behaviour).values() if isinstance(v, type) and v.__module__ == behaviour.__name__}
    seen: set[type] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for field in model.model_fields.values():
            for arg in _classes(field.annotation):
                walk(arg)

    for spec in SPECS:
        walk(spec.model)
    with_behaviour = {m.__name__: [b for b in m.__mro__ if b in mixins] for m in seen}
    for name, bases in with_behaviour.items():
        if bases:
            assert name in TWINS and all(issubclass(TWINS[name], b) for b in bases), name


def _classes(annotation) -> list[type]:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [c for a in get_args(annotation) for c in _classes(a)]


def test_data_over_the_size_limit_is_not_stored(run, data_copy, tmp_path, monkeypatch):
    size = sum(p.stat().st_size for p in data_copy.rglob("*.yaml"))
    monkeypatch.setattr(cache, "MAX_CACHED_BYTES", size - 1)
    result = run("communities", "--data", data_copy, env={"ZHILI_CACHE_DIR": str(tmp_path / "c")})
    assert result.exit_code == 0 and not (tmp_path / "c").exists()
    monkeypatch.setattr(cache, "MAX_CACHED_BYTES", size)
    run("communities", "--data", data_copy, env={"ZHILI_CACHE_DIR": str(tmp_path / "c")})
    assert len(list((tmp_path / "c").iterdir())) == 1


def test_levels_parents_and_cascade_come_back_from_the_cache(run, data_copy):
    """The cache's records carry the levels, the units' level and parent and the tasks' cascade."""
    edit(data_copy / "tasks.yaml", "    lead: [区委组织部, 区民政局]\n    support: [经济试验区, 各街道]\n",
         "    lead: [游仙区]\n    support: []\n    cascade: true\n")
    cache.load_registry(data_copy)
    reg = cache.load_registry(data_copy)
    assert isinstance(reg.units[0], Record)
    assert [(lv.id, lv.name) for lv in reg.levels] == [("district", "区"), ("street", "街道")]
    assert reg.unit_parent("涪江街道").name == "游仙区" and reg.tasks[0].cascade is True
    args = ["tasks", "--unit", "涪江街道", "--format", "json"]
    assert outcome(run, args, data_copy, cached=True) == outcome(run, args, data_copy, cached=False)
    assert '"no": "1",' in outcome(run, args, data_copy, cached=True)[1]
