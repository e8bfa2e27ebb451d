"""Every helper the tests share, in one module (fixtures are in tests/conftest.py).

- Paths and small file edits: ROOT, FIXTURES, SITES, edit(), line_of(), data_copy().
- In-process rendering: here() (a page and a build context), text of rendered HTML.
- Subprocess builds of the tiny fixture sites (tests/sites/<scenario>/) and of the real site.
- Reading built pages as a reader sees them: blocks(), cells(), row_of().
- e2e: the real nginx with deploy/nginx.conf (nginx()), and a browser Watch with walk_nav().
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
SITES = TESTS / "sites"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
MKDOCS = [sys.executable, "-m", "mkdocs"]
SEED = [line for line in (FIXTURES / "seed_2022.txt").read_text("utf-8").splitlines() if line.strip()]


# ---- files -----------------------------------------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file (which must contain it) by `new`."""
    text = path.read_text("utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), "utf-8")


def line_of(path: Path, text: str) -> int:
    """The 1-based line where `text` first occurs in a file."""
    content = path.read_text("utf-8")
    assert text in content, f"{path}: {text!r} not found"
    return content[: content.index(text)].count("\n") + 1


def _records_folder(source: Path):
    return lambda folder, names: ["records"] if Path(folder) == source / "data" else []


def data_copy(dest: Path, source: Path = ROOT, docs: bool = False, records: bool = True) -> Path:
    """A project folder holding a copy of source/data (milliseconds): load_site(dest, dest / "docs")
    reads it. The pages are the real ones, linked (read, never changed), or copied with docs=True.
    records=False leaves out the 台账 (data/records/): a test of other files then does not parse and
    check its 180 files on every load (about a third of the unit tests' time)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "data", dest / "data", ignore=None if records else _records_folder(source))
    if docs:
        shutil.copytree(source / "docs", dest / "docs")
    else:
        (dest / "docs").symlink_to(source / "docs")
    return dest


def project_copy(dest: Path, source: Path = ROOT) -> Path:
    """A copy of a site's config, pages and data (not the code: the package is installed)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in ("mkdocs.yml", "docs", "data"):
        src = source / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    config = dest / "mkdocs.yml"
    # a fixture site names the theme's overrides relative to tests/sites/<scenario>/
    config.write_text(config.read_text("utf-8").replace("../../../overrides", str(ROOT / "overrides")), "utf-8")
    # read, never changed, by a build: the theme, deploy/nginx.conf (the pages' CSP), and for the real
    # project what mkdocs.yml's watch: names
    for part in ("overrides", "deploy", "macros", "schemas") if source == ROOT else ("deploy",):
        (dest / part).symlink_to(ROOT / part)
    return dest


def load_errors(root: Path, docs: Path | None = None) -> list[str]:
    """Load a project's data as a build does (macros.core.load.load_site), which must refuse it: the
    lines the build would print, the footer last."""
    from macros.core.errors import DataErrors
    from macros.core.load import load_site

    try:
        load_site(root, docs or ROOT / "docs")
    except DataErrors as exc:
        return str(exc).splitlines()
    raise AssertionError("the data was accepted")


# One problem as the build prints it: file, line, a Chinese message.
LINE = re.compile(r"^[^:\n]+:\d+: .+$")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def make_site(dest: Path, years=(2022,), records: bool = False) -> Path:
    """A project folder with the real data/ (its shared files and the given years, with the 2022
    台账 when `records`) and a docs/ folder per year with the 2022 pages (load_site reads pages for
    their fig() calls and the 校对提示's quotes)."""
    (dest / "data").mkdir(parents=True)
    for item in (ROOT / "data").iterdir():
        if item.is_file():
            shutil.copy2(item, dest / "data" / item.name)
    if records:
        shutil.copytree(ROOT / "data/records/2022", dest / "data/records/2022")
    for year in years:
        shutil.copytree(ROOT / "data" / "2022", dest / "data" / str(year))
        shutil.copytree(ROOT / "docs" / "2022", dest / "docs" / str(year))
    return dest


def line_starting(path: Path, start: str) -> int:
    """The 1-based line of the first line starting with `start`."""
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def problems(root: Path) -> list[str]:
    """The lines load_site refuses the data with (it must refuse it); each one `file:line: 中文`."""
    from macros.core.errors import DataErrors
    from macros.core.load import load_site

    try:
        load_site(root)
    except DataErrors as exc:
        lines = [e.render() for e in exc.errors]
    else:
        raise AssertionError("load_site accepted the data")
    for line in lines:
        assert LINE.match(line) and CHINESE.search(line), line
    return lines


# ---- a tiny project for the 台账 (records) tests -------------------------------------------------

TYPES = """\
types:
  general_meeting:   {name: 支部党员大会,   frequency: quarter, attendance: members}
  committee_meeting: {name: 支部委员会会议, frequency: month,   attendance: committee}
  group_meeting:     {name: 党小组会,       frequency: month,   attendance: group}
  party_lecture:     {name: 党课,           frequency: quarter, attendance: members}
  theme_day:         {name: 主题党日,       frequency: month,   attendance: members}
  heart_talk:        {name: 谈心谈话,       frequency: null,    attendance: pair}
"""
ROSTER = """\
members:
  - {name: 张某某, role: 书记, group: 第一党小组, status: 正式}
  - {name: 李某某, role: 组织委员, group: 第一党小组, status: 正式}
  - {name: 王某某, role: 党员, group: 第二党小组, status: 预备}
  - {name: 赵某某, role: 党员, group: 第二党小组, status: 正式}
"""
NAMES = ("张某某", "李某某", "王某某", "赵某某")


def make_project(root: Path, year: int = 2022, records: dict[str, str] | None = None) -> Path:
    folder = root / "data" / "records" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (root / "data" / "branch.yaml").write_text("name: 测试党支部\n", "utf-8")
    (root / "data" / "activity_types.yaml").write_text(TYPES, "utf-8")
    (folder / "roster.yaml").write_text(ROSTER, "utf-8")
    for name, text in (records or {}).items():
        (folder / name).write_text(text, "utf-8")
    return root


# ---- rendering in process --------------------------------------------------------------------


def here(page: str | None, **flags):
    """Where a macro is called: a page (relative to docs/) and a build context with these flags."""
    from macros.pages.context import BuildContext, Here

    return Here(page, BuildContext(**flags))


def markdown_html(text: str) -> str:
    """A page's Markdown (a macro's output in it) as the build turns it into HTML."""
    import markdown
    from pymdownx.slugs import slugify

    return markdown.markdown(
        str(text),
        extensions=["admonition", "attr_list", "tables", "toc", "pymdownx.details"],
        extension_configs={"toc": {"slugify": slugify(case="lower")}},  # as mkdocs.yml: Unicode ids
    )


def plain(html) -> str:
    """HTML with the numeric references that make data inert for Markdown (&#42; for *, &#35; for #,
    macros/pages/templating.py) read back as characters; <, >, &, quotes stay escaped."""
    return re.sub(r"&#(\d+);", lambda m: m[0] if chr(int(m[1])) in "<>&\"'" else chr(int(m[1])), str(html))


def shown(text: str) -> list[str]:
    """The block texts a reader sees of a macro's output (after Markdown)."""
    return [b.text for b in blocks(markdown_html(text), root_class=None)]


# ---- subprocess builds -----------------------------------------------------------------------


@dataclass
class Built:
    out: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def lines(self) -> list[str]:
        """MkDocs' log lines without their level prefix."""
        return [re.sub(r"^(ERROR|WARNING|INFO)\s+-\s+", "", line) for line in self.stderr.splitlines()]


def build(project: Path, out: Path, strict: bool = True, env: dict | None = None, *args: str) -> Built:
    """`mkdocs build` of a project folder (or a mkdocs.yml) into `out`."""
    config = project if project.suffix == ".yml" else project / "mkdocs.yml"
    # not -q: with --quiet MkDocs drops warnings before --strict can count them (broken links would pass)
    cmd = [*MKDOCS, "build", "-d", str(out), "-f", str(config), *args]
    if strict:
        cmd.append("--strict")
    result = subprocess.run(
        cmd, cwd=config.parent, capture_output=True, text=True, env={**ENV, **(env or {})}, timeout=300
    )
    return Built(out, result.returncode, result.stdout, result.stderr)


OLD_SITE = "旧网站"


def old_site(out: Path) -> Path:
    """An output folder that already holds a site (a failing build must leave it as it was)."""
    out.mkdir(parents=True)
    (out / "index.html").write_text(OLD_SITE, "utf-8")
    return out


def assert_refused(result: Built, verbose: bool = False) -> Built:
    """The build failed, in one Chinese line per problem without a traceback, and left the site
    that was in its output folder exactly as it was."""
    assert result.returncode != 0, result.output
    if not verbose:
        assert "Traceback" not in result.output and 'File "' not in result.output, result.output
    assert [p.name for p in result.out.iterdir()] == ["index.html"], "the old site is untouched"
    assert (result.out / "index.html").read_text("utf-8") == OLD_SITE
    return result


def refused(project: Path, tmp: Path, strict: bool = True, *args: str) -> Built:
    """Build into a folder that already holds a site: the build must fail and leave it as it was."""
    return assert_refused(build(project, old_site(tmp / "out"), strict, None, *args), "--verbose" in args)


# The fixture sites' builds that depend on no test, started in the background as soon as the session
# has collected tests/test_wiring.py (tests/conftest.py): they use the second core while the unit
# tests run. name -> (scenario, strict, environment, extra arguments, into a folder with an old site)
REPO = "http://git.example.internal/dangzhibu/site"
WIRING_BUILDS = {
    "basic": ("basic", True, {"REPO_URL": REPO}, (), False),
    "switched": ("basic", True, {"REDACTED": "true", "OFFLINE": "true"}, (), False),
    "unfilled-preview": ("unfilled", False, {}, (), False),
    "unfilled-strict": ("unfilled", True, {}, (), True),
    "bad_data-preview": ("bad_data", False, {}, (), True),
    "bad_data-verbose": ("bad_data", True, {}, ("--verbose",), True),
    "bad_macro-preview": ("bad_macro", False, {}, (), True),
    "bad_page": ("bad_page", True, {}, (), False),
    "bad_link-strict": ("bad_link", True, {}, (), False),
    "bad_link-preview": ("bad_link", False, {}, (), False),
}


class BackgroundBuilds:
    """WIRING_BUILDS, two at a time in threads (each a `mkdocs build` subprocess)."""

    def __init__(self):
        self.folder: Path | None = None
        self.pool = None
        self.futures: dict = {}

    def start(self) -> None:
        import tempfile
        from concurrent.futures import ThreadPoolExecutor

        if self.pool is not None:
            return
        self.folder = Path(tempfile.mkdtemp(prefix="pytest-wiring-"))
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="wiring-build")
        for name, (scenario, strict, env, args, old) in WIRING_BUILDS.items():
            out = old_site(self.folder / name / "out") if old else self.folder / name / "site"
            self.futures[name] = self.pool.submit(build, SITES / scenario, out, strict, env, *args)

    def result(self, name: str) -> Built:
        self.start()  # a wiring test run alone
        return self.futures[name].result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            shutil.rmtree(self.folder, ignore_errors=True)
            self.pool = None


