"""Line breaking for Chinese tables: where a cell may break, and how wide each column gets.

A line may break between two Chinese characters or at a space, never inside a run of Latin letters,
digits and ASCII punctuation (a date 2021-03-19, an id, a number 34.38, 100%). Following the usual
rules for Chinese text (禁则), closing punctuation such as 、，。）never starts a line and opening
punctuation such as （“ never ends one: each sticks to its neighbour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# East Asian wide and full-width ranges (what a terminal draws two cells wide)
_WIDE = re.compile(
    "[\u1100-\u115f\u231a\u231b\u2329\u232a\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60"
    "\uffe0-\uffe6\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0002fffd\U00030000-\U0003fffd]"
)


def display_width(text: str) -> int:
    """Terminal cells `text` takes: two for each Chinese (wide) character."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text))


NO_LINE_START = set("、，。；：？！）」』》〉】〕”’…·%％,.;:!?)]}—～")
NO_LINE_END = set("（「『《〈【〔“‘([{")

# a run that must not break: anything but spaces and wide (CJK) characters; or one wide character
_TOKENS = re.compile(r"\s+|[\x21-\x7e\u00a0-\u10ff\u2010-\u2027\u2030-\u205e]+|.", re.S)


def tokens(text: str) -> list[str]:
    """The unbreakable pieces of one line of `text`, with 禁则 punctuation attached; spaces kept as ' '."""
    out: list[str] = []
    glue_next = False
    for piece in _TOKENS.findall(text):
        if piece.isspace():
            out.append(" ")
            glue_next = False
            continue
        if out and out[-1] != " " and (glue_next or piece[0] in NO_LINE_START):
            out[-1] += piece
        else:
            out.append(piece)
        glue_next = piece[-1] in NO_LINE_END
    return out


def min_width(text: str) -> int:
    """The widest piece of `text` that cannot be broken, with the indentation of its line."""
    return max((_indent(line) + display_width(t) for line in text.split("\n") for t in tokens(line) if t != " "),
               default=0)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def natural_width(text: str) -> int:
    return max((display_width(line) for line in text.split("\n")), default=0)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken only where Chinese text may break. A piece wider
    than `width` (only when the caller could not give the room) is cut as a last resort."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        indent = min(_indent(paragraph), max(width - 1, 0))  # a nested line (a rule's condition) keeps its place
        if indent:
            lines.extend(" " * indent + line if line else line for line in wrap(paragraph[indent:], width - indent))
            continue
        line, used = "", 0
        for tok in tokens(paragraph):
            w = display_width(tok)
            if tok == " ":
                if line and used + 1 <= width:
                    line, used = line + " ", used + 1
                continue
            if used + w > width and line.strip():
                lines.append(line.rstrip())
                line, used = "", 0
            if w > width:  # no room at all: fold by cells
                *full, tok = _fold(tok, width - used, width)
                lines.extend([(line + full[0]).rstrip(), *full[1:]] if full else [])
                if full:
                    line, used = "", 0
                w = display_width(tok)
            line, used = line + tok, used + w
        lines.append(line.rstrip())
    return lines


def _fold(text: str, first: int, width: int) -> list[str]:
    """`text` cut into pieces of at most `first`, then `width` cells (one pass; the last piece may be short)."""
    pieces, start, used, room = [], 0, 0, max(first, 1)
    for i, ch in enumerate(text):
        w = display_width(ch)
        if used + w > room and i > start:
            pieces.append(text[start:i])
            start, used, room = i, 0, max(width, 1)
        used += w
    pieces.append(text[start:])
    return pieces


@dataclass(frozen=True)
class Layout:
    widths: list[int] | None  # None: the table does not fit; show each row as a block of 列名：值 lines


READABLE = 10  # a column that must wrap keeps at least this many cells (five Chinese characters)
SHORT = 16  # a column no wider than this (a name, a date) is never wrapped: a name split in two misleads


def columns(headers: list[str], cells: list[list[str]], width: int | None, overhead: int) -> Layout:
    """Column widths for a table whose rows are `cells` (column by column), within `width` cells
    (None: unlimited) when `overhead` cells go to borders and padding."""
    natural = [max([natural_width(h), *(natural_width(c) for c in col)]) for h, col in zip(headers, cells)]
    if width is None or sum(natural) + overhead <= width:
        return Layout(natural)
    least = [max([min_width(h), *(min_width(c) for c in col)]) for h, col in zip(headers, cells)]
    floor = [n if n <= SHORT else max(m, READABLE) for m, n in zip(least, natural)]
    room = width - overhead
    if sum(floor) > room:
        return Layout(None)
    widths = list(floor)
    spare = room - sum(widths)
    # share the room left fairly: a column that needs little more gets all it needs, the rest split evenly
    want = {i: n - f for i, (n, f) in enumerate(zip(natural, floor)) if n > f}
    while want and spare > 0:
        share = spare // len(want)
        i = min(want, key=lambda k: want[k])
        if want[i] <= share:
            widths[i] += want.pop(i)
            spare -= widths[i] - floor[i]
            continue
        for k in sorted(want):
            give = min(want[k], share + (1 if spare % len(want) > 0 and k == min(want) else 0))
            widths[k] += give
        break
    return Layout(widths)
