"""党员名册 with history (issue 24.1) and who chairs and records (issue 22.6): the dated roster, 应到 and
谈心谈话 pairs from it, the roster's checks, and the chair rules as data, at build and at import."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers.files import make_project
from helpers.people import TYPES, meeting
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from macros.commands import records_import, records_xlsx
from macros.core.people import roster as people
from macros.core.people.dates import add_months, months_between
from macros.core.people.roster import Member, Transfer
from macros.core.records import ledger
from macros.core.records import model as rec

ROSTER = """groups:
  - {name: 第一党小组, leader: 李某某}
  - {name: 第二党小组, leader: 赵某某}
members:
  - {name: 张某某, role: 书记, group: 第一党小组, status: 正式}
  - {name: 李某某, role: 组织委员, group: 第一党小组, status: 正式}
  - {name: 王某某, role: 党员, group: 第二党小组, status: 预备, joined: 2021-10-15, confirmed: 2022-10-17}
  - {name: 赵某某, role: 党员, group: 第二党小组, status: 正式, moved_out: {date: 2022-07-01, to: 某某街道党工委}}
  - {name: 钱某某, role: 党员, group: 第二党小组, status: 正式, moved_in: {date: 2022-06-15, from: 某某局党支部}}
"""


@pytest.fixture()
def project(tmp_path) -> Path:
    root = make_project(tmp_path)
    (root / "data/activity_types.yaml").write_text(TYPES, "utf-8")
    (root / "data/records/2022/roster.yaml").write_text(ROSTER, "utf-8")
    return root


def load(root: Path, files: dict[str, str] | None = None, year: int = 2022):
    folder = rec.records_dir(root, year)
    for name, text in (files or {}).items():
        (folder / name).write_text(text, "utf-8")
    errors: list = []
    records = rec.load_records(root, year, rec.load_types(root, errors), errors)
    return records, [e.render() for e in errors]


# -- dates (Hypothesis) ---------------------------------------------------------------------
days = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))


@given(days, st.integers(min_value=0, max_value=240))
def test_add_months_lands_in_the_right_month_and_counts_back(day, n):
    later = add_months(day, n)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == n
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)
    assert months_between(day, later) == n
    assert months_between(day, later - timedelta(days=1)) == max(n - 1, 0) or later.day != day.day


def test_add_months_clips_to_short_months():
    assert add_months(date(2020, 2, 29), 12) == date(2021, 2, 28)  # 预备期一年 from a leap day
    assert add_months(date(2022, 1, 31), 1) == date(2022, 2, 28)
    assert add_months(date(2022, 9, 20), 12) == date(2023, 9, 20)
    assert months_between(date(2022, 9, 20), date(2023, 9, 19)) == 11


@given(days, days, days)
def test_a_member_belongs_from_transfer_in_to_the_day_before_transfer_out(a, b, day):
    start, end = min(a, b), max(a, b)
    m = Member("甲", "党员", None, "正式", moved_in=Transfer(start, "甲单位"), moved_out=Transfer(end, "乙单位"))
    assert m.belongs(day) == (start <= day < end)
    assert (m.absence(day) is None) == m.belongs(day)
    span = m.span(day.year)
    inside = [d for d in (span or ()) if True]
    for d in inside:
        assert m.belongs(d)


@given(days, st.integers(min_value=1, max_value=800))
def test_status_on_a_day_follows_the_confirmation_date(joined, wait):
    confirmed = joined + timedelta(days=wait)
    m = Member("甲", "党员", None, "预备", joined=joined, confirmed=confirmed)
    assert m.status_on(joined) == "预备"
    assert m.status_on(confirmed - timedelta(days=1)) == "预备"
    assert m.status_on(confirmed) == "正式"
    assert m.belongs(joined) and not m.belongs(joined - timedelta(days=1))


# -- the roster on a date -------------------------------------------------------------------
def test_roster_on_a_date_and_its_events(project):
    records, errors = load(project)
    assert errors == []
    names = lambda day: [m.name for m in records.on(day)]  # noqa: E731
    assert names(date(2022, 3, 1)) == ["张某某", "李某某", "王某某", "赵某某"]
    assert names(date(2022, 6, 20)) == ["张某某", "李某某", "王某某", "赵某某", "钱某某"]
    assert names(date(2022, 7, 1)) == ["张某某", "李某某", "王某某", "钱某某"]
    assert records.leaders == {"第一党小组": "李某某", "第二党小组": "赵某某"}
    assert [(e.date, e.kind, e.name, e.org) for e in people.events(records.roster, 2022)] == [
        (date(2022, 6, 15), "转入", "钱某某", "某某局党支部"),
        (date(2022, 7, 1), "转出", "赵某某", "某某街道党工委"),
        (date(2022, 10, 17), "转正", "王某某", ""),
    ]
    assert people.counts(records.roster, date(2022, 10, 16)) == {"合计": 4, "正式": 3, "预备": 1}
    assert people.counts(records.roster, date(2022, 10, 17)) == {"合计": 4, "正式": 4, "预备": 0}


def test_expected_attendance_uses_the_roster_of_the_meeting_day(project):
    records, errors = load(project, {
        "2022-03-21-general_meeting.yaml": meeting("general_meeting", "2022-03-21"),
        "2022-06-20-general_meeting.yaml": meeting("general_meeting", "2022-06-20", absent="[{name: 钱某某, reason: 出差}]"),
        "2022-09-20-general_meeting.yaml": meeting("general_meeting", "2022-09-20"),
    })
    assert errors == []
    assert [(r.expected, r.present) for r in records.items] == [(4, 4), (5, 4), (4, 4)]


def test_a_record_naming_someone_not_yet_or_no_longer_in_the_branch_is_refused(project):
    _, errors = load(project, {
        "2022-03-21-general_meeting.yaml": meeting("general_meeting", "2022-03-21",
                                                   absent="[{name: 钱某某, reason: 出差}]"),
        "2022-08-01-heart_talk.yaml": meeting("heart_talk", "2022-08-01", recorder=None, people="[张某某, 赵某某]"),
    })
    assert errors == [
        "data/records/2022/2022-03-21-general_meeting.yaml:7: 钱某某 在 2022-03-21 不属于本支部（2022年6月15日转入），"
        "不能出现在这天的记录中",
        "data/records/2022/2022-08-01-heart_talk.yaml:6: 赵某某 在 2022-08-01 不属于本支部（2022年7月1日已转出），"
        "不能出现在这天的记录中",
    ]


def test_talk_pairs_are_those_who_were_in_the_branch_together(project):
    (project / "data/records/2022/roster.yaml").write_text(ROSTER.replace(
        "moved_in: {date: 2022-06-15", "moved_in: {date: 2022-07-15").replace("role: 党员, group: 第二党小组, status: 正式, moved_out",
                                                                         "role: 纪检委员, group: 第二党小组, status: 正式, moved_out"),
        "utf-8")
    records, errors = load(project)
    assert errors == []
    pairs = {frozenset((p.a.name, p.b.name)) for p in ledger.heart_coverage(records).pairs}
    assert frozenset(("赵某某", "钱某某")) not in pairs  # 赵 left on 7-1, 钱 came on 7-15
    assert frozenset(("张某某", "钱某某")) in pairs and frozenset(("张某某", "赵某某")) in pairs
    assert people.pairs_together(records.roster, 2022) == 9  # 5 members: 10 pairs, one never together


@pytest.mark.parametrize("line, message", [
    ("  - {name: 孔某某, role: 党员, group: 第一党小组, status: 预备}",
     "孔某某 是预备党员，应写入党日期 joined（预备期从这天算起）"),
    ("  - {name: 孔某某, role: 党员, group: 第一党小组, status: 正式, joined: 2021-06-01, confirmed: 2022-06-01}",
     "孔某某 在 2022 年 2022-06-01 才转正，status 应写 预备（写年初或转入时的类别，转正后的类别由转正日期得出）"),
    ("  - {name: 孔某某, role: 党员, group: 第一党小组, status: 预备, joined: 2022-06-01, confirmed: 2022-05-01}",
     "孔某某 的转正日期 2022-05-01 不晚于入党日期 2022-06-01"),
    ("  - {name: 孔某某, role: 党员, group: 第一党小组, status: 正式, moved_out: {date: 2021-12-01, to: 某单位}}",
     "孔某某 已于 2021-12-01 转出，不应列入 2022 年名册"),
    ("  - {name: 孔某某, role: 党员, group: 第一党小组, status: 正式, moved_in: {date: 2023-01-05, from: 某单位}}",
     "孔某某 的转入日期 2023-01-05 在 2022 年之后，不应写在 2022 年名册中"),
    ("  - {name: 孔某某, role: 党员, group: 第三党小组, status: 正式}",
     "党小组 第三党小组 没有写组长：请在名册 groups 中写明 leader"),
])
def test_roster_mistakes_are_named_with_file_and_line(project, line, message):
    (project / "data/records/2022/roster.yaml").write_text(ROSTER + line + "\n", "utf-8")
    _, errors = load(project)
    assert errors == [f"data/records/2022/roster.yaml:10: {message}"]


def test_a_group_leader_must_be_a_member_of_the_group(project):
    (project / "data/records/2022/roster.yaml").write_text(ROSTER.replace("leader: 赵某某", "leader: 张某某"), "utf-8")
    _, errors = load(project)
    assert errors == ["data/records/2022/roster.yaml:3: 第二党小组 组长 张某某 不是该党小组的党员（名册写 第一党小组）"]


def test_the_roster_schema_has_no_place_for_id_numbers_or_phones(project):
    (project / "data/records/2022/roster.yaml").write_text(
        ROSTER + "  - {name: 孔某某, role: 党员, group: 第一党小组, status: 正式, phone: '13800000000'}\n", "utf-8")
    _, errors = load(project)
    assert len(errors) == 1 and errors[0].startswith("data/records/2022/roster.yaml:10:") and "phone" in errors[0]


# -- who chairs and records (issue 22.6) ------------------------------------------------------
@pytest.mark.parametrize("text, message", [
    (meeting("committee_meeting", "2022-03-08", host="王某某"),
     "2022-03-08-committee_meeting.yaml:4: 王某某（党员）不能主持支部委员会会议：应由书记；书记主持，书记不能参加时可以委托副书记或者委员主持"),
    (meeting("committee_meeting", "2022-03-08", host="李某某"),
     "2022-03-08-committee_meeting.yaml:4: 支部委员会会议由书记主持；李某某（组织委员）主持时，应写明委托说明 delegated，"
     "如“书记出差，委托组织委员主持”"),
    (meeting("general_meeting", "2022-03-08").replace("host: 张某某\n", ""),
     "2022-03-08-general_meeting.yaml:1: 支部党员大会应写明主持人（host）；不知道时写 待填"),
    (meeting("committee_meeting", "2022-03-08", recorder=None),
     "2022-03-08-committee_meeting.yaml:1: 支部委员会会议应写明记录人（recorder）；不知道时写 待填"),
    (meeting("committee_meeting", "2022-03-08", delegated="书记出差"),
     "2022-03-08-committee_meeting.yaml:7: 张某某 是书记，主持支部委员会会议不需要委托说明；请删去 delegated"),
    (meeting("group_meeting", "2022-03-08", host="王某某", group="第一党小组"),
     "2022-03-08-group_meeting.yaml:4: 王某某（党员）不能主持党小组会：应由第一党小组组长；党小组会由党小组组长主持"),
])
def test_who_may_chair_is_checked_from_the_rules_in_the_data(project, text, message):
    kind = text.split("\n")[0].removeprefix("type: ")
    _, errors = load(project, {f"2022-03-08-{kind}.yaml": text})
    assert errors == [f"data/records/2022/{message}"]


def test_the_allowed_chairs_pass(project):
    records, errors = load(project, {
        "2022-03-08-committee_meeting.yaml": meeting("committee_meeting", "2022-03-08", host="李某某",
                                                     delegated="书记出差，委托组织委员主持"),
        "2022-03-09-group_meeting.yaml": meeting("group_meeting", "2022-03-09", host="李某某", group="第一党小组"),
        "2022-03-10-group_meeting.yaml": meeting("group_meeting", "2022-03-10", host="赵某某", group="第二党小组"),
        "2022-03-11-committee_meeting.yaml": meeting("committee_meeting", "2022-03-11", recorder="待填"),
    })
    assert errors == []
    assert records.items[0].delegated == "书记出差，委托组织委员主持"


def test_group_meetings_need_the_rosters_group_leaders(project):
    (project / "data/records/2022/roster.yaml").write_text(ROSTER.split("members:")[1].join(["members:", ""]), "utf-8")
    _, errors = load(project, {"2022-03-09-group_meeting.yaml": meeting("group_meeting", "2022-03-09",
                                                                         host="李某某", group="第一党小组")})
    assert errors == ["data/records/2022/2022-03-09-group_meeting.yaml:7: 名册没有写明 第一党小组 的组长"
                      "（roster.yaml 的 groups），无法核对党小组会的主持人"]


def test_import_applies_the_chair_rules_and_takes_the_delegation_column(project, tmp_path):
    blank = tmp_path / "t.xlsx"
    assert records_xlsx.main(["--root", str(project), "template", "--year", "2022", "--out", str(blank)]) == 0
    wb = load_workbook(blank)
    ws = wb["支部委员会会议"]
    headings = [c.value for c in ws[1]]
    assert headings[:5] == ["日期", "议题/主题", "主持人", "委托主持说明", "记录人"]
    ws.append([dt.date(2022, 3, 8), "研究工作", "王某某", None, "李某某", None, None, "记录本第3页"])
    ws.append([dt.date(2022, 4, 8), "研究工作", "李某某", "书记出差，委托组织委员主持", "李某某", None, None, "记录本第4页"])
    ws.append([dt.date(2022, 5, 9), "研究工作", "张某某", None, None, None, None, "记录本第5页"])
    wb.save(tmp_path / "filled.xlsx")
    result = records_import.import_workbook(project, tmp_path / "filled.xlsx", year=2022)
    assert result.errors == [
        "filled.xlsx 支部委员会会议 第2行：王某某（党员）不能主持支部委员会会议：应由书记；书记主持，书记不能参加时可以委托副书记或者委员主持",
        "filled.xlsx 支部委员会会议 第4行：支部委员会会议应写明记录人（recorder）；不知道时写 待填",
    ]
    assert not (rec.records_dir(project, 2022) / "2022-04-08-committee_meeting.yaml").exists()
    ws.delete_rows(2)
    ws.delete_rows(3)
    wb.save(tmp_path / "good.xlsx")
    result = records_import.import_workbook(project, tmp_path / "good.xlsx", year=2022)
    assert result.errors == []
    text = (rec.records_dir(project, 2022) / "2022-04-08-committee_meeting.yaml").read_text("utf-8")
    assert "delegated: 书记出差，委托组织委员主持" in text


# -- figures counted from the roster (issue 24.6) ---------------------------------------------
def test_member_and_admission_figures_are_counted_from_the_dated_roster():
    from macros.core.catalogue import Derived
    from macros.core.load import load_site

    root = Path(__file__).resolve().parents[2]
    data = load_site(root)
    assert (data.years[2022].values["members.total"], data.years[2022].values["members.admitted"]) == (10, 0)
    members, admitted = Derived.from_spec({"roster": "members"}), Derived.from_spec({"roster": "admitted"})
    year = data.records[2023]  # cut off at 2023-07-31: 郑 in (4-03), 冯 accepted (6-20), 吴 out (6-30)
    assert year.cutoff == date(2023, 7, 31)
    assert len(members.count(year)) == 11 and [m.name for m in admitted.count(year)] == ["冯某某"]
    assert admitted.files(year) == "data/records/2023/roster.yaml（年内接收的预备党员）"


def test_a_catalogue_figure_counts_either_records_or_the_roster(tmp_path):
    from helpers.files import data_copy, load_errors

    root = data_copy(tmp_path)
    path = root / "data/catalogue.yaml"
    path.write_text(path.read_text("utf-8").replace("derived: {roster: admitted}",
                                                    "derived: {roster: admitted, type: study}"), "utf-8")
    errors = load_errors(root)
    assert len(errors) == 2 and errors[0].startswith("data/catalogue.yaml:")
    assert "应写 type（活动类型，可加 host_role、tag）或 roster（members / admitted）二者之一" in errors[0]


def test_people_figures_are_counted_on_the_cut_off_day_or_the_year_end():
    assert people.last_counted_day(2023, date(2023, 7, 31)) == date(2023, 7, 31)
    assert people.last_counted_day(2023, None) == date(2023, 12, 31)
    assert people.last_counted_day(2022, date(2023, 7, 31)) == date(2022, 12, 31)  # another year's cut-off


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
       st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))))
def test_the_counting_day_is_never_after_the_year_end_nor_the_cut_off(day, cutoff):
    counted = people.last_counted_day(day.year, cutoff)
    assert counted.year == day.year and counted <= date(day.year, 12, 31)
    if cutoff is not None and cutoff.year == day.year:
        assert counted == cutoff


def test_admitted_counts_who_the_branch_accepted_not_who_moved_in_already_accepted():
    here = Member("甲", "党员", None, "预备", joined=date(2023, 6, 20))
    elsewhere = Member("乙", "党员", None, "预备", joined=date(2023, 3, 1),
                       moved_in=Transfer(date(2023, 5, 1), "某某局党支部"))
    late = Member("丙", "党员", None, "预备", joined=date(2023, 9, 1))
    last_year = Member("丁", "党员", None, "预备", joined=date(2022, 9, 1), confirmed=date(2023, 9, 1))
    everyone = [here, elsewhere, late, last_year]
    assert [m.name for m in people.admitted(everyone, 2023, date(2023, 7, 31))] == ["甲"]
    assert [m.name for m in people.admitted(everyone, 2023, date(2023, 12, 31))] == ["甲", "丙"]


def test_a_typed_member_count_that_disagrees_with_the_roster_names_both_numbers(tmp_path):
    from helpers.files import data_copy

    from macros.core.load import load_site

    root = data_copy(tmp_path)
    path = root / "data/2022/figures.yaml"
    path.write_text(path.read_text("utf-8") + "members.total: 12\n", "utf-8")
    data = load_site(root)
    [warning] = [w.render() for w in data.warnings if w.key == "members.total"]
    assert warning.startswith("data/2022/figures.yaml:")
    assert "党员人数（年末） (members.total)：报告写12名，党员名册记录10名（data/records/2022/roster.yaml（年末党员））；请核对后删去此行，以党员名册为准" in warning
    assert data.years[2022].values["members.total"] == 10


def test_the_roster_page_counts_on_the_same_day_as_the_report_figure():
    from helpers.render import plain

    from macros.core.catalogue import Derived
    from macros.core.load import load_site
    from macros.pages.context import BuildContext, Here
    from macros.pages.people import PeopleRenderer

    data = load_site(Path(__file__).resolve().parents[2])
    view = PeopleRenderer(data, Path("docs"), date(2023, 9, 30), True)  # the site's as-of is later than the cut-off
    assert view.reference_day(2023) == data.records[2023].cutoff == date(2023, 7, 31)
    assert view.reference_day(2022) == date(2022, 12, 31)
    intro = plain(str(view.roster(Here("people/2023/index.md", BuildContext()))))
    total = len(Derived.from_spec({"roster": "members"}).count(data.records[2023]))
    assert f"截至2023年7月31日有党员{total}名" in intro and total == 11
