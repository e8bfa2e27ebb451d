"""What the report pages get from macros: figures, cards, the home page's list, title, 落款, and
the 全文's includes. Each method computes plain values and hands them to a template
(macros/pages/templates/); it never writes markup itself."""

from __future__ import annotations

import logging
import re
from functools import cached_property
from pathlib import Path

from markupsafe import Markup
from mkdocs.utils.meta import get_data

from macros.core.errors import PageError
from macros.core.load import UNFILLED, SiteData
from macros.core.redact import is_masked
from macros.exports import report_files
from macros.pages.context import BuildContext, Here
from macros.pages.nav import section_pages
from macros.pages.templating import inert, render

# MkDocs counts this logger's warnings: `mkdocs build --strict` stops on them.
log = logging.getLogger("mkdocs.plugins.branch_data")


def anchor(key: str, nth: int) -> str:
    """The id of the nth (0-based) use of a figure on a page (the plugin adds it, macros/site/page_meta.py)."""
    return f"fig-{key}" if nth == 0 else f"fig-{key}-{nth + 1}"

# A report page lives under docs/<year>/...; its figures come from that year.
PAGE_YEAR = re.compile(r"^(\d{4})/")
HEADING = re.compile(r"^(#{1,6})(\s)", re.MULTILINE)


class Renderer:
    """The report macros for one build: the data (masked in the 脱敏 build) and the docs folder."""

    def __init__(self, data: SiteData, docs_dir: Path):
        self.data = data
        self.docs_dir = Path(docs_dir).resolve()
        self.warned: set[tuple] = set()  # 待填 warnings already logged in this build

    # -- which year ---------------------------------------------------------
    def year_of(self, page_path: str | None, year=None) -> int:
        if year is not None:
            return int(year)
        match = PAGE_YEAR.match(page_path or "")
        if match and int(match.group(1)) in self.data.years:
            return int(match.group(1))
        return self.data.latest

    def _warn_once(self, where: tuple, message: str) -> None:
        if where not in self.warned:
            self.warned.add(where)
            log.warning(message)

    # -- one figure ---------------------------------------------------------
    def fig(self, here: Here, key: str, year=None) -> Markup:
        figure = self.data.figures.get(key)
        if figure is None:  # normally caught before the build by the page scan
            raise KeyError(f"未知数据项 {key}")
        year = self.year_of(here.page, year)
        value = self.data.years[year].values.get(key)
        if value is None:
            doc = self.data.years[year].doc
            self._warn_once((year, key), f"{doc.path}:{doc.line(key)}: {figure.label} ({key})：待填")
        return render("fig.html", figure=figure, value=value, masked=is_masked(value))

    # -- cards for the overview --------------------------------------------
    def key_figures(self, here: Here, year=None) -> Markup:
        if here.ctx.fulltext:
            return Markup("")
        year = self.year_of(here.page, year)
        info = self.data.years[year]
        cards = [
            {
                "figure": figure,
                "value": self.fig(here, figure.key, year),
                "href": here.href(target) if (target := self._first_use.get((year, figure.key))) else None,
                # made-up: the report is sample, or this figure is counted from a sample 台账
                "sample": bool(info.report.get("sample")) or bool(figure.derived and info.records_sample),
            }
            for figure in self.data.figures.values()
            if figure.key_figure
        ]
        return render("key_figures.html", cards=cards)

    @cached_property
    def _first_use(self) -> dict:
        """(year, key) -> the first page (not the 全文) that uses the figure; computed once per build."""
        found = {}
        for use in self.data.usages:
            match = PAGE_YEAR.match(use.page)
            if match and not use.page.endswith("full.md"):
                found.setdefault((int(match.group(1)), use.key), use.page)
        return found

    # -- the home page -----------------------------------------------------
    def years_list(self, here: Here) -> Markup:
        """Each year's report, newest first: overview and full text."""
        years = [
            {
                "title": self.data.years[year].report["title"],
                "href": here.href(f"{year}/index.md"),
                "full_href": here.href(f"{year}/full.md"),
                "latest": year == self.data.latest,
            }
            for year in sorted(self.data.years, reverse=True)
        ]
        return render("years_list.html", years=years)

    # -- report metadata ----------------------------------------------------
    def report_title(self, here: Here, year=None) -> Markup:
        return inert(self.data.years[self.year_of(here.page, year)].report["title"])

    def signature(self, here: Here, year=None) -> Markup:
        """落款: branch name and date, Arabic numerals without leading zeros."""
        year = self.year_of(here.page, year)
        date = self.data.years[year].report["date"]
        if date == UNFILLED:  # a new year's report before its date is set (make new-year)
            doc = self.data.years[year].report_doc
            where = f"{doc.path}:{doc.line('date')}" if doc else f"data/{year}/report.yaml"
            self._warn_once((year, "date"), f"{where}: 落款日期 (date)：待填")
            date = None
        else:
            from datetime import date as Date

            date = Date.fromisoformat(str(date))
        return render("signature.html", branch=self.data.branch["name"], date=date)

    # -- the 全文 assembles the section files -------------------------------
    def section_source(self, here: Here, name: str) -> str:
        """The Markdown of a section file beside the page, without front matter.

        Only a Markdown file inside docs/ may be included: no absolute path, no `..` leaving
        docs/, never a data file."""
        if not name.endswith(".md"):
            raise PageError(f"include_section 只能包含 Markdown 文件（.md），不能是 {name}")
        path = (self.docs_dir / Path(here.page or "").parent / name).resolve()
        if Path(name).is_absolute() or not path.is_relative_to(self.docs_dir):
            raise PageError(f"include_section 只能包含 docs/ 中的文件，不能是 {name}")
        return get_data(path.read_text("utf-8"))[0]  # without front matter, read as MkDocs reads it

    @staticmethod
    def shift_headings(text: str, shift: int) -> str:
        if not shift:
            return text
        return HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + shift) + m.group(2), text)

    def section_links(self, here: Here) -> Markup:
        """A list of the pages of this section (on a section's index page); nothing in the 全文."""
        if here.ctx.fulltext:
            return Markup("")
        folder = self.docs_dir / Path(here.page).parent
        links = [
            {"href": here.href(path.relative_to(self.docs_dir).as_posix()), "title": title}
            for title, path in section_pages(folder)
        ]
        return render("section_links.html", links=links)


def download_links(ctx: BuildContext, page_path: str | None, year: int, title: str) -> list[dict]:
    """The links from a report page to the year's .docx and .txt (rendered by downloads.html)."""
    return [
        {
            "href": ctx.file_href(page_path, report_files.export_path(year, ext)),
            "name": report_files.download_name(title, ext, ctx.redacted),
            "label": label,
        }
        for ext, label in report_files.FORMATS
    ]