BACKGROUND = BackgroundBuilds()


def read(site: Path, page: str) -> str:
    """A built page by its directory URL ('' for the home page)."""
    return (site / page / "index.html").read_text("utf-8")


# ---- a page as a reader sees it ----------------------------------------------------------------

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}


@dataclass
class Block:
    tag: str
    text: str = ""
    masked: str = ""  # the text with each figure replaced by "*"
    figs: list = field(default_factory=list)  # (key, shown value) in order


class _BlockParser(HTMLParser):
    def __init__(self, root_class: str | None, skip_classes: set[str]):
        super().__init__(convert_charrefs=True)
        self.root_class, self.skip_classes = root_class, skip_classes
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, is_root, is_skip)
        self.in_root = 0 if root_class else 1
        self.skipping = 0
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.fig_depth = 0
        self.fig: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        is_root = bool(self.root_class and self.root_class in classes)
        is_skip = bool(classes & self.skip_classes)
        self.stack.append((tag, is_root, is_skip))
        self.in_root += is_root
        self.skipping += is_skip
        if not self.in_root or self.skipping:
            return
        if tag in BLOCKS and self.current is None:
            self.current = Block(tag)
        if "data-fig" in attrs and self.current is not None:
            self.fig = [attrs["data-fig"], ""]
            self.current.masked += "*"
            self.fig_depth = len(self.stack)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, is_root, is_skip = self.stack.pop()
            if self.fig is not None and len(self.stack) < self.fig_depth:
                self.current.figs.append(tuple(self.fig))
                self.fig = None
            if self.current is not None and open_tag == self.current.tag and open_tag in BLOCKS:
                if not self.skipping and self.in_root:
                    self.blocks.append(self.current)
                self.current = None
            self.in_root -= is_root
            self.skipping -= is_skip
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.current is None or self.skipping or not self.in_root:
            return
        self.current.text += data
        if self.fig is not None:
            self.fig[1] += data
        else:
            self.current.masked += data


