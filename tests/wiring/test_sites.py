"""Wiring: the tiny fixture sites of tests/sites/<scenario>/ built by `mkdocs build` in a subprocess.

Only what needs MkDocs, the plugin and the macros together is checked here; what each piece does
is checked in process by tests/unit/. The scenarios:

- basic      a valid site: the plugin's post-build steps, edit links, and the 脱敏/离线 switches;
             also given a new year (published and served in tests/e2e/test_servers.py)
- unfilled   待填, a value to double-check, a page to rewrite: a preview builds, a strict build refuses
- bad_data   a mistake in four files: all listed, one Chinese line each, nothing written
- bad_macro  a mistyped macro name: stops before any page is written, even in a preview
- bad_page   a macro failing on a page: one line naming page and line, nothing written
- bad_link   broken links and anchors: a strict build fails, a preview only warns
"""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from docx import Document
from helpers.builds import REPO, assert_refused, build, refused
from helpers.files import SITES, line_of, project_copy
from helpers.render import blocks, read

from macros.commands import newyear
from macros.site.search_setup import BUGGY, FIXED

TITLE = "测试支部2022年工作情况报告"
LITERAL = "机关<b>党建</b>*专刊*"  # basic's text datum, markup characters and all


@pytest.fixture(scope="module")
def basic(prebuilt):
    """tests/sites/basic built strictly, with the intranet git server's address set."""
    result = prebuilt("basic")
    assert result.returncode == 0, result.output
    return result.out


@pytest.fixture(scope="module")
def switched(prebuilt):
    """tests/sites/basic built strictly as the redacted offline copy (REDACTED=true OFFLINE=true)."""
    result = prebuilt("switched")
    assert result.returncode == 0, result.output
    return result.out


# ---- basic: what the plugin does after MkDocs -----------------------------------------------------


def test_exports_are_written_from_the_built_full_text(basic):
    lines = (basic / "2022/report-2022.txt").read_text("utf-8").splitlines()
    assert lines == [TITLE, "2022年，测试支部按照工作部署开展工作。现将工作情况报告如下：", "一、完成的主要工作",
                     "一是学习。全年共组织党员学习24次，讲党课4次。", f"在{LITERAL}报发表文章。",
                     "测试支部", "2023年1月10日"]
    paragraphs = [p.text for p in Document(basic / "2022/report-2022.docx").paragraphs if p.text]
    assert paragraphs == lines
    for page in ("2022", "2022/full"):
        hrefs = re.findall(r'<a class="report-download" href="([^"]+)" download="([^"]+)"', read(basic, page))
        assert [name for _, name in hrefs] == [f"{TITLE}.docx", f"{TITLE}.txt"], page
        assert all((basic / page / href).resolve().is_file() for href, _ in hrefs), page


def test_search_index_is_compact_utf8_and_the_worker_is_patched(basic):
    raw = (basic / "search/search_index.json").read_text("utf-8")
    assert "组织党员学习" in raw.replace("\u200b", "") and not re.search(r"\\u[4-9]", raw) and '", "' not in raw
    locations = [d["location"] for d in json.loads(raw)["docs"]]
    assert not any(loc.startswith("2022/full/") for loc in locations)  # the 全文 repeats the sections
    (worker,) = (basic / "assets/javascripts/workers").glob("search.*.min.js")
    text = worker.read_text("utf-8")
    assert not BUGGY.search(text) and len(FIXED.findall(text)) == 1


