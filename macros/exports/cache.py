"""The downloads a build makes, kept between builds: each year's .docx and each 台账 .xlsx is a pure
function of its inputs, so a file whose inputs and code are unchanged since an earlier build is
copied from the cache instead of being made again (python-docx and openpyxl are then not even
imported). Measured gain (clean strict builds alternating with `export_cache: false`, medians of 5,
the cache warm): 1 year 1.89 against 2.53 s (25%), 10 years 4.08 against 4.61 s (12%; a second
series on a busier machine 7%, the ten runs together 4.36 against 4.95 s, 12%), 50 years 14.84
against 17.05 s (13%, 3 runs).

- **Where**: $XDG_CACHE_HOME/party-site-exports (macros/exports/cache_dir.py; never the shared /tmp).
- **Key**: SHA-256 of the code fingerprint and the inputs' repr. Inputs are what the writer reads:
  the parsed report, author and date (.docx); the records, branch name and masking (.xlsx). All are
  dataclasses, tuples and plain values whose repr shows every field. The code fingerprint is every
  file of this package, the installed python-docx, openpyxl and lxml versions and Python's: any
  edit or upgrade makes every key new. A changed input or code never meets an old file.
- **Kept as made**: a hit is the byte-identical file an earlier build wrote (including the save time
  the zip entries and the workbook's properties carry, which is that build's).
- **Writing**: a miss is made into the site, then copied into the cache under a temporary name and
  renamed (a reader never sees half a file). A cache that cannot be written is skipped: the build
  never fails because of it.
- **Never cleaned by the build** (nothing outside the build is ever deleted): an entry is about
  20–40 KB and only a changed year adds one, so it grows by megabytes a year; the folder may be
  emptied at any time (deploy/README.md).
- Off with the plugin switch `export_cache: false` (make bench measures what it saves).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # all of macros/
LIBRARIES = ("python-docx", "openpyxl", "lxml")


def code_fingerprint() -> str:
    """Every file of the macros package (path and bytes) and the writers' library versions."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        digest.update(f"{name}=={metadata.version(name)}\0".encode())
    digest.update(sys.version.encode())  # zipfile and zlib come with Python
    return digest.hexdigest()


class ExportCache:
    def __init__(self, folder: Path, code: str | None = None):
        self.folder = Path(folder)
        self.code = code_fingerprint() if code is None else code

    def key(self, inputs: tuple) -> str:
        return hashlib.sha256(f"{self.code}\0{inputs!r}".encode()).hexdigest()

    def file(self, target: Path, inputs: tuple, make: Callable[[Path], object]) -> bool:
        """Write `target`: copied from the cache when `inputs` were made before, else `make(target)`
        and kept. Returns whether it came from the cache."""
        kept = self.folder / f"{self.key(inputs)}{target.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(kept, target)
        except OSError:
            pass  # not kept (or unreadable): made below
        else:
            return True
        make(target)
        self._keep(target, kept)
        return False

    def _keep(self, made: Path, kept: Path) -> None:
        partial = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(made, partial)
            os.replace(partial, kept)
        except OSError:  # no writable cache (or a full disk): the build goes on without it
            try:
                partial.unlink(missing_ok=True)  # our own half-written copy
            except OSError:
                pass


def write(cache: ExportCache | None, target: Path, inputs: tuple, make: Callable[[Path], object]) -> None:
    """`make(target)`, through `cache` when the build has one (off: the plugin switch export_cache)."""
    if cache is None:
        make(target)
    else:
        cache.file(target, inputs, make)
