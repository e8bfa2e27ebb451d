"""`make offline`: a zip that works opened from disk (file://), search included, no outside requests."""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from conftest import ENV, ROOT

LINKED = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src"}


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> Path:
    """The zip made by `make offline`, unpacked."""
    tmp = tmp_path_factory.mktemp("offline")
    archive = tmp / "copy.zip"
    result = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "offline", f"OFFLINE_ZIP={archive}", f"OFFLINE_TMP={tmp / 'build'}"],
        capture_output=True, text=True, env=ENV, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(tmp / "unpacked")
    return tmp / "unpacked/site"


def test_zip_holds_the_site_search_and_downloads(offline):
    assert not (offline / "404.html").exists()  # a server's page, with absolute paths
    for name in ("index.html", "2022/full.html", "search/search_index.js", "2022/report-2022.docx",
                 "2022/report-2022.txt", "assets/javascripts/iframe-worker/shim.js"):
        assert (offline / name).is_file(), name
    # the shim is loaded only here (hooks/assets.py): over http it does nothing
    assert "assets/javascripts/iframe-worker/shim.js" in (offline / "index.html").read_text("utf-8")


def test_every_reference_is_local_and_resolves(offline):
    """No page loads anything from another host, and every local link opens a file of the copy."""
    for page in offline.rglob("*.html"):
        tree = lxml.html.fromstring(page.read_text("utf-8"))
        for element in tree.iter(*LINKED):
            url = element.get(LINKED[element.tag])
            if not url or element.get("rel") == "canonical":
                continue  # the canonical URL names the server copy; a browser never loads it
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, (page, url)
            if not parts.path:
                continue  # #anchor
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), (page.relative_to(offline), url)
    # Material's bundle names unpkg only for fallbacks this site never takes (a ResizeObserver
    # polyfill for old browsers, mermaid for diagrams); the browser test below sees no such request
    for path in offline.rglob("*"):
        if path.suffix in {".html", ".css", ".js"} and "bundle." not in path.name:
            assert "unpkg.com" not in path.read_text("utf-8"), path


def test_search_works_from_file_url_with_no_outside_request(offline, browser):
    """Under the pages' Content-Security-Policy (a meta element: no server sends the header here),
    which allows the search shim's inline iframe script by its hash and nothing else inline."""
    page = browser.new_page()
    requests, console = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.goto((offline / "index.html").as_uri())
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
    page.goto((offline / "index.html").as_uri())
    page.locator(".years a").first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith("/2022/index.html")
    # search from a page one folder down (another relative path to the worker, another hash)
    page.goto((offline / "2022/index.html").as_uri())
    box = page.locator("input.md-search__input")
    box.fill("主题党日")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    page.close()
    assert console == [], console  # no CSP violation, no failed load
    outside = [url for url in requests if not url.startswith(("file://", "data:", "blob:", "about:"))]
    assert outside == []
    assert any(url.endswith("search/search_index.js") for url in requests)


def test_pages_carry_the_servers_policy_and_it_blocks_injected_script(offline, browser, tmp_path):
    """What the CSP meta element is for: if an escaping bug ever let data text become markup, an
    event handler or a javascript: link in the offline copy would still not run."""
    for name in ("index.html", "2022/index.html", "2022/full.html"):
        html = (offline / name).read_text("utf-8")
        head = html[: html.index("<script")]  # before any script runs
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert meta, name
        assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+';", meta.group(1)), meta.group(1)
    html = (offline / "2022/work/political.html").read_text("utf-8")
    evil = offline / "2022/work/injected-test.html"
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


def test_vendored_shim_is_the_npm_release():
    """docs/assets/javascripts/iframe-worker/shim.js is iframe-worker 1.0.4's shim/index.js, unchanged."""
    shim = (ROOT / "docs/assets/javascripts/iframe-worker/shim.js").read_bytes()
    assert hashlib.sha256(shim).hexdigest() == "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609"
    assert b'location.protocol==="file:"&&(window.Worker=o)' in shim  # does nothing over http
