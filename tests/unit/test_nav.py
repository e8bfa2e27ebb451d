"""The navigation built from docs/ (macros/pages/nav.py): tabs, document order, older years folded."""

from __future__ import annotations

from pathlib import Path

from helpers.files import ROOT

from macros.pages.nav import build_nav, chinese_number, order_key, section_pages

DOCS = ROOT / "docs"


def years_tree(docs: Path, years) -> Path:
    (docs / "index.md").parent.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# 首页\n", "utf-8")
    for year in years:
        (docs / str(year)).mkdir()
        (docs / f"{year}/index.md").write_text("# 概览\n", "utf-8")
        (docs / f"{year}/problems.md").write_text("# 二、存在主要问题\n", "utf-8")
        (docs / f"{year}/plan").mkdir()
        (docs / f"{year}/plan/index.md").write_text("# 计划\n", "utf-8")
    return docs


def titles(items) -> list[str]:
    return [next(iter(item)) if isinstance(item, dict) else item for item in items]


def test_real_site_tabs_in_order():
    nav = build_nav(DOCS)
    assert titles(nav)[:4] == ["首页", "报告", "清单", "计划"]
    assert "数据一览" in titles(nav) and "编辑指南" in titles(nav)  # top-level folders with an index.md
    report = nav[1]["报告"]
    assert titles(report) == ["2022年度报告"]
    assert titles(report[0]["2022年度报告"])[:2] == ["2022/index.md", "一、完成的主要工作"]
    assert titles(nav[3]["计划"]) == ["2023年工作计划"]  # the 2022 report plans 2023


def test_document_numbering_orders_pages():
    assert [chinese_number(n) for n in ("一", "九", "十", "十二", "二十", "二十三")] == [1, 9, 10, 12, 20, 23]
    names = [p.name for p in sorted((DOCS / "2022").iterdir(), key=order_key) if not p.name.startswith("_")]
    assert names[:4] == ["index.md", "work", "problems.md", "plans.md"] and "full.md" in names[4:]


def test_order_follows_the_numbers_in_titles_not_front_matter_comments(tmp_path):
    names = [p.stem for p in sorted((DOCS / "2022/plan").iterdir(), key=order_key)]
    assert names == ["index", "tasks", "by-status", "by-owner", "reminders"]
    (tmp_path / "a.md").write_text("---\n# 一、这是注释\nsearch:\n  exclude: true\n---\n\n# 三、丙\n", "utf-8")
    (tmp_path / "b.md").write_text("---\n# 注释\ntitle: 二、乙\n---\n# 一、甲\n", "utf-8")
    (tmp_path / "c.md").write_text("# 一、甲\n", "utf-8")
    (tmp_path / "d.md").write_text("# 没有编号\n", "utf-8")
    (tmp_path / "e.md").write_text("# （十一）括号编号\n", "utf-8")
    assert [p.name for p in sorted(tmp_path.iterdir(), key=order_key)] == ["c.md", "b.md", "a.md", "e.md", "d.md"]


def test_fragments_and_hidden_files_are_not_pages(tmp_path):
    docs = years_tree(tmp_path / "docs", [2022])
    (docs / "2022/_opening.md").write_text("开头\n", "utf-8")
    (docs / "2022/.draft.md").write_text("草稿\n", "utf-8")
    section = build_nav(docs)[1]["报告"][0]["2022年度报告"]
    assert section == ["2022/index.md", "2022/problems.md"]
    assert [title for title, _ in section_pages(docs / "2022")] == ["二、存在主要问题", "计划"]


def test_older_years_collapse_so_pages_do_not_carry_every_year(tmp_path):
    few = build_nav(years_tree(tmp_path / "few", range(2020, 2023)))[1]["报告"]
    assert titles(few) == ["2022年度报告", "2021年度报告", "2020年度报告"]
    many_nav = build_nav(years_tree(tmp_path / "many", range(1990, 2023)))
    many = many_nav[1]["报告"]
    assert titles(many) == ["2022年度报告", "2021年度报告", "往年报告"]
    decades = many[2]["往年报告"]
    assert titles(decades) == ["2020—2029年", "2010—2019年", "2000—2009年", "1990—1999年"]
    assert titles(decades[0]["2020—2029年"]) == ["2020年度报告"]
    assert len(decades[1]["2010—2019年"]) == 10
    plans = many_nav[2]["计划"]
    assert titles(plans)[:2] == ["2023年工作计划", "2022年工作计划"] and titles(plans)[2] == "往年计划"
    twelve = build_nav(years_tree(tmp_path / "twelve", range(2011, 2023)))[1]["报告"]
    assert titles(twelve[2]["往年报告"]) == [f"{y}年度报告" for y in range(2020, 2010, -1)]  # 10 older: flat
