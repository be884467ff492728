"""The one-page report as a single self-contained HTML file: inline CSS and SVG, nothing fetched."""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Iterable

from zhili.render.cells import cell, escape
from zhili.render.svg import Bar, bar_chart

if TYPE_CHECKING:
    from zhili.domain.ranking import RankedCommunity, TypeRanking
    from zhili.domain.report import Report, StandardSection

TEMPLATE = Path(__file__).with_name("report.html")


def render_report(report: "Report") -> str:
    from zhili import __version__

    reg = report.reg
    title = f"{reg.scheme.name}：{report.year} 年度简报"
    body = "\n".join([
        _header(report, title),
        _overview(report),
        _rankings(report),
        _overdue(report),
        _standards(report),
        _footer(report),
    ])
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(title=escape(title), body=body, version=__version__)


def _e(value: object) -> str:
    return escape(cell(value))


def _header(r: "Report", title: str) -> str:
    s = r.reg.scheme
    return (f"<header><h1>{escape(title)}</h1>"
            f"<p class=\"meta\">{escape(s.jurisdiction)} · 《{escape(s.title)}》（{escape(s.document)}，{_e(s.date)}）</p>"
            f"<p class=\"meta\">任务逾期按 {_e(r.as_of)} 计算 · 由 zhili 根据数据目录生成</p></header>")


def _cards(items: Iterable[tuple[str, str, bool]]) -> str:
    return "<div class=\"cards\">" + "".join(
        f"<div class=\"card{' warn' if warn else ''}\"><b>{escape(v)}</b><span>{escape(k)}</span></div>"
        for k, v, warn in items) + "</div>"


def _overview(r: "Report") -> str:
    total = len(r.reg.communities)
    lagging = sum(len(t.with_designation(_lag())) for t in r.rankings) if r.rankings else None
    short = sum(len(s.short) for s in r.standards)
    cards = [("社区类型", str(len(r.reg.types)), False), ("社区", str(total), False)]
    if lagging is not None:
        cards.append((f"{r.year} 年后进社区", str(lagging), lagging > 0))
    cards.append(("逾期任务", str(r.overdue_tasks), r.overdue_tasks > 0))
    if r.standards:
        cards.append(("设施配置未达标社区", str(short), short > 0))
    bars = [Bar(c.type.name, c.communities, "bar", f"{c.communities} 个") for c in r.type_counts]
    chart = bar_chart(bars, max([c.communities for c in r.type_counts] + [1]), "各类型社区数", "")
    rows = "".join(f"<tr><td>{escape(c.type.name)}</td><td>{_e(c.type.goal)}</td><td class=\"num\">{c.communities}</td></tr>"
                   for c in r.type_counts)
    extra = f"<p class=\"note\">另有 {r.unclassified} 个社区尚未登记类型。</p>" if r.unclassified else ""
    return ("<section id=\"overview\"><h2>一、方案与社区</h2>" + _cards(cards)
            + f"<figure>{chart}<figcaption>各类型社区数（共 {total} 个）</figcaption></figure>"
            + "<div class=\"scroll\"><table><thead><tr><th>社区类型</th><th>治理目标</th><th class=\"num\">社区数</th></tr></thead>"
            + f"<tbody>{rows}</tbody></table></div>{extra}</section>")


def _lag():  # noqa: ANN202 - the enum lives in the ranking module, imported lazily
    from zhili.domain.ranking import Designation

    return Designation.LAGGING


_LEGEND = ("<div class=\"legend\"><span><i style=\"background:#2e7d32\"></i>先进</span>"
           "<span><i style=\"background:#c62828\"></i>后进</span><span><i style=\"background:#e0a100\"></i>待定（并列）</span>"
           "<span><i style=\"background:#8fa3b3\"></i>其他</span></div>")


def _rankings(r: "Report") -> str:
    head = f"<section id=\"ranking\"><h2>二、{r.year} 年度排队</h2>"
    if r.rankings is None:
        return head + "<p class=\"note\">数据中没有年度评议（evaluations/），本节从略。</p></section>"
    rule = r.reg.scheme.ranking_rule
    intro = f"<p class=\"note\">综合得分由社区自评、街道初评、区级评议加权计算；{escape(rule)}。</p>" if rule else ""
    return head + intro + _LEGEND + "".join(_type_ranking(t) for t in r.rankings) + "</section>"


def _designation(e: "RankedCommunity") -> tuple[str, str, str]:
    """(bar class, badge text, badge class)"""
    if e.designation is not None:
        adv = e.designation.value == "advanced"
        return ("adv", "先进", "badge-adv") if adv else ("lag", "后进", "badge-lag")
    if e.pending is not None:
        return "pending", "待定", "badge-pending"
    return "mid", "", ""


