"""`make offline`: a zip that works opened from disk (file://), search included, no outside requests."""

from __future__ import annotations

import hashlib
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
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
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
    page.close()
    outside = [url for url in requests if not url.startswith(("file://", "data:", "blob:", "about:"))]
    assert outside == []
    assert any(url.endswith("search/search_index.js") for url in requests)


def test_vendored_shim_is_the_npm_release():
    """docs/assets/javascripts/iframe-worker/shim.js is iframe-worker 1.0.4's shim/index.js, unchanged."""
    shim = (ROOT / "docs/assets/javascripts/iframe-worker/shim.js").read_bytes()
    assert hashlib.sha256(shim).hexdigest() == "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609"
    assert b'location.protocol==="file:"&&(window.Worker=o)' in shim  # does nothing over http