def blocks(html: str, root_class: str | None = "md-content__inner", skip=("admonition",)) -> list[Block]:
    """The block texts (p, h1–h6, li, td, th) inside the element of class `root_class`."""
    parser = _BlockParser(root_class, set(skip))
    parser.feed(str(html))
    for block in parser.blocks:
        block.text = block.text.strip()
        block.masked = block.masked.strip()
    return parser.blocks


def cells(html: str) -> list[list[str]]:
    """The rows of every table, as lists of cell texts."""
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", str(html), re.S):
        rows.append([b.text for b in blocks(f"<table><tr>{row}</tr></table>", root_class=None)])
    return rows


def row_of(html: str, first: str) -> list[str]:
    """The one table row whose first cell reads `first`."""
    found = [r for r in cells(html) if r and r[0] == first]
    assert len(found) == 1, (first, found)
    return found[0]


# ---- what a reader must never see: internal ids and data paths ------------------------------------

INTERNAL = re.compile(
    r"(?<![A-Za-z0-9])(?:[mt]\d+(?:\.\d+)+|[cpr]\d{1,3}|g\d)(?![A-Za-z0-9.])"  # ids of plan, checklist, reminders
    r"|[\w/.-]*\.ya?ml\b"  # a YAML file
    r"|\bdata/(?:\d{4}|<)"  # a data path
)


