"""Page weight: bytes a browser transfers (gzip over nginx) for a home page, ours vs stock Material.

`Nginx` serves a directory on a free loopback port: the site's own deploy/nginx.conf server block
(listen and root changed) inside benchmarks/nginx.conf, or a minimal gzip block without it.
`home_weight` opens a page in headless Chromium and adds up the transferred bytes
(response headers + encoded body) of every request, split into "before search" and the
search worker + index that Material fetches after the page has loaded.
"""

from __future__ import annotations

import grp
import gzip
import os
import pwd
import re
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .refresh import free_port

HERE = Path(__file__).resolve().parent
DEPLOY = HERE.parent / "deploy" / "nginx.conf"
MINIMAL_SERVER = """\
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        gzip on;
        gzip_comp_level 6;
        gzip_min_length 256;
        gzip_types text/css application/javascript application/json image/svg+xml text/xml;
    }}"""


def server_block(port: int, root: Path, deploy: Path = DEPLOY) -> tuple[str, str]:
    """(server block, where it came from): the site's deploy/nginx.conf with only its listen and
    root lines changed, or, when there is none, a minimal block with gzip."""
    if deploy.exists():
        text = deploy.read_text("utf-8")
        text, listens = re.subn(r"^(\s*)listen\s+[^;]+;", lambda m: f"{m[1]}listen 127.0.0.1:{port};", text,
                                count=1, flags=re.MULTILINE)
        text, roots = re.subn(r"^(\s*)root\s+[^;]+;", lambda m: f"{m[1]}root {root};", text, count=1,
                              flags=re.MULTILINE)
        if listens == roots == 1:
            return text, "deploy/nginx.conf"
    return MINIMAL_SERVER.format(port=port, root=root), "benchmarks/weight.py（最小配置，gzip 级别 6）"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
NGINX = "/usr/sbin/nginx"


class Nginx:
    def __init__(self, root: Path, prefix: Path, config: Path = HERE / "nginx.conf"):
        prefix.mkdir(parents=True, exist_ok=True)
        (prefix / "tmp").mkdir(exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        conf = prefix / "nginx.conf"
        # Workers run as the current user (as root nginx would switch to `nobody`, who cannot
        # read private temporary directories); as another user nginx ignores the directive.
        user = f"{pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name}"
        server, self.source = server_block(self.port, root)
        text = config.read_text("utf-8").format(prefix=prefix, user=user, server=server)
        conf.write_text(text, "utf-8")
        self.proc = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start; see {prefix / 'error.log'}")
            time.sleep(0.1)

    def answers(self) -> bool:
        try:
            urllib.request.urlopen(self.url, timeout=2).close()
        except urllib.error.HTTPError:
            return True  # an HTTP answer, even an error, means it is up
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False
        return True

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@dataclass
class Weight:
    before_search: int  # bytes transferred for everything but the search worker and index
    with_search: int  # everything, after the network is idle
    requests: int
    gzip_responses: int  # responses that came with Content-Encoding: gzip
    search_index: int  # transferred bytes of search_index.json (0 if not fetched)
    hosts: set
    status: int  # of the page itself
    items: list = field(default_factory=list)  # (path, body bytes, header bytes) per request



def is_search(url: str) -> bool:
    return "/workers/search." in url or url.endswith("/search/search_index.json")


CATEGORIES = [
    ("HTML", lambda p: p.endswith("/") or p.endswith(".html")),
    # our extra_css, joined into one file by hooks/assets.py (before that: stylesheets/*.css)
    ("本站样式（extra_css）",
     lambda p: "/assets/stylesheets/site." in p or "/stylesheets/" in p and "/assets/" not in p),
    ("Material 样式与脚本", lambda p: "/assets/stylesheets/" in p or "/assets/javascripts/bundle." in p),
    ("本站脚本（assets/javascripts/ 其他）", lambda p: "/assets/javascripts/" in p and not is_search(p)),
    ("搜索 worker 与索引", is_search),
    ("其他（图标等）", lambda p: True),
]


def breakdown(weight: Weight) -> dict[str, tuple[int, int, int]]:
    """category -> (requests, body bytes, header bytes)."""
    out: dict[str, list[int]] = {name: [0, 0, 0] for name, _ in CATEGORIES}
    for path, body, headers in weight.items:
        name = next(name for name, match in CATEGORIES if match(path))
        out[name][0] += 1
        out[name][1] += body
        out[name][2] += headers
    return {name: tuple(v) for name, v in out.items()}


def home_weight(browser, url: str) -> Weight:
    """Open `url` in a fresh context (empty cache) and add up what was transferred."""
    context = browser.new_context()
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the search worker fetches its index after load
    page.wait_for_load_state("networkidle")
    before = total = gz = index = 0
    items = []
    hosts = set()
    for request in finished:
        sizes = request.sizes()
        body = sizes["responseBodySize"]
        response = request.response()
        if not body and response and response.status == 200:
            # Chromium reports no body for a worker's own script (the search worker): ask the
            # server for the same file, gzip accepted, and count what it sends
            body = transferred_body(request.url)
        size = body + sizes["responseHeadersSize"]
        items.append(("/" + request.url.split("/", 3)[3], body, sizes["responseHeadersSize"]))
        if response and response.headers.get("content-encoding") == "gzip":
            gz += 1
        hosts.add(request.url.split("/")[2])
        total += size
        if request.url.endswith("/search/search_index.json"):
            index = size
        if not is_search(request.url):
            before += size
    context.close()
    return Weight(before, total, len(finished), gz, index, hosts, response.status if response else 0, items)


def transferred_body(url: str) -> int:
    """Bytes of the body as sent (compressed if the server compresses it)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:  # urllib does not decompress
        return len(response.read())


def gzip_size(path: Path, level: int = 6) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=level))


def launch(playwright):
    kwargs = {"headless": True, "args": CHROMIUM_ARGS}
    if Path(CHROMIUM).exists():
        kwargs["executable_path"] = CHROMIUM
    return playwright.chromium.launch(**kwargs)
