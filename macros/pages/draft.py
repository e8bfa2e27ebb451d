"""Pages scaffolded by `make new-year` whose prose is still last year's.

`make new-year` copies last year's pages (structure and macro calls) and puts a
`{{ draft_notice(2022) }}` line on every page with prose. The page shows a 待改写 box,
`make serve` warns with file and line, and a strict build refuses to publish until the
editors have rewritten the text and deleted the line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from markupsafe import Markup, escape

from macros.core.errors import DataError
from macros.core.scan import Pages, scan_pages
from macros.pages.nav import TABS
from macros.pages.templating import render

# A year in the prose: 2022年, 2022年度 (not inside a longer number).
YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年)")
# Front matter, headings, macro-only lines, HTML and admonitions are structure, not prose.
NOT_PROSE = re.compile(r"^\s*(?:$|#|\{\{.*\}\}\s*$|\{%|<|!!!|\?\?\?|---|title:|\s{4})")
EDITOR_NOTE = re.compile(r"^!!! \w+ editor-note\b")
DRAFT_CALL = "{{{{ draft_notice({}) }}}}"


def scan(docs_dir: Path, pages: Pages | None = None) -> list[DataError]:
    """One entry per draft_notice line in docs/ (including fragments such as _opening.md)."""
    pages = pages or scan_pages(docs_dir)
    return [DataError(f"docs/{rel}", number, None, f"正文仍是 {f'{prev} 年度' if prev else '上一年度'}的文字"
                      "（由 make new-year 复制），待改写；改写完成后删除这一行")
            for rel, number, prev in pages.drafts]


def notice(here, prev, year: int):
    """The 待改写 box of a page whose prose is still last year's: an editor's note. A strict build
    refuses such a page, so the box is never published; it is not part of the 全文 either."""
    if here.ctx.fulltext or here.ctx.strict:
        return ""
    source = f"{int(prev)} 年度" if prev else "上一年度"
    guide_href = Markup(escape(here.href("guide/index.md", "新增一个年度")))  # an attribute: a # stays a #
    return render("draft_notice.html", source=source, year=year, guide_href=guide_href)


# -- make new-year: last year's pages as the new year's ----------------------------------------
def near(value: int, prev: int) -> bool:
    """A year the report speaks of relative to itself (last year, this year, next year …);
    not a fixed date of history such as 1921年."""
    return prev - 2 <= value <= prev + 3


def shift_years(text: str, prev: int, year: int) -> str:
    return YEAR_IN_TEXT.sub(
        lambda m: str(int(m.group(1)) + year - prev) if near(int(m.group(1)), prev) else m.group(1), text
    )


def drop_editor_notes(text: str) -> str:
    """Remove `!!! note editor-note` blocks: they comment on last year's original."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if EDITOR_NOTE.match(line):
            skipping = True
            continue
        if skipping and (not line.strip() or line.startswith((" ", "\t"))):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def has_prose(text: str) -> bool:
    body = re.sub(r"\A---\n.*?\n---\n", "", text, count=1, flags=re.DOTALL)
    return any(not NOT_PROSE.match(line) for line in body.splitlines())


def add_draft_notice(text: str, prev: int) -> str:
    """Put the draft notice after the front matter and the first heading (or at the top)."""
    lines = text.splitlines(keepends=True)
    at = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        at = end + 1
    for i in range(at, len(lines)):
        if lines[i].strip():
            if lines[i].startswith("# "):
                at = i + 1
            break
    notice = DRAFT_CALL.format(prev)
    block = ["\n", notice + "\n", "\n"] if at else [notice + "\n", "\n"]
    return "".join(lines[:at] + block + lines[at:]).replace("\n\n\n", "\n\n")


def page_for_new_year(text: str, prev: int, year: int, report: bool = True) -> str:
    """A page of the new year. Report pages with prose get the 待改写 notice; the 计划/清单 pages
    (docs/<year>/plan/, checklists/) only explain their tables, which come from data."""
    text = shift_years(drop_editor_notes(text), prev, year)
    return add_draft_notice(text, prev) if report and has_prose(text) else text


def new_year_pages(root: Path, src_dir: Path, new_docs: Path, prev: int, year: int) -> list[str]:
    """Last year's pages as the new year's, prose marked 待改写; return the pages to rewrite."""
    drafts = []
    for src in sorted(src_dir.rglob("*")):
        dest = new_docs / src.relative_to(src_dir)
        if src.is_dir():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".md":
            report = src.relative_to(src_dir).parts[0] not in TABS
            text = page_for_new_year(src.read_text("utf-8"), prev, year, report)
            dest.write_text(text, "utf-8")
            if DRAFT_CALL.format(prev) in text:
                drafts.append(dest.relative_to(root).as_posix())
        else:
            shutil.copy2(src, dest)
    return drafts
