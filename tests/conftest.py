"""Shared fixtures: the project as small sites built in subprocesses, and a browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT_PARTS = ["mkdocs.yml", "docs", "data", "macros", "schemas", "overrides", "deploy"]
MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def copy_project(dest: Path) -> Path:
    """A copy of the real project (config, pages, data, code) to modify in a test."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


def build(project: Path, out: Path, strict: bool = True, env: dict | None = None):
    """Run `mkdocs build` on a project directory; return the CompletedProcess."""
    # not -q: with --quiet MkDocs drops warnings before --strict can count them (broken links would pass)
    cmd = [*MKDOCS, "build", "-d", str(out), "-f", str(project / "mkdocs.yml")]
    if strict:
        cmd.append("--strict")
    return subprocess.run(
        cmd, cwd=project, capture_output=True, text=True, env={**ENV, **(env or {})}, timeout=300
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once with --strict."""
    out = tmp_path_factory.mktemp("site")
    result = build(ROOT, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture()
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text("utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served(site):
    """The built site over HTTP on a loopback port."""
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium: Debian's where present, else Playwright's own. In CI never skipped."""
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


# ---- e2e: the site behind the real nginx (deploy/nginx.conf), walked through its navigation ----


@pytest.fixture(scope="session")
def nginx_url(site, tmp_path_factory):
    """The built site served by nginx with deploy/nginx.conf on a free loopback port."""
    from nginx_server import nginx

    with nginx(site, tmp_path_factory.mktemp("nginx")) as url:
        yield url


@pytest.fixture(scope="session")
def nav_walk(browser, nginx_url):
    """(pages, watch): every page the nav reaches, loaded once in Chromium with problems recorded."""
    from browser_walk import Watch, walk_nav

    context = browser.new_context(color_scheme="light")
    watch = Watch()
    page = watch.attach(context)
    pages = walk_nav(page, watch, nginx_url)
    yield pages, watch
    context.close()
