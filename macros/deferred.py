"""Big HTML blocks kept out of Markdown: 数据一览's table and charts, 数据完整性's tables, and the
tables and checklists of the 计划 and 清单 pages (loop.html `table`, the 党建工作清单 items, each
problem of the 问题整改清单); their headings stay Markdown, so the 目录 is unchanged.

Python-Markdown copies a raw HTML block unchanged, but first parses it with html.parser (its block
extractor, then MkDocs' anchor collector). These blocks grow with every year: at 50 years the
数据完整性 tables are 0.8 MB and the 数据一览 table and charts 0.35 MB, and parsing them was most of
the Markdown time of a preview refresh. A macro hands such a block to `Deferred`, which puts an
empty placeholder element in the page's Markdown instead; after Markdown the plugin puts the blocks
back (`restore`, on_page_content), so the page is what it was, and adds the blocks' ids to the
anchors MkDocs checks links against (`Page.present_anchor_ids`, which Markdown would have filled
from them: a page may link to a row of the 数据完整性 tables). A placeholder carries a nonce drawn
per build, so no text in a page can name a block. Only the project's own templates make the blocks,
and they write every attribute in double quotes with data escaped, so an `id="…"` in a block is an id.
Measured gain (50 年, 保存最新年度 figures.yaml, `make serve` with and without it side by side, 8
alternating saves each, two runs): save-to-visible 2.06 s against 2.49 s and 2.32 s against 2.76 s,
16–17% (in process, the rebuild alone: 1.13 s against 1.70 s, 34%); a full build's pages are the
same byte for byte (10-year strict build diffed). With the 计划/清单 tables too, a strict 50-year
build: 11.6–15.0 s (median 13.2) against 13.1–17.6 s (median 15.0–16), 12–25% in six alternating
pairs (19:08–19:11, load 1.0–1.3), all 864 pages, the search index and the .txt byte for byte the
same. Switch for make bench: `deferred_blocks` (its 机制 row is measured at 50 years).
"""

from __future__ import annotations

import html
import re
import secrets

from markupsafe import Markup

from .templating import render

ID = re.compile(r'\sid="([^"]*)"')


class Deferred:
    """One build's blocks (the plugin makes a new one in on_config)."""

    def __init__(self):
        self.nonce = secrets.token_hex(8)
        self.blocks: list[Markup] = []
        self.placeholder = re.compile(rf'<div data-deferred="{self.nonce}-(\d+)"></div>')

    def __call__(self, block: Markup) -> Markup:
        """The placeholder that stands for `block` in the page's Markdown."""
        self.blocks.append(block)
        return render("deferred.html", token=f"{self.nonce}-{len(self.blocks) - 1}")

    def restore(self, text: str, anchors: set[str] | None = None) -> str:
        """The page (HTML after Markdown, or Markdown) with its blocks in place of the placeholders;
        the ids in the blocks put back are added to `anchors`."""

        def put_back(match: re.Match) -> str:
            block = self.blocks[int(match.group(1))]
            if anchors is not None:
                anchors.update(html.unescape(found) for found in ID.findall(block))
            return block

        return self.placeholder.sub(put_back, text)


def keep(html: Markup) -> Markup:
    """Without the plugin (a macro called on its own): the block itself."""
    return html
