"""Atomic publishing: `make publish DEST=/srv/party-site/www/site` (and `make build`, DEST=site).

0. Refuse a DEST this script did not make. DEST must be absent, an empty folder, or a folder an
   earlier publish made (it holds the marker file MARKER); never the repository, a folder that
   contains it, or a folder holding `.git`, `docs/` or `data/`. A refusal is one Chinese line and
   exit code 2, and nothing is touched: publishing replaces DEST as a whole, so a wrong DEST would
   otherwise be deleted (issue 12: `DEST=.` deleted the repository).
1. Under a lock file next to DEST (a cron job and a webhook at the same time queue), remove what an
   interrupted publish left next to DEST: folders named `.<name>.new-*` / `.<name>.old-*` that hold
   the marker (or are empty). Nothing else is ever removed.
2. Build the site strictly into a new temporary folder next to DEST (same file system), marked
   before the build starts. If the build fails (bad data, a broken link, any warning), delete it:
   DEST is not touched, byte for byte.
3. Otherwise swap the new folder into place with one rename: on Linux renameat2(RENAME_EXCHANGE)
   exchanges the two folders atomically, so a reader sees either the whole old site or the whole new
   one, never a mix and never nothing. Where that call is missing, two renames (DEST aside, new in)
   leave a gap of microseconds. Then the old site is deleted.

A read-only or full file system ends with one Chinese line (no traceback); DEST stays as it was.
Run from the repository root: `python -m deploy.publish DEST` (the Makefile does).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from macros.commands.cli import Parser, tilde_problem
from macros.core.atomic import swap
from macros.core.errors import os_reason, printable

REPO = Path(__file__).resolve().parent.parent
# Written into every folder publish makes; its presence is what lets a later publish replace or
# remove that folder. A dotfile: nginx does not serve it (deploy/nginx.conf denies dotfiles).
MARKER = ".party-site-publish"
MARKER_TEXT = "本目录由 deploy/publish.py 生成（make publish / make build），下次发布时会被整个替换。\n"
SOURCE_PARTS = (".git", "docs", "data")  # a folder holding one of these is a checkout, never a site
# The repository's own folders: an output inside one of them would be published into the sources
# (DEST=docs/site) or read by the next build. Other folders of the repository (site/) are fine.
SOURCE_FOLDERS = (".git", ".ci", ".venv", "benchmarks", "data", "deploy", "docs", "macros",
                  "requirements", "schemas", "tests", "tools")
EXIT_REFUSED, EXIT_FAILED = 2, 1
# The end of the refusal of a DEST typed as ~ or ~/site (make passes it quoted, unexpanded: it would be
# a folder named ~ in the repository); deploy/copies.py's too.
TILDE = "（否则会在项目目录中建一个名为 ~ 的文件夹）；请写完整路径，如 /srv/party-site/www/site。"

# Of the OSErrors os_reason names, the ones that can only mean the output could not be written (a
# permission error inside the build may be a page reading a file, which the build reports itself).
WRITE_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}

Build = Callable[[Path, Path], int]  # (mkdocs.yml, output folder) -> exit code


class Refused(Exception):
    """DEST is not a folder publish may replace: the message is one Chinese line."""


def shown(path: Path | str) -> str:
    """A path for a message: control characters escaped (a folder name can hold a terminal escape)."""
    return printable(str(path))


def refusal(dest: Path, protected: list[Path]) -> str | None:
    """Why publish must not replace `dest` (one Chinese line), or None when it may.
    `protected` are the repository folders (the project of mkdocs.yml and this script's)."""
    target = dest.resolve()
    if dest.is_symlink():
        return f"发布目录 {shown(dest)} 是符号链接（指向 {shown(target)}）：请直接给出实际目录。"
    instead = "发布会整个替换它。请改用单独的目录，如 /srv/party-site/www/site。"
    for repo in protected:
        if target == repo:
            return f"发布目录 {shown(dest)} 就是代码仓库本身：{instead}"
        if repo.is_relative_to(target):
            return f"发布目录 {shown(dest)} 包含代码仓库 {shown(repo)}：{instead}"
    inside = source_folder(target, protected)
    if inside:
        return (f"发布目录 {shown(dest)} 在代码仓库的源文件夹 {inside} 之内：构建结果不能放进源文件。"
                "请改用单独的目录，如 /srv/party-site/www/site。")
    if not dest.exists():
        return None
    if not dest.is_dir():
        return f"发布目录 {shown(dest)} 是一个文件而不是目录：为免误删，拒绝发布。"
    held = [part for part in SOURCE_PARTS if (dest / part).exists()]
    if held:
        return f"发布目录 {shown(dest)} 里有 {'、'.join(held)}，像是代码仓库而不是网站：为免误删，拒绝发布。"
    if (dest / MARKER).is_file() or not any(dest.iterdir()):
        return None
    return (f"发布目录 {shown(dest)} 不是空目录，也不是以前发布生成的（其中没有 {MARKER}）：为免误删，拒绝发布。"
            "若它确是旧版发布的网站，请先手动删除（make build 的 site/ 可用 make clean）后再发布。")


def source_folder(target: Path, protected: list[Path]) -> str | None:
    """The repository source folder (docs/, data/, macros/ …) `target` lies in, if any."""
    for repo in protected:
        if target != repo and target.is_relative_to(repo):
            first = target.relative_to(repo).parts[0]
            if first in SOURCE_FOLDERS:
                return f"{first}/"
    return None


def leftover_pattern(dest: Path) -> re.Pattern:
    """Names of the temporary folders publish makes next to `dest` (tempfile.mkdtemp's suffix)."""
    return re.compile(rf"\.{re.escape(dest.name)}\.(new|old)-[a-z0-9_]{{8}}")


def leftovers(dest: Path) -> list[Path]:
    """What an interrupted publish left next to `dest`: temporary folders with publish's name that
    hold its marker, or are empty (killed between creating and marking). Nothing else matches."""
    pattern = leftover_pattern(dest)
    found = []
    for path in dest.parent.iterdir():
        if pattern.fullmatch(path.name) and path.is_dir() and not path.is_symlink():
            if (path / MARKER).is_file() or not any(path.iterdir()):
                found.append(path)
    return sorted(found)


def remove(path: Path):
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def mark(folder: Path):
    (folder / MARKER).write_text(MARKER_TEXT, "utf-8")


def mkdocs_build(config: Path, out: Path) -> int:
    # Not --quiet: with --quiet MkDocs drops warnings before --strict can count them.
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config), "-d", str(out)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(cmd, cwd=config.parent, env=env, stderr=subprocess.PIPE, text=True, errors="replace")
    failure = re.search(r"\[Errno (\d+)\] [^\n]*?'([^'\n]*)'", result.stderr) if result.returncode else None
    if failure and int(failure.group(1)) in WRITE_FAILURES:
        # The disk filled (or turned read-only) while MkDocs wrote pages: its Python traceback
        # would bury the cause, so it becomes the same one line as any other file-system failure.
        raise OSError(int(failure.group(1)), os.strerror(int(failure.group(1))), failure.group(2))
    sys.stderr.write(result.stderr)
    return result.returncode


