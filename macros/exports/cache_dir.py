"""Files kept between builds, per user: $XDG_CACHE_HOME (default ~/.cache), never a shared fixed path.

Users: jieba/ (macros/site/search_setup.py), party-site-exports/ (macros/exports/cache.py); each keyed
by its inputs, so deleting a folder is always safe.

A cache folder is used only when this user can make it and owns it: the folder itself is a real
folder (not a symbolic link) owned by the user running the build, with no write access for others
(made 0700), inside a folder that only its owner (the user or root) can rename things in. When the
home cache cannot be used (a service account without a home, a read-only home), the fallback is
<temp>/party-site-cache-<uid>/<name>, under the same conditions: another user cannot have made it
for us. Otherwise there is no cache (`None`): the build is slower, never wrong and never fails.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def cache_dir(name: str) -> Path | None:
    """This user's cache folder `name`, made if needed; None when no folder is safely this user's."""
    for base in _bases():
        folder = base / name
        if _usable(folder):
            return folder
    return None


def _bases() -> list[Path]:
    bases = []
    if os.environ.get("XDG_CACHE_HOME"):
        bases.append(Path(os.environ["XDG_CACHE_HOME"]))
    try:
        bases.append(Path.home() / ".cache")
    except RuntimeError:  # no HOME and no entry in the user database
        pass
    bases.append(Path(tempfile.gettempdir()) / f"party-site-cache-{os.geteuid()}")
    return bases


def _usable(folder: Path) -> bool:
    """Make `folder` (0700) if needed; whether it is a folder only this user can change."""
    me = os.geteuid()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        parent = os.lstat(folder.parent)
        if not stat.S_ISDIR(parent.st_mode) or parent.st_uid not in (me, 0):
            return False
        if parent.st_mode & 0o002 and not parent.st_mode & stat.S_ISVTX:
            return False  # anyone could swap the folder for their own
        folder.mkdir(exist_ok=True, mode=0o700)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != me:
            return False
        if info.st_mode & 0o077:
            os.chmod(folder, 0o700)
        return os.access(folder, os.W_OK | os.X_OK)
    except OSError:
        return False
