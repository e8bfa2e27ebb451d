"""The report's macros in process: figures, cards, the years list, title, 落款, section links, the
全文's includes; the templating seam (data is inert) and the build context's links."""

from __future__ import annotations

import dataclasses

import pytest
from helpers.files import ROOT
from helpers.render import blocks, here, markdown_html
from markupsafe import Markup

from macros.core import catalogue
from macros.core import load as data
from macros.core.errors import PageError
from macros.pages.context import BuildContext
from macros.pages.render import Renderer
from macros.pages.templating import inert, render

DOCS = ROOT / "docs"
SITE = data.load_site(ROOT, DOCS)
REPORT = Renderer(SITE, DOCS)


def tiny_site(value="<i>x</i>", label="名<称>", **report):
    figures = {"a.b": catalogue.Figure("a.b", label, "text", "一、", mask="**")}
    year = data.Year(2022, {"title": "t", "date": "2023-01-10", "sample": False, **report}, {"a.b": value}, None)
    return data.SiteData(ROOT, {"name": "支部"}, figures, {2022: year})


# -- the real data -----------------------------------------------------------------------------
def test_real_data_loads_with_every_catalogue_figure():
    assert SITE.latest == 2022
    assert set(SITE.years[2022].values) == set(SITE.figures)
    assert len(SITE.figures) == 26  # 26 masks; 书记讲党课 and 微党课 are each stated twice; 2 from the roster
    assert SITE.years[2022].sample is True
    assert SITE.unfilled() == []


def test_usages_record_page_and_line():
    uses = [u for u in SITE.usages if u.key == "study.sessions"]
    assert ("2022/work/political.md", 5) in {(u.page, u.line) for u in uses}


# -- one figure -----------------------------------------------------------------------------------
def test_fig_renders_value_and_label_tooltip():
    html = REPORT.fig(here("2022/work/political.md"), "study.sessions")
    assert html == '<span class="fig" data-fig="study.sessions" title="组织党员学习次数（次）">24</span>'


def test_fig_escapes_text_and_label():
    html = Renderer(tiny_site(), DOCS).fig(here("2022/x.md"), "a.b")
    assert html == '<span class="fig" data-fig="a.b" title="名&lt;称&gt;">&lt;i&gt;x&lt;/i&gt;</span>'


def test_markdown_in_a_text_datum_stays_literal_on_the_page():
    for typed in ("**粗**", "[链](javascript:alert(1))", "`代码`", "{{ fig('a.b') }}", "<script>alert(1)</script>"):
        fig = Renderer(tiny_site(value=typed, label="名称"), DOCS).fig(here("2022/x.md"), "a.b")
        html = markdown_html(f"在{fig}报发表文章。")
        (block,) = blocks(html, root_class=None)
        assert block.text == f"在{typed}报发表文章。", typed
        assert block.figs == [("a.b", typed)]
        assert "<script>" not in html and "<strong>" not in html and "<a " not in html and "<code>" not in html


def test_unfilled_figure_is_marked_and_warned_once(caplog):
    site = dataclasses.replace(SITE, years={2022: dataclasses.replace(
        SITE.years[2022], values={**SITE.years[2022].values, "study.sessions": None})})
    renderer = Renderer(site, DOCS)
    with caplog.at_level("WARNING"):
        first = renderer.fig(here("2022/work/political.md"), "study.sessions")
        renderer.fig(here("2022/full.md"), "study.sessions")
    assert first == ('<span class="fig fig--missing" data-fig="study.sessions" title="组织党员学习次数（次）：待填"'
                     ' aria-label="组织党员学习次数（次）：待填">待填</span>')
    line = SITE.years[2022].doc.line("study.sessions")
    assert [r.getMessage() for r in caplog.records] == [
        f"data/2022/figures.yaml:{line}: 组织党员学习次数 (study.sessions)：待填"
    ]


def test_unknown_key_raises():
    with pytest.raises(KeyError, match="未知数据项 no.such"):
        REPORT.fig(here("2022/x.md"), "no.such")


def test_the_year_comes_from_the_page_or_the_call():
    assert REPORT.year_of("2022/work/political.md") == 2022
    assert REPORT.year_of("guide/index.md") == 2022  # outside a year: the latest
    assert REPORT.year_of("1999/x.md") == 2022  # a year without data: the latest
    assert REPORT.year_of("guide/index.md", "2022") == 2022


# -- the overview, the home page, title and 落款 ----------------------------------------------------
def test_overview_cards_show_every_key_figure_linking_to_its_sentence():
    html = REPORT.key_figures(here("2022/index.md"))
    keys = [k for k, f in SITE.figures.items() if f.key_figure]
    assert len(keys) == 5 and html.count('class="fig-card"') == 5
    import re
    from html import unescape

    cards = re.findall(r'data-fig="([^"]+)" title="[^"]*">([^<]*)</span><span class="fig-card__unit">', html)
    assert [(unescape(k), v) for k, v in cards] == [(k, str(SITE.years[2022].values[k])) for k in keys]
    assert '<a class="fig-card__link" href="work/political/">见原文</a>' in html
    assert REPORT.key_figures(here("2022/full.md", fulltext=True)) == ""


def test_years_list_newest_first_with_full_text_links():
    html = REPORT.years_list(here("index.md"))
    assert html == (
        '<ul class="years"><li><a href="2022/">机关党委办公室党支部关于2022年度全面从严治党工作情况的报告</a>'
        '<span class="year-latest">最新</span>（<a href="2022/full/">全文</a>）</li></ul>'
    )
    offline = REPORT.years_list(here("index.md", directory_urls=False))
    assert 'href="2022/index.html"' in offline and 'href="2022/full.html"' in offline


