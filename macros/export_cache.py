"""Reuse a year's Word file when its 全文 has not changed.

hooks/export.py writes every year's report as .docx after every build and every `make serve`
rebuild. python-docx needs about 0.1 s per file (BENCHMARKS.md: at 50 years, 5 s of the build
and the slowest stage), yet only the year being edited ever changes. The .docx is made only
from the 全文 HTML (title, text, 落款, date) and the export code, so we keep each file under a
hash of both in $XDG_CACHE_HOME/report-docx (default ~/.cache) and copy it when the same HTML
comes again. A change to the text, a figure, the 脱敏 switch, macros/export_docx.py,
macros/report_content.py or python-docx gives a new hash: nothing stale is ever reused.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from .build_cache import cache_dir, keep

HERE = Path(__file__).resolve().parent
CODE = (HERE / "export_docx.py", HERE / "report_content.py")
MAX_FILES = 500  # oldest dropped beyond this (each edit under make serve adds one)


def key(html: str) -> str:
    digest = hashlib.sha256(metadata.version("python-docx").encode())
    for path in CODE:
        digest.update(path.read_bytes())
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


def docx(html: str, target: Path, build: Callable[[Path], None]) -> bool:
    """Write `target`: a copy of the file made before from this HTML, else build(target) and keep
    a copy. True when reused."""
    cached = cache_dir("report-docx") / f"{key(html)}.docx"
    if cached.is_file():
        shutil.copyfile(cached, target)
        return True
    build(target)
    keep(cached, target.read_bytes(), MAX_FILES)
    return False
