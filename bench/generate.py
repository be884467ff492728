"""Write a valid zhili data directory with N communities, for benchmarks.

    python bench/generate.py --communities 20000 --out bench/out/n20000 [--seed 1] [--template data]
    python bench/generate.py --communities 650000 --out bench/out/n650000 --split-streets 20

With --split-streets K the registry is written as folders (communities/ and plans/, one file per group
of K streets: K=1 one file per 街道, K=20 a 区县 of twenty 街道), so that a national registry stays
under the per-file limits (zhili refuses a single communities.yaml from about 224,000 communities).

The bundled data set is the template: its 25 communities are cloned N times over synthetic streets
(each clone keeps its template's type and attributes, so classification stays meaningful), the ledger
grows in proportion (one task per 20 communities, at least the template's own), and every per-community
record (progress, plans, evaluations per year) is cloned with its community. Scores are
jittered deterministically from the seed. The result is zhili's own format and validates.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from zhili.loading import yamlread  # noqa: E402

COMMUNITIES_PER_STREET = 400
COMMUNITIES_PER_TASK = 20
COMMUNITY_REF_KEYS = ("community", "partner", "paired_with", "paired_community")
# Remediation is for the communities a year's ranking names 后进; the clones rank differently, so the
# template's records would not hold (the file is optional).
SKIPPED = ("remediation.yaml",)


def read_plain(path: Path) -> Any:
    result = yamlread.read(path.read_bytes(), str(path))
    if result.diagnostics:
        raise SystemExit(f"template file {path} is not valid: {result.diagnostics[0].message}")
    return result.value


class _Dumper(yaml.CSafeDumper):
    """zhili refuses anchors and aliases: write every repeated value out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(value: Any, path: Path, header: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000,
                     default_flow_style=False)
    path.write_text(f"# {header}\n" + text, encoding="utf-8")


