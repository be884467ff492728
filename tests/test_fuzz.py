"""Property-based damage to the bundled data: zhili validate always ends in 0 or 1, never a traceback.

Random edits of the kind people make by hand (lines inserted, deleted, swapped, re-indented, tokens
typed into a line) are applied to one bundled file at a time. Whatever the damage, `zhili validate`
must exit 0 (still valid) or 1 (with at least one error), every error must point at a line
(line 0 only for whole-file problems), and each case must finish within a time bound.

The normal run keeps the number of examples small. For a long run:
    ZHILI_FUZZ_EXAMPLES=5000 pytest -m slow tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA

from zhili.diagnostics import Severity
from zhili.loading import yamlread

WHOLE_FILE = {"ZL001", "ZL002", "ZL003", "ZL119"}  # the only codes that may have line 0
SECONDS_PER_CASE = 10.0  # generous: the machine running CI is shared; a case takes ~20 ms
FILES = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*.yaml"))
LONG_RUN = int(os.environ.get("ZHILI_FUZZ_EXAMPLES", "1000"))

# What slips into a hand-edited file: YAML syntax, the traps of Chinese input methods, anchors and
# tags, values YAML 1.1 would retype, invisible characters, and plain words.
TOKENS = [
    ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "'", '"', "#", "&a ", "*a", "!!str ", "!!python/object/apply:os.system ",
    "<<: ", "? ", "|", ">", "---", "...", "%YAML 1.1", "\t", "  ", "：", "，", "－ ", "\u3000", "\ufeff", "\u202e",
    "\x00", "\x1b[31m", "~", "null", "no", "yes", "off", "010", "0x1F", "8:30", "1_000", ".inf", "2021-02-30",
    "2021-03-19", "9" * 30, "社区", "商品住宅型社区", "区民政局", "sanglin", "id", "name", "type", "\\", "\r",
]

Edit = tuple[str, int, int, str]

edits = st.lists(
    st.tuples(
        st.sampled_from(["insert-line", "delete-line", "swap-lines", "reindent", "insert-token", "duplicate-line"]),
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=0, max_value=10_000),
        st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)),
    ),
    min_size=1,
    max_size=4,
)


def damage(text: str, plan: list[Edit]) -> str:
    lines = text.split("\n")
    for kind, a, b, token in plan:
        i, j = a % len(lines), b % len(lines)
        if kind == "insert-line":
            lines.insert(i, " " * (b % 7) + token)
        elif kind == "delete-line" and len(lines) > 1:
            del lines[i]
        elif kind == "swap-lines":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "reindent":
            stripped = lines[i].lstrip(" ")
            lines[i] = " " * (b % 9) + stripped
        elif kind == "insert-token":
            at = b % (len(lines[i]) + 1)
            lines[i] = lines[i][:at] + token + lines[i][at:]
        elif kind == "duplicate-line":
            lines.insert(j, lines[i])
    return "\n".join(lines)


def check_outcome(result, elapsed: float) -> None:
    assert result.exit_code in (0, 1), result.output
    assert elapsed < SECONDS_PER_CASE, f"one case took {elapsed:.1f} s"
    assert "Traceback" not in result.output
    payload = json.loads(result.stdout)
    errors = payload["errors"]
    assert payload["valid"] is (result.exit_code == 0)
    assert (result.exit_code == 1) == bool(errors)
    for e in errors + payload["warnings"]:
        assert e["code"].startswith("ZL") and e["message"] and e["hint"], e
        if e["code"] in WHOLE_FILE:
            assert e["line"] >= 0
        else:
            assert e["line"] >= 1 and e["column"] >= 1, e
            shown = Path(e["file"])
            if shown.is_file():  # the line exists in the file it names
                assert e["line"] <= shown.read_bytes().count(b"\n") + 1, e


def fuzz_validate(run, examples: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(DATA, data)

        @settings(max_examples=examples, deadline=None, derandomize=examples <= 200,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(name=st.sampled_from(FILES), plan=edits)
        def case(name: str, plan: list[Edit]) -> None:
            path = data / name
            original = (DATA / name).read_bytes()
            path.write_bytes(damage(original.decode("utf-8"), plan).encode("utf-8", "surrogatepass"))
            try:
                start = time.perf_counter()
                result = run("validate", "--data", data, "--format", "json")
                check_outcome(result, time.perf_counter() - start)
            finally:
                path.write_bytes(original)

        case()


def test_random_damage_ends_in_exit_0_or_1_with_placed_errors(run):
    fuzz_validate(run, examples=int(os.environ.get("ZHILI_FUZZ_EXAMPLES_QUICK", "120")))


@pytest.mark.slow
def test_random_damage_long_run(run):
    fuzz_validate(run, examples=LONG_RUN)


def reader_property(examples: int, seen: dict[str, int] | None = None):
    """The property; `seen` counts the cases that ended with diagnostics and those that read cleanly."""
    seen = seen if seen is not None else {}

    @settings(max_examples=examples, deadline=None, derandomize=examples <= 500)
    @given(name=st.sampled_from(FILES), plan=edits, raw=st.binary(max_size=64), at=st.integers(0, 100_000))
    def case(name: str, plan: list[Edit], raw: bytes, at: int) -> None:
        text = damage((DATA / name).read_text(encoding="utf-8"), plan)
        data = text.encode("utf-8", "surrogatepass")
        at %= len(data) + 1
        data = data[:at] + raw + data[at:]  # arbitrary bytes too, not only text
        start = time.perf_counter()
        result = yamlread.read(data, name)
        assert time.perf_counter() - start < SECONDS_PER_CASE
        lines = data.count(b"\n") + 1
        seen["damaged" if result.diagnostics else "clean"] = seen.get("damaged" if result.diagnostics else "clean", 0) + 1
        for d in result.diagnostics:
            assert d.severity is Severity.ERROR and d.code.startswith("ZL1") or d.code in WHOLE_FILE, d
            assert 1 <= d.line <= lines or d.code in WHOLE_FILE, d
        if not result.diagnostics:
            assert only_text(result.value), "every value stays text (or None), every key text"

    return case


def only_text(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and only_text(v) for k, v in value.items())
    if isinstance(value, list):
        return all(only_text(v) for v in value)
    return value is None or isinstance(value, str)


def test_reader_never_raises_on_damaged_bytes():
    seen: dict[str, int] = {}
    reader_property(int(os.environ.get("ZHILI_FUZZ_EXAMPLES_QUICK_READER", "400")), seen)()
    # both branches of the property were exercised: placed diagnostics, and files that still read cleanly
    assert seen.get("damaged", 0) > 0 and seen.get("clean", 0) > 0, seen


@pytest.mark.slow
def test_reader_long_run():
    reader_property(LONG_RUN * 5)()
