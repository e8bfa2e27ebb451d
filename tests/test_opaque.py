"""Macros' generated elements bypass Markdown's HTML parsing (macros/opaque.py, hooks/opaque_html.py).

The site must be byte for byte the one Markdown makes when it parses them (every file, in the
normal, 脱敏 and offline builds), links into them must still be checked, and a token never put
back must stop the build.
"""

from __future__ import annotations

import filecmp
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, build

sys.path.insert(0, str(ROOT))

from macros import opaque  # noqa: E402

ENABLE = "    opaque.enable()"


@pytest.fixture()
def stashing():
    opaque.enable()
    yield
    opaque.disable()


def test_an_element_is_whole_unless_a_build_stashes_its_content(stashing):
    opaque.disable()
    assert opaque.element('<div class="x">', "<b>粗</b>", "</div>") == '<div class="x"><b>粗</b></div>'
    opaque.enable()
    inner = opaque.element("<p>", '<a id="a1">甲</a>', "</p>")
    outer = opaque.element('<div class="x">', f"<i>乙</i>{inner}", "</div>")
    assert "<b>" not in outer and "甲" not in outer and outer.startswith('<div class="x">x-opaque-')
    page = f"<h1>标题</h1>\n{outer}\n<p>尾</p>"
    restored, ids = opaque.restore(page)
    assert restored == '<h1>标题</h1>\n<div class="x"><i>乙</i><p><a id="a1">甲</a></p></div>\n<p>尾</p>'
    assert ids == {"a1"} and opaque.left_over(restored) is None
    assert opaque.restore("<p>没有生成的内容</p>") == ("<p>没有生成的内容</p>", set())
    assert opaque.left_over(f"<p>{opaque.PREFIX}999</p>") == f"{opaque.PREFIX}999"


SNIPPETS = [
    '<table><tr id="2022-study.sessions"><td>1</td></tr></table>',
    "<div ID='upper'><a name=\"n1\">a</a><span name=\"not-a\">b</span><a NAME=plain>c</a></div>",
    '<p><span class="fig-anchor" id="fig-a&amp;b"></span><input id=bare disabled/><br id="x y"></p>',
    '<svg xmlns="http://www.w3.org/2000/svg" id="chart-1"><g id="g"/><text data-id="no">a &gt; b</text></svg>',
    '<td title="id=&quot;fake&quot;" id="real">x</td><li id="">空</li>',
    '<a href="#x"id="glued">a</a><td id>b</td><p data-name="no" namex="no" id = "spaced">c</p>',
]


@pytest.mark.parametrize("html", SNIPPETS)
def test_anchor_ids_are_the_ones_mkdocs_reads_in_raw_html(html):
    from mkdocs.structure.pages import _HTMLHandler

    parser = _HTMLHandler()
    parser.feed(html)
    parser.close()
    assert opaque.anchor_ids(html) == parser.present_anchor_ids


def test_anchor_ids_of_every_built_page_are_the_ones_mkdocs_reads(site):
    from mkdocs.structure.pages import _HTMLHandler

    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text("utf-8")
        parser = _HTMLHandler()
        parser.feed(html)
        parser.close()
        assert opaque.anchor_ids(html) == parser.present_anchor_ids, page


def test_a_token_left_in_a_page_stops_the_build(stashing):
    from mkdocs.exceptions import PluginError

    sys.path.insert(0, str(ROOT / "hooks"))
    import opaque_html

    page = SimpleNamespace(file=SimpleNamespace(src_uri="2022/index.md"), present_anchor_ids={"h"})
    stub = opaque.element("<div>", '<p id="inside">内容</p>', "</div>")
    html = opaque_html.on_page_content(f"<h2 id=\"h\">标题</h2>{stub}", page, None, None)
    assert html == '<h2 id="h">标题</h2><div><p id="inside">内容</p></div>'
    assert page.present_anchor_ids == {"h", "inside"}
    assert opaque_html.on_post_page(f"<html>{html}</html>", page, None) == f"<html>{html}</html>"
    with pytest.raises(PluginError, match="2022/index.md"):
        opaque_html.on_post_page(f"<html>{stub}</html>", page, None)


def _differences(left: Path, right: Path) -> list[str]:
    found = []

    def walk(cmp: filecmp.dircmp, prefix: str):
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found


@pytest.mark.parametrize("mode", ["normal", "REDACTED", "OFFLINE"])
def test_the_site_is_the_same_as_when_markdown_parses_the_generated_html(mode, project, tmp_path):
    init = project / "macros/__init__.py"
    assert init.read_text("utf-8").count(ENABLE) == 1
    parsed = tmp_path / "parsed"
    parsed_project = tmp_path / "parsed-project"
    import shutil

    shutil.copytree(project, parsed_project)
    code = parsed_project / "macros/__init__.py"
    code.write_text(code.read_text("utf-8").replace(ENABLE, "    opaque.disable()"), "utf-8")
    env = {mode: "true"} if mode != "normal" else {}
    for where, out in ((parsed_project, parsed), (project, tmp_path / "opaque")):
        result = build(where, out, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
    pages = list(parsed.rglob("*.html"))
    assert len(pages) > 20 and not any(opaque.PREFIX[:9] in p.read_text("utf-8") for p in pages)
    assert _differences(parsed, tmp_path / "opaque") == []


def test_without_the_hook_in_the_configuration_nothing_is_stashed(project, tmp_path):
    import shutil

    without = tmp_path / "without"
    shutil.copytree(project, without)
    config = without / "mkdocs.yml"
    lines = config.read_text("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("  - hooks/opaque_html.py")]
    assert len(kept) == len(lines) - 1
    config.write_text("".join(kept), "utf-8")
    for where, out in ((project, tmp_path / "with"), (without, tmp_path / "out")):
        result = build(where, out)
        assert result.returncode == 0, result.stdout + result.stderr
    assert _differences(tmp_path / "with", tmp_path / "out") == []  # the same site, Markdown reading the HTML


def test_a_link_to_an_id_inside_a_generated_table_is_checked(project, tmp_path):
    page = project / "docs/2022/problems.md"
    tasks = (ROOT / "data/2022/plan.yaml").read_text("utf-8")
    assert "id: t1.1.1" in tasks
    page.write_text(page.read_text("utf-8") + "\n见[任务 t1.1.1](plan/tasks.md#task-t1.1.1)。\n", "utf-8")
    result = build(project, tmp_path / "ok")
    assert result.returncode == 0, result.stdout + result.stderr  # the id is in the generated table
    page.write_text(page.read_text("utf-8").replace("#task-t1.1.1", "#task-t9.9.9"), "utf-8")
    result = build(project, tmp_path / "bad")
    assert result.returncode != 0 and "task-t9.9.9" in result.stdout + result.stderr
