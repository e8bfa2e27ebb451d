"""The preview (`make serve` = `mkdocs serve --dirty`): after a save, rebuild only what it changed.

The one place this is decided. An editor works on the latest year; older years are finished. A full
rebuild re-renders every year (at 50 years about 19 s), so under `mkdocs serve --dirty` MkDocs'
own rule applies: a page is rebuilt only when its output is older than its Markdown source
(`File.is_modified`), and the other pages stay as they were built last time. This module widens
that rule to the page's real inputs, by marking outputs stale (setting their time to 0) before
MkDocs decides:

- a year's file changed: the pages of the years it reaches (`docs/<year>/`, `docs/records/<year>/`),
  and the pages outside year folders (首页, 数据一览, 编辑指南, 台账 index show every year; 往年 and
  字段说明 show less, but not rebuilding them saved under 10% of a save-to-visible at 50 years).
  A year's pages show that year's data and records (`Renderer.year_of`, `LoopMacros.loop`,
  `records.page_year`), and the data reaches across years in exactly these ways (`affected`):
  - `docs/<Y>/…`, `docs/records/<Y>/…`, `data/<Y>/…` (figures, plan, checklist …): year Y;
  - `data/records/<Y>/…` (the 台账 and the roster of Y): Y, and Y-1, whose pages show the 清单 of
    year Y (`data/<Y-1>/checklist.yaml`, ticked from these records);
  - `data/<Y>/report.yaml`: Y-1, Y and Y+1. Its 统计截至 date (`as_of`) is the cut-off of the 台账
    of Y (`records.link.cutoff_of`: grid, totals, figures, ticks of the 清单 shown on Y-1's pages)
    and of Y+1 while Y+1 has no report (with its sample mark);
- anything else changed (shared data `data/*.yaml`: activity types, rules, catalogue, roster-wide
  settings; `schemas/`, code with the theme (`macros/`), `mkdocs.yml`, a branch's own stylesheets), or the navigation
  changed (a page added, removed or retitled): every page.

Pages not rebuilt keep their output and their search entries from the last build
(`merge_search_index`; a page that is gone leaves the index), and their titles for the navigation of
the pages that are rebuilt (`restore_titles`). The theme is not rebuilt either while it is
unchanged: its templates are compiled once per session (`Compiled`, Jinja's bytecode cache, checked
against each template's source), and when only a year changed its own pages 404.html and sitemap.xml
stay (`keep_theme`).
Measured gain of these two (plugin switch `theme_reuse`), at 50 years: in process 0.18 s of
compiling and 0.13 s for the two pages, a rebuild 1.83-2.09 s -> 1.45-1.67 s (three alternating
pairs of 4 rebuilds); save-to-visible (two `make serve` of the same site side by side, saves
alternating) 2.27 -> 2.02 s over 16 saves each (11%; earlier runs of 8-10: 25%, 14%, -2%, +2%),
make bench's preview section at 21:06 (each save after the last rebuild ended), 6 saves each:
2.16 -> 1.90 s (12%); at 21:14, 3 saves each: 1.70 -> 1.72 s (none); at 21:36, 8 saves each:
2.20 -> 1.94 s (12%).
A failed rebuild does not advance the snapshot, so the next one still sees the change.
`mkdocs build` (strict or not) and `mkdocs serve` without --dirty always build everything.
Checked by tests/unit/test_preview.py (what is rebuilt) and tests/e2e/test_preview_build.py (a
dirty rebuild gives the same site as a full build). Measured gain (make bench, 预览): at 10 years a
save shows in 1.39–1.48 s against 3.4–3.9 s for a full rebuild; make bench at 21:14 (commit
20252a2): 0.82 s at 10 years against 2.91 s, 1.72 s at 50 years (1.94 s at 21:36, 8 saves).
What a rebuild still does at 50 years (about 1.4-1.6 s in process, 24 pages when the latest
year changed): render and convert those pages (0.65 s: 数据完整性 0.12 s,
数据一览's charts 0.1 s, 往年 0.07 s), their search entries (0.2-0.25 s; 数据一览's 325 KB of
tables alone 0.08 s), the navigation of each, read and check every year's data (0.13-0.15 s,
unchanged files reused: macros/core/reading/validate.py), scan the pages (0.05 s).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import BytecodeCache

from macros.site.search_setup import label_years

YEAR_PAGES = re.compile(r"^docs/(?:records/)?(\d{4})/")  # a year's pages
YEAR_REPORT = re.compile(r"^data/(\d{4})/report\.yaml$")  # its 统计截至 date: the 台账 of Y and Y+1
YEAR_DATA = re.compile(r"^data/(\d{4})/")  # figures, plan, checklist …
YEAR_RECORDS = re.compile(r"^data/records/(\d{4})/")  # the 台账 and roster: also the 清单 of Y on Y-1's pages
PAGE_YEAR = re.compile(r"^(?:records/)?(\d{4})/")
ALL = None  # stale(): every page


def snapshot(root: Path, folders: list[Path], files: list[Path]) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every input file, keyed by its path relative to root."""
    found = {}
    paths = [Path(f) for f in files]
    for folder in folders:
        for base, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            paths += [Path(base, name) for name in names]
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        found[rel] = (stat.st_mtime_ns, stat.st_size)
    return found


