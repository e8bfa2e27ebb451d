"""往年 (docs/archive/index.md): every older year's pages on one page, newest first.

Search indexes the latest year's pages in full and keeps older years' pages out of the index
(macros/site/search_setup.py, `year_before`). Older years reach search through this page instead: one
section per year whose text is the titles of that year's pages. Material's search lists a page's
sections under the page, so a query shows each page of the latest year once and the older years
once, as this page's group; the page's front matter (search.boost) ranks that group after them.
Typing a year (2070) finds that year's section. The page is a top-level folder, so the navigation
shows it as the 往年 tab (macros/pages/nav.py). Checked by tests/unit/test_search_shape.py.
"""

from __future__ import annotations

from pathlib import Path

from macros.pages.nav import TABS, YEAR, entries, title_of
from macros.pages.templating import render

GROUPS = [(None, "报告"), ("checklists", "清单"), ("plan", "计划")]


def _flat(items: list, docs: Path) -> list[str]:
    """The page paths of nav.entries(), in navigation order."""
    pages = []
    for item in items:
        if isinstance(item, str):
            pages.append(item)
        else:
            for children in item.values():
                pages += _flat(children, docs)
    return pages


def older_years(docs: Path, href) -> list[dict]:
    """[{year, groups: [{label, pages: [{title, href}]}]}] for every year folder but the latest,
    newest first; `href(path)` links to a page (path relative to docs/)."""
    years = sorted((int(p.name) for p in docs.iterdir() if p.is_dir() and YEAR.match(p.name)), reverse=True)
    result = []
    for year in years[1:]:
        folder = docs / str(year)
        groups = []
        for sub, label in GROUPS:
            where = folder / sub if sub else folder
            if not where.is_dir():
                continue
            paths = _flat(entries(where, docs, skip=TABS if sub is None else ()), docs)
            if paths:
                pages = [{"title": title_of(docs / p), "href": href(p)} for p in paths]
                groups.append({"label": label, "pages": pages})
        result.append({"year": year, "groups": groups})
    return result


def indexed_years(docs: Path) -> list[int]:
    """The years whose pages search indexes in full, newest first: the latest and the one before it
    (macros/site/search_setup.py, 3)."""
    years = sorted((int(p.name) for p in docs.iterdir() if p.is_dir() and YEAR.match(p.name)), reverse=True)
    return years[:2]


def macro(docs: Path):
    """The page macro `older_years()`: every older year's pages, newest first."""
    return lambda here: render("older_years.html", years=older_years(docs, here.href))
