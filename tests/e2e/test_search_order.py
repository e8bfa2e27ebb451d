"""Search in the browser at two years: the latest year's page first, older years once, as the 往年 group."""

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


def test_the_latest_year_comes_first_and_older_years_once_as_a_group(two_years, browser):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(two_years)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/", wait_until="load")
        page.fill("input.md-search__input", "三会一课")
        page.press("input.md-search__input", "End")  # Material reads the query on keyup
        page.wait_for_selector(".md-search-result__item", state="visible", timeout=60000)
        paths = page.eval_on_selector_all(  # one item per page: its sections are inside it
            ".md-search-result__item", "items => items.map(i => new URL(i.querySelector('a').href).pathname)")
    finally:
        page.close()
        server.shutdown()
    assert paths[0] == "/2023/checklists/compliance/"
    assert not any(path.startswith("/2022/") for path in paths)  # older pages are not listed one by one
    archive = [i for i, path in enumerate(paths) if path.startswith("/archive/")]
    latest = [i for i, path in enumerate(paths) if path.startswith("/2023/")]
    assert len(archive) == 1 and archive[0] > max(latest)
