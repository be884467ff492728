"""Editors and CI for data repositories: the pre-commit hook and the GitHub Actions example of docs/editors.md work."""

from __future__ import annotations

import re

from conftest import DATA, ROOT, edit

EDITORS = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")


def _hooks() -> list[dict]:
    from zhili.loading import yamlread

    result = yamlread.read((ROOT / ".pre-commit-hooks.yaml").read_bytes(), ".pre-commit-hooks.yaml")
    assert not result.diagnostics
    return result.value


def _hook(hook_id: str) -> dict:
    (hook,) = [h for h in _hooks() if h["id"] == hook_id]
    return hook


def test_pre_commit_hook_runs_zhili_validate_once_per_commit():
    assert [h["id"] for h in _hooks()] == ["zhili-validate", "zhili-diff"]
    hook = _hook("zhili-validate")
    assert hook["language"] == "python"  # pre-commit installs this repository with pip
    assert hook["pass_filenames"] == "false"  # the whole data directory, not the changed files
    script, sub = hook["entry"].split()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf'^{script} = "zhili\.cli\.app:main"$', pyproject, re.MULTILINE)  # the console script
    from zhili.cli.app import COMMANDS

    assert sub in COMMANDS
    assert re.search(hook["files"], "data/evaluations/2021.yaml") and not re.search(hook["files"], "README.md")


def test_pre_commit_hook_entry_fails_a_bad_commit(run, data_copy):
    hook = _hook("zhili-validate")
    args = hook["entry"].split()[1:] + ["--data", str(data_copy)]
    assert run(*args).exit_code == 0
    edit(data_copy / "tasks.yaml", "title: 加强小区支部建设", "titel: 加强小区支部建设")
    assert run(*args).exit_code == 1  # pre-commit refuses the commit


def test_docs_document_the_hook_and_the_actions_step(run, data_copy):
    assert "id: zhili-validate" in EDITORS
    step = re.search(r"- run: (zhili validate .*--format github)", EDITORS)
    assert step, "docs/editors.md has no GitHub Actions step with --format github"
    args = step.group(1).split()[1:]
    edit(data_copy / "communities.yaml", "street: 涪江街道", "street: 涪江街到")
    args[args.index("--data") + 1] = str(data_copy)
    result = run(*args)
    assert result.exit_code == 1  # the job fails
    assert result.stdout.startswith("::error file=")


def test_docs_document_shell_completion_for_each_shell():
    for shell in ("bash", "zsh", "fish"):
        assert f"_ZHILI_COMPLETE={shell}_source zhili" in EDITORS


def test_bundled_data_still_clean_for_the_ci_step(run):
    assert run("validate", "--data", DATA, "--format", "github").exit_code == 0
