"""The report in a real browser: headless Chromium renders it to PNG (screen and phone) and PDF (A4)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import DATA, TAICANG

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)



def _chromium(tmp_path: Path, *args: str) -> None:
    if CHROMIUM is None:  # a missing browser is a failure that says what to install, never a silent skip
        pytest.fail("Chromium 未安装（Debian：apt-get install chromium；.ci/run 会安装），无法在真实浏览器中渲染报告",
                    pytrace=False)
    profile = tmp_path / "profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB(A) rows of an 8-bit PNG (what Chromium writes), unfiltered."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if bpp == 3 else bytes(v for j, v in enumerate(line) if j % 4 != 3))
        prev = line
    return width, height, rows


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    from click.testing import CliRunner

    from zhili.cli.app import cli

    target = tmp_path_factory.mktemp("browser") / "report.html"
    result = CliRunner().invoke(cli, ["report", "--data", str(DATA), "--year", "2021", "--as-of", "2021-12-31", "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_report_renders_in_chromium_on_a_phone(report_file, tmp_path):
    size = "390,1300"
    shot = tmp_path / "report.png"
    _chromium(tmp_path, f"--screenshot={shot}", f"--window-size={size}", report_file.as_uri())
    width, height, rows = _pixels(shot.read_bytes())
    assert (width, height) == tuple(int(v) for v in size.split(","))
    # the charts drew: the 先进 (green), 后进 (red) and type-count (blue) bars are on the page
    for colour in ((0x2E, 0x7D, 0x32), (0xC6, 0x28, 0x28), (0x1D, 0x4E, 0x89)):
        assert any(row[i:i + 3] == bytes(colour) for row in rows[::2] for i in range(0, len(row), 3)), colour
    # nothing sticks out sideways on a phone: the right-most column of pixels is page background
    assert all(row[-3:] == b"\xff\xff\xff" for row in rows)


def test_report_prints_on_a4(report_file, tmp_path):
    pdf = tmp_path / "report.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report_file.as_uri())
    data = pdf.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes
    for w, h in boxes:  # A4 is 595 × 842 points
        assert abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5


@pytest.mark.parametrize("data,year", [(DATA, "2021"), (DATA, "2022"), (TAICANG, "2022"), (TAICANG, "2023")])
def test_report_prints_on_the_pages_it_announces(tmp_path, data, year):
    from click.testing import CliRunner

    from zhili.cli.app import cli

    html = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--data", str(data), "--year", year, "--as-of", f"{year}-12-31", "-o", str(html)])
    assert result.exit_code == 0, result.output
    announced = int(re.search(r"A4 打印共 (\d+) 页", html.read_text(encoding="utf-8")).group(1))
    pdf = tmp_path / "report.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == announced
    if shutil.which("pdftotext"):  # each printed page carries its own number (poppler-utils, installed with LibreOffice)
        for i in range(1, pages + 1):
            text = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout
            assert f"第 {i} 页，共 {announced} 页" in text