def _type_ranking(t: "TypeRanking") -> str:
    rated = [e for e in t.entries if e.rated]
    unrated = [e for e in t.entries if not e.rated]
    bars = []
    for e in rated:
        css, badge, badge_css = _designation(e)
        label = f"{e.rank}{'=' if e.tied else '.'} {e.community.name}"
        bars.append(Bar(label, e.score, css, f"{e.score:g}", badge + ("（否决）" if e.veto else ""), badge_css))
    for e in unrated:
        css, badge, badge_css = _designation(e)
        bars.append(Bar(f"— {e.community.name}", None, css, "未评", badge, badge_css))
    scale = max([100.0] + [e.score or 0 for e in rated])
    quota = f"先进 {t.advanced_quota} 个、后进 {t.lagging_quota} 个"
    title = f"{t.type.name}：综合得分（{quota}）"
    chart = bar_chart(bars, scale, title, " 分") if bars else "<p class=\"note\">本类型没有社区。</p>"
    warnings = "".join(f"<li>{escape(w)}</li>" for w in (*t.warnings, *t.tie_breaks))
    return (f"<div class=\"type-block\"><h3>{escape(t.type.name)}<span class=\"meta\">　{quota}</span></h3>"
            f"<figure>{chart}</figure>" + (f"<ul class=\"warnings\">{warnings}</ul>" if warnings else "") + "</div>")


def _overdue(r: "Report") -> str:
    head = "<section id=\"overdue\"><h2>三、逾期任务（按牵头单位）</h2>"
    if not r.overdue:
        return head + f"<p>截至 {_e(r.as_of)}，没有逾期任务。</p></section>"
    counts = {len(u.tasks) for u in r.overdue}
    chart = ""
    if len(counts) > 1:  # equal bars say nothing the table does not; the bars are sorted by count, then the longest delay
        bars = [Bar(u.label, len(u.tasks), "lag", f"{len(u.tasks)} 项，最长 {u.worst} 天") for u in r.overdue]
        chart = f"<figure>{bar_chart(bars, max(counts), '各牵头单位的逾期任务数（按项数、再按最长逾期天数排列）')}</figure>"
    rows = []
    for u in r.overdue:
        items = "<br>".join(f"{s.task.no}. {escape(s.task.title)}" for s in u.tasks)
        rows.append(f"<tr><td>{escape(u.label)}</td><td class=\"num\">{len(u.tasks)} 项</td>"
                    f"<td class=\"num\">{u.worst} 天</td><td>{items}</td></tr>")
    return (head + f"<p>截至 {_e(r.as_of)}，共 {r.overdue_tasks} 项任务逾期。几个单位共同牵头同样的任务时合为一行"
            "（如“各街道”），每项任务在每行只计一次。</p>"
            + chart + "<div class=\"scroll\"><table><thead><tr><th>牵头单位</th><th class=\"num\">逾期</th>"
            + "<th class=\"num\">最长逾期</th><th>任务</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div></section>")


def _standards(r: "Report") -> str:
    head = "<section id=\"standards\"><h2>四、配置标准</h2>"
    if not r.standards:
        return head + "<p class=\"note\">方案数据中没有声明配置标准（types.yaml 的 standards），本节从略。</p></section>"
    return head + "".join(_standard(r, s) for s in r.standards) + "</section>"


def _standard(r: "Report", sec: "StandardSection") -> str:
    s = sec.standard
    den = r.reg.attribute(s.denominator)
    per = f"{s.per:g}"
    basis = escape(s.text or f"每 {per} 不低于 {s.minimum:g} {s.unit}") + (f"（{escape(s.source)}）" if s.source else "")
    summary = (f"<p>{escape(s.name)}：{basis}。达标 {sec.met} 个，<b>未达标 {len(sec.short)} 个</b>，"
               f"缺数据 {len(sec.missing)} 个（缺数据不计入未达标）。</p>")
    if not sec.short:
        body = "<p>所有有数据的社区都达到标准。</p>"
    else:
        ratio_head = f"每{per}{escape(den.unit) if den and den.unit else ''}（{escape(s.unit)}）"
        bars = [Bar(a.community.name, a.ratio, "lag", f"{a.ratio:.1f}") for a in sec.short]
        chart = bar_chart(bars, max([s.minimum * 1.1] + [a.ratio or 0 for a in sec.short]), f"{s.name}未达标社区：{ratio_head}",
                          marker=(s.minimum, f"标准 {s.minimum:g}"))
        rows = "".join(
            f"<tr><td>{escape(a.community.name)}</td><td>{escape(a.community.street)}</td>"
            f"<td class=\"num\">{_e(a.ratio and round(a.ratio, 2))}</td><td class=\"num\">{s.minimum:g}</td>"
            f"<td class=\"num\">{_e(round(a.shortfall or 0, 2))}</td></tr>" for a in sec.short)
        body = (f"<figure>{chart}<figcaption>标准：{s.minimum:g} {escape(s.unit)}</figcaption></figure>"
                f"<div class=\"scroll\"><table><thead><tr><th>社区</th><th>街道</th><th class=\"num\">{ratio_head}</th>"
                f"<th class=\"num\">标准</th><th class=\"num\">缺口（{escape(s.unit)}）</th></tr></thead>"
                f"<tbody>{rows}</tbody></table></div>")
    missing = ("<p class=\"note\">缺数据：" + "、".join(escape(a.community.name) for a in sec.missing) + "。</p>"
               if sec.missing else "")
    return summary + body + missing


def _footer(r: "Report") -> str:
    s = r.reg.scheme
    return (f"<footer><p>方案：{escape(s.issuer)}《{escape(s.title)}》（{escape(s.document)}）。</p>"
            "<p>方案原文没有给出的数字（如户数、设施面积、评议得分）在数据文件中标为“示意数据”的，仅供演示，不是官方数字。</p>"
            "<p>本页是单个 HTML 文件，不引用任何外部资源，可直接打印（A4）或在手机上查看。</p></footer>")
