"""Fixtures of the e2e tier: the real site built once per kind (normal, redacted, offline), served by
a plain server and by nginx, and a Chromium browser (helpers in tests/helpers/builds.py, servers.py,
browser.py)."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers.browser import CHROMIUM, CHROMIUM_ARGS, Watch, walk_nav
from helpers.builds import build
from helpers.files import ENV, ROOT
from helpers.servers import nginx, serve_folder


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
        ["make", "-s", "-C", str(ROOT), "offline", f"OFFLINE_ZIP={archive}"],
        capture_output=True, text=True, env=ENV, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp.iterdir()) == ["copy.zip"]  # no temporary folder left
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
