"""Accessibility in Chromium behind nginx: axe-core once per page kind and palette, and figures and
status badges a screen reader can read (text in the accessibility tree, not colour alone).

A page kind is a set of macros rendering the same markup; the pages of one kind differ only in data,
so one page of each is checked. axe-core comes inside the axe-playwright-python package (axe.min.js,
injected with page.evaluate): no request leaves the machine, which the Watch checks while axe runs.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers.browser import Watch

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
# Figures, the 最新 badge, and any status badge (checklists, plan).
BADGES = ".fig, .year-latest, [class*='badge'], [class*='status'], [data-status]"
PAGE_KINDS = {
    "首页（年度列表、进展卡片）": "",
    "报告概览（数字卡片、下载）": "2022/",
    "报告章节（正文中的数字）": "2022/work/political/",
    "全文": "2022/full/",
    "计划首页（进度条、逾期）": "2022/plan/",
    "计划任务（任务表）": "2022/plan/tasks/",
    "党建工作清单（复选框）": "2022/checklists/party-building/",
    "三会一课对标（结论）": "2022/checklists/compliance/",
    "问题整改清单（责任人、整改时限）": "2022/checklists/rectification/",
    "台账（逐月开展情况表）": "records/2022/",
    "台账明细（可左右滚动的表格）": "records/2022/ledger/",
    "数据一览（图表）": "figures/",
    "编辑指南（数据完整性表）": "guide/completeness/",
    "编辑指南（错误示例）": "guide/",
    "党员名册（名册、转接）": "people/2023/",
    "党员教育学时": "people/2022/study/",
    "党费台账（可左右滚动的每人明细）": "people/2022/dues/",
    "党费收缴公示（按季度）": "people/2023/dues-notice/",
    "发展党员（下一步、各步日期）": "people/development/",
    "民主评议和组织生活会": "people/2022/appraisal/",
}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def describe(violations) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations if v["impact"] in BLOCKING]


def test_the_page_kinds_are_pages_of_the_site(nav_walk, nginx_url):
    pages, _ = nav_walk
    reached = {p.url for p in pages}
    assert {nginx_url + path for path in PAGE_KINDS.values()} <= reached


@pytest.mark.parametrize(("palette", "scheme"), [("light", "default"), ("dark", "slate")])
def test_no_serious_or_critical_axe_violation(palette, scheme, browser, nginx_url, axe):
    context = browser.new_context(color_scheme=palette)
    try:
        watch = Watch()
        page = watch.attach(context)
        found = {}
        for kind, path in PAGE_KINDS.items():
            watch.visit(page, nginx_url + path)
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
            bad = describe(axe.run(page).response["violations"])
            if bad:
                found[kind] = bad
        assert found == {}
        assert watch.all_problems() == [] and watch.external == []
    finally:
        context.close()


def test_figures_and_badges_are_in_the_accessibility_tree(browser, nginx_url):
    """Every figure and badge has text a screen reader announces, and it is in the page's a11y tree."""
    context = browser.new_context()
    try:
        page = context.new_page()
        checked = 0
        for path in PAGE_KINDS.values():
            page.goto(nginx_url + path)
            items = page.eval_on_selector_all(
                f".md-content :is({BADGES})",
                """els => els.map(e => ({
                    html: e.outerHTML.slice(0, 120),
                    text: (e.getAttribute('aria-label') || e.innerText || '').trim(),
                    hidden: !!e.closest('[aria-hidden=true]'),
                }))""",
            )
            if not items:
                continue
            tree = page.locator(".md-content").aria_snapshot()
            for item in items:
                checked += 1
                assert item["text"] and not item["hidden"], f"{path}: {item['html']} has no readable text"
                assert item["text"].split("：")[0] in tree, f"{path}: {item['html']} not in the a11y tree"
        assert checked >= 40  # the report's figures and the plan's badges at least
    finally:
        context.close()


# -- narrow screens and wide tables ----------------------------------------------------------------
NARROW = ["2022/plan/", "2022/plan/tasks/", "2022/plan/by-status/", "2022/plan/by-owner/", "2022/plan/reminders/",
          "2022/checklists/rectification/", "records/2022/", "records/2022/ledger/", ""]


def test_no_sideways_scrolling_at_375_px(browser, nginx_url):
    """A phone's width: the page itself never scrolls sideways; a wide table scrolls in its own box."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        wide = {}
        for path in NARROW:
            page.goto(nginx_url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                wide[path] = width
        assert wide == {}
    finally:
        page.close()


def test_the_ledger_tables_scroll_by_keyboard(browser, nginx_url):
    """Every 台账 table wider than its box is in a scroll box that Tab reaches (tabindex), that a screen
    reader names (role=region, aria-label), and that the arrow keys scroll."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        for path in ("records/2022/", "records/2022/ledger/"):
            page.goto(nginx_url + path)
            boxes = page.eval_on_selector_all(".records-scroll", """els => els.map(e => ({
                wide: e.scrollWidth > e.clientWidth + 1, tabindex: e.getAttribute('tabindex'),
                role: e.getAttribute('role'), label: e.getAttribute('aria-label'),
                inner: [...e.querySelectorAll('*')].some(c => c.scrollWidth > c.clientWidth + 1
                    && ['auto', 'scroll'].includes(getComputedStyle(c).overflowX))}))""")
            wide = [b for b in boxes if b["wide"]]
            assert wide, path  # at 375 px the tables are wider than the screen
            for box in wide:
                assert box["tabindex"] == "0" and box["role"] == "region" and "表格可左右滚动" in box["label"]
                assert not box["inner"], path  # the box itself scrolls, not a focusless element inside it
            first = page.locator(".records-scroll").first
            first.focus()
            assert page.evaluate("document.activeElement.classList.contains('records-scroll')")
            for _ in range(3):
                page.keyboard.press("ArrowRight")
            page.wait_for_timeout(300)  # smooth scrolling
            assert page.evaluate("document.activeElement.scrollLeft") > 0, path
    finally:
        page.close()
