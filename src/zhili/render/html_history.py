"""The report's evaluation-history section: the previous year's 后进 and where they stand now, and a small
chart per type (one row per community, one cell per year, coloured by designation). Self-contained: its
own SVG, the page's colour classes (adv / lag / pending / mid)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhili.render.cells import cell, escape

if TYPE_CHECKING:
    from typing import Callable

    from zhili.domain.history import EvaluationHistory, TypeTimeline, YearCell
    from zhili.domain.report import Report

WIDTH = 480
ROW = 22
HEAD = 20


def history_section(report: "Report", number: "Callable[[], str]" = lambda: "") -> str:
    """The whole section as HTML ("" when there is no earlier year with evaluations)."""
    return "".join(history_parts(report, number))


def history_parts(report: "Report", number: "Callable[[], str]" = lambda: "") -> list[str]:
    """The section in pieces a paginator may put on different pages: the heading (a closed <section>, as the
    page anchor), the summary and movement table, the legend, then one chart per type."""
    h = report.history
    if h is None:
        return []
    return [f"<section id=\"history\"><h2>{number()}历年评议（{h.timelines[0].years[0]}–{h.year}）</h2></section>",
            _movement(report, h),
            "<div class=\"legend\"><span><i style=\"background:#2e7d32\"></i>先进</span>"
            "<span><i style=\"background:#c62828\"></i>后进</span><span><i style=\"background:#e0a100\"></i>待定（并列）</span>"
            "<span><i style=\"background:#8fa3b3\"></i>其他</span><span><i style=\"background:#fff;border:1px solid #8fa3b3\">"
            "</i>未评</span></div>",
            *(chart for t in h.timelines if (chart := _type_chart(t)))]


def _movement(report: "Report", h: "EvaluationHistory") -> str:
    from zhili.domain.ranking import STATUS_LABELS

    names = {c.id: c.name for c in report.reg.communities}
    rows = []
    for type_, moves in h.movements:
        for m in moves:
            now = m.now
            measures = "；".join(f"{r.measure}（{names.get(r.partner, r.partner) if r.partner else r.unit}）"
                                for r in m.measures) or "未登记"
            rows.append(f"<tr><td>{escape(type_.name)}</td><td>{escape(m.base.community.name)}</td>"
                        f"<td class=\"num\">{escape(cell(m.base.rank))}</td>"
                        f"<td class=\"num\">{escape(cell(now.rank if now else None))}</td>"
                        f"<td>{escape(STATUS_LABELS[m.status])}</td><td>{escape(measures)}</td></tr>")
    moved = sum(1 for _, ms in h.movements for m in ms if m.status == "moved_up")
    total = sum(len(ms) for _, ms in h.movements)
    head = f"<p>{h.base_year} 年的 {total} 个后进社区中，{moved} 个在 {h.year} 年晋位升级。</p>"
    if not rows:
        return head
    return (head + "<div class=\"scroll\"><table><thead><tr><th>类型</th><th>社区</th>"
            f"<th class=\"num\">{h.base_year} 年名次</th><th class=\"num\">{h.year} 年名次</th><th>变化</th>"
            "<th>帮扶措施</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def _css(c: "YearCell") -> str:
    e = c.entry
    if e is not None and e.designation is not None:  # a vetoed community is 后进 even when not ranked
        return "adv" if e.designation.value == "advanced" else "lag"
    if e is None or not e.rated:
        return "none"
    return "pending" if e.pending is not None else "mid"


def _type_chart(t: "TypeTimeline") -> str:
    if not t.communities:
        return ""
    longest = max(len(c.community.name) for c in t.communities)
    label_w = min(max(longest * 14 + 8, 60), 200)
    cell_w = min(56, (WIDTH - label_w - 8) // max(len(t.years), 1))
    height = HEAD + ROW * len(t.communities) + 4
    title = f"{t.type.name}：历年评定"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    x0 = label_w + 6
    for i, y in enumerate(t.years):
        out.append(f'<text class="value" x="{x0 + i * cell_w + cell_w / 2:.1f}" y="{HEAD - 6}" text-anchor="middle">{y}</text>')
    for r, c in enumerate(t.communities):
        y0 = HEAD + r * ROW
        out.append(f'<g class="row"><text x="{label_w}" y="{y0 + ROW / 2 + 4.5:.1f}" text-anchor="end">'
                   f'{escape(c.community.name)}</text>')
        for i, yc in enumerate(c.cells):
            css = _css(yc)
            style = ' fill="#fff" stroke="#8fa3b3"' if css == "none" else ""
            cls = f' class="{css}"' if css != "none" else ""
            x = x0 + i * cell_w
            out.append(f'<rect{cls}{style} x="{x + 1}" y="{y0 + 2}" width="{cell_w - 2}" height="{ROW - 4}" rx="2">'
                       f'<title>{escape(c.community.name)} {yc.year} 年：{escape(yc.label)}</title></rect>')
        out.append("</g>")
    out.append("</svg>")
    marks = [f"{escape(c.community.name)}：{escape(c.marks_text())}" for c in t.communities if c.marks]
    notes = f"<ul class=\"warnings\">{''.join(f'<li>{m}</li>' for m in marks)}</ul>" if marks else ""
    return (f"<div class=\"type-block\"><h3>{escape(t.type.name)}</h3><figure>{''.join(out)}</figure>{notes}</div>")