class Cloner:
    def __init__(self, template: Path, n: int, seed: int) -> None:
        self.template = template
        self.n = n
        self.rng = random.Random(seed)
        self.base = read_plain(template / "communities.yaml")["communities"]
        self.size = len(self.base)
        self.base_index = {c["id"]: i for i, c in enumerate(self.base)}
        self.stage_ids = self.declared_stages(template)
        self.streets = [f"示例街道{i:04d}" for i in range(max(1, -(-n // COMMUNITIES_PER_STREET)))]

    def clone_id(self, template_id: str, block: int) -> str:
        return f"c{block * self.size + self.base_index[template_id]:07d}"

    def remap(self, record: Any, block: int) -> Any:
        """A copy of a per-community record pointing at the clones of `block`."""
        if isinstance(record, dict):
            out = {}
            for k, v in record.items():
                if k in COMMUNITY_REF_KEYS and isinstance(v, str) and v in self.base_index:
                    out[k] = self.clone_id(v, block)
                else:
                    out[k] = self.remap(v, block)
            return out
        if isinstance(record, list):
            return [self.remap(v, block) for v in record]
        return record

    def blocks(self) -> range:
        return range(-(-self.n // self.size))

    def in_range(self, template_id: str, block: int) -> bool:
        return block * self.size + self.base_index[template_id] < self.n

    # -- files -------------------------------------------------------------------------------
    def group_of(self, street_index: int, per_file: int) -> str:
        """The file (without .yaml) of a street's communities when the registry is split."""
        return self.streets[street_index] if per_file == 1 else f"示例区县{street_index // per_file:04d}"

    def split(self, records: list[dict], per_file: int, ref: str) -> dict[str, list[dict]]:
        """Records grouped by the file of their community's street (communities: ref "id")."""
        groups: dict[str, list[dict]] = {}
        for rec in records:
            street_index = int(rec[ref][1:]) % len(self.streets)  # community c{i:07d} is on street i % streets
            groups.setdefault(self.group_of(street_index, per_file), []).append(rec)
        return dict(sorted(groups.items()))

    def communities(self) -> dict:
        out = []
        for i in range(self.n):
            block, k = divmod(i, self.size)
            c = dict(self.base[k])
            c["id"] = f"c{i:07d}"
            c["name"] = f"{c['name']}{block}"
            c["street"] = self.streets[i % len(self.streets)]
            out.append(c)
        return {"communities": out}

    def units(self) -> dict:
        plain = read_plain(self.template / "units.yaml")
        # the generated streets sit at the template's lowest level, under its top unit when it has one
        levels = read_plain(self.template / "types.yaml").get("levels") or [{"id": "unit"}]
        top = next((u["name"] for u in plain["units"] if len(levels) > 1 and u.get("level") == levels[-2]["id"]), None)
        placed = {"level": levels[-1]["id"], **({"parent": top} if top else {})}
        plain["units"] = list(plain["units"]) + [{"name": s, "kind": "街道", **placed, "aliases": []} for s in self.streets]
        return plain

    def tasks(self) -> tuple[dict, dict[int, list[int]]]:
        base = read_plain(self.template / "tasks.yaml")["tasks"]
        count = max(len(base), self.n // COMMUNITIES_PER_TASK)
        out, clones = [], {}
        for i in range(count):
            t = dict(base[i % len(base)])
            t["no"] = str(i + 1)
            out.append(t)
            clones.setdefault(int(base[i % len(base)]["no"]), []).append(i + 1)
        return {"tasks": out}, clones

    def progress(self, plain: dict, clones: dict[int, list[int]]) -> dict:
        out = []
        for entry in plain.get("progress", []):
            for no in clones.get(int(entry["task"]), []):
                e = dict(entry)
                e["task"] = str(no)
                out.append(e)
        return {**plain, "progress": out}

    def per_community(self, plain: dict, list_key: str) -> dict:
        out = []
        for block in self.blocks():
            for rec in plain.get(list_key, []):
                ref = next((rec[k] for k in COMMUNITY_REF_KEYS if k in rec), None)
                if ref is None or not self.in_range(ref, block):
                    continue
                partners = [rec[k] for k in COMMUNITY_REF_KEYS[1:] if isinstance(rec.get(k), str)]
                if any(p in self.base_index and not self.in_range(p, block) for p in partners):
                    continue
                out.append(self.jitter(self.remap(rec, block)))
        return {**plain, list_key: out}

    @staticmethod
    def declared_stages(template: Path) -> tuple[str, ...]:
        """The evaluation stage ids the template's types.yaml declares (the keys of an evaluation record)."""
        evaluation = read_plain(template / "types.yaml").get("evaluation") or {}
        return tuple(str(s["id"]) for s in evaluation.get("stages") or [] if isinstance(s, dict) and "id" in s)

    def jitter(self, record: dict) -> dict:
        for key in self.stage_ids:
            value = record.get(key)
            if isinstance(value, str):
                try:
                    score = float(value)
                except ValueError:
                    continue
                record[key] = round(min(100.0, max(0.0, score + self.rng.uniform(-8, 8))), 1)
        return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--template", type=Path, default=ROOT / "data")
    parser.add_argument("--split-streets", type=int, default=0, metavar="K",
                        help="write communities/ and plans/ as folders, one file per group of K streets")
    args = parser.parse_args(argv)
    if args.communities < 1:
        parser.error("--communities must be at least 1")
    if args.split_streets < 0:
        parser.error("--split-streets must be at least 1 (or 0: one file each)")
    c = Cloner(args.template, args.communities, args.seed)
    out: Path = args.out
    note = f"bench/generate.py --communities {args.communities} --seed {args.seed}: synthetic benchmark data"
    dump(read_plain(args.template / "types.yaml"), out / "types.yaml", note)
    dump(c.units(), out / "units.yaml", note)
    if args.split_streets:
        for name, items in c.split(c.communities()["communities"], args.split_streets, "id").items():
            dump({"communities": items}, out / "communities" / f"{name}.yaml", note)
    else:
        dump(c.communities(), out / "communities.yaml", note)
    tasks, clones = c.tasks()
    dump(tasks, out / "tasks.yaml", note)
    for path in sorted(args.template.rglob("*.yaml")):
        rel = path.relative_to(args.template)
        if str(rel) in ("types.yaml", "units.yaml", "communities.yaml", "tasks.yaml"):
            continue
        if str(rel) in SKIPPED:
            continue
        plain = read_plain(path)
        if not isinstance(plain, dict):
            continue
        if "progress" in plain:
            plain = c.progress(plain, clones)
        else:
            for key, value in list(plain.items()):
                if isinstance(value, list) and value and isinstance(value[0], dict) and any(
                        k in value[0] for k in COMMUNITY_REF_KEYS):
                    plain = c.per_community(plain, key)
        if args.split_streets and str(rel) == "plans.yaml":  # the requirement goes to the first file only
            groups = c.split(plain["plans"], args.split_streets, "community") or {"plans": []}
            for n, (name, items) in enumerate(groups.items()):
                head = {k: v for k, v in plain.items() if k != "plans"} if n == 0 else {}
                dump({**head, "plans": items}, out / "plans" / f"{name}.yaml", note)
            continue
        dump(plain, out / rel, note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
