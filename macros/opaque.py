"""Generated HTML that Python-Markdown does not have to read.

Macros put finished HTML elements into the page's Markdown: tables, the SVG charts, card grids,
the error examples. Markdown copies such a block to the output unchanged, but first its HTML-block
preprocessor parses every tag in it, and MkDocs parses the page once more to collect anchor ids:
about a tenth of a build of the real site, for nothing (BENCHMARKS.md, 发现与修复).

`element(open, inner, close)` returns the element with its own outer tags around a token instead
of its content, so Markdown sees the same blocks as before and lays them out exactly as before
(the same line breaks between blocks). `hooks/opaque_html.py` puts the content back in place of
the token in `on_page_content`, before anything reads the page's HTML (hooks/fig_anchors.py, the
search index, the Word/text export), and adds the ids inside to the page's anchors, so links to
them are checked as before. Links inside generated HTML were never checked by MkDocs (raw HTML is
not part of the Markdown tree); the macros check their own links (loop_render.LoopRenderer.link).

Off until a build turns it on (`enable()` in define_env): called directly, e.g. by tests, the
functions return the whole element.
"""

from __future__ import annotations

import html as htmllib
import itertools
import re
import secrets
from html.parser import attrfind_tolerant, tagfind_tolerant

from markupsafe import Markup

PREFIX = f"x-opaque-{secrets.token_hex(6)}-"  # per process: no page text can contain it by chance
TOKEN = re.compile(re.escape(PREFIX) + r"\d+")
# A start tag that may carry an id: html.parser reads an attribute name after a quote, white space or /
ID_TAG = re.compile(r"""<[a-zA-Z][^>]*?[\s"'/](?:id|name)(?=[\s/=>])[^>]*>""", re.IGNORECASE)

_stash: dict[str, str] = {}
_counter = itertools.count()
_enabled = False


def enable() -> None:
    """A build starts: elements are stashed from now on (and the last build's are dropped)."""
    global _enabled
    _enabled = True
    _stash.clear()


def disable() -> None:
    global _enabled
    _enabled = False
    _stash.clear()


def element(open_tag: str, inner, close_tag: str) -> Markup:
    """`open_tag + inner + close_tag` as Markup; in a build, the inner HTML is stashed behind a token.

    open_tag and close_tag are one element's own tags (the element must be the whole of it)."""
    if not _enabled:
        return Markup(open_tag) + Markup(inner) + Markup(close_tag)
    token = f"{PREFIX}{next(_counter)}"
    _stash[token] = str(inner)
    return Markup(f"{open_tag}{token}{close_tag}")


def restore(text: str) -> tuple[str, set[str]]:
    """The page's HTML with every token replaced by its content; and the anchor ids in that content."""
    if PREFIX not in text:
        return text, set()
    ids: set[str] = set()

    def put(match: re.Match) -> str:
        inner = _stash.get(match.group(0))
        if inner is None:
            return match.group(0)  # not ours to fill (left_over() reports it)
        inner = TOKEN.sub(put_nested, inner)
        ids.update(anchor_ids(inner))
        return inner

    def put_nested(match: re.Match) -> str:
        inner = _stash.get(match.group(0), match.group(0))
        return TOKEN.sub(put_nested, inner)

    return TOKEN.sub(put, text), ids


def left_over(text: str) -> str | None:
    """A token still in a written page (a macro's element outside any page content), or None."""
    match = TOKEN.search(text) if PREFIX in text else None
    return match.group(0) if match else None


def anchor_ids(text: str) -> set[str]:
    """The ids MkDocs collects from raw HTML (mkdocs.structure.pages._HTMLHandler): every `id`,
    and `name` on <a>, read from the start tags with html.parser's own tag and attribute patterns."""
    found = set()
    for tag in ID_TAG.finditer(text):
        source = tag.group(0)
        name_match = tagfind_tolerant.match(source, 1)
        name = name_match.group(1).lower()
        for attr in attrfind_tolerant.finditer(source, name_match.end()):
            key, _, value = attr.group(1, 2, 3)
            if not key:
                continue
            key = key.lower()
            if key == "id" or (key == "name" and name == "a"):
                if value and value[:1] == value[-1:] and value[:1] in "'\"" and len(value) > 1:
                    value = value[1:-1]
                found.add(htmllib.unescape(value) if value else value)
    return found
