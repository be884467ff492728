"""`zhili schema`: JSON Schemas from the models, committed in schemas/, accepting what zhili accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import DATA, ROOT, TAICANG

SCHEMAS = ROOT / "schemas"
REGENERATE = "run `zhili schema schemas --force` at the repository root"


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _data_files(directory: Path):
    from zhili.loading.templates import kind_of

    for path in sorted(directory.rglob("*.yaml")):
        kind = kind_of(path.relative_to(directory).as_posix())
        if kind is not None:
            yield path, kind


def _plain(path: Path):
    """The file as zhili reads it: every scalar the text that was written (not yaml.safe_load's retyping)."""
    from zhili.loading import yamlread

    result = yamlread.read(path.read_bytes(), path.name)
    assert not result.diagnostics
    return result.value


def test_committed_schemas_match_the_models():
    from zhili.render.schemas import all_schemas

    fresh = all_schemas()
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    assert sorted(committed) == sorted(fresh), REGENERATE
    for name, text in fresh.items():
        assert committed[name] == text, f"schemas/{name} is out of date: {REGENERATE}"


def test_every_loader_file_kind_has_a_valid_schema():
    from zhili.loading.registry import SPECS

    for spec in SPECS:
        schema = json.loads((SCHEMAS / f"{spec.kind}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert spec.label in schema["title"]


@pytest.mark.parametrize("directory", [DATA, TAICANG], ids=["youxian", "taicang"])
def test_bundled_data_validates_against_the_committed_schemas(directory):
    files = list(_data_files(directory))
    assert {k for _, k in files} >= {"types", "units", "communities", "tasks"}
    for path, kind in files:
        errors = [f"{list(e.path)}: {e.message}" for e in _validator(kind).iter_errors(_plain(path))]
        assert not errors, f"{path}: {errors[:3]}"


@pytest.mark.parametrize("directory", [DATA, TAICANG], ids=["youxian", "taicang"])
def test_bundled_data_files_point_vs_code_at_their_schema(directory):
    for path, kind in _data_files(directory):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target == (SCHEMAS / f"{kind}.schema.json").resolve(), path


def test_descriptions_are_chinese_and_field_titles_are_not_english_noise():
    schema = json.loads((SCHEMAS / "tasks.schema.json").read_text(encoding="utf-8"))
    task = schema["$defs"]["Task"]
    assert task["properties"]["title"]["description"] == "重点任务，照录台账"
    assert task["properties"]["lead"]["description"].startswith("牵头单位，名称照录台账")
    assert all("title" not in p for p in task["properties"].values())
    assert task["additionalProperties"] is False


TASK = {"no": "1", "title": "理顺治理主体关系", "lead": ["区委组织部"]}


@pytest.mark.parametrize("change", [
    {"no": "1"},  # zhili's view: digits as text
    {"no": 1},  # an editor's view: a YAML integer
    {"due": "2021-03-19"},
    {"due": None},
    {"note": 2021},  # zhili reads `note: 2021` as the text “2021”
    {"recurrence": "monthly"},
    {"no": "三.1"},  # a ledger number as the document writes it
    {"lead": []},  # no lead named: a warning, not an error
    {"lead": None},
    {"recurrence": {"dates": ["2024-03-31", "2024-09-30"]}},
    {"milestones": [{"by": "2023-06-30", "title": "首批", "quantity": 25, "unit": "个"}]},
])
def test_schema_accepts_what_zhili_accepts(change):
    assert _validator("tasks").is_valid({"tasks": [{**TASK, **change}]})


@pytest.mark.parametrize("change,word", [
    ({"no": ""}, "minLength"),
    ({"due": "2021/3/19"}, "pattern"),
    ({"recurrence": "每 周"}, "pattern"),  # an id; whether it is declared is zhili's check (ZL373)
    ({"recurrence": {"dates": []}}, "minItems"),
    ({"milestones": [{"title": "首批"}]}, "required"),
    ({"titel": "x"}, "additionalProperties"),
    ({"lead": [""]}, "minLength"),
])
def test_schema_rejects_what_zhili_rejects(change, word):
    errors = list(_validator("tasks").iter_errors({"tasks": [{**TASK, **change}]}))
    assert errors
    # the failing keyword, possibly inside an anyOf (integer or digits-as-text) or a oneOf (an id or dates)
    def walk(errs):
        for e in errs:
            yield e.validator
            yield from walk(e.context or [])

    keywords = set(walk(errors))
    assert word in keywords


def test_yes_no_and_numbers_accept_both_views():
    from zhili.render.schemas import _loosen

    validator = jsonschema.Draft202012Validator({"type": "object", "properties": {
        "flag": _loosen({"type": "boolean"}), "area": _loosen({"type": "number"})}})
    for ok in ({"flag": True}, {"flag": "是"}, {"flag": "false"}, {"area": 30}, {"area": "30.5"}):
        assert validator.is_valid(ok), ok
    for bad in ({"flag": "yes"}, {"area": "30平方米"}, {"area": "1,200"}):
        assert not validator.is_valid(bad), bad


def test_schema_command_writes_one_file_per_kind_and_never_overwrites(run, tmp_path):
    from zhili.loading.registry import SPECS

    target = tmp_path / "out"
    result = run("schema", target)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{s.kind}.schema.json" for s in SPECS)
    assert json.loads((target / "types.schema.json").read_text(encoding="utf-8"))["properties"]["scheme"]["description"] == "方案本身"
    (target / "types.schema.json").write_text("{}", encoding="utf-8")
    again = run("schema", target)
    assert again.exit_code == 2
    assert "未覆盖" in again.output and "--force" in again.output
    assert (target / "types.schema.json").read_text(encoding="utf-8") == "{}"
    assert run("schema", target, "--force").exit_code == 0
    assert (target / "types.schema.json").read_text(encoding="utf-8") == (SCHEMAS / "types.schema.json").read_text(encoding="utf-8")


def test_schema_command_refuses_a_file_as_directory(run, tmp_path):
    target = tmp_path / "x.json"
    target.write_text("", encoding="utf-8")
    result = run("schema", target)
    assert result.exit_code == 2
    assert "不是目录" in result.output
