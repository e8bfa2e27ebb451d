"""Build the navigation from the docs tree, so adding a year needs no edit of mkdocs.yml.

Tabs: 首页 | 报告 | 清单 | 计划 | other top-level folders (e.g. 编辑指南).
A year's report is docs/<year>/ (without its checklists/ and plan/ folders);
its 清单 and 计划 pages live in docs/<year>/checklists/ and docs/<year>/plan/.
Pages are ordered by the document's own numbering in their first heading
(一、二、三… or （一）（二）…); index.md comes first, un-numbered pages last.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.utils.meta import get_data

from macros.core.chinese import chinese_number

NUMBERED = re.compile(r"^(?:（([一二三四五六七八九十]+)）|([一二三四五六七八九十]+)、)")
H1 = re.compile(r"^#\s+(.+)$", re.MULTILINE)
TABS = {"checklists": "清单", "plan": "计划"}
# A year's report (docs/2022/) plans the next year: its 计划 is the 2023 plan, its 清单 the 2023 lists.
SECTION_LABELS = {
    "checklists": lambda year: f"{year + 1}年工作清单",
    "plan": lambda year: f"{year + 1}年工作计划",
}
YEAR = re.compile(r"^\d{4}$")
# In each tab the newest years are sections (always expanded); older ones go into one
# 往年… section, where Material's navigation.prune renders each as a single link unless
# the page is in it; more than OLDER_FLAT older years are grouped by decade. Without this
# every page would carry every page of every year: HTML per page would grow with the
# number of years (BENCHMARKS.md: at 50 years 7.2× the bytes of a 1-year page).
RECENT_YEARS = 2
OLDER_FLAT = 10


def title_of(path: Path) -> str:
    """A page's title as MkDocs reads it: `title:` in its front matter, else its first heading."""
    text, meta = get_data(path.read_text("utf-8"))  # MkDocs' own front-matter reader
    if isinstance(meta.get("title"), str) and meta["title"].strip():
        return meta["title"].strip()
    match = H1.search(text)
    return match.group(1).strip() if match else path.stem


def order_key(path: Path) -> tuple:
    index = path / "index.md" if path.is_dir() else path
    if path.name == "index.md":
        return (0, 0, path.name)
    if not index.exists():
        return (2, 0, path.name)
    match = NUMBERED.match(title_of(index))
    if match:
        return (1, chinese_number(match.group(1) or match.group(2)), path.name)
    return (2, 0, path.name)


def entries(folder: Path, docs: Path, skip=()) -> list:
    items = []
    for path in sorted(folder.iterdir(), key=order_key):
        if path.name.startswith((".", "_")) or path.name in skip:
            continue
        rel = path.relative_to(docs).as_posix()
        if path.is_dir():
            children = entries(path, docs)
            if children:
                title = title_of(path / "index.md") if (path / "index.md").exists() else path.name
                items.append({title: children})
        elif path.suffix == ".md":
            items.append(rel)
    return items


def recent_first(sections: list[tuple[int, dict]], tab: str) -> list:
    """(year, section) newest first → the RECENT_YEARS newest, the rest under 往年<tab> (by decade if many)."""
    if len(sections) <= RECENT_YEARS + 1:
        return [section for _, section in sections]
    older = sections[RECENT_YEARS:]
    if len(older) > OLDER_FLAT:
        decades: dict[int, list] = {}
        for year, section in older:
            decades.setdefault(year // 10 * 10, []).append(section)
        grouped = [{f"{start}—{start + 9}年": items} for start, items in decades.items()]
    else:
        grouped = [section for _, section in older]
    return [section for _, section in sections[:RECENT_YEARS]] + [{f"往年{tab}": grouped}]


def build_nav(docs: Path) -> list:
    years = sorted((p for p in docs.iterdir() if p.is_dir() and YEAR.match(p.name)), reverse=True)
    nav: list = [{"首页": "index.md"}] if (docs / "index.md").exists() else []
    reports = [(int(y.name), {f"{y.name}年度报告": entries(y, docs, skip=TABS)}) for y in years]
    nav.append({"报告": recent_first(reports, "报告")})
    for folder, tab in TABS.items():
        sections = [
            (int(y.name), {SECTION_LABELS[folder](int(y.name)): entries(y / folder, docs)})
            for y in years
            if (y / folder).is_dir()
        ]
        if sections:
            nav.append({tab: recent_first(sections, tab)})
    for path in sorted(docs.iterdir(), key=order_key):
        if path.is_dir() and not YEAR.match(path.name) and (path / "index.md").exists():
            nav.append({title_of(path / "index.md"): entries(path, docs)})
    return nav


def section_pages(folder: Path) -> list[tuple[str, Path]]:
    """(title, path) of the pages in a section folder, in document order, without index.md."""
    pages = []
    for path in sorted(folder.iterdir(), key=order_key):
        if path.name == "index.md" or path.name.startswith((".", "_")):
            continue
        target = path / "index.md" if path.is_dir() else path
        if target.suffix == ".md" and target.exists():
            pages.append((title_of(target), target))
    return pages
