"""The rooms' import contracts (pyproject.toml [tool.importlinter], run by make lint): kept by the
code, and broken — so the lint fails — when a core module imports MkDocs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from helpers.files import ROOT

LINT = Path(__import__("sys").executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")], cwd=root,
                          capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


def copy(tmp: Path) -> Path:
    shutil.copytree(ROOT / "macros", tmp / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    return tmp


def test_the_contracts_are_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


def test_a_core_module_importing_mkdocs_fails_the_lint(tmp_path):
    root = copy(tmp_path)
    plan = root / "macros/core/plan.py"
    plan.write_text(plan.read_text("utf-8") + "\nfrom mkdocs.exceptions import PluginError  # noqa\n", "utf-8")
    result = lint(root)
    assert result.returncode == 1
    assert "The branch's domain core knows nothing of MkDocs, Markdown or Jinja BROKEN" in result.stdout
    assert "macros.core.plan -> mkdocs (l." in result.stdout


def test_the_core_importing_the_site_fails_the_lint(tmp_path):
    root = copy(tmp_path)
    ledger = root / "macros/core/records/ledger.py"
    ledger.write_text(ledger.read_text("utf-8") + "\nfrom macros.pages import render  # noqa\n", "utf-8")
    result = lint(root)
    assert result.returncode == 1
    assert "above the core BROKEN" in " ".join(result.stdout.split())
    assert "macros.core.records.ledger -> macros.pages.render" in result.stdout


def test_the_committee_reaching_into_the_site_plugin_fails_the_lint(tmp_path):
    root = copy(tmp_path)
    jobs = root / "macros/committee/jobs.py"
    jobs.write_text(jobs.read_text("utf-8") + "\nfrom macros.site import plugin  # noqa\n", "utf-8")
    result = lint(root)
    assert result.returncode == 1
    assert "never through the site's plugin internals BROKEN" in " ".join(result.stdout.split())
    assert "macros.committee.jobs -> macros.site.plugin" in result.stdout
