"""Atomic replacement of one branch's site, `OUT/<slug>/`, and of the 汇总's files, as
deploy/publish.py does for a single site (both swap with macros/core/atomic.swap):

- OUT must be absent, empty, or a folder an earlier committee build made (it holds MARKER). Anything
  else is refused with one Chinese line, and nothing is touched.
- A branch is built into a new temporary folder next to its place (same file system); only when
  the build succeeded is it exchanged with the old one in one renameat2(RENAME_EXCHANGE), so a
  reader sees the whole old site or the whole new one. A failed build leaves the old site as it was.
- Only folders this module made are ever removed: the temporary ones (`.<slug>.new-*`, which hold
  the marker) and the old site just swapped out.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from macros.core import atomic

MARKER = ".party-committee"
MARKER_TEXT = "本目录由 macros/committee/build.py（make committee）生成，其中各党支部的目录会被整个替换。\n"
STATE = ".committee"  # OUT/.committee/<slug>.json: each branch's last build (a dotfile: nginx does not serve it)


def refusal(out: Path, protected: list[Path]) -> str | None:
    """Why the committee build must not write into `out` (one Chinese line), or None."""
    if out.is_symlink():
        return f"输出目录 {out} 是符号链接：请直接给出实际目录。"
    target = out.resolve()
    for repo in protected:
        if target == repo or repo.is_relative_to(target):
            return f"输出目录 {out} 就是或包含源目录 {repo}：构建会替换其中的文件，请改用单独的目录。"
    if not out.exists():
        return None
    if not out.is_dir():
        return f"输出目录 {out} 是一个文件而不是目录。"
    if (out / MARKER).is_file() or not any(out.iterdir()):
        return None
    return f"输出目录 {out} 不是空目录，也不是以前 make committee 生成的（其中没有 {MARKER}）：为免误删，拒绝写入。"


def prepare(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(MARKER_TEXT, "utf-8")
    (out / STATE).mkdir(exist_ok=True)


def new_folder(out: Path, slug: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f".{slug}.new-", dir=out))
    (folder / MARKER).write_text(MARKER_TEXT, "utf-8")
    return folder


def leftovers(out: Path, slug: str) -> list[Path]:
    """Temporary folders an interrupted build left for `slug` (marked, or empty)."""
    pattern = re.compile(rf"\.{re.escape(slug)}\.new-[a-z0-9_]{{8}}")
    return sorted(p for p in out.iterdir() if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink()
                  and ((p / MARKER).is_file() or not any(p.iterdir())))


def swap_in(new: Path, dest: Path) -> None:
    """Put the built folder `new` in place of `dest`; the old site is deleted after the swap."""
    (new / MARKER).write_text(MARKER_TEXT, "utf-8")
    _, old = atomic.swap(new, dest, "new")  # moved aside as `.<slug>.new-*`: leftovers() removes it
    if old is not None:
        shutil.rmtree(old)


def write_atomic(path: Path, data: bytes) -> None:
    """A file of the published site, written whole and readable by the web server."""
    atomic.write_atomic(path, data, 0o644)
