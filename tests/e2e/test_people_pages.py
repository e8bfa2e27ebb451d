"""The people's pages (issue 24) in Chromium: each page kind opened from the real site, its tables read
back; the redacted build and the offline copy show no member's name (nor any 党费 base or amount), and
no people page reaches the search index."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from helpers.files import ROOT

pytestmark = pytest.mark.e2e


def roster_names() -> set[str]:
    names = set()
    for path in (ROOT / "data/records").glob("*/roster.yaml"):
        names |= {m["name"] for m in yaml.safe_load(path.read_text("utf-8"))["members"]}
    return names


def table_rows(page, heading: str) -> list[list[str]]:
    """The body rows of the first table after the h2 with this text."""
    return page.evaluate(
        """(heading) => {
          const h = [...document.querySelectorAll('h2')].find(e => e.textContent.trim() === heading);
          let el = h.nextElementSibling;
          while (el && !el.querySelector('table')) el = el.nextElementSibling;
          return [...el.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(td => td.innerText.trim()));
        }""",
        heading,
    )


def test_roster_page_lists_members_groups_and_transfers(browser, served, tmp_path_factory):
    page = browser.new_page()
    page.goto(served + "people/2023/")
    intro = page.locator(".people-roster .records-intro").inner_text()
    assert "2023年初本支部有党员10名（正式党员10名、预备党员0名）" in intro
    assert "本年转入1名、转出1名" in intro
    assert table_rows(page, "党小组") == [["第一党小组", "刘某某", "6"], ["第二党小组", "杨某某", "5"]]
    members = {row[1]: row for row in table_rows(page, "党员")}
    assert members["冯某某"][4:] == ["预备", "2023年6月20日", "—", "6月20日接收为预备党员"]
    assert members["吴某某"][-1] == "6月30日转出" and members["郑某某"][-1] == "4月3日转入"
    assert table_rows(page, "组织关系转接和党员类别变动") == [
        ["2023年4月3日", "转入", "郑某某", "某某局机关第二党支部"],
        ["2023年6月20日", "接收为预备党员", "冯某某", "—"],
        ["2023年6月30日", "转出", "吴某某", "某某区某某街道某某社区党委"],
    ]
    shot = tmp_path_factory.mktemp("shots") / "roster.png"
    page.screenshot(path=str(shot), full_page=True)
    page.close()


def test_study_page_lists_who_is_short_of_the_years_hours(browser, served, tmp_path_factory):
    page = browser.new_page()
    page.goto(served + "people/2022/study/")
    assert "党员每人不少于32学时，支部委员不少于56学时" in page.locator(".people-study .records-intro").inner_text()
    assert table_rows(page, "尚未达到要求") == [["赵某某", "纪检委员", "56", "49", "7"]]
    rows = table_rows(page, "全体党员")
    assert len(rows) == 10 and rows[0][1:7] == ["张某某", "书记", "56", "37", "24", "61"]
    page.screenshot(path=str(tmp_path_factory.mktemp("shots") / "study.png"), full_page=True)
    page.close()


def test_people_pages_carry_no_name_in_the_redacted_and_offline_copies(site_redacted, site_offline):
    names = roster_names()
    for site in (site_redacted, site_offline):
        pages = list((site / "people").rglob("*.html"))
        assert len(pages) >= 3
        for path in pages:
            text = path.read_text("utf-8")
            assert not [n for n in names if n in text], path
            assert not re.search(r"\d+\.\d\d\s*元", text), path  # no 党费 amount


def test_no_people_page_reaches_the_search_index(site):
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("people/")]
    text = json.dumps(index, ensure_ascii=False)
    assert not [n for n in roster_names() if n in text]
