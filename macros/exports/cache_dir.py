"""Files kept between builds, in $XDG_CACHE_HOME (default ~/.cache), not the shared /tmp.

Users: jieba/ (macros/site/search_setup.py), party-site-exports/ (macros/exports/cache.py); each keyed
by its inputs, so deleting a folder is always safe.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(name: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / name
