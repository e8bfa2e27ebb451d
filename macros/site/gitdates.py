"""最后更新 dates: when each file last changed, from git history, with fallbacks.

One `git log` per build gives every tracked file's last commit date. Files with uncommitted
changes (editing under `make serve`) and files outside git use their modification time. In a
shallow clone (CI) the oldest visible commit seems to add every file, so for files it "touched"
we only know they changed no later than that commit: such dates are marked `upper_bound`.
Without git at all (a tarball: `git archive` stores the commit time as each file's mtime) the
modification time is used.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Stamp:
    date: dt.date
    source: str  # "git", "file" (modification time) or "shallow" (no later than this date)

    @property
    def upper_bound(self) -> bool:
        return self.source == "shallow"


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


class FileDates:
    """Last-change dates of the files under `root` (paths relative to root, posix)."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.dates: dict[str, dt.date] = {}
        self.shallow_dates: dict[str, dt.date] = {}
        self.dirty: set[str] = set()
        self.stamps: dict[str, Stamp | None] = {}  # per build: a file shared by many pages is looked at once
        self.listings: dict[str, list[str]] = {}  # per build: the files under a folder (page_meta)
        prefix = _git(self.root, "rev-parse", "--show-prefix")
        if prefix is None:
            return  # not a git work tree
        prefix = prefix.strip()
        boundary = set()
        if (_git(self.root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
            shallow_file = (_git(self.root, "rev-parse", "--git-path", "shallow") or "").strip()
            path = Path(shallow_file) if Path(shallow_file).is_absolute() else self.root / shallow_file
            if path.exists():
                boundary = set(path.read_text().split())
        log = _git(self.root, "log", "--format=%x00%H %cs", "--name-only", "--no-renames", "--", ".") or ""
        for chunk in log.split("\0")[1:]:
            head, *names = chunk.strip("\n").split("\n")
            sha, date = head.split()
            day = dt.date.fromisoformat(date)
            target = self.shallow_dates if sha in boundary else self.dates
            for name in filter(None, names):
                rel = name[len(prefix):] if name.startswith(prefix) else name
                if rel not in self.dates and rel not in self.shallow_dates:
                    target[rel] = day
        status = _git(self.root, "status", "--porcelain", "--untracked-files=all", "--", ".") or ""
        for line in status.splitlines():
            name = line[3:].split(" -> ")[-1].strip('"')
            self.dirty.add(name[len(prefix):] if name.startswith(prefix) else name)

    def stamp(self, rel: str) -> Stamp | None:
        """When the file (relative to root) last changed; None if it does not exist."""
        if rel not in self.stamps:
            self.stamps[rel] = self._stamp(rel)
        return self.stamps[rel]

    def _stamp(self, rel: str) -> Stamp | None:
        path = self.root / rel
        if not path.exists():
            return None
        if rel not in self.dirty:
            if rel in self.dates:
                return Stamp(self.dates[rel], "git")
            if rel in self.shallow_dates:
                return Stamp(self.shallow_dates[rel], "shallow")
        return Stamp(dt.date.fromtimestamp(path.stat().st_mtime), "file")

    def latest(self, rels) -> Stamp | None:
        """The most recent stamp among several files (a page and the data it shows)."""
        stamps = [s for s in map(self.stamp, rels) if s is not None]
        if not stamps:
            return None
        best = max(stamps, key=lambda s: (s.date, s.source != "shallow"))
        return best
