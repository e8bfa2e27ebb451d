"""The HTML blocks the macros write are kept out of Markdown: tables, charts, checklists, progress
lines, cards. Markdown copies a raw HTML block unchanged, but first parses it with html.parser
twice (Python-Markdown's block extractor, then MkDocs' anchor collector), and these blocks grow
with every year: at 50 years they were 1.06 MB of the pages' 1.64 MB of Markdown.

Every page macro's output goes through `Deferred` (macros/__init__.py, `macro`): each paragraph of
it that is nothing but block-level HTML elements, each closed (as Markdown would copy it whole),
becomes one empty placeholder element (the block put back has its elements one a line, as
Markdown writes them); headings, Markdown text and inline HTML (a
figure in a sentence) stay as they are, so the 目录 is unchanged. After Markdown the plugin puts the
blocks back (`restore`, on_page_content), so the page is what it was, and adds the blocks' ids to
the anchors MkDocs checks links against (`Page.present_anchor_ids`, which Markdown would have filled
from them: a page may link to a row of the 数据完整性 tables). A placeholder carries a nonce drawn
per build, so no text in a page can name a block. Only the project's own templates make the blocks,
and they write every attribute in double quotes with data escaped, so an `id="…"` in a block is an
id and a `>` inside a tag is never data.

Measured gain: with the big tables alone (数据一览, 数据完整性, the 计划/清单 tables), make serve at
50 years 16–17% (save-to-visible 2.06 s against 2.49 s), a strict 50-year build 12–25% (six
alternating pairs, 19:08). Taking every block of every macro instead of the tables named in
templates leaves 0.17 MB of HTML in the pages’ Markdown instead of 1.06 MB (nearly all of it the
placeholders) and takes the defer argument out of the templates and renderers; a strict 50-year
build against the tables-only version (22:30–22:43): 2–6% less CPU in three runs of 3–4 pairs
built at the same time, 4.5% in 5 alternating pairs (12.28 s against 12.86 s of CPU). The pages
are the same (tests/unit/test_deferred.py renders every page both ways; the 50-year site's HTML
was diffed). Switch for make bench: `deferred_blocks` (its 机制 row is measured at 50 years).
"""

from __future__ import annotations

import html
import re
import secrets

from markdown.util import BLOCK_LEVEL_ELEMENTS
from markupsafe import Markup

from macros.pages.templating import environment

ID = re.compile(r'\sid="([^"]*)"')
PARAGRAPHS = re.compile(r"(\n[ \t]*\n)")  # the blank lines between Markdown paragraphs, kept
START = re.compile(r"\s*(<([A-Za-z][\w:-]*)\b[^>]*?(/?)>)")  # white space, then a start tag
BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS) - {"script", "pre", "textarea"}  # not raw text
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
RAW_TEXT = re.compile(r"<(?:script|pre|textarea)\b|<!", re.IGNORECASE)  # comments, raw text: left (CSS has no tags)


def elements(paragraph: str) -> list[str] | None:
    """The paragraph's top-level elements, if it is only block-level elements, each closed, with
    nothing but white space between them; None otherwise (Markdown is left to read it). An element
    ends where the tags of its own name balance, as Markdown finds the end of a raw HTML block."""
    text = paragraph.strip()
    indented = paragraph.lstrip("\n").startswith(("    ", "\t"))  # Markdown: a code block
    if indented or not text.startswith("<") or RAW_TEXT.search(text):
        return None
    found, at = [], 0
    while at < len(text):
        start = START.match(text, at)
        name = start.group(2).lower() if start else None
        if name not in BLOCK_LEVEL:
            return None
        at = start.end()
        if not (start.group(3) or name in VOID):
            depth = 1
            for tag in re.compile(rf"<(/?){name}\b[^>]*?(/?)>", re.IGNORECASE).finditer(text, at):
                depth += -1 if tag.group(1) else 0 if tag.group(2) else 1
                if depth == 0:
                    at = tag.end()
                    break
            else:
                return None  # not closed in this paragraph
        found.append(text[start.start(1) : at])
    return found


class Deferred:
    """One build's blocks (the plugin makes a new one in on_config)."""

    def __init__(self):
        self.nonce = secrets.token_hex(8)
        self.blocks: list[str] = []
        self.template = environment().get_template("deferred.html")
        self.placeholder = re.compile(rf'<div data-deferred="{self.nonce}-(\d+)"></div>')

    def __call__(self, output: str) -> str:
        """A macro's output with each paragraph of HTML blocks replaced by a placeholder."""
        parts = PARAGRAPHS.split(str(output))
        for i in range(0, len(parts), 2):  # the odd parts are the blank lines between paragraphs
            if "<" in parts[i] and (found := elements(parts[i])):
                parts[i] = self._hold("\n".join(found))  # one element a line, as Markdown writes them
        joined = "".join(parts)
        return Markup(joined) if isinstance(output, Markup) else joined

    def _hold(self, block: str) -> str:
        self.blocks.append(block)
        return self.template.render(token=f"{self.nonce}-{len(self.blocks) - 1}")

    def restore(self, text: str, anchors: set[str] | None = None) -> str:
        """The page (HTML after Markdown, or Markdown) with its blocks in place of the placeholders;
        the ids in the blocks put back are added to `anchors`."""

        def put_back(match: re.Match) -> str:
            block = self.blocks[int(match.group(1))]
            if anchors is not None:
                anchors.update(html.unescape(found) for found in ID.findall(block))
            return block

        return self.placeholder.sub(put_back, text)


def keep(output: str) -> str:
    """Without the plugin (a macro called on its own), or with `deferred_blocks: false`: as it is."""
    return output
