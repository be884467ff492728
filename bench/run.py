"""Measure zhili against the libyaml floor, side by side in one run.

    python bench/run.py [--sizes 1000,20000,100000] [--repeat 3] [--json bench/out/results.json]

`--repeat N` runs N rounds at every size, each command once per round; the table shows the best round and,
next to it, the spread of all rounds (min–max of wall time, of peak memory, and of the ratio to the floor
measured in the same round).

For each size it generates data (bench/generate.py, cached under bench/out/), then measures wall time
and peak memory (each in its own process, peak RSS from os.wait4) of:
  floor      iterating libyaml's event stream (yaml.parse with CSafeLoader) over every data file
  cload      yaml.load with CSafeLoader over every data file (reference)
  validate   zhili validate (the native reader where it is built)
  validate-py  zhili validate with the pure-Python reader (ZHILI_READER=python)
  classify   zhili classify
  tasks      zhili tasks --overdue
  rank       zhili rank --year 2022 (with 较上年: ranks 2021 too)
each with the registry cache off (ZHILI_NO_CACHE=1: every run loads and checks in full), and start-up:
every command (a representative invocation each, `startup_commands`) on the bundled data with the cache
off, against `python -c "import click, yaml, pydantic, rich.console, rich.table"`, interleaved round by
round (`--startup-rounds`, default 5), each judged against 1.3× the import line (issue 18); and, for
reference, `zhili tasks --lead 区住建局` answering from the registry cache. `--only startup` runs only that.
Next to the wall-time ratio the table shows the CPU-time ratio (user + sys of each process, from os.wait4):
on a busy shared machine the CPU times are disturbed far less than the wall times.
It prints a table of ratios and the targets of issue 9, and writes everything as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable

FLOOR = (
    "import sys, yaml, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    for _ in yaml.parse(p.read_bytes(), Loader=yaml.CSafeLoader): pass\n"
)
CLOAD = (
    "import sys, yaml, pathlib\n"
    "docs = [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml'))]\n"
)
IMPORTS = "import click, yaml, pydantic, rich.console, rich.table"


NO_CACHE = {**os.environ, "ZHILI_NO_CACHE": "1"}  # the data-size runs measure the full load every time
WARM = {**os.environ, "ZHILI_CACHE_DIR": str(OUT / "cache"), "ZHILI_NO_CACHE": ""}


PYTHON_READER = {**NO_CACHE, "ZHILI_READER": "python"}


def measure(argv: list[str], repeat: int, env: dict[str, str] | None = None) -> dict:
    """Best wall time and the peak RSS (MB) of that run, each run in a fresh process."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=env or NO_CACHE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} exited {code}:\n{err}")
        runs.append({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                     "exit": code})
    best = min(runs, key=lambda r: r["wall"])
    return {**best, "walls": [round(r["wall"], 4) for r in runs]}


def summarise(rs: list[dict], floors: list[dict]) -> dict:
    """The best round of one command, with every round's wall time, peak memory and ratio to the floor
    measured in the same round (the spread the table shows next to the best)."""
    best = min(rs, key=lambda r: r["wall"])
    return {**best, "walls": [round(r["wall"], 4) for r in rs], "peaks_mb": [round(r["peak_mb"], 1) for r in rs],
            "round_ratios": [round(r["wall"] / f["wall"], 3) for r, f in zip(rs, floors)],
            "cpus": [round(r["cpu"], 3) for r in rs],
            "round_cpu_ratios": [round(r["cpu"] / f["cpu"], 3) for r, f in zip(rs, floors)]}


def spread(best: float, values: list[float], fmt: str) -> str:
    """`best (min–max)`; just `best` for a single round."""
    if len(values) < 2:
        return format(best, fmt)
    return f"{format(best, fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def ensure_data(n: int) -> Path:
    target = OUT / f"n{n}"
    if not (target / "communities.yaml").exists():
        subprocess.run([PY, str(ROOT / "bench" / "generate.py"), "--communities", str(n), "--out", str(target)],
                       check=True)
    return target


