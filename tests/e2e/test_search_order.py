"""Search in the browser at two years: the latest year's page first, last year's pages after it (still
findable by their words after make new-year), each hit naming its year; older years once, as the 往年 group."""

from __future__ import annotations

import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers.files import project_copy

from macros.commands.newyear import scaffold

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("two-years")
    project = project_copy(tmp / "p")
    scaffold(project, 2023)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp / "site")], cwd=project,
                   check=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    return tmp / "site"


def _search(site: Path, browser, query: str) -> list[tuple[str, str]]:
    """(path, title) of each result item (one item per page: its sections are inside it)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/", wait_until="load")
        page.fill("input.md-search__input", query)
        page.press("input.md-search__input", "End")  # Material reads the query on keyup
        page.wait_for_selector(".md-search-result__item", state="visible", timeout=60000)
        return page.eval_on_selector_all(".md-search-result__item", """items => items.map(i => [
            new URL(i.querySelector('a').href).pathname,
            i.querySelector('h1').textContent.replace(/\u200b/g, '')])""")
    finally:
        page.close()
        server.shutdown()


def test_the_latest_year_comes_first_then_last_year_each_hit_with_its_year(two_years, browser):
    found = _search(two_years, browser, "三会一课")
    paths = [path for path, _ in found]
    assert paths[0] == "/2023/checklists/compliance/"
    assert paths.index("/2022/checklists/compliance/") > 0  # last year's page: indexed, after the latest's
    for path, title in found:
        if path.startswith(("/2022/", "/2023/")):
            assert title.endswith(f"（{path[1:5]}年度）"), (path, title)
    archive = [i for i, path in enumerate(paths) if path.startswith("/archive/")]
    assert len(archive) <= 1  # older years (none here: 2022 is indexed in full) as one group


def test_last_years_words_are_found_after_a_new_year(two_years, browser):
    """After make new-year the 2022 report is the year before the latest: its own words still find it."""
    found = [tuple(hit) for hit in _search(two_years, browser, "问题整改清单")]
    assert ("/2022/checklists/rectification/", "一、问题整改清单（2022年度）") in found, found
    assert ("/2023/checklists/rectification/", "一、问题整改清单（2023年度）") in found, found
