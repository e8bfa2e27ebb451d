"""The preview's partial rebuild (macros/site/preview.py) gives the same site as a full build.

A copy of the project with two years is built as `make serve` builds it (`mkdocs serve --dirty`:
the same plugin instance across rebuilds, MkDocs' plugin cache), a data file is saved, the site is
rebuilt; then the same files are built from scratch, as `mkdocs serve` without --dirty builds
them. Every page and the search index must be identical, and only the pages the change concerns
may have been written again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers.files import edit, project_copy
from mkdocs.commands.build import build
from mkdocs.config import load_config

from macros.commands.newyear import scaffold

pytestmark = pytest.mark.e2e
NONCE = re.compile(r"nonce-[\w-]+")


def _project(tmp: Path) -> Path:
    project = project_copy(tmp / "p")
    scaffold(project, 2023)
    return project


def _serve_build(project: Path, site: Path, first: bool) -> None:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url="http://127.0.0.1:8000/", dirty=True)


def _pages(site: Path) -> dict[str, tuple[int, str]]:
    """Each page's time and text; the CSP nonce of `mkdocs serve` (new at each start) left out."""
    return {p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, NONCE.sub("nonce", p.read_text("utf-8")))
            for p in site.rglob("*.html")}


def _save(path: Path, key: str, value: str) -> None:
    text, found = re.subn(rf"^({re.escape(key)}:\s*).*$", rf"\g<1>{value}", path.read_text("utf-8"), flags=re.M)
    assert found == 1
    path.write_text(text, "utf-8")


@pytest.mark.parametrize("changed", ["data/2022/figures.yaml", "data/2023/figures.yaml", "data/catalogue.yaml"])
def test_a_partial_rebuild_equals_a_full_build(tmp_path, monkeypatch, changed):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    preview, full = tmp_path / "preview", tmp_path / "full"
    _serve_build(project, preview, first=True)
    before = _pages(preview)
    if changed.startswith("data/20"):  # a figure of the older year, or of the latest
        _save(project / changed, "meetings.other", "777")
        if changed == "data/2022/figures.yaml":  # 2022 is issued: its figure changes by a 更正 (a site note)
            edit(project / "data/2022/issued.yaml", "corrections: []",
                 "corrections:\n  - {date: 2023-03-01, key: meetings.other, to: 777, why: 印发稿笔误}")
    else:  # shared data: a figure's label, shown on every page that has the figure
        path = project / changed
        path.write_text(path.read_text("utf-8").replace("组织党员学习", "组织全体党员学习", 1), "utf-8")
    _serve_build(project, preview, first=False)
    after = _pages(preview)

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(full))
    config.plugins.on_startup(command="serve", dirty=False)  # `mkdocs serve` without --dirty
    build(config, serve_url="http://127.0.0.1:8000/")
    assert {k: v[1] for k, v in after.items()} == {k: v[1] for k, v in _pages(full).items()}
    assert (preview / "search/search_index.json").read_bytes() == (full / "search/search_index.json").read_bytes()

    rewritten = {page for page in after if after[page][0] != before[page][0]}
    assert ("404.html" in rewritten) == (changed == "data/catalogue.yaml")  # the theme's pages: kept for a year
    if changed.startswith("data/2022/"):
        assert any(page.startswith("2022/") for page in rewritten) and "index.html" in rewritten
        assert not any(page.startswith("2023/") for page in rewritten)  # the other year kept
        political = (preview / "2022/work/political/index.html").read_text("utf-8")
        assert 'data-fig="meetings.other"' in political and "由90场次更正为777场次" in political
    elif changed.startswith("data/2023/"):  # the latest year, as an editor works
        assert any(page.startswith("2023/") for page in rewritten) and "figures/index.html" in rewritten
        assert not any(page.startswith("2022/") for page in rewritten)
        assert 'data-fig="meetings.other"' in (preview / "figures/index.html").read_text("utf-8")
    else:
        assert rewritten == set(after)  # shared data: every page
