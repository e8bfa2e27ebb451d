"""Pages scaffolded by `make new-year` whose prose is still last year's.

`make new-year` copies last year's pages (structure and macro calls) and puts a
`{{ draft_notice(2022) }}` line on every page with prose. The page shows a 待改写 box,
`make serve` warns with file and line, and a strict build refuses to publish until the
editors have rewritten the text and deleted the line.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import DataError

CALL = re.compile(r"\{\{\s*draft_notice\(\s*(\d{4})?\s*\)\s*\}\}")


def scan(docs_dir: Path) -> list[DataError]:
    """One entry per draft_notice line in docs/ (including fragments such as _opening.md)."""
    found = []
    for page in sorted(Path(docs_dir).rglob("*.md")):
        rel = page.relative_to(docs_dir).as_posix()
        for number, line in enumerate(page.read_text("utf-8").splitlines(), start=1):
            match = CALL.search(line)
            if match:
                prev = f"{match.group(1)} 年度" if match.group(1) else "上一年度"
                found.append(
                    DataError(
                        f"docs/{rel}",
                        number,
                        None,
                        f"正文仍是 {prev}的文字（由 make new-year 复制），待改写；改写完成后删除这一行",
                    )
                )
    return found
