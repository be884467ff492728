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
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00a0\u00ad\u061c\u115f\u1160\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
    "\u3164\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def safe(text: str) -> str:
    return _UNSAFE.sub(_escape_char, text)


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


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


# What a spreadsheet would not show as the text it is (OWASP CSV injection): a leading = + - @ (a
# formula), a TAB or CR in front of one, and Excel's error literals, which it would turn into error cells.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ERROR_LITERALS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                             "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!"))


def formula_like(text: str) -> bool:
    """True when a spreadsheet would read the text as a formula or an error value rather than as text.
    A plain negative number ("-3", "-0.5") is a number, not a formula."""
    if text[:1] in _FORMULA_START:
        return not (text[:1] == "-" and _is_number(text))
    return text.strip().upper() in _ERROR_LITERALS


def spreadsheet_text(text: str) -> str:
    """Text for a CSV cell: an apostrophe in front of anything a spreadsheet would not keep as text."""
    return "'" + text if formula_like(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# html.escape for documents: names, streets and labels repeat across thousands of rows; each is escaped once
escape = lru_cache(maxsize=1 << 16)(html.escape)


def scheme_source(s: object, with_issuer: bool = False, with_date: bool = True) -> str:
    """《标题》（文号，日期） with only the parts the scheme gives: the metadata besides the name is optional."""
    title, document, issuer, day = (getattr(s, "title", None), getattr(s, "document", None),
                                    getattr(s, "issuer", None), getattr(s, "date", None))
    inner = "，".join(p for p in (document, cell(day) if day and with_date else None) if p)
    text = f"《{title}》" if title else ""
    text += f"（{inner}）" if inner else ""
    if with_issuer and issuer:
        text = issuer + text
    return text
