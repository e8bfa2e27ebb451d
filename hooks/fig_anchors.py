"""MkDocs hook: give each figure in a page an anchor, so the 数据完整性 page can link to the
sentence that uses it: the nth use of study.sessions on a page gets id `fig-study.sessions`
(first) or `fig-study.sessions-<n>`. An empty span before the figure carries the id, so the
figure's own markup is unchanged."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.guide import anchor  # noqa: E402

FIG = re.compile(r'<span class="fig(?: [^"]*)?" data-fig="([^"]+)"')


def add_anchors(html: str) -> str:
    seen: dict[str, int] = {}

    def mark(match: re.Match) -> str:
        key = match.group(1)
        nth = seen.get(key, 0)
        seen[key] = nth + 1
        return f'<span class="fig-anchor" id="{anchor(key, nth)}"></span>{match.group(0)}'

    return FIG.sub(mark, html)


def on_page_content(html, page, config, files):
    return add_anchors(html)
