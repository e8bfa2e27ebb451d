"""The 脱敏版 is rendered from masked data (macros/core/redact.py): one `*` per digit of a count, the
catalogue's mask for a text, 待填 stays 待填; what masks cannot hide (verdicts, charts) is withheld.
That no real value reaches any file of the built 脱敏版 is checked on the real build (tests/e2e)."""

from __future__ import annotations

import re
from html import unescape

from helpers.files import ROOT
from helpers.render import blocks, here, markdown_html

from macros.core.load import load_site
from macros.core.redact import Mask, mask, masked_data
from macros.pages import yoy
from macros.pages.guide import Guide
from macros.pages.render import Renderer, download_links

DOCS = ROOT / "docs"
REAL = load_site(ROOT, DOCS)
MASKED = masked_data(REAL)


def test_counts_show_a_star_per_digit_texts_their_catalogue_mask():
    for key, figure in REAL.figures.items():
        value = REAL.years[2022].values[key]
        expected = "*" * len(str(value)) if figure.type == "count" else figure.mask
        assert MASKED.years[2022].values[key] == expected, key
        assert isinstance(MASKED.years[2022].values[key], Mask)


def test_a_text_mask_never_derives_from_the_value():
    figure = REAL.figures["publicity.newspaper"]
    assert mask(figure, "很长很长的报纸名称") == mask(figure, "报") == figure.mask


def test_unfilled_stays_unfilled_and_the_real_data_is_untouched():
    import dataclasses

    year = dataclasses.replace(REAL.years[2022], values={**REAL.years[2022].values, "study.sessions": None})
    masked = masked_data(dataclasses.replace(REAL, years={2022: year}))
    assert masked.years[2022].values["study.sessions"] is None
    assert REAL.years[2022].values["study.sessions"] == 24 and not REAL.withheld
    assert masked.withheld


def test_masked_figures_render_as_stars_markdown_never_reads_as_emphasis():
    renderer = Renderer(MASKED, DOCS)
    sentence = "".join(str(renderer.fig(here("2022/work/political.md", redacted=True), k))
                       for k in ("study.sessions", "lecture.secretary"))
    html = markdown_html(f"学习{sentence}次")
    assert "<em>" not in html and "<strong>" not in html
    (block,) = blocks(html, root_class=None)
    assert block.text == "学习***次"
    assert block.figs == [("study.sessions", "**"), ("lecture.secretary", "*")]
    assert 'class="fig fig--masked"' in html
    assert 'title="组织党员学习次数（次）"' in html  # the label stays, the value goes


def test_cards_and_overview_show_masks_only():
    html = Renderer(MASKED, DOCS).key_figures(here("2022/index.md", redacted=True))
    values = re.findall(r'<div class="fig-card__value"><span [^>]*>([^<]*)</span>', html)
    assert len(values) == 5 and all(set(unescape(v)) == {"*"} for v in values)


def test_figures_table_masks_and_charts_are_withheld():
    table = yoy.table(MASKED)
    assert ">24<" not in table and "&#42;&#42;" in table
    assert yoy.charts(MASKED) == '<p class="yoy-note">脱敏版不显示数据图表（柱高即数值）。</p>'
    assert "yoy-chart" in yoy.charts(REAL)


def test_guide_pages_show_no_value():
    guide = Guide(MASKED, DOCS)
    html = markdown_html(guide.completeness(here("guide/completeness.md", redacted=True)))
    text = unescape(html)
    assert "全年共组织党员学习24次" not in text and "<mark>24</mark>" not in text
    assert "<mark>**</mark>" in text
    example = unescape(str(guide.error_example("value", "study.sessions", "十二")))
    assert "<code>study.sessions: **</code> 改成 <code>study.sessions: 十二</code>" in example
    assert "study.sessions: 24" not in example


def test_download_names_say_so():
    links = download_links(here("2022/full.md", redacted=True).ctx, "2022/full.md", 2022, "报告")
    assert [link["name"] for link in links] == ["报告（脱敏版）.docx", "报告（脱敏版）.txt"]
    normal = download_links(here("2022/full.md").ctx, "2022/full.md", 2022, "报告")
    assert [link["name"] for link in normal] == ["报告.docx", "报告.txt"]
