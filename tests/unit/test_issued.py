"""Issued is issued (macros/core/issued.py, macros/commands/issue.py, macros/pages/issued.py): an issued
year keeps the figures it was issued with; late records and corrections are site notes beside it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from helpers.files import LATE_THEME_DAY, ROOT, data_copy, edit, line_of, load_errors
from helpers.render import here, plain

from macros.commands import issue
from macros.core.errors import Refusal
from macros.core.issued import text_digest
from macros.core.load import load_site
from macros.core.redact import masked_data
from macros.exports.report_files import issued_text_problem
from macros.pages import issued as issued_pages
from macros.pages.records import RecordsRenderer

ISSUED = "data/2022/issued.yaml"


def text(html) -> str:
    """What a reader reads of a macro's HTML: tags dropped, a <br> as a space."""
    return re.sub(r"<[^>]+>", "", plain(str(html).replace("<br>", " ")))


def late_record(root, text=LATE_THEME_DAY, name="2022-08-25-theme_day.yaml"):
    (root / "data/records/2022" / name).write_text(text, "utf-8")


def test_the_seed_2022_report_is_issued_on_its_signature_date_with_the_figures_it_shows():
    issued = yaml.safe_load((ROOT / ISSUED).read_text("utf-8"))
    report = yaml.safe_load((ROOT / "data/2022/report.yaml").read_text("utf-8"))
    assert issued["issued"] == report["date"] == dt.date(2023, 1, 10)
    site = load_site(ROOT)
    year = site.years[2022]
    assert year.issued.date == dt.date(2023, 1, 10) and year.drift == [] and year.issued.corrections == ()
    frozen = {key: year.values[key] for key in issued["figures"]}
    assert issued["figures"] == frozen == {key: year.current[key] for key in frozen}  # the counted ones included
    # figures added to the catalogue after the issue (counted from the roster) are not in the issued
    # report: its text does not use them (text_sha256 holds that), the site shows what the roster says
    assert set(year.values) - set(issued["figures"]) == {"members.total", "members.admitted"}
    assert issued["figures"]["theme_day.activities"] == 9 and site.figures["theme_day.activities"].derived
    assert len(issued["text_sha256"]) == 64


def test_a_late_record_leaves_the_issued_figure_and_makes_a_site_note(tmp_path):
    root = data_copy(tmp_path / "p")
    late_record(root)
    site = load_site(root)
    year = site.years[2022]
    assert year.values["theme_day.activities"] == 9  # the issued report's number
    assert year.current["theme_day.activities"] == 10  # what the 台账 counts now
    [drift] = year.drift
    assert (drift.key, drift.issued, drift.now, [r.date for r in drift.late]) == (
        "theme_day.activities", 9, 10, [dt.date(2022, 8, 25)])
    note = text(issued_pages.note(site, here("2022/work/standards.md")))
    assert "本报告已于2023年1月10日印发" in note
    assert "全年组织主题党日活动次数：印发的报告为9次，台账现记录10次（印发后补录1条：8月25日主题党日）" in note
    assert "2022年台账明细" in note
    # on the pages that use the figure, the overview and the 全文's note; not on a page without it
    assert issued_pages.page_items(site, "2022/work/standards.md") is not None
    assert issued_pages.page_items(site, "2022/index.md") is not None
    assert issued_pages.page_items(site, "2022/work/political.md") is None
    assert issued_pages.page_items(site, "2022/full.md") is None  # report_marks carries it there
    placed = issued_pages.place(site, "2022/work/standards.md", "# （二）标题\n\n正文\n")
    assert placed.splitlines()[:3] == ["# （二）标题", "", ""] and "{{ issued_note() }}" in placed


def test_the_ledger_lists_a_late_record_as_entered_after_the_issue(tmp_path):
    root = data_copy(tmp_path / "p")
    late_record(root)
    site = load_site(root)
    records = site.records[2022]
    assert [r.late_label for r in records.late] == ["印发后补录（2023年8月1日）"]
    renderer = RecordsRenderer(site, root / "docs", dt.date(2023, 7, 31), True)
    ledger = text(renderer.ledger(here("records/2022/ledger.md")))
    assert "8月25日 印发后补录（2023年8月1日）参观红色教育基地" in ledger
    overview = text(renderer.overview(here("records/2022/index.md")))
    assert "其中1次是2022年度报告印发后补录的，不计入印发的报告" in overview


def test_a_record_added_without_late_stops_the_build_naming_the_issued_figure(tmp_path):
    root = data_copy(tmp_path / "p")
    late_record(root, LATE_THEME_DAY.replace("late: 2023-08-01\n", ""))
    n = line_of(root / ISSUED, "  theme_day.activities:")
    assert load_errors(root)[0] == (
        f"{ISSUED}:{n}: 全年组织主题党日活动次数 (theme_day.activities)：2022 年度报告已于2023年1月10日印发，"
        "印发时为9次，台账现在（不计印发后补录）为10次；印发后补录的记录请加 late: 补录日期；确需更正，在 "
        f"{ISSUED} 的 corrections 中写明 date、key: theme_day.activities、to 和 why（见编辑指南“印发与更正”）"
    )


