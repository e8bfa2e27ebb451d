"""tools/same_site.py on the real site: two MkDocs builds of the same commit are the same.

The second build has its own empty download cache, so its .docx/.xlsx are written anew (other zip
entry dates, other xlsx core times) and the comparison has to apply its allowances to real files; and
nothing else may differ (the build is reproducible), or `make second-builder` could not tell builders apart.
"""

from __future__ import annotations

import pytest
from helpers.builds import build
from helpers.files import ROOT

from tools.same_site import Options, compare_sites


@pytest.mark.e2e
def test_two_builds_of_the_real_site_are_the_same_file_by_file(site, tmp_path):
    again = build(ROOT, tmp_path / "again", env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert again.returncode == 0, again.output
    report = compare_sites(site, tmp_path / "again", Options(ignore_generator=False))
    assert report.ok, "\n".join(report.lines())
    kinds = {rel.rsplit(".", 1)[-1] for rel in report.same}
    assert {"html", "docx", "xlsx", "txt", "json", "xml", "gz", "css", "js"} <= kinds
