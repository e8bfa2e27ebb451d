"""Writing in one step: a reader sees the whole old folder or file, or the whole new one, never a part.
Swapping two folders (deploy/publish.py, a committee's branch sites in macros/committee/publish.py) and
replacing a file (make issue, make import-dues, the committee's summary)."""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import stat
import tempfile
from pathlib import Path

AT_FDCWD, RENAME_EXCHANGE = -100, 2


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2). False if the system cannot do it."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # this file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap(new: Path, dest: Path, aside: str = "old") -> tuple[str, Path | None]:
    """Put the folder `new` in place of `dest`, first made readable as any new folder (the umask; mkdtemp
    makes 0700, the web server must read it). Returns (how, the folder now holding the old `dest` or
    None): a rename when there is no `dest`, else an atomic exchange, else (no renameat2) two renames,
    the old `dest` moved aside to `.<name>.<aside>-*` next to it."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(new, 0o777 & ~umask)
    if not dest.exists():
        os.rename(new, dest)
        return "改名", None
    if exchange(new, dest):
        return "原子交换", new  # `new` now holds the old `dest`
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.{aside}-", dir=dest.parent))
    os.rmdir(old)
    os.rename(dest, old)
    os.rename(new, dest)
    return "两次改名", old


def write_atomic(path: Path, data: str | bytes, mode: int | None = None) -> None:
    """Replace (or create) a file whole. The new file keeps the old one's permissions, or gets `mode`,
    or those of any new file (the umask): never the 0600 of a temporary file."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        with open(tmp, "xb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        if mode is None and path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
