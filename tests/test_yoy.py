"""数据一览 on the real (one-year) site, the change arithmetic, and the charts' safety."""

from __future__ import annotations

import dataclasses
import re

import pytest
import yaml
from conftest import ROOT, read
from test_newyear import table_rows

from macros import data, yoy

VALUES = yaml.safe_load((ROOT / "data/2022/figures.yaml").read_text("utf-8"))
KEY_FIGURES = [k for k, f in data.load_site(ROOT).figures.items() if f.key_figure]


def test_one_year_page_lists_every_figure_and_says_why_no_change(site):
    html = read(site, "figures")
    rows = table_rows(html)
    assert {key: cells["2022"] for key, cells in rows.items()} == {k: str(v) for k, v in VALUES.items()}
    assert "目前只有 2022 年度一个年度的数据" in html
    assert "↑" not in html.split("全部数据项")[-1] and "↓" not in html.split("全部数据项")[-1]
    charts = re.findall(r'<figure class="yoy-chart" data-fig="([^"]+)">', html)
    assert charts == KEY_FIGURES and len(charts) == 5


def test_page_is_its_own_tab(site):
    home = read(site, "")
    assert re.search(r'<a href="figures/"[^>]*class="md-tabs__link"[^>]*>\s*数据一览', home) or re.search(
        r'class="md-tabs__link"[^>]*href="figures/"[^>]*>\s*数据一览', home
    ), "数据一览 tab"


def test_charts_are_inline_svg_without_script_or_outside_reference(site):
    html = read(site, "figures")
    svgs = re.findall(r"<figure class=\"yoy-chart\".*?</figure>", html, re.S)
    assert len(svgs) == 5
    for svg in svgs:
        assert "<script" not in svg and "javascript" not in svg.lower()
        assert not re.search(r"(?:href|src)=|@import|url\(|googleapis", svg)
        assert 'aria-hidden="true"' in svg
        assert "currentColor" in svg and "var(--md-primary-fg-color)" in svg  # dark mode and print
        assert re.search(r'id="chart-yoy-[a-z-]+"', svg), "a stable id: the same data builds the same page"
    css = (ROOT / "docs/stylesheets/yoy.css").read_text("utf-8")
    assert "@media print" in css


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        (24, 30, "↑ 25%"),
        (4, 3, "↓ 25%"),
        (36, 37, "↑ 2.8%"),
        (12, 12, "→ 持平"),
        (0, 2, "↑ 新增"),
        (None, 2, None),
        (2, None, None),
        ("机关", "新机关", None),
    ],
)
def test_change(before, after, shown):
    result = yoy.change(before, after)
    assert (result[1] if result else None) == shown


def test_text_from_data_is_escaped_in_table_and_chart():
    site = data.load_site(ROOT)
    evil = '<script>alert(1)</script>&"'
    figure = dataclasses.replace(site.figures["study.sessions"], label=evil, unit="<b>次")
    site.figures = {**site.figures, "study.sessions": figure}
    site.years[2022].values = {**site.years[2022].values, "publicity.newspaper": "<img src=x onerror=alert(1)>"}
    html = str(yoy.table(site)) + str(yoy.chart(site, "study.sessions"))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_chart_in_dark_mode_uses_the_page_colours(served, browser):
    page = browser.new_page(color_scheme="dark")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served + "figures/")
    fill = page.eval_on_selector(".yoy-chart text.value", "e => getComputedStyle(e).fill")
    body = page.eval_on_selector("body", "e => getComputedStyle(e).color")
    bar = page.eval_on_selector(".yoy-chart rect.reactive", "e => getComputedStyle(e).fill")
    primary = page.eval_on_selector(
        "body", "e => getComputedStyle(e).getPropertyValue('--md-primary-fg-color').trim()"
    )
    page.emulate_media(media="print")  # printed on white paper: black text, even from a dark screen
    printed = page.eval_on_selector(".yoy-chart text.value", "e => getComputedStyle(e).fill")
    page.close()
    assert fill == body and fill.startswith("rgba(226"), (fill, body)  # light text on the dark page, not black
    assert printed == "rgb(0, 0, 0)", printed
    assert bar not in ("rgb(0, 0, 0)", "none") and primary
    assert all(url.startswith(served) for url in requests), [u for u in requests if not u.startswith(served)]


def test_chart_marks_an_unfilled_year():
    site = data.load_site(ROOT)
    later = dataclasses.replace(site.years[2022], year=2023, values={**site.years[2022].values, "study.sessions": None})
    site.years = {**site.years, 2023: later}
    html = str(yoy.chart(site, "study.sessions"))
    assert "2023（待填）" in html and "2022年 24、2023年 待填" in html
    assert re.findall(r'class="value">(\d+)</text>', html) == ["24"]