def test_late_is_only_for_an_issued_year_and_after_its_issue(tmp_path):
    root = data_copy(tmp_path / "p")
    late_record(root, LATE_THEME_DAY.replace("late: 2023-08-01", "late: 2022-12-30"))
    (root / "data/records/2023/2023-08-25-theme_day.yaml").write_text(
        LATE_THEME_DAY.replace("2022-08-25", "2023-08-25"), "utf-8")
    lines = load_errors(root)
    assert "data/records/2022/2022-08-25-theme_day.yaml:8: 补录日期 2022-12-30 早于 2022 年度报告的印发日期 " \
           "2023-01-10；印发后补录的记录写补录当天的日期" in lines
    assert "data/records/2023/2023-08-25-theme_day.yaml:8: 2023 年度报告尚未印发，记录不必标“印发后补录”（late）；" \
           "请删去 late 一行" in lines


def test_changing_a_typed_figure_of_an_issued_year_stops_the_build_in_one_line(tmp_path):
    root = data_copy(tmp_path / "p", records=False)
    edit(root / "data/2022/figures.yaml", "docs.plans: 36", "docs.plans: 37")
    n = line_of(root / "data/2022/figures.yaml", "docs.plans:")
    assert load_errors(root) == [
        f"data/2022/figures.yaml:{n}: 拟制方案、计划、安排件数 (docs.plans)：2022 年度报告已于2023年1月10日印发，"
        f"印发时为36件，这里改成了37件；印发的报告不能改动：确需更正，在 {ISSUED} 的 corrections 中写明 date、"
        "key: docs.plans、to 和 why（见编辑指南“印发与更正”）；否则改回36",
        "发现 1 处数据错误，已停止构建，网站未更新。",
    ]


def test_a_correction_keeps_the_issued_text_and_is_shown_beside_it(tmp_path):
    root = data_copy(tmp_path / "p", records=False)
    edit(root / "data/2022/figures.yaml", "docs.plans: 36", "docs.plans: 37")
    edit(root / ISSUED, "corrections: []", "corrections:\n"
         "  - {date: 2023-03-01, key: docs.plans, to: 37, why: 印发稿笔误，应为37件}\n"
         "  - {date: 2023-03-02, what: 第二部分“巡视工作整治”应为“巡视整改”, why: 用语不规范}")
    site = load_site(root)
    assert site.years[2022].values["docs.plans"] == 36 and site.years[2022].current["docs.plans"] == 37
    political = text(issued_pages.note(site, here("2022/work/political.md")))
    assert "更正（2023年3月1日）：拟制方案、计划、安排件数由36件更正为37件。原因：印发稿笔误，应为37件" in political
    assert "巡视整改" not in political  # a wording correction: on the 全文 and the overview
    everything = text(issued_pages.note(site, here("2022/full.md"), 2022))
    assert "更正（2023年3月2日）：第二部分“巡视工作整治”应为“巡视整改”。原因：用语不规范" in everything
    # the 脱敏 build shows masks, never the corrected number
    masked = text(issued_pages.note(masked_data(site), here("2022/work/political.md")))
    assert "由**件更正为**件。原因：印发稿笔误，应为**件" in masked and "37" not in masked


def test_a_correction_must_say_what_and_come_after_the_issue(tmp_path):
    root = data_copy(tmp_path / "p", records=False)
    edit(root / ISSUED, "corrections: []", "corrections:\n  - {date: 2022-12-01, why: 无}\n"
         "  - {date: 2023-03-01, key: docs.plan, to: 3, why: 无}")
    n = line_of(root / ISSUED, "corrections:")
    assert load_errors(root)[:3] == [
        f"{ISSUED}:{n + 1}: 更正日期 2022-12-01 早于印发日期 2023-01-10",
        f"{ISSUED}:{n + 1}: 更正应写明更正了什么：一个数字写 key 与 to，文字写 what",
        f"{ISSUED}:{n + 2}: 更正的数据项 docs.plan 不在 data/catalogue.yaml 中；是否是 docs.plans？",
    ]


def test_the_issued_text_is_checked_against_its_hash():
    class Issued:
        year, date, path = 2022, dt.date(2023, 1, 10), ISSUED
        text_sha256 = text_digest(["标题", "正文。", "某支部", "2023年1月10日"])

    page = ('<article><h1>标题</h1><div class="report-body"><p>正文。</p></div>'
            '<div class="report-signature"><p>某支部</p><p>2023年1月10日</p></div></article>')
    assert issued_text_problem(2022, page, Issued) is None
    assert issued_text_problem(2022, page, None) is None
    problem = issued_text_problem(2022, page.replace("正文。", "正文！"), Issued)
    assert problem.startswith("docs/2022/full.md：2022 年度报告已于2023年1月10日印发，全文（标题、正文、落款）与印发时不同")


# -- make issue ----------------------------------------------------------------------------------
def test_make_issue_refuses_an_issued_year():
    with pytest.raises(Refusal, match="data/2022/issued.yaml 已存在：2022 年度报告已经印发"):
        issue.issue(ROOT, 2022, build=lambda root, year: pytest.fail("no build"))


