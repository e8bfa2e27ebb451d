"""数据一览: every figure across the years, the change arithmetic, and the charts' safety."""

from __future__ import annotations

import dataclasses
import re

import pytest
from helpers.files import ROOT
from helpers.render import plain

from macros.core.load import load_site
from macros.pages import yoy
from macros.site.assets import THEME

SITE = load_site(ROOT, ROOT / "docs")
KEY_FIGURES = [k for k, f in SITE.figures.items() if f.key_figure]


def table_rows(html: str) -> dict:
    """数据一览 table: key -> {year: cell text}."""
    rows = {}
    for key, row in re.findall(r'<tr data-fig="([^"]+)">(.*?)</tr>', plain(html)):
        found = re.findall(r'<td data-year="(\d{4})">(.*?)</td>', row)
        rows[key] = {year: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for year, cell in found}
    return rows


def two_years(values_2023: dict, values_2022: dict | None = None) -> object:
    """The real data with a second year (copies: the module's SITE is never changed)."""
    first = dataclasses.replace(SITE.years[2022], values={**SITE.years[2022].values, **(values_2022 or {})})
    later = dataclasses.replace(first, year=2023, values={**first.values, **values_2023})
    return dataclasses.replace(SITE, years={2022: first, 2023: later})


def test_one_year_lists_every_figure_and_says_why_no_change():
    html = yoy.table(SITE)
    rows = table_rows(html)
    assert {key: cells["2022"] for key, cells in rows.items()} == {
        k: str(v) for k, v in SITE.years[2022].values.items()
    }
    assert "目前只有 2022 年度一个年度的数据" in html
    assert "↑" not in html and "↓" not in html


def test_charts_of_the_key_figures():
    html = yoy.charts(SITE)
    charts = re.findall(r'<figure class="yoy-chart" data-fig="([^"]+)">', plain(html))
    assert charts == KEY_FIGURES and len(charts) == 5


def test_two_years_side_by_side_with_the_change():
    site = two_years({"study.sessions": 30, "lecture.secretary": 3, "branch.committee_meetings": 12,
                      "docs.plans": 37, "publicity.newspaper": "新机关"},
                     {"study.sessions": 24, "lecture.secretary": 4, "branch.committee_meetings": 12, "docs.plans": 36})
    rows = table_rows(yoy.table(site))
    assert rows["study.sessions"] == {"2022": "24", "2023": "30 ↑ 25%"}
    assert rows["lecture.secretary"]["2023"] == "3 ↓ 25%"
    assert rows["branch.committee_meetings"]["2023"] == "12 → 持平"
    assert rows["docs.plans"]["2023"] == "37 ↑ 2.8%"
    assert rows["publicity.newspaper"]["2023"] == "新机关"  # text: no change computed
    html = str(yoy.table(site))
    assert "目前只有" not in html
    chart = str(yoy.chart(site, "study.sessions"))
    assert "2022年 24、2023年 30" in chart
    assert re.findall(r'class="value">(\d+)</text>', chart) == ["24", "30"]


def test_charts_are_inline_svg_without_script_or_outside_reference():
    svgs = re.findall(r"<figure class=\"yoy-chart\".*?</figure>", str(yoy.charts(SITE)), re.S)
    assert len(svgs) == 5
    for svg in svgs:
        assert "<script" not in svg and "javascript" not in svg.lower()
        assert not re.search(r"(?:href|src)=|@import|url\(|googleapis", svg)
        assert 'aria-hidden="true"' in svg
        assert re.search(r'<svg [^>]*data-search-exclude=""', svg), "bar positions are not search text"
        assert "currentColor" in svg and "var(--md-primary-fg-color)" in svg  # dark mode and print
        assert re.search(r'id="chart-yoy-[a-z-]+"', svg), "a stable id: the same data builds the same page"
    assert yoy.charts(SITE) == yoy.charts(SITE)
    assert "@media print" in (THEME / "stylesheets/yoy.css").read_text("utf-8")


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
        (True, 2, None),
        ("机关", "新机关", None),
    ],
)
def test_change(before, after, shown):
    result = yoy.change(before, after)
    assert (result[1] if result else None) == shown


def test_text_from_data_is_escaped_in_table_and_chart():
    evil = '<script>alert(1)</script>&"'
    figure = dataclasses.replace(SITE.figures["study.sessions"], label=evil, unit="<b>次")
    year = dataclasses.replace(SITE.years[2022], values={**SITE.years[2022].values,
                                                         "publicity.newspaper": "<img src=x onerror=alert(1)>"})
    site = dataclasses.replace(SITE, figures={**SITE.figures, "study.sessions": figure}, years={2022: year})
    html = plain(str(yoy.table(site)) + str(yoy.chart(site, "study.sessions")))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_chart_marks_an_unfilled_year():
    html = str(yoy.chart(two_years({"study.sessions": None}), "study.sessions"))
    assert "2023（待填）" in html and "2022年 24、2023年 待填" in html
    assert re.findall(r'class="value">(\d+)</text>', html) == ["24"]
