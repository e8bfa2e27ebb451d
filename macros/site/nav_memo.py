"""The navigation and tabs of each page, without rendering the same items again on every page.

Material renders the whole primary navigation and the tabs into every page (partials/nav.html,
nav-item.html, tabs.html): at 50 years the navigation was about a third of the theme's time for a
page, the same items coming out again and again. An item that is not on the current page's path
(not `active`) renders the same for every page but for its links, which the `url` filter makes
relative to the page: its other inputs are the item, its checkbox id (`path`), its level, whether
its parent is active (a second-level item of the active tab is an expanded section), and the
build's config. overrides/partials/nav.html, nav-item.html and tabs.html (copies of Material's
with only the call changed) render each item through `memo(render, item, path, level, parent)`
and each tab through `memo(render, item)`: one on the page's path is rendered as Material does;
any other is rendered once per build and reused, its hrefs resolved against the page it was
rendered for and made relative to each later page with MkDocs' own `get_relative_url` (what the
`url` filter does for a site-relative URL). The pages are the same byte for byte
(tests/wiring/test_nav_memo.py; every page and search_index.json of 1- and 50-year sites diffed).
Measured gain, 50 years, strict build, the same site with `nav_memo: false` in turn (8 alternating
pairs, 20:38–20:42, load 2.0–2.4): median 12.2 s against 13.6 s, 10% (user CPU 10.2 s against
12.0 s, 15%); earlier pairs 15% (20:20, three) and 22% (20:16, three, the old benchmark site).
Switch for make bench: `nav_memo` (its 机制 row).
"""

from __future__ import annotations

import posixpath
import re

from jinja2 import pass_context
from mkdocs.utils import get_relative_url

HREF = re.compile(r'(href=")([^"]*)(")')
ABSOLUTE = re.compile(r"^(?:[A-Za-z][\w+.-]*:|/|#)")  # left alone by MkDocs' url filter, and by us


def page_dir(url: str) -> str:
    """The folder a page's relative links start from (get_relative_url drops a last part with a dot)."""
    folder, _, last = url.rpartition("/")
    return folder if "." in last else url


def site_url(href: str, base: str) -> str:
    """The site-relative URL that `href`, relative to a page in folder `base`, points to."""
    resolved = posixpath.normpath("/" + posixpath.join(base, href))[1:]
    return resolved + "/" if href.endswith("/") else resolved  # "/" for the root: no parts, a slash


class Fragment:
    """An item's HTML, split at its links: text, URL, text, URL, …, text."""

    def __init__(self, html: str, page_url: str):
        self.kind = type(html)  # str, or Markup when the environment autoescapes
        self.parts = HREF.split(html)  # text, 'href="', url, '"', text, …
        base = page_dir(page_url)
        for i in range(2, len(self.parts), 4):
            url = self.parts[i]
            self.parts[i] = None if ABSOLUTE.match(url) else site_url(url, base), url

    def for_page(self, page_url: str) -> str:
        parts = self.parts[:]
        for i in range(2, len(parts), 4):
            target, as_written = parts[i]
            parts[i] = as_written if target is None else get_relative_url(target, page_url)
        return self.kind("".join(parts))


def make(enabled: bool = True):
    """The `nav_memo` global of one build's theme environment (the plugin's on_env)."""
    fragments: dict[tuple, Fragment] = {}  # this build's items: their nav objects live as long as it

    @pass_context
    def memo(context, render, item, *args):
        """render(item, *args): a tab (no args) or a navigation item (path, level, parent)."""
        page = context.get("page")
        if not enabled or page is None or getattr(item, "active", True):
            return render(item, *args)
        # a parent counts by whether it is active; the rest (path, level) as they are
        key = (id(item), *(a if isinstance(a, (str, int)) else bool(getattr(a, "active", False)) for a in args))
        fragment = fragments.get(key)
        if fragment is None:
            fragment = fragments[key] = Fragment(render(item, *args), page.url)
        return fragment.for_page(page.url)

    return memo
