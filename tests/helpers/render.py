"""Rendering in process, and a page as a reader sees it: blocks, cells, rows, internal ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import lxml.html

# ---- rendering in process --------------------------------------------------------------------


def here(page: str | None, **flags):
    """Where a macro is called: a page (relative to docs/) and a build context with these flags."""
    from macros.pages.context import BuildContext, Here

    return Here(page, BuildContext(**flags))


def markdown_html(text: str) -> str:
    """A page's Markdown (a macro's output in it) as the build turns it into HTML."""
    import markdown
    from pymdownx.slugs import slugify

    return markdown.markdown(
        str(text),
        extensions=["admonition", "attr_list", "tables", "toc", "pymdownx.details"],
        extension_configs={"toc": {"slugify": slugify(case="lower")}},  # as mkdocs.yml: Unicode ids
    )


def plain(html) -> str:
    """HTML with the numeric references that make data inert for Markdown (&#42; for *, &#35; for #,
    macros/pages/templating.py) read back as characters; <, >, &, quotes stay escaped."""
    return re.sub(r"&#(\d+);", lambda m: m[0] if chr(int(m[1])) in "<>&\"'" else chr(int(m[1])), str(html))


def shown(text: str) -> list[str]:
    """The block texts a reader sees of a macro's output (after Markdown)."""
    return [b.text for b in blocks(markdown_html(text), root_class=None)]


def read(site: Path, page: str) -> str:
    """A built page by its directory URL ('' for the home page)."""
    return (site / page / "index.html").read_text("utf-8")


# ---- a page as a reader sees it ----------------------------------------------------------------

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}


@dataclass
class Block:
    tag: str
    text: str = ""
    masked: str = ""  # the text with each figure replaced by "*"
    figs: list = field(default_factory=list)  # (key, shown value) in order


class _BlockParser(HTMLParser):
    def __init__(self, root_class: str | None, skip_classes: set[str]):
        super().__init__(convert_charrefs=True)
        self.root_class, self.skip_classes = root_class, skip_classes
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, is_root, is_skip)
        self.in_root = 0 if root_class else 1
        self.skipping = 0
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.fig_depth = 0
        self.fig: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        is_root = bool(self.root_class and self.root_class in classes)
        is_skip = bool(classes & self.skip_classes)
        self.stack.append((tag, is_root, is_skip))
        self.in_root += is_root
        self.skipping += is_skip
        if not self.in_root or self.skipping:
            return
        if tag in BLOCKS and self.current is None:
            self.current = Block(tag)
        if "data-fig" in attrs and self.current is not None:
            self.fig = [attrs["data-fig"], ""]
            self.current.masked += "*"
            self.fig_depth = len(self.stack)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, is_root, is_skip = self.stack.pop()
            if self.fig is not None and len(self.stack) < self.fig_depth:
                self.current.figs.append(tuple(self.fig))
                self.fig = None
            if self.current is not None and open_tag == self.current.tag and open_tag in BLOCKS:
                if not self.skipping and self.in_root:
                    self.blocks.append(self.current)
                self.current = None
            self.in_root -= is_root
            self.skipping -= is_skip
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.current is None or self.skipping or not self.in_root:
            return
        self.current.text += data
        if self.fig is not None:
            self.fig[1] += data
        else:
            self.current.masked += data


def blocks(html: str, root_class: str | None = "md-content__inner", skip=("admonition",)) -> list[Block]:
    """The block texts (p, h1–h6, li, td, th) inside the element of class `root_class`."""
    parser = _BlockParser(root_class, set(skip))
    parser.feed(str(html))
    for block in parser.blocks:
        block.text = block.text.strip()
        block.masked = block.masked.strip()
    return parser.blocks


def cells(html: str) -> list[list[str]]:
    """The rows of every table, as lists of cell texts."""
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", str(html), re.S):
        rows.append([b.text for b in blocks(f"<table><tr>{row}</tr></table>", root_class=None)])
    return rows


def row_of(html: str, first: str) -> list[str]:
    """The one table row whose first cell reads `first`."""
    found = [r for r in cells(html) if r and r[0] == first]
    assert len(found) == 1, (first, found)
    return found[0]


# ---- what a reader must never see: internal ids and data paths ------------------------------------

INTERNAL = re.compile(
    r"(?<![A-Za-z0-9])(?:[mt]\d+(?:\.\d+)+|[cpr]\d{1,3}|g\d)(?![A-Za-z0-9.])"  # ids of plan, checklist, reminders
    r"|[\w/.-]*\.ya?ml\b"  # a YAML file
    r"|\bdata/(?:\d{4}|<)"  # a data path
    r"|\bmake [a-z][a-z-]+"  # an editor's command (make new-year, make serve)
    r"|\bdraft_notice\b"  # a page macro
)


def reader_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    for node in tree.xpath("//script|//style|//nav|//header|//footer"):
        node.drop_tree()
    articles = tree.xpath("//article") or [tree]
    titles = " ".join(a.get("title", "") for a in articles[0].iter() if isinstance(a.tag, str))
    return " ".join(articles[0].itertext()) + " " + titles


