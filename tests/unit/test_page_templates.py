"""The 计划/清单/编辑指南/数据一览 templates, in-process: text from data stays text after Markdown,
a missing part is a warning on the page, the 脱敏 build says what it withholds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import lxml.html
import markdown
import pytest

from macros.core.load import load_site
from macros.core.redact import masked_data
from macros.pages import checklists as checklist_render
from macros.pages import loop as loop_render
from macros.pages import yoy
from macros.pages.context import BuildContext, Here
from macros.pages.guide import Guide, Rule, rule
from macros.pages.render import Renderer
from macros.pages.templating import environment, inert

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# Markdown, HTML and Jinja that must reach the reader as typed
EVIL = '**粗** <b>x</b> [链](javascript:alert(1)) {{ 7*7 }} "引号" _斜_ `码`'


def page_macros(data, docs=DOCS) -> dict:
    renderer = Renderer(data, docs)
    return {**loop_render.macros(data, renderer, docs), **checklist_render.macros(data, renderer, docs)}


def html_of(markdown_text: str):
    """The page as MkDocs would make it from the macro's Markdown (the site's block extensions)."""
    body = markdown.markdown(str(markdown_text), extensions=["attr_list", "tables", "toc", "admonition"])
    return lxml.html.fromstring(f"<div>{body}</div>")


@pytest.fixture
def site():
    return load_site(ROOT, DOCS)  # a fresh copy: tests change it


def here(page: str, **flags) -> Here:
    return Here(page, BuildContext(**flags))


def test_task_and_problem_titles_from_data_stay_text(site):
    loop = site.loops.years[2022]
    task = next(iter(loop.plan.tasks.values()))
    task.title = EVIL
    problem = loop.checklist.problems[0]
    problem.title = EVIL
    macros = page_macros(site)
    tasks = html_of(macros["plan_tasks"](here("2022/plan/tasks.md")))
    row = tasks.get_element_by_id(f"task-{task.id}").getparent()
    assert row.xpath("string(td[2])") == EVIL
    rectification = html_of(macros["rectification_list"](here("2022/checklists/rectification.md")))
    heading = rectification.get_element_by_id(f"problem-{problem.id}")
    assert heading.tag == "h2" and heading.text_content() == f"问题{problem.number}：{EVIL}"
    for page in (tasks, rectification):
        assert not page.xpath("//b[not(@class)] | //strong | //em | //a[starts-with(@href, 'javascript')]")
        assert "49" not in page.text_content()


def test_figure_label_from_data_stays_text_in_the_figures_table(site):
    key = next(iter(site.figures))
    site.figures = {**site.figures, key: dataclasses.replace(site.figures[key], label=EVIL)}
    table = html_of(yoy.table(site))
    assert table.xpath(f"string(//tr[@data-fig='{key}']/th)") == EVIL
    assert not table.xpath("//tbody//b | //tbody//strong | //tbody//em")


def test_a_missing_page_or_file_is_a_warning_where_the_list_would_be(site, tmp_path, caplog):
    out = page_macros(site, docs=tmp_path)["plan_summary"](here("2022/plan/index.md"))
    assert "plan_summary：链接的页面 docs/2022/plans.md 不存在" in html_of(out).text_content()
    site.loops.years[2022].plan = None
    out = page_macros(site)["plan_summary"](here("2022/plan/index.md"))
    warning = html_of(out).xpath("//div[@role='alert']")[0]
    assert warning.text_content() == "plan_summary：页面需要 data/2022/plan.yaml，但该文件不存在"
    assert "docs/2022/plan/index.md: plan_summary()" in caplog.text


def test_redacted_build_says_what_it_withholds(site):
    masked = masked_data(site)
    macros = page_macros(masked)
    compliance = html_of(macros["compliance_table"](here("2022/checklists/compliance.md", redacted=True)))
    assert compliance.text_content().strip() == "脱敏版不显示对标结论（结论会透露被遮蔽的数字）。"
    cards = html_of(macros["loop_overview"](here("index.md", redacted=True))).text_content()
    assert "脱敏版不显示对标结论" in cards and "达标" not in cards
    rectification = html_of(macros["rectification_list"](here("2022/checklists/rectification.md", redacted=True)))
    assert "脱敏版不显示对标结论" in rectification.text_content() and not rectification.xpath(
        "//ul[@class='loop-proposals']"
    )
    charts = html_of(yoy.charts(masked))
    assert charts.text_content().strip() == "脱敏版不显示数据图表（柱高即数值）。" and not charts.xpath("//svg")
    # and the normal build shows them
    assert html_of(page_macros(site)["compliance_table"](here("2022/checklists/compliance.md"))).xpath("//table")


def test_inert_keeps_the_entities_escape_wrote():
    assert (
        lxml.html.fromstring(f"<p>{inert(chr(34) + 'a' + chr(39) + ' &#34; #')}</p>").text_content() == "\"a' &#34; #"
    )


def test_field_rule_alternatives_read_as_one_sentence():
    node = {"anyOf": [{"type": "integer", "minimum": 0}, {"const": "待填"}, {"type": "null"}]}
    assert rule(node, node) == [Rule(text="非负整数"), Rule(values=("待填",)), Rule(text="留空")]
    shown = environment().get_template("guide.html").module.rule(rule(node, node))
    assert str(shown) == "非负整数，或 <code>待填</code>，或 留空"
    enum = rule({"enum": ["书记", "组织委员"]}, {})
    assert (
        str(environment().get_template("guide.html").module.rule(enum))
        == "其中之一：<code>书记</code>、<code>组织委员</code>"
    )


def test_error_example_shows_the_checker_message_as_typed(site):
    example = lxml.html.fromstring(str(Guide(site, DOCS).error_example("value", "study.sessions", "十二")))
    assert example.xpath("string(//pre)").endswith('应为非负整数，实际为 "十二"')
    assert example.xpath("//p/code/text()")[-1] == "study.sessions: 十二"