def reader_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    for node in tree.xpath("//script|//style|//nav|//header|//footer"):
        node.drop_tree()
    articles = tree.xpath("//article") or [tree]
    titles = " ".join(a.get("title", "") for a in articles[0].iter() if isinstance(a.tag, str))
    return " ".join(articles[0].itertext()) + " " + titles


# ---- e2e: nginx with deploy/nginx.conf ---------------------------------------------------------

SITE_CONF = ROOT / "deploy" / "nginx.conf"
NGINX_CANDIDATES = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"]
MIME_TYPES = ["/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types"]
NGINX_MAIN = """\
worker_processes 1;
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {mime};
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((c for c in NGINX_CANDIDATES if os.access(c, os.X_OK)), None)
    if not found:
        raise RuntimeError("没有找到 nginx（apt-get install nginx；.ci/run 会安装它）")
    return found


def site_conf(port: int, root: Path, text: str | None = None) -> str:
    """deploy/nginx.conf (or a variant of its text) with only `listen` and `root` replaced."""
    text = SITE_CONF.read_text("utf-8") if text is None else text
    replacements = ((r"^(\s*)listen\s+[^;]+;", f"listen 127.0.0.1:{port};"), (r"^(\s*)root\s+[^;]+;", f"root {root};"))
    for pattern, value in replacements:
        text, count = re.subn(pattern, lambda m, v=value: m.group(1) + v, text, flags=re.MULTILINE)
        assert count == 1, f"deploy/nginx.conf: expected one line matching {pattern!r}, found {count}"
    return text


@contextmanager
def nginx(root: Path, tmp: Path, conf: str | None = None):
    """Serve `root` with deploy/nginx.conf (or `conf`, a variant of its text); yields the base URL.

    Only `listen` and `root` change; a minimal main configuration keeps pid, logs and temp files in
    `tmp`, so no root privileges or system paths are needed."""
    tmp.mkdir(parents=True, exist_ok=True)
    mime = next((m for m in MIME_TYPES if Path(m).exists()), None)
    assert mime, "nginx mime.types not found"
    port = free_port()
    (tmp / "site.conf").write_text(site_conf(port, Path(root).resolve(), conf), "utf-8")
    (tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp, mime=mime), "utf-8")
    cmd = [nginx_binary(), "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")]
    check = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {proc.stderr.read()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start listening within 10 s") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---- e2e: a plain HTTP server (no nginx, no CSP) -----------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_folder(folder: Path):
    """A plain HTTP server (no nginx, no CSP) for a built folder; returns (url, server)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


