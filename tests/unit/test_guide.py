"""The 编辑指南's generated pages in process: 数据完整性 (every figure, its file:line, links to the
sentences using it), 字段说明 (from the catalogue and the schemas) and the error examples (the
messages the checks really print)."""

from __future__ import annotations

import html as htmllib
import json
import posixpath
import re
import shutil

import pytest
import yaml
from helpers.files import ROOT, data_copy, edit, line_of, load_errors, unissued
from helpers.render import blocks, here, markdown_html, plain

from macros.commands import newyear
from macros.core.load import load_site
from macros.core.reading import validate
from macros.pages.guide import Guide
from macros.pages.render import anchor

DOCS = ROOT / "docs"
SITE = load_site(ROOT, DOCS)
CATALOGUE = yaml.safe_load((ROOT / "data/catalogue.yaml").read_text("utf-8"))["figures"]
HERE = here("guide/completeness.md")


def rows(html: str) -> dict[str, list[str]]:
    """Completeness table rows keyed by the 键名 in their first cell: [label, value, file:line, uses]."""
    found = {}
    for row in re.findall(r"<tr id=\"[^\"]+\">(.*?)</tr>", html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        label, key = re.fullmatch(r"(.*)<br><code>(.*)</code>", cells[0]).groups()
        found[htmllib.unescape(key)] = [htmllib.unescape(label), *cells[1:]]
    return found


def completeness(data, docs=DOCS) -> str:
    return plain(markdown_html(Guide(data, docs).completeness(HERE)))


def test_completeness_lists_every_figure_with_value_file_line():
    html = completeness(SITE)
    assert '<h2 id="2022年度">2022年度</h2>' in html
    assert "共 26 个数据项：已填 26 项，待填 0 项。" in html
    found = rows(html)
    assert set(found) == set(CATALOGUE)
    year = SITE.years[2022]
    for key, cells in found.items():
        assert cells[0] == CATALOGUE[key]["label"]
        assert htmllib.unescape(cells[1]) == f"{year.values[key]}{CATALOGUE[key].get('unit', '')}"
        assert re.sub(r"<[^>]+>", "", cells[2]) == f"data/2022/figures.yaml:{year.doc.line(key)}"


def test_completeness_links_point_at_each_use_of_each_figure():
    links = 0
    for key, cells in rows(completeness(SITE)).items():
        hrefs = re.findall(r'<a href="([^"]+)#([^"]+)">', cells[3])
        uses = [u for u in SITE.usages if u.key == key and u.page.startswith("2022/")]
        assert len(hrefs) == len(uses), key
        pages = {u.page.removesuffix(".md") for u in uses}
        for n, (href, fragment) in enumerate(hrefs):
            target = posixpath.normpath(posixpath.join("guide/completeness", href))
            assert target in pages, (key, target)
            assert fragment in {anchor(htmllib.unescape(key), i) for i in range(n + 1)}, (key, fragment)
            links += 1
        if not uses:  # the roster's counts (members.*): derived, not used by the 2022 report
            assert cells[3] == "未被引用" and SITE.figures[key].derived, key
            continue
        assert "<mark>" in cells[3], key  # the sentence, the figure marked
    assert links == 26  # 26 masks in the seed: every use of every figure (the anchors: tests/e2e)


def test_completeness_shows_unfilled_figures(tmp_path):
    root = unissued(data_copy(tmp_path / "p"))
    edit(root / "data/2022/figures.yaml", "docs.plans: 36", "docs.plans: 待填")
    edit(root / "data/2022/figures.yaml", "care.symposiums: 2", "care.symposiums:")
    html = completeness(load_site(root, DOCS))
    assert "共 26 个数据项：已填 24 项，待填 2 项。" in html
    assert '<h3 id="2022-missing">待填（2 项）</h3>' in html
    found = rows(html[html.index('<h3 id="2022-missing">'): html.index('<h3 id="2022-filled">')])
    assert list(found) == ["docs.plans", "care.symposiums"]
    line = line_of(root / "data/2022/figures.yaml", "docs.plans:")
    assert found["docs.plans"][2] == f'<code class="nowrap">data/2022/figures.yaml:{line}</code>'
    assert "待填" in found["care.symposiums"][1]
    assert "<mark>待填</mark>件" in found["docs.plans"][3]


def test_completeness_after_make_new_year(tmp_path):
    root = data_copy(tmp_path / "p", docs=True)
    newyear.scaffold(root, 2023)
    edit(root / "data/2023/figures.yaml", "docs.plans: 待填", "docs.plans: 30")
    data = load_site(root, root / "docs")
    html = completeness(data, root / "docs")
    assert html.index('<h2 id="2023年度">') < html.index('<h2 id="2022年度">')  # newest first
    missing_keys = [k for k, v in data.years[2023].values.items() if v is None]
    assert "docs.plans" not in missing_keys and len(missing_keys) >= 15
    assert f"共 26 个数据项：已填 {26 - len(missing_keys)} 项，待填 {len(missing_keys)} 项。" in html
    assert "共 26 个数据项：已填 26 项，待填 0 项。" in html
    section = html[html.index('<h2 id="2023年度">'): html.index('<h2 id="2022年度">')]
    filled = rows(section[section.index('<h3 id="2023-filled">'):])
    assert filled["docs.plans"][1] == "30件"
    assert '<a href="../../2023/work/political/#fig-docs.plans">' in filled["docs.plans"][3]
    missing = rows(section[: section.index('<h3 id="2023-filled">')])
    assert list(missing) == missing_keys


def test_field_reference_comes_from_catalogue_and_schemas():
    html = markdown_html(Guide(SITE, DOCS).field_reference())
    for key, spec in CATALOGUE.items():
        row = re.search(rf"<tr><td><code>{re.escape(key)}</code></td>(.*?)</tr>",
                        htmllib.unescape(html).replace("&#95;", "_"))
        assert row, key
        cells = re.findall(r"<td>(.*?)</td>", row.group(1))
        assert cells[:3] == [spec["label"], spec.get("unit", "—"), spec["section"]]
        if spec["type"] == "count":
            assert cells[3] == "非负整数，不大于 99999，或 <code>待填</code>，或 留空；大于 1000 时提示核对"
        else:
            assert cells[3] == "一行文字，不能为空，或 留空"
    tables = re.findall(r"<table[^>]*>", html)
    assert tables and all("data-search-exclude" in t for t in tables)  # headings are searched, tables not
    heads = [b.text for b in blocks(html, root_class=None) if b.tag == "h2"]
    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        if path.name != "figures.schema.json":
            assert json.loads(path.read_text("utf-8"))["title"] in heads, path.name
    text = htmllib.unescape(html)
    date_rule = "日期，写成 2023-01-10，或 <code>待填</code>"
    assert f"<td><code>date</code></td><td>落款日期</td><td>必填</td><td>{date_rule}</td>" in text
    assert re.search(r"<td><code>figures.&lt;键名&gt;.type</code></td><td>类型</td><td>必填</td>"
                     r"<td>其中之一：<code>count</code>、<code>text</code></td>", html)


def test_field_reference_cannot_drift(tmp_path, monkeypatch):
    root = data_copy(tmp_path / "p")
    edit(root / "data/catalogue.yaml", "label: 组织党员学习次数", "label: 组织党员集中学习次数")
    schemas = shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    edit(schemas / "report.schema.json", '"title": "落款日期"', '"title": "成文日期"')
    monkeypatch.setattr(validate, "SCHEMA_DIR", schemas)
    html = htmllib.unescape(markdown_html(Guide(load_site(root, DOCS), DOCS).field_reference()))
    assert "<td><code>study.sessions</code></td><td>组织党员集中学习次数</td>" in html
    assert "<td><code>date</code></td><td>成文日期</td>" in html


# -- 看懂错误信息: each example is what the checks print for that slip -----------------------------

def guide_examples() -> list[tuple[str, str, str]]:
    """(kind, key, value) of each error_example(...) call on docs/guide/index.md."""
    calls = re.findall(r'error_example\("(\w+)"(?:, "([^"]+)")?(?:, "([^"]*)")?\)',
                       (DOCS / "guide/index.md").read_text("utf-8"))
    return [(kind, key or "study.sessions", value) for kind, key, value in calls]


def example_messages(kind, key, value) -> list[str]:
    html = str(Guide(SITE, DOCS).error_example(kind, key, value))
    (code,) = re.findall(r"<pre><code>(.*?)</code></pre>", html, re.S)
    return htmllib.unescape(code).splitlines()


def make_slip(path, kind, key, value) -> None:
    """The slip the example describes, made by hand in the real file."""
    if kind == "gbk":
        path.write_bytes(path.read_text("utf-8").encode("gbk"))
        return
    lines = path.read_text("utf-8").splitlines()
    (n,) = [i for i, line in enumerate(lines) if line.startswith(f"{key}: ")]  # the example's line exists
    slip = {"value": f"{key}: {value}", "rename": lines[n].replace(key, value, 1),
            "no_colon": lines[n].replace(": ", " ", 1), "tab": "\t" + lines[n]}
    if kind == "duplicate":
        lines.append(f"{key}: {value}")
    else:
        lines[n] = slip[kind]
    path.write_text("\n".join(lines) + "\n", "utf-8")


@pytest.mark.parametrize(("kind", "key", "value"), guide_examples(), ids=lambda x: x or "-")
def test_each_error_example_on_the_guide_is_what_the_checks_print(kind, key, value, tmp_path):
    root = unissued(data_copy(tmp_path / "p"))  # the guide's examples: the checks of any year's figures
    make_slip(root / "data/2022/figures.yaml", kind, key, value)
    try:
        printed = load_errors(root)[:-1]  # without the footer
    except AssertionError:  # accepted: a 待填 or a value to double-check
        data = load_site(root, DOCS)
        printed = [e.render() for e in data.unfilled()] + [w.render() for w in data.warnings]
    assert example_messages(kind, key, value) == printed


def test_the_guide_shows_every_kind_of_example():
    assert {kind for kind, _, _ in guide_examples()} == {"value", "rename", "no_colon", "tab", "duplicate", "gbk"}


def test_unknown_example_kind_is_refused():
    with pytest.raises(ValueError, match="error_example 的类型应为"):
        Guide(SITE, DOCS).error_example("typo")