def test_report_title_and_signature_from_data():
    assert REPORT.report_title(here("2022/full.md")) == "机关党委办公室党支部关于2022年度全面从严治党工作情况的报告"
    assert REPORT.signature(here("2022/full.md")) == (
        '<div class="report-signature"><p>机关党委办公室党支部</p><p>2023年1月10日</p></div>'
    )


def test_signature_of_a_new_year_before_its_date_is_set(caplog):
    renderer = Renderer(tiny_site(date="待填"), DOCS)
    with caplog.at_level("WARNING"):
        html = renderer.signature(here("2022/full.md"))
    assert '<span class="fig fig--missing" title="落款日期：待填">待填</span>' in html
    assert [r.getMessage() for r in caplog.records] == ["data/2022/report.yaml: 落款日期 (date)：待填"]


def test_section_index_lists_its_parts_in_document_order():
    html = REPORT.section_links(here("2022/work/index.md"))
    titles = [(DOCS / f"2022/work/{name}.md").read_text("utf-8").splitlines()[0][2:]
              for name in ("political", "standards", "conduct")]
    assert [b.text for b in blocks(html, root_class=None)] == titles
    assert 'href="political/"' in html and html.index("political/") < html.index("standards/") < html.index("conduct/")
    assert REPORT.section_links(here("2022/work/index.md", fulltext=True)) == ""


# -- the 全文 -------------------------------------------------------------------------------------
def test_include_section_reads_a_page_beside_without_its_front_matter():
    source = REPORT.section_source(here("2022/full.md"), "work/political.md")
    assert source.startswith("# （一）强化政治机关意识")
    index = REPORT.section_source(here("2022/full.md"), "index.md")
    assert not index.startswith("---")


@pytest.mark.parametrize("name", ["../../mkdocs.yml", "/etc/passwd.md", "../../data/2022/figures.yaml", "../../../x.md", "../../README.md"])
def test_include_section_refuses_anything_but_a_page_in_docs(name):
    with pytest.raises(PageError, match="include_section 只能包含"):
        REPORT.section_source(here("2022/full.md"), name)


def test_include_section_of_a_missing_page_names_the_file():
    with pytest.raises(FileNotFoundError):
        REPORT.section_source(here("2022/full.md"), "problemz.md")


def test_headings_shift_down_inside_the_full_text():
    text = "# 一、甲\n\n正文 # 不是标题\n\n## （一）乙\n\n###### 六\n"
    assert Renderer.shift_headings(text, 1) == "## 一、甲\n\n正文 # 不是标题\n\n### （一）乙\n\n###### 六\n"
    assert Renderer.shift_headings(text, 0) == text


# -- templating: data is inert, markup only from templates -----------------------------------------
def test_inert_escapes_html_and_markdown_punctuation():
    assert inert("<b>*x*</b> [a](b) {{ c }}") == (
        "&lt;b&gt;&#42;x&#42;&lt;/b&gt; &#91;a&#93;&#40;b&#41; &#123;&#123; c &#125;&#125;"
    )
    assert inert("'\"&#") == "&#39;&#34;&amp;&#35;"  # markupsafe's references are not escaped again
    assert inert(None) == "" and inert(Markup("<b>ok</b>")) == "<b>ok</b>"


def test_templates_escape_values_in_text_and_attributes():
    figure = catalogue.Figure("k", 'a"<b>', "text", "一、")
    html = render("fig.html", figure=figure, value="1 & 2", masked=False)
    assert html == '<span class="fig" data-fig="k" title="a&#34;&lt;b&gt;">1 &amp; 2</span>'


def test_undefined_template_values_fail_loudly():
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        render("fig.html", value=1, masked=False)


# -- the build context's links -------------------------------------------------------------------
def test_links_between_pages_with_directory_urls():
    ctx = BuildContext()
    assert ctx.page_url("2022/index.md") == "2022/" and ctx.page_url("2022/work/political.md") == "2022/work/political/"
    assert ctx.href("2022/index.md", "2022/work/political.md") == "work/political/"
    assert ctx.href("2022/work/political.md", "2022/full.md") == "../../full/"
    assert ctx.href("index.md", "2022/index.md") == "2022/"
    assert ctx.href("2022/index.md", "2022/index.md") == "."
    assert ctx.href("2022/plan/index.md", "2022/plan/tasks.md", "task-t1") == "tasks/#task-t1"
    assert ctx.file_href("2022/full.md", "2022/report-2022.docx") == "../report-2022.docx"
    assert ctx.file_href("2022/index.md", "2022/report-2022.docx") == "report-2022.docx"


def test_links_between_pages_in_the_offline_copy():
    ctx = BuildContext(directory_urls=False)
    assert ctx.page_url("2022/index.md") == "2022/index.html"
    assert ctx.href("index.md", "2022/index.md") == "2022/index.html"
    assert ctx.href("2022/work/political.md", "2022/full.md") == "../full.html"
    assert ctx.file_href("2022/full.md", "2022/report-2022.docx") == "report-2022.docx"


def test_flags_come_from_the_config():
    config = {"extra": {"redacted": "yes"}, "use_directory_urls": False, "strict": True}
    assert BuildContext.from_config(config) == BuildContext(redacted=True, directory_urls=False, strict=True)
    assert BuildContext.from_config({"extra": {"redacted": "false"}}).redacted is False
    assert BuildContext().inside_fulltext().fulltext is True
