"""How one value looks in a table cell, the same in every human format."""

from __future__ import annotations

import html
import re
from datetime import date
from functools import lru_cache
from typing import Any

# C0/C1 controls, escape sequences, bidi overrides and zero-width characters: shown escaped, never
# passed to a terminal or a document where they could reorder or recolour what people read.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)


def safe(text: str) -> str:
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def has_unsafe(text: str) -> bool:
    """True when `safe` would change the text."""
    return _UNSAFE.search(text) is not None


def cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(cell(v) for v in value) if value else "—"
    return safe(str(value))


# html.escape for documents: names, streets and labels repeat across thousands of rows; each is escaped once
escape = lru_cache(maxsize=1 << 16)(html.escape)
