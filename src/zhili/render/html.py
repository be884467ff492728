"""The one-page report as a single self-contained HTML file: inline CSS and SVG, nothing fetched."""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Iterable

from zhili.render import pages as pg
from zhili.render.cells import cell, escape, scheme_source
from zhili.render.pages import Block, TableBlock
from zhili.render.svg import Bar, bar_chart, chart_height, label_width
from zhili.render.html_history import history_parts

if TYPE_CHECKING:
    from zhili.domain.ranking import RankedCommunity, TypeRanking
    from zhili.domain.report import Report, StandardSection
    from zhili.model.behaviour import AppliedRules

TEMPLATE = Path(__file__).with_name("report.html")
NUM = ' class="num"'


def render_report(report: "Report") -> str:
    """The report as one HTML file, paginated for A4: each page ends with its number and the page count."""
    from zhili import __version__

    reg = report.reg
    title = f"{reg.scheme.name}：{report.year} 年度简报"
    blocks: list[Block | TableBlock] = [_header(report, title, None)]
    number = Numbers()  # only the sections the scheme declares, numbered in order
    for part in (_overview, _coverage, _rankings, _overdue, _standards, _history):
        blocks += part(report, number)
    blocks.append(_footer(report))
    planned = pg.paginate(blocks)
    planned[0][0] = _header(report, title, len(planned)).html  # the header is always the first block
    body = "\n".join(
        f"<div class=\"page\">{''.join(page)}<p class=\"page-no\">第 {i} 页，共 {len(planned)} 页</p></div>"
        for i, page in enumerate(planned, start=1))
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(title=escape(title), body=body, version=__version__)


def _e(value: object) -> str:
    return escape(cell(value))


NUMERALS = "一二三四五六七八九十"


class Numbers:
    """The numbers of the sections that are shown: 一、二、… in the order they are asked for."""

    def __init__(self) -> None:
        self.used = 0

    def next(self) -> str:
        self.used += 1
        return f"{NUMERALS[self.used - 1] if self.used <= len(NUMERALS) else self.used}、"


def _header(r: "Report", title: str, pages: int | None) -> Block:
    s = r.reg.scheme
    source = scheme_source(s)
    meta1 = f"{s.jurisdiction} · {source}" if source else s.jurisdiction
    meta2 = f"任务逾期按 {cell(r.as_of)} 计算 · 由 zhili 根据数据目录生成 · A4 打印共 {pages or 0} 页"
    html = (f"<header><h1>{escape(title)}</h1><p class=\"meta\">{escape(meta1)}</p>"
            f"<p class=\"meta\">{escape(meta2)}</p></header>")
    height = (pg.lines(title, 14.5) * pg.line_height(14.5) + pg.paragraph(meta1, pg.SMALL_PT)
              + pg.paragraph(meta2, pg.SMALL_PT) + 30 * pg.PX)
    return Block(html, height)


def _h2(section: str, text: str) -> Block:
    """A section heading; it opens the section (its id anchors the page) and stays with what follows."""
    return Block(f"<section id=\"{section}\"><h2>{escape(text)}</h2></section>", 6.3 + 30 * pg.PX, keep_with_next=True)


def _p(text_html: str, plain: str, css: str = "") -> Block:
    font = pg.SMALL_PT if css else pg.BODY_PT
    attr = f' class="{css}"' if css else ""
    return Block(f"<p{attr}>{text_html}</p>", pg.paragraph(plain, font))


def _figure(svg: str, bars: int, caption: str | None = None, marker: bool = False) -> Block:
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return Block(f"<figure>{svg}{cap}</figure>", pg.chart(chart_height(bars, marker), caption is not None))


CHUNK = 28  # bars in one chart: a longer chart is drawn in parts so that none is taller than a page


def _figures(bars: list[Bar], draw, caption: str | None = None, marker: bool = False) -> list[Block]:  # noqa: ANN001
    """The chart of `bars` (drawn by `draw(bars)` with one scale), in parts of at most CHUNK bars."""
    chunks = [bars[i:i + CHUNK] for i in range(0, len(bars), CHUNK)] or [[]]
    return [_figure(draw(chunk), len(chunk), caption if i == len(chunks) - 1 else None, marker)
            for i, chunk in enumerate(chunks)]


