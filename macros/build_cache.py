"""Files kept between builds, in $XDG_CACHE_HOME (default ~/.cache), not the shared /tmp.

Users: jieba/ (macros/search_setup.py) and mkdocs-templates/ (macros/plugin.py, on_env). Each is
keyed by its inputs, so deleting these folders is always safe.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(name: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / name
