"""Readers never see internal ids or data paths: every built page but the 编辑指南 (docs/guide/).

Builds the real site once (a subprocess: e2e) and scans each page's visible text and hover texts
(title attributes) for plan/checklist/reminder ids (m1.1, t1.1.1, c05, p1, r1), YAML file names and
data/ paths.
"""

from __future__ import annotations

import re

import lxml.html
import pytest
from conftest import ROOT, build

pytestmark = pytest.mark.e2e

INTERNAL = re.compile(
    r"(?<![A-Za-z0-9])(?:[mt]\d+(?:\.\d+)+|[cpr]\d{1,3}|g\d)(?![A-Za-z0-9.])"  # ids of plan, checklist, reminders
    r"|[\w/.-]*\.ya?ml\b"  # a YAML file
    r"|\bdata/(?:\d{4}|<)"  # a data path
)


def reader_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    for node in tree.xpath("//script|//style|//nav|//header|//footer"):
        node.drop_tree()
    articles = tree.xpath("//article") or [tree]
    titles = " ".join(a.get("title", "") for a in articles[0].iter() if isinstance(a.tag, str))
    return " ".join(articles[0].itertext()) + " " + titles


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("reader")
    result = build(ROOT, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_no_internal_id_or_data_path_in_readers_pages(built):
    pages = [p for p in built.rglob("*.html") if not p.relative_to(built).as_posix().startswith("guide/")]
    assert len(pages) > 15
    found = {}
    for page in pages:
        hits = sorted(set(INTERNAL.findall(reader_text(page.read_text("utf-8")))))
        if hits:
            found[page.relative_to(built).as_posix()] = hits
    assert found == {}


def test_the_scan_finds_what_it_looks_for():
    text = reader_text('<article><p>措施 m1.1，计划任务 t1.1.1，清单 c05，见 data/2022/checklist.yaml</p>'
                       '<span title="问题 p1">x</span></article>')
    assert set(INTERNAL.findall(text)) == {"c05", "data/2022/checklist.yaml", "m1.1", "p1", "t1.1.1"}
    assert INTERNAL.findall("数据在 data/2022/ 下") == ["data/2022"]
    assert not INTERNAL.findall(reader_text("<article><p>1.3.2 第十一条 2023年 GB/T 9704</p></article>"))
