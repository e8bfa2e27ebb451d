"""Intranet-first: no built page or stylesheet refers to any host but the site's own.

Exception, explained: Material's JavaScript bundle contains the addresses of the GitHub/GitLab
APIs for its repository widget ("source facts"); that code runs only when `repo_url` points at
such a host, and this site renders its own edit links instead, so nothing is requested.
The browser tests (tests/test_search.py and the e2e suite) watch the real requests.
"""

from __future__ import annotations

import re

# src="…", href="…", url(…), @import "…": anything a browser would fetch or follow
REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']|url\(\s*["']?|@import\s+["'])([^"')\s]+)"""
)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def test_no_external_reference_in_html_or_css(site):
    found = []
    files = [*site.rglob("*.html"), *site.rglob("*.css")]
    assert len(files) > 10
    for path in files:
        for ref in REFERENCE.findall(path.read_text("utf-8", errors="replace")):
            if EXTERNAL.match(ref):
                found.append(f"{path.relative_to(site)}: {ref}")
    assert found == []


def test_no_font_or_script_cdn_anywhere(site):
    for path in site.rglob("*"):
        if path.suffix in {".html", ".css", ".json", ".xml"}:
            text = path.read_text("utf-8", errors="replace")
            for host in ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net"):
                assert host not in text, (path, host)
