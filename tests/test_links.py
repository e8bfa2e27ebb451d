"""mkdocs.yml `validation:` turns broken links and anchors into warnings, so the strict build fails.

Each case is a small site: the real project with one bad link added to a page.
"""

from __future__ import annotations

import pytest
from conftest import build

PAGE = "docs/2022/problems.md"

CASES = {
    "missing page": ("[坏链接](no-such-page.md)", "no-such-page.md"),
    "missing anchor": ("[坏锚点](work/political.md#no-such-heading)", "no-such-heading"),
    "anchor on the same page": ("[坏锚点](#no-such-heading)", "no-such-heading"),
    "link to a folder, not a page": ("[坏链接](work/nowhere/)", "work/nowhere/"),
    "absolute link (breaks under a sub-path)": ("[绝对链接](/2022/)", "/2022/"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_link_fails_the_strict_build(case, project, tmp_path):
    link, named = CASES[case]
    page = project / PAGE
    page.write_text(page.read_text("utf-8") + f"\n参见{link}。\n", "utf-8")
    strict = build(project, tmp_path / "strict", strict=True)
    assert strict.returncode != 0, case
    output = strict.stdout + strict.stderr
    assert "WARNING" in output and named in output, output
    assert "2022/problems.md" in output
    assert "Aborted with" in output and "strict mode" in output


def test_the_same_link_only_warns_without_strict(project, tmp_path):
    page = project / PAGE
    page.write_text(page.read_text("utf-8") + "\n参见[坏链接](no-such-page.md)。\n", "utf-8")
    loose = build(project, tmp_path / "loose", strict=False)
    assert loose.returncode == 0, loose.stderr
    assert "no-such-page.md" in loose.stderr


def test_a_good_link_and_anchor_pass(project, tmp_path):
    page = project / PAGE
    political = (project / "docs/2022/work/political.md").read_text("utf-8")
    assert political.startswith("# ")
    page.write_text(page.read_text("utf-8") + "\n参见[第一部分](work/political.md)和[全文](full.md)。\n", "utf-8")
    assert build(project, tmp_path / "ok", strict=True).returncode == 0
