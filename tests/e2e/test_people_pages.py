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


def test_dues_page_totals_unpaid_and_marks(browser, served, tmp_path_factory):
    page = browser.new_page()
    page.goto(served + "people/2022/dues/")
    assert page.locator(".people-dues .records-missed").inner_text() == "未交：黄某某（12月）。"
    months = table_rows(page, "月度汇总")
    assert months[0] == ["1月", "10", "986.00", "986.00", "0"] and months[11] == ["12月", "10", "994.00", "952.00", "1"]
    rows = {r[0]: r for r in page.evaluate(
        "[...document.querySelectorAll('.people-dues-grid tbody tr')].map(tr => [...tr.cells].map(c => c.innerText))")}
    assert rows["张某某"][1:4] == ["11200.00", "2%", "224.00"]
    assert rows["杨某某"][4 + 10] == "48.00补" and rows["陈某某"][4 + 11] == "84.00预" and rows["黄某某"][4 + 11] == "未交"
    page.screenshot(path=str(tmp_path_factory.mktemp("shots") / "dues.png"), full_page=True)
    page.close()


def test_dues_notice_prints_a_quarter_per_a4_page(browser, served, tmp_path_factory):
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.fail("没有 pdftotext（apt-get install poppler-utils）")
    path = tmp_path_factory.mktemp("notice") / "notice.pdf"
    page = browser.new_page()
    page.goto(served + "people/2023/dues-notice/")
    page.pdf(path=str(path), prefer_css_page_size=True)
    page.close()
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in out.split("\f") if p.strip()]
    assert [re.search(r"2023年第.季度党费收缴公示", p).group(0) for p in pages] == [
        "2023年第一季度党费收缴公示", "2023年第二季度党费收缴公示", "2023年第三季度党费收缴公示"]
    assert "本季度应交1069.00元，实交961.00元（本季度尚未结束）" in re.sub(r"\s+", "", pages[2])
    assert not any(word in out for word in ("首页", "搜索", "Ctrl"))


def test_development_page_gives_each_persons_next_step(browser, served, tmp_path_factory):
    page = browser.new_page()
    page.goto(served + "people/development/")
    rows = {r[0]: r for r in table_rows(page, "正在发展的")}
    assert [r[1] for r in rows.values()] == ["预备党员", "发展对象", "入党积极分子", "入党申请人"]
    assert rows["冯某某"][4:8] == ["转为正式党员", "2024年6月20日", "—", "未到时间"]
    assert rows["蒋某某"][4:8] == ["党组织派人谈话", "—", "2023年8月12日", "可办理"]
    assert rows["卫某某"][5] == "2024年3月8日" and rows["卫某某"][8] == "2023年9月8日"
    page.screenshot(path=str(tmp_path_factory.mktemp("shots") / "development.png"), full_page=True)
    page.goto(served)
    todo = page.locator(".records-due-list").inner_text()
    assert "发展党员：蒋某某（入党申请人）2023年8月12日前党组织派人谈话" in todo
    assert "党费：7月尚有1名党员未交" in todo
    page.close()


def test_appraisal_page_rates_everyone_and_links_points_to_problems(browser, served, tmp_path_factory):
    page = browser.new_page()
    page.goto(served + "people/2022/appraisal/")
    ratings = table_rows(page, "民主评议党员")
    assert len(ratings) == 10 and ratings[7][1:] == ["黄某某", "0", "4", "6", "0", "基本合格", "—"]
    assert ratings[9][-2:] == ["不参加评定", "长期病假"]
    points = table_rows(page, "组织生活会")
    assert [p[1] for p in points] == ["自我批评", "批评", "自我批评", "批评"]
    assert points[1][5] == "问题三：抓党建工作未形成闭环，狠抓落实、督查督办职能作用发挥不到位（整改中）"
    page.screenshot(path=str(tmp_path_factory.mktemp("shots") / "appraisal.png"), full_page=True)
    page.get_by_role("link", name="问题一：服务意识有待提高，发挥参谋助手能力有待加强").click()
    page.wait_for_load_state()
    assert page.url.endswith("2022/checklists/rectification/#problem-p1")
    page.close()


def all_names() -> set[str]:
    names = roster_names()
    return names | {p["name"] for p in yaml.safe_load((ROOT / "data/people/development.yaml").read_text("utf-8"))["people"]}


