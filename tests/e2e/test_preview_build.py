"""The preview's partial rebuild (macros/site/preview.py) gives the same site as a full build.

A copy of the project with two years is built as `make serve` builds it (`mkdocs serve --dirty`:
the same plugin instance across rebuilds, MkDocs' plugin cache), a data file is saved, the site is
rebuilt; then the same files are built from scratch, as `mkdocs serve` without --dirty builds
them. Every page and the search index must be identical, and only the pages the change concerns
may have been written again.
"""

from __future__ import annotations

import json
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


def _full(project: Path, site: Path) -> None:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)  # `mkdocs serve` without --dirty
    build(config, serve_url="http://127.0.0.1:8000/")


# Cross-year inputs (issue 22, point 8), on the project as it is while a year is in progress (the 2022
# report, the 台账 of 2022 and 2023): each change, a page that shows it, what the page says before and after.
NEW = None
CROSS_YEAR = {
    # 统计截至 of the 2022 report: the cut-off of the 2023 台账 too (no 2023 report yet)
    "cut-off": ("data/2022/report.yaml", "as_of: 2023-07-31", "as_of: 2023-06-30",
                "records/2023/index.html", "统计截至2023年7月31日", "统计截至2023年6月30日"),
    # a 2023 支委会: the 2023 台账, and the 2023 清单 (data/2022/checklist.yaml) on the 2022 pages
    "record": ("data/records/2023/2023-07-10-committee_meeting.yaml", NEW,
               "type: committee_meeting\ndate: 2023-07-10\ntopic: 研究7月工作\nhost: 张某某\nrecorder: 李某某\n"
               "evidence: 会议记录本\n", "2022/checklists/party-building/index.html", "已开展6/12个月，7月未开展", None),
    # the 2023 roster: 应到人数 and 谈心谈话 pairs of the 2023 台账
    # (one moving in on 15 December: a 2023 member for the pairs; no 党费 owed in 2023, so no base is asked for)
    "roster": ("data/records/2023/roster.yaml", "members:\n",
               "members:\n  - {name: 孔某某, role: 党员, group: 第二党小组, status: 正式, "
               "moved_in: {date: 2023-12-15, from: 某某局党支部}}\n",
               "records/2023/index.html", None, "孔某某"),
    "activity types": ("data/activity_types.yaml", "{name: 集中学习,", "{name: 集中理论学习,",
                       "records/2022/index.html", None, "集中理论学习"),
    "rules": ("data/rules.yaml", "党支部委员会会议一般每月召开1次", "党支部委员会会议一般每月召开一次",
              "records/2023/index.html", None, "党支部委员会会议一般每月召开一次"),
}


def _change(path: Path, old: str | None, new: str) -> None:
    if old is NEW:
        path.write_text(new, "utf-8")
        return
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize("case", list(CROSS_YEAR))
def test_a_cross_year_input_reaches_every_page_that_shows_it(tmp_path, monkeypatch, case):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project = project_copy(tmp_path / "p")
    monkeypatch.chdir(project)
    preview, full = tmp_path / "preview", tmp_path / "full"
    _serve_build(project, preview, first=True)
    before = _pages(preview)
    path, old, new, page, said, shown = CROSS_YEAR[case]
    assert said is None or said in before[page][1]
    assert shown is None or shown not in before[page][1]
    _change(project / path, old, new)
    _serve_build(project, preview, first=False)
    after = _pages(preview)
    _full(project, full)
    assert {k: v[1] for k, v in after.items()} == {k: v[1] for k, v in _pages(full).items()}
    assert (preview / "search/search_index.json").read_bytes() == (full / "search/search_index.json").read_bytes()
    assert said is None or said not in after[page][1]
    assert shown is None or shown in after[page][1]
    if case == "cut-off":  # no page keeps the old cut-off
        assert not any("截至2023年7月31日" in text for _, text in after.values())


def test_a_deleted_page_leaves_the_preview_search(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project = project_copy(tmp_path / "p")
    page = project / "docs/2022/notes.md"  # an editor's page, saved and then deleted during the preview
    page.write_text("# 工作札记\n\n临时记下的支部工作札记。\n", "utf-8")
    monkeypatch.chdir(project)
    preview, full = tmp_path / "preview", tmp_path / "full"
    _serve_build(project, preview, first=True)
    gone = "2022/notes/"

    def locations(site: Path) -> list[str]:
        return [e["location"] for e in json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]]

    assert any(url.startswith(gone) for url in locations(preview))
    page.unlink()
    _serve_build(project, preview, first=False)
    _full(project, full)
    assert not any(url.startswith(gone) for url in locations(preview))
    assert (preview / "search/search_index.json").read_bytes() == (full / "search/search_index.json").read_bytes()
