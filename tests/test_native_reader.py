"""The native reader (zhili.loading._yamlfast, C over libyaml) against the pure-Python one, over one corpus.

Both readers must give identical values (same types, same key order) and identical diagnostics for every
input: the fixtures, the hostile corpus (with its generated inputs), the 402 cases of the official YAML
test suite, the bundled data sets, the texts of the reader's own tests and random damage to the bundled
files. The native reader gives up on anything the pure-Python one would refuse or look at again, which
then reads the same bytes: these tests check that it gives up often enough (never a value where the
Python reader reports a problem) and seldom enough (the bundled data and generated registries are read
natively).

`.ci/run` sets ZHILI_REQUIRE_NATIVE=1: there the extension must have been built by the README's install.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, FIXTURES, ROOT
from test_fuzz import FILES, damage, edits
from test_hostile import GENERATORS
from test_yaml_conformance import NEWLY_REFUSED, ORDINARY
from yaml_suite import as_plain, load_cases, run_case

from zhili.loading import yamlread

def typed(value):
    """The value with every leaf's type and every mapping's key order, for an exact comparison."""
    if isinstance(value, dict):
        return ("dict", [(k, typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if value is yamlread.NOTHING:
        return ("nothing",)
    return (type(value).__name__, value)


def read_with(which: str, data: bytes, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(yamlread.READER_ENV, which)
    result = yamlread.read(data, "x.yaml")
    return typed(result.value), result.diagnostics


def same(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple:
    """Read `data` with both readers; they must agree exactly. Returns the (shared) outcome."""
    python = read_with("python", data, monkeypatch)
    fast = read_with(FAST, data, monkeypatch)
    assert fast[0] == python[0]
    assert fast[1] == python[1]
    return python


def files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml"))


BUNDLED = files(DATA, ROOT / "examples")
FIXTURE_FILES = [p for p in files(FIXTURES) if "yaml-test-suite" not in p.parts]
SUITE = load_cases()
TEXTS = [t for t, _ in ORDINARY] + [c for c, *_ in NEWLY_REFUSED]

# Without the extension (a machine with no compiler or no libyaml) "native" falls back to the pure-Python
# reader and these comparisons hold trivially; CI builds it and requires it (the first test below).
FAST = "native" if yamlread._native is not None else "python"


def test_the_native_reader_is_built_where_ci_requires_it():
    """.ci/run installs libyaml and a compiler and sets ZHILI_REQUIRE_NATIVE=1: there the README's install
    must have built the extension and zhili must be using it."""
    if os.environ.get("ZHILI_REQUIRE_NATIVE") == "1":
        assert yamlread._native is not None, "the native reader was not built by `pip install -e '.[test]'`"
        wanted = os.environ.get(yamlread.READER_ENV, "")
        assert yamlread.reader() == ("python" if wanted == "python" else "native")
    else:
        assert yamlread.reader() in ("native", "python")
        assert (yamlread.reader() == "native") == (yamlread._native is not None and
                                                   os.environ.get(yamlread.READER_ENV, "") != "python")


def test_the_reader_can_be_chosen_with_zhili_reader(monkeypatch):
    monkeypatch.setenv(yamlread.READER_ENV, "python")
    assert yamlread.reader() == "python"
    monkeypatch.setenv(yamlread.READER_ENV, "fast")
    with pytest.raises(RuntimeError, match="ZHILI_READER must be python or native"):
        yamlread.reader()
    monkeypatch.setattr(yamlread, "_native", None)
    monkeypatch.setenv(yamlread.READER_ENV, "native")
    with pytest.raises(RuntimeError, match="native reader .* was not built"):
        yamlread.reader()
    monkeypatch.delenv(yamlread.READER_ENV)
    assert yamlread.reader() == "python"  # without the extension: the pure-Python reader, silently


@pytest.mark.parametrize("path", BUNDLED + FIXTURE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_both_readers_agree_on_every_file(path, monkeypatch):
    same(path.read_bytes(), monkeypatch)


@pytest.mark.parametrize("name", sorted(set(GENERATORS) - {"file_50mb", "many_entries"}))
def test_both_readers_agree_on_the_generated_hostile_inputs(name, monkeypatch):
    same(GENERATORS[name](), monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["file_50mb", "many_entries"])
def test_both_readers_agree_on_the_huge_hostile_inputs(name, monkeypatch):
    same(GENERATORS[name](), monkeypatch)


@pytest.mark.parametrize("case", SUITE, ids=[c["id"] for c in SUITE])
def test_both_readers_agree_on_the_yaml_test_suite(case, monkeypatch):
    same(case["yaml"].encode("utf-8"), monkeypatch)


def test_the_suite_tally_is_the_same_for_both_readers(monkeypatch):
    tallies = {}
    for which in ("python", FAST):
        monkeypatch.setenv(yamlread.READER_ENV, which)
        tallies[which] = {c["id"]: run_case(c).category for c in SUITE}
    assert tallies["python"] == tallies[FAST]


@pytest.mark.parametrize("text", TEXTS, ids=[str(i) for i in range(len(TEXTS))])
def test_both_readers_agree_on_the_reader_tests_texts(text, monkeypatch):
    same(text.encode("utf-8"), monkeypatch)


@settings(max_examples=int(os.environ.get("ZHILI_FUZZ_EXAMPLES_QUICK", "120")), deadline=None, derandomize=True)
@given(name=st.sampled_from(FILES), plan=edits, raw=st.binary(max_size=16), at=st.integers(0, 100_000))
def test_both_readers_agree_on_random_damage(name, plan, raw, at):
    text = damage((DATA / name).read_text(encoding="utf-8"), plan)
    data = text.encode("utf-8", "surrogatepass")
    at %= len(data) + 1
    data = data[:at] + raw + data[at:]
    with pytest.MonkeyPatch.context() as mp:
        same(data, mp)


# ---- the native reader reads ordinary data itself, and gives up on everything else -----------------

def native_reason(data: bytes):
    if yamlread._native is None:
        return "not built"
    return yamlread._native.parse(data, yamlread.MAX_DEPTH, yamlread.MAX_ENTRIES, yamlread.MAX_VALUES)[1]


def test_the_native_reader_reads_the_bundled_data_itself():
    """Not a reader that always hands over: every bundled file but one is read natively (太仓's types.yaml
    has a full-width colon after a Latin letter, which the Python reader looks at)."""
    if yamlread._native is None:
        assert native_reason(b"a: 1\n") == "not built"
        return
    handed = [p.relative_to(ROOT).as_posix() for p in BUNDLED if native_reason(p.read_bytes()) is not None]
    assert handed == ["examples/taicang/types.yaml"]


GIVES_UP = [
    ("a: 1\na: 2\n", "duplicate key", "ZL108"),
    ("a: &x 1\n", "anchor or tag", "ZL109"),
    ("a: [1]\nb: *x\n", "alias", "ZL109"),
    ("a: !!str 1\n", "anchor or tag", "ZL111"),
    ("<<: {a: 1}\n", "merge key", "ZL110"),
    ("a: 1\n---\nb: 2\n", "several documents", "ZL112"),
    ("? [a]\n: 1\n", "key not text", "ZL113"),
    ("~: 1\n", "empty key", "ZL113"),
    ("a: " + "[" * 30 + "]" * 30 + "\n", "too deep", "ZL114"),
    ("", "no data", "ZL115"),
    ("a: \"\\u202e\"\n", "escaped character", "ZL116"),
    ("a: [甲，乙]\n", "trap", "ZL107"),
    ("a: \"x\ny\"\n", "multi-line quoted", "ZL102"),
    ("a: [x,\ny]\n", "multi-line flow collection", "ZL102"),
    ("a: [-]\n", "lone -", "ZL102"),
    ("a: b: c\n", "syntax", "ZL102"),
]


@pytest.mark.parametrize("text,reason,code", GIVES_UP, ids=[g[1] for g in GIVES_UP])
def test_the_native_reader_gives_up_and_the_python_reader_explains(text, reason, code, monkeypatch):
    assert native_reason(text.encode()) == (reason if yamlread._native is not None else "not built")
    _, diags = same(text.encode(), monkeypatch)
    assert diags[0].code == code


def test_limits_on_entries_and_values_hand_over_too(monkeypatch):
    monkeypatch.setattr(yamlread, "MAX_ENTRIES", 3)
    assert native_reason(b"a: [[1], [2], [3]]\n") in ("entries", "not built")
    (d,) = same(b"a: [[1], [2], [3]]\n", monkeypatch)[1]
    assert d.code == "ZL120"
    monkeypatch.setattr(yamlread, "MAX_VALUES", 3)
    assert native_reason(b"a: 1\nb: 2\n") in ("values", "not built")
    (d,) = same(b"a: 1\nb: 2\n", monkeypatch)[1]
    assert d.code == "ZL120"


def test_repeated_values_share_one_object_and_keys_are_interned():
    """The memory of a large registry: a value repeated across entries is one str object."""
    if yamlread._native is None:
        return
    value, _ = yamlread._native.parse("- {type: 商品住宅型社区}\n- {type: 商品住宅型社区}\n".encode(), 24, 10, 10)
    assert value[0]["type"] is value[1]["type"]
    key = next(iter(value[0]))
    assert key is __import__("sys").intern("type")


def test_validate_gives_the_same_json_with_either_reader(run, data_copy):
    """End to end, a file with problems of several kinds: the same report, byte for byte."""
    path = data_copy / "communities.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - id: sanglin\n    id: x\n", encoding="utf-8")
    outputs = [run("validate", "--data", data_copy, "--format", "json", env={yamlread.READER_ENV: which}).stdout
               for which in ("python", FAST)]
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["errors"][0]["code"] == "ZL108"


# ---- the character checks are skipped only where they would find nothing ---------------------------

CHARACTER_PROBLEMS = ["a:\t1\n", "\ta: 1\n", "a: 1\r", "a: 1\rb: 2\n", "a: \x00\n", "a: \x1b[31m\n", "a: \x7f\n",
                      "a: \x85\n", "a: \u200b\n", "a: \u202e\n", "a: \u2028\n", "a: \u2066\n", "a: \ufffe\n",
                      "a: 1\n\ufeffb: 2\n", "<<<<<<< HEAD\na: 1\n=======\na: 2\n>>>>>>> x\n", "a: >>>>>>>\n",
                      "a: " + "x" * yamlread.MAX_LINE_CHARS + "\n", "a: " + "x" * yamlread.MAX_LINE_CHARS]


@pytest.mark.parametrize("text", CHARACTER_PROBLEMS, ids=[str(i) for i in range(len(CHARACTER_PROBLEMS))])
def test_plain_text_is_false_wherever_the_character_checks_may_find_something(text, monkeypatch):
    if yamlread._native is not None:
        assert yamlread._native.plain_text(text.encode(), yamlread.MAX_LINE_CHARS) is False
    same(text.encode(), monkeypatch)


ALPHABET = st.sampled_from(list("ab: -#\n\r\t<>'\"[]{},") + ["\x00", "\x1b", "\x7f", "\x85", "\xa0", "\u200b", "\u200e",
                                                         "\u2028", "\u202e", "\u2060", "\u2066", "\u3000", "\ufeff",
                                                         "\ufffb", "\ufffe", "\uffff", "社", "：", "<<<<<<<", ">>>>>>>"])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(parts=st.lists(ALPHABET, max_size=30))
def test_plain_text_never_hides_what_the_character_checks_find(parts):
    from zhili.loading.textfile import check_text, decode

    text, _ = decode("".join(parts).encode(), "x.yaml")  # as read() sees it: a leading BOM taken off
    data = "".join(parts).encode()
    if yamlread._native is not None and yamlread._native.plain_text(data, yamlread.MAX_LINE_CHARS):
        assert check_text(text, "x.yaml") == []
    generous = ("\t" in text or "<<<<<<<" in text or ">>>>>>>" in text)  # refused by plain_text whatever follows
    if check_text(text, "x.yaml") == [] and not generous:
        assert yamlread._native is None or yamlread._native.plain_text(data, yamlread.MAX_LINE_CHARS)
