"""Deliberate A4 pagination for the HTML report: the page breaks are chosen here, not left to the browser.

The report is a list of blocks (a heading, a paragraph, a chart, a table) whose printed heights are estimated
from the print stylesheet in report.html (10-point text, 186 mm wide, charts 130 mm wide). Estimates err on the
tall side, so a planned page never overflows: the page count is known before printing and each page can say
“第 2 页，共 4 页”. A heading is kept with what follows it; a table that does not fit breaks between rows and
repeats its header row; any other block moves whole to the next page.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

# millimetres, from the print stylesheet in report.html (keep them in step)
PAGE_HEIGHT = 266.0  # A4 297 mm less the @page margins (14 mm each) and a little slack
FOOT = 9.0  # the page number line at the foot of each page
BODY_WIDTH = 186.0  # A4 210 mm less 12 mm margins on each side
CHART_WIDTH = 130.0  # svg width in print
PT = 0.3528  # mm per point
PX = 0.2646  # mm per CSS pixel
SAFETY = 1.08  # every estimate is taken this much taller


def text_width(text: str) -> float:
    """Width in em: a Chinese character is 1, a Latin letter or digit about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55 for ch in text)


def lines(text: str, font_pt: float, width_mm: float = BODY_WIDTH) -> int:
    per_line = max(width_mm / (font_pt * PT), 1.0)
    return sum(max(1, math.ceil(text_width(part) / per_line)) for part in text.split("\n"))


def line_height(font_pt: float) -> float:
    return font_pt * 1.55 * PT


BODY_PT = 10.0
SMALL_PT = 8.6
TABLE_PT = 9.2


def paragraph(text: str, font_pt: float = BODY_PT, margins_px: float = 8) -> float:
    return lines(text, font_pt) * line_height(font_pt) + margins_px * PX


def chart(viewbox_height: float, caption: bool = False) -> float:
    from zhili.render.svg import WIDTH

    return viewbox_height * CHART_WIDTH / WIDTH + 16 * PX + (line_height(SMALL_PT) if caption else 0.0)


def table_row(cells: list[tuple[str, float]], font_pt: float = TABLE_PT) -> float:
    """A row as tall as its most wrapped cell; each cell is (text, share of the table's width)."""
    n = max((lines(text, font_pt, BODY_WIDTH * share - 3) for text, share in cells), default=1)
    return n * line_height(font_pt) + 9 * PX


@dataclass
class Block:
    html: str
    height: float  # mm, before SAFETY
    keep_with_next: bool = False  # a heading: never the last thing on a page


@dataclass
class TableBlock:
    """A table that may break between rows: `head` is repeated on each page it spans."""

    open: str  # e.g. <div class="scroll"><table><thead>…</thead><tbody>
    close: str  # </tbody></table></div>
    head_height: float
    rows: list[tuple[str, float]] = field(default_factory=list)
    margins: float = 12 * PX
    keep_with_next: bool = False

    @property
    def height(self) -> float:
        return self.head_height + sum(h for _, h in self.rows) + self.margins


def paginate(blocks: list[Block | TableBlock]) -> list[list[str]]:
    """The blocks' html, page by page."""
    room = PAGE_HEIGHT - FOOT
    pages: list[list[str]] = [[]]
    used = 0.0
    held: list[tuple[str, float]] = []  # headings waiting for the block they belong to

    def new_page() -> None:
        nonlocal used
        if pages[-1]:
            pages.append([])
        used = 0.0

    def place(html: str, h: float) -> None:
        nonlocal used
        pages[-1].append(html)
        used += h

    for block in blocks:
        if isinstance(block, Block) and block.keep_with_next:
            held.append((block.html, block.height * SAFETY))
            continue
        lead = sum(h for _, h in held)
        if isinstance(block, TableBlock):
            first = block.head_height + block.margins + (block.rows[0][1] if block.rows else 0)
            if used + lead + first * SAFETY > room:
                new_page()
            for html, h in held:
                place(html, h)
            held = []
            _place_table(block, pages, room, lambda: used, place, new_page)
            continue
        h = block.height * SAFETY
        if used + lead + h > room and used > 0:
            new_page()
        for html, hh in held:
            place(html, hh)
        held = []
        place(block.html, h)
    for html, h in held:
        place(html, h)
    return [p for p in pages if p] or [[]]


def _place_table(block: TableBlock, pages: list[list[str]], room: float, used, place, new_page) -> None:  # noqa: ANN001
    rows = list(block.rows)
    while True:
        fixed = (block.head_height + block.margins) * SAFETY
        taken: list[str] = []
        total = fixed
        while rows and (used() + total + rows[0][1] * SAFETY <= room or not taken and used() == 0):
            html, h = rows.pop(0)
            taken.append(html)
            total += h * SAFETY
        if taken or not rows:
            place(block.open + "".join(taken) + block.close, total)
        if not rows:
            return
        new_page()
