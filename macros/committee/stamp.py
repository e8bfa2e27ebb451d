"""What a branch's build depends on, as one SHA-256 (the stamp stored beside its last build).

A branch is reused, not rebuilt, when its stamp equals the stored one: the stamp covers
- its folder's content: every file's relative path and bytes (not .git/, nor outputs and caches);
- the code's version: every file of the installed `macros` package and of schemas/, every installed
  distribution's name and version, and the Python version;
- the kind of build (normal, 脱敏, offline);
- the day: a report without a 统计截至 date (as_of) counts progress and compliance to the build date,
  so a branch is rebuilt at least once a day (the first run of a day rebuilds them all).
A branch whose data changed, or any code change or upgrade, gives a new stamp: it is rebuilt.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import sys
from importlib import metadata
from pathlib import Path

from macros.core.reading.validate import SCHEMA_DIR

PACKAGE = Path(__file__).resolve().parents[1]  # all of macros/ (importing macros would load the plugin)
# not inputs of a build: version control, outputs of make build / make offline, caches
SKIP_DIRS = {".git", "site", "site-redacted", "offline", "__pycache__", ".cache", ".pytest_cache"}
SKIP_PREFIXES = (".site.", ".offline.", "site-redacted.")


def _files(folder: Path):
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(SKIP_PREFIXES))
        for name in sorted(filenames):
            if not name.endswith(".pyc"):
                yield Path(dirpath) / name


def folder_hash(folder: Path, digest=None) -> str:
    digest = digest or hashlib.sha256()
    for path in _files(folder):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        if path.is_symlink():
            digest.update(b"link:" + os.readlink(path).encode("utf-8"))
        else:
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def code_version() -> str:
    """The code's version: computed once per run and handed to every branch job."""
    digest = hashlib.sha256(sys.version.encode())
    for root in (PACKAGE, SCHEMA_DIR):
        folder_hash(root, digest)
    names = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(names).encode("utf-8"))
    return digest.hexdigest()


def stamp(folder: Path, code: str, kind: str, day: datetime.date | None = None) -> str:
    day = day or datetime.date.today()
    return hashlib.sha256(f"{folder_hash(folder)}\n{code}\n{kind}\n{day.isoformat()}".encode()).hexdigest()
