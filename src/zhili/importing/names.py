"""Unit lists as ledgers write them, and close matches for names that are not declared."""

from __future__ import annotations

import difflib
import re
from typing import Collection, Iterable

NONE_MARKS = frozenset({"——", "—", "---", "--", "-", "－", "无", "/", "／", "— —"})
_SEPARATORS = "、，,；;\n\r"
_OPEN, _CLOSE = "（(《“〈【[", "）)》”〉】]"


def is_none(text: str) -> bool:
    """"——" or "---" (and the like) in a ledger cell: nothing."""
    return text.strip().replace(" ", "") in NONE_MARKS or not text.strip().strip("—-－").strip()


def pieces(text: str) -> list[str]:
    """Split on 、，, ； and line breaks, but never inside brackets: 原单位（或改制、重组企业） stays whole."""
    out: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch in _SEPARATORS and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [p.strip() for p in out if p.strip()]


def split_units(text: str, known: Collection[str]) -> list[str]:
    """The units a cell names. Adjacent pieces whose join with 、 is a declared name (or alias) stay one
    unit: a name such as “甲区、乙镇驻区单位” is one body when units.yaml declares it (as a name or alias)."""
    if is_none(text):
        return []
    parts = pieces(text)
    units: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i + 1, -1):
            joined = "、".join(parts[i:j])
            if joined in known:
                units.append(joined)
                i = j
                break
        else:
            units.append(parts[i])
            i += 1
    return units


def suggest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Declared names most like `name`: those containing it or contained in it, then difflib's closest."""
    pool = list(dict.fromkeys(candidates))
    contained = [c for c in pool if name and (name in c or c in name)]
    close = difflib.get_close_matches(name, pool, n=n, cutoff=0.6)
    return list(dict.fromkeys(contained + close))[:n]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    picks = suggest(name, candidates)
    return f"您是否要找：{'、'.join(picks)}？" if picks else ""


_NUMBER = re.compile(r"^\s*(\d{1,6})\s*[.、．]?\s*$")


def row_number(text: str) -> int | None:
    """A 序号 cell as an integer ("12", "12.", "12、"), or None."""
    match = _NUMBER.match(text or "")
    return int(match.group(1)) if match else None
