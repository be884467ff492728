"""`zhili report`: one self-contained HTML page whose figures agree with rank, tasks and standards."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from conftest import DATA, TAICANG

AS_OF = "2021-12-31"


class Page(HTMLParser):
    """Collects every tag, the rows of each SVG chart (the texts of each <g class="row">) per section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.section: str | None = None
        self.rows: dict[str, list[list[tuple[str, str]]]] = {}
        self._row: list[tuple[str, str]] | None = None
        self._text_class: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "section":
            self.section = a.get("id")
        if tag == "g" and a.get("class") == "row":
            self._row = []
            self.rows.setdefault(self.section or "", []).append(self._row)
        if tag == "text":
            self._text_class = a.get("class") or ""

    def handle_endtag(self, tag):
        if tag == "g":
            self._row = None
        if tag == "text":
            self._text_class = None

    def handle_data(self, data):
        self.text.append(data)
        if self._row is not None and self._text_class is not None:
            self._row.append((self._text_class, data))


@pytest.fixture(scope="module")
def page_2021(tmp_path_factory):
    from click.testing import CliRunner

    from zhili.cli.app import cli

    target = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(cli, ["report", "--data", str(DATA), "--year", "2021", "--as-of", AS_OF, "-o", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    return html, page


def test_self_contained_no_external_resources(page_2021):
    html, page = page_2021
    assert html.startswith("<!DOCTYPE html>")
    assert not [t for t, _ in page.tags if t in ("script", "link", "img", "iframe", "object", "embed")]
    for _, attrs in page.tags:
        for name, value in attrs.items():
            if name in ("src", "href", "xlink:href"):
                raise AssertionError(f"external reference {name}={value}")
    assert "url(" not in html and "@import" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_prints_on_a4_and_fits_a_phone(page_2021):
    html, page = page_2021
    assert "@page { size: A4" in html and "@media print" in html
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in page.tags
    assert "@media (max-width: 480px)" in html
    assert all(a.get("viewbox") for t, a in page.tags if t == "svg")  # charts scale with the page


def test_sections_in_order(page_2021):
    _, page = page_2021
    ids = [a.get("id") for t, a in page.tags if t == "section"]
    assert ids == ["overview", "ranking", "overdue", "standards"]


def test_community_counts_per_type(run, page_2021):
    _, page = page_2021
    types = json.loads(run("types", "--data", DATA, "--format", "json").stdout)
    chart = {r[0][1]: r[1][1] for r in page.rows["overview"]}
    assert chart == {t["name"]: f"{t['communities']} 个" for t in types}


def test_ranking_bars_and_designations_match_zhili_rank(run, page_2021):
    _, page = page_2021
    ranking = json.loads(run("rank", "--data", DATA, "--year", "2021", "--format", "json").stdout)
    expected = []
    for t in ranking:
        for c in t["communities"]:
            if c["status"] != "ranked":
                continue
            badge = {"advanced": "先进", "lagging": "后进"}.get(c["designation"] or "", "")
            expected.append((c["name"], f"{c['score']:g}", badge))
    shown = []
    for row in page.rows["ranking"]:
        texts = dict((cls or "label", t) for cls, t in row)
        if "未评" in texts.get("value", ""):
            continue
        name = re.sub(r"^\d+[.=] ", "", texts["label"])
        badge = next((t for cls, t in row if cls.startswith("badge")), "")
        shown.append((name, texts["value"], badge.replace("（否决）", "")))
    assert shown == expected
    assert {b for _, _, b in shown} >= {"先进", "后进"}


def _overdue_section(html: str) -> str:
    """The overdue section: up to the next section, or to the footer when it is the last."""
    section = html[html.index('<section id="overdue">'):]
    return section[:min(section.find(m) % (len(section) + 1) for m in ('<section id="standards">', "<footer>"))]


def _overdue_rows(html: str) -> list[tuple[str, str, str]]:
    section = _overdue_section(html)
    return re.findall(r'<tr><td>([^<]+)</td><td class="num">([^<]+)</td><td class="num">[^<]+</td><td>(.*?)</td></tr>', section)


def test_overdue_tasks_per_lead_unit_match_zhili_tasks(run, page_2021):
    html, page = page_2021
    overdue = json.loads(run("tasks", "--data", DATA, "--overdue", "--as-of", AS_OF, "--format", "json").stdout)
    assert overdue, "the bundled data has overdue tasks as of the end of 2021"
    assert f"共 {len(overdue)} 项任务逾期" in html
    rows = _overdue_rows(html)
    # 经济试验区 and the three streets (各街道) lead the same overdue tasks: one line, each task once
    assert [(u, n) for u, n, _ in rows] == [("经济试验区、各街道", f"{len(overdue)} 项")]
    assert all(f"{t['no']}. " in rows[0][2] for t in overdue)
    # four equal bars would say nothing the table does not: the chart is left out
    assert "overdue" not in page.rows


def test_a_task_led_by_a_group_is_one_line_not_one_bar_per_member(run):
    html = run("report", "--data", TAICANG, "--year", "2022", "--as-of", "2022-12-31").stdout
    overdue = json.loads(run("tasks", "--data", TAICANG, "--overdue", "--as-of", "2022-12-31", "--format", "json").stdout)
    rows = _overdue_rows(html)
    assert [(u, n) for u, n, _ in rows] == [("各镇(区、街道)", f"{len(overdue)} 项")]
    assert "<svg" not in _overdue_section(html)


def test_an_overdue_chart_shows_what_it_is_sorted_by(run, data_copy):
    from conftest import edit

    # 区住建局 alone leads task 3 with a deadline: two lines with different counts, so the chart stays
    edit(data_copy / "tasks.yaml", "    title: 优化物业服务管理\n", "    title: 优化物业服务管理\n    due: 2021-06-30\n")
    html = run("report", "--data", data_copy, "--year", "2021", "--as-of", AS_OF).stdout
    page = Page()
    page.feed(html)
    bars = {r[0][1]: r[1][1] for r in page.rows["overdue"]}
    assert bars["经济试验区、各街道"].startswith("2 项，最长 ")
    assert bars["区住建局"] == "1 项，最长 184 天"


def test_facility_shortfalls_match_zhili_standards(run, page_2021):
    html, page = page_2021
    rows = json.loads(run("standards", "--data", DATA, "--format", "json").stdout)
    short = sorted((r for r in rows if r["meets"] is False), key=lambda r: -r["shortfall"])
    assert [r[0][1] for r in page.rows["standards"]] == [r["name"] for r in short]
    assert f"未达标 {len(short)} 个" in html
    missing = [r["name"] for r in rows if r["status"] == "missing"]
    assert "缺数据：" + "、".join(missing) in html
    assert "中发〔2017〕13号" in html


def test_marks_illustrative_data(page_2021):
    html, _ = page_2021
    assert "示意数据" in html and "不是官方数字" in html


def test_report_to_stdout_and_no_overwrite(run, tmp_path):
    out = run("report", "--data", DATA, "--year", "2022", "--as-of", "2022-12-31")
    assert out.exit_code == 0
    assert "2022 年度简报" in out.stdout and "2022 年度排队" in out.stdout
    target = tmp_path / "r.html"
    target.write_text("旧", encoding="utf-8")
    again = run("report", "--data", DATA, "--year", "2021", "-o", target)
    assert again.exit_code == 2 and "已存在" in again.output
    assert target.read_text(encoding="utf-8") == "旧"
    assert run("report", "--data", DATA, "--year", "2021", "-o", target, "--force").exit_code == 0


def test_year_without_evaluations_is_a_missing_part(run):
    result = run("report", "--data", DATA, "--year", "2019")
    assert result.exit_code == 2
    assert "没有 2019 年的评议数据" in result.output
    assert "2021" in result.output


def test_year_is_required_and_a_year(run):
    result = run("report", "--data", DATA)
    assert result.exit_code == 2
    assert "请用 --year 指定报告的年度" in result.output
    assert "有评议数据的年度：2021、2022" in result.output
    result = run("report", "--data", DATA, "--year", "21")
    assert result.exit_code == 2
    assert "“21”不是年度" in result.output


def test_data_without_evaluations_or_standards_still_reports(run, tmp_path):
    target = tmp_path / "new"
    run("init", target, "--scheme", "empty")
    result = run("report", "--data", target, "--year", "2024", "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    # only what the scheme declares, numbered in order; nothing about what it does not declare
    assert re.findall(r"<h2>(.*?)</h2>", result.stdout) == ["一、方案与社区", "二、逾期任务（按牵头单位）"]
    assert "从略" not in result.stdout and 'id="ranking"' not in result.stdout and 'id="coverage"' not in result.stdout
    assert "没有逾期任务" in result.stdout


def test_text_is_escaped(run, data_copy):
    from conftest import edit

    edit(data_copy / "communities.yaml", "name: 桑林社区", "name: 桑林<script>社区")
    out = run("report", "--data", data_copy, "--year", "2021", "--as-of", AS_OF).stdout
    assert "<script>" not in out and "桑林&lt;script&gt;社区" in out


def test_score_bars_share_one_origin_one_scale_and_one_number_format(page_2021):
    html, page = page_2021
    section = html[html.index('<section id="ranking">'):html.index('<section id="overdue">')]
    charts = re.findall(r"<svg.*?</svg>", section)
    assert len(charts) == 5
    origins = {re.search(r'<line class="axis" x1="([\d.]+)"', c).group(1) for c in charts}
    assert len(origins) == 1  # every type's bars start at the same x
    # one scale: a bar's width per point is the same in every chart
    per_point = set()
    for c in charts:
        for width, value in re.findall(r'<rect class="\w+" x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="16" rx="2">'
                                       r'<title>[^<]*：([\d.]+) 分</title>', c):
            per_point.add(round(float(width) / float(value), 2))
    assert len(per_point) == 1, per_point
    values = [t for row in page.rows["ranking"] for cls, t in row if cls == "value" and t != "未评"]
    assert len({len(v.split(".")[1]) if "." in v else 0 for v in values}) == 1, values  # 91.0 beside 90.5, never 91


def test_report_says_how_many_pages_it_prints_on_and_numbers_them(page_2021):
    html, _ = page_2021
    total = int(re.search(r"A4 打印共 (\d+) 页", html).group(1))
    assert re.findall(r"第 (\d+) 页，共 (\d+) 页", html) == [(str(i), str(total)) for i in range(1, total + 1)]
    assert html.count('<div class="page">') == total


def test_a_ratio_reads_the_same_in_the_chart_and_the_table(page_2021):
    html, page = page_2021
    chart = {r[0][1]: r[1][1] for r in page.rows["standards"]}
    section = html[html.index('<section id="standards">'):]
    table = dict(re.findall(r'<tr><td>([^<]+)</td><td>[^<]+</td><td class="num">([^<]+)</td>', section))
    assert chart and chart == {name: table[name] for name in chart}
    assert all(re.fullmatch(r"\d+\.\d", v) for v in chart.values())  # one decimal, in both
