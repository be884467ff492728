"""The GitHub Actions example (examples/github-actions/zhili.yml), run step by step on a temporary git repository
standing in for a pull request: the data is validated and `zhili diff` lands in the job summary."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DATA, ROOT, edit
from test_diff import commit, git

WORKFLOW = ROOT / "examples" / "github-actions" / "zhili.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def run_steps(repo: Path, base: str, summary: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every `run` step but the install (zhili is installed here already), as a runner would: bash -e, the
    workflow's and the step's env, GitHub expressions replaced by what a pull request event gives."""
    flow = _workflow()
    expressions = {"github.event.pull_request.base.sha": base}
    env = {**os.environ, **{k: str(v) for k, v in flow.get("env", {}).items()}, "GITHUB_STEP_SUMMARY": str(summary),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    results = {}
    for step in flow["jobs"]["zhili"]["steps"]:
        if "run" not in step or step.get("id") == "install":
            continue
        step_env = dict(env)
        for key, value in step.get("env", {}).items():
            step_env[key] = re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: expressions[m.group(1)], str(value))
        assert "${{" not in step["run"], "expressions belong in env:, never inline in a shell script"
        results[step["id"]] = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=step_env,
                                             capture_output=True, text=True, timeout=120)
    return results


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(DATA, repo / "data")
    base = commit(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo, base


def test_workflow_is_for_pull_requests_and_read_only():
    flow = _workflow()
    assert "pull_request" in flow[True]  # PyYAML reads the key `on` as true
    assert flow["permissions"] == {"contents": "read"}
    steps = flow["jobs"]["zhili"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0 and checkout["with"]["persist-credentials"] is False
    assert [s.get("id") for s in steps if "run" in s] == ["install", "validate", "diff"]
    assert "always()" in next(s for s in steps if s.get("id") == "diff")["if"]


def test_a_pull_request_gets_its_changes_in_the_summary(pull_request, tmp_path):
    repo, base = pull_request
    edit(repo / "data" / "communities.yaml", "name: 桑林社区", "name: 桑林新社区")
    commit(repo, "rename")
    summary = tmp_path / "summary.md"
    results = run_steps(repo, base, summary)
    assert results["validate"].returncode == 0, results["validate"].stderr
    assert results["diff"].returncode == 0, results["diff"].stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### 数据变化：")
    assert "| 更名 | 桑林新社区（sanglin） | 名称：桑林社区 → 桑林新社区 |" in text


def test_a_pull_request_that_breaks_the_data_fails_and_still_says_what_changed(pull_request, tmp_path):
    repo, base = pull_request
    edit(repo / "data" / "communities.yaml", "street: 经济试验区", "street: 不存在街道")
    commit(repo, "break")
    summary = tmp_path / "summary.md"
    results = run_steps(repo, base, summary)
    assert results["validate"].returncode == 1
    assert "::error file=data/communities.yaml,line=" in results["validate"].stdout
    text = summary.read_text(encoding="utf-8")
    assert "未通过（1 个错误）" in text and "所属单位：经济试验区 → 不存在街道" in text
