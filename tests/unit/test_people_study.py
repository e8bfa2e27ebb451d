"""党员教育学时 (issue 24.3): hours from the records each member attended on the dated roster, individual
courses, the requirement by role from the rules as data (prorated), who is short, and 本月待办 in Q4."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers.people import TYPES, meeting
from helpers.render import plain
from hypothesis import given
from hypothesis import strategies as st

from macros.core.people import due, study_hours
from macros.core.people.load import load_people
from macros.core.people.roster import Member, Transfer
from macros.core.people.study_hours import Requirement, StudyRules
from macros.core.records import model as rec

ROSTER = """members:
  - {name: 张某某, role: 书记, group: 第一党小组, status: 正式}
  - {name: 李某某, role: 党员, group: 第一党小组, status: 正式}
  - {name: 钱某某, role: 党员, group: 第一党小组, status: 正式, moved_in: {date: 2022-07-01, from: 某某局党支部}}
"""
RULES = """study_hours:
  per_type: {general_meeting: 2}
  requirements:
    - {from: 2019, members: 4, committee: 6, basis: 测试依据}
  prorate: true
  remind_from_month: 10
"""


@pytest.fixture()
def project(tmp_path) -> Path:
    root = tmp_path
    (root / "data/records/2022").mkdir(parents=True)
    (root / "data/people/2022").mkdir(parents=True)
    (root / "data/activity_types.yaml").write_text(TYPES, "utf-8")
    (root / "data/records/2022/roster.yaml").write_text(ROSTER, "utf-8")
    (root / "data/people/rules.yaml").write_text(RULES, "utf-8")
    folder = root / "data/records/2022"
    for name, text in {
        "2022-03-21-general_meeting.yaml": meeting("general_meeting", "2022-03-21", absent="[{name: 李某某, reason: 出差}]"),
        "2022-09-20-general_meeting.yaml": meeting("general_meeting", "2022-09-20", hours=3),
        "2022-10-10-committee_meeting.yaml": meeting("committee_meeting", "2022-10-10"),
    }.items():
        (folder / name).write_text(text, "utf-8")
    return root


def load(root: Path):
    errors: list = []
    types = rec.load_types(root, errors)
    records = {2022: rec.load_records(root, 2022, types, errors)}
    people = load_people(root, records, types, errors)
    return records[2022], people, [e.render() for e in errors]


def test_hours_come_from_the_records_each_member_attended(project):
    records, people, errors = load(project)
    assert errors == []
    rows = {t.name: t for t in study_hours.tally(records, people.study)}
    assert (rows["张某某"].required, rows["张某某"].done) == (6, 5)  # 书记: 2 + 3
    assert (rows["李某某"].required, rows["李某某"].done) == (4, 3)  # absent in March
    assert (rows["钱某某"].required, rows["钱某某"].done) == (2, 3)  # moved in in July: 6 months of 4, only September
    assert [t.name for t in study_hours.short(list(rows.values()))] == ["张某某", "李某某"]


def test_a_meeting_held_next_year_for_this_year_counts_for_the_year_it_is_held_for(project):
    types = project / "data/activity_types.yaml"
    types.write_text(types.read_text("utf-8") + "  life_meeting: {name: 组织生活会, frequency: year, "
                     "attendance: members, held_for_year: true}\n", "utf-8")
    rules = project / "data/people/rules.yaml"
    rules.write_text(rules.read_text("utf-8").replace("{general_meeting: 2}", "{general_meeting: 2, life_meeting: 2}"),
                     "utf-8")
    (project / "data/records/2022/2023-02-10-life_meeting.yaml").write_text(
        meeting("life_meeting", "2023-02-10", for_year=2022), "utf-8")
    records, people, errors = load(project)
    assert errors == []
    rows = {t.name: t for t in study_hours.tally(records, people.study, as_of=date(2022, 12, 31))}
    assert rows["张某某"].done == 7 and rows["张某某"].items[-1] == (date(2023, 2, 10), "组织生活会：研究工作", 2.0)
    early = {t.name: t for t in study_hours.tally(records, people.study, as_of=date(2022, 6, 30))}
    assert early["张某某"].done == 2  # within the year, as_of still holds: only March


def test_individual_courses_add_hours_and_are_checked_against_the_roster(project):
    (project / "data/people/2022/training.yaml").write_text(
        "courses:\n"
        "  - {name: 张某某, date: 2022-05-20, topic: 书记轮训, hours: 2}\n"
        "  - {name: 钱某某, date: 2022-05-20, topic: 网络培训, hours: 2}\n"
        "  - {name: 欧阳明, date: 2022-05-20, topic: 网络培训, hours: 2}\n"
        "  - {name: 李某某, date: 2023-01-05, topic: 网络培训, hours: 2}\n", "utf-8")
    records, people, errors = load(project)
    assert errors == [
        "data/people/2022/training.yaml:3: 钱某某 在 2022-05-20 不属于本支部（2022年7月1日转入）",
        "data/people/2022/training.yaml:4: 欧阳明 不在 2022 年党员名册中",
        "data/people/2022/training.yaml:5: 日期 2023-01-05 不在 2022 年内",
    ]
    rows = {t.name: t for t in study_hours.tally(records, people.study, people.training[2022])}
    assert (rows["张某某"].meetings, rows["张某某"].courses, rows["张某某"].short) == (5, 2, 0)


def test_an_unknown_activity_type_in_the_rules_is_named(project):
    (project / "data/people/rules.yaml").write_text(RULES.replace("general_meeting: 2", "genral_meeting: 2"), "utf-8")
    _, _, errors = load(project)
    assert errors == ["data/people/rules.yaml:2: 活动类型 genral_meeting 不在 data/activity_types.yaml 中；是否是 general_meeting？"]


def test_the_requirement_in_force_is_the_latest_that_started(project):
    rules = StudyRules({}, (Requirement(2019, 32, 56), Requirement(2024, 40, 60)))
    assert rules.requirement(2023).members == 32 and rules.requirement(2024).members == 40
    assert rules.requirement(2018) is None


@given(st.dates(min_value=date(2022, 1, 2), max_value=date(2022, 12, 31)))
def test_a_prorated_requirement_never_exceeds_the_full_one_and_grows_with_time_in_the_branch(day):
    rule = Requirement(2019, 32, 56)
    later = Member("甲", "党员", None, "正式", moved_in=Transfer(day, "某单位"))
    whole = Member("乙", "党员", None, "正式")
    part = study_hours.required_of(later, 2022, rule, True)
    assert 0 < part <= study_hours.required_of(whole, 2022, rule, True) == 32
    assert part * 2 == int(part * 2)  # half hours
    earlier = Member("丙", "党员", None, "正式", moved_in=Transfer(date(2022, 1, 2), "某单位"))
    assert study_hours.required_of(earlier, 2022, rule, True) >= part


def test_this_month_names_who_is_short_only_from_the_reminder_month(project):
    records, people, _ = load(project)

    class Data:
        pass

    data = Data()
    data.records, data.people = {2022: records}, people
    assert due.due_items(data, date(2022, 9, 30)) == []
    assert due.due_items(data, date(2022, 10, 1)) == [
        due.Due("本年", "党员教育学时：2名党员尚未达到年度要求", "people/2022/study.md", "学时不足")]


def test_the_study_page_lists_who_is_short_and_masks_names(project):
    from macros.core.load import load_site
    from macros.pages.context import BuildContext, Here
    from macros.pages.people import PeopleRenderer

    data = load_site(Path(__file__).resolve().parents[2])
    view = PeopleRenderer(data, Path("docs"), date(2023, 7, 31), True)
    html = str(view.study(Here("people/2022/study.md", BuildContext())))
    assert "党员每人不少于32学时，支部委员不少于56学时" in plain(html)
    assert "赵某某" in html
    masked = str(view.study(Here("people/2022/study.md", BuildContext(redacted=True))))
    assert "某某" not in masked and "党员4" in masked
