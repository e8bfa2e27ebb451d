"""MkDocs hook for `make serve` (live editing). Listed first under `hooks:` in mkdocs.yml.

1. Edited Python takes effect on the next rebuild. `mkdocs serve` re-reads mkdocs.yml on every
   rebuild, but Python keeps imported modules: mkdocs-macros would reuse the `macros` package
   imported by the first build (and MkDocs caches the hook files themselves). Before the
   plugins' `on_config` of every build, this hook drops `macros` and `macros.*` from the module
   cache, so mkdocs-macros imports the edited code (macros/*.py, and the schemas that
   validate.py caches). Not covered: hooks/*.py and the navigation code hooks/nav.py imported
   at start (macros/nav.py): after editing those, restart `make serve`.
2. A bad save explains itself in Chinese and the server stays up. MkDocs logs our data errors
   (one line each) and then ends the rebuild with English lines; we replace those with one
   Chinese line that says what the browser now shows and how to recover.
"""

from __future__ import annotations

import importlib
import logging
import sys

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.plugins.branch_live")


def forget_project_modules() -> list[str]:
    """Drop the project's macros package from the module cache; return the names dropped."""
    names = [name for name in sys.modules if name == "macros" or name.startswith("macros.")]
    for name in names:
        del sys.modules[name]
    importlib.invalidate_caches()
    return names


@event_priority(100)  # before mkdocs-macros imports the package in its own on_config
def on_config(config):
    forget_project_modules()
    return config


def on_serve(server, config, builder):
    rebuild = server.builder

    def rebuild_or_explain():
        try:
            rebuild()
        except Abort:  # the errors themselves were already logged, one Chinese line each
            log.error("网站未更新：浏览器仍显示上一次成功构建的内容。按上面的提示改正并保存，几秒内自动恢复。")

    server.builder = rebuild_or_explain
    return server
