"""Running code as a user other than root: root ignores file permissions (CI runs the tests as root),
so a test of what an unreadable folder or an unwritable cache does runs its code as `nobody`."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers.files import ROOT

NOBODY = pwd.getpwnam("nobody")


def shared_tmp(prefix: str) -> Path:
    """A fresh folder that `nobody` can enter and read (pytest's tmp_path is root's, mode 0700)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    folder.chmod(0o755)
    return folder


def as_other_user(code: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run Python `code` (with this checkout importable) as `nobody` when we are root, else as ourselves
    (then permissions apply already)."""
    command = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all", *command]
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT),
                   "HOME": NOBODY.pw_dir, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(command, cwd="/", env=environment, capture_output=True, text=True, timeout=timeout)


def other_uid() -> int:
    return NOBODY.pw_uid if os.geteuid() == 0 else os.geteuid()
