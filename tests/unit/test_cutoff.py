"""Issue 22, points 3 and 4: the 台账 counts to the year's 统计截至 date (cut-off), and a meeting
held for a year (组织生活会, 民主评议党员: 年度, `for_year`) counts for that year, on every page that
counts it: the grid and its totals, 对标, checklist ticks, derived figures, 谈心谈话, 本月待办."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from helpers.files import ROOT, data_copy, edit, line_of, make_project, problems, unissued
from openpyxl import load_workbook

from macros.commands import records_import
from macros.core.compliance import MET, NOT_MET
from macros.core.load import load_site
from macros.core.records import ledger
from macros.core.records import model as rec
from macros.exports import ledger_xlsx
from macros.pages.context import BuildContext, Here
from macros.pages.records import macros as records_macros

COMMITTEE = ("type: committee_meeting\ndate: {day}\ntopic: 研究工作\nhost: 张某某\nrecorder: 李某某\n"
             "evidence: 会议记录本\n")
LIFE = "type: life_meeting\ndate: {day}\n{extra}topic: {year}年度组织生活会\nhost: 张某某\nrecorder: 李某某\nevidence: 会议记录\n"
TALK = "type: heart_talk\ndate: {day}\ntopic: 谈心\nhost: 张某某\npeople: [张某某, 李某某]\nevidence: 谈话记录\n"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return data_copy(tmp_path_factory.mktemp("sample"))


@pytest.fixture()
def copy(tmp_path) -> Path:
    return data_copy(tmp_path / "p")


def html(data, root: Path, name: str, page: str) -> str:
    return str(records_macros(data, root / "docs")[name](Here(page, BuildContext())))


def committee_row(records):
    return next(r for r in ledger.grid(records) if r.type.key == "committee_meeting")


# -- 3. the cut-off ------------------------------------------------------------------------------

def test_the_2023_ledger_is_cut_off_at_the_2022_reports_as_of(sample):
    records = load_site(sample, sample / "docs").records
    assert records[2023].cutoff == date(2023, 7, 31) and records[2023].cutoff_given  # the report that planned it
    assert records[2022].cutoff == date(2023, 7, 31)  # the 2022 report's own


def test_an_august_committee_meeting_after_the_cut_off_does_not_hide_the_missed_july(copy):
    before = load_site(copy, copy / "docs")
    total = len(before.records[2023].items)
    (copy / "data/records/2023/2023-08-08-committee_meeting.yaml").write_text(
        COMMITTEE.format(day="2023-08-08"), "utf-8")
    (copy / "data/records/2023/2023-08-09-heart_talk.yaml").write_text(TALK.format(day="2023-08-09"), "utf-8")
    data = load_site(copy, copy / "docs")
    records = data.records[2023]
    assert len(records.items) == total and len(records.after_cutoff) == 2

    row = committee_row(records)
    july, august = row.periods[6], row.periods[7]
    assert (july.state, august.state) == (ledger.MISSED, ledger.NOT_DUE)  # not 待开展, not held
    assert (row.held, row.due) == (6, 7)  # not 7/7

    overview = html(data, copy, "records_overview", "records/2023/index.md")
    assert f"2023年共记录活动{total}次，统计截至2023年7月31日。另有2条记录在统计截至日期之后，未计入。" in overview
    assert "支部委员会会议 7月" in overview  # named in 未达标
    assert ">6/7<" in overview
    ledger_page = html(data, copy, "records_ledger", "records/2023/ledger.md")
    assert "另有1条记录在统计截至日期（2023年7月31日）之后，未计入。" in ledger_page
    talks = html(data, copy, "records_talks", "records/2023/index.md")
    assert "另有1次在统计截至日期之后，未计入" in talks
    assert ledger.heart_coverage(records).held == ledger.heart_coverage(before.records[2023]).held
    home = html(data, copy, "this_month", "index.md")
    assert "支部委员会会议：2023年7月尚未开展" in home  # the as-of month: missed, still listed
    assert "另有2条台账记录在统计截至日期之后，未计入" in home
    printed = html(data, copy, "records_print", "records/2023/print.md")
    assert "表中只列统计截至2023年7月31日的记录，另有2条记录在统计截至日期之后，未列入。" in printed
    years = html(data, copy, "records_years", "records/index.md")
    assert "另有2条在统计截至日期之后、未计入" in years

    # the 2023 清单 (data/2022/checklist.yaml) ticks from the same records: 6 months, July missed
    item = next(i for i in data.loops.years[2022].checklist.items if i.activity == "committee_meeting")
    assert item.tick.text == "已开展6/12个月，7月未开展"

    workbook = copy / "ledger.xlsx"
    ledger_xlsx.write_ledger(records, workbook, "党支部")
    sheet = load_workbook(workbook)["支部委员会会议"]
    assert date(2023, 8, 8) not in [c.value.date() for c in sheet["B"][3:] if c.value]  # under title, branch, headings
    readme = "\n".join(str(c.value) for c in load_workbook(workbook)["说明"]["A"] if c.value)
    assert "另有 2 条记录在统计截至日期之后" in readme


def test_derived_figures_count_only_to_the_cut_off(copy):
    unissued(copy)  # an issued year would refuse the changed counts (tests/unit/test_issued.py)
    full = load_site(copy, copy / "docs").years[2022].values["branch.committee_meetings"]
    edit(copy / "data/2022/report.yaml", "as_of: 2023-07-31", "as_of: 2022-11-30")
    data = load_site(copy, copy / "docs")
    december = [r for r in data.records[2022].after_cutoff if r.type == "committee_meeting"]
    assert [r.date for r in december] == [date(2022, 12, 8)]
    assert data.years[2022].values["branch.committee_meetings"] == full - 1
    row = committee_row(data.records[2022])
    assert row.periods[11].state == ledger.NOT_DUE and row.periods[10].state == ledger.HELD


def test_the_cut_off_day_closes_its_period():
    """统计截至7月31日 counts July to its end: a July with nothing is missed."""
    july = (date(2023, 7, 1), date(2023, 7, 31))
    assert ledger.state_of(*july, False, date(2023, 7, 31)) == ledger.MISSED
    assert ledger.state_of(*july, False, date(2023, 7, 30)) == ledger.CURRENT


# -- 4. the year a meeting is held for -------------------------------------------------------------

def test_a_2022_life_meeting_held_in_2023_counts_for_2022_not_2023(sample):
    data = load_site(sample, sample / "docs")
    life = [r for r in data.records[2022].items if r.type == "life_meeting"]
    assert [(r.date, r.for_year) for r in life] == [(date(2023, 2, 10), 2022)]
    grid_2022 = {r.type.key: r for r in ledger.grid(data.records[2022])}
    assert grid_2022["life_meeting"].periods[0].state == ledger.HELD
    assert grid_2022["appraisal"].periods[0].state == ledger.HELD
    grid_2023 = {r.type.key: r for r in ledger.grid(data.records[2023])}
    assert grid_2023["life_meeting"].periods[0].state == ledger.CURRENT  # not yet held for 2023 on 7月31日
    verdicts = {r.rule.id: r.verdict for r in data.loops.years[2022].results}
    assert verdicts["organisational_life"] == MET and verdicts["democratic_appraisal"] == MET
    c14 = next(i for i in data.loops.years[2022].checklist.items if i.id == "c14")  # the 2023 清单
    assert c14.status == "未开始"  # agrees with the 2023 grid
    overview = html(data, sample, "records_overview", "records/2022/index.md")
    assert "2022年度：已开展（2023年2月10日）" in overview


def test_a_2021_meeting_held_in_january_2022_counts_for_2021_not_2022(copy):
    folder = copy / "data/records/2022"
    for name in ("2023-02-10-life_meeting.yaml", "2023-02-10-appraisal.yaml"):
        (folder / name).unlink()
    (copy / "data/people/2022/appraisal.yaml").unlink()  # the results of the meetings just removed
    older = copy / "data/records/2021"
    older.mkdir()
    shutil.copy(folder / "roster.yaml", older / "roster.yaml")
    (older / "2022-01-25-life_meeting.yaml").write_text(
        LIFE.format(day="2022-01-25", extra="for_year: 2021\n", year=2021), "utf-8")
    data = load_site(copy, copy / "docs")
    verdicts = {r.rule.id: r for r in data.loops.years[2022].results}
    assert verdicts["organisational_life"].verdict == NOT_MET  # the 2021年度 meeting does not count for 2022
    assert {r.type.key: r for r in ledger.grid(data.records[2021])}["life_meeting"].held == 1


def test_for_year_must_match_the_folder_and_only_a_type_held_for_a_year_has_one(copy):
    folder = copy / "data/records/2022"
    late = folder / "2023-02-10-life_meeting.yaml"
    edit(late, "for_year: 2022\n", "")
    wrong = folder / "2022-01-25-life_meeting.yaml"
    wrong.write_text(LIFE.format(day="2022-01-25", extra="for_year: 2021\n", year=2021), "utf-8")
    meeting = folder / "2022-03-08-committee_meeting.yaml"
    edit(meeting, "date: 2022-03-08\n", "date: 2022-03-08\nfor_year: 2022\n")
    found = problems(copy)
    assert (f"data/records/2022/2023-02-10-life_meeting.yaml:{line_of(late, 'date:')}: 日期 2023-02-10 不在 2022 年内；"
            "若这是2022年度的组织生活会（次年召开），请写 for_year: 2022；否则应放在 data/records/2023/") in found
    assert ("data/records/2022/2022-01-25-life_meeting.yaml:3: 年度 for_year: 2021 与所在文件夹不一致："
            "2021年度的组织生活会记在 data/records/2021/ 中") in found
    assert any(m.startswith(f"data/records/2022/2022-03-08-committee_meeting.yaml:{line_of(meeting, 'for_year')}: "
                            "支部委员会会议按召开日期计入当年，不写年度 for_year") for m in found)


# -- 4. the 年度 column of the template and import --------------------------------------------------

LIFE_TYPES = "  life_meeting: {name: 组织生活会, frequency: year, attendance: members, held_for_year: true}\n"


@pytest.fixture()
def project(tmp_path) -> Path:
    root = make_project(tmp_path / "project")
    (root / "data/activity_types.yaml").write_text(
        (root / "data/activity_types.yaml").read_text("utf-8") + LIFE_TYPES, "utf-8")
    return root


def _workbook(root: Path, tmp: Path, rows: list[list]) -> Path:
    errors: list = []
    records = rec.load_records(root, 2022, rec.load_types(root, errors), errors)
    out = tmp / "模板.xlsx"
    ledger_xlsx.write_template(records, out, "测试党支部")
    wb = load_workbook(out)
    sheet = wb["组织生活会"]
    assert [c.value for c in sheet[1]][:3] == ["日期", "年度", "议题/主题"]
    checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert checks["A2:A301"].formula2 == "DATE(2023,12,31)" and checks["B2:B301"].formula1 == "2022"
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    filled = tmp / "填好.xlsx"
    wb.save(filled)
    return filled


def test_the_import_writes_the_year_a_meeting_is_held_for(project, tmp_path):
    filled = _workbook(project, tmp_path, [
        ["2023-02-10", 2022, "2022年度组织生活会", "张某某", "李某某", None, None, "会议记录"],
        ["2022-12-20", 2022, "2022年度组织生活会（补充）", "张某某", "李某某", None, None, "会议记录"],
    ])
    result = records_import.import_workbook(project, filled, 2022)
    assert result.errors == []
    written = (rec.records_dir(project, 2022) / "2023-02-10-life_meeting.yaml").read_text("utf-8")
    assert "date: 2023-02-10\nfor_year: 2022\n" in written
    same_year = (rec.records_dir(project, 2022) / "2022-12-20-life_meeting.yaml").read_text("utf-8")
    assert "for_year" not in same_year  # the date's own year: nothing to say


def test_the_import_refuses_a_next_year_date_without_the_years_column_or_with_another_year(project, tmp_path):
    filled = _workbook(project, tmp_path, [
        ["2023-02-10", None, "组织生活会", "张某某", "李某某", None, None, "会议记录"],
        ["2023-02-11", 2023, "2023年度组织生活会", "张某某", "李某某", None, None, "会议记录"],
        ["2023-02-12", 2021, "组织生活会", "张某某", "李某某", None, None, "会议记录"],
    ])
    result = records_import.import_workbook(project, filled, 2022)
    assert ("填好.xlsx 组织生活会 第2行：日期“2023-02-10”不在 2022 年内（这是 2022 年的台账；"
            "2023 年的记录请用 2023 年的模板导入）") in result.errors
    assert ("填好.xlsx 组织生活会 第3行：年度“2023”不是本表的 2022 年：2023年度的组织生活会填在 2023 年的台账表中"
            in result.errors)
    assert "填好.xlsx 组织生活会 第4行：年度“2021”应为日期所在的 2023 年或上一年 2022 年" in result.errors
    assert not (rec.records_dir(project, 2022) / "2023-02-10-life_meeting.yaml").exists()


def test_the_real_activity_types_mark_life_meeting_and_appraisal_as_held_for_a_year():
    types = rec.load_types(ROOT, [])
    assert {k for k, t in types.items() if t.held_for_year} == {"life_meeting", "appraisal"}
