"""The report leaving the site: each year's 全文 as .docx and .txt, and the links to them.

The files are made after the build from the built 全文 page (docs/<year>/full.md), read back by
`macros/exports/report_content.py`, so they carry exactly the text the site shows (the 脱敏 build's files
are redacted too). A strict build refuses to write a 待填 placeholder into either file. Under
`mkdocs serve` the files are not written (the preview links them; `make build` makes them).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from macros.core import issued as issued_mod
from macros.core.errors import Refusal
from macros.exports import cache as export_cache
from macros.exports.cache import ExportCache
from macros.exports.report_content import parse, wrap_body

# (extension, what a reader sees on the link: macros/pages/render.py)
FORMATS = [("docx", "Word 文档（.docx）"), ("txt", "纯文本（.txt，供 OA 系统粘贴）")]
FULLTEXT = "full.md"  # the page each year's files are made from: docs/<year>/full.md
FULLTEXT_PAGE = re.compile(rf"^(\d{{4}})/{re.escape(FULLTEXT)}$")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def export_path(year: int, ext: str) -> str:
    """Where a year's file lives in the built site, e.g. 2022/report-2022.docx."""
    return f"{year}/report-{year}.{ext}"


def download_name(title: str, ext: str, redacted: bool) -> str:
    """The file name a reader's browser saves: the report's title (and 脱敏版 in that build)."""
    return f"{title}{'（脱敏版）' if redacted else ''}.{ext}"


def fulltext_year(src_uri: str) -> int | None:
    match = FULLTEXT_PAGE.match(src_uri)
    return int(match.group(1)) if match else None


def wrap_fulltext_body(html: str, src_uri: str) -> str:
    try:
        return wrap_body(html)
    except ValueError as error:  # the build stops: one line naming the page
        raise Refusal(f"docs/{src_uri}：{error}") from None


def _signature_date(report) -> dt.date | None:
    """The 成文日期 of the 落款 (2023年1月10日), for the document's properties."""
    match = DATE.search(report.signature[-1]) if report.signature else None
    return dt.date(*(int(part) for part in match.groups())) if match else None


def write_all(pages: dict[int, str], site: Path, strict: bool, cache: ExportCache | None = None) -> None:
    """Write <year>/report-<year>.txt and .docx for every 全文 page built (the .docx through
    `cache`, macros/exports/cache.py, when given)."""
    for year, html in sorted(pages.items()):
        report = parse(html)
        if report.placeholders and strict:
            raise Refusal(
                f"{year}年全文中有 {report.placeholders} 处“待填”，严格模式不生成 Word/文本下载文件。"
            )
        txt = site / export_path(year, "txt")
        txt.parent.mkdir(parents=True, exist_ok=True)
        txt.write_text(report.text(), "utf-8")
        author = report.signature[0] if report.signature else ""
        date = _signature_date(report)

        def make(path: Path, report=report, author=author, date=date) -> None:
            from macros.exports.docx import build_docx  # python-docx is needed only here

            build_docx(report, path, author=author, date=date)

        export_cache.write(cache, site / export_path(year, "docx"), ("docx", report, author, date), make)


def issued_text_problem(year: int, html: str, issued) -> str | None:
    """An issued year's 全文 as built must be the text it was issued with (its SHA-256 in
    data/<year>/issued.yaml): one Chinese line saying what to do when it is not, else None."""
    if issued is None or not issued.text_sha256:
        return None
    if issued_mod.text_digest(parse(html).lines()) == issued.text_sha256:
        return None
    return (f"docs/{year}/{FULLTEXT}：{issued_mod.when_issued(issued)}，"
            f"全文（标题、正文、落款）与印发时不同；印发的报告不能改动：把 docs/{year}/ 中改动的文字改回"
            f"（git diff docs/{year}/ 可见改了哪里），确需更正在 {issued.path} 的 corrections 中写 date、what 和 why")