PART_LINES = 30  # lines of text in one paragraph or table cell at most: well under a page


def _parts(items: list[str], share: float, joined: str | None = None) -> list[list[str]]:
    """`items` (one per line, or run together with `joined`) cut into parts of at most PART_LINES lines."""
    width = pg.BODY_WIDTH * share - 3
    parts: list[list[str]] = [[]]
    for item in items:
        candidate = [*parts[-1], item]
        text = joined.join(candidate) if joined is not None else "\n".join(candidate)
        if parts[-1] and pg.lines(text, pg.TABLE_PT, width) > PART_LINES:
            parts.append([item])
        else:
            parts[-1].append(item)
    return parts


def _table(head: list[tuple[str, bool]], rows: list[list[tuple[str, str, bool]]], shares: list[float]) -> TableBlock:
    """A table that breaks between rows: head is (label, numeric); each cell is (html, plain text, numeric)."""
    th = "".join(f"<th{NUM if num else ''}>{escape(h)}</th>" for h, num in head)
    block = TableBlock(f"<div class=\"scroll\"><table><thead><tr>{th}</tr></thead><tbody>", "</tbody></table></div>",
                       pg.table_row([(h, 1.0) for h, _ in head[:1]]))
    for row in rows:
        tds = "".join(f"<td{NUM if num else ''}>{html}</td>" for html, _, num in row)
        block.rows.append((f"<tr>{tds}</tr>", pg.table_row([(plain, share) for (_, plain, _), share in zip(row, shares)])))
    return block


def _cards(items: Iterable[tuple[str, str, bool]]) -> Block:
    html = "<div class=\"cards\">" + "".join(
        f"<div class=\"card{' warn' if warn else ''}\"><b>{escape(v)}</b><span>{escape(k)}</span></div>"
        for k, v, warn in items) + "</div>"
    return Block(html, 22.0)


def _overview(r: "Report", number: Numbers) -> list[Block | TableBlock]:
    total = len(r.reg.communities)
    scored = bool(r.rankings) and (r.rankings[0].rules is None or r.rankings[0].rules.method == "scores")
    lagging = sum(len(t.with_designation(_lag())) for t in r.rankings) if r.rankings and scored else None
    short = sum(len(s.short) for s in r.standards)
    cards = [(r.reg.type_label, str(len(r.reg.types)), False), ("社区", str(total), False)]
    if lagging is not None:
        cards.append((f"{r.year} 年后进社区", str(lagging), lagging > 0))
    cards.append(("逾期任务", str(r.overdue_tasks), r.overdue_tasks > 0))
    if r.standards:
        cards.append(("设施配置未达标社区", str(short), short > 0))
    bars = [Bar(c.type.name, c.communities, "bar", f"{c.communities} 个") for c in r.type_counts]
    chart = bar_chart(bars, max([c.communities for c in r.type_counts] + [1]), "各类型社区数", "")
    rows = [[(escape(c.type.name), c.type.name, False), (_e(c.type.goal), cell(c.type.goal), False),
             (str(c.communities), str(c.communities), True)] for c in r.type_counts]
    blocks: list[Block | TableBlock] = [_h2("overview", f"{number.next()}方案与社区"), _cards(cards),
                                        _figure(chart, len(bars), f"各类型社区数（共 {total} 个）"),
                                        _table([(r.reg.type_label, False), ("治理目标", False), ("社区数", True)], rows, [0.3, 0.55, 0.15])]
    if r.unclassified:
        text = f"另有 {r.unclassified} 个社区尚未登记类型。"
        blocks.append(_p(escape(text), text, "note"))
    if r.filters:
        text = f"本报告只含{'，'.join(f.text for f in r.filters)}的社区及与之相关的任务；名次仍按整个类型计算。"
        blocks.append(_p(escape(text), text, "note"))
    if r.levels is not None:  # --level: communities per unit of that level, by type
        head = [(r.levels.name, False), ("社区数", True), *[(t.name, True) for t in r.reg.types]]
        rows = [[(escape(u), u, False), (str(n), str(n), True), *[(str(k), str(k), True) for k in by_type]]
                for u, n, by_type in r.levels.rows]
        width = 1 + 1 + len(r.reg.types)
        blocks.append(_table(head, rows, [0.3, 0.1, *[0.6 / max(len(r.reg.types), 1)] * (width - 2)]))
    for d in r.dimensions:  # the scheme's further classification dimensions, one small table each
        rows = [[(escape(v), v, False), (str(n), str(n), True)] for v, n in d.values]
        blocks.append(_table([(d.name, False), ("社区数", True)], rows, [0.7, 0.3]))
        if d.unset:
            text = f"另有 {d.unset} 个社区尚未登记{d.name}。"
            blocks.append(_p(escape(text), text, "note"))
    return blocks


