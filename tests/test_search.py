"""Chinese search in headless Chromium: domain terms find the sections that contain them."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import pytest

from hooks.search_fix import BUGGY, FIXED, patch_worker

TERMS = ["三会一课", "党风廉政", "主题党日", "谈心谈话", "八项规定", "微党课"]


def index_texts(site) -> dict[str, str]:
    """location -> title + text of every section in the search index (jieba's \u200b removed)."""
    docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
    return {d["location"]: (d["title"] + d["text"]).replace("\u200b", "") for d in docs}


def search(page, base: str, term: str) -> list[str]:
    page.goto(base)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(term)
    box.press("End")  # Material reacts to key events; fill() alone triggers nothing
    page.wait_for_selector(".md-search-result__list a.md-search-result__link", timeout=15000)
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__list a.md-search-result__link", "els => els.map(e => e.getAttribute('href'))"
    )
    hits = []
    for href in hrefs:
        url = urlparse(urljoin(base, href))
        if not parse_qs(url.query).get("h"):
            continue  # a page shown only as the heading of its matching sections
        location = url.path[len(urlparse(base).path) :]
        hits.append(unquote(location + ("#" + url.fragment if url.fragment else "")))
    return hits


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("term", TERMS)
def test_domain_term_finds_sections_containing_it(term, page, served, site):
    texts = index_texts(site)
    results = search(page, served, term)
    assert results, f"{term}: no results"
    containing = [loc for loc in results if term in texts.get(loc, "")]
    assert term in texts.get(results[0], ""), f"{term}: top hit {results[0]} lacks the term"
    assert len(containing) / len(results) >= 0.9, (term, results)


def test_the_index_keeps_domain_terms_whole(site):
    docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
    tokens = {t for d in docs for t in re.split(r"[\s\u200b]+", d["text"])}
    for term in TERMS:
        assert term in tokens, term


def test_patch_applies_exactly_once_to_the_shipped_worker(site):
    worker = next((site / "assets/javascripts/workers").glob("search.*.min.js")).read_text("utf-8")
    assert not BUGGY.search(worker) and len(FIXED.findall(worker)) == 1
    assert patch_worker(worker) == worker  # idempotent under `mkdocs serve`


def test_patch_refuses_unknown_code():
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="搜索分词补丁未能应用"):
        patch_worker("function segment(){}")


def test_without_the_patch_material_ranks_three_meetings_wrong(page, tmp_path, project):
    """The measured reason for hooks/search_fix.py: stock segment() splits 三会一课 into 三* 会* 一* 课*."""
    import threading
    from functools import partial
    from http.server import ThreadingHTTPServer

    from conftest import _QuietHandler, build

    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - hooks/search_fix.py\n", ""), "utf-8")
    out = tmp_path / "stock"
    assert build(project, out, strict=True).returncode == 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        texts = index_texts(out)
        results = search(page, base, "三会一课")
        containing = [loc for loc in results if "三会一课" in texts.get(loc, "")]
        assert "三会一课" not in texts.get(results[0], "") or len(containing) / len(results) < 0.9
    finally:
        server.shutdown()