def commands(data: Path) -> dict[str, list[str]]:
    z = [PY, "-m", "zhili"]
    return {
        "floor": [PY, "-c", FLOOR, str(data)],
        "cload": [PY, "-c", CLOAD, str(data)],
        "validate": [*z, "validate", "--data", str(data)],
        "validate-py": [*z, "validate", "--data", str(data)],
        "classify": [*z, "classify", "--data", str(data)],
        "tasks": [*z, "tasks", "--overdue", "--as-of", "2021-12-31", "--data", str(data)],
        "rank": [*z, "rank", "--year", "2022", "--data", str(data)],
    }


STARTUP_LIMIT = 1.3  # issue 18: every command on the bundled data within 1.3× the import line, the cache off


def startup_commands(work: Path, n: int) -> dict[str, list[str]]:
    """A representative invocation of every command on the bundled data, for round `n`. `coverage` and
    `projects` run on the 太仓 example (the bundled 游仙 data declares no targets and no needs, so there
    they stop at once with exit code 2); the commands that write, write under `work`."""
    data, taicang, copy = str(ROOT / "data"), str(ROOT / "examples" / "taicang"), str(work / "data")
    out = work / f"round{n}"
    z = [PY, "-m", "zhili"]
    return {
        "validate": [*z, "validate", "--data", data],
        "types": [*z, "types", "--data", data],
        "communities": [*z, "communities", "--data", data],
        "tasks": [*z, "tasks", "--lead", "区住建局", "--data", data],
        "classify": [*z, "classify", "--data", data],
        "rank": [*z, "rank", "--year", "2021", "--data", data],
        "units": [*z, "units", "--as-of", "2021-12-31", "--data", data],
        "plans": [*z, "plans", "--as-of", "2021-03-31", "--data", data],
        "standards": [*z, "standards", "--data", data],
        "report": [*z, "report", "--year", "2021", "--as-of", "2021-12-31", "--data", data],
        "notice": [*z, "notice", "--as-of", "2021-12-31", "--data", data],
        "history": [*z, "history", "东材社区", "--data", data],
        "diff": [*z, "diff", "--data", data],  # HEAD against the working tree of this checkout
        "coverage": [*z, "coverage", "--as-of", "2022-12-31", "--data", taicang],
        "projects": [*z, "projects", "--data", taicang],
        "progress": [*z, "progress", "add", "--task", "1", "--unit", "区委组织部", "--date", "2021-06-30",
                     "--note", "示意", "--data", copy],
        "import": [*z, "import", "communities", str(work / "roster.csv"), "--dry-run", "--data", copy],
        "collect": [*z, "collect", "-o", str(out / "forms"), "--data", data],
        "schema": [*z, "schema", str(out / "schemas")],
        "init": [*z, "init", str(out / "init"), "--scheme", "empty"],
    }


