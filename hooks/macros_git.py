"""MkDocs hook: stop mkdocs-macros from running git a dozen times per build.

mkdocs-macros fills a page variable `git` (commit, author, tag…) by running 13 `git`
commands in every build and every `make serve` rebuild: 20–40 ms here, more on a busy
machine, for a variable no page of ours uses (最后更新 dates come from one `git log` of our
own). We give it an empty `git` instead; a page that used `{{ git.… }}` would fail the
build (on_undefined: strict) rather than show something wrong. See BENCHMARKS.md.
"""

from __future__ import annotations

import mkdocs_macros.context


def _no_git_info() -> dict:
    return {"status": False, "date": None}


# Hooks are imported while the config is read, before the macros plugin's on_config runs.
mkdocs_macros.context.get_git_info = _no_git_info
