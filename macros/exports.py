"""The report's downloads (.docx, .txt): where the build writes them and the links to them.

The files are written after the build by `hooks/export.py` from the built 全文 page, so they
carry exactly the text the site shows (the 脱敏 build's files are redacted too).
"""

from __future__ import annotations

import posixpath

from markupsafe import Markup

from . import render

# (extension, what a reader sees on the link)
FORMATS = [("docx", "Word 文档（.docx）"), ("txt", "纯文本（.txt，供 OA 系统粘贴）")]
# The page each year's files are made from: docs/<year>/full.md
FULLTEXT = "full.md"


def export_path(year: int, ext: str) -> str:
    """Where a year's file lives in the built site, e.g. 2022/report-2022.docx."""
    return f"{year}/report-{year}.{ext}"


def download_name(title: str, ext: str, redacted: bool) -> str:
    """The file name a reader's browser saves: the report's title (and 脱敏版 in that build)."""
    return f"{title}{'（脱敏版）' if redacted else ''}.{ext}"


def download_links(page_path: str | None, year: int, title: str, redacted: bool) -> Markup:
    """Links from a report page to the year's .docx and .txt."""
    start = posixpath.dirname(render.page_url(page_path or "index.md"))
    if render.DIRECTORY_URLS:
        start = render.page_url(page_path or "index.md").rstrip("/")
    links = [
        Markup('<a class="report-download" href="{}" download="{}">{}</a>').format(
            posixpath.relpath(export_path(year, ext), start or "."),
            download_name(title, ext, redacted),
            label,
        )
        for ext, label in FORMATS
    ]
    return Markup('<p class="report-downloads">下载：{}</p>').format(Markup("　").join(links))
