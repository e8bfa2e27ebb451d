"""Accessibility in Chromium behind nginx: axe-core on every nav page in both palettes, and figures and
status badges that a screen reader can read (text in the accessibility tree, not colour alone).

axe-core comes inside the axe-playwright-python package (axe.min.js, injected with page.evaluate):
no request leaves the machine, which the Watch checks while axe runs.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_walk import Watch

BLOCKING = {"serious", "critical"}
# Figures, the 最新 badge, and any status badge other pages render (checklists, plan).
BADGES = ".fig, .year-latest, [class*='badge'], [class*='status'], [data-status]"


@pytest.fixture(scope="module")
def axe():
    return Axe()


def describe(violations) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("palette, scheme", [("light", "default"), ("dark", "slate")])
def test_no_serious_or_critical_axe_violation(palette, scheme, browser, nav_walk, axe):
    pages, _ = nav_walk
    context = browser.new_context(color_scheme=palette)
    try:
        watch = Watch()
        page = watch.attach(context)
        found = {}
        for visited in pages:
            watch.visit(page, visited.url)
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
            results = axe.run(page)
            bad = describe(results.response["violations"])
            if bad:
                found[visited.url] = bad
        assert found == {}
        assert watch.all_problems() == [] and watch.external == []
    finally:
        context.close()


def test_pages_declare_chinese(nav_walk):
    pages, _ = nav_walk
    assert {p.lang for p in pages} == {"zh"}


def test_figures_and_badges_are_in_the_accessibility_tree(browser, nav_walk):
    """Every figure and badge has text a screen reader announces, and it is in the page's a11y tree."""
    pages, _ = nav_walk
    context = browser.new_context()
    try:
        page = context.new_page()
        checked = 0
        for visited in pages:
            page.goto(visited.url)
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
                assert item["text"] and not item["hidden"], f"{visited.url}: {item['html']} has no readable text"
                assert item["text"].split("：")[0] in tree, f"{visited.url}: {item['html']} not in the a11y tree"
        assert checked >= 20  # the report's figures at least
    finally:
        context.close()
