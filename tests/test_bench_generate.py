"""bench/generate.py writes data that zhili accepts, deterministically for a seed."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def _generate(tmp_path, name, n, seed):
    out = tmp_path / name
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--communities", str(n), "--out", str(out),
                    "--seed", str(seed)], check=True)
    return out


def test_generated_data_validates(run, tmp_path):
    out = _generate(tmp_path, "g", 60, 1)
    result = run("validate", "--data", out, "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    assert json.loads(result.output)["errors"] == []
    listed = json.loads(run("communities", "--data", out, "--format", "json").output)
    assert len(listed) == 60
    assert len({c["id"] for c in listed}) == 60


def test_generated_scores_vary_on_every_declared_stage(tmp_path):
    """Each clone's stage scores are jittered: the keys are the stage ids types.yaml declares."""
    import yaml

    out = _generate(tmp_path, "s", 120, 5)
    records = yaml.safe_load((out / "evaluations" / "2021.yaml").read_text(encoding="utf-8"))["evaluations"]
    stages = [s["id"] for s in yaml.safe_load((out / "types.yaml").read_text(encoding="utf-8"))["evaluation"]["stages"]]
    assert stages == ["self_assessment", "street_review", "district_review"]
    template = yaml.safe_load((ROOT / "data" / "evaluations" / "2021.yaml").read_text(encoding="utf-8"))["evaluations"]
    assert len(records) > len(template)
    for stage in stages:
        values = [r[stage] for r in records if stage in r]
        assert all(isinstance(v, (int, float)) and 0 <= v <= 100 for v in values), stage
        # clones of one template community differ, so there are more distinct scores than template ones
        assert len(set(values)) > len({r[stage] for r in template if stage in r}), stage


def test_generation_is_deterministic_for_a_seed(tmp_path):
    a = _generate(tmp_path, "a", 40, 7)
    b = _generate(tmp_path, "b", 40, 7)
    for path in sorted(a.rglob("*.yaml")):
        assert path.read_bytes() == (b / path.relative_to(a)).read_bytes(), path.name


def test_split_output_is_folders_that_give_the_same_registry(run, tmp_path):
    """--split-streets writes communities/ and plans/ as one file per group of streets (a 区县 of K 街道),
    the plans' requirement in the first file only; the registry is the same as the single-file one."""
    import json

    whole = _generate(tmp_path, "whole", 900, 3)  # 900 communities: three streets of at most 400
    out = tmp_path / "split"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--communities", "900", "--out", str(out),
                    "--seed", "3", "--split-streets", "1"], check=True)
    assert not (out / "communities.yaml").exists() and not (out / "plans.yaml").exists()
    assert sorted(p.name for p in (out / "communities").iterdir()) == [
        "示例街道0000.yaml", "示例街道0001.yaml", "示例街道0002.yaml"]
    plans = sorted((out / "plans").iterdir())
    assert ["requirement:" in p.read_text(encoding="utf-8") for p in plans] == [True, False, False]
    assert run("validate", "--data", out).exit_code == 0

    def listed(data):
        return sorted(json.dumps(c, sort_keys=True) for c in
                      json.loads(run("communities", "--data", data, "--format", "json").output))
    assert listed(out) == listed(whole)

    def ranked(data):  # the same rank and designation for each; tied communities (and the names the
        # warnings list first) come in registry order, file by file, so only the rows are compared
        groups = json.loads(run("rank", "--year", "2021", "--format", "json", "--data", data).output)
        return [(g["type"], sorted(json.dumps(c, sort_keys=True) for c in g["communities"])) for g in groups]
    assert ranked(out) == ranked(whole)