def _coverage(r: "Report", number: Numbers) -> list[Block | TableBlock]:
    """Each declared target on the report's day: the sentence, the verdict, a row per unit or value."""
    from zhili.render.coverage import notes, percent, verdict

    if r.coverage is None:  # the scheme declares no targets: no section
        return []
    blocks: list[Block | TableBlock] = [_h2("coverage", f"{number.next()}目标覆盖（截至 {cell(r.as_of)}）")]
    for sec in r.coverage.sections:
        name = sec.programme.name
        lines = notes(sec, False)
        blocks.append(_p(escape(lines[0]), lines[0]))
        for line in lines[1:]:
            blocks.append(_p(escape(line), line, "note"))
        if sec.target.scope == "whole":
            continue
        per_value = sec.target.scope == "per_value"
        rows = []
        for row in sec.rows:
            label = (row.value if per_value else row.unit) or ""
            share = percent(row.share) if row.share is not None else "—"
            short = "、".join(f"{s.type}（{s.pilots}/{s.required}）" for s in row.short_types) or "—"
            cells = [(escape(label), label, False), (str(row.communities), str(row.communities), True),
                     (str(row.members), str(row.members), True), (share, share, True),
                     (escape(verdict(row)), verdict(row), False)]
            if sec.minimum:
                cells.append((escape(short), short, False))
            rows.append(cells)
        head = [(sec.label, False), ("社区数", True), (f"{name}数", True), ("覆盖率", True), ("达标", False)]
        shares = [0.3, 0.12, 0.14, 0.12, 0.14]
        if sec.minimum:
            head.append((f"{name}不足的牵头类型", False))
            shares = [0.22, 0.1, 0.12, 0.1, 0.12, 0.34]
        blocks.append(_table(head, rows, shares))
    return blocks


def _lag():  # noqa: ANN202 - the enum lives in the ranking module, imported lazily
    from zhili.domain.ranking import Designation

    return Designation.LAGGING


_LEGEND = ("<div class=\"legend\"><span><i style=\"background:#2e7d32\"></i>先进</span>"
           "<span><i style=\"background:#c62828\"></i>后进</span><span><i style=\"background:#e0a100\"></i>待定（并列）</span>"
           "<span><i style=\"background:#8fa3b3\"></i>其他</span></div>")


def decimals(values: Iterable[float | None]) -> int:
    """The fewest decimals (at most 2) that show every value as it is: 91 and 90.5 are both written 91.0, 90.5."""
    need = 0
    for v in values:
        if v is None:
            continue
        for d in range(need, 3):
            if abs(round(v, d) - v) < 1e-9:
                break
        need = max(need, min(d, 2))
    return need


def _rankings(r: "Report", number: Numbers) -> list[Block | TableBlock]:
    if r.rankings is None:  # the data has no yearly evaluation: no section
        return []
    rules = r.rankings[0].rules if r.rankings else None
    if rules is not None and rules.method != "scores":
        return _decided(r, rules, number)
    head = _h2("ranking", f"{number.next()}{r.year} 年度排队")
    rule = r.reg.scheme.ranking_rule
    blocks: list[Block | TableBlock] = [head]
    # one scale, one origin and one number format for every type, so bars can be compared across types
    entries = [e for t in r.rankings for e in t.entries]
    places = decimals(e.score for e in entries if e.rated)
    scale = max([100.0] + [e.score or 0 for e in entries if e.rated])
    bars = {id(t): _bars(t, places) for t in r.rankings}
    label_w = label_width([b for bs in bars.values() for b in bs])
    badge_w = 48 if any(b.badge for bs in bars.values() for b in bs) else 0
    stages = "、".join(s.label for s in rules.stages) if rules is not None else ""
    text = (f"综合得分由{stages}加权计算；{rule}。" if rule else "") + \
        f"各类型的条形图用同一刻度（0–{scale:g} 分），可以相互比较。"
    blocks.append(_p(escape(text), text, "note"))
    blocks.append(Block(_LEGEND, pg.line_height(pg.SMALL_PT) + 8 * pg.PX))
    for t in r.rankings:
        blocks += _type_ranking(t, bars[id(t)], scale, label_w, badge_w)
    return blocks


