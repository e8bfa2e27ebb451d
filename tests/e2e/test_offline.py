"""`make offline`, built once: a zip that works opened from disk (file://), search included, no
request to any other host."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

pytestmark = pytest.mark.e2e

LINKED = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src"}


def test_zip_holds_the_site_search_and_downloads(site_offline):
    assert not (site_offline / "404.html").exists()  # a server's page, with absolute paths
    for name in ("index.html", "2022/full.html", "search/search_index.js", "2022/report-2022.docx",
                 "2022/report-2022.txt", "assets/javascripts/iframe-worker/shim.js"):
        assert (site_offline / name).is_file(), name
    # the shim is loaded only here (macros/site/assets.py): over http it does nothing
    assert "assets/javascripts/iframe-worker/shim.js" in (site_offline / "index.html").read_text("utf-8")


def test_every_reference_is_local_and_resolves(site_offline):
    """No page loads anything from another host, and every local link opens a file of the copy."""
    for page in site_offline.rglob("*.html"):
        tree = lxml.html.fromstring(page.read_text("utf-8"))
        for element in tree.iter(*LINKED):
            url = element.get(LINKED[element.tag])
            if not url or element.get("rel") == "canonical":
                continue  # the canonical URL names the server copy; a browser never loads it
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, (page, url)
            if parts.path:
                assert (page.parent / unquote(parts.path)).resolve().is_file(), (page.relative_to(site_offline), url)
    # Material's bundle names unpkg only for fallbacks this site never takes (a ResizeObserver polyfill
    # for old browsers, mermaid for diagrams); the browser test below sees no such request
    for path in site_offline.rglob("*"):
        if path.suffix in {".html", ".css", ".js"} and "bundle." not in path.name:
            assert "unpkg.com" not in path.read_text("utf-8"), path


def test_search_works_from_file_url_with_no_outside_request(site_offline, browser):
    """Under the pages' Content-Security-Policy (a meta element: no server sends the header here),
    which allows the search shim's inline iframe script by its hash and nothing else inline."""
    page = browser.new_page()
    requests, console = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.goto((site_offline / "index.html").as_uri())
    box = page.locator("input.md-search__input")
    box.fill("三会一课")
    box.press("End")  # Material reacts to key events; fill() alone may trigger nothing
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    assert page.locator(".md-search-result__item").count() >= 1
    assert "符合条件的结果" in page.inner_text(".md-search-result__meta")
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and urlsplit(page.url).path.endswith(".html")
    assert "三会一课" in page.inner_text("article")
    # the years list and the download links are .html / file links in the copy
    page.goto((site_offline / "index.html").as_uri())
    page.locator(".years a").first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith("/2022/index.html")
    # search from a page one folder down (another relative path to the worker, another hash)
    page.goto((site_offline / "2022/index.html").as_uri())
    box = page.locator("input.md-search__input")
    box.fill("主题党日")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    page.close()
    assert console == [], console  # no CSP violation, no failed load
    outside = [url for url in requests if not url.startswith(("file://", "data:", "blob:", "about:"))]
    assert outside == []
    assert any(url.endswith("search/search_index.js") for url in requests)


def test_pages_carry_the_servers_policy_and_it_blocks_injected_script(site_offline, browser, tmp_path):
    """What the CSP meta element is for: if an escaping bug ever let data text become markup, an
    event handler or a javascript: link in the offline copy would still not run."""
    for name in ("index.html", "2022/index.html", "2022/full.html"):
        html = (site_offline / name).read_text("utf-8")
        head = html[: html.index("<script")]  # before any script runs
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert meta, name
        assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+';", meta.group(1)), meta.group(1)
    html = (site_offline / "2022/work/political.html").read_text("utf-8")
    evil = site_offline / "2022/work/injected-test.html"
    evil.write_text(html.replace("</article>", '<img src="no-such.png" onerror="document.title=\'pwned\'">'
                                 '<a id="evil" href="javascript:document.title=\'pwned\'">x</a></article>'), "utf-8")
    page = browser.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    try:
        page.goto(evil.as_uri())
        page.click("#evil")
        page.wait_for_timeout(300)
        assert page.title() != "pwned"
    finally:
        page.close()
        evil.unlink()
    assert sum("Content Security Policy" in text for text in console) == 2, console
