"""The printable 台账 (docs/records/<year>/print.md) printed to PDF by headless Chromium.

Each activity type is one table starting on its own A4 page, landscape where its columns need it
(the meeting tables) and portrait otherwise (谈心谈话), with no blank page and none of the site's
chrome; the built site carries each year's .xlsx next to the pages, linked from this page.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from helpers.files import ROOT
from openpyxl import load_workbook

from macros.core.records.columns import LANDSCAPE_WIDTH, columns
from macros.core.records.model import load_types

pytestmark = pytest.mark.e2e
PT_PER_MM = 72 / 25.4
A4 = (210 * PT_PER_MM, 297 * PT_PER_MM)


@pytest.fixture(scope="module")
def pages(browser, served, tmp_path_factory) -> list[dict]:
    if not shutil.which("pdftotext"):
        pytest.fail("没有 pdftotext（apt-get install poppler-utils）")
    path = tmp_path_factory.mktemp("ledger") / "ledger.pdf"
    page = browser.new_page()
    page.goto(served + "records/2022/print/")
    page.pdf(path=str(path), prefer_css_page_size=True)
    page.close()
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = re.findall(r">([^<]+)</word>", match.group(3))
        found.append({"size": (float(match.group(1)), float(match.group(2))), "words": words, "text": "".join(words)})
    return found


def test_each_type_starts_a_page_in_its_orientation(pages):
    types = load_types(ROOT, [])
    starts = {}
    for number, page in enumerate(pages):
        titles = [m.group(1) for m in map(re.compile(r"^2022年(.+)台账$").match, page["words"]) if m]
        if titles:
            starts[titles[0]] = number
        assert re.sub(r"—\s*\d+\s*—", "", page["text"]).strip(), f"第{number + 1}页是空白页（只有页码）"
        assert abs(min(page["size"]) - A4[0]) < 2 and abs(max(page["size"]) - A4[1]) < 2
    assert list(starts) == [kind.name for kind in types.values()]  # every type, in order, first page first
    assert starts[next(iter(starts))] == 0
    for kind in types.values():
        page = pages[starts[kind.name]]
        landscape = page["size"][0] > page["size"][1]
        assert landscape == (sum(c.width for c in columns(kind, export=True) if c.printed) > LANDSCAPE_WIDTH), kind.name
    assert not any(word in page["text"] for page in pages for word in ("下载", "Ctrl", "首页", "搜索", "报送与打印"))


def test_site_carries_each_years_workbook(site):
    html = (site / "records/2022/print/index.html").read_text("utf-8")
    assert 'href="../ledger-2022.xlsx" download="机关党委办公室党支部2022年台账.xlsx"' in html
    wb = load_workbook(site / "records/2022/ledger-2022.xlsx", read_only=True)
    assert wb.sheetnames[0] == "说明" and "支部委员会会议" in wb.sheetnames


def test_every_printed_table_carries_the_sample_mark(pages):
    """The sample 2022 台账: each table's first page says it is sample data (the site's banner is not printed)."""
    starts = [page for page in pages if any(re.match(r"^2022年.+台账$", w) for w in page["words"])]
    assert len(starts) == len(load_types(ROOT, []))
    for page in starts:
        assert "示例数据，不是真实记录" in page["text"], page["words"][:3]


# -- the 逐月开展情况 grid and the 明细 tables, printed on portrait A4 ------------------------------------
# The printable width: A4's 210 mm less the margins of print.css (28 mm binding side, 26 mm the other)
PRINTABLE_MM = 210 - 28 - 26


@pytest.mark.parametrize("path", ["records/2022/", "records/2022/ledger/"])
def test_the_grid_and_tables_fit_the_printed_width(browser, served, path):
    """In print media at the printable width of an A4 page, no 台账 table reaches past the right margin:
    the last column (实到/应到人次) is printed, not cut."""
    page = browser.new_page(viewport={"width": round(PRINTABLE_MM * 96 / 25.4), "height": 1000})
    try:
        page.goto(served + path)
        page.emulate_media(media="print")
        width = page.evaluate("document.documentElement.clientWidth")
        edges = page.eval_on_selector_all(
            ".records-grid, .records-ledger table",
            "tables => tables.map(t => [t.getBoundingClientRect().right, t.querySelector('th:last-child').getBoundingClientRect().right])")
        assert edges, path
        for table_right, last_heading_right in edges:
            assert table_right <= width + 1 and last_heading_right <= width + 1, (edges, width)
    finally:
        page.close()


def test_the_grid_prints_whole_on_a4(browser, served, tmp_path):
    """Printed to PDF (A4): the grid's last heading and the last row's last cell are on the page."""
    page = browser.new_page()
    path = tmp_path / "grid.pdf"
    try:
        page.goto(served + "records/2022/")
        page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    finally:
        page.close()
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    first = re.search(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', out, re.S)
    page_width = float(first.group(1))
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', first.group(2))
    assert any("应到人次" in w for _, w in words) or any(w.endswith("人次") for _, w in words), words[:40]
    right_margin = 26 * PT_PER_MM
    assert max(float(x) for x, _ in words) <= page_width - right_margin + 2
    assert "98/100" in [w for _, w in words]  # the last column of the first row, whole