def _decided(r: "Report", rules: "AppliedRules", number: Numbers) -> list[Block | TableBlock]:
    """`method: selection` or `grades`: per type, each community's stage results and its final result."""
    from zhili.domain.ranking import RESULT_LABELS

    what = "入选" if rules.method == "selection" else "等次"
    blocks: list[Block | TableBlock] = [_h2("ranking", f"{number.next()}{r.year} 年度评定（{what}）")]
    stages = "、".join(s.label for s in rules.stages)
    text = (f"各社区依次经过{stages}；" + ("最后一个阶段为“是”即入选，任一阶段为“否”即未入选。" if rules.method == "selection"
                                       else f"等次（{'、'.join(rules.grades)}）以最后一个阶段为准。"))
    blocks.append(_p(escape(text), text, "note"))
    head = [("社区", False), *((s.label, False) for s in rules.stages), ("结果", False)]
    share = 0.7 / (len(rules.stages) + 1)
    for t in r.rankings or []:
        counts = {}
        for e in t.entries:
            key = RESULT_LABELS.get(e.result, e.result) if e.result else "未评"
            counts[key] = counts.get(key, 0) + 1
        summary = "、".join(f"{k} {n} 个" for k, n in counts.items()) or "本类型没有社区"
        h3 = f"<h3>{escape(t.type.name)}<span class=\"meta\">　{escape(summary)}</span></h3>"
        blocks.append(Block(h3, pg.line_height(pg.BODY_PT) + 18 * pg.PX, keep_with_next=True))
        rows = []
        for e in t.entries:
            shown = RESULT_LABELS.get(e.result, e.result) + ("（否决）" if e.veto else "") if e.result else "未评"
            values = [cell(e.values.get(s.id)) for s in rules.stages]
            rows.append([(escape(e.community.name), e.community.name, False),
                         *((escape(v), v, False) for v in values), (escape(shown), shown, False)])
        blocks.append(_table(head, rows, [0.3, *([share] * len(rules.stages)), share]))
        notes = t.warnings
        if notes:
            html = "<ul class=\"warnings\">" + "".join(f"<li>{escape(w)}</li>" for w in notes) + "</ul>"
            blocks.append(Block(html, sum(pg.paragraph(w, pg.SMALL_PT, 0) for w in notes) + 10 * pg.PX))
    return blocks


def _designation(e: "RankedCommunity") -> tuple[str, str, str]:
    """(bar class, badge text, badge class)"""
    if e.designation is not None:
        adv = e.designation.value == "advanced"
        return ("adv", "先进", "badge-adv") if adv else ("lag", "后进", "badge-lag")
    if e.pending is not None:
        return "pending", "待定", "badge-pending"
    return "mid", "", ""


def _bars(t: "TypeRanking", places: int) -> list[Bar]:
    bars = []
    for e in t.entries:
        css, badge, badge_css = _designation(e)
        if e.rated:
            label = f"{e.rank}{'=' if e.tied else '.'} {e.community.name}"
            bars.append(Bar(label, e.score, css, f"{e.score:.{places}f}", badge + ("（否决）" if e.veto else ""), badge_css))
    for e in t.entries:
        if not e.rated:
            css, badge, badge_css = _designation(e)
            bars.append(Bar(f"— {e.community.name}", None, css, "未评", badge, badge_css))
    return bars


