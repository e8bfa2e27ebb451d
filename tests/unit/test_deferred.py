"""The HTML blocks the macros write skip Markdown (macros/site/deferred.py): which parts of a macro's
output are taken, and that every page after Markdown is the same as if they had gone through it."""

from __future__ import annotations

import re
from types import SimpleNamespace

import jinja2
import pytest
from helpers.files import ROOT
from helpers.render import markdown_html
from markupsafe import Markup

from macros.core.load import load_site
from macros.pages.context import BuildContext
from macros.site.deferred import Deferred, elements, keep
from macros.site.macros_env import _define_macros

DOCS = ROOT / "docs"
SITE = load_site(ROOT, DOCS)
BLOCK = Markup('<div class="yoy-table"><table><tr><td>*不是强调* &#95;x&#95;</td></tr></table></div>')


def test_a_block_leaves_the_markdown_and_is_put_back_after_it():
    deferred = Deferred()
    markdown = f"# 标题\n\n前文\n\n{deferred(BLOCK)}\n\n后文\n"
    assert "<table" not in markdown
    assert deferred.restore(markdown_html(markdown)) == markdown_html(f"# 标题\n\n前文\n\n{BLOCK}\n\n后文\n")


@pytest.mark.parametrize(
    "paragraph, taken",
    [
        ('<p class="x">一</p>', ['<p class="x">一</p>']),
        ("<p>一</p><div><div>二</div></div>", ["<p>一</p>", "<div><div>二</div></div>"]),
        ("  <hr>\n<ul><li>一<input disabled/></li></ul>  ", ["<hr>", "<ul><li>一<input disabled/></li></ul>"]),
        ("<div>\n<svg><style>.a{fill:red}</style><rect/></svg>\n</div>", None),  # one element over lines
    ],
)
def test_a_paragraph_of_closed_block_elements_is_taken_element_by_element(paragraph, taken):
    assert elements(paragraph) == (taken or [paragraph.strip()])


@pytest.mark.parametrize(
    "paragraph",
    [
        "<span>12</span>",  # inline HTML: Markdown makes it a paragraph
        "## 标题 {: #a }\n<p>一</p>",  # Markdown before the HTML
        "<p>一</p>\n正文",  # Markdown after it
        "<p>一</p> 正文",
        "<div>\n<p>一</p>",  # not closed in the paragraph (it goes on after a blank line)
        "<div><script>if (a<b) {}</script></div>",  # raw text that may hold a <
        "<!-- 注释 --><p>一</p>",
        "    <p>一</p>",  # indented four spaces: a code block that shows the tags
        "正文",
    ],
)
def test_anything_markdown_would_read_is_left_to_it(paragraph):
    assert elements(paragraph) is None
    deferred = Deferred()
    assert deferred(paragraph) == paragraph and not deferred.blocks


def test_headings_stay_markdown_and_each_paragraph_of_html_is_one_placeholder():
    deferred = Deferred()
    output = '\n\n## 一 {: #g1 }\n\n<p class="loop-line">进度</p><div class="loop-table"><table></table></div>\n\n'
    held = deferred(Markup(output))
    assert isinstance(held, Markup) and "\n\n## 一 {: #g1 }\n\n" in held and "<table" not in held
    assert deferred.blocks == ['<p class="loop-line">进度</p>\n<div class="loop-table"><table></table></div>']


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


def _environment(defer) -> jinja2.Environment:
    """The macros in a Jinja environment, as mkdocs-macros registers them."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    register = SimpleNamespace(macro=lambda function, name: env.globals.__setitem__(name, function), env=env,
                               variables={})
    _define_macros(register, BuildContext(), SITE, DOCS, defer)
    return env


def test_every_page_is_the_same_and_its_tables_lists_and_charts_skip_markdown():
    deferred = Deferred()
    held, whole = _environment(deferred), _environment(keep)
    pages = sorted(DOCS.rglob("*.md"))
    for path in pages:
        name = path.relative_to(DOCS).as_posix()
        source = re.sub(r"\A---\n.*?\n---\n", "", path.read_text("utf-8"), flags=re.S)  # front matter
        page = SimpleNamespace(file=SimpleNamespace(src_path=name))
        shown, plain = held.from_string(source).render(page=page), whole.from_string(source).render(page=page)
        assert not re.search(r"<(table|li|svg|tr)\b", shown), name
        assert deferred.restore(markdown_html(shown)) == markdown_html(plain), name
    assert len(pages) > 25 and len(deferred.blocks) > 80
