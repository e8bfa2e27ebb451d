"""MkDocs hook: 最后更新 (from git history, see macros/gitdates.py) and 编辑数据 links for each page.

A page's date is the latest change among its own file and the data it shows: a report page
under docs/<year>/ shows data/<year>/; a page that assembles others (include_section) shows its
folder; a page outside the years that calls macros (编辑指南 pages) shows all of data/.
The 编辑此页 link itself is MkDocs' `page.edit_url` (repo_url + edit_uri, set from the
REPO_URL / EDIT_URI environment variables); the template is overrides/partials/source-file.html.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.gitdates import FileDates, chinese_date  # noqa: E402

YEAR = re.compile(r"^(\d{4})/")
_dates: FileDates | None = None


def on_config(config):
    global _dates
    _dates = FileDates(Path(config.config_file_path).resolve().parent)  # one git log per build
    if not config.repo_url:
        config.edit_uri = None  # no server address configured: no edit links (not relative ones)
    return config


def _files(root: Path, folder: str) -> list[str]:
    return [p.relative_to(root).as_posix() for p in sorted((root / folder).rglob("*")) if p.is_file()]


def dependencies(root: Path, docs: str, src: str, markdown: str) -> list[str]:
    """The files (relative to the project root) whose changes change this page."""
    deps = [f"{docs}/{src}"]
    year = YEAR.match(src)
    if year:
        deps += _files(root, f"data/{year.group(1)}")
        if "include_section(" in markdown:
            deps += _files(root, f"{docs}/{year.group(1)}")
    elif "{{" in markdown:
        deps += _files(root, "data")
    return deps


def on_page_markdown(markdown, page, config, files):
    root = Path(config.config_file_path).resolve().parent
    docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
    source = Path(page.file.abs_src_path).read_text("utf-8")  # `markdown` has its macros rendered already
    stamp = _dates.latest(dependencies(root, docs, page.file.src_uri, source)) if _dates else None
    if stamp:
        page.meta["last_updated"] = chinese_date(stamp.date)
        page.meta["last_updated_iso"] = stamp.date.isoformat()
        page.meta["last_updated_source"] = stamp.source
    year = YEAR.match(page.file.src_uri)
    if page.edit_url and year and page.edit_url.endswith(f"{docs}/{page.file.src_uri}"):
        base = page.edit_url[: -len(f"{docs}/{page.file.src_uri}")]
        page.meta["edit_data_url"] = f"{base}data/{year.group(1)}/figures.yaml"
    return markdown
