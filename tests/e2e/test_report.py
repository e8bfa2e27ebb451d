"""The real site, built once with --strict (the `site` fixture): the report reads exactly as issued,
every figure from data, every link and anchor resolves, nothing refers to another host."""

from __future__ import annotations

import posixpath
import re
from html import unescape

import pytest
import yaml
from docx import Document
from helpers.files import ROOT, SEED
from helpers.render import blocks, plain, read

from macros.core.load import load_site

pytestmark = pytest.mark.e2e

# the year's values as the build has them: typed in figures.yaml or counted from the 台账
VALUES = load_site(ROOT).years[2022].values
CATALOGUE = yaml.safe_load((ROOT / "data/catalogue.yaml").read_text("utf-8"))["figures"]
# src="…", href="…", url(…), @import "…": anything a browser would fetch or follow
REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']|url\(\s*["']?|@import\s+["'])([^"')\s]+)"""
)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def collapse(text: str) -> str:
    return re.sub(r"\*+", "*", text)


def body(site) -> list:
    return blocks(read(site, "2022/full"), root_class="report-body")


# -- the seed: the issued 2022 report, figures masked -------------------------------------------------
def test_fulltext_body_equals_seed_line_by_line(site):
    assert [collapse(b.masked) for b in body(site)] == [collapse(line) for line in SEED]


def test_seed_masks_match_the_documented_counts():
    runs = [run for line in SEED for run in re.findall(r"\*+", line)]
    assert len(runs) == 26
    assert sorted(len(r) for r in runs) == [1] * 12 + [2] * 13 + [5]


def test_each_figure_has_its_value_where_the_seed_has_its_mask(site):
    seen = set()
    for seed_line, block in zip(SEED, body(site), strict=True):
        parts = re.split(r"\*+", seed_line)
        assert len(block.figs) == len(parts) - 1, seed_line
        # the sentence is the seed with each mask replaced by that figure's value
        expected = parts[0] + "".join(str(VALUES[key]) + part for (key, _), part in zip(block.figs, parts[1:],
                                                                                        strict=True))
        assert block.text == expected
        for key, shown in block.figs:
            assert shown == str(VALUES[unescape(key)]), key
            seen.add(unescape(key))
    # every datum of the year is used in the report, but the roster's counts (members.*, added to the
    # catalogue after the 2022 report was issued: its text does not use them, text_sha256 holds that)
    roster_counts = {key for key, spec in CATALOGUE.items() if "roster" in (spec.get("derived") or {})}
    assert roster_counts == {"members.total", "members.admitted"}
    assert seen == set(VALUES) - roster_counts, "every datum of the year is used in the report"


def test_each_section_page_shows_its_figures(site):
    pages = {
        "2022/work/political": ["study.sessions", "lecture.secretary", "docs.plans", "meetings.other"],
        "2022/work/standards": ["branch.committee_meetings", "theme_day.congress_study", "publicity.newspaper"],
        "2022/work/conduct": ["integrity.model_person"],
        "2022/plans": ["plan.plenum_term", "plan.plenum_session"],
    }
    for page, keys in pages.items():
        figs = {unescape(key): shown for b in blocks(read(site, page)) for key, shown in b.figs}
        for key in keys:
            assert figs[key] == str(VALUES[key]), (page, key)


def test_one_fact_one_key_for_repeated_statements(site):
    """书记讲党课 and 微党课 are stated in （一） and （二）: one key, the same value in both."""
    figs = [unescape(key) for b in body(site) for key, _ in b.figs]
    assert figs.count("lecture.secretary") == 2 and figs.count("lecture.micro") == 2


def test_editor_note_is_visible_but_outside_the_body(site):
    html = read(site, "2022/work/standards")
    assert "校对提示（编者注，不属于报告正文）" in html  # data/2022/proofreading.yaml
    assert "汇款单" in html  # the text is not silently corrected
    assert "proofreading-note" not in read(site, "2022/full")
    assert not any("编者注" in b.text for b in body(site))