def publish(dest: Path, config: Path, build: Build = mkdocs_build) -> int:
    """Build with `build` and replace `dest`; print one line saying what happened. Returns the exit code."""
    why = tilde_problem(str(dest), "发布目录", TILDE)
    dest = dest.absolute()
    why = why or refusal(dest, [config.parent.resolve(), REPO])
    if why:
        print(f"拒绝发布：{why}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        return _publish(dest, config, build)
    except Refused as refused:
        print(f"拒绝发布：{refused}", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as error:
        print(f"发布失败：{os_reason(error)}，{shown(dest)} 保持原样，未做任何改动。", file=sys.stderr)
        return EXIT_FAILED


def _publish(dest: Path, config: Path, build: Build) -> int:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest.parent / f".{dest.name}.publish.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        why = refusal(dest, [config.parent.resolve(), REPO])  # another publish may have run meanwhile
        if why:
            raise Refused(why)
        for path in leftovers(dest):
            remove(path)
        new = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
        try:
            mark(new)
            code = build(config, new)
            if code != 0 or not (new / "index.html").is_file():
                print(f"发布失败：构建未通过（见上方错误），{shown(dest)} 保持原样，未做任何改动。", file=sys.stderr)
                return code or EXIT_FAILED
            mark(new)  # again: a build that empties its output folder must not leave it unmarked
            how, old = swap(new, dest)  # `.<name>.old-*` when the old site is moved aside
            new = old
            pages = sum(1 for _ in dest.rglob("index.html"))
            print(f"已发布到 {shown(dest)}（{pages} 个页面，{how}）。")
            return 0
        finally:
            if new is not None:
                remove(new)


def main(argv=None) -> int:
    parser = Parser(prog="make publish", description="严格构建网站并原子地替换发布目录")
    parser.add_argument("dest", type=Path, help="发布目录，即 nginx 的 root，如 /srv/party-site/www/site")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml 的路径")
    args = parser.parse_args(argv)
    if not args.config.is_file():
        parser.error(f"找不到 {shown(args.config)}")
    return publish(args.dest, args.config.resolve())


if __name__ == "__main__":
    sys.exit(main())
