"""How make bench measures: timed runs, alternation, `mkdocs serve`, nginx and Chromium.

- `run`: one command; wall time and peak memory (GNU time's %M: the child's own maximum RSS).
- `round_robin`: several commands in turn (A B C A B C …), medians; load drifts hit all alike.
- `Serve`: `mkdocs serve` on a free port; `save_to_visible` writes a figure's new value into its
  YAML file and polls the page until the served HTML shows it.
- `nginx`: the shipped deploy/nginx.conf with only `listen` and `root` replaced.
- `search_after_load`: headless Chromium opens a page; at its load event the query is typed; the
  time on the page's own clock until the first result is drawn, and the results in order.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@dataclass
class Series:
    label: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def spread(self) -> str:
        return f"{min(self.seconds):.2f}–{max(self.seconds):.2f}"


def run(cmd: list[str], cwd: Path, series: Series | None = None) -> float:
    """Run to completion (failure stops the benchmark); seconds, added to `series` with its peak memory."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd], cwd=cwd, env=ENV,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed in {cwd}:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}")
        peak = int(Path(rss.name).read_text().split()[-1]) / 1024
    if series is not None:
        series.seconds.append(seconds)
        series.peak_mb = max(series.peak_mb, peak)
    return seconds


def build(project: Path, out: Path, strict: bool = True):
    """A step: one clean `mkdocs build` of `project` into `out`, as make build does."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out), *(["--strict"] if strict else [])]
    return lambda series: run(cmd, project, series)


def round_robin(steps: dict[str, callable], times: int) -> dict[str, Series]:
    series = {label: Series(label) for label in steps}
    for _ in range(times):
        for label, step in steps.items():
            step(series[label])
    return series


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


class Serve:
    """`mkdocs serve [--dirty]` of a project (make serve passes --dirty)."""

    def __init__(self, project: Path, dirty: bool):
        self.project, self.url = project, f"http://127.0.0.1:{free_port()}/"
        self.log = open(project.parent / f"{project.name}-serve.log", "w")  # noqa: SIM115
        cmd = [sys.executable, "-m", "mkdocs", "serve", *(["--dirty"] if dirty else []), "--livereload",
               "--dev-addr", self.url[len("http://"):-1]]
        self.proc = subprocess.Popen(cmd, cwd=project, env=ENV, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, page: str, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while not fetch(self.url + page):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"mkdocs serve did not start; see {self.log.name}")
            time.sleep(0.3)
        time.sleep(2)  # the watcher starts after the first build

    def save_to_visible(self, yaml_file: Path, key: str, value: int, page: str, timeout: float = 300) -> float:
        """Save `key: value` in the YAML file as an editor does; seconds until the page shows it."""
        text, found = re.subn(rf"^({re.escape(key)}:\s*).*$", rf"\g<1>{value}", yaml_file.read_text("utf-8"),
                              flags=re.M)
        assert found == 1, f"{key} not found once in {yaml_file}"
        shown = re.compile(rf'data-fig="{re.escape(key)}"[^>]*>{value}<')
        builds = self._builds_done()
        yaml_file.write_text(text, "utf-8")
        saved = time.perf_counter()
        while time.perf_counter() - saved < timeout:
            if shown.search(fetch(self.url + page)):
                seconds = time.perf_counter() - saved
                self._wait_built(builds, saved + timeout)
                return seconds
            time.sleep(0.02)
        raise RuntimeError(f"{value} not shown after {timeout} s; see {self.log.name}")

    def _builds_done(self) -> int:
        self.log.flush()
        return Path(self.log.name).read_text("utf-8", errors="replace").count("Reloading browsers")

    def _wait_built(self, builds: int, deadline: float) -> None:
        """The page shows before the rebuild ends (the pages after it, the search index): the next
        save, maybe to another preview, waits for the end, so it is not measured against this tail."""
        while self._builds_done() <= builds and time.perf_counter() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


@contextmanager
def nginx(root: Path, work: Path):
    """Serve `root` with the shipped deploy/nginx.conf; yields (base URL, access log path)."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = (Path(__file__).resolve().parent.parent / "deploy/nginx.conf").read_text("utf-8")
    server = re.sub(r"^(\s*)listen\s+[^;]+;", rf"\g<1>listen 127.0.0.1:{port};", server, count=1, flags=re.M)
    server = re.sub(r"^(\s*)root\s+[^;]+;", rf"\g<1>root {root.resolve()};", server, count=1, flags=re.M)
    temp = " ".join(f"{kind}_temp_path {work}/tmp;" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(
        f"worker_processes 1; daemon off; master_process off; pid {work}/nginx.pid; error_log {work}/error.log;\n"
        f"events {{ worker_connections 64; }}\nhttp {{ include /etc/nginx/mime.types; {temp}\n"
        f"access_log {work}/access.log;\n{server}\n}}\n", "utf-8")
    proc = subprocess.Popen(["nginx", "-p", str(work), "-e", f"{work}/error.log", "-c", f"{work}/nginx.conf"])
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            if fetch(url):
                break
            time.sleep(0.1)
        yield url, work / "access.log"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# Injected before the page's own scripts: at the load event the reader "types" the query (focus,
# value, keyup: what Material listens to); the time until the first result is drawn (the frame
# after it enters the page) is read on the page's own clock, so the driver's round trips, which
# on a loaded machine add 100-300 ms, are not counted.
TYPE_AT_LOAD = """
window.__bench = {};
addEventListener("load", () => {
  const input = document.querySelector("input.md-search__input");
  __bench.load = performance.now();
  input.focus();
  input.value = QUERY;
  input.dispatchEvent(new KeyboardEvent("keyup", {key: "End", bubbles: true}));
});
new MutationObserver((_, observer) => {
  if (document.querySelector(".md-search-result__item")) {
    observer.disconnect();
    requestAnimationFrame(() => { __bench.first = performance.now(); });
  }
}).observe(document, {subtree: true, childList: true});
"""


def search_after_load(urls: list[str], query: str, fresh: bool) -> list[tuple[float, list[str]]]:
    """For each URL: seconds from the page's load event to the first search result drawn, and the
    results' (path, title) in order. fresh: every load in a new browser profile (nothing cached);
    otherwise one tab going from page to page, its cache carrying over as for a reader."""
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = page = None
        for url in urls:
            if fresh or page is None:
                if context is not None:
                    context.close()
                context = browser.new_context()
                page = context.new_page()
                page.add_init_script(TYPE_AT_LOAD.replace("QUERY", json.dumps(query)))
            page.goto(url, wait_until="load")
            page.wait_for_selector(".md-search-result__item", state="visible", timeout=60000)
            page.wait_for_function("window.__bench.first !== undefined")
            seconds = page.evaluate("__bench.first - __bench.load") / 1000
            titles = page.eval_on_selector_all(".md-search-result__item", """items => items.map(item => {
                const link = item.querySelector("a"), title = item.querySelector("h1, h2");
                return [new URL(link.href).pathname, title ? title.textContent.trim() : ""];
            })""")
            found.append((seconds, titles))
        browser.close()
    return found
