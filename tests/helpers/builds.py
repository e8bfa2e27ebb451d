"""`mkdocs build` in a subprocess: the fixture sites (wiring tier) and the real site (e2e)."""

from __future__ import annotations

import re
import shutil
import subprocess
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
    """WIRING_BUILDS, two at a time in threads (each a `mkdocs build` subprocess)."""

    def __init__(self):
        self.folder: Path | None = None
        self.pool = None
        self.futures: dict = {}

    def start(self) -> None:
        import tempfile
        from concurrent.futures import ThreadPoolExecutor

        if self.pool is not None:
            return
        self.folder = Path(tempfile.mkdtemp(prefix="pytest-wiring-"))
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="wiring-build")
        for name, (scenario, strict, env, args, old) in WIRING_BUILDS.items():
            out = old_site(self.folder / name / "out") if old else self.folder / name / "site"
            self.futures[name] = self.pool.submit(build, SITES / scenario, out, strict, env, *args)

    def result(self, name: str) -> Built:
        self.start()  # a wiring test run alone
        return self.futures[name].result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            shutil.rmtree(self.folder, ignore_errors=True)
            self.pool = None


BACKGROUND = BackgroundBuilds()


