"""The official YAML test suite (tests/fixtures/yaml-test-suite) and what zhili's reader makes of it.

Each case's expected value comes from its `test.event` file: the event stream written by the suite's
authors, in which every scalar is the exact text a YAML 1.2 parser must produce. zhili keeps every
scalar as that text, so the comparison needs no type mapping; the one rule zhili adds is that a
plain (unquoted) empty scalar, `~` or `null` is None. `in.json` is used only to check this file's
reading of the events (see `json_agrees`), never as the expected value itself: JSON turns `1` and
`true` into numbers and booleans, while zhili keeps the text `1` and `true`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from zhili.loading import yamlread

SUITE = Path(__file__).resolve().parent / "fixtures" / "yaml-test-suite" / "cases.json"

_ESCAPES = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r", "b": "\b", "0": "\0", "f": "\f", "v": "\v",
            "a": "\a", "e": "\x1b", "/": "/"}
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


@dataclass(frozen=True)
class Scalar:
    """A scalar of the event stream: its style (`:` plain, `'`, `"`, `|`, `>`) and exact text."""

    style: str
    text: str


@dataclass
class Expected:
    documents: list[Any] = field(default_factory=list)  # plain values, as zhili would build them
    styled: list[Any] = field(default_factory=list)  # the same with Scalar leaves (for the JSON check)
    features: set[str] = field(default_factory=set)  # anchor, alias, tag, complex-key


def _unescape(text: str) -> str:
    return re.sub(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)",
                  lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) > 1 else _ESCAPES[m.group(1)], text)


def expected(events: str) -> Expected:
    """Build the plain values (and the styled tree) of every document in a `test.event` text."""
    out = Expected()
    stack: list[tuple[list, list]] = []  # (plain children, styled children) of each open collection
    kinds: list[str] = []

    def add(plain: Any, styled: Any) -> None:
        if stack:
            stack[-1][0].append(plain)
            stack[-1][1].append(styled)
        else:
            out.documents.append(plain)
            out.styled.append(styled)

    for line in events.splitlines():
        if not line:
            continue
        head, _, rest = line.partition(" ")
        props = rest
        if head in ("+MAP", "+SEQ"):
            if "&" in props:
                out.features.add("anchor")
            if "<" in props:
                out.features.add("tag")
            stack.append(([], []))
            kinds.append(head)
        elif head in ("-MAP", "-SEQ"):
            plain, styled = stack.pop()
            kind = kinds.pop()
            if kind == "+MAP":
                keys = plain[0::2]
                if any(not isinstance(k, str) for k in keys):
                    out.features.add("complex-key")
                    add(("unreadable",), ("unreadable",))
                    continue
                add(list(zip(keys, plain[1::2])), list(zip(styled[0::2], styled[1::2])))
            else:
                add(plain, styled)
        elif head == "=VAL":
            m = re.match(r"((?:[&<][^ ]* )*)([:'\"|>])(.*)$", rest)
            assert m is not None, line
            if "&" in m.group(1):
                out.features.add("anchor")
            if "<" in m.group(1):
                out.features.add("tag")
            style, text = m.group(2), _unescape(m.group(3))
            add(None if style == ":" and text in _NULLS else text, Scalar(style, text))
        elif head == "=ALI":
            out.features.add("alias")
            add(("alias",), ("alias",))
    return out


# ---- the JSON check: does this reading of the events agree with the suite's in.json? ----------------

_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def _core(s: Scalar) -> Any:
    """The JSON value the YAML 1.2 core schema gives a scalar (what in.json records)."""
    if s.style != ":":
        return s.text
    t = s.text
    if t in _NULLS:
        return None
    if t in ("true", "True", "TRUE"):
        return True
    if t in ("false", "False", "FALSE"):
        return False
    if _CORE_INT.fullmatch(t):
        return int(t, 0) if t[:2] in ("0o", "0x") else int(t)
    if _CORE_FLOAT.fullmatch(t):
        return float(t)
    if t.lower().lstrip("+-") in (".inf", ".nan"):
        return float(t.lower().replace(".", "")) if "inf" in t.lower() else math.nan
    return t


def json_agrees(styled: Any, value: Any) -> bool:
    if isinstance(styled, Scalar):
        core = _core(styled)
        if isinstance(core, float) and isinstance(value, (int, float)) and not isinstance(value, bool):
            return core == value
        return type(core) is type(value) and core == value
    if isinstance(styled, list) and isinstance(value, list):
        return len(styled) == len(value) and all(json_agrees(s, v) for s, v in zip(styled, value))
    if isinstance(styled, list) and isinstance(value, dict):
        pairs = [(k.text if isinstance(k, Scalar) else None, v) for k, v in styled]
        if len(pairs) != len(value):
            return False
        return all((k in value or (k == "" and "null" in value)) and json_agrees(v, value.get(k, value.get("null")))
                   for k, v in pairs)
    return False


def json_documents(text: str) -> list[Any]:
    decoder, docs, i = json.JSONDecoder(), [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return docs
        doc, i = decoder.raw_decode(text, i)
        docs.append(doc)


# ---- running a case through the reader --------------------------------------------------------------

def as_plain(value: Any) -> Any:
    """zhili's value with mappings as ordered pairs, so order counts in the comparison."""
    if isinstance(value, dict):
        return [(k, as_plain(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [as_plain(v) for v in value]
    return value


def load_cases() -> list[dict]:
    return json.loads(SUITE.read_text(encoding="utf-8"))["cases"]


@dataclass
class Outcome:
    case: str
    category: str  # exact | refused | misread | crash | invalid-refused | invalid-accepted
    codes: tuple[str, ...] = ()
    diagnostics: list[Any] = field(default_factory=list)
    detail: str = ""


def run_case(case: dict, read: Callable[[bytes, str], Any] | None = None) -> Outcome:
    """One case through `read` (bytes, file name -> a result with .value and .diagnostics; zhili's
    reader by default, so that another reader can be held to the same tally)."""
    cid = case["id"]
    try:
        result = (read or yamlread.read)(case["yaml"].encode("utf-8"), "suite.yaml")
    except Exception as exc:  # noqa: BLE001 - a crash is the outcome being measured
        return Outcome(cid, "crash", detail=repr(exc))
    diags = result.diagnostics
    codes = tuple(d.code for d in diags)
    if case["error"]:
        return Outcome(cid, "invalid-refused" if diags else "invalid-accepted", codes, diags)
    if diags:
        return Outcome(cid, "refused", codes, diags)
    exp = expected(case["events"])
    if len(exp.documents) == 1 and as_plain(result.value) == exp.documents[0]:
        return Outcome(cid, "exact", codes)
    return Outcome(cid, "misread", codes, detail=f"{as_plain(result.value)!r} != {exp.documents!r}")


def is_chinese(message: str) -> bool:
    """A message in Chinese, without libyaml's English text (`解析器原文`, three English words) in it."""
    return bool(re.search(r"[\u4e00-\u9fff]", message)) and "解析器原文" not in message \
        and not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}", message)
