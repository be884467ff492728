"""The .xlsx and .docx files opened as people will open them: LibreOffice (headless) prints them to PDF, and
poppler (pdfinfo, pdftotext) reads the pages back. Without LibreOffice these tests fail and say how to
install it (.ci/run installs it from Debian's packages); they never skip."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, TAICANG

SOFFICE = next((shutil.which(n) for n in ("soffice", "libreoffice") if shutil.which(n)), None)
INSTALL = ("apt-get install libreoffice-calc libreoffice-writer fonts-noto-cjk poppler-utils"
           "（.ci/run 会自动安装）")

# name of the file -> the zhili command that writes it
FILES = {
    "ledger-sheet.xlsx": ["tasks", "--data", DATA, "--as-of", "2021-12-31"],
    "ledger.docx": ["tasks", "--data", DATA, "--as-of", "2021-12-31"],
    "rank.docx": ["rank", "--data", DATA, "--year", "2021"],
    "rank-sheet.xlsx": ["rank", "--data", DATA, "--year", "2021"],
    "notice.docx": ["notice", "--data", DATA, "--as-of", "2021-12-31"],
    "notice-taicang.docx": ["notice", "--data", TAICANG, "--as-of", "2022-12-31"],
    "ledger-taicang.docx": ["tasks", "--data", TAICANG, "--as-of", "2022-12-31"],
    "coverage-taicang.xlsx": ["coverage", "--data", TAICANG, "--as-of", "2022-12-31"],
}


def _need(tool: str | None, what: str) -> str:
    if tool is None:
        pytest.fail(f"{what} 未安装，无法检查打印效果。请安装：{INSTALL}", pytrace=False)
    return tool


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    """Every file of FILES written by zhili and converted to PDF by one LibreOffice run."""
    soffice = _need(SOFFICE, "LibreOffice（soffice）")
    _need(shutil.which("pdftotext"), "poppler-utils（pdftotext）")
    _need(shutil.which("pdfinfo"), "poppler-utils（pdfinfo）")
    out = tmp_path_factory.mktemp("office")
    runner = CliRunner()
    for name, args in FILES.items():
        result = runner.invoke(__import__("zhili.cli.app", fromlist=["cli"]).cli, [*map(str, args), "-o", str(out / name)])
        assert result.exit_code == 0, (name, result.output)
    profile = out / "profile"
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(out / "pdf"), *[str(out / n) for n in FILES]],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    pdfs = {name: out / "pdf" / (Path(name).stem + ".pdf") for name in FILES}
    missing = [n for n, p in pdfs.items() if not p.exists()]
    assert not missing, (missing, done.stdout[-2000:], done.stderr[-2000:])
    return pdfs


def _info(pdf: Path) -> tuple[int, float, float]:
    """(pages, width, height) in points."""
    text = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    w, _, h = fields["Page size"].split()[:3]
    return int(fields["Pages"]), float(w), float(h)


def _page_text(pdf: Path, page: int) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True)
    return done.stdout


def _landscape_a4(w: float, h: float) -> bool:
    return abs(w - 841.9) < 2 and abs(h - 595.3) < 2


def _portrait_a4(w: float, h: float) -> bool:
    return abs(w - 595.3) < 2 and abs(h - 841.9) < 2


@pytest.mark.parametrize("name", ["ledger-sheet.xlsx", "ledger.docx"])
def test_a_ledger_of_30_tasks_prints_on_at_most_3_landscape_pages(printed, name):
    pages, w, h = _info(printed[name])
    assert 1 <= pages <= 3, pages
    assert _landscape_a4(w, h), (w, h)
    text = "".join(_page_text(printed[name], p) for p in range(1, pages + 1))
    # every task is there, the longest (29) whole: wrapped, not cut off
    for title in ("理顺治理主体关系", "用好用活社区资源", "支持货币方式移交"):
        assert title in text.replace("\n", "").replace(" ", ""), title
    assert "在规划中落实社区服务设施" in text.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("name", ["ledger-sheet.xlsx", "ledger.docx"])
def test_the_header_row_is_repeated_on_every_page(printed, name):
    pages, _, _ = _info(printed[name])
    for p in range(1, pages + 1):
        head = _page_text(printed[name], p).replace(" ", "")
        assert "牵头单位" in head, (name, p)


def test_the_sheet_prints_its_title_as_of_date_and_page_numbers(printed):
    pages, _, _ = _info(printed["ledger-sheet.xlsx"])
    first = _page_text(printed["ledger-sheet.xlsx"], 1).replace(" ", "")
    assert "游仙区城市社区分类治理重点工作任务台账" in first
    assert "截至2021年12月31日" in first
    assert f"第1页，共{pages}页" in first


def test_the_word_ledger_merges_type_cells_like_the_attachment(printed):
    raw = subprocess.run(["pdftotext", "-raw", str(printed["ledger.docx"]), "-"], capture_output=True, text=True,
                         check=True).stdout
    flat = raw.replace(" ", "").replace("\n", "")
    assert flat.startswith("游仙区城市社区分类治理重点工作任务台账")
    # six tasks of 商品住宅型社区, the type written once in its merged cell
    assert flat.count("商品住宅型社区") == 1
    assert flat.count("老旧院落型社区") == 1


def test_the_ranking_prints_per_type_with_advanced_and_lagging(printed):
    pages, w, h = _info(printed["rank.docx"])
    assert _landscape_a4(w, h)
    text = "".join(_page_text(printed["rank.docx"], p) for p in range(1, pages + 1)).replace(" ", "")
    for heading in ("商品住宅型社区排队", "老旧院落型社区排队", "单位集中型社区排队", "城乡融合型社区排队"):
        assert heading in text
    assert text.count("先进") >= 8 and text.count("后进") >= 8


@pytest.mark.parametrize("name,issuer,date,recipients", [
    ("notice.docx", "区委组织部", "2021年12月31日", "经济试验区，各街道党工委"),
    ("notice-taicang.docx", "市民政局", "2022年12月31日", "各镇人民政府"),
])
def test_the_notice_is_a_portrait_a4_document_signed_and_dated_at_the_end(printed, name, issuer, date, recipients):
    pages, w, h = _info(printed[name])
    assert _portrait_a4(w, h)
    text = "".join(_page_text(printed[name], p) for p in range(1, pages + 1))
    flat = text.replace(" ", "").replace("\n", "")
    assert "督导通报" in flat and recipients in flat
    for heading in ("一、总体情况", "二、逾期任务", "三、推进缓慢的任务", "四、有关要求"):
        assert heading in flat
    tail = [line.replace(" ", "") for line in _page_text(printed[name], pages).splitlines() if line.strip()]
    assert tail[-3:-1] == [issuer, date] or tail[-2:] == [issuer, date], tail[-4:]
    assert tail[-1] == f"—{pages}—"


def test_coverage_prints_its_rates(printed):
    pages, w, h = _info(printed["coverage-taicang.xlsx"])
    assert _landscape_a4(w, h)
    text = _page_text(printed["coverage-taicang.xlsx"], 1)
    assert "覆盖率" in text and "%" in text
