"""Compare the text of two built sites page by page (proof that a refactor changed no text).

    python tools/same_text.py OLD_SITE NEW_SITE

For every HTML page: the text of <title> and of the main content (`article`), whitespace folded;
for every .txt download: its text. Prints each page that differs (first differing line) and a summary
line; exits 1 if any page differs or exists on one side only.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import lxml.html

SPACE = re.compile(r"\s+")


def page_text(path: Path) -> list[str]:
    root = lxml.html.fromstring(path.read_bytes())
    parts = [" ".join(root.xpath("//title/text()"))]
    for article in root.xpath("//article"):
        for block in article.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre", "figcaption"):
            text = SPACE.sub(" ", block.text_content()).strip()
            if text:
                parts.append(text)
    return parts


def texts(site: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            found[rel] = page_text(path)
        elif path.suffix == ".txt" and not rel.startswith("search/"):
            found[rel] = path.read_text("utf-8").splitlines()
    return found


def main(old: str, new: str) -> int:
    a, b = texts(Path(old)), texts(Path(new))
    differing = 0
    for rel in sorted(set(a) | set(b)):
        if rel not in a or rel not in b:
            print(f"{rel}: only in {'old' if rel in a else 'new'}")
            differing += 1
        elif a[rel] != b[rel]:
            differing += 1
            diff = [d for d in difflib.unified_diff(a[rel], b[rel], lineterm="", n=0) if d[:1] in "+-"][2:6]
            print(f"{rel}: differs\n  " + "\n  ".join(diff))
    print(f"{len(set(a) | set(b))} files compared, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
