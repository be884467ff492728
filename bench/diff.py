"""Time `zhili diff` against `zhili validate` on a git repository of generated data.

    python bench/diff.py [--communities 20000] [--changes 200] [--repeat 2]

Generates N communities (bench/generate.py, cached in bench/out/), commits them to a fresh repository in a
temporary directory, lowers `--changes` self-assessment scores of the last year in a second commit, then
measures, each in a fresh process with the registry cache off, wall time and peak RSS of
`zhili validate` and `zhili diff HEAD~1 HEAD --format json` (best of `--repeat` rounds). The floor of a
diff is two loads, so the ratio to validate is the figure to watch (about 2).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
GIT = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "bench",
       "GIT_COMMITTER_EMAIL": "bench@example.org"}


def measure(args: list[str], cwd: Path) -> tuple[float, int, str]:
    env = {**os.environ, "ZHILI_NO_CACHE": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed")
    return elapsed, usage.ru_maxrss, out.decode("utf-8", "replace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=20000)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    opts = parser.parse_args(argv)
    source = OUT / f"n{opts.communities}"
    if not (source / "types.yaml").exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--communities", str(opts.communities),
                        "--out", str(source)], check=True)
    zhili = [sys.executable, "-m", "zhili"]
    with tempfile.TemporaryDirectory(prefix="zhili-bench-diff-") as tmp:
        repo = Path(tmp)
        shutil.copytree(source, repo / "data")
        env = {**os.environ, **GIT}
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
        subprocess.run(["git", "commit", "-qm", "base"], cwd=repo, env=env, check=True)
        last = sorted((repo / "data" / "evaluations").glob("*.yaml"))[-1]
        count = 0

        def lower(m: re.Match[str]) -> str:
            nonlocal count
            count += 1
            return m.group(0) if count > opts.changes else f"self_assessment: '{max(0, int(m.group(1)) - 20)}'"

        last.write_text(re.sub(r"self_assessment: '([0-9]+)'", lower, last.read_text(encoding="utf-8")), encoding="utf-8")
        subprocess.run(["git", "commit", "-qam", "change"], cwd=repo, env=env, check=True)
        best: dict[str, tuple[float, int]] = {}
        found = 0
        for _ in range(opts.repeat):
            for name, args in (("validate", [*zhili, "validate", "--data", "data"]),
                               ("diff", [*zhili, "diff", "--data", "data", "HEAD~1", "HEAD", "--format", "json"])):
                elapsed, rss, out = measure(args, repo)
                if name == "diff":
                    found = json.loads(out)["count"]
                if name not in best or elapsed < best[name][0]:
                    best[name] = (elapsed, rss)
    for name, (elapsed, rss) in best.items():
        print(f"{name:8} {elapsed:7.2f} s {rss / 1024:8.0f} MB")
    print(f"diff/validate {best['diff'][0] / best['validate'][0]:.2f}; {found} changes reported")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
