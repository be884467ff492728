"""Horizontal bar charts as inline SVG: no scripts, no fonts, no images — they print and scale anywhere."""

from __future__ import annotations

from dataclasses import dataclass

from zhili.render.cells import escape

WIDTH = 480
ROW = 26
BAR = 16
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: drawn as a gap with `text` only (e.g. 未评)
    css: str = "bar"  # class of the bar: adv / lag / mid / pending / bar
    text: str = ""  # printed after the bar (the value, formatted)
    badge: str = ""  # printed at the right edge, e.g. 先进
    badge_css: str = ""


def label_width(bars: list[Bar]) -> int:
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)

    if not bars:
        widest = 8
    else:  # a label is at least as wide as its length and at most twice it: measure only those that may win
        widest = 0
        for label in sorted({b.label for b in bars}, key=len, reverse=True):
            if 2 * len(label) <= widest:
                break
            widest = max(widest, width(label))
    return min(max(int(widest * 7.5) + 10, 60), 200)  # 14px text: about 7 units per half-width cell


def chart_height(bars: int, marker: bool = False) -> int:
    """The chart's height in viewBox units (its width is WIDTH)."""
    return TOP + (16 if marker else 0) + TOP + ROW * max(bars, 1)


def bar_chart(bars: list[Bar], scale_max: float, title: str, unit: str = "",
              marker: tuple[float, str] | None = None, label_w: int | None = None, badge_w: int | None = None) -> str:
    """A labelled horizontal bar chart; bars are proportional to value / scale_max. `marker` draws a dashed
    reference line (value, label), e.g. the standard a bar should reach. Charts meant to be compared pass the
    same `scale_max`, `label_w` and `badge_w`: their bars then start at the same x and share one scale."""
    label_w = label_width(bars) if label_w is None else label_w
    badge_w = (48 if any(b.badge for b in bars) else 0) if badge_w is None else badge_w
    value_w = 52
    plot_w = WIDTH - label_w - badge_w - value_w - 8
    top = TOP + (16 if marker else 0)
    height = top + TOP + ROW * max(len(bars), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    x0 = label_w + 6
    out.append(f'<line class="axis" x1="{x0}" y1="{top - 2}" x2="{x0}" y2="{height - TOP + 2}" />')
    for i, b in enumerate(bars):
        y = top + i * ROW
        mid = y + ROW / 2 + 4.5
        out.append(f'<g class="row"><text x="{label_w}" y="{mid:.1f}" text-anchor="end">{escape(b.label)}</text>')
        end = x0
        if b.value is not None and scale_max > 0:
            w = max(plot_w * min(max(b.value, 0.0), scale_max) / scale_max, 1.0)
            out.append(f'<rect class="{escape(b.css)}" x="{x0}" y="{y + (ROW - BAR) / 2:.1f}" width="{w:.1f}" '
                       f'height="{BAR}" rx="2"><title>{escape(b.label)}：{escape(b.text)}{escape(unit)}</title></rect>')
            end = x0 + w
        if b.text:
            out.append(f'<text class="value" x="{end + 5:.1f}" y="{mid:.1f}">{escape(b.text)}</text>')
        if b.badge:
            css = f' class="{escape(b.badge_css)}"' if b.badge_css else ""
            out.append(f'<text{css} x="{WIDTH - 4}" y="{mid:.1f}" text-anchor="end">{escape(b.badge)}</text>')
        out.append("</g>")
    if marker is not None and scale_max > 0:
        mx = x0 + plot_w * min(max(marker[0], 0.0), scale_max) / scale_max
        out.append(f'<line class="marker" x1="{mx:.1f}" y1="{top - 4}" x2="{mx:.1f}" y2="{height - TOP + 2}" />'
                   f'<text class="marker" x="{mx:.1f}" y="{top - 6}" text-anchor="middle">{escape(marker[1])}</text>')
    out.append("</svg>")
    return "".join(out)