def _type_ranking(t: "TypeRanking", bars: list[Bar], scale: float, label_w: int, badge_w: int) -> list[Block]:
    quota = f"先进 {t.advanced_quota} 个、后进 {t.lagging_quota} 个"
    title = f"{t.type.name}：综合得分（{quota}）"
    h3 = f"<h3>{escape(t.type.name)}<span class=\"meta\">　{quota}</span></h3>"
    h3_height = pg.line_height(pg.BODY_PT) + 18 * pg.PX
    notes = [*t.warnings, *t.tie_breaks]
    warnings = ("<ul class=\"warnings\">" + "".join(f"<li>{escape(w)}</li>" for w in notes) + "</ul>") if notes else ""
    notes_height = (sum(pg.paragraph(w, pg.SMALL_PT, 0) for w in notes) + 10 * pg.PX) if notes else 0.0

    def draw(chunk: list[Bar]) -> str:
        return bar_chart(chunk, scale, title, " 分", label_w=label_w, badge_w=badge_w)

    if not bars:
        html = f"<div class=\"type-block\">{h3}<p class=\"note\">本类型没有社区。</p>{warnings}</div>"
        return [Block(html, h3_height + pg.paragraph("本类型没有社区。", pg.SMALL_PT) + notes_height)]
    if len(bars) <= CHUNK:  # heading, chart and notes on one page
        html = f"<div class=\"type-block\">{h3}<figure>{draw(bars)}</figure>{warnings}</div>"
        return [Block(html, h3_height + pg.chart(chart_height(len(bars))) + notes_height)]
    parts: list[Block] = [Block(h3, h3_height, keep_with_next=True), *_figures(bars, draw)]
    if notes:
        parts.append(Block(warnings, notes_height))
    return parts


def _overdue(r: "Report", number: Numbers) -> list[Block | TableBlock]:
    head = _h2("overdue", f"{number.next()}逾期任务（按牵头单位）")
    if not r.overdue:
        text = f"截至 {cell(r.as_of)}，没有逾期任务。"
        return [head, _p(escape(text), text)]
    text = (f"截至 {cell(r.as_of)}，共 {r.overdue_tasks} 项任务逾期。几个单位共同牵头同样的任务时合为一行"
            "（单位组写组名），每项任务在每行只计一次。")
    blocks: list[Block | TableBlock] = [head, _p(escape(text), text)]
    counts = {len(u.tasks) for u in r.overdue}
    if len(counts) > 1:  # equal bars say nothing the table does not; the bars are sorted by count, then the longest delay
        bars = [Bar(u.label, len(u.tasks), "lag", f"{len(u.tasks)} 项，最长 {u.worst} 天") for u in r.overdue]
        blocks += _figures(bars, lambda chunk: bar_chart(chunk, max(counts), "各牵头单位的逾期任务数（按项数、再按最长逾期天数排列）"))
    rows = []
    for u in r.overdue:
        items = [f"{s.task.no}. {s.task.title}" for s in u.tasks]
        # a unit with very many tasks gets continuation rows, so that no row is taller than a page
        for k, part in enumerate(_parts(items, 0.53)):
            label = u.label if k == 0 else f"{u.label}（续）"
            first = k == 0
            rows.append([(escape(label), label, False), (f"{len(u.tasks)} 项" if first else "", "", True),
                         (f"{u.worst} 天" if first else "", "", True), ("<br>".join(escape(i) for i in part), "\n".join(part), False)])
    blocks.append(_table([("牵头单位", False), ("逾期", True), ("最长逾期", True), ("任务", False)], rows,
                         [0.25, 0.1, 0.12, 0.53]))
    return blocks


def _standards(r: "Report", number: Numbers) -> list[Block | TableBlock]:
    if not r.standards:  # the scheme declares no standards: no section
        return []
    head = _h2("standards", f"{number.next()}配置标准")
    blocks: list[Block | TableBlock] = [head]
    for s in r.standards:
        blocks += _standard(r, s)
    return blocks


