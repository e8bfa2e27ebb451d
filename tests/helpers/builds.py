"""`mkdocs build` in a subprocess: the fixture sites (wiring tier) and the real site (e2e)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from helpers.files import ENV, MKDOCS, SITES

# ---- subprocess builds -----------------------------------------------------------------------


@dataclass
class Built:
    out: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def lines(self) -> list[str]:
        """MkDocs' log lines without their level prefix."""
        return [re.sub(r"^(ERROR|WARNING|INFO)\s+-\s+", "", line) for line in self.stderr.splitlines()]


def build(project: Path, out: Path, strict: bool = True, env: dict | None = None, *args: str) -> Built:
    """`mkdocs build` of a project folder (or a mkdocs.yml) into `out`."""
    config = project if project.suffix == ".yml" else project / "mkdocs.yml"
    # not -q: with --quiet MkDocs drops warnings before --strict can count them (broken links would pass)
    cmd = [*MKDOCS, "build", "-d", str(out), "-f", str(config), *args]
    if strict:
        cmd.append("--strict")
    result = subprocess.run(
        cmd, cwd=config.parent, capture_output=True, text=True, env={**ENV, **(env or {})}, timeout=300
    )
    return Built(out, result.returncode, result.stdout, result.stderr)


OLD_SITE = "旧网站"


def old_site(out: Path) -> Path:
    """An output folder that already holds a site (a failing build must leave it as it was)."""
    out.mkdir(parents=True)
    (out / "index.html").write_text(OLD_SITE, "utf-8")
    return out


def assert_refused(result: Built, verbose: bool = False) -> Built:
    """The build failed, in one Chinese line per problem without a traceback, and left the site
    that was in its output folder exactly as it was."""
    assert result.returncode != 0, result.output
    if not verbose:
        assert "Traceback" not in result.output and 'File "' not in result.output, result.output
    assert [p.name for p in result.out.iterdir()] == ["index.html"], "the old site is untouched"
    assert (result.out / "index.html").read_text("utf-8") == OLD_SITE
    return result


def refused(project: Path, tmp: Path, strict: bool = True, *args: str) -> Built:
    """Build into a folder that already holds a site: the build must fail and leave it as it was."""
    return assert_refused(build(project, old_site(tmp / "out"), strict, None, *args), "--verbose" in args)


# The fixture sites' builds that depend on no test, started in the background as soon as the session
# has collected tests/wiring/test_sites.py (tests/conftest.py): they use the second core while the unit
# tests run. name -> (scenario, strict, environment, extra arguments, into a folder with an old site)
REPO = "http://git.example.internal/dangzhibu/site"
WIRING_BUILDS = {
    "basic": ("basic", True, {"REPO_URL": REPO}, (), False),
    "switched": ("basic", True, {"REDACTED": "true", "OFFLINE": "true"}, (), False),
    "unfilled-preview": ("unfilled", False, {}, (), False),
    "unfilled-strict": ("unfilled", True, {}, (), True),
    "bad_data-preview": ("bad_data", False, {}, (), True),
    "bad_data-verbose": ("bad_data", True, {}, ("--verbose",), True),
    "bad_macro-preview": ("bad_macro", False, {}, (), True),
    "bad_page": ("bad_page", True, {}, (), False),
    "bad_link-strict": ("bad_link", True, {}, (), False),
    "bad_link-preview": ("bad_link", False, {}, (), False),
}


class BackgroundBuilds:
    """WIRING_BUILDS, two at a time in threads (each a `mkdocs build` subprocess). Under pytest-xdist
    the controller runs them once (tests/conftest.py) and each finished build leaves `<name>.json` in
    the shared folder; a worker `attach()`es to the folder and waits for the file (before, each of the
    two workers ran all ten: twenty builds, counted)."""

    def __init__(self):
        self.folder: Path | None = None
        self.pool = None
        self.futures: dict = {}
        self.attached = False

    def attach(self, folder: Path) -> None:
        self.folder, self.attached = folder, True

    def start(self, folder: Path | None = None) -> None:
        import tempfile
        from concurrent.futures import ThreadPoolExecutor

        if self.pool is not None or self.attached:
            return
        self.folder = folder or Path(tempfile.mkdtemp(prefix="pytest-wiring-"))
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="wiring-build")
        for name, (scenario, strict, env, args, old) in WIRING_BUILDS.items():
            out = old_site(self.folder / name / "out") if old else self.folder / name / "site"
            self.futures[name] = self.pool.submit(self._build_and_record, name, SITES / scenario, out, strict, env, args)

    def _build_and_record(self, name, project, out, strict, env, args) -> Built:
        result = build(project, out, strict, env, *args)
        record = {"out": str(result.out), "returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}
        partial = self.folder / f"{name}.json.part"
        partial.write_text(json.dumps(record), "utf-8")
        partial.rename(self.folder / f"{name}.json")  # whole or absent for a worker that waits for it
        return result

    def result(self, name: str) -> Built:
        if self.attached:
            done = self.folder / f"{name}.json"
            deadline = time.monotonic() + 600
            while not done.exists():
                assert time.monotonic() < deadline, f"the background build {name} did not finish"
                time.sleep(0.05)
            record = json.loads(done.read_text("utf-8"))
            return Built(Path(record["out"]), record["returncode"], record["stdout"], record["stderr"])
        self.start()  # a wiring test run alone
        return self.futures[name].result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if self.folder is not None and not self.attached:
            shutil.rmtree(self.folder, ignore_errors=True)


BACKGROUND = BackgroundBuilds()


