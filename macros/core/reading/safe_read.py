"""Reading a data file's bytes without being fooled: refused, before anything is read, when it is
missing, not a regular file (a device such as /dev/zero, a named pipe, a folder), or a symbolic link
leading out of the project; refused after MAX_BYTES + 1 bytes when it is larger than that. Each
refusal is one Chinese DataError naming the file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from macros.core.errors import DataError

# A data file larger than this is refused without being read further (the largest real file
# is under 10 KB; a pasted log or a wrong file must not fill memory).
MAX_BYTES = 1_000_000
SIZE_SHOWN = "1 MB"

def _os_problem(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有读取权限；请检查文件权限"
    if exc.errno == errno.ELOOP:
        return "是循环的符号链接，拒绝读取"
    if exc.errno == errno.EISDIR:
        return "是一个目录而不是文件"
    return f"无法读取（系统错误 {errno.errorcode.get(exc.errno, exc.errno)}）"


def _regular_file(path: Path, shown: str, root: Path | None) -> None:
    """Refuse, without opening it, what is not a regular file inside root (see read_bytes)."""
    try:
        info = os.stat(path)  # follows links; never blocks, even on a pipe
    except FileNotFoundError:
        if path.is_symlink():
            raise DataError(shown, 1, None, "是符号链接，但它指向的文件不存在") from None
        raise DataError(shown, 1, None, "文件不存在（可能被删除、改名或放错了目录）") from None
    except OSError as exc:
        raise DataError(shown, 1, None, _os_problem(exc)) from None
    if root is not None and not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        raise DataError(shown, 1, None, "是指向项目目录之外的符号链接，拒绝读取；数据文件必须放在项目目录之内")
    if not stat.S_ISREG(info.st_mode):
        what = "目录" if stat.S_ISDIR(info.st_mode) else "设备、管道或套接字等特殊文件"
        raise DataError(shown, 1, None, f"不是普通文件（是{what}），拒绝读取")


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_bytes(path: Path, shown: str, root: Path | None = None) -> bytes:
    """The file's bytes, at most MAX_BYTES of them. Refused with a DataError, before anything is
    read: a missing file, anything but a regular file (a device such as /dev/zero, a named pipe, a
    folder), and — when `root` is given — a file whose real location (after symbolic links) is
    outside root. A file over MAX_BYTES is refused after reading MAX_BYTES + 1 bytes."""
    path = Path(path)
    _regular_file(path, shown, root)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the look and the open
                raise DataError(shown, 1, None, "不是普通文件，拒绝读取")
            raw = _read_at_most(fd, MAX_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise DataError(shown, 1, None, _os_problem(exc)) from None
    if len(raw) > MAX_BYTES:
        raise DataError(
            shown,
            1,
            None,
            f"文件超过 {SIZE_SHOWN}，拒绝读取；数据文件通常只有几 KB，请检查是否误粘贴了大段内容或放错了文件",
        )
    return raw
