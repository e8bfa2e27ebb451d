"""MkDocs hook: each year's report as .docx and .txt, made from the built 全文 page.

The 全文 page (docs/<year>/full.md) is captured as the build writes it; after the build its
report is read back (`macros/report_content.py`) and written as <year>/report-<year>.docx and
.txt next to the pages (`macros/exports.py` names them; the pages link them with
`{{ downloads() }}`). A strict build refuses to write a 待填 placeholder into either file.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import PluginError  # noqa: E402

from macros import export_cache as docx_cache  # noqa: E402
from macros.exports import FULLTEXT, export_path  # noqa: E402
from macros.report_content import parse  # noqa: E402

FULLTEXT_PAGE = re.compile(rf"^(\d{{4}})/{re.escape(FULLTEXT)}$")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_pages: dict[int, str] = {}  # year -> the built 全文 HTML of this build


def on_pre_build(config):
    _pages.clear()


def on_post_page(output, page, config):
    match = FULLTEXT_PAGE.match(page.file.src_uri)
    if match:
        _pages[int(match.group(1))] = output
    return output


def _signature_date(report) -> dt.date | None:
    """The 成文日期 of the 落款 (2023年1月10日), for the document's properties."""
    match = DATE.search(report.signature[-1]) if report.signature else None
    return dt.date(*(int(part) for part in match.groups())) if match else None


def _build_docx(report, out: Path, author: str) -> None:
    # python-docx is imported only when a file is made: usually the cache has it (about 35 ms
    # of every build and `make serve` rebuild otherwise, BENCHMARKS.md)
    from macros.export_docx import build_docx

    build_docx(report, out, author=author, date=_signature_date(report))


def on_post_build(config):
    site = Path(config.site_dir)
    for year, html in sorted(_pages.items()):
        report = parse(html)
        if report.placeholders and config.strict:
            raise PluginError(
                f"{year}年全文中有 {report.placeholders} 处“待填”，严格模式不生成 Word/文本下载文件。"
            )
        author = report.signature[0] if report.signature else ""
        txt = site / export_path(year, "txt")
        txt.parent.mkdir(parents=True, exist_ok=True)
        txt.write_text(report.text(), "utf-8")
        # the same 全文 gives the same file: reuse it (macros/export_cache.py)
        docx_cache.docx(
            html,
            site / export_path(year, "docx"),
            lambda out, report=report, author=author: _build_docx(report, out, author),
        )
