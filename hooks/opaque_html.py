"""MkDocs hook: put the content of macros' generated elements back into each page (macros/opaque.py).

Runs first among the `on_page_content` handlers (priority 100), so every later reader of the
page's HTML (hooks/fig_anchors.py, the search index, hooks/export.py) sees the finished page.
The module is looked up at each call: under `mkdocs serve`, hooks/live.py imports the `macros`
package afresh for every rebuild, and the elements are stashed in the current one.
"""

from __future__ import annotations

import sys

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

RESTORES_OPAQUE = True  # define_env stashes elements only when a configured hook puts them back


def _opaque():
    return sys.modules.get("macros.opaque")  # None without the macros plugin: nothing was stashed


@event_priority(100)
def on_page_content(html, page, config, files):
    opaque = _opaque()
    if opaque is None:
        return html
    html, ids = opaque.restore(html)
    if ids and page.present_anchor_ids is not None:
        page.present_anchor_ids |= ids  # as if MkDocs had read them in the raw HTML (anchor checks)
    return html


def on_post_page(output, page, config):
    opaque = _opaque()
    token = opaque.left_over(output) if opaque is not None else None
    if token:
        raise PluginError(f"{page.file.src_uri}：生成的内容未能放回页面（{token}），请报告此错误。")
    return output
