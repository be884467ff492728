"""The outcomes of both bundled data sets, pinned before the scheme became declared data (issue 15).

Rankings, designations, task states, plan states, coverage verdicts and classifications must stay the
same whatever the data format becomes; only labels may change where they now come from the data.
Regenerate (only when an outcome is meant to change) with:  python tests/test_pinned_outcomes.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
PINNED = ROOT / "tests" / "fixtures" / "pinned" / "outcomes.json"
YOUXIAN, TAICANG = str(ROOT / "data"), str(ROOT / "examples" / "taicang")


def _json(args: list[str]):
    from zhili.cli.app import cli

    result = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _ranking(data: str, year: int):
    return [[t["type_id"], c["id"], c["rank"], c["designation"], c["veto"]]
            for t in _json(["rank", "--data", data, "--year", str(year)]) for c in t["communities"]]


def _tasks(data: str, day: str):
    return [[str(t["no"]), t["status"], t["overdue"], t["next_due"], t["missed_periods"]]
            for t in _json(["tasks", "--data", data, "--as-of", day])]


def _plans(data: str, day: str):
    return [[p["community"], p["status"], p["days_late"]] for p in _json(["plans", "--data", data, "--as-of", day])]


def _coverage(data: str, day: str):
    return [[u["unit"], u["communities"], u["pilots"], u["meets"], u["ok"],
             [[s["type"], s["pilots"], s["required"]] for s in u["short_types"]]]
            for u in _json(["coverage", "--data", data, "--as-of", day])]


def _classify(data: str):
    return [[c["id"], c["computed_id"], c["status"]] for c in _json(["classify", "--data", data])]


CASES = {
    "youxian rank 2021": lambda: _ranking(YOUXIAN, 2021),
    "youxian rank 2022": lambda: _ranking(YOUXIAN, 2022),
    "taicang rank 2022": lambda: _ranking(TAICANG, 2022),
    "taicang rank 2023": lambda: _ranking(TAICANG, 2023),
    "youxian tasks 2021-05-10": lambda: _tasks(YOUXIAN, "2021-05-10"),
    "youxian tasks 2021-12-31": lambda: _tasks(YOUXIAN, "2021-12-31"),
    "taicang tasks 2023-06-30": lambda: _tasks(TAICANG, "2023-06-30"),
    "youxian plans 2021-03-25": lambda: _plans(YOUXIAN, "2021-03-25"),
    "taicang coverage 2022-12-31": lambda: _coverage(TAICANG, "2022-12-31"),
    "taicang coverage 2023-12-31": lambda: _coverage(TAICANG, "2023-12-31"),
    "youxian classify": lambda: _classify(YOUXIAN),
    "taicang classify": lambda: _classify(TAICANG),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_outcome_is_unchanged(case):
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    assert CASES[case]() == pinned[case]


def test_every_case_is_pinned():
    assert sorted(json.loads(PINNED.read_text(encoding="utf-8"))) == sorted(CASES)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    PINNED.write_text(json.dumps({k: CASES[k]() for k in sorted(CASES)}, ensure_ascii=False, indent=1) + "\n",
                      encoding="utf-8")
