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


def test_generation_is_deterministic_for_a_seed(tmp_path):
    a = _generate(tmp_path, "a", 40, 7)
    b = _generate(tmp_path, "b", 40, 7)
    for path in sorted(a.rglob("*.yaml")):
        assert path.read_bytes() == (b / path.relative_to(a)).read_bytes(), path.name