def _standard(r: "Report", sec: "StandardSection") -> list[Block | TableBlock]:
    s = sec.standard
    den = r.reg.attribute(s.denominator)
    per = f"{s.per:g}"
    basis = (s.text or f"每 {per} 不低于 {s.minimum:g} {s.unit}") + (f"（{s.source}）" if s.source else "")
    summary = (f"{escape(s.name)}：{escape(basis)}。达标 {sec.met} 个，<b>未达标 {len(sec.short)} 个</b>，"
               f"缺数据 {len(sec.missing)} 个（缺数据不计入未达标）。")
    blocks: list[Block | TableBlock] = [_p(summary, f"{s.name}：{basis}。达标 {sec.met} 个，未达标 {len(sec.short)} 个，"
                                                  f"缺数据 {len(sec.missing)} 个（缺数据不计入未达标）。")]
    if not sec.short:
        blocks.append(_p("所有有数据的社区都达到标准。", "所有有数据的社区都达到标准。"))
    else:
        # one format for the quantity: the ratio, the standard and the shortfall all with one decimal
        def q(v: float | None) -> str:
            return "—" if v is None else f"{v:.1f}"

        ratio_head = f"每{per}{den.unit if den and den.unit else ''}（{s.unit}）"
        bars = [Bar(a.community.name, a.ratio, "lag", q(a.ratio)) for a in sec.short]
        top = max([s.minimum * 1.1] + [a.ratio or 0 for a in sec.short])
        blocks += _figures(bars, lambda chunk: bar_chart(chunk, top, f"{s.name}未达标社区：{ratio_head}",
                                                         marker=(s.minimum, f"标准 {q(s.minimum)}")),
                           f"标准：{q(s.minimum)} {s.unit}", marker=True)
        rows = [[(escape(a.community.name), a.community.name, False), (escape(a.community.street), a.community.street, False),
                 (q(a.ratio), q(a.ratio), True), (q(s.minimum), q(s.minimum), True), (q(a.shortfall or 0), q(a.shortfall or 0), True)]
                for a in sec.short]
        blocks.append(_table([("社区", False), (_e(r.reg.level_label()), False), (ratio_head, True), ("标准", True), (f"缺口（{s.unit}）", True)],
                             rows, [0.25, 0.2, 0.25, 0.12, 0.18]))
    if sec.missing:
        names = [a.community.name for a in sec.missing]
        for k, part in enumerate(_parts(names, 1.0, joined="、")):
            text = ("缺数据：" if k == 0 else "缺数据（续）：") + "、".join(part) + "。"
            blocks.append(_p(escape(text), text, "note"))
    return blocks


def _history(r: "Report", number: Numbers) -> list[Block]:
    """The history section's pieces (render/html_history.py) as blocks, their heights estimated from their text,
    rows and charts: the heading stays with the summary, each type's chart moves whole."""
    import re

    parts = history_parts(r, number.next)
    blocks: list[Block] = []
    for i, html in enumerate(parts):
        plain = re.sub(r"<[^>]+>", "", re.sub(r"<svg.*?</svg>", "", html, flags=re.S))
        rows = html.count("<tr>")
        height = pg.paragraph(plain[:200], pg.BODY_PT) if i == 1 else pg.line_height(pg.SMALL_PT) + 8 * pg.PX
        if rows:  # the movement table: each row at least one line, long measures wrap
            cells = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
            height += sum(pg.table_row([(re.sub(r"<[^>]+>", " ", c), 0.45)]) for c in cells) + 12 * pg.PX
        for vb in re.findall(r'viewBox="0 0 [\d.]+ ([\d.]+)"', html):  # a type's chart, its heading and notes
            height = pg.chart(float(vb)) + pg.line_height(pg.BODY_PT) + 18 * pg.PX + \
                sum(pg.paragraph(li, pg.SMALL_PT, 0) for li in re.findall(r"<li>(.*?)</li>", html))
        if i == 0:
            blocks.append(Block(html, 6.3 + 30 * pg.PX, keep_with_next=True))
        else:
            blocks.append(Block(html, height))
    return blocks


def _footer(r: "Report") -> Block:
    s = r.reg.scheme
    source = scheme_source(s, with_issuer=True, with_date=False)
    texts = ([f"方案：{source}。"] if source else []) + [
             "方案原文没有给出的数字（如户数、设施面积、评议得分）在数据文件中标为“示意数据”的，仅供演示，不是官方数字。",
             "本页是单个 HTML 文件，不引用任何外部资源，可直接打印（A4）或在手机上查看。"]
    html = "<footer>" + "".join(f"<p>{escape(t)}</p>" for t in texts) + "</footer>"
    return Block(html, sum(pg.paragraph(t, 8.2) for t in texts) + 34 * pg.PX)
