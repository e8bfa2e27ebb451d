"""Big HTML blocks skip Markdown (macros/deferred.py): which macros hand theirs over, and that the
page after Markdown is the same as if the block had gone through it."""

from __future__ import annotations

from types import SimpleNamespace

from helpers import ROOT, markdown_html
from markupsafe import Markup

from macros import _define_macros, yoy
from macros.context import BuildContext, Here
from macros.data import load_site
from macros.deferred import Deferred
from macros.guide import Guide

DOCS = ROOT / "docs"
SITE = load_site(ROOT, DOCS)
BLOCK = Markup('<div class="yoy-table"><table><tr><td>*不是强调* &#95;x&#95;</td></tr></table></div>')


def test_a_block_leaves_the_markdown_and_is_put_back_after_it():
    deferred = Deferred()
    markdown = f"# 标题\n\n前文\n\n{deferred(BLOCK)}\n\n后文\n"
    assert "<table" not in markdown
    assert deferred.restore(markdown_html(markdown)) == markdown_html(f"# 标题\n\n前文\n\n{BLOCK}\n\n后文\n")


def test_the_ids_in_a_block_put_back_are_anchors_links_may_point_at():
    """MkDocs checks a link to page.md#id against the ids Markdown saw; it no longer sees the block's."""
    deferred, anchors = Deferred(), {"标题"}
    row = Markup('<table><tr id="2022-study.sessions"><td>x</td></tr><tr id="2022-a&#95;b"></tr></table>')
    deferred.restore(markdown_html(f"# 标题\n\n{deferred(row)}\n"), anchors)
    assert anchors == {"标题", "2022-study.sessions", "2022-a_b"}


def test_a_placeholder_of_another_build_names_no_block():
    earlier, now = Deferred(), Deferred()
    stale = earlier(BLOCK)
    now(Markup("<p>别的</p>"))
    assert now.restore(stale) == stale


def _macros(defer) -> dict:
    found = {}
    env = SimpleNamespace(macro=lambda function, name: found.setdefault(name, function), variables={}, env=None)
    _define_macros(env, BuildContext(), SITE, DOCS, defer)
    return found


def test_the_figures_overview_and_the_completeness_tables_are_deferred():
    deferred = Deferred()
    macros = _macros(deferred)
    page = {"page": SimpleNamespace(file=SimpleNamespace(src_path="guide/completeness.md"))}
    table, charts = macros["figures_table"]({}), macros["key_charts"]({})
    completeness = macros["completeness"](page)
    assert "<table" not in table + charts + completeness and "<svg" not in charts
    assert deferred.restore(table) == yoy.table(SITE) and deferred.restore(charts) == yoy.charts(SITE)
    whole = Guide(SITE, DOCS).completeness(Here("guide/completeness.md", BuildContext()))
    assert deferred.restore(markdown_html(completeness)) == markdown_html(whole)
    assert len(deferred.blocks) == 2 + completeness.count("data-deferred=")  # table, charts, each year's tables


def test_the_plan_and_checklist_tables_are_deferred_and_the_page_is_unchanged():
    """计划 and 清单 pages: their tables and checklists skip Markdown; headings stay Markdown (目录)."""
    deferred, plain = Deferred(), _macros(lambda block: block)
    macros = _macros(deferred)
    for name, page in [("plan_tasks", "2022/plan/tasks.md"), ("plan_by_owner", "2022/plan/by-owner.md"),
                       ("party_checklist", "2022/checklists/party-building.md"),
                       ("rectification_list", "2022/checklists/rectification.md")]:
        context = {"page": SimpleNamespace(file=SimpleNamespace(src_path=page))}
        shown, whole = macros[name](context), plain[name](context)
        assert "<table" not in shown and "<li" not in shown and "\n## " in shown, name
        assert deferred.restore(markdown_html(shown)) == markdown_html(whole), name
