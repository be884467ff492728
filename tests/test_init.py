"""`zhili init`: a new data directory from each template, valid at once, never written over."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import DATA, TAICANG


@pytest.mark.parametrize("scheme,types", [("youxian", 5), ("taicang", None), ("empty", 1)])
def test_init_each_scheme_then_validate(run, tmp_path, scheme, types):
    target = tmp_path / "new"
    result = run("init", target, "--scheme", scheme)
    assert result.exit_code == 0, result.output
    assert "已创建数据目录" in result.stdout
    assert f"zhili validate --data {target}" in result.stderr
    check = run("validate", "--data", target, "--format", "json")
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)["valid"] is True
    listed = json.loads(run("types", "--data", target, "--format", "json").stdout)
    if types is not None:
        assert len(listed) == types
    source = {"youxian": DATA, "taicang": TAICANG}.get(scheme)
    if source is not None:  # the same data as the bundled set, only the schema line differs
        for path in source.rglob("*.yaml"):
            copied = target / path.relative_to(source)
            assert copied.read_text(encoding="utf-8").splitlines()[1:] == _body(path)


def _body(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[1:] if lines[0].startswith("# yaml-language-server:") else lines


def test_init_points_every_file_at_its_own_schema_copy(run, tmp_path):
    from zhili.loading import yamlread

    target = tmp_path / "new"
    run("init", target, "--scheme", "empty")
    for name in ("types", "units", "communities", "tasks"):
        first = (target / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schemas/{name}.schema.json"
        schema = json.loads((target / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        value = yamlread.read((target / f"{name}.yaml").read_bytes(), name).value
        assert jsonschema.Draft202012Validator(schema).is_valid(value)


def test_empty_scheme_is_a_labelled_skeleton(run, tmp_path):
    target = tmp_path / "new"
    run("init", target, "--scheme", "empty")
    text = (target / "types.yaml").read_text(encoding="utf-8")
    assert "骨架" in text and "请按本辖区方案原文替换" in text
    rows = json.loads(run("communities", "--data", target, "--format", "json").stdout)
    assert [r["name"] for r in rows] == ["示例社区"]


def test_init_refuses_a_non_empty_directory(run, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "types.yaml").write_text("我的数据\n", encoding="utf-8")
    result = run("init", target)
    assert result.exit_code == 2
    assert f"目录 {target} 不是空的，未写入任何文件" in result.output
    assert "--force" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["types.yaml"]
    assert (target / "types.yaml").read_text(encoding="utf-8") == "我的数据\n"


def test_init_force_overwrites_same_names_and_keeps_other_files(run, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "types.yaml").write_text("旧\n", encoding="utf-8")
    (target / "说明.txt").write_text("保留\n", encoding="utf-8")
    assert run("init", target, "--scheme", "empty", "--force").exit_code == 0
    assert "骨架" in (target / "types.yaml").read_text(encoding="utf-8")
    assert (target / "说明.txt").read_text(encoding="utf-8") == "保留\n"
    assert run("validate", "--data", target).exit_code == 0


def test_init_into_an_empty_existing_directory(run, tmp_path):
    assert run("init", tmp_path, "--scheme", "empty").exit_code == 0
    assert (tmp_path / "tasks.yaml").is_file()


def test_init_refuses_a_file_and_an_unknown_scheme(run, tmp_path):
    target = tmp_path / "x.yaml"
    target.write_text("", encoding="utf-8")
    result = run("init", target)
    assert result.exit_code == 2
    assert "是文件，不是目录" in result.output
    result = run("init", tmp_path / "new", "--scheme", "shanghai")
    assert result.exit_code == 2
    assert "不在可选值" in result.output
    assert not (tmp_path / "new").exists()


def test_no_temporary_files_left_behind(run, tmp_path):
    target = tmp_path / "new"
    run("init", target, "--scheme", "youxian")
    assert not [p for p in target.rglob("*") if p.name.endswith(".tmp")]
