"""Edit to refresh: time from saving a change to data/<year>/figures.yaml to the new value being served.

`Server` runs `mkdocs serve` on a free loopback port for one project; `edit_and_wait` writes a
new value for one figure and polls the page that shows it until the value appears.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .harness import Run

KEY = "study.sessions"
YEAR = 2022


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page_of(project: Path, key: str = KEY, year: int = YEAR) -> str:
    """The URL path of the first page of `year` (not the 全文) that shows `key`."""
    call = re.compile(rf"""\bfig\(\s*["']{re.escape(key)}["']""")
    for page in sorted((project / "docs" / str(year)).rglob("*.md")):
        if page.name != "full.md" and call.search(page.read_text("utf-8")):
            rel = page.relative_to(project / "docs").with_suffix("").as_posix()
            return rel[: -len("index")] if rel.endswith("index") else rel + "/"
    raise LookupError(f"no page of {year} shows {key}")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def shows(html: str | None, value: int, key: str = KEY) -> bool:
    return bool(html) and re.search(rf'data-fig="{re.escape(key)}"[^>]*>{value}<', html) is not None


class Server:
    """`mkdocs serve` for one project, on a free loopback port."""

    def __init__(self, project: Path, env: dict):
        self.project = project
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(project.parent / f"{project.name}-serve.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}", "--livereload"],
            cwd=project, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.page = page_of(project)
        self.figures = project / "data" / str(YEAR) / "figures.yaml"

    def wait_ready(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited; see {self.log.name}")
            if fetch(self.url + self.page):
                return
            time.sleep(0.2)
        raise TimeoutError(f"mkdocs serve not ready after {timeout} s")

    def edit_and_wait(self, value: int, timeout: float = 120) -> Run:
        """Save a new value for KEY; the time until the served page shows it."""
        text = self.figures.read_text("utf-8")
        new, found = re.subn(rf"^({re.escape(KEY)}:\s*).*$", rf"\g<1>{value}", text, flags=re.MULTILINE)
        if found != 1:
            raise RuntimeError(f"{KEY} not found once in {self.figures}")
        with open(self.figures, "w", encoding="utf-8") as out:  # as an editor saves: in place
            out.write(new)
        saved = time.perf_counter()
        deadline = saved + timeout
        while time.perf_counter() < deadline:
            if shows(fetch(self.url + self.page), value):
                return Run(time.perf_counter() - saved, 0, 0)
            time.sleep(0.02)
        return Run(timeout, 0, 1, f"{value} not served after {timeout} s; see {self.log.name}")

    def settle(self, seconds: float = 1.0) -> None:
        """Let any rebuild still running finish before the next edit."""
        time.sleep(seconds)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def serve_env() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
