"""Readers never see internal ids or data paths: every built page but the 编辑指南 (docs/guide/).

Scans the real site (built once per session) each page's visible text and hover texts
(title attributes) for plan/checklist/reminder ids (m1.1, t1.1.1, c05, p1, r1), YAML file names,
data/ paths and editors' commands and macros (make new-year, draft_notice).
"""

from __future__ import annotations

import pytest
from helpers.render import INTERNAL, reader_text

pytestmark = pytest.mark.e2e


def test_no_internal_id_or_data_path_in_readers_pages(site):
    pages = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("guide/")]
    assert len(pages) > 15
    found = {}
    for page in pages:
        hits = sorted(set(INTERNAL.findall(reader_text(page.read_text("utf-8")))))
        if hits:
            found[page.relative_to(site).as_posix()] = hits
    assert found == {}
