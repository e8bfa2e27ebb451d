"""Fixtures only; the helpers they use are in tests/helpers.py.

The real site is built once per session and variant (normal, 脱敏, offline copy) and shared by the
e2e tests; the fixture sites of the wiring tier are built by tests/test_wiring.py itself.
"""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import BACKGROUND, CHROMIUM, CHROMIUM_ARGS, ENV, ROOT, Watch, build, nginx, serve_folder, walk_nav

# ---- the real site, once per variant ------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once with --strict."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = build(ROOT, out)
    assert result.returncode == 0, result.output
    return out


@pytest.fixture(scope="session")
def site_redacted(tmp_path_factory) -> Path:
    """The 脱敏版 (make build-redacted: REDACTED=true), built once with --strict."""
    out = tmp_path_factory.mktemp("redacted") / "site"
    result = build(ROOT, out, env={"REDACTED": "true"})
    assert result.returncode == 0, result.output
    return out


@pytest.fixture(scope="session")
def site_offline(tmp_path_factory) -> Path:
    """The zip made by `make offline`, unpacked (the site folder inside it)."""
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


# ---- serving it ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def served(site):
    """The built site over plain HTTP on a loopback port."""
    url, server = serve_folder(site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def nginx_url(site, tmp_path_factory):
    """The built site served by nginx with deploy/nginx.conf on a free loopback port."""
    with nginx(site, tmp_path_factory.mktemp("nginx")) as url:
        yield url


# ---- the browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium: Debian's where present, else Playwright's own. Never skipped."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        kwargs = {"headless": True, "args": CHROMIUM_ARGS}
        if Path(CHROMIUM).exists():
            kwargs["executable_path"] = CHROMIUM
        try:
            browser = p.chromium.launch(**kwargs)
        except Exception as exc:  # no browser at all
            if os.environ.get("CI"):
                raise
            hint = "apt-get install chromium 或 python -m playwright install chromium"
            pytest.fail(f"没有可用的 Chromium：{exc}（{hint}）")
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def nav_walk(browser, nginx_url):
    """(pages, watch): every page the nav reaches, loaded once in Chromium with problems recorded."""
    context = browser.new_context(color_scheme="light")
    watch = Watch()
    page = watch.attach(context)
    pages = walk_nav(page, watch, nginx_url)
    yield pages, watch
    context.close()


# ---- the tiers ---------------------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e/ is marked e2e (make test-fast leaves it out) and nothing else is.
    The unit tests run first, then the wiring, then e2e; the wiring's fixture-site builds start now,
    in the background, while the unit tests run."""
    e2e_dir = Path(__file__).parent / "e2e"
    wiring = Path(__file__).parent / "test_wiring.py"
    for item in items:
        inside = e2e_dir in Path(item.fspath).parents
        if inside != bool(item.get_closest_marker("e2e")):
            raise pytest.UsageError(f"{item.nodeid}: tests/e2e/ 中的测试必须（且只有它们）标记 @pytest.mark.e2e")
    tier = {False: 0, True: 1}
    items.sort(key=lambda item: (2 if item.get_closest_marker("e2e") else tier[Path(item.fspath) == wiring]))
    if any(Path(item.fspath) == wiring for item in items) and not config.option.collectonly:
        BACKGROUND.start()


def pytest_sessionfinish(session, exitstatus):
    BACKGROUND.close()


@pytest.fixture(scope="session")
def prebuilt():
    """name -> the finished background build of tests/helpers.py's WIRING_BUILDS."""
    return BACKGROUND.result
