"""Patch Material's search worker so a Chinese query is tried as one word.

Material's query segmenter (`segment()` in integrations/search/query/segment)
fills `wordcuts` with `for (j = i + 1; j < query.length; j++)`: it never looks up
the whole query (or any suffix that ends at the last character), so 三会一课 is
searched as 三* 会* 一* 课* and ranking falls apart. The fix is `j <= query.length`.
Material is in maintenance mode, so we patch the built worker after each build.
The pattern is matched exactly once or the build fails (tests/test_search_patch.py
pins the behaviour, and a new Material release that changes the code is caught).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

# for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)
BUGGY = re.compile(
    r"for\(let (\w+)=(\w+)\+1;\1<(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in (\w+)&&"
)


FIXED = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<=(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")


def patch_worker(source: str) -> str:
    matches = BUGGY.findall(source)
    if not matches and len(FIXED.findall(source)) == 1:
        return source  # already patched (a dirty rebuild under `mkdocs serve`)
    if len(matches) != 1:
        raise PluginError(
            f"搜索分词补丁未能应用：在 Material 搜索脚本中找到 {len(matches)} 处待修补代码（应为 1 处）。"
            "Material 版本可能已变化，请检查 hooks/search_fix.py。"
        )
    return BUGGY.sub(
        lambda m: f"for(let {m[1]}={m[2]}+1;{m[1]}<={m[3]}.length;{m[1]}++)"
        f"{m[3]}.slice({m[2]},{m[1]})in {m[4]}&&",
        source,
    )


def on_startup(command, dirty):
    """jieba reports loading its dictionary on every build; keep the build output to what matters."""
    try:
        import jieba
    except ImportError:  # search then works without segmentation; Material says so itself
        return
    jieba.setLogLevel(logging.WARNING)


def on_post_build(config):
    workers = list(Path(config.site_dir, "assets/javascripts/workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise PluginError(f"搜索分词补丁未能应用：找到 {len(workers)} 个搜索脚本（应为 1 个）。")
    worker = workers[0]
    worker.write_text(patch_worker(worker.read_text("utf-8")), "utf-8")