def all_amounts() -> set[str]:
    """Every 党费 base and amount the full build shows, as it shows them (216.00; a base also as typed, 11200):
    each cell's base, due and paid, each member's and each month's totals, each quarter's totals."""
    from decimal import Decimal

    from macros.core.load import load_site
    from macros.core.people import dues as dues_mod

    data = load_site(ROOT)
    found: set[Decimal] = set()
    for year, dues in data.people.dues.items():
        rows = dues_mod.ledger(data.records[year].roster, dues, data.people.dues_rules)
        for r in rows:
            found |= {r.due, r.paid}
            for c in r.cells:
                found |= {v for v in (c.base, c.due, c.paid) if v is not None}
        for t in dues_mod.totals(rows):
            found |= {t.due, t.paid}
        for q in range(4):
            months = range(3 * q, 3 * q + 3)
            found |= {sum((r.cells[m].paid for r in rows for m in months), Decimal(0)),
                      sum((r.cells[m].due or Decimal(0) for r in rows for m in months if r.cells[m].owed), Decimal(0))}
            found |= {sum((r.cells[m].paid for m in months), Decimal(0)) for r in rows}
        found |= {b.amount for b in dues.bases}
        found |= {sum((r.due for r in rows), Decimal(0)), sum((r.paid for r in rows), Decimal(0))}
    shown = {f"{v:.2f}" for v in found if v > 0}
    return shown | {f"{v:.0f}" for v in found if v >= 1000 and v == v.to_integral_value()}


def leaks(site, names: set[str], amounts: set[str]) -> list[tuple[str, str]]:
    """(file, what) for every name or amount in the site's pages, search index and downloads (.xlsx, .docx,
    .txt): names outside the 编辑指南 (whose examples use the sample's placeholder names), amounts anywhere."""
    import zipfile

    amount = re.compile(r"(?<![\d.])(" + "|".join(re.escape(a) for a in sorted(amounts, key=len, reverse=True))
                        + r")(?!\d|\.\d)")
    found = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix in (".html", ".txt"):
            texts = [path.read_text("utf-8")]
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as zipped:
                texts = [zipped.read(n).decode("utf-8") for n in zipped.namelist() if n.endswith(".xml")]
        elif rel == "search/search_index.json":
            docs = json.loads(path.read_text("utf-8"))["docs"]
            found += [(f"{rel}#{d['location']}", m.group(1)) for d in docs for m in amount.finditer(d["text"])]
            texts = [json.dumps([d for d in docs if not d["location"].startswith("guide/")], ensure_ascii=False)]
            found += [(rel, n) for n in names if n in texts[0]]
            continue
        else:
            continue
        for text in texts:
            found += [(rel, m.group(1)) for m in amount.finditer(text)]
            if not rel.startswith("guide/"):
                found += [(rel, n) for n in names if n in text]
    return found


def test_the_scan_finds_names_and_amounts_where_the_full_build_shows_them(site):
    names, amounts = all_names(), all_amounts()
    assert {"224.00", "986.00", "11200"} <= amounts and len(names) >= 15
    found = leaks(site, names, amounts)
    assert {"people/2022/dues/index.html", "records/2022/ledger-2022.xlsx"} <= {f for f, _ in found}
    assert ("people/2022/dues/index.html", "11200.00") in found and ("people/2023/index.html", "冯某某") in found


def test_redacted_and_offline_copies_show_no_name_base_or_amount_anywhere(site_redacted, site_offline):
    names, amounts = all_names(), all_amounts()
    for site in (site_redacted, site_offline):
        assert len(list((site / "people").rglob("*.html"))) >= 9
        assert leaks(site, names, amounts) == [], site


def test_no_amount_reaches_the_search_index_of_any_build(site, site_redacted):
    amounts = all_amounts()
    for built in (site, site_redacted):
        docs = json.loads((built / "search/search_index.json").read_text("utf-8"))["docs"]
        assert not [(d["location"], a) for d in docs for a in amounts if re.search(
            r"(?<![\d.])" + re.escape(a) + r"(?!\d|\.\d)", d["text"])]


def test_no_people_page_reaches_the_search_index(site):
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("people/")]
    text = json.dumps(index, ensure_ascii=False)
    assert not [n for n in roster_names() if n in text]
