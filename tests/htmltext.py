"""Read a built page as a reader sees it: block texts, with the figures marked."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}


@dataclass
class Block:
    tag: str
    text: str = ""
    masked: str = ""  # the text with each figure replaced by "*"
    figs: list = field(default_factory=list)  # (key, shown value) in order


class _Parser(HTMLParser):
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
    parser = _Parser(root_class, set(skip))
    parser.feed(html)
    for block in parser.blocks:
        block.text = block.text.strip()
        block.masked = block.masked.strip()
    return parser.blocks
