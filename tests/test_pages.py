"""The report's A4 pagination (render/pages.py): headings stay with what follows, tables break between rows."""

from __future__ import annotations

from zhili.render.pages import FOOT, PAGE_HEIGHT, SAFETY, Block, TableBlock, paginate

ROOM = (PAGE_HEIGHT - FOOT) / SAFETY  # the most a page holds, in estimated millimetres


def test_a_heading_never_ends_a_page():
    blocks = [Block("<p>a</p>", ROOM - 20), Block("<h2>二</h2>", 10, keep_with_next=True), Block("<figure>f</figure>", 30)]
    pages = paginate(blocks)
    assert pages == [["<p>a</p>"], ["<h2>二</h2>", "<figure>f</figure>"]]


def test_blocks_that_fit_share_a_page():
    pages = paginate([Block("a", 50), Block("b", 50), Block("c", 50)])
    assert pages == [["a", "b", "c"]]


def test_a_long_table_breaks_between_rows_and_repeats_its_header():
    table = TableBlock("<table><thead>H</thead><tbody>", "</tbody></table>", 8.0,
                       [(f"<tr>{i}</tr>", 10.0) for i in range(40)])
    pages = paginate([Block("<h2>三</h2>", 10, keep_with_next=True), table])
    assert len(pages) == 2
    assert pages[0][0] == "<h2>三</h2>"
    parts = [html for page in pages for html in page if html.startswith("<table>")]
    assert len(parts) == 2 and all("<thead>H</thead>" in p for p in parts)
    rows = [r for p in parts for r in p.split("<tr>")[1:]]
    assert len(rows) == 40  # every row once, none split or lost


def test_a_block_taller_than_a_page_still_gets_a_page_of_its_own():
    pages = paginate([Block("a", 10), Block("huge", ROOM * 2), Block("b", 10)])
    assert pages == [["a"], ["huge"], ["b"]]
