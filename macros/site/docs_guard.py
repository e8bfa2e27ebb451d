"""docs/ holds only what may be published (issue 23.2). MkDocs copies every file of docs/ into the
site and follows symbolic links: a link to /etc/passwd would be served, a .md link to a file
elsewhere rendered and indexed, a linked folder copied; an editor's backup (index.md~) published.

Checked at the start of each build (the plugin's on_config, before any page is read):
- a symbolic link whose target is outside the repository, in its .git/ or the project's data/ (or
  missing) stops every build, preview included:
  one Chinese line names each link and its target; what it points to is never read;
- stray files (backups, swap and lock files, hidden files: macros/core/scan.py STRAY) stop a strict
  or publishing build with one Chinese line naming them; the preview (make serve) leaves them out
  and says so once per rebuild, since editors create swap files while they type.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from macros.core.scan import STRAY, docs_problems

log = logging.getLogger("mkdocs.plugins.branch")
SHOWN = 10  # names listed in the message; the rest counted


def _listed(items: list[str]) -> str:
    more = f" 等共 {len(items)} 个" if len(items) > SHOWN else ""
    return "、".join(items[:SHOWN]) + more


def guard_docs(root: Path, docs_dir: Path, serving: bool) -> list[str]:
    """Refuse what docs/ must not publish (PluginError, one line); returns the stray files a preview
    leaves out."""
    found = docs_problems(root, docs_dir)
    if found.linked_out:
        raise PluginError(f"docs/ 中有指向仓库之外（或仓库的 .git/、data/，或不存在）的符号链接，"
                          f"构建不读取也不发布它们指向的内容：{_listed(found.linked_out)}；"
                          "请删去这些链接，或换成 docs/ 中的真实文件")
    if found.stray and not serving:
        raise PluginError(f"docs/ 中有不应发布的文件（编辑器备份、交换文件或隐藏文件）：{_listed(found.stray)}；"
                          "请删去或移出 docs/")
    if found.stray:
        log.info("预览跳过 docs/ 中的备份、交换或隐藏文件（正式构建会拒绝）：%s", _listed(found.stray))
    return found.stray


def stray_file(src_uri: str) -> bool:
    """Whether a file of docs/ (path relative to docs/) is, or lies in, a stray name."""
    return any(STRAY.search(part) for part in src_uri.split("/"))
