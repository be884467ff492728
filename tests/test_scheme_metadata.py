"""A scheme needs only id, name and jurisdiction: title, document number, issuer and date are shown where
present and nowhere (no empty 《》, （）or "None") where absent, in the report, the notice (text and Word),
`zhili types` and `zhili diff`."""

from __future__ import annotations

import json
import re
import shutil
from io import BytesIO

import pytest

from conftest import DATA, edit

OPTIONAL = ["  title: 关于在城市社区开展分类治理的工作方案\n", "  document: 绵游委基治委发〔2021〕1号\n",
            "  issuer: 中共绵阳市游仙区委城乡基层治理委员会\n", "  date: 2021-03-10\n"]


@pytest.fixture
def bare(tmp_path):
    """游仙's data with only id, name and jurisdiction in `scheme` (and no notice issuer of its own)."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    for line in OPTIONAL:
        edit(target / "types.yaml", line, "")
    edit(target / "types.yaml", "    issuer: 区委组织部\n", "")
    return target


def clean(text: str) -> None:
    assert "None" not in text and "《》" not in text and "（）" not in text and "（，" not in text


def test_validate_accepts_a_scheme_with_only_the_three_required_fields(run, bare):
    result = run("validate", "--data", bare)
    assert result.exit_code == 0, result.output


def test_the_report_shows_only_what_the_scheme_gives(run, bare):
    html = run("report", "--data", bare, "--year", "2021", "--as-of", "2021-12-31").stdout
    clean(html)
    assert re.findall(r'<p class="meta">([^<]*)</p>', html)[0] == "绵阳市游仙区"
    footer = html[html.index("<footer>"):]
    assert "方案：" not in footer
    full = run("report", "--data", DATA, "--year", "2021", "--as-of", "2021-12-31").stdout
    assert re.findall(r'<p class="meta">([^<]*)</p>', full)[0] == \
        "绵阳市游仙区 · 《关于在城市社区开展分类治理的工作方案》（绵游委基治委发〔2021〕1号，2021-03-10）"
    assert "方案：中共绵阳市游仙区委城乡基层治理委员会《关于在城市社区开展分类治理的工作方案》（绵游委基治委发〔2021〕1号）。" in full


def test_only_a_title_is_shown_without_parentheses(run, bare):
    edit(bare / "types.yaml", "  jurisdiction: 绵阳市游仙区\n", "  jurisdiction: 绵阳市游仙区\n  title: 某方案\n")
    html = run("report", "--data", bare, "--year", "2021", "--as-of", "2021-12-31").stdout
    assert re.findall(r'<p class="meta">([^<]*)</p>', html)[0] == "绵阳市游仙区 · 《某方案》"
    notice = json.dumps(run("notice", "--data", bare, "--as-of", "2021-12-31", "--format", "markdown").stdout, ensure_ascii=False)
    clean(notice)


def test_the_notice_names_the_scheme_when_it_has_no_title_and_is_not_signed_without_an_issuer(run, bare, tmp_path):
    text = run("notice", "--data", bare, "--as-of", "2021-12-31").stdout
    clean(text)
    out = tmp_path / "通报.docx"
    result = run("notice", "--data", bare, "--as-of", "2021-12-31", "-o", out)
    assert result.exit_code == 0, result.output
    from docx import Document

    paragraphs = [p.text for p in Document(BytesIO(out.read_bytes())).paragraphs]
    assert "按照游仙区城市社区分类治理要求，现将重点工作任务推进情况通报如下。" in paragraphs
    body = "\n".join(paragraphs)
    clean(body)
    assert "中共绵阳市游仙区委" not in body
    ending = [p for p in paragraphs if p.strip()][-2:]
    assert ending[-1] == "2021年12月31日" and ending[0] != "区委组织部"  # dated, with no issuer line above it


def test_types_and_diff_without_metadata(run, bare):
    from zhili.domain.diff import diff
    from zhili.loading.registry import load_registry

    title = run("types", "--data", bare).stdout.splitlines()[0]
    assert title.strip() == "游仙区城市社区分类治理"
    changes = diff(load_registry(DATA), load_registry(bare)).changes
    assert [c.text for c in changes] == [
        f"修改方案“游仙区城市社区分类治理”：{label}：{old} → （无）" for label, old in (
            ("方案标题", "关于在城市社区开展分类治理的工作方案"), ("发文字号", "绵游委基治委发〔2021〕1号"),
            ("发文机关", "中共绵阳市游仙区委城乡基层治理委员会"), ("成文日期", "2021-03-10"))]