def test_make_issue_writes_the_figures_and_the_text_hash_after_the_checks(tmp_path):
    root = data_copy(tmp_path / "p")
    original = (root / ISSUED).read_text("utf-8")
    (root / ISSUED).unlink()
    page = (ROOT / "tests/fixtures/seed_2022.txt").read_text("utf-8")  # any 全文 page: its digest is kept
    html = f'<article><h1>题</h1><div class="report-body"><p>{page.splitlines()[0]}</p></div></article>'
    with pytest.raises(Refusal, match="印发日期 2023-01-09 早于落款日期 2023-01-10"):
        issue.issue(root, 2022, dt.date(2023, 1, 9), build=lambda r, y: html)
    lines = issue.issue(root, 2022, dt.date(2023, 1, 10), build=lambda r, y: html, today=dt.date(2023, 1, 10))
    assert lines[0] == "已标记 2022 年度报告印发（2023年1月10日）：data/2022/issued.yaml"
    written = (root / ISSUED).read_text("utf-8")
    strip = [line for line in written.splitlines() if not line.startswith("text_sha256")]
    added = ["  members.total: 10  # 党员人数（年末）（名）", "  members.admitted: 0  # 发展党员数（年内接收预备党员）（名）"]
    assert [line for line in strip if line not in added] == [
        line for line in original.splitlines() if not line.startswith("text_sha256")]
    assert all(line in strip for line in added)  # issued today, the roster's counts are kept too
    assert f"text_sha256: {text_digest(['题', page.splitlines()[0]])}" in written
    assert load_site(root).years[2022].issued is not None


def test_make_issue_stops_on_unfilled_data_and_writes_nothing(tmp_path):
    root = data_copy(tmp_path / "p")
    (root / ISSUED).unlink()
    edit(root / "data/2022/figures.yaml", "docs.plans: 36", "docs.plans: 待填")
    with pytest.raises(Refusal) as caught:
        issue.issue(root, 2022, dt.date(2023, 1, 10), build=lambda r, y: pytest.fail("no build"))
    assert "拟制方案、计划、安排件数 (docs.plans)：待填" in str(caught.value)
    assert str(caught.value).splitlines()[-1] == "1 个数据项待填，没有标记印发。"
    assert not (root / ISSUED).exists()


# -- sample marks follow the data ------------------------------------------------------------------
def test_the_roster_says_whether_a_years_records_are_sample(tmp_path):
    root = data_copy(tmp_path / "p")
    site = load_site(root)
    assert site.records[2022].sample and site.records[2023].sample  # the seed's 台账 is made up
    renderer = RecordsRenderer(site, root / "docs", dt.date(2023, 7, 31), True)
    assert "2023年台账为示例数据，人员和活动均为虚构" in text(renderer.ledger(here("records/2023/ledger.md")))
    assert "本年度台账为示例数据" in text(renderer.overview(here("records/2023/index.md")))
    edit(root / "data/records/2023/roster.yaml", "sample: true", "sample: false")
    site = load_site(root)
    assert not site.records[2023].sample and site.records[2022].sample
    renderer = RecordsRenderer(site, root / "docs", dt.date(2023, 7, 31), True)
    assert "示例数据" not in text(renderer.ledger(here("records/2023/ledger.md")))


def test_the_printed_ledger_marks_a_late_record_too(tmp_path):
    from macros.core.records.columns import ledger_tables

    root = data_copy(tmp_path / "p")
    late_record(root)
    [table] = [t for t in ledger_tables(load_site(root).records[2022]) if t.key == "theme_day"]
    dates = [row[table.headings.index("日期")] for row in table.rows]
    assert "8月25日 印发后补录（2023年8月1日）" in dates and "7月25日" in dates


def test_a_roster_figure_of_an_issued_year_stays_as_issued_and_a_roster_change_is_a_site_note(tmp_path):
    root = data_copy(tmp_path / "p")
    edit(root / ISSUED, "  plan.plenum_session:", "  members.total: 10\n  plan.plenum_session:")
    site = load_site(root)
    assert site.years[2022].values["members.total"] == 10 and site.years[2022].drift == []
    roster = root / "data/records/2022/roster.yaml"
    edit(roster, "{name: 黄某某, role: 党员, group: 第二党小组, status: 正式}",
         "{name: 黄某某, role: 党员, group: 第二党小组, status: 正式, moved_out: {date: 2022-12-20, to: 某某局党支部}}")
    site = load_site(root)
    year = site.years[2022]
    assert (year.values["members.total"], year.current["members.total"]) == (10, 9)
    [drift] = year.drift
    assert (drift.key, drift.issued, drift.now, drift.roster) == ("members.total", 10, 9, True)
    note = text(issued_pages.note(site, here("2022/index.md")))
    assert "党员人数（年末）：印发的报告为10名，党员名册现记录9名（名册在印发后有改动）" in note
    assert "台账明细" not in note  # no late records to look at
