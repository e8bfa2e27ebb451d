"""Files kept between builds, in $XDG_CACHE_HOME (default ~/.cache), not the shared /tmp.

Each user of the cache keys its files by a hash of everything the content depends on, so a
file is either right or absent; deleting any of these folders is always safe. Users:
jieba/ (hooks/jieba_cache.py), mkdocs-templates/ (hooks/template_cache.py), mkdocs-pages/
(macros/template_memo.py), report-charts/ (macros/yoy.py), report-docx/ (macros/export_cache.py).
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(name: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / name


def keep(path: Path, content: bytes, max_files: int) -> None:
    """Write `path` atomically (a parallel build never reads half a file) and drop the oldest
    files of its kind in its folder beyond `max_files` (each saved edit under make serve adds
    one). Without a writable cache nothing is kept and the work is simply done every build."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.part")
        partial.write_bytes(content)
        os.replace(partial, path)
        files = sorted(path.parent.glob(f"*{path.suffix}"), key=lambda p: p.stat().st_mtime)
        for old in files[:-max_files]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