def test_one_stylesheet_one_early_script_and_no_shim_over_http(basic):
    html = read(basic, "2022/work")
    tree = lxml.html.fromstring(html)
    styles = [e.get("href") for e in tree.iter("link") if e.get("rel") == "stylesheet"]
    ours = [s for s in styles if "/main." not in s and "/palette." not in s]
    assert len(ours) == 1 and re.fullmatch(r"\.\./\.\./assets/stylesheets/site\.[0-9a-f]{8}\.min\.css", ours[0])
    bundle = (basic / "2022/work" / ours[0]).resolve().read_text("utf-8")
    assert bundle.index("/* stylesheets/first.css */") < bundle.index("/* stylesheets/second.css */")
    assert ".first-rule{color:red}" in bundle and "第一个样式文件" not in bundle
    assert not (basic / "stylesheets").exists()  # the separate files are not published
    scripts = [e.get("src") for e in tree.iter("script") if e.get("src")]
    assert [s.rsplit("/", 1)[-1].split(".")[0] for s in scripts] == ["early", "bundle"]
    assert '<script src="../../assets/javascripts/no-inline/early.js" data-md-scope="../..">' in html
    early = (basic / "assets/javascripts/no-inline/early.js").read_text("utf-8")
    assert early.index("__md_scope=") < early.index('__md_get("__palette")')
    assert not re.search(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>', html)  # the CSP


def test_figures_carry_labels_and_anchors_and_text_data_stays_literal(basic):
    html = read(basic, "2022/work")
    assert ('<span class="fig-anchor" id="fig-study.sessions"></span><span class="fig" data-fig="study.sessions" '
            'title="组织党员学习次数（次）">24</span>') in html.replace("&#95;", "_")
    (sentence,) = [b for b in blocks(html) if b.text.startswith("在")]
    assert sentence.text == f"在{LITERAL}报发表文章。"
    assert "<b>党建</b>" not in html and "<em>专刊</em>" not in html
    index = json.loads((basic / "search/search_index.json").read_text("utf-8"))
    texts = " ".join(lxml.html.fromstring(f"<p>{d['text']}</p>").text_content() for d in index["docs"] if d["text"])
    assert LITERAL in texts.replace("\u200b", "")


def test_every_page_links_to_its_source_and_year_pages_to_their_data(basic):
    pages = [p for p in basic.rglob("index.html") if 'class="md-content"' in p.read_text("utf-8")]
    assert len(pages) == 4
    for page in pages:
        html = page.read_text("utf-8")
        src = re.search(rf'href="{REPO}/_edit/main/tests/sites/basic/docs/([^"]+\.md)" rel="edit">编辑此页</a>', html)
        rel = page.parent.relative_to(basic).as_posix()
        assert src and src.group(1) in (f"{rel}.md", f"{rel}/index.md", "index.md"), (rel, html[-3000:])
        assert "最后更新：" in html
    assert f'href="{REPO}/_edit/main/tests/sites/basic/data/2022/figures.yaml" rel="edit">编辑本年度数据</a>' in read(
        basic, "2022/work")


def test_the_git_servers_address_is_only_in_edit_links(basic):
    """Browsers follow these links only when clicked: nothing is fetched from the git server."""
    for path in basic.rglob("*"):
        if path.suffix not in (".html", ".js", ".json", ".xml", ".css"):
            continue
        text = path.read_text("utf-8", errors="replace")
        assert 'data-md-component="source"' not in text, path  # Material's repository widget
        for match in re.finditer(re.escape(REPO), text):
            assert re.match(r'[^"]*" rel="edit">', text[match.end():]), (path, text[match.start() - 80: match.end() + 80])
            assert text[: match.start()].endswith('<a class="md-source-file__fact page-meta__edit" href="'), path


def test_without_the_sample_flag_no_sample_notice(basic):
    assert not any("sample-notice" in p.read_text("utf-8") for p in basic.rglob("*.html"))


# ---- basic, switched: the 脱敏版 offline copy -------------------------------------------------------


def test_redacted_switch_masks_every_output(switched):
    html = (switched / "2022/work.html").read_text("utf-8")
    (study,) = [b for b in blocks(html) if b.text.startswith("一是")]
    assert study.text == "一是学习。全年共组织党员学习**次，讲党课*次。"
    assert study.figs == [("study.sessions", "**"), ("lecture.secretary", "*")]
    lines = (switched / "2022/report-2022.txt").read_text("utf-8").splitlines()
    assert "一是学习。全年共组织党员学习**次，讲党课*次。" in lines and "在**报发表文章。" in lines
    assert [p.text for p in Document(switched / "2022/report-2022.docx").paragraphs if p.text] == lines
    outputs = [p.read_text("utf-8", errors="replace") for p in switched.rglob("*") if p.suffix in (".html", ".js", ".txt")]
    assert not any("党建" in text or ">24<" in text for text in outputs)
    assert f'download="{TITLE}（脱敏版）.docx"' in (switched / "2022/full.html").read_text("utf-8")


def test_offline_switch_links_html_files_and_inlines_the_index(switched):
    home = (switched / "index.html").read_text("utf-8")
    assert 'href="2022/index.html"' in home and 'href="2022/full.html"' in home
    assert (switched / "search/search_index.js").is_file()
    assert "assets/javascripts/iframe-worker/shim.js" in home  # the shim is loaded only here
    full = (switched / "2022/full.html").read_text("utf-8")
    assert 'href="report-2022.docx"' in full and (switched / "2022/report-2022.docx").is_file()


# ---- unfilled: 待填 in a preview, refused by a strict build ----------------------------------------


def test_a_preview_shows_placeholders_and_warns(prebuilt):
    result = prebuilt("unfilled-preview")
    assert result.returncode == 0, result.output
    warnings = [line for line in result.lines if line.startswith(("data/", "docs/"))]
    assert "data/2022/figures.yaml:1: 组织党员学习次数 (study.sessions)：待填" in warnings
    assert "data/2022/figures.yaml:2: 支部书记讲党课次数 (lecture.secretary)：数值 1200 大于 1000，可能多打了一位，请核对" in warnings
    assert "docs/2022/work.md:3: 正文仍是 2021 年度的文字（由 make new-year 复制），待改写；改写完成后删除这一行" in warnings
    assert re.search(r"WARNING\s+-\s+data/2022/figures\.yaml:1: ", result.stderr)
    html = read(result.out, "2022/work")
    assert re.search(r'<span class="fig fig--missing" data-fig="study.sessions"[^>]*>待填</span>次', html.replace("&#95;", "_"))
    assert "待改写" in html and "待改写" not in read(result.out, "2022/full")
    runs = [r for p in Document(result.out / "2022/report-2022.docx").paragraphs for r in p.runs if r.text == "待填"]
    assert len(runs) == 2 and all(r.font.highlight_color is not None for r in runs)


def test_a_strict_build_refuses_with_one_line_each_and_the_footer(prebuilt):
    result = assert_refused(prebuilt("unfilled-strict"))
    assert result.lines[-1] == (
        "2 个数据项待填、1 处数值需要核对、1 处正文待改写，严格模式拒绝发布，网站未更新（预览请用 make serve）。")
    assert "Aborted with a BuildError!" in result.stdout
    assert "data/2022/figures.yaml:3: 发表文章的报纸 (publicity.newspaper)：待填" in result.lines


# ---- bad data, a mistyped macro, a failing macro ---------------------------------------------------


def test_bad_data_is_all_listed_and_nothing_is_written(prebuilt):
    result = assert_refused(prebuilt("bad_data-preview"))  # even a preview refuses
    assert [line for line in result.lines if not line.startswith(("INFO", "[macros]", "Aborted"))] == [
        "data/branch.yaml:2: 未知数据项 parnet；是否是 parent？",
        "data/2022/report.yaml:2: 落款日期 (date)：应写成 2023-01-10 形式的真实日期（尚未确定写 待填），实际为 \"2023-02-30\"",
        'data/2022/figures.yaml:1: 组织党员学习次数 (study.sessions)：应为非负整数，实际为 "十二"',
        f"docs/2022/work.md:{line_of(SITES / 'bad_data/docs/2022/work.md', 'secretry')}: "
        "页面引用了未知数据项 lecture.secretry；是否是 lecture.secretary？",
        "发现 4 处数据错误，已停止构建，网站未更新。",
    ]


def test_the_traceback_only_with_verbose(prebuilt):
    result = assert_refused(prebuilt("bad_data-verbose"), verbose=True)
    assert "Traceback" in result.stderr and "DataErrors" in result.stderr
    assert '组织党员学习次数 (study.sessions)：应为非负整数，实际为 "十二"' in result.stderr


def test_a_mistyped_macro_name_stops_before_any_page(prebuilt):
    result = assert_refused(prebuilt("bad_macro-preview"))  # even a preview refuses
    n = line_of(SITES / "bad_macro/docs/2022/work.md", "figg")
    assert f"docs/2022/work.md:{n}: 页面调用了未定义的宏 figg；是否是 fig？" in result.lines


def test_a_failing_macro_in_a_page_is_one_line_with_page_and_line(prebuilt):
    result = prebuilt("bad_page")
    assert result.returncode != 0
    assert "Traceback" not in result.output and 'File "' not in result.output, result.output
    n = line_of(SITES / "bad_page/docs/2022/full.md", "wrok.md")
    message = f"docs/2022/full.md:{n}: 页面中的宏出错：找不到文件 docs/2022/wrok.md"
    assert re.search(rf"^ERROR\s+-\s+{re.escape(message)}$", result.stderr, re.M), result.stderr
    assert not result.out.exists(), "no page is written"


# ---- bad links ---------------------------------------------------------------------------------------


BAD_LINKS = ["no-such-page.md", "index.md#no-such-heading", "#no-such-anchor", "nowhere/", "/2022/",
             "../guide.md#2022-no.such"]


def test_bad_links_fail_the_strict_build_each_named(prebuilt):
    result = prebuilt("bad_link-strict")
    assert result.returncode != 0
    warned = [line for line in result.lines if line.startswith("Doc file '2022/work.md'")]
    for link in BAD_LINKS:
        assert any(f"'{link}'" in line for line in warned), link
    assert len(warned) == len(BAD_LINKS)  # the link to a row of a generated table is fine
    assert re.search(r"Aborted with \d+ warnings in strict mode", result.output)


def test_the_same_links_only_warn_in_a_preview(prebuilt):
    result = prebuilt("bad_link-preview")
    assert result.returncode == 0, result.output
    assert "no-such-page.md" in result.stderr and (result.out / "2022/work/index.html").is_file()


# ---- a new year: refused by a strict build until it is filled in --------------------------------------


def test_a_new_year_builds_as_a_preview_and_is_refused_until_filled(tmp_path):
    project = project_copy(tmp_path / "project", SITES / "basic")
    newyear.scaffold(project, 2023)
    strict = refused(project, tmp_path / "strict")
    date = line_of(project / "data/2023/report.yaml", "date:")
    assert f"data/2023/report.yaml:{date}: 落款日期 (date)：待填" in strict.lines
    drafts = len([p for p in (project / "docs/2023").rglob("*.md") if "draft_notice(2022)" in p.read_text("utf-8")])
    assert drafts == 3  # _opening, index and work: full.md has no prose of its own
    assert strict.lines[-1] == f"4 个数据项待填、{drafts} 处正文待改写，严格模式拒绝发布，网站未更新（预览请用 make serve）。"
    preview = build(project, tmp_path / "preview", strict=False)
    assert preview.returncode == 0, preview.output
    home = read(tmp_path / "preview", "")
    years = re.findall(r'<ul class="years">(.*?)</ul>', home)[0]
    assert re.findall(r"(\d{4})年工作情况报告", years) == ["2023", "2022"]  # the newest first, marked 最新
    assert years.index("最新") < years.index("2022")
    tab = re.search(r'<a href="([^"]+)"[^>]*class="md-tabs__link[^"]*"[^>]*>\s*报告|'
                    r'class="md-tabs__link[^"]*"[^>]*href="([^"]+)"[^>]*>\s*报告', home)
    assert tab and "2023" in (tab.group(1) or tab.group(2)), "the 报告 tab opens the newest year"
    assert "待改写" in read(tmp_path / "preview", "2023/work")
    assert '<span class="fig fig--missing" title="落款日期：待填">待填</span>' in read(tmp_path / "preview", "2023/full")
