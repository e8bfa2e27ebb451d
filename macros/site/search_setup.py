"""Chinese search: jieba's dictionary cache, and the fix to Material's query segmenter.

1. **jieba's cache** (written against jieba 0.42.1). On first use jieba turns its 5 MB word list
   into a prefix dictionary (about 1.5–2 s) and caches it in the shared /tmp, emptied at reboot and
   owned by whoever wrote it first. We keep it in $XDG_CACHE_HOME/jieba (default ~/.cache/jieba)
   instead (`jieba.dt.tmp_dir`; a per-user fallback, else a private folder for the run: never the
   shared path, macros/exports/cache_dir.py), and hand jieba a `marshal` whose load() reads the file at once
   (CPython's marshal.load(file) reads in small pieces: 0.6 s against 0.16 s). Measured gain
   (make bench, 机制, 1-year site): 22%, 10%, 12% and 7% of a build in four runs (median 11%).
2. **The segmenter fix** (written against mkdocs-material 9.8.2). Material's query segmenter fills
   `wordcuts` with `for (j = i + 1; j < query.length; j++)`: it never looks up the whole query, so
   三会一课 is searched as 三* 会* 一* 课* and ranking falls apart. The fix is `j <= query.length`,
   applied to the built worker; the pattern must match exactly once or the build stops.
3. **What is indexed** (`year_before`). The latest year's pages and the year before it are indexed
   in full: right after `make new-year` the latest year is a draft, and last year's report, 清单
   and 计划 must stay findable by their words. The year before the latest ranks after it (a lower
   `search.boost`). Older years' pages are kept out (Material's documented
   `search.exclude` page setting, set by the plugin before the search plugin reads it) and are
   found through the 往年 page instead (macros/pages/archive.py), once, as a group after them; the
   index stops growing with every year's full text, and the build skips parsing and segmenting
   older pages. Measured gain (make bench, 机制, 10 years): 18%, −6%, 11% and 8% of a build in
   four runs; kept above all for the ranking and the index size.
4. **Each hit's year** (`label_years`). Pages of different years share their titles (问题整改清单);
   in the built index each year page's title gets its year, 问题整改清单（2023年度）, so a result
   says which year it is. The pages themselves keep their titles.
"""

from __future__ import annotations

import atexit
import logging
import marshal
import re
import shutil
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

from macros.core.upstream import require
from macros.exports.cache_dir import cache_dir

# for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)
BUGGY = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in (\w+)&&")
FIXED = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<=(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")


class _WholeFileMarshal:
    """`marshal` for jieba: load() reads the whole file first (same result, 4× faster)."""

    dump = staticmethod(marshal.dump)
    dumps = staticmethod(marshal.dumps)
    loads = staticmethod(marshal.loads)

    @staticmethod
    def load(file):
        return marshal.loads(file.read())


PAGE_YEAR = re.compile(r"^(\d{4})/")


def year_before(src_uri: str, year: int | None) -> bool:
    """Whether a page (path relative to docs/) belongs to a year before `year`: the first one indexed
    in full (`archive.indexed_years`; older pages are left out) or the latest (ranked lower)."""
    match = PAGE_YEAR.match(src_uri)
    return bool(match and year and int(match.group(1)) < year)


PREVIOUS_BOOST = 0.5  # the year before the latest: after the latest year's pages, before the 往年 group (0.01)


def rank_lower(page) -> None:
    """Rank a page after the latest year's (as `search: boost: 0.5` in its front matter)."""
    search = page.meta.get("search") or {}
    if "boost" not in search:
        page.meta["search"] = {**search, "boost": PREVIOUS_BOOST}


YEAR_LABEL = "（{year}\u200b年度）"  # \u200b: the separator jieba's words get (mkdocs.yml), so 2023 finds it


def label_years(docs: list[dict]) -> list[dict]:
    """The search index's documents with each year page's title carrying its year (not its sections:
    Material shows a hit under its page). Idempotent (the preview merges earlier builds' entries)."""
    for doc in docs:
        match = PAGE_YEAR.match(doc.get("location", ""))
        if match and "#" not in doc["location"]:
            label = YEAR_LABEL.format(year=match.group(1))
            if not doc.get("title", "").endswith(label):
                doc["title"] = f"{doc.get('title', '')}{label}"
    return docs


def exclude_from_search(page) -> None:
    """Keep a page out of the search index (as `search: exclude: true` in its front matter)."""
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}


def setup_jieba() -> None:
    try:
        import jieba
    except ImportError:  # search then works without segmentation; Material says so itself
        return
    jieba.setLogLevel(logging.WARNING)  # it reports loading its dictionary on every build
    if jieba.dt.initialized:
        return
    require("jieba", "0.42.1", "macros/site/search_setup.py（jieba 的 marshal 与 tmp_dir）")
    jieba.marshal = _WholeFileMarshal
    path = cache_dir("jieba")  # this user's, never the shared temp folder (macros/exports/cache_dir.py)
    if path is None:
        # No cache folder of this user's: jieba would fall back to <temp>/jieba.cache, shared by all users
        # (one user's file, loaded by the next with marshal, or a PermissionError). A private folder for
        # this run instead, removed when the process ends: the dictionary is built afresh (about 2 s).
        path = Path(tempfile.mkdtemp(prefix="jieba-"))
        atexit.register(shutil.rmtree, path, True)
    jieba.dt.tmp_dir = str(path)


def patch_worker(source: str) -> str:
    matches = BUGGY.findall(source)
    if not matches and len(FIXED.findall(source)) == 1:
        return source  # already patched (a dirty rebuild under `mkdocs serve`)
    if len(matches) != 1:
        raise PluginError(
            f"搜索分词补丁未能应用：在 Material 搜索脚本中找到 {len(matches)} 处待修补代码（应为 1 处）。"
            "Material 版本可能已变化，请检查 macros/site/search_setup.py。"
        )
    return BUGGY.sub(
        lambda m: f"for(let {m[1]}={m[2]}+1;{m[1]}<={m[3]}.length;{m[1]}++){m[3]}.slice({m[2]},{m[1]})in {m[4]}&&",
        source,
    )


def patch_worker_in(site: Path) -> None:
    require("mkdocs-material", "9.8.2", "macros/site/search_setup.py（搜索脚本分词补丁）")
    workers = list(Path(site, "assets/javascripts/workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise PluginError(f"搜索分词补丁未能应用：找到 {len(workers)} 个搜索脚本（应为 1 个）。")
    worker = workers[0]
    worker.write_text(patch_worker(worker.read_text("utf-8")), "utf-8")
