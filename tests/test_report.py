"""The real site, built with --strict: the report reads exactly as issued."""

from __future__ import annotations

import re

import yaml
from conftest import FIXTURES, ROOT, read
from htmltext import blocks

from macros.data import load_site

SEED = (FIXTURES / "seed_2022.txt").read_text("utf-8").splitlines()
SEED = [line for line in SEED if line.strip()]
# the year's values as the build has them: typed in figures.yaml or counted from the 台账
VALUES = load_site(ROOT).years[2022].values
REPORT_PAGES = [
    "2022",
    "2022/work",
    "2022/work/political",
    "2022/work/standards",
    "2022/work/conduct",
    "2022/problems",
    "2022/plans",
    "2022/full",
]


def collapse(text: str) -> str:
    return re.sub(r"\*+", "*", text)


def body(site) -> list:
    return blocks(read(site, "2022/full"), root_class="report-body")


def test_fulltext_body_equals_seed_line_by_line(site):
    rendered = [collapse(b.masked) for b in body(site)]
    assert rendered == [collapse(line) for line in SEED]


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
        expected = parts[0] + "".join(
            str(VALUES[key]) + part for (key, _), part in zip(block.figs, parts[1:], strict=True)
        )
        assert block.text == expected
        for key, shown in block.figs:
            assert shown == str(VALUES[key]), key
            seen.add(key)
    assert seen == set(VALUES), "every datum of the year is used in the report"


def test_each_section_page_shows_its_figures(site):
    pages = {
        "2022/work/political": ["study.sessions", "lecture.secretary", "docs.plans", "meetings.other"],
        "2022/work/standards": ["branch.committee_meetings", "theme_day.congress_study", "publicity.newspaper"],
        "2022/work/conduct": ["integrity.model_person"],
        "2022/plans": ["plan.plenum_term", "plan.plenum_session"],
    }
    for page, keys in pages.items():
        figs = {key: shown for b in blocks(read(site, page)) for key, shown in b.figs}
        for key in keys:
            assert figs[key] == str(VALUES[key]), (page, key)


def test_one_fact_one_key_for_repeated_statements(site):
    """书记讲党课 and 微党课 are stated in （一） and （二）: one key, the same value in both."""
    html = read(site, "2022/full")
    for key in ("lecture.secretary", "lecture.micro"):
        assert html.count(f'data-fig="{key}"') == 2


def test_figures_carry_label_tooltips(site):
    html = read(site, "2022/work/political")
    assert 'data-fig="study.sessions" title="组织党员学习次数（次）">24<' in html


def test_editor_note_is_visible_but_outside_the_body(site):
    html = read(site, "2022/work/standards")
    assert "编者注（不属于报告正文）" in html
    assert "汇款单" in html  # the text is not silently corrected
    assert not any("编者注" in b.text for b in body(site))


def test_headings_follow_the_document(site):
    heads = [(b.tag, b.text) for b in body(site) if b.tag.startswith("h")]
    assert heads[:2] == [("h2", "一、完成的主要工作"), ("h3", "（一）强化政治机关意识，不断夯实政治基础")]
    assert ("h2", "二、存在主要问题") in heads and ("h2", "三、下步工作打算") in heads
    title = blocks(read(site, "2022/full"))[0]
    assert (title.tag, title.text) == ("h1", "机关党委办公室党支部2022年全面从严治党工作情况报告")


def test_signature_from_data(site):
    html = read(site, "2022/full")
    assert re.search(r'class="report-signature"><p>机关党委办公室党支部</p><p>2023年1月10日</p>', html)


def test_overview_has_opening_cards_and_links(site):
    html = read(site, "2022")
    assert "现将工作情况报告如下" in html
    catalogue = yaml.safe_load((ROOT / "data/catalogue.yaml").read_text("utf-8"))["figures"]
    keys = [key for key, spec in catalogue.items() if spec.get("key_figure")]
    assert html.count('class="fig-card"') == len(keys) == 5
    assert 'href="work/political/"' in html and 'href="full/"' in html


def test_sample_notice_on_every_page(site):
    pages = [p for p in site.rglob("*.html")]
    assert len(pages) >= len(REPORT_PAGES) + 1
    for page in pages:
        assert "示例数据，请替换为实际数据" in page.read_text("utf-8"), page


def test_navigation_tabs_and_report_order(site):
    html = read(site, "2022/work/political")
    tabs = re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*([^<]+?)\s*<', html)
    assert tabs[:2] == ["首页", "报告"]
    order = [
        html.find(f'href="{href}"') for href in ("../../", "../", "./", "../standards/", "../conduct/")
    ]
    assert all(i > 0 for i in order[1:])


def test_section_index_lists_its_parts(site):
    html = read(site, "2022/work")
    assert re.findall(r'<li><a href="([^"]+)">', html)[:3] == ["political/", "standards/", "conduct/"]


def test_chinese_site_settings(site):
    html = read(site, "2022")
    assert '<html lang="zh"' in html
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    assert 'id="一完成的主要工作"' in read(site, "2022/full")  # Unicode heading anchors
