"""MkDocs hook for `make serve` (live editing). Listed first under `hooks:` in mkdocs.yml.

1. Edited Python takes effect on the next rebuild. `mkdocs serve` re-reads mkdocs.yml and
   re-executes the hook files on every rebuild, but the project's `macros` package stays in
   Python's module cache (mkdocs-macros and hooks/nav.py import it once). Loading this hook
   drops `macros` and `macros.*` from the cache, so the rebuild imports the edited code
   (macros/*.py, and the schemas that validate.py caches).
2. A bad save explains itself in Chinese and the server stays up. MkDocs logs our data errors
   (one line each) and then ends the rebuild with English lines; we replace those with one
   Chinese line that says what the browser now shows and how to recover.
"""

from __future__ import annotations

import importlib
import logging
import sys

from mkdocs.exceptions import Abort

log = logging.getLogger("mkdocs.plugins.branch_live")


def forget_project_modules() -> list[str]:
    """Drop the project's macros package from the module cache; return the names dropped."""
    names = [name for name in sys.modules if name == "macros" or name.startswith("macros.")]
    for name in names:
        del sys.modules[name]
    importlib.invalidate_caches()
    return names


forget_project_modules()


def on_serve(server, config, builder):
    rebuild = server.builder

    def rebuild_or_explain():
        try:
            rebuild()
        except Abort:  # the errors themselves were already logged, one Chinese line each
            log.error("网站未更新：浏览器仍显示上一次成功构建的内容。按上面的提示改正并保存，几秒内自动恢复。")

    server.builder = rebuild_or_explain
    return server
