"""Where the cross-checks' time goes: CPU seconds of the assembly and of each entry of `CHECKS`.

    python bench/checks.py bench/out/n20000 [--rounds 3] [--profile N]

Each round loads the data directory in a fresh process (`ZHILI_NO_CACHE=1`, the native reader) with
`assemble` and every check of `zhili.loading.registry.CHECKS` wrapped in a timer (time.process_time), so
each figure is the check's one pass as `zhili validate` runs it. Prints the best round of each figure;
with --profile N, also the N costliest functions of the checks under cProfile (one more round).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TIMED = """
import json, sys, time
from pathlib import Path
from zhili.loading import registry
acc = {}
def timed(name, f, generator):
    def run(*a, **k):
        s = time.process_time()
        try:
            if generator:
                return list(f(*a, **k))
            return f(*a, **k)
        finally:
            acc[name] = acc.get(name, 0.0) + time.process_time() - s
    return run
registry.assemble = timed("assemble", registry.assemble, False)
registry.CHECKS[:] = [timed(c.__name__, c, True) for c in registry.CHECKS]
profile = int(sys.argv[2])
if profile:
    import cProfile, pstats
    prof = cProfile.Profile()
    checks = list(registry.CHECKS)
    def profiled(f):
        def run(*a, **k):
            prof.enable()
            try:
                return f(*a, **k)
            finally:
                prof.disable()
        return run
    registry.CHECKS[:] = [profiled(c) for c in checks]
result = registry.load(Path(sys.argv[1]))
assert result.registry is not None, result.diagnostics[:3]
if profile:
    pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(profile)
print(json.dumps(acc))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions of the checks")
    args = parser.parse_args(argv)
    env = {**os.environ, "ZHILI_NO_CACHE": "1"}
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        out = subprocess.run([sys.executable, "-c", TIMED, str(args.data), "0"], capture_output=True, text=True,
                             env=env, cwd=ROOT, check=True)
        for name, cpu in json.loads(out.stdout).items():
            best[name] = min(best.get(name, cpu), cpu)
    for name, cpu in best.items():
        print(f"{name:<24} {cpu:7.3f}")
    print(f"{'total':<24} {sum(best.values()):7.3f}")
    if args.profile:
        out = subprocess.run([sys.executable, "-c", TIMED, str(args.data), str(args.profile)], capture_output=True,
                             text=True, env=env, cwd=ROOT, check=True)
        print(out.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
