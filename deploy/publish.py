"""Atomic publishing: `make publish DEST=/srv/party-site/site`.

1. Build the site strictly into a new temporary directory next to DEST (same file system).
2. If the build fails (bad data, a broken link, any warning), delete the temporary directory:
   DEST is not touched, byte for byte.
3. Otherwise swap the new directory into place with one rename: on Linux renameat2(RENAME_EXCHANGE)
   exchanges the two directories atomically, so a reader sees either the whole old site or the whole
   new one, never a mix and never nothing. Where that call is missing, two renames (DEST aside, new
   in) leave a gap of microseconds. Then the old site is deleted.

A lock file next to DEST serialises publishes (a cron job and a webhook at the same time).
"""

from __future__ import annotations

import argparse
import ctypes
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2). False if the system cannot do it."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot exchange
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def remove(path: Path):
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def build(config: Path, out: Path) -> int:
    # Not --quiet: with --quiet MkDocs drops warnings before --strict can count them.
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config), "-d", str(out)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(cmd, cwd=config.parent, env=env).returncode


def publish(dest: Path, config: Path) -> int:
    dest = dest.absolute()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest.parent / f".{dest.name}.publish.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        new = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
        try:
            code = build(config, new)
            if code != 0 or not (new / "index.html").is_file():
                print(f"发布失败：构建未通过（见上方错误），{dest} 保持原样，未做任何改动。", file=sys.stderr)
                return code or 1
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(new, 0o777 & ~umask)  # mkdtemp makes 0700; the web server must read it
            if not dest.exists() and not dest.is_symlink():
                os.rename(new, dest)
                how = "改名"
            elif exchange(new, dest):
                how = "原子交换"  # `new` now holds the old site
            else:
                old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
                os.rmdir(old)
                os.rename(dest, old)
                os.rename(new, dest)
                new = old
                how = "两次改名"
            pages = sum(1 for _ in dest.rglob("index.html"))
            print(f"已发布到 {dest}（{pages} 个页面，{how}）。")
            return 0
        finally:
            remove(new)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="严格构建网站并原子地替换发布目录")
    parser.add_argument("dest", type=Path, help="发布目录，即 nginx 的 root，如 /srv/party-site/site")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml 的路径")
    args = parser.parse_args(argv)
    if not args.config.is_file():
        parser.error(f"找不到 {args.config}")
    return publish(args.dest, args.config.resolve())


if __name__ == "__main__":
    sys.exit(main())
