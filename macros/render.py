"""HTML that pages get from macros. Every text from data goes through `escape`."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from markupsafe import Markup, escape

from . import opaque
from .data import UNFILLED, SiteData
from .errors import log
from .nav import section_pages
from .redact import mask_html

# A report page lives under docs/<year>/...; its figures come from that year.
PAGE_YEAR = re.compile(r"^(\d{4})/")
HEADING = re.compile(r"^(#{1,6})(\s)", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


class Renderer:
    """The macros' state for one build: the data, and whether we are inside the 全文."""

    def __init__(self, data: SiteData, render_markdown=None):
        self.data = data
        self.render_markdown = render_markdown  # macros' env.render, for includes
        self.fulltext_depth = 0
        self.warned: set[tuple] = set()
        self.redacted = False  # the 脱敏 build: figures show masks (macros/redact.py)
        self._first_use_cache: dict | None = None

    # -- which year ---------------------------------------------------------
    def year_of(self, page_path: str | None, year=None) -> int:
        if year is not None:
            return int(year)
        match = PAGE_YEAR.match(page_path or "")
        if match and int(match.group(1)) in self.data.years:
            return int(match.group(1))
        return self.data.latest

    # -- one figure ---------------------------------------------------------
    def fig(self, key: str, page_path: str | None, year=None) -> Markup:
        figure = self.data.figures.get(key)
        if figure is None:  # normally caught before the build by the page scan
            raise KeyError(f"未知数据项 {key}")
        year = self.year_of(page_path, year)
        value = self.data.years[year].values.get(key)
        if value is None:
            where = (year, key)
            if where not in self.warned:
                self.warned.add(where)
                doc = self.data.years[year].doc
                log.warning(f"{doc.path}:{doc.line(key)}: {figure.label} ({key})：待填")
            return Markup(
                '<span class="fig fig--missing" data-fig="{}" title="{}：待填" '
                'aria-label="{}：待填">待填</span>'
            ).format(key, figure.title, figure.title)
        if self.redacted:  # the label only: no value in the text, tooltip or attributes
            return Markup('<span class="fig fig--masked" data-fig="{}" title="{}">{}</span>').format(
                key, figure.label, mask_html(figure, value)
            )
        return Markup('<span class="fig" data-fig="{}" title="{}">{}</span>').format(
            key, figure.title, value
        )

    # -- cards for the overview --------------------------------------------
    def key_figures(self, page_path: str | None, year=None) -> Markup:
        if self.fulltext_depth:
            return Markup("")
        year = self.year_of(page_path, year)
        pages = self._first_use()
        cards = []
        for figure in self.data.figures.values():
            if not figure.key_figure:
                continue
            value = self.fig(figure.key, page_path, year)
            target = pages.get((year, figure.key))
            link = (
                Markup('<a class="fig-card__link" href="{}">见原文</a>').format(
                    _relative(page_path, target)
                )
                if target
                else Markup("")
            )
            cards.append(
                Markup(
                    '<div class="fig-card"><div class="fig-card__value">{}'
                    '<span class="fig-card__unit">{}</span></div>'
                    '<div class="fig-card__label">{}</div>{}</div>'
                ).format(value, figure.unit, figure.label, link)
            )
        return opaque.element('<div class="fig-cards">', Markup("").join(cards), "</div>")

    def _first_use(self) -> dict:
        """(year, key) -> the first page (not the 全文) that uses the figure.

        Computed once per build: key_figures() runs once per year, and scanning every
        usage on each call made the build grow with years² (see BENCHMARKS.md)."""
        if self._first_use_cache is None:
            found = {}
            for use in self.data.usages:
                match = PAGE_YEAR.match(use.page)
                if not match or use.page.endswith("full.md"):
                    continue
                found.setdefault((int(match.group(1)), use.key), use.page)
            self._first_use_cache = found
        return self._first_use_cache

    # -- the home page -----------------------------------------------------
    def years_list(self, page_path: str | None) -> Markup:
        """Each year's report, newest first: overview and full text."""
        items = []
        for year in sorted(self.data.years, reverse=True):
            title = self.data.years[year].report["title"]
            latest = Markup('<span class="year-latest">最新</span>') if year == self.data.latest else ""
            items.append(
                Markup('<li><a href="{}">{}</a>{}（<a href="{}">全文</a>）</li>').format(
                    _relative(page_path, f"{year}/index.md"),
                    title,
                    latest,
                    _relative(page_path, f"{year}/full.md"),
                )
            )
        return opaque.element('<ul class="years">', Markup("").join(items), "</ul>")

    # -- report metadata ----------------------------------------------------
    def report_title(self, page_path: str | None, year=None) -> Markup:
        year = self.year_of(page_path, year)
        return escape(self.data.years[year].report["title"])

    def signature(self, page_path: str | None, year=None) -> Markup:
        """落款: branch name and date, Arabic numerals without leading zeros."""
        year = self.year_of(page_path, year)
        date = self.data.years[year].report["date"]
        if date == UNFILLED:  # a new year's report before its date is set (make new-year)
            if (year, "date") not in self.warned:
                self.warned.add((year, "date"))
                doc = self.data.years[year].report_doc
                where = f"{doc.path}:{doc.line('date')}" if doc else f"data/{year}/report.yaml"
                log.warning(f"{where}: 落款日期 (date)：待填")
            return Markup(
                '<div class="report-signature"><p>{}</p><p><span class="fig fig--missing" '
                'title="落款日期：待填">待填</span></p></div>'
            ).format(self.data.branch["name"])
        y, m, d = (int(part) for part in date.split("-"))
        return Markup(
            '<div class="report-signature"><p>{}</p><p>{}年{}月{}日</p></div>'
        ).format(self.data.branch["name"], y, m, d)

    # -- the 全文 assembles the section files -------------------------------
    def include_section(self, page_path: str, docs_dir: Path, name: str, shift: int = 0) -> str:
        """The Markdown of a section file of this year, its headings shifted down by `shift`."""
        base = Path(page_path).parent
        path = docs_dir / base / name
        text = FRONT_MATTER.sub("", path.read_text("utf-8"), count=1)
        self.fulltext_depth += 1
        try:
            text = self.render_markdown(text) if self.render_markdown else text
        finally:
            self.fulltext_depth -= 1
        if shift:
            text = HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + shift) + m.group(2), text)
        return text

    def section_links(self, page_path: str, docs_dir: Path) -> Markup:
        """A list of the pages of this section (on a section's index page); nothing in the 全文."""
        if self.fulltext_depth:
            return Markup("")
        folder = docs_dir / Path(page_path).parent
        items = [
            Markup('<li><a href="{}">{}</a></li>').format(
                _relative(page_path, path.relative_to(docs_dir).as_posix()), title
            )
            for title, path in section_pages(folder)
        ]
        return opaque.element('<ul class="section-links">', Markup("").join(items), "</ul>")


# MkDocs' use_directory_urls for this build; the offline copy turns it off (set by define_env).
DIRECTORY_URLS = True


def page_url(src: str) -> str:
    """The URL MkDocs gives a page: a/b.md -> a/b/ (directory URLs) or a/b.html (offline copy)."""
    stem = src[: -len(".md")]
    if not DIRECTORY_URLS:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def _relative(from_page: str | None, to_page: str) -> str:
    """An href from one page to another (both given relative to docs/)."""
    if not DIRECTORY_URLS:
        return posixpath.relpath(page_url(to_page), posixpath.dirname(page_url(from_page or "index.md")) or ".")
    start = page_url(from_page or "index.md") or "."
    target = page_url(to_page) or "."
    rel = posixpath.relpath(target, start)
    return rel if rel.endswith("/") or rel == "." else rel + "/"
