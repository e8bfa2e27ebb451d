"""Per-page additions: 最后更新 and 编辑数据 (front matter for the theme), and figure anchors.

最后更新 is the latest change among a page's own file and the data it shows (macros/site/gitdates.py):
a report page under docs/<year>/ shows data/<year>/; a page that assembles others
(include_section) shows its folder; a page outside the years that calls macros (编辑指南 pages)
shows all of data/. The 编辑此页 link itself is MkDocs' `page.edit_url` (REPO_URL / EDIT_URI).

Figure anchors: the nth use of study.sessions on a page gets id `fig-study.sessions` (first) or
`fig-study.sessions-<n>`, on an empty span before the figure, so the 数据完整性 page can link to
the sentence that uses it.
"""

from __future__ import annotations

import re
from pathlib import Path

from macros.core.chinese import chinese_date
from macros.pages.render import anchor
from macros.site.gitdates import FileDates

YEAR = re.compile(r"^(\d{4})/")
RECORDS = re.compile(r"^records/(\d{4})/")
FIG = re.compile(r'<span class="fig(?: [^"]*)?" data-fig="([^"]+)"')


def add_figure_anchors(html: str) -> str:
    seen: dict[str, int] = {}

    def mark(match: re.Match) -> str:
        key = match.group(1)
        nth = seen.get(key, 0)
        seen[key] = nth + 1
        return f'<span class="fig-anchor" id="{anchor(key, nth)}"></span>{match.group(0)}'

    return FIG.sub(mark, html)


def file_dates(config) -> FileDates:
    return FileDates(Path(config.config_file_path).resolve().parent)  # one git log per build


def _files(root: Path, folder: str, listings: dict | None = None) -> list[str]:
    if listings is not None and folder in listings:  # one listing per folder per build (2000 台账 files)
        return listings[folder]
    found = [p.relative_to(root).as_posix() for p in sorted((root / folder).rglob("*")) if p.is_file()]
    if listings is not None:
        listings[folder] = found
    return found


def dependencies(root: Path, docs: str, src: str, markdown: str, listings: dict | None = None) -> list[str]:
    """The files (relative to the project root) whose changes change this page."""
    deps = [f"{docs}/{src}"]
    year = YEAR.match(src)
    records = RECORDS.match(src)
    if year:
        deps += _files(root, f"data/{year.group(1)}", listings)
        if "include_section(" in markdown:
            deps += _files(root, f"{docs}/{year.group(1)}", listings)
    elif records:  # a year's 台账 pages: that year's records and the activity types
        deps += _files(root, f"data/records/{records.group(1)}", listings) + ["data/activity_types.yaml"]
    elif "{{" in markdown:
        deps += _files(root, "data", listings)
    return deps


def set_meta(page, config, dates: FileDates | None) -> None:
    root = Path(config.config_file_path).resolve().parent
    docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
    source = Path(page.file.abs_src_path).read_text("utf-8")  # the page's markdown has its macros rendered
    stamp = dates.latest(dependencies(root, docs, page.file.src_uri, source, dates.listings)) if dates else None
    if stamp:
        page.meta["last_updated"] = chinese_date(stamp.date)
        page.meta["last_updated_iso"] = stamp.date.isoformat()
        page.meta["last_updated_source"] = stamp.source
    year = YEAR.match(page.file.src_uri)
    if page.edit_url and year and page.edit_url.endswith(f"{docs}/{page.file.src_uri}"):
        base = page.edit_url[: -len(f"{docs}/{page.file.src_uri}")]
        page.meta["edit_data_url"] = f"{base}data/{year.group(1)}/figures.yaml"
