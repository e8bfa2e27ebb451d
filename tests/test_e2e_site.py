"""End to end, in Chromium, against the real nginx with deploy/nginx.conf (tests/nginx_server.py).

The pages are not listed here: `nav_walk` (conftest) follows the navigation from the home page,
so pages other helpers add are covered as soon as the nav shows them.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import pytest
import yaml
from browser_walk import Watch

ROOT = Path(__file__).resolve().parent.parent
SEARCH_TERMS = ["三会一课", "主题党日", "谈心谈话", "八项规定", "承诺书"]
PHONE = {"width": 375, "height": 812}
# Is this element what a tap at its centre would hit (not covered by another drawer level)?
ON_TOP = """el => { const r = el.getBoundingClientRect();
  return r.width > 0 && el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); }"""


def built_pages(site: Path) -> set[str]:
    """URL paths of every page in the build (directory URLs), without the 404 page."""
    return {
        "/" + p.parent.relative_to(site).as_posix().removeprefix(".") + ("/" if p.parent != site else "")
        for p in site.rglob("index.html")
        if "assets" not in p.relative_to(site).parts
    }


def sample_flag_on() -> bool:
    return any(yaml.safe_load(p.read_text("utf-8")).get("sample") for p in ROOT.glob("data/*/report.yaml"))


# ---- every page in the nav --------------------------------------------------------------


def test_nav_reaches_every_page_of_the_build(nav_walk, site, nginx_url):
    pages, _ = nav_walk
    reached = {urlparse(p.url).path for p in pages}
    assert len(reached) >= 5
    assert reached == built_pages(site)


def test_every_page_loads_without_console_error_or_failed_request(nav_walk):
    _, watch = nav_walk
    assert len(watch.problems) >= 5
    assert watch.all_problems() == []


def test_no_request_leaves_the_machine(nav_walk):
    _, watch = nav_walk
    assert watch.external == []


def test_every_page_has_a_title_and_chinese_lang(nav_walk):
    pages, _ = nav_walk
    for page in pages:
        assert page.lang == "zh", page.url
        assert page.title.strip(), page.url


def test_sample_notice_visible_on_every_page_while_flag_is_on(nav_walk):
    pages, _ = nav_walk
    assert sample_flag_on(), "data/*/report.yaml: this test expects the shipped sample data"
    assert [p.url for p in pages if not p.notice_visible] == []


def test_sample_notice_gone_when_flag_is_off(project, tmp_path, browser):
    from conftest import build
    from nginx_server import nginx

    for report in project.glob("data/*/report.yaml"):
        text = report.read_text("utf-8")
        report.write_text(text.replace("sample: true", "sample: false"), "utf-8")
    out = tmp_path / "site"
    result = build(project, out)
    assert result.returncode == 0, result.stderr
    context = browser.new_context()
    try:
        page = context.new_page()
        with nginx(out, tmp_path / "nginx") as url:
            for path in ("", "2022/"):
                page.goto(url + path)
                assert page.locator(".md-content h1").first.is_visible()
                assert page.locator(".sample-notice").count() == 0
    finally:
        context.close()


# ---- search ---------------------------------------------------------------------------


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
        location = unquote(url.path[len(urlparse(base).path) :] + ("#" + url.fragment if url.fragment else ""))
        found.append(location)
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
def test_search_lists_pages_containing_the_term_first(term, search_page, nginx_url, site):
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


# ---- light / dark -----------------------------------------------------------------------


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
        watch.visit(page, page.url)  # reload, and wait for it to settle
        assert scheme(page) == "slate", "the choice survives a reload"
        watch.visit(page, pages[-1].url)
        assert scheme(page) == "slate", "and holds on another page"
        assert background(page) != light
        page.locator("label.md-header__button[for^='__palette']:visible").click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
        watch.visit(page, page.url)  # reload, and wait for it to settle
        assert scheme(page) == "default" and background(page) == light
        assert watch.all_problems() == []
    finally:
        context.close()


# ---- phone: the navigation drawer -----------------------------------------------------------


def test_phone_drawer_opens_and_reaches_every_section(browser, nginx_url):
    desktop = browser.new_context()
    try:
        page = desktop.new_page()
        page.goto(nginx_url)
        tabs = [
            urljoin(page.url, h)
            for h in page.eval_on_selector_all("a.md-tabs__link", "els => els.map(e => e.getAttribute('href'))")
        ]
    finally:
        desktop.close()
    assert len(tabs) >= 2

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        watch = Watch()
        page = watch.attach(context)
        for target in tabs:
            start = tabs[-1] if target == tabs[0] else tabs[0]
            watch.visit(page, start)
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
            assert entry is not None, f"{target}: no drawer entry reachable from {start}"
            entry.click()
            page.wait_for_url(target)
            assert page.locator(".md-content h1").first.is_visible()
        assert watch.all_problems() == []
    finally:
        context.close()


# ---- print ---------------------------------------------------------------------------------

CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-top"]


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
