"""The 全文 printed to PDF by headless Chromium: an official document (GB/T 9704-2012).

The PDF's text positions (poppler's pdftotext -bbox-layout) are measured: A4, text block
from 28 mm to 184 mm across, 22 lines a page on a 225 mm / 22 pitch starting at 37 mm,
28 characters a line, "— n —" page numbers (odd right, even left), none of the site's chrome.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from helpers.render import blocks, read

pytestmark = pytest.mark.e2e

PT_PER_MM = 72 / 25.4
PAGE = (210 * PT_PER_MM, 297 * PT_PER_MM)
TOP, BOTTOM, LEFT, RIGHT = (m * PT_PER_MM for m in (37, 35, 28, 26))
PITCH = 225 * PT_PER_MM / 22
CHROME = ["示例数据", "下载", "编者注", "疑为", "内部资料", "首页", "搜索", "下一页", "上一页", "Word"]
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def pdf(browser, served, tmp_path_factory):
    if not shutil.which("pdftotext"):
        pytest.fail("没有 pdftotext（apt-get install poppler-utils）")
    path = tmp_path_factory.mktemp("print") / "full.pdf"
    page = browser.new_page()
    page.goto(served + "2022/full/")
    page.pdf(path=str(path), prefer_css_page_size=True)
    page.close()
    return path


def pages(pdf) -> list[dict]:
    """Each page: its size and its text lines as (text, xMin, yMin, xMax, yMax)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    root = ET.fromstring(out.stdout.replace("<!DOCTYPE", "<!--").replace('dtd">', 'dtd-->', 1))
    found = []
    for page in root.iter(f"{NS}page"):
        lines = []
        for line in page.iter(f"{NS}line"):
            text = "".join(word.text or "" for word in line.iter(f"{NS}word"))
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            lines.append((text, *box))
        found.append({"size": (float(page.get("width")), float(page.get("height"))), "lines": lines})
    return found


def body_lines(page) -> list[tuple]:
    """The lines inside the text block (not the page number below it)."""
    return [line for line in page["lines"] if (line[2] + line[4]) / 2 < PAGE[1] - BOTTOM]


def width(text: str) -> float:
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def test_a4_pages(pdf):
    for page in pages(pdf):
        assert page["size"] == pytest.approx(PAGE, abs=0.5)


def test_text_block_margins_and_grid(pdf):
    found = pages(pdf)
    for number, page in enumerate(found, start=1):
        lines = body_lines(page)
        assert lines, number
        # left 28 mm; right 26 mm (justified lines reach it)
        assert min(line[1] for line in lines) >= LEFT - 1
        if number < len(found):  # (the last page may hold only the right-aligned 落款)
            assert min(line[1] for line in lines) == pytest.approx(LEFT, abs=1)
        assert max(line[3] for line in lines) <= PAGE[0] - RIGHT + 1.5
        # the first line sits in the first row of the grid under the 37 mm top margin
        centre = (lines[0][2] + lines[0][4]) / 2
        assert abs(centre - (TOP + PITCH / 2)) < PITCH / 2, number
        # fixed line height: every line on the 225 mm / 22 grid (blank lines skip whole rows)
        if number > 1:  # (the 22 pt title lines of page 1 are off the body grid)
            tops = sorted(line[2] for line in lines)
            for upper, lower in zip(tops, tops[1:], strict=False):
                rows = (lower - upper) / PITCH
                assert round(rows) >= 1 and abs(rows - round(rows)) < 0.03, (number, upper, lower)
            rows = [(top - tops[0]) / PITCH for top in tops]
            assert rows[-1] <= 21.1, number  # 22 rows at most
    full = [len(body_lines(page)) for page in found[1:-1]]
    # full pages; a page may end early to keep a heading with its text or the 落款 with the body
    assert max(full) == 22 and min(full) >= 22 - 4, full
    # 28 characters a line: a line of Chinese text only holds 28 (a first line 26 after its indent)
    chinese = [line[0] for page in found for line in body_lines(page) if width(line[0]) == len(line[0])]
    assert max(len(text) for text in chinese) == 28
    full_lines = [line for page in found for line in body_lines(page) if line[1] == pytest.approx(LEFT, abs=1)]
    assert any(len(line[0]) == 28 for line in full_lines)


def test_page_numbers_odd_right_even_left(pdf):
    for number, page in enumerate(pages(pdf), start=1):
        below = [line for line in page["lines"] if (line[2] + line[4]) / 2 > PAGE[1] - BOTTOM]
        assert len(below) == 1, (number, below)
        text, x_min, y_min, x_max, _ = below[0]
        assert re.sub(r"\s", "", text) == f"—{number}—"
        assert y_min > PAGE[1] - BOTTOM  # below the text block
        one_char = 14  # 4号, 空一字
        if number % 2:
            assert x_max == pytest.approx(PAGE[0] - RIGHT - one_char, abs=1.5)
        else:
            assert x_min == pytest.approx(LEFT + one_char, abs=1.5)


def test_no_site_chrome_only_the_document(pdf, site):
    found = pages(pdf)
    for word in CHROME:
        assert not any(word in line[0] for page in found for line in page["lines"]), word
    text = "".join(line[0] for page in found for line in body_lines(page))
    html = read(site, "2022/full")
    title = blocks(html)[0].text
    assert text.startswith(title)
    assert text.endswith("机关党委办公室党支部2023年1月10日")
    # every paragraph of the body is printed
    printed = re.sub(r"\s", "", text)
    for block in blocks(html, root_class="report-body"):
        assert re.sub(r"\s", "", block.text) in printed


def test_signature_right_aligned_two_characters_in(pdf):
    last = body_lines(pages(pdf)[-1])
    # never alone on a page: at least two lines of the body go with it (widows), a blank line between
    assert len(last) >= 4 and last[-3][0] not in ("", "机关党委办公室党支部"), last
    assert round((last[-2][2] - last[-3][2]) / PITCH) == 2
    name, date = last[-2:]
    assert (name[0], date[0]) == ("机关党委办公室党支部", "2023年1月10日")
    for line in (name, date):
        assert line[3] == pytest.approx(PAGE[0] - RIGHT - 2 * (156 * PT_PER_MM / 28), abs=2)


def test_page_count_is_plausible(pdf, site):
    """As many pages as the text needs on a 22 × 28 grid (title 2 lines + 1 blank, 落款 1 blank + 2)."""
    html = read(site, "2022/full")
    lines = 3 + 3
    for block in blocks(html, root_class="report-body"):
        indent = 2
        lines += math.ceil((indent + width(block.text)) / 28)
    expected = math.ceil(lines / 22)
    assert abs(len(pages(pdf)) - expected) <= 1, (len(pages(pdf)), expected)


def test_pages_render_to_images(pdf, tmp_path):
    """pdftoppm can render each page (the pictures looked at while building this layout)."""
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(pages(pdf)) and all(image.stat().st_size > 1000 for image in images)