def startup(rounds: int) -> dict:
    """Every command on the bundled data with the cache off, against the import line. Each command run is
    paired with an import-line run just before it, round after round, so that a slow spell of a shared
    machine falls on both: a command's ratio is the median of its paired ratios (wall and CPU), shown with
    their min–max, and it is judged on the CPU ratio against 1.3×. Also, for reference, `zhili tasks --lead
    区住建局` answering from the registry cache (primed by one run: the usual case, data unchanged since the
    last command)."""
    import shutil
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="zhili-startup-"))
    try:
        shutil.copytree(ROOT / "data", work / "data")
        (work / "roster.csv").write_text("社区,所属街道,类型\n示意社区,涪江街道,国有企业改制型社区\n", encoding="utf-8")
        warm_command = [PY, "-m", "zhili", "tasks", "--lead", "区住建局", "--data", str(ROOT / "data")]
        measure(warm_command, 1, WARM)
        runs: dict[str, list[tuple[dict, dict]]] = {}  # name -> (import line, command) per round
        for n in range(rounds):
            commands_ = [(name, argv, NO_CACHE) for name, argv in startup_commands(work, n).items()]
            for name, argv, env in [*commands_, ("tasks (cache)", warm_command, WARM)]:
                base = measure([PY, "-c", IMPORTS], 1)
                runs.setdefault(name, []).append((base, measure(argv, 1, env)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bases = [b for pairs in runs.values() for b, _ in pairs]
    rows = {"imports": {"wall": round(statistics.median(b["wall"] for b in bases), 4),
                        "walls": [round(b["wall"], 4) for b in bases],
                        "cpu": round(statistics.median(b["cpu"] for b in bases), 4),
                        "cpus": [round(b["cpu"], 4) for b in bases], "ratio": 1.0, "ratio_cpu": 1.0,
                        "round_ratios": [1.0], "round_cpu_ratios": [1.0],
                        "peak_mb": round(max(b["peak_mb"] for b in bases), 1), "exit": 0}}
    for name, pairs in runs.items():
        walls, cpus = [r["wall"] / b["wall"] for b, r in pairs], [r["cpu"] / b["cpu"] for b, r in pairs]
        rows[name] = {"argv": _argv_shown(name),
                      "wall": round(statistics.median(r["wall"] for _, r in pairs), 4),
                      "walls": [round(r["wall"], 4) for _, r in pairs],
                      "cpu": round(statistics.median(r["cpu"] for _, r in pairs), 4),
                      "cpus": [round(r["cpu"], 4) for _, r in pairs],
                      "ratio": round(statistics.median(walls), 3), "ratio_cpu": round(statistics.median(cpus), 3),
                      "round_ratios": [round(x, 3) for x in walls], "round_cpu_ratios": [round(x, 3) for x in cpus],
                      "peak_mb": round(max(r["peak_mb"] for _, r in pairs), 1), "exit": pairs[-1][1]["exit"]}
        if name != "tasks (cache)":
            rows[name]["met"] = rows[name]["ratio_cpu"] <= STARTUP_LIMIT
    warm, cold = rows["tasks (cache)"], rows["tasks"]
    return {"rounds": rounds, "limit": STARTUP_LIMIT, "commands": rows,
            # the figures of earlier runs, under their names
            "imports": rows["imports"]["wall"], "tasks_lead": warm["wall"], "ratio": warm["ratio"],
            "tasks_lead_no_cache": cold["wall"], "ratio_no_cache": cold["ratio"]}


def _argv_shown(name: str) -> list[str]:
    """A start-up command's arguments as results.json records them (paths relative to the checkout)."""
    if name == "tasks (cache)":
        return ["tasks", "--lead", "区住建局", "--data", "data"]
    argv = startup_commands(Path("<tmp>"), 0)[name][3:]
    return [a.replace(str(ROOT) + os.sep, "") for a in argv]


def print_startup(s: dict) -> None:
    print(f"\nstart-up on the bundled data, cache off ({s['rounds']} rounds; medians (min–max); × imports: median "
          f"(min–max) of the ratios to the import line run just before; verdict on the CPU ratio ≤ {s['limit']})")
    print(f"{'what':<14} {'wall ms':>17} {'× imports':>17} {'CPU ms':>17} {'CPU × imports':>17}")
    for name, r in s["commands"].items():
        ms = [w * 1000 for w in r["walls"]]
        cpus = [c * 1000 for c in r["cpus"]]
        verdict = "" if "met" not in r else ("ok" if r["met"] else "MISS")
        print(f"{name:<14} {spread(r['wall'] * 1000, ms, '.0f'):>17} {spread(r['ratio'], r['round_ratios'], '.2f'):>17} "
              f"{spread(r['cpu'] * 1000, cpus, '.0f'):>17} {spread(r['ratio_cpu'], r['round_cpu_ratios'], '.2f'):>17} "
              f"{verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="zhili benchmarks against the libyaml floor")
    parser.add_argument("--sizes", default="1000,20000,100000")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds at every size (each command once per round; the best is kept and the "
                             "table shows the spread of the rounds)")
    parser.add_argument("--json", type=Path, default=OUT / "results.json")
    parser.add_argument("--only", default="",
                        help="comma-separated rows to measure (floor is always measured), e.g. validate,validate-py; "
                             "`startup` selects the start-up section (alone: only it, no data sizes)")
    parser.add_argument("--startup-rounds", type=int, default=5, help="rounds of the start-up section (default 5)")
    args = parser.parse_args(argv)
    only = {"floor", *filter(None, args.only.split(","))} if args.only else None
    sizes = [int(s) for s in args.sizes.split(",")] if only is None or only - {"floor", "startup"} else []

    results: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                 "cpus": os.cpu_count()}, "sizes": {}}
    if sizes:
        print(f"{'N':>8} {'what':<11} {'wall s (spread)':>20} {'peak MB (spread)':>18} {'× floor (per round)':>22} "
              f"{'CPU × floor (per round)':>24}")
    for n in sizes:
        data = ensure_data(n)
        # Round after round, each command once per round: a slow spell of a shared machine then falls on
        # every command alike instead of on one. Every size gets the same number of rounds.
        runs: dict[str, list[dict]] = {}
        for _ in range(args.repeat):
            for name, argv_ in commands(data).items():
                if only is None or name in only:
                    env = PYTHON_READER if name == "validate-py" else None
                    runs.setdefault(name, []).append(measure(argv_, 1, env))
        rows = {name: summarise(rs, runs["floor"]) for name, rs in runs.items()}
        floor = rows["floor"]["wall"]
        for name, r in rows.items():
            r["ratio"] = r["wall"] / floor
            print(f"{n:>8} {name:<11} {spread(r['wall'], r['walls'], '.2f'):>20} "
                  f"{spread(r['peak_mb'], r['peaks_mb'], '.0f'):>18} "
                  f"{spread(r['ratio'], r['round_ratios'], '.2f'):>22} "
                  f"{spread(min(r['round_cpu_ratios']), r['round_cpu_ratios'], '.2f'):>24}")
        results["sizes"][str(n)] = rows

    s = startup(args.startup_rounds) if only is None or "startup" in only else None
    if s is not None:
        results["startup"] = s
        print_startup(s)

    targets = []
    by = results["sizes"]
    for n in ("20000", "100000"):
        if n in by and "validate" in by[n]:
            targets.append((f"validate ≤ 0.8× floor at {n} (issue 18)", by[n]["validate"]["ratio"], 0.8))
    if "100000" in by and "validate" in by["100000"]:
        targets.append(("validate peak MB per 1,000 communities at 100000 ≤ 3 (issue 18)",
                        by["100000"]["validate"]["peak_mb"] / 100, 3.0))
    if "20000" in by and "100000" in by and "validate" in by["20000"] and "validate" in by["100000"]:
        targets.append(("validate time 100k / 20k ≤ 5.5", by["100000"]["validate"]["wall"] / by["20000"]["validate"]["wall"], 5.5))
    if "100000" in by and "cload" in by["100000"] and "validate" in by["100000"]:
        targets.append(("validate peak 100k ≤ 0.5× cload peak",
                        by["100000"]["validate"]["peak_mb"] / by["100000"]["cload"]["peak_mb"], 0.5))
    if s is not None:
        targets.append(("start-up ≤ 1.6× imports (registry cache primed)", s["ratio"], 1.6))
        for name, r in s["commands"].items():
            if "met" in r:
                targets.append((f"start-up {name} ≤ {STARTUP_LIMIT}× imports, cache off, CPU (issue 18)", r["ratio_cpu"],
                                STARTUP_LIMIT))
    for n, rows in by.items():
        if int(n) >= 20000 and "validate" in rows:
            for cmd in ("classify", "tasks", "rank"):
                if cmd in rows:
                    targets.append((f"{cmd} ≤ 1.2× validate at {n}", rows[cmd]["wall"] / rows["validate"]["wall"], 1.2))
    print()
    results["targets"] = []
    for label, value, limit in targets:
        ok = value <= limit
        results["targets"].append({"target": label, "value": round(value, 3), "limit": limit, "met": ok})
        print(f"{'ok  ' if ok else 'MISS'} {label}: {value:.2f}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
