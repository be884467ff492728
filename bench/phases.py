"""Where `zhili validate`'s time goes, in CPU seconds, with each reader, against the floor in the same process.

    python bench/phases.py bench/out/n20000 [--rounds 3]

Each round, in fresh processes (one per reader, one for the floor), times: the floor (iterating libyaml's
event stream with CSafeLoader over every data file, as bench/run.py's `floor` row), importing zhili's
loader, reading (bytes to plain values), the pydantic models, and the rest of the load (assembly and
cross-checks). CPU time (time.process_time) is far less disturbed than wall time by other jobs on a
shared machine. Prints the best round of each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = """
import sys, time, yaml, pathlib, json
files = [p.read_bytes() for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml'))]
s = time.process_time()
for d in files:
    for _ in yaml.parse(d, Loader=yaml.CSafeLoader): pass
print(json.dumps({"floor": time.process_time() - s}))
"""

PHASES = """
import sys, time, json
t0 = time.process_time()
from pathlib import Path
from zhili.loading import registry
imports = time.process_time() - t0
acc = {"read": 0.0, "models": 0.0}
read_source, validate_model = registry.read_source, registry.validate_model
def timed(name, f):
    def wrapper(*a, **k):
        s = time.process_time()
        try:
            return f(*a, **k)
        finally:
            acc[name] += time.process_time() - s
    return wrapper
registry.read_source, registry.validate_model = timed("read", read_source), timed("models", validate_model)
s = time.process_time()
result = registry.load(Path(sys.argv[1]))
load = time.process_time() - s
assert not [d for d in result.diagnostics if d.is_error], result.diagnostics[:3]
print(json.dumps({"imports": imports, **acc, "checks": load - acc["read"] - acc["models"], "load": load}))
"""


def run(code: str, data: Path, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True, text=True, env=env, cwd=ROOT,
                         check=True)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.rounds):
        for name, code, reader in (("floor", FLOOR, ""), ("native", PHASES, "native"), ("python", PHASES, "python")):
            env = {**os.environ, "ZHILI_NO_CACHE": "1", "ZHILI_READER": reader}
            figures = run(code, args.data, env)
            row = best.setdefault(name, {})
            for k, v in figures.items():
                row[k] = min(row.get(k, v), v)
    floor = best["floor"]["floor"]
    print(f"floor (libyaml's Python event stream): {floor:.2f} s CPU")
    for name in ("native", "python"):
        r = best[name]
        print(f"{name:>6}: imports {r['imports']:.2f}  read {r['read']:.2f} ({r['read'] / floor:.2f}× floor)  "
              f"models {r['models']:.2f}  checks {r['checks']:.2f}  load {r['load']:.2f} "
              f"(imports + load {(r['imports'] + r['load']) / floor:.2f}× floor)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
