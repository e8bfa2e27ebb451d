"""MkDocs hook: keep jieba's dictionary cache in a stable per-user place, and load it fast.

Material's search plugin segments Chinese with jieba. On first use jieba turns its 5 MB
word list into a prefix dictionary (about 1.5–2 s) and caches it as `jieba.cache` in
tempfile.gettempdir(): /tmp, shared by every user of the machine, emptied at reboot, and
owned by whoever wrote it first (another user cannot refresh it; a planted file would be
loaded). We keep it in $XDG_CACHE_HOME/jieba (default ~/.cache/jieba) instead, so every
build after the first only loads it. BENCHMARKS.md ("只做一次的工作") measures a cold and a
warm build; tests/test_bench.py checks the location.

Loading: jieba reads the 9 MB cache with `marshal.load(file)`, which CPython reads in many
small pieces (0.6 s here); `marshal.loads(file.read())` gives the same dictionary in 0.16 s.
jieba 0.42.1 (pinned, unchanged since 2020) uses marshal only for this cache, so we hand it
a marshal whose load() reads the file at once: about 0.4 s off every build and every test build.
"""

from __future__ import annotations

import marshal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.build_cache import cache_dir  # noqa: E402

try:
    import jieba
except ImportError:  # search then works without segmentation (see hooks/search_fix.py)
    jieba = None


class _WholeFileMarshal:
    """`marshal` for jieba: load() reads the whole file first (same result, 4× faster)."""

    dump = staticmethod(marshal.dump)
    dumps = staticmethod(marshal.dumps)
    loads = staticmethod(marshal.loads)

    @staticmethod
    def load(file):
        return marshal.loads(file.read())


def on_startup(command, dirty):
    # Runs before any plugin's on_config, so before the search plugin first uses jieba.
    if jieba is None or jieba.dt.initialized:
        return
    jieba.marshal = _WholeFileMarshal
    try:
        path = cache_dir("jieba")
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no writable home: jieba falls back to its default (the temp directory)
    jieba.dt.tmp_dir = str(path)
