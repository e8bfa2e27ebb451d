"""macros/site/nav_memo.py: the navigation and tabs rendered with items reused are what Material renders.

In process: a docs tree of many years (the navigation of macros/pages/nav.py: recent years, 往年 grouped
by decade) built with the theme and overrides/, once with the memo and once without, with
directory URLs and with .html URLs (the offline copy): every page the same byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.files import ROOT
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.utils import get_relative_url

from macros.site import nav_memo

URLS = ["", "2022/", "2022/work/", "2022/work/political/", "guide/fields/",
        "index.html", "2022/index.html", "2022/work/political.html", "guide/fields.html"]
TARGETS = ["", ".", "2022/", "2022/work/", "2023/plan/tasks/", "guide/", "2022/work/political/",
           "index.html", "2023/plan/tasks.html", "2022/work/political.html"]


@pytest.mark.parametrize("first", URLS)
def test_a_link_made_for_one_page_is_made_again_for_any_other(first):
    for target in TARGETS:
        href = get_relative_url(target, first)
        fragment = nav_memo.Fragment(f'<a href="{href}" class="x">t</a>', first)
        for other in URLS:
            assert fragment.for_page(other) == f'<a href="{get_relative_url(target, other)}" class="x">t</a>'


def test_absolute_links_are_left_as_written():
    html = '<a href="http://intranet/x">a</a><a href="/x/">b</a><a href="#top">c</a>'
    assert nav_memo.Fragment(html, "2022/work/").for_page("guide/") == html


HOOK = """
import os
from macros.site import nav_memo
def on_env(env, config, files):
    env.globals["nav_memo"] = nav_memo.make(os.environ.get("NAV_MEMO") == "1")
    return env
"""
CONFIG = """
site_name: 测试
theme:
  name: material
  custom_dir: {overrides}
  language: zh
  font: false
  features: [navigation.tabs, navigation.sections, navigation.indexes, navigation.footer,
             navigation.top, navigation.prune]
use_directory_urls: {directory_urls}
hooks: [hook.py]
markdown_extensions: [toc]
plugins: []  # no search: only the navigation is compared
"""


def _project(root: Path) -> Path:
    docs = root / "docs"
    pages = {"index.md": "# 首页", "guide/index.md": "# 编辑指南", "guide/fields.md": "# 字段说明\n\n## 一\n\n## 二"}
    for year in range(2022, 2036):  # 14 years: two recent, 往年 by decade
        pages |= {
            f"{year}/index.md": f"# {year}年度报告",
            f"{year}/full.md": f"# {year}全文\n\n## 一\n\n### 二",
            f"{year}/work/index.md": "# 一、工作",
            f"{year}/work/political.md": "# （一）政治\n\n## 甲",
            f"{year}/work/conduct.md": "# （二）作风",
            f"{year}/plan/index.md": "# 计划",
            f"{year}/plan/tasks.md": "# 一、任务\n\n## 任务",
            f"{year}/checklists/index.md": "# 清单",
            f"{year}/checklists/party.md": "# 一、党建",
        }
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text + "\n", "utf-8")
    (root / "hook.py").write_text(HOOK, "utf-8")
    return root


def _built(root: Path, site: Path, directory_urls: bool, memo: bool, monkeypatch) -> dict[str, bytes]:
    from macros.pages.nav import build_nav

    (root / "mkdocs.yml").write_text(
        CONFIG.format(overrides=ROOT / "overrides", directory_urls=str(directory_urls).lower()), "utf-8")
    monkeypatch.setenv("NAV_MEMO", "1" if memo else "0")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.nav = build_nav(root / "docs")
    build(config)
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-urls"])
def test_every_page_is_the_same_with_and_without_the_memo(tmp_path, monkeypatch, directory_urls):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    root = _project(tmp_path / "p")
    without = _built(root, tmp_path / "without", directory_urls, False, monkeypatch)
    memo = _built(root, tmp_path / "with", directory_urls, True, monkeypatch)
    assert len(without) > 120 and memo.keys() == without.keys()
    different = [name for name in without if memo[name] != without[name]]
    assert not different, different[:5]
    older = (tmp_path / "with" / ("2022/work/political/index.html" if directory_urls else "2022/work/political.html"))
    assert "2020—2029年" in older.read_text("utf-8")  # the nav shape: 往年 grouped by decade
