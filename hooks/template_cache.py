"""MkDocs hook: keep the theme's compiled templates between builds (Jinja's bytecode cache).

Every build, and every `make serve` rebuild, MkDocs makes a new Jinja environment and
compiles Material's templates (about 45, with ours in overrides/) from source again: a
sixth of a small site's build. Jinja's FileSystemBytecodeCache keeps the compiled code
on disk, keyed by template name and checked against a hash of the source, so a changed
template (ours or a new Material) is compiled again and nothing stale is ever used. The
cache lives in $XDG_CACHE_HOME/mkdocs-templates (default ~/.cache), next to jieba's.
Measured in BENCHMARKS.md ("修复前后").
"""

from __future__ import annotations

import sys
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.build_cache import cache_dir  # noqa: E402


def on_env(env, config, files):
    # Called after pages are read and before any theme template is loaded.
    try:
        path = cache_dir("mkdocs-templates")
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return env  # no writable home: compile as usual
    env.bytecode_cache = FileSystemBytecodeCache(str(path))
    return env
