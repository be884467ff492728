"""Word documents officials hand on, laid out as a 公文 (GB/T 9704-2012): A4, the title in 小标宋 (or 黑体),
body text in 仿宋_GB2312 三号 with 28.95-point lines, headings numbered 一、 in 黑体 and （一） in 楷体, the
issuing body and date at the end, page numbers as “— 1 —”. Wide tables (a ledger, a ranking) turn the page
to landscape, repeat their header row on every page, never split a row, and merge equal cells of a column
that asks for it (社区类型 in a ledger). Fonts are named as offices have them, each with a fallback."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from zhili.render.cells import cell
from zhili.render.output import Document, Output, Section, Table

# (font offices have, fallback where it is absent): Word reads the fallback from the font table (altName)
TITLE_FONT = ("方正小标宋简体", "黑体")
BODY_FONT = ("仿宋_GB2312", "仿宋")
HEADING_FONT = ("黑体", "SimHei")
KAI_FONT = ("楷体_GB2312", "楷体")
NUMBER_FONT = ("宋体", "SimSun")
LATIN = "Times New Roman"

TITLE_SIZE = 22  # 二号
BODY_SIZE = 16  # 三号
TABLE_SIZE = 10.5  # 五号: a ledger of 30 tasks on three landscape pages
PAGE_NUMBER_SIZE = 14  # 四号
LINE = 28.95  # points: 22 lines on a page of 版心 225 mm
LANDSCAPE_COLUMNS = 6  # a table with more columns than this turns the page to landscape
NUMERALS = "一二三四五六七八九十"
MARKS = {"advanced": "E2EFDA", "lagging": "FCE4D6"}  # row shading for 先进 / 后进 (the text says which, too)


def render_docx(output: Output) -> bytes:
    """The output as a .docx: its `document` if it has one, else its tables under its title."""
    return render_document(output.document or from_tables(output), output.as_of)


def from_tables(output: Output) -> Document:
    tables = output.tables or [output.sheet]
    title = output.title or (tables[0].title if tables else None) or "表"
    several = len(tables) > 1
    sections = [Section(t.title if several else None, tables=[t]) for t in tables]
    if output.notes:
        sections.append(Section("说明" if several else None, list(output.notes)))
    return Document(title, sections)


def render_document(doc_data: Document, as_of: date | None = None) -> bytes:
    from docx import Document as new_document

    doc = new_document()
    wide = any(len(t.columns) > LANDSCAPE_COLUMNS for s in doc_data.sections for t in s.tables)
    _page(doc, wide)
    _styles(doc)
    _fallbacks(doc)
    _title(doc, doc_data.title, doc_data.number)
    if as_of is not None and doc_data.date is None:
        _para(doc, f"（截至{chinese_date(as_of)}）", KAI_FONT, align="center")
    if doc_data.recipients:
        _para(doc, f"{cell(doc_data.recipients)}：", BODY_FONT, indent=False)
    numbered = sum(1 for s in doc_data.sections if s.heading) > 1 or doc_data.issuer is not None
    n = 0
    for section in doc_data.sections:
        if section.heading:
            n += 1
            label = f"{_numeral(n)}、{section.heading}" if numbered else section.heading
            _para(doc, label, HEADING_FONT, keep_with_next=True)
        for text in section.paragraphs:
            _para(doc, text, BODY_FONT)
        for i, (lead, text) in enumerate(section.items, start=1):
            _item(doc, f"（{_numeral(i)}）{lead}", text)
        for table in section.tables:
            _table(doc, table, doc.sections[0])
    if doc_data.issuer or doc_data.date:
        if doc.paragraphs:  # the signature never stands alone on a page: it keeps the last lines with it
            doc.paragraphs[-1].paragraph_format.keep_with_next = True
        _para(doc, "", BODY_FONT, keep_with_next=True)
        if doc_data.issuer:
            _para(doc, doc_data.issuer, BODY_FONT, align="right", right_indent=4, keep_with_next=bool(doc_data.date))
        if doc_data.date:
            _para(doc, chinese_date(doc_data.date), BODY_FONT, align="right", right_indent=4)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def chinese_date(d: date) -> str:
    """2021年12月31日 (GB/T 9704-2012 writes the date in Arabic numerals)."""
    return f"{d.year}年{d.month}月{d.day}日"


def _numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


# -- page and styles --------------------------------------------------------------------------


def _page(doc: Any, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    s = doc.sections[0]
    s.page_width, s.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    s.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if landscape:
        s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(25), Mm(22), Mm(25), Mm(25)
    else:  # GB/T 9704: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm
        s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    s.footer_distance = Mm(12)
    # GB/T 9704: odd pages number at the right, even pages at the left, each one character in from the edge
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(s.footer.paragraphs[0], "right")
    _page_number(s.even_page_footer.paragraphs[0], "left")


def _page_number(p: Any, side: str) -> None:
    """— 1 — at the foot of the page, on `side` one character in (a PAGE field)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if side == "right" else WD_ALIGN_PARAGRAPH.LEFT
    if side == "right":
        p.paragraph_format.right_indent = Pt(PAGE_NUMBER_SIZE)
    else:
        p.paragraph_format.left_indent = Pt(PAGE_NUMBER_SIZE)
    _font(p.add_run("— "), NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        run = p.add_run()
        _font(run, NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    _font(p.add_run(" —"), NUMBER_FONT, PAGE_NUMBER_SIZE)


TABLE_STYLE = "zhili 表格文字"
TABLE_STYLE_ID = "zhili-table"
_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def _styles(doc: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT[0])
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    table = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table.element.styleId = TABLE_STYLE_ID
    table.base_style = normal
    table.font.size = Pt(TABLE_SIZE)
    table.paragraph_format.line_spacing = Pt(TABLE_SIZE * 1.3)
    table.paragraph_format.first_line_indent = Pt(0)


def _fallbacks(doc: Any) -> None:
    """Declare each font with its fallback (w:altName) in the font table, where Word looks when it is absent."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="modern"/></w:font>'
        for name, alt in (TITLE_FONT, BODY_FONT, HEADING_FONT, KAI_FONT, NUMBER_FONT))
    part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _set_fonts(rpr: Any, east_asia: str) -> None:
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        from docx.oxml import OxmlElement

        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)


def _font(run: Any, font: tuple[str, str], size: float, bold: bool = False) -> Any:
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold or None
    _set_fonts(run._r.get_or_add_rPr(), font[0])
    return run


# -- paragraphs -------------------------------------------------------------------------------


def _title(doc: Any, title: str, number: str | None) -> None:
    from docx.shared import Pt

    if number:
        _para(doc, number, BODY_FONT, align="center")
    p = _para(doc, title, TITLE_FONT, size=TITLE_SIZE, align="center", indent=False)
    p.paragraph_format.space_before = Pt(LINE)
    p.paragraph_format.space_after = Pt(LINE / 2)
    p.paragraph_format.line_spacing = Pt(36)


def _para(doc: Any, text: str, font: tuple[str, str], size: float = BODY_SIZE, align: str = "justify",
          indent: bool = True, keep_with_next: bool = False, right_indent: int = 0) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}.get(
        align, WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(LINE, size * 1.3))
    if indent and align == "justify":
        fmt.first_line_indent = Pt(2 * size)  # two characters
    if right_indent:
        fmt.right_indent = Pt(right_indent * size)
    fmt.keep_with_next = keep_with_next or None
    fmt.widow_control = True
    if text:
        _font(p.add_run(cell(text)), font, size)
    return p


def _item(doc: Any, lead: str, text: str) -> None:
    """（一）lead-in in 楷体, then the text in 仿宋, one paragraph."""
    p = _para(doc, "", BODY_FONT)
    _font(p.add_run(cell(lead) + ("：" if text else "")), KAI_FONT, BODY_SIZE)
    if text:
        _font(p.add_run(cell(text)), BODY_FONT, BODY_SIZE)


# -- tables -----------------------------------------------------------------------------------


def _table(doc: Any, table: Table, section: Any) -> None:
    """The header row through python-docx; the data rows as WordprocessingML text parsed in one go (python-docx
    builds a cell in about a millisecond: a 20,000-row ranking would take minutes)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.shared import Emu
    from docx.table import _Cell

    if not table.columns:
        return
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    room = section.page_width - section.left_margin - section.right_margin
    widths = _widths(table)
    total = sum(widths)
    emus = [Emu(int(room * w / total)) for w in widths]
    for j in range(len(table.columns)):
        grid.columns[j].width = emus[j]
    head = grid._tbl.tr_lst[0]
    for j, (c, tc) in enumerate(zip(table.columns, head.tc_lst)):
        _cell(_Cell(tc, grid), c.header, emus[j], "center", bold=True, font=HEADING_FONT)
    _repeat_header(head)
    twips = [int(e) // 635 for e in emus]
    merged = [_runs([r.get(c.key) for r in table.rows]) if c.merge else None for c in table.columns]
    rows = []
    for i, row in enumerate(table.rows):
        mark = row.get("_mark")
        fill = MARKS.get(mark) if mark else None
        tcs = []
        for j, c in enumerate(table.columns):
            how = merged[j][i] if merged[j] is not None else "alone"
            text = "" if how == "continue" else _text(row.get(c.key))
            bold = bool(mark) and c.key.startswith("designation")
            tcs.append(_tc_xml(text, twips[j], {"right": "center"}.get(c.justify, c.justify), how, fill, bold))
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(tcs)}</w:tr>")
    if rows:
        body = parse_xml(f'<w:tbl xmlns:w="{_W}">{"".join(rows)}</w:tbl>')
        for tr in list(body):
            grid._tbl.append(tr)
    doc.add_paragraph()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _tc_xml(text: str, twips: int, align: str, how: str, fill: str | None, bold: bool) -> str:
    """One table cell (w:tc) in the table paragraph style; `how` is a vertical merge: alone, restart, continue."""
    from xml.sax.saxutils import escape as xml_escape

    pr = f'<w:tcW w:w="{twips}" w:type="dxa"/>'
    if how == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif how == "continue":
        pr += "<w:vMerge/>"
    if fill:
        pr += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    if how == "restart":
        pr += '<w:vAlign w:val="center"/>'
    jc = f'<w:jc w:val="{align}"/>' if align in ("center", "right") else ""
    run = ""
    if text:
        parts = '</w:t><w:br/><w:t xml:space="preserve">'.join(xml_escape(part) for part in text.split("\n"))
        run = f'<w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}<w:t xml:space="preserve">{parts}</w:t></w:r>'
    return f'<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE_ID}"/>{jc}</w:pPr>{run}</w:p></w:tc>'


def _runs(values: list[Any]) -> list[str]:
    """For each cell of a column: "restart" (first of equal non-empty neighbours), "continue" or "alone"."""
    out = []
    for i, v in enumerate(values):
        same_above = i > 0 and v is not None and values[i - 1] == v
        same_below = i + 1 < len(values) and v is not None and values[i + 1] == v
        out.append("continue" if same_above else "restart" if same_below else "alone")
    return out


def _text(value: Any) -> str:
    return cell(value)


def _widths(table: Table) -> list[int]:
    """Relative column widths: each column's widest cell, between its header and 40 half-width characters."""
    from zhili.render.xlsx import display_width

    out = []
    for c in table.columns:
        widest = max([display_width(c.header)] + [display_width(cell(r.get(c.key))) for r in table.rows])
        out.append(min(max(widest, display_width(c.header) + 2, 8), 40) + 3)  # + the cell's padding
    return out


def _cell(target: Any, text: str, width: Any, align: str, bold: bool = False, fill: str | None = None,
          font: tuple[str, str] | None = None) -> None:
    """One table cell in the table style (五号仿宋, single spacing); `font` only where it differs (the header)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.text.paragraph import Paragraph

    target.width = width
    # the cell's paragraph and its style id straight from the XML: looking a style up by name scans them all
    p = Paragraph(next(el for el in target._tc if el.tag == _P), target)
    p._p.get_or_add_pPr().style = TABLE_STYLE_ID
    if align in ("center", "right"):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.RIGHT
    if text:
        run = p.add_run(text)
        if font is not None:
            _font(run, font, TABLE_SIZE, bold=bold)
        elif bold:
            run.bold = True
    if fill:
        _shade(target, fill)


def _shade(target: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    target._tc.get_or_add_tcPr().append(shd)


def _repeat_header(tr: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    pr = tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    pr.append(el)
    _no_split(tr)


def _no_split(tr: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(el)
