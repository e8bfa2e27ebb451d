"""What search indexes: the latest year's pages and the year before in full (that one ranked lower), older
years through the 往年 page; each year page's title in the index carries its year."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import yaml

from macros.pages import archive
from macros.site.search_setup import exclude_from_search, label_years, rank_lower, year_before

ROOT = Path(__file__).resolve().parents[2]


def test_only_pages_of_years_before_the_latest_are_older():
    assert year_before("2022/work/political.md", 2023) and year_before("2022/index.md", 2023)
    assert not year_before("2023/index.md", 2023)
    assert not year_before("index.md", 2023) and not year_before("guide/fields.md", 2023)
    assert not year_before("2022/index.md", None)  # search_all_years: every page indexed


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


def test_the_archive_page_ranks_after_the_latest_years_pages():
    text = (ROOT / "docs/archive/index.md").read_text("utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert 0 < front["search"]["boost"] < 1 and "{{ older_years() }}" in text


def test_last_years_pages_stay_indexed_ranked_after_the_latest(tmp_path):
    for year in (2021, 2022, 2023):
        _page(tmp_path / f"{year}/index.md", "报告概览")
    assert archive.indexed_years(tmp_path) == [2023, 2022]
    latest, first = 2023, 2022
    assert not year_before("2022/plan/tasks.md", first) and year_before("2021/plan/tasks.md", first)
    assert year_before("2022/plan/tasks.md", latest) and not year_before("2023/plan/tasks.md", latest)
    assert not year_before("guide/index.md", latest) and not year_before("archive/index.md", latest)
    page = SimpleNamespace(meta={})
    rank_lower(page)
    assert 0.01 < page.meta["search"]["boost"] < 1  # after the latest year, before the 往年 group (0.01)
    page = SimpleNamespace(meta={"search": {"boost": 2}})
    rank_lower(page)
    assert page.meta["search"]["boost"] == 2  # a page's own setting wins


def test_each_year_pages_title_in_the_index_names_its_year():
    docs = [
        {"location": "2023/checklists/rectification/", "title": "一、问题整改清单", "text": ""},
        {"location": "2023/checklists/rectification/#problem-p1", "title": "问题一", "text": ""},
        {"location": "2022/checklists/rectification/", "title": "一、问题整改清单", "text": ""},
        {"location": "guide/", "title": "编辑指南", "text": ""},
        {"location": "archive/#2021年度", "title": "2021年度", "text": ""},
    ]
    titles = [d["title"].replace("\u200b", "") for d in label_years(label_years(docs))]  # twice: idempotent
    assert titles == ["一、问题整改清单（2023年度）", "问题一", "一、问题整改清单（2022年度）", "编辑指南", "2021年度"]
