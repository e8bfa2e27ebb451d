"""MkDocs hook: build the navigation from the docs tree (logic in macros/nav.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.nav import build_nav  # noqa: E402


def on_config(config):
    if not config.nav:
        config.nav = build_nav(Path(config.docs_dir))
    return config