def affected(path: str) -> set[int] | None:
    """The years whose pages show what a changed file says (the rule list at the top), or ALL."""
    for pattern, reach in ((YEAR_PAGES, (0,)), (YEAR_REPORT, (-1, 0, 1)), (YEAR_DATA, (0,)),
                           (YEAR_RECORDS, (-1, 0))):
        match = pattern.match(path)
        if match:
            return {int(match.group(1)) + step for step in reach}
    return ALL


def changed_years(before: dict, now: dict) -> set[int] | None:
    """The years whose pages the changed files reach, or ALL when anything outside a year folder changed."""
    years: set[int] = set()
    for path in set(before) | set(now):
        if before.get(path) == now.get(path):
            continue
        reach = affected(path)
        if reach is ALL:
            return ALL
        years |= reach
    return years


def stale(src_uri: str, years: set[int] | None) -> bool:
    """Whether a page (path relative to docs/) must be rebuilt when `years` changed."""
    if years is ALL:
        return True
    match = PAGE_YEAR.match(src_uri)
    return match is None or int(match.group(1)) in years


class Compiled(BytecodeCache):
    """The theme's templates as compiled in this session. Jinja reuses a template's code only while
    its name and its source's checksum are the same (jinja2.bccache.Bucket), so an edited template
    of the theme is compiled again."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


@dataclass
class Preview:
    """What one `mkdocs serve --dirty` session remembers between rebuilds (kept by the plugin)."""

    inputs: dict = field(default_factory=dict)  # snapshot at the start of the last good build
    nav: list | None = None
    titles: dict[str, str] = field(default_factory=dict)  # src_uri -> title, pages last built
    search: list = field(default_factory=list)  # the last search index's entries
    pending: tuple | None = None  # (snapshot, nav) of the build under way
    built: set[str] = field(default_factory=set)  # URLs of the pages this build renders
    compiled: Compiled = field(default_factory=Compiled)

    def plan(self, inputs: dict, nav: list) -> set[int] | None:
        """At the start of a build: which years are stale (ALL on the first build)."""
        self.pending, self.built = (inputs, nav), set()
        if not self.inputs or nav != self.nav:
            return ALL
        return changed_years(self.inputs, inputs)

    def mark_stale(self, files, years: set[int] | None) -> None:
        """Make MkDocs' dirty check rebuild every stale page (its output dated 1970)."""
        for file in files.documentation_pages():
            if stale(file.src_uri, years) and os.path.isfile(file.abs_dest_path):
                os.utime(file.abs_dest_path, (0, 0))

    def keep_theme(self, config, years: set[int] | None) -> None:
        """Only a year changed: the theme's own pages (404.html, sitemap.xml: the navigation and the
        page list, both unchanged, or `plan` would have said ALL) stay as they were built."""
        if years is not ALL:
            config.theme.static_templates -= {"404.html", "sitemap.xml"}

    def reuse_compiled(self, env) -> None:
        """The theme's templates are compiled once per session, not on every rebuild."""
        env.bytecode_cache = self.compiled

    def restore_titles(self, files) -> None:
        """Pages not rebuilt were not read: give them last build's titles for the navigation."""
        for file in files.documentation_pages():
            page = file.page
            if page is not None and page.markdown is None and file.src_uri in self.titles:
                page.title = self.titles[file.src_uri]

    def page_built(self, page) -> None:
        self.titles[page.file.src_uri] = page.title
        self.built.add(page.url)

    def merge_search_index(self, path: Path, order: list[str]) -> None:
        """The index of this build's pages plus last build's entries for the pages not rebuilt,
        in page order (so it equals a full build's index)."""
        if not path.is_file():
            return
        data = json.loads(path.read_text("utf-8"))
        runs: dict[str, list] = {}  # a rebuilt page's entries: the last run that starts with its own
        for entry in data["docs"]:  # (Material's dirty merge can leave the old ones before them)
            url = entry["location"].split("#")[0]
            if url in self.built:
                runs[url] = [entry] if entry["location"] == url else [*runs.get(url, []), entry]
        own = [entry for run in runs.values() for entry in run]
        rank = {url: i for i, url in enumerate(order)}
        kept = [e for e in self.search if e["location"].split("#")[0] not in self.built
                and e["location"].split("#")[0] in rank]  # a deleted page leaves the index
        docs = sorted(own + kept, key=lambda e: rank.get(e["location"].split("#")[0], len(rank)))
        data["docs"] = self.search = label_years(docs)  # each hit's year, as a full build (search_setup.py, 4)
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")

    def commit(self) -> None:
        """At the end of a good build: the next one compares with this one."""
        if self.pending is not None:
            self.inputs, self.nav = self.pending
            self.pending = None
