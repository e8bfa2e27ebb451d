"""The report as the 全文 page shows it: title, body blocks, 落款 — read from the built HTML.

The .docx and .txt downloads are made from this, so they can't drift from the site: they
are the same rendered text (figures included, or their masks in the 脱敏 build). Editor's
notes (`.admonition`) are not part of the report and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html

BODY = "report-body"
# The 全文 page (docs/<year>/full.md) marks its body with two HTML comments; the plugin turns them
# into <div class="report-body"> after Markdown. (A `<div markdown>` would need md_in_html, which
# slows the Markdown of every page by about a fifth: 50 年 pages, 5.0 s → 4.1 s in one process.)
BODY_START, BODY_END = "<!-- 正文开始 -->", "<!-- 正文结束 -->"
SIGNATURE = "report-signature"
ADDRESSEE = "report-addressee"  # the 全文 page's 主送机关 line, under the title (macros/pages/templates/addressee.html)
MARK = "report-mark"  # the 全文 page's line saying what is sample or editor-supplied
SAMPLE_MARK = "示例数据，不是正式文件"
SKIP = {"admonition"}  # editor's notes inside the body
MISSING = "fig--missing"  # a 待填 figure (only in a non-strict preview build)
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li"}
# A line break inside a paragraph of Chinese text joins without a space.
SOFT_BREAK = re.compile(r"\s*\n\s*")


@dataclass
class Run:
    text: str
    bold: bool = False
    missing: bool = False  # a 待填 placeholder


@dataclass
class Block:
    kind: str  # "p" or "heading"
    level: int = 0  # heading level in the document: 1 for 一、, 2 for （一）, ...
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def mark_line(sample: bool, supplied: list[str]) -> str:
    """The first line of the downloads while the data is sample or parts are editor-supplied.

    示例数据，不是正式文件 / 示例数据，不是正式文件；标题、落款日期为编者补充 / 标题为编者补充 / "".
    """
    parts = [SAMPLE_MARK] if sample else []
    if supplied:
        parts.append(f"{'、'.join(supplied)}为编者补充")
    return "；".join(parts)


@dataclass
class Report:
    title: str
    blocks: list[Block]
    signature: list[str]
    mark: str = ""  # 示例数据，不是正式文件 …: the first line of the .txt, the header of the .docx
    addressee: str = ""  # 主送机关 with its colon (馆党委：), under the title; "" when the data has none

    @property
    def placeholders(self) -> int:
        return sum(run.missing for block in self.blocks for run in block.runs)

    def lines(self) -> list[str]:
        """The report itself: title, one paragraph a line, 落款 (what an issued report's hash covers)."""
        return [self.title, *(block.text for block in self.blocks), *self.signature]

    def text(self) -> str:
        """The .txt: the mark (【…】, while there is one), title, 主送机关, one paragraph a line, 落款; UTF-8,
        final newline."""
        head = [f"【{self.mark}】"] if self.mark else []
        return "\n".join([*head, self.title, *([self.addressee] if self.addressee else []), *self.lines()[1:]]) + "\n"


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _runs(element, bold=False, missing=False) -> list[Run]:
    """The text of an element as runs, keeping bold (strong/b) and 待填 marks."""
    runs = []
    if element.text:
        runs.append(Run(element.text, bold, missing))
    for child in element:
        if isinstance(child.tag, str):
            if child.tag == "br":
                runs.append(Run("\n", bold, missing))
            else:
                runs.extend(
                    _runs(child, bold or child.tag in {"strong", "b"}, missing or MISSING in _classes(child))
                )
        if child.tail:
            runs.append(Run(child.tail, bold, missing))
    return runs


def _clean(runs: list[Run]) -> list[Run]:
    """Join soft line breaks, drop empty runs, merge neighbours of the same style."""
    merged: list[Run] = []
    for run in runs:
        text = SOFT_BREAK.sub("", run.text)
        if not text:
            continue
        if merged and (merged[-1].bold, merged[-1].missing) == (run.bold, run.missing):
            merged[-1].text += text
        else:
            merged.append(Run(text, run.bold, run.missing))
    if merged:
        merged[0].text = merged[0].text.lstrip()
        merged[-1].text = merged[-1].text.rstrip()
    return [run for run in merged if run.text]


def _blocks(body, top_heading: int) -> list[Block]:
    found = []
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag not in BLOCK_TAGS:
            continue
        if any(_classes(a) & SKIP for a in [element, *element.iterancestors()]):
            continue
        if any(a.tag in BLOCK_TAGS for a in element.iterancestors()):
            continue  # a paragraph inside a list item belongs to the item
        runs = _clean(_runs(element))
        if not runs:
            continue
        if element.tag[0] == "h":
            found.append(Block("heading", int(element.tag[1]) - top_heading + 1, runs))
        else:
            found.append(Block("p", 0, runs))
    return found


def wrap_body(html: str) -> str:
    """The 全文 page's HTML with its marked body in a `div.report-body` (print layout, exports)."""
    if html.count(BODY_START) != 1 or html.count(BODY_END) != 1 or html.index(BODY_START) > html.index(BODY_END):
        raise ValueError(f"全文页面应有一段正文：以 {BODY_START} 开始、{BODY_END} 结束，各一次")
    return html.replace(BODY_START, f'<div class="{BODY}">').replace(BODY_END, "</div>")


def parse(html: str) -> Report:
    """The report in a built 全文 page (docs/<year>/full.md)."""
    tree = lxml.html.fromstring(html)
    bodies = tree.xpath(f"//div[{_has_class(BODY)}]")
    if len(bodies) != 1:
        raise ValueError(f"全文页面应有一个 .{BODY}，实际 {len(bodies)} 个")
    body = bodies[0]
    titles = tree.xpath("//article//h1")
    title = SOFT_BREAK.sub("", titles[0].text_content()).strip() if titles else ""
    heading_levels = [int(h.tag[1]) for h in body.iter() if isinstance(h.tag, str) and re.fullmatch(r"h[1-6]", h.tag)]
    blocks = _blocks(body, min(heading_levels, default=2))
    signature = [
        p.text_content().strip()
        for p in tree.xpath(f"//div[{_has_class(SIGNATURE)}]//p")
        if p.text_content().strip()
    ]
    marks = [SOFT_BREAK.sub("", m.text_content()).strip() for m in tree.xpath(f"//*[{_has_class(MARK)}]")]
    addressee = [SOFT_BREAK.sub("", a.text_content()).strip() for a in tree.xpath(f"//*[{_has_class(ADDRESSEE)}]")]
    return Report(title, blocks, signature, marks[0] if marks else "", addressee[0] if addressee else "")
