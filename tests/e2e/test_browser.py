"""The real site in Chromium, mostly behind the real nginx with deploy/nginx.conf.

The pages are not listed here: `nav_walk` (conftest) follows the navigation from the home page, so
pages other helpers add are covered as soon as the nav shows them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import material
import pytest
import yaml
from helpers.browser import Watch
from helpers.files import ENV, MKDOCS, ROOT, SITES, edit, project_copy
from helpers.servers import free_port, serve_folder

pytestmark = pytest.mark.e2e

SEARCH_TERMS = ["三会一课", "党风廉政", "主题党日", "谈心谈话", "八项规定", "微党课", "承诺书"]
PHONE = {"width": 375, "height": 812}
# Is this element what a tap at its centre would hit (not covered by another drawer level)?
ON_TOP = """el => { const r = el.getBoundingClientRect();
  return r.width > 0 && el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); }"""
CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-top"]


def built_pages(site: Path) -> set[str]:
    """URL paths of every page in the build (directory URLs), without the 404 page."""
    return {
        "/" + p.parent.relative_to(site).as_posix().removeprefix(".") + ("/" if p.parent != site else "")
        for p in site.rglob("index.html")
        if "assets" not in p.relative_to(site).parts
    }


# ---- every page in the nav --------------------------------------------------------------------------


def test_nav_reaches_every_page_of_the_build(nav_walk, site):
    pages, _ = nav_walk
    reached = {urlparse(p.url).path for p in pages}
    assert len(reached) >= 20
    assert reached == built_pages(site)


def test_every_page_loads_without_console_error_failed_or_outside_request(nav_walk):
    _, watch = nav_walk
    assert len(watch.problems) >= 20
    assert watch.all_problems() == []
    assert watch.external == []


def test_every_page_has_a_title_and_chinese_lang(nav_walk):
    pages, _ = nav_walk
    for page in pages:
        assert page.lang == "zh", page.url
        assert page.title.strip(), page.url


def test_sample_notice_visible_on_every_page_while_the_flag_is_on(nav_walk):
    pages, _ = nav_walk
    assert any(yaml.safe_load(p.read_text("utf-8")).get("sample") for p in ROOT.glob("data/*/report.yaml")), \
        "data/*/report.yaml: this test expects the shipped sample data (tests/wiring/test_sites.py: without the flag)"
    assert [p.url for p in pages if not p.notice_visible] == []


def reach_outside(browser, base) -> Watch:
    context = browser.new_context()
    try:
        watch = Watch()
        page = watch.attach(context)
        watch.visit(page, base)
        page.evaluate("""() => { const i = new Image(); i.src = 'http://198.51.100.7/x.png';
                                 document.body.append(i); console.error('boom'); }""")
        page.wait_for_timeout(300)
        watch.collect(page)
        return watch
    finally:
        context.close()


def test_the_watch_catches_an_outside_request_and_a_console_error(browser, served):
    """The checks above can fail: without nginx's CSP, the request reaches the route and is recorded."""
    watch = reach_outside(browser, served)
    assert watch.external == ["http://198.51.100.7/x.png"]
    assert any("console error: boom" in p for p in watch.all_problems())


def test_behind_nginx_the_csp_stops_an_outside_request_first(browser, nginx_url):
    watch = reach_outside(browser, nginx_url)
    assert watch.external == []
    assert any("CSP violation: img-src http://198.51.100.7/x.png" in p for p in watch.all_problems()), watch.problems


# ---- search ------------------------------------------------------------------------------------------


def index_texts(site: Path) -> dict[str, str]:
    docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
    return {d["location"]: (d["title"] + d["text"]).replace("\u200b", "") for d in docs}


