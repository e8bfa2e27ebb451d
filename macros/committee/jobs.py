"""One branch's job: reuse its last build, or check its data, build it and swap it in; then write its
state file `OUT/.committee/<slug>.json`, which is all the 汇总 reads of it (summary.py). A job only
reads its branch's folder and writes `OUT/<slug>/` and its state file, so jobs run side by side in
processes on one machine (build.py) or on separate CI runners (deploy/README.md).

State: {slug, name, kind, status: built | reused | failed, error: one Chinese line or null, stamp,
finished, seconds, summary (macros.core.branch.Summary as plain data) or null, last_built}.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from macros.committee import publish
from macros.committee.stamp import stamp
from macros.core import load_branch
from macros.core.errors import Refusal, os_reason, printable

STATUS_WORDS = {"built": "已构建", "reused": "未改动，沿用上次构建", "failed": "构建失败"}  # a branch job's outcome
KINDS = {  # build kind: environment the branch's mkdocs.yml reads (extra.redacted, the offline plugin)
    "normal": {},
    "redacted": {"REDACTED": "true"},
    "offline": {"OFFLINE": "true"},
    "redacted-offline": {"REDACTED": "true", "OFFLINE": "true"},
}
OK = ("built", "reused")


@dataclasses.dataclass(frozen=True)
class Job:
    slug: str
    name: str
    folder: Path
    out: Path
    code: str  # stamp.code_version(), computed once per run
    kind: str = "normal"


def state_path(out: Path, slug: str) -> Path:
    return out / publish.STATE / f"{slug}.json"


def read_state(out: Path, slug: str) -> dict | None:
    try:
        return json.loads(state_path(out, slug).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def error_line(stderr: str) -> str:
    """The one line that says why MkDocs stopped: the plugin's Chinese `file:line` error, else the
    strict mode's first warning, else the last line MkDocs printed. A page's error comes after
    MkDocs's own `Error building page 'x.md':` line, which says only where."""
    errors = [m.strip() for m in re.findall(r"^ERROR\s+-\s+(.+)$", stderr, re.M)]
    if errors:
        said = [e for e in errors if not re.fullmatch(r"Error building page '.*':", e)]
        return printable((said or errors)[0])
    warnings = re.findall(r"^WARNING\s+-\s+(.+)$", stderr, re.M)
    if warnings:
        return printable(f"严格模式构建未通过（{len(warnings)} 条警告），第一条：{warnings[0].strip()}")
    last = [line.strip() for line in stderr.splitlines() if line.strip()]
    return printable(f"构建失败：{last[-1]}" if last else "构建失败（MkDocs 没有给出说明）")


def mkdocs_build(folder: Path, dest: Path, kind: str) -> subprocess.CompletedProcess:
    """`make build` for the branch's folder (strict), into `dest`."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(folder / "mkdocs.yml"),
           "-d", str(dest)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **KINDS[kind]}
    for name in {"REDACTED", "OFFLINE"} - set(KINDS[kind]):
        env.pop(name, None)  # the build's kind is the job's, not the caller's environment
    return subprocess.run(cmd, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          errors="replace")


def plain(value):
    """A Summary as JSON-ready data (dates as 2023-07-31)."""
    return json.loads(json.dumps(dataclasses.asdict(value), ensure_ascii=False, default=str))


def run(job: Job) -> dict:
    """Reuse or build one branch; returns and writes its state."""
    started = time.monotonic()
    previous = read_state(job.out, job.slug) or {}
    site = job.out / job.slug
    key = stamp(job.folder, job.code, job.kind)
    state = {"slug": job.slug, "name": job.name, "kind": job.kind, "stamp": key, "error": None, "summary": None,
             "last_built": previous.get("last_built")}
    if previous.get("stamp") == key and previous.get("status") in OK and (site / "index.html").is_file():
        state.update(status="reused", summary=previous.get("summary"))
    else:
        try:
            state.update(_build(job, site))
        except OSError as error:  # the disk, not the branch: one line, and the other branches go on
            state.update(status="failed", error=f"写入输出目录失败：{os_reason(error)}，该支部的网站保持原样")
        if state["status"] == "built":
            state["last_built"] = datetime.datetime.now().isoformat(timespec="seconds")
    state["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    state["seconds"] = round(time.monotonic() - started, 2)
    publish.write_atomic(state_path(job.out, job.slug),
                         json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8"))
    return state


def _build(job: Job, site: Path) -> dict:
    try:
        summary = plain(load_branch(job.folder).summary())  # the same checks as the build, without MkDocs
    except Refusal as refusal:
        return {"status": "failed", "error": printable(str(refusal).splitlines()[0])}
    for path in publish.leftovers(job.out, job.slug):
        shutil.rmtree(path)
    new = publish.new_folder(job.out, job.slug)
    try:
        result = mkdocs_build(job.folder, new, job.kind)
        if result.returncode != 0 or not (new / "index.html").is_file():
            return {"status": "failed", "error": error_line(result.stderr)}
        if KINDS[job.kind].get("OFFLINE"):
            (new / "404.html").unlink(missing_ok=True)  # as make offline: only a web server uses it
        publish.swap_in(new, site)
        new = None
        return {"status": "built", "summary": summary}
    finally:
        if new is not None:
            shutil.rmtree(new, ignore_errors=True)
