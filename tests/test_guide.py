"""The 编辑指南 tab: the guide, 数据完整性 (links to the sentences using each figure) and 字段说明
(generated from the catalogue and the schemas)."""

from __future__ import annotations

import html as htmllib
import json
import posixpath
import re

import yaml
from conftest import ROOT, build, read
from htmltext import blocks

from macros import data as sitedata

SITE = sitedata.load_site(ROOT)
CATALOGUE = yaml.safe_load((ROOT / "data/catalogue.yaml").read_text("utf-8"))["figures"]


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def rows(html: str) -> dict[str, list[str]]:
    """Completeness table rows keyed by the 键名 in their first cell: [label, value, file:line, uses]."""
    found = {}
    for row in re.findall(r"<tr id=\"[^\"]+\">(.*?)</tr>", html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        label, key = re.fullmatch(r"(.*)<br><code>(.*)</code>", cells[0]).groups()
        found[key] = [label, *cells[1:]]
    return found


def test_guide_is_a_tab_with_its_pages(site):
    html = read(site, "2022/work/political")
    tabs = re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*([^<]+?)\s*<', html)
    assert "编辑指南" in tabs
    guide = read(site, "guide")
    assert 'href="completeness/"' in guide and 'href="fields/"' in guide
    heads = [b.text for b in blocks(guide, root_class="md-content") if b.tag == "h2"]
    assert heads == ["改一个数字", "新增一个年度", "标记一项任务完成", "看懂错误信息", "发布前检查"]
    assert "make new-year YEAR=2023" in guide


def test_guide_error_examples_are_what_the_build_prints(site):
    text = htmllib.unescape(read(site, "guide"))
    readme_example = 'data/2022/figures.yaml:6: 组织党员学习次数 (study.sessions)：应为非负整数，实际为 "十二"'
    assert readme_example in text  # tests/test_data_errors.py checks a real build prints this line
    for expected in (
        "未知数据项 theme_day.red_film；是否是 theme_day.red_films？",
        "YAML 格式错误（第 1 列）：缺少冒号“:”",
        "行首使用了制表符（Tab）缩进",
        "study.sessions 重复出现（第 6 行已有同名项）",
        "文件不是 UTF-8 编码（可能被存成了 GBK/ANSI）",
        "组织党员学习次数 (study.sessions)：数值 1200 大于 1000",
        "组织党员学习次数 (study.sessions)：待填",
    ):
        assert re.search(r"<pre><code>data/2022/figures\.yaml:\d+: [^<]*" + re.escape(expected), text), expected


def test_completeness_lists_every_figure_with_value_file_line(site):
    html = read(site, "guide/completeness")
    assert "<h2 id=\"2022年度\">2022年度</h2>" in html
    assert "共 24 个数据项：已填 24 项，待填 0 项。" in html
    found = rows(html)
    assert set(found) == set(CATALOGUE)
    year = SITE.years[2022]
    for key, cells in found.items():
        assert cells[0] == CATALOGUE[key]["label"]
        assert htmllib.unescape(cells[1]) == f"{year.values[key]}{CATALOGUE[key].get('unit', '')}"
        assert re.sub(r"<[^>]+>", "", cells[2]) == f"data/2022/figures.yaml:{year.doc.line(key)}"


def test_completeness_links_land_on_the_sentence_using_the_figure(site):
    html = read(site, "guide/completeness")
    links = 0
    for key, cells in rows(html).items():
        hrefs = re.findall(r'<a href="([^"]+)#([^"]+)">', cells[3])
        pages = {u.page for u in SITE.usages if u.key == key and u.page.startswith("2022/")}
        assert len(hrefs) == len([u for u in SITE.usages if u.key == key and u.page.startswith("2022/")]), key
        for href, fragment in hrefs:
            target = posixpath.normpath(posixpath.join("guide/completeness", href))
            assert any(target == p.removesuffix(".md") for p in pages), (key, target)
            page = read(site, target)
            anchor = f'<span class="fig-anchor" id="{fragment}"></span><span class="fig" data-fig="{key}"'
            assert anchor in page, (key, target, fragment)
            links += 1
        assert "<mark>" in cells[3], key  # the sentence, the figure marked
    assert links == 26  # 26 masks in the seed: every use of every figure


def test_completeness_shows_unfilled_figures(project, tmp_path):
    edit(project / "data/2022/figures.yaml", "study.sessions: 24", "study.sessions: 待填")
    edit(project / "data/2022/figures.yaml", "docs.plans: 36", "docs.plans:")
    result = build(project, tmp_path / "out", strict=False)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/guide/completeness/index.html").read_text("utf-8")
    assert "共 24 个数据项：已填 22 项，待填 2 项。" in html
    assert '<h3 id="2022-missing">待填（2 项）</h3>' in html
    missing = html[html.index('<h3 id="2022-missing">'): html.index('<h3 id="2022-filled">')]
    found = rows(missing)
    assert list(found) == ["study.sessions", "docs.plans"]
    assert found["study.sessions"][2] == '<code class="nowrap">data/2022/figures.yaml:6</code>'
    assert "待填" in found["docs.plans"][1]
    assert '<mark>待填</mark>次' in found["study.sessions"][3]


def test_field_reference_comes_from_catalogue_and_schemas(site):
    html = read(site, "guide/fields")
    for key, spec in CATALOGUE.items():
        row = re.search(rf"<tr><td><code>{re.escape(key)}</code></td>(.*?)</tr>", html)
        assert row, key
        cells = re.findall(r"<td>(.*?)</td>", row.group(1))
        assert cells[:3] == [spec["label"], spec.get("unit", "—"), spec["section"]]
        if spec["type"] == "count":
            assert cells[3] == "非负整数，不大于 99999，或 <code>待填</code>，或 留空；大于 1000 时提示核对"
        else:
            assert cells[3] == "一行文字，不能为空，或 留空"
    # every other schema file has its section, with each field's rule
    heads = [b.text for b in blocks(html, root_class="md-content") if b.tag == "h2"]
    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        if path.name != "figures.schema.json":
            assert json.loads(path.read_text("utf-8"))["title"] in heads, path.name
    date_rule = "日期，写成 2023-01-10，或 <code>待填</code>"
    assert f"<td><code>date</code></td><td>落款日期</td><td>必填</td><td>{date_rule}</td>" in html
    assert re.search(r"<td><code>figures.&lt;键名&gt;.type</code></td><td>类型</td><td>必填</td>"
                     r"<td>其中之一：<code>count</code>、<code>text</code></td>", html)


def test_field_reference_cannot_drift(project, tmp_path):
    edit(project / "data/catalogue.yaml", "label: 组织党员学习次数", "label: 组织党员集中学习次数")
    schema = project / "schemas/report.schema.json"
    schema.write_text(schema.read_text("utf-8").replace('"title": "落款日期"', '"title": "成文日期"'), "utf-8")
    result = build(project, tmp_path / "out", strict=False)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/guide/fields/index.html").read_text("utf-8")
    assert "<td><code>study.sessions</code></td><td>组织党员集中学习次数</td>" in html
    assert "<td><code>date</code></td><td>成文日期</td>" in html


def test_completeness_link_highlights_the_figure_in_the_browser(served, browser):
    page = browser.new_page()
    page.goto(served + "guide/completeness/")
    page.locator('tr[id="2022-docs.notices"] a').first.click()
    page.wait_for_url("**/2022/work/political/#fig-docs.notices")
    target = page.locator('[id="fig-docs.notices"] + .fig')
    assert target.inner_text() == str(SITE.years[2022].values["docs.notices"])
    outline = target.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    page.close()


def test_completeness_after_make_new_year(project, tmp_path):
    import subprocess
    import sys

    from conftest import ENV

    made = subprocess.run([sys.executable, "-m", "macros.newyear", "2023"], cwd=project, capture_output=True,
                          text=True, env=ENV, timeout=120)
    assert made.returncode == 0, made.stderr
    figures = project / "data/2023/figures.yaml"
    figures.write_text(figures.read_text("utf-8").replace("study.sessions: 待填", "study.sessions: 30", 1), "utf-8")
    result = build(project, tmp_path / "out", strict=False)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/guide/completeness/index.html").read_text("utf-8")
    assert html.index('<h2 id="2023年度">') < html.index('<h2 id="2022年度">')  # newest first
    assert "共 24 个数据项：已填 1 项，待填 23 项。" in html and "共 24 个数据项：已填 24 项，待填 0 项。" in html
    section = html[html.index('<h2 id="2023年度">'): html.index('<h2 id="2022年度">')]
    filled = rows(section[section.index('<h3 id="2023-filled">'):])
    assert list(filled) == ["study.sessions"] and filled["study.sessions"][1] == "30次"
    assert '<a href="../../2023/work/political/#fig-study.sessions">' in filled["study.sessions"][3]
    missing = rows(section[: section.index('<h3 id="2023-filled">')])
    assert len(missing) == 23 and "study.sessions" not in missing
    page = (tmp_path / "out/2023/work/political/index.html").read_text("utf-8")
    assert '<span class="fig-anchor" id="fig-study.sessions"></span><span class="fig" data-fig="study.sessions"' in page


def test_guide_tables_fit_a_phone(served, browser):
    page = browser.new_page(viewport={"width": 400, "height": 800})
    for url in ("guide/completeness/", "guide/fields/"):
        page.goto(served + url)
        table = page.locator(".guide-table").first
        assert table.evaluate("e => e.getBoundingClientRect().right") <= 400, url
        assert page.evaluate("document.documentElement.scrollWidth") <= 400, url
    page.close()


def test_redacted_build_shows_no_value_in_the_guide_pages(tmp_path):
    out = tmp_path / "out"
    result = build(ROOT, out, env={"REDACTED": "true"})
    assert result.returncode == 0, result.stderr
    html = htmllib.unescape((out / "guide/completeness/index.html").read_text("utf-8"))
    found = rows(html[html.index('<h3 id="2022-filled">'):])
    for key, spec in CATALOGUE.items():
        value = SITE.years[2022].values[key]
        masked = "*" * len(str(value)) if spec["type"] == "count" else spec["mask"]
        assert found[key][1] == masked + spec.get("unit", ""), key
        assert f"<mark>{masked}</mark>" in found[key][3], key
    assert "全年共组织党员学习24次" not in html and "<mark>24</mark>" not in html
    guide = htmllib.unescape((out / "guide/index.html").read_text("utf-8"))
    assert "<code>study.sessions: **</code> 改成 <code>study.sessions: 十二</code>" in guide
    assert "study.sessions: 24" not in guide
