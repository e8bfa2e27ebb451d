"""What the data and page folders must agree on, read from the tree before any page is built:
every fig("…") call and {{ macro }} name in the pages, and that docs/ and data/ have the same years."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from macros.core.errors import DataError, hint, printable

YEAR_DIR = re.compile(r"^\d{4}$")
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Folders of docs/ and data/ that are not years
DOCS_SHARED = frozenset({"archive", "assets", "figures", "guide", "people", "records", "stylesheets"})
DATA_SHARED = frozenset({"people", "records"})
# fig("study.sessions") or fig('study.sessions', 2022) in a page
FIG_CALL = re.compile(r"""\bfig\(\s*["']([^"']+)["']""")


@dataclass
class Usage:
    """One place a page uses a figure."""

    page: str  # path relative to docs/
    line: int
    key: str


# {{ name(...) }} or {{ name }} or {{ name.attr }}: the first name of each expression
MACRO_NAME = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)")
# {{ draft_notice(2022) }}: a page made by make new-year whose prose is still last year's (macros/pages/draft.py)
DRAFT_CALL = re.compile(r"\{\{\s*draft_notice\(\s*(\d{4})?\s*\)\s*\}\}")


@dataclass
class Pages:
    """What the build needs from the Markdown pages' text (fragments such as _opening.md too), read in
    one pass: every fig("…") call, every {{ name … }} and every draft_notice line, with page and line.
    (One pass instead of three: at 50 years, 863 pages, 0.13 s -> 0.04-0.06 s of every build and preview
    rebuild.)"""

    usages: list[Usage]
    names: list[tuple[str, int, str]]  # (page, line, name)
    drafts: list[tuple[str, int, str | None]]  # (page, line, the year the prose is from)


def scan_pages(docs_dir: Path) -> Pages:
    pages = Pages([], [], [])
    for page in sorted(Path(docs_dir).rglob("*.md")):
        rel = page.relative_to(docs_dir).as_posix()
        for number, line in enumerate(page.read_text("utf-8").splitlines(), start=1):
            if "fig(" in line:  # the plain tests first: most lines call nothing
                pages.usages.extend(Usage(rel, number, m.group(1)) for m in FIG_CALL.finditer(line))
            if "{{" in line:
                pages.names.extend((rel, number, m.group(1)) for m in MACRO_NAME.finditer(line))
                draft = DRAFT_CALL.search(line)
                if draft:
                    pages.drafts.append((rel, number, draft.group(1)))
    return pages


def check_macro_names(docs_dir: Path, known, pages: Pages | None = None) -> list[DataError]:
    """Every {{ name … }} in the pages must be a defined macro or variable (typos fail early)."""
    known = set(known)
    pages = pages or scan_pages(docs_dir)
    return [DataError(f"docs/{rel}", number, name, f"页面调用了未定义的宏 {name}{hint(name, known)}")
            for rel, number, name in pages.names if name not in known]


def _folders(parent: Path) -> list[Path]:
    """The visible folders of `parent` (hidden ones such as .obsidian are editors' business)."""
    if not parent.is_dir():
        return []
    return sorted(p for p in parent.iterdir() if p.is_dir() and not p.name.startswith("."))


def check_year_folders(data_dir: Path, docs_dir: Path, errors: list) -> list[int]:
    """The years that have both data/<year>/ and docs/<year>/. Every folder of data/ and docs/ must
    be a year (four digits, FIRST_YEAR–LAST_YEAR) or one of the known shared folders, and each year
    must have both its folders; otherwise a DataError is appended to `errors`."""
    found: dict[str, set[int]] = {}
    for label, parent, shared in (("data", data_dir, DATA_SHARED), ("docs", docs_dir, DOCS_SHARED)):
        found[label] = set()
        for folder in _folders(parent):
            name = printable(folder.name)
            where = f"{label}/{name}"
            if YEAR_DIR.fullmatch(folder.name):
                if FIRST_YEAR <= int(folder.name) <= LAST_YEAR:
                    found[label].add(int(folder.name))
                else:
                    message = f"年度目录 {where}/ 的年份不在 {FIRST_YEAR}–{LAST_YEAR} 年之间"
                    errors.append(DataError(where, 1, None, message))
            elif folder.name not in shared:
                known = f"（{'、'.join(sorted(shared))}）" if shared else ""
                errors.append(
                    DataError(
                        where,
                        1,
                        None,
                        f"目录 {where}/ 既不是年度目录（四位数字年份，如 {label}/2023/），也不是本站的共用目录{known}；"
                        "请改名或移走",
                    )
                )
    for year in sorted(found["docs"] - found["data"]):
        errors.append(
            DataError(
                f"docs/{year}",
                1,
                None,
                f"有 {year} 年度的页面目录 docs/{year}/，却没有数据目录 data/{year}/；"
                "请补上该年度的数据（make new-year 会同时生成二者），或删去该页面目录",
            )
        )
    for year in sorted(found["data"] - found["docs"]):
        errors.append(
            DataError(
                f"data/{year}",
                1,
                None,
                f"有 {year} 年度的数据目录 data/{year}/，却没有页面目录 docs/{year}/；"
                "请补上该年度的页面（make new-year 会同时生成二者），或删去该数据目录",
            )
        )
    return sorted(found["data"] & found["docs"])


def unreadable(root: Path, folders: list[Path]) -> list[DataError]:
    """Every folder under `folders` that cannot be listed and every file that cannot be read, by the
    user running the build. Listing a folder skips what it cannot open without a word (os.walk,
    Path.glob), so a folder of records or pages without read permission would silently count as
    empty: each one is a DataError instead."""
    found: list[DataError] = []

    def unlisted(exc: OSError) -> None:
        found.append(_unreadable(root, exc.filename, "这个文件夹"))

    for top in folders:
        if not top.exists():
            continue
        if not os.access(top, os.R_OK | os.X_OK):
            found.append(_unreadable(root, top, "这个文件夹"))
            continue
        for folder, subfolders, files in os.walk(top, onerror=unlisted):
            for name in list(subfolders):
                path = os.path.join(folder, name)
                if not os.access(path, os.R_OK | os.X_OK):
                    found.append(_unreadable(root, path, "这个文件夹及其中的文件"))
                    subfolders.remove(name)
            found += [_unreadable(root, os.path.join(folder, name), "这个文件") for name in files
                      if not os.access(os.path.join(folder, name), os.R_OK)
                      and not os.path.islink(os.path.join(folder, name))]
    return found


def _unreadable(root: Path, path, what: str) -> DataError:
    path, root = Path(path), Path(root)
    try:
        info = os.stat(path)
        who = f"（属主 uid {info.st_uid}，权限 {info.st_mode & 0o777:o}）"
    except OSError:
        who = ""
    shown = printable(path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path))
    return DataError(shown, 1, None, f"没有读取权限{who}：运行构建的用户须能读取{what}；请检查权限")


# Files an editor or a file manager leaves beside the pages, never meant to be published: backups
# (index.md~, index.md.bak, index.md.orig), swap and lock files (.index.md.swp, #index.md#, .#index.md),
# anything hidden (.DS_Store, .obsidian/), Windows' Thumbs.db and desktop.ini.
STRAY = re.compile(r"(^\.|~$|^#.*#$|\.(swp|swo|swx|bak|orig|rej|tmp)$|^(Thumbs\.db|desktop\.ini)$)", re.I)


@dataclass
class DocsProblems:
    linked_out: list[str]  # "docs/passwd → /etc/passwd": links leading out of the repository (or to nothing)
    stray: list[str]  # "docs/index.md~"


def repository(project: Path) -> Path:
    """The repository a project lives in: the nearest folder up from it holding .git (a folder, or a
    file in a git worktree); the project folder itself when there is none."""
    project = Path(os.path.realpath(project))
    for folder in (project, *project.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return project


def docs_problems(root: Path, docs_dir: Path) -> DocsProblems:
    """What in docs/ must not be published: symbolic links leading out of the repository, into its
    .git/ or the project's data/ (MkDocs would copy or render what they point to: /etc/passwd, a
    folder elsewhere, the 台账 with its names), or to nothing; and stray files."""
    root, docs_dir = Path(root), Path(docs_dir)
    repo = repository(root)
    forbidden = [Path(os.path.realpath(repo / ".git")), Path(os.path.realpath(root / "data"))]
    found = DocsProblems([], [])

    def shown(path: str) -> str:
        return printable("docs/" + Path(path).relative_to(docs_dir).as_posix())

    for folder, subfolders, files in os.walk(docs_dir):
        for name in sorted([*subfolders, *files]):
            path = os.path.join(folder, name)
            if STRAY.search(name):
                found.stray.append(shown(path) + ("/" if name in subfolders else ""))
                continue
            if os.path.islink(path):
                target = Path(os.path.realpath(path))
                if not os.path.exists(path):
                    found.linked_out.append(f"{shown(path)} → {printable(os.readlink(path))}（不存在）")
                elif not target.is_relative_to(repo) or any(target.is_relative_to(f) for f in forbidden):
                    found.linked_out.append(f"{shown(path)} → {printable(str(target))}")
        subfolders[:] = [d for d in subfolders if not STRAY.search(d)]
    return found