# ---- e2e: a browser page watched for problems, and the walk through the navigation -------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
NAV_LINKS = "nav.md-tabs a.md-tabs__link, nav.md-nav--primary a.md-nav__link"
# Records Content-Security-Policy violations as the page sees them (besides the console).
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def is_loopback(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in {"data", "blob", "about", "file"} or (parsed.hostname or "") in LOOPBACK


@dataclass
class Watch:
    """Problems one page of a browser context sees, keyed by the URL being visited: console errors,
    uncaught exceptions, failed requests, HTTP errors, CSP violations, and every request to a host
    that is not loopback (aborted, so a test never reaches the network)."""

    current: str = ""
    problems: dict[str, list[str]] = field(default_factory=dict)
    external: list[str] = field(default_factory=list)

    def add(self, text: str):
        self.problems.setdefault(self.current, []).append(text)

    def attach(self, context):
        context.add_init_script(CSP_LISTENER)

        def route(r):
            if is_loopback(r.request.url):
                r.continue_()
            else:
                self.external.append(r.request.url)
                self.add(f"request to a non-loopback host: {r.request.url}")
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and self.add(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.add(f"uncaught exception: {e}"))
        page.on(
            "requestfailed",
            # net::ERR_ABORTED is the browser cancelling a request when the reader navigates away
            lambda r: is_loopback(r.url)
            and "ERR_ABORTED" not in (r.failure or "")
            and self.add(f"request failed: {r.url} {r.failure}"),
        )
        page.on("response", lambda r: r.status >= 400 and self.add(f"HTTP {r.status}: {r.url}"))
        return page

    def visit(self, page, url: str):
        """Load a page and wait until its network is quiet (the search worker has its index)."""
        self.current = url
        self.problems.setdefault(url, [])
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        self.collect(page)

    def collect(self, page):
        """Record the CSP violations the page has seen since the last call."""
        for violation in page.evaluate("window.__csp.splice(0)"):
            self.add(f"CSP violation: {violation}")

    def all_problems(self) -> list[str]:
        return [f"{url}: {p}" for url, found in self.problems.items() for p in found]


@dataclass
class VisitedPage:
    url: str
    title: str
    lang: str
    notice_visible: bool


def nav_links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(NAV_LINKS, "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        url = urldefrag(urljoin(page.url, href)).url
        if url.startswith(base) and url not in found:
            found.append(url)
    return found


def walk_nav(page, watch: Watch, base: str) -> list[VisitedPage]:
    """Every page reachable from the home page through navigation links (tabs and the primary
    sidebar), each loaded once: the pages found are exactly what the nav reaches."""
    queue, seen, visited = [base], {base}, []
    while queue:
        url = queue.pop(0)
        watch.visit(page, url)
        visited.append(
            VisitedPage(
                url=url,
                title=page.title(),
                lang=page.evaluate("document.documentElement.lang"),
                notice_visible=page.locator(".sample-notice").first.is_visible(),
            )
        )
        for link in nav_links(page, base):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return visited