def search_results(page, base: str, term: str) -> list[str]:
    """Locations (as in the search index) of the result sections, in the order shown."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(term)
    box.press("End")  # Material listens to key events
    page.wait_for_selector(".md-search-result__list a.md-search-result__link", timeout=15000)
    page.wait_for_function(
        "t => document.querySelector('.md-search-result__meta').textContent.length > 0 &&"
        " document.querySelector('input.md-search__input').value === t",
        arg=term,
    )
    hrefs = page.eval_on_selector_all(
        ".md-search-result__list a.md-search-result__link", "els => els.map(e => e.getAttribute('href'))"
    )
    found = []
    for href in hrefs:
        url = urlparse(urljoin(page.url, href))
        if not parse_qs(url.query).get("h"):
            continue  # a page shown only as the header of its matching sections
        found.append(unquote(url.path[len(urlparse(base).path):] + ("#" + url.fragment if url.fragment else "")))
    return found


@pytest.fixture(scope="module")
def search_page(browser, nginx_url):
    context = browser.new_context()
    watch = Watch()
    page = watch.attach(context)
    watch.visit(page, nginx_url)
    yield page, watch
    context.close()


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_lists_sections_containing_the_term_first(term, search_page, nginx_url, site):
    page, watch = search_page
    texts = index_texts(site)
    assert any(term in t for t in texts.values()), f"{term} is on no page"
    results = search_results(page, nginx_url, term)
    assert results, f"{term}: no results"
    has = [term in texts.get(loc, "") for loc in results]
    assert has[0], f"{term}: the first result {results[0]} does not contain it"
    # every section containing the term comes before every section that does not
    assert has == sorted(has, reverse=True), list(zip(results, has, strict=True))
    assert sum(has) / len(has) >= 0.9, list(zip(results, has, strict=True))
    assert watch.all_problems() == []


def test_without_the_fix_material_ranks_three_meetings_wrong(site, browser, tmp_path):
    """The measured reason for the segmenter fix (macros/site/search_setup.py): the same site with Material's
    own worker splits 三会一课 into 三* 会* 一* 课*."""
    stock = shutil.copytree(site, tmp_path / "stock")
    (worker,) = (stock / "assets/javascripts/workers").glob("search.*.min.js")
    shutil.copy(Path(material.__file__).parent / "templates/assets/javascripts/workers" / worker.name, worker)
    base, server = serve_folder(stock)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base)
        texts = index_texts(stock)
        results = search_results(page, base, "三会一课")
        containing = [loc for loc in results if "三会一课" in texts.get(loc, "")]
        assert "三会一课" not in texts.get(results[0], "") or len(containing) / len(results) < 0.9
    finally:
        context.close()
        server.shutdown()


# ---- light / dark, phone, print -----------------------------------------------------------------------


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_palette_toggle_switches_and_persists(browser, nginx_url, nav_walk):
    pages, _ = nav_walk
    context = browser.new_context(color_scheme="light")
    try:
        watch = Watch()
        page = watch.attach(context)
        watch.visit(page, nginx_url)
        assert scheme(page) == "default"
        light = background(page)
        page.locator("label.md-header__button[for^='__palette']:visible").click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
        assert background(page) != light
        watch.visit(page, page.url)  # reload
        assert scheme(page) == "slate", "the choice survives a reload"
        watch.visit(page, pages[-1].url)
        assert scheme(page) == "slate" and background(page) != light, "and holds on another page"
        page.locator("label.md-header__button[for^='__palette']:visible").click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
        watch.visit(page, page.url)
        assert scheme(page) == "default" and background(page) == light
        assert watch.all_problems() == []
    finally:
        context.close()


def test_phone_drawer_opens_and_reaches_every_section(browser, nginx_url):
    desktop = browser.new_context()
    try:
        page = desktop.new_page()
        page.goto(nginx_url)
        tabs = [urljoin(page.url, h) for h in
                page.eval_on_selector_all("a.md-tabs__link", "els => els.map(e => e.getAttribute('href'))")]
    finally:
        desktop.close()
    assert len(tabs) >= 2
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        watch = Watch()
        page = watch.attach(context)
        for target in tabs:
            watch.visit(page, tabs[-1] if target == tabs[0] else tabs[0])
            assert not page.locator("nav.md-tabs").is_visible(), "tabs are hidden on a phone"
            drawer = page.locator("nav.md-nav--primary")
            assert not drawer.is_visible() or drawer.bounding_box()["x"] + drawer.bounding_box()["width"] <= 0
            page.locator("label.md-header__button[for='__drawer']").click()
            page.wait_for_function(
                "() => { const r = document.querySelector('nav.md-nav--primary').getBoundingClientRect();"
                " return r.left >= 0 && r.width > 0; }"
            )
            items = page.locator("nav.md-nav--primary > ul.md-nav__list > li.md-nav__item")
            assert items.count() == len(tabs), "one drawer entry per section"
            # The drawer opens at the current section's level; a reader taps the back arrow (top left)
            # until the top level, where every section has an entry, shows.
            entry = None
            for _ in range(4):
                entries = page.locator("nav.md-nav--primary > ul.md-nav__list > li.md-nav__item > a.md-nav__link")
                for candidate in entries.all():
                    if urljoin(page.url, candidate.get_attribute("href")) == target and candidate.evaluate(ON_TOP):
                        entry = candidate
                if entry:
                    break
                page.mouse.click(24, 24)
                page.wait_for_timeout(400)  # the drawer slides
            assert entry is not None, f"{target}: no drawer entry reachable"
            entry.click()
            page.wait_for_url(target)
            assert page.locator(".md-content h1").first.is_visible()
        assert watch.all_problems() == []
    finally:
        context.close()


def test_print_hides_the_site_chrome(browser, nginx_url, nav_walk):
    pages, _ = nav_walk
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(pages[-1].url)
        assert page.locator(".md-header").is_visible()  # on screen the chrome is there
        page.emulate_media(media="print")
        for selector in CHROME:
            for element in page.locator(selector).all():
                assert not element.is_visible(), f"{selector} is printed"
        assert page.locator(".md-content h1").first.is_visible()
        assert page.locator(".md-content .md-typeset").first.inner_text().strip()
    finally:
        context.close()


def test_progress_and_overdue_readable_in_print(served, browser):
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.emulate_media(media="print")
    page.goto(served + "2022/plan/")
    percent = page.locator(".loop-overall .loop-progress__percent")
    assert re.fullmatch(r"\d+%", percent.inner_text()) and percent.is_visible()
    js = ("s => { const c = getComputedStyle(document.querySelector(s));"
          " return [c.borderTopStyle, c.printColorAdjust, c.color]; }")
    assert page.evaluate(js, ".loop-overall .loop-progress__track")[:2] == ["solid", "exact"]
    assert page.evaluate(js, ".loop-overdue")[2] == "rgb(0, 0, 0)"  # black text on white, the word 逾期 stays
    assert page.locator(".loop-overdue").first.inner_text().endswith("逾期")
    assert page.evaluate(js, "a.loop-overdue-count")[2] == "rgb(0, 0, 0)"
    page.emulate_media(media="screen")
    page.goto(served + "2022/checklists/compliance/")
    rule = page.locator("#rule-general_meetings .loop-rule")
    gist = "党支部党员大会是党支部的议事决策机构，由全体党员参加，一般每季度召开1次。"
    assert rule.get_attribute("title") == f"规定要点：{gist}"
    page.close()
    assert requests and all(url.startswith(served) for url in requests), requests


def test_chart_in_dark_mode_uses_the_page_colours(served, browser):
    page = browser.new_page(color_scheme="dark")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served + "figures/")
    fill = page.eval_on_selector(".yoy-chart text.value", "e => getComputedStyle(e).fill")
    body = page.eval_on_selector("body", "e => getComputedStyle(e).color")
    bar = page.eval_on_selector(".yoy-chart rect.reactive", "e => getComputedStyle(e).fill")
    primary = page.eval_on_selector("body", "e => getComputedStyle(e).getPropertyValue('--md-primary-fg-color').trim()")
    page.emulate_media(media="print")  # printed on white paper: black text, even from a dark screen
    printed = page.eval_on_selector(".yoy-chart text.value", "e => getComputedStyle(e).fill")
    page.close()
    assert fill == body and fill.startswith("rgba(226"), (fill, body)  # light text on the dark page
    assert printed == "rgb(0, 0, 0)", printed
    assert bar not in ("rgb(0, 0, 0)", "none") and primary
    assert all(url.startswith(served) for url in requests)


# ---- the 编辑指南 in the browser ----------------------------------------------------------------------


def test_completeness_link_highlights_the_figure(served, browser):
    page = browser.new_page()
    page.goto(served + "guide/completeness/")
    page.locator('tr[id="2022-docs.notices"] a').first.click()
    page.wait_for_url("**/2022/work/political/#fig-docs.notices")
    target = page.locator('[id="fig-docs.notices"] + .fig')
    value = yaml.safe_load((ROOT / "data/2022/figures.yaml").read_text("utf-8"))["docs.notices"]
    assert target.inner_text() == str(value)
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    page.close()


def test_guide_tables_fit_a_phone(served, browser):
    page = browser.new_page(viewport={"width": 400, "height": 800})
    for url in ("guide/completeness/", "guide/fields/"):
        page.goto(served + url)
        assert page.locator(".guide-table").first.evaluate("e => e.getBoundingClientRect().right") <= 400, url
        assert page.evaluate("document.documentElement.scrollWidth") <= 400, url
    page.close()


# ---- make serve: the open page reloads itself -----------------------------------------------------------


def test_an_open_page_shows_a_saved_edit_by_itself(browser, tmp_path):
    """MkDocs livereload: nobody presses F5. On the tiny site (tests/sites/basic)."""
    project = project_copy(tmp_path / "project", SITES / "basic")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with (tmp_path / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload", "-f", str(project / "mkdocs.yml")],
            cwd=project, stdout=log, stderr=subprocess.STDOUT, env=ENV)
        try:
            page = browser.new_page()
            requests, console = [], []
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            deadline = time.monotonic() + 90
            while True:
                try:
                    page.goto(base + "2022/work/")
                    break
                except Exception:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise
                    time.sleep(0.3)
            # under the page's Content-Security-Policy meta element, which allows MkDocs' inline
            # live-reload script by a nonce (macros/site/csp.py) and no other inline script
            policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
            script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
            assert script_src[0] == "'self'" and len(script_src) == 2 and script_src[1].startswith("'nonce-"), policy
            page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.pwned=1\">')")
            page.wait_for_timeout(300)
            assert page.evaluate("window.pwned") is None, "an injected event handler must not run"
            shown = "document.querySelector('[data-fig=\"study.sessions\"]').textContent"
            assert page.evaluate(shown) == "24"
            edit(project / "data/2022/figures.yaml", "study.sessions: 24", "study.sessions: 35")
            page.wait_for_function(f"() => {shown} === '35'", timeout=8000)  # a function: no eval under the CSP
            page.close()
            assert all(url.startswith(base) for url in requests)
            assert any("Enabled live reload" in text for text in console), console
            violations = [text for text in console if "Content Security Policy" in text]
            assert len(violations) == 1 and "inline event handler" in violations[0], violations
        finally:
            process.terminate()
            process.wait(timeout=30)
