"""deploy/systemd/ checked by systemd's own tools (the Debian package systemd; .ci/run installs it):
the units parse without a warning, and the publish service's exposure score stays low."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from helpers.files import ROOT

pytestmark = pytest.mark.e2e
UNITS = sorted((ROOT / "deploy" / "systemd").iterdir())


def analyze(*args: str) -> subprocess.CompletedProcess:
    tool = shutil.which("systemd-analyze")
    assert tool, "没有 systemd-analyze（apt-get install systemd；.ci/run 会安装它）"
    return subprocess.run([tool, *args], capture_output=True, text=True, timeout=60)


def test_units_verify_without_warnings():
    result = analyze("verify", *map(str, UNITS))
    assert result.returncode == 0 and result.stdout + result.stderr == "", result.stdout + result.stderr


def test_a_misspelt_option_would_be_reported(tmp_path):
    """What makes the test above mean something: verify does report a typo in a sandbox option."""
    for path in UNITS:
        text = path.read_text("utf-8").replace("ProtectSystem=strict", "ProtectSystem=strictly")
        (tmp_path / path.name).write_text(text, "utf-8")
    result = analyze("verify", *map(str, sorted(tmp_path.iterdir())))
    assert "Failed to parse protect system value, ignoring: strictly" in result.stderr, result.stderr


def test_publish_service_exposure_is_low():
    result = analyze("security", "--offline=yes", str(ROOT / "deploy/systemd/party-site-publish.service"))
    score = re.search(r"Overall exposure level for party-site-publish\.service: ([\d.]+)", result.stdout)
    assert score, result.stdout + result.stderr
    assert float(score.group(1)) <= 1.5, result.stdout  # systemd calls 0–2 "SAFE"/"OK"; 10 is unsandboxed