def test_headings_title_and_signature_follow_the_document(site):
    heads = [(b.tag, b.text) for b in body(site) if b.tag.startswith("h")]
    assert heads[:2] == [("h2", "一、完成的主要工作"), ("h3", "（一）强化政治机关意识，不断夯实政治基础")]
    assert ("h2", "二、存在主要问题") in heads and ("h2", "三、下步工作打算") in heads
    title = blocks(read(site, "2022/full"))[0]
    assert (title.tag, title.text) == ("h1", "机关党委办公室党支部关于2022年度全面从严治党工作情况的报告")
    signature = [b.text for b in blocks(read(site, "2022/full"), root_class="report-signature")]
    assert signature == ["机关党委办公室党支部", "2023年1月10日"]
    assert 'id="一完成的主要工作"' in read(site, "2022/full")  # Unicode heading anchors


def test_overview_opening_cards_and_links(site):
    html = read(site, "2022")
    assert "现将工作情况报告如下" in html
    assert html.count('class="fig-card"') == len([k for k, s in CATALOGUE.items() if s.get("key_figure")]) == 5
    assert 'href="work/political/"' in html and 'href="full/"' in html


def test_sample_notice_on_every_page(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        assert "示例数据，请替换为实际数据" in page.read_text("utf-8"), page
    assert "计划和清单的完成状态、问题的责任人、整改时限和销号记录、廉政提醒的发出情况也是示例" in read(site, "2022/plan")


def test_tabs_in_order_and_the_section_index(site):
    tabs = re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*([^<]+?)\s*<', read(site, "2022/plan"))
    assert tabs[:4] == ["首页", "报告", "清单", "计划"] and "数据一览" in tabs and "编辑指南" in tabs
    assert re.findall(r'<li><a href="([^"]+)">', read(site, "2022/work"))[:3] == ["political/", "standards/", "conduct/"]


def test_chinese_site_settings_and_no_edit_link_without_a_server(site):
    html = read(site, "2022/work/political")
    assert '<html lang="zh"' in html
    assert "编辑此页" not in html and 'rel="edit"' not in html  # REPO_URL unset
    assert re.search(r'最后更新：(不晚于)?<time datetime="\d{4}-\d\d-\d\d"', html)


# -- the downloads, made from the built 全文 -----------------------------------------------------------
def test_downloads_carry_the_pages_text(site):
    html = read(site, "2022/full")
    title = blocks(html)[0].text
    # 主送机关 (report.yaml addressee) under the title, outside the body that equals the seed
    expected = [title, "馆党委：", *(b.text for b in body(site)), "机关党委办公室党支部", "2023年1月10日"]
    # the .txt's first line marks the sample data and the editor-supplied title, 主送机关 and date (report.yaml)
    mark = "【示例数据，不是正式文件；标题、主送机关、落款日期为编者补充】"
    assert (site / "2022/report-2022.txt").read_text("utf-8").splitlines() == [mark, *expected]
    document = Document(site / "2022/report-2022.docx")
    assert [p.text for p in document.paragraphs if p.text] == expected  # the mark is in the page headers
    assert [p.text for p in document.sections[0].header.paragraphs if p.text] == [mark]
    level = {"h2": "Heading 1", "h3": "Heading 2"}
    assert [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")] == [
        (level[b.tag], b.text) for b in body(site) if b.tag in level]
    assert not any("编者注" in line for line in expected)
    for page in ("2022", "2022/full"):
        links = re.findall(r'<a class="report-download" href="([^"]+)" download="([^"]+)"', read(site, page))
        assert [name.rsplit(".", 1)[1] for _, name in links] == ["docx", "txt"], page
        assert all((site / page / href).resolve().is_file() for href, _ in links), page


# -- links and anchors ---------------------------------------------------------------------------------
def content_links(site, page: str) -> list[str]:
    html = read(site, page)
    return re.findall(r'href="([^"]+)"', html[html.index("md-content__inner"):])


def test_every_link_in_the_content_resolves_anchor_and_all(site):
    pages = [p.parent.relative_to(site).as_posix().removeprefix(".") for p in site.rglob("index.html")
             if "assets" not in p.parts and 'class="md-content"' in p.read_text("utf-8")]
    checked = 0
    for page in pages:
        for href in content_links(site, page):
            assert not href.startswith(("http:", "https:", "mailto:")), (page, href)
            path, _, anchor = unescape(href).partition("#")
            base = (site / page / path).resolve() if path else (site / page).resolve()
            target = base / "index.html" if base.is_dir() else base
            assert target.exists(), (page, href)
            if anchor and target.suffix == ".html":
                assert f'id="{anchor}"' in unescape(target.read_text("utf-8")), (page, href)
            checked += 1
    assert checked > 200


def test_completeness_links_land_on_the_figure_they_name(site):
    """MkDocs does not check links inside generated HTML: each of these must find its figure."""
    html = plain(read(site, "guide/completeness"))
    links = re.findall(r'<a href="([^"#]+)#(fig-[^"]+)">', html)
    assert len(links) == 26  # every use of every figure
    for href, fragment in links:
        target = unescape(read(site, posixpath.normpath(posixpath.join("guide/completeness", unescape(href)))))
        fragment = unescape(fragment)
        key = re.sub(r"-\d+$", "", fragment[4:])
        found = re.search(rf'<span class="fig-anchor" id="{re.escape(fragment)}"></span><span class="fig" '
                          rf'data-fig="([^"]+)"', target)
        assert found and found.group(1) == key, (href, fragment)


# -- intranet-first --------------------------------------------------------------------------------------
def test_no_external_reference_in_html_or_css(site):
    found = []
    files = [*site.rglob("*.html"), *site.rglob("*.css")]
    assert len(files) > 10
    for path in files:
        for ref in REFERENCE.findall(path.read_text("utf-8", errors="replace")):
            if EXTERNAL.match(ref):
                found.append(f"{path.relative_to(site)}: {ref}")
    assert found == []


def test_no_font_or_script_cdn_anywhere(site):
    for path in site.rglob("*"):
        if path.suffix in {".html", ".css", ".json", ".xml"}:
            text = path.read_text("utf-8", errors="replace")
            for host in ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net"):
                assert host not in text, (path, host)


def test_no_page_has_an_inline_script(site):
    """What lets nginx's script-src be 'self' alone."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
    pages = list(site.rglob("*.html"))
    assert len(pages) > 5
    assert [p.relative_to(site).as_posix() for p in pages if inline.search(p.read_text("utf-8"))] == []


def test_search_index_keeps_domain_terms_whole(site):
    import json

    docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
    tokens = {t for d in docs for t in re.split(r"[\s\u200b]+", d["text"])}
    for term in ("三会一课", "党风廉政", "主题党日", "谈心谈话", "八项规定", "微党课"):
        assert term in tokens, term


def test_search_index_leaves_out_chart_drawings_and_the_field_tables(site):
    """Readers' queries list pages, not chart coordinates or data keys; 字段说明's sections stay findable."""
    import json

    docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
    text = {d["location"]: d["text"].replace("\u200b", "") for d in docs}
    titles = [d["title"].replace("\u200b", "") for d in docs if d["location"].startswith("guide/fields/")]
    assert any("figures.yaml" in t for t in titles) and any("rules.yaml" in t for t in titles)
    assert not any("meetings." in t or "<table" in t for loc, t in text.items() if loc.startswith("guide/fields/"))
    charts = text["figures/#关键数据"]
    assert "2022年" in charts and not re.search(r"\d\.\d{3}", charts)  # captions kept, no bar positions
