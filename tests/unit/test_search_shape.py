"""What search indexes: the latest year's pages in full, older years through the 往年 page."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import yaml

from macros.pages import archive
from macros.site.search_setup import exclude_from_search, older_year

ROOT = Path(__file__).resolve().parents[2]


def test_only_pages_of_years_before_the_latest_are_older():
    assert older_year("2022/work/political.md", 2023) and older_year("2022/index.md", 2023)
    assert not older_year("2023/index.md", 2023)
    assert not older_year("index.md", 2023) and not older_year("guide/fields.md", 2023)
    assert not older_year("2022/index.md", None)  # search_all_years: every page indexed


def test_excluding_keeps_the_pages_other_search_settings():
    page = SimpleNamespace(meta={"search": {"boost": 2}})
    exclude_from_search(page)
    assert page.meta["search"] == {"boost": 2, "exclude": True}
    page = SimpleNamespace(meta={})
    exclude_from_search(page)
    assert page.meta["search"] == {"exclude": True}


def _page(path: Path, title: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# {title}\n", "utf-8")


def test_the_archive_lists_every_older_year_newest_first_with_its_pages(tmp_path):
    for year in (2021, 2022, 2023):
        _page(tmp_path / f"{year}/index.md", "报告概览")
        _page(tmp_path / f"{year}/work/index.md", "一、完成的主要工作")
        _page(tmp_path / f"{year}/checklists/compliance.md", "三、三会一课和组织生活对标")
        _page(tmp_path / f"{year}/plan/tasks.md", "一、任务分解")
    _page(tmp_path / "guide/index.md", "编辑指南")
    years = archive.older_years(tmp_path, lambda path: f"/{path}")
    assert [y["year"] for y in years] == [2022, 2021]  # not the latest
    groups = {g["label"]: g["pages"] for g in years[0]["groups"]}
    assert list(groups) == ["报告", "清单", "计划"]
    assert groups["清单"] == [{"title": "三、三会一课和组织生活对标", "href": "/2022/checklists/compliance.md"}]
    assert groups["报告"][0] == {"title": "报告概览", "href": "/2022/index.md"}
    assert archive.latest_year(tmp_path) == 2023


def test_the_archive_page_ranks_after_the_latest_years_pages():
    text = (ROOT / "docs/archive/index.md").read_text("utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert 0 < front["search"]["boost"] < 1 and "{{ older_years() }}" in text
