"""e2e: a Chromium page watched for problems, and the walk through the navigation."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlparse

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

