"""The user's data, never the sample by mistake: which data directory a command reads."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import pytest
import yaml

from conftest import DATA, ROOT, edit

from zhili.cli.app import COMMANDS

NOTICE = "使用内置示例数据："


@pytest.fixture
def broken_root(tmp_path, monkeypatch):
    """A data repository with its files at the root (as `zhili init` makes), one of them broken."""
    repo = tmp_path / "repo"
    shutil.copytree(DATA, repo)
    (repo / ".git").mkdir()  # a git work tree is known by its .git
    edit(repo / "communities.yaml", "type: 商品住宅型社区", "type: 商品住宅形社区")
    monkeypatch.delenv("ZHILI_DATA", raising=False)
    return repo


def test_a_directory_holding_data_at_its_root_is_the_data_directory(broken_root, run, monkeypatch):
    monkeypatch.chdir(broken_root)
    result = run("validate")
    assert result.exit_code == 1
    assert "communities.yaml:" in result.stderr and "ZL301" in result.stderr
    assert f"校验未通过：{broken_root}。" in result.stderr and NOTICE not in result.stderr


def test_from_a_subdirectory_the_repositorys_data_is_used(broken_root, run, monkeypatch):
    (broken_root / "docs" / "notes").mkdir(parents=True)
    monkeypatch.chdir(broken_root / "docs" / "notes")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["data"] == str(broken_root)


def test_repository_with_data_elsewhere_refuses_the_sample(tmp_path, run, monkeypatch):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.copytree(DATA, repo / "治理" / "游仙")
    monkeypatch.chdir(repo)
    monkeypatch.delenv("ZHILI_DATA", raising=False)
    result = run("validate")
    assert result.exit_code == 2
    assert "治理/游仙" in result.stderr and "--data" in result.stderr and "校验通过" not in result.output


def test_init_then_validate_in_the_new_directory_checks_it(tmp_path, run, monkeypatch):
    monkeypatch.delenv("ZHILI_DATA", raising=False)
    assert run("init", tmp_path / "新区", "--scheme", "empty").exit_code == 0
    monkeypatch.chdir(tmp_path / "新区")
    (tmp_path / "新区" / "units.yaml").write_text("units: [\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1 and "units.yaml:2:1: 错误 ZL102" in result.stderr
    assert f"校验未通过：{tmp_path / '新区'}。" in result.stderr


def data_commands() -> list[str]:
    from zhili.cli.app import cli

    import click

    ctx = click.Context(cli)
    # `zhili diff` compares versions in a git repository: it never falls back to the sample (test_diff.py)
    return [name for name in COMMANDS
            if name != "diff" and any(p.name == "data_dir" for p in cli.get_command(ctx, name).params)]


ARGUMENTS = {"history": ["hanjiaji"]}  # commands with a required argument: one the bundled sample has


@pytest.mark.parametrize("name", data_commands())
def test_every_command_says_when_it_uses_the_bundled_sample(name, tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZHILI_DATA", raising=False)
    result = run(name, *ARGUMENTS.get(name, []))
    assert NOTICE in result.stderr
    shown = run(name, *ARGUMENTS.get(name, []), "--data", DATA)
    assert NOTICE not in shown.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_validate_names_the_directory_it_checked_in_every_format(fmt, broken_root, run, monkeypatch):
    monkeypatch.chdir(broken_root.parent)
    for data, shown, code in ((broken_root, "repo", 1), (DATA, str(DATA), 0)):
        result = run("validate", "--data", data, "--format", fmt)
        assert result.exit_code == code
        if fmt == "json":
            assert json.loads(result.stdout)["data"] == shown
        else:
            assert f"{'校验未通过' if code else '校验通过'}：{shown}。" in result.output + result.stderr


def test_pre_commit_hook_fails_on_a_broken_file_in_a_data_repository(broken_root):
    """The hook as pre-commit runs it: its `entry` in the repository's root, no file names passed."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "zhili-validate"]
    assert hook["pass_filenames"] is False
    entry = shlex.split(hook["entry"])
    assert entry[0] == "zhili"
    env = {k: v for k, v in os.environ.items() if k != "ZHILI_DATA"}
    command = [sys.executable, "-m", "zhili", *entry[1:]]
    broken = subprocess.run(command, cwd=broken_root, env=env, capture_output=True, text=True)
    assert broken.returncode == 1, broken.stderr
    assert "ZL301" in broken.stderr
    edit(broken_root / "communities.yaml", "type: 商品住宅形社区", "type: 商品住宅型社区")
    fixed = subprocess.run(command, cwd=broken_root, env=env, capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stderr
    assert NOTICE not in fixed.stderr


def test_inside_a_data_directory_its_subfolder_uses_it(tmp_path, run, monkeypatch):
    """`cd evaluations` in a data directory (no git) still reads that data directory, not the sample."""
    data = tmp_path / "我区数据"
    shutil.copytree(DATA, data)
    edit(data / "evaluations" / "2021.yaml", "year: 2021", "year: 2020")
    monkeypatch.chdir(data / "evaluations")
    monkeypatch.delenv("ZHILI_DATA", raising=False)
    result = run("validate")
    assert result.exit_code == 1 and "ZL402" in result.stderr and NOTICE not in result.stderr
    assert f"校验未通过：{data}。" in result.stderr
