"""Writing an import's record files: one import at a time, all files or none, never over a file.

- **One at a time**: an import holds an exclusive lock (flock) on the folder data/records/ from the
  moment it looks at which files exist until its files are in place. A second import started
  meanwhile says it is waiting and continues when the first has finished; it then sees the first
  one's files (the same record: unchanged; a different one under that name: refused).
- **All or none**: every file is first written in full into a staging folder inside data/records/
  (same file system), flushed to disk; only then is each one linked to its name (os.link fails
  when the name exists: nothing is ever overwritten, even by a program that is not an import).
  If anything fails (a full disk, a name taken), the files this import linked are removed again
  and the staging folder is deleted: the records folder is as before. Nothing else is removed.
- The lock is on the folder itself (no lock file is left behind); a staging folder left by a
  killed import is named `.import-…` and ignored by the build (only four-digit folders are years).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import sys
import tempfile
from pathlib import Path

from macros.core.records import model as rec

REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "文件系统只读",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EEXIST: "同名文件已存在",
}


class WriteFailed(Exception):
    """The files could not be written; nothing of this import is left. The message is one Chinese line."""


def records_root(root: Path) -> Path:
    return rec.records_dir(root, 0).parent  # data/records


@contextlib.contextmanager
def import_lock(root: Path, say=lambda line: print(line, file=sys.stderr)):
    """Hold the import lock of the project (waits for another import to finish)."""
    folder = records_root(root)
    if not folder.is_dir():
        yield
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("另一个台账导入正在进行，等它完成后继续……")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _stage_file(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _place(staged: Path, target: Path) -> None:
    """Give the staged file its name; never replaces an existing file."""
    try:
        os.link(staged, target)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        if os.path.lexists(target):  # no hard links here: checked under the import lock, then renamed
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
        os.rename(staged, target)


def write_all(root: Path, files: list[tuple[str, str]]) -> None:
    """Write every (path under root, text), or none of them (WriteFailed)."""
    root = Path(root)
    base = records_root(root)
    placed: list[Path] = []
    stage = None
    try:
        stage = Path(tempfile.mkdtemp(prefix=".import-", dir=base))
        staged = []
        for n, (rel, text) in enumerate(files):
            path = stage / f"{n}.yaml"
            _stage_file(path, text)
            staged.append((path, root / rel))
        for path, target in staged:
            _place(path, target)
            placed.append(target)
        for folder in {target.parent for _, target in staged}:
            _sync(folder)
    except OSError as exc:
        for target in placed:
            with contextlib.suppress(OSError):
                target.unlink()  # only what this import linked
        reason = REASONS.get(exc.errno) or os.strerror(exc.errno or 0) or type(exc).__name__
        where = ""
        shown = exc.filename2 or exc.filename  # os.link: (staged, target)
        if shown and stage is not None and not str(shown).startswith(str(stage)):
            name = Path(shown)
            where = f"（{name.relative_to(root).as_posix() if name.is_relative_to(root) else name}）"
        raise WriteFailed(f"写入记录文件失败：{reason}{where}；没有写入任何文件，台账保持原样") from None
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


def _sync(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
