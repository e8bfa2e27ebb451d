"""Branch.summary(): what the committee's 汇总 shows of a branch (macros/core/branch.py), each part
changed in the data and seen to change in the summary."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from helpers.files import ROOT, data_copy, edit

from macros.core import load_branch

AS_OF = datetime.date(2023, 7, 31)  # data/2022/report.yaml as_of


@pytest.fixture(scope="module")
def shipped():
    return load_branch(ROOT).summary()


@pytest.fixture
def root(tmp_path):
    return data_copy(tmp_path / "p")


def activity(summary, key, group=None):
    return next(a for a in summary.activities if a.key == key and a.group == group)


def test_the_summary_is_as_of_the_latest_reports_cut_off(shipped):
    assert shipped.as_of == AS_OF and shipped.year == 2023 and shipped.records_year == 2023
    assert shipped.name == "机关党委办公室党支部" and shipped.sample
    # every activity with a frequency, 党小组会 once per group, in the types' order
    keys = [(a.key, a.group) for a in shipped.activities]
    assert ("group_meeting", "第一党小组") in keys and ("group_meeting", "第二党小组") in keys
    assert "heart_talk" not in {k for k, _ in keys}  # no frequency: not compared by month


def test_a_month_without_its_meeting_is_named_missed(root, shipped):
    before = activity(shipped, "theme_day")
    assert "3月" not in before.missed
    (root / "data/records/2023/2023-03-27-theme_day.yaml").unlink()
    after = activity(load_branch(root).summary(), "theme_day")
    assert after.missed == ("3月",) + before.missed
    assert (after.held, after.due) == (before.held - 1, before.due)


def test_a_quarter_missed_is_named_by_its_quarter(root):
    for path in (root / "data/records/2023").glob("2023-0[456]-*-party_lecture.yaml"):
        path.unlink()
    assert activity(load_branch(root).summary(), "party_lecture").missed == ("第二季度",)


def test_the_period_under_way_is_current_not_missed(shipped):
    meeting = activity(shipped, "general_meeting")  # quarterly: the third quarter runs past the cut-off
    assert meeting.current == "第三季度" and "第三季度" not in meeting.missed
    assert "支部党员大会：2023年第三季度尚未开展" in [d.text for d in shipped.due]
    assert activity(shipped, "committee_meeting").missed == ("7月",)  # July ended with the cut-off


def test_holding_the_meeting_takes_it_off_what_is_due(root):
    source = (root / "data/records/2023/2023-06-08-committee_meeting.yaml").read_text("utf-8")
    (root / "data/records/2023/2023-07-10-committee_meeting.yaml").write_text(
        source.replace("2023-06-08", "2023-07-10"), "utf-8")
    summary = load_branch(root).summary()
    assert not [d for d in summary.due if d.key == "committee_meeting"]
    committee = activity(summary, "committee_meeting")
    assert committee.missed == () and committee.held == committee.due == 7


def test_plan_progress_and_overdue_tasks(root, shipped):
    plan = shipped.plan
    assert (plan.report_year, plan.year) == (2022, 2023)
    assert plan.overdue and all(t.due.startswith("2023年") for t in plan.overdue)
    first = plan.overdue[0]
    path = root / "data/2022/plan.yaml"
    text = path.read_text("utf-8")
    block = re.search(rf"- id: {re.escape(first.id)}\n(?:\s+\w+: .*\n)*?\s+status: \S+\n", text).group(0)
    done = re.sub(r"status: \S+", "status: 已完成\n            evidence: 会议记录", block)
    path.write_text(text.replace(block, done), "utf-8")
    after = load_branch(root).summary().plan
    assert first.id not in [t.id for t in after.overdue]
    assert (after.done, after.total) == (plan.done + 1, plan.total)
    assert after.percent == round(100 * after.done / after.total)


def test_open_problems_and_their_age(root, shipped):
    assert [p.number for p in shipped.problems] == ["一", "二", "三"]
    raised = datetime.date(2023, 1, 10)  # data/2022/report.yaml date
    assert all(p.raised == raised and p.age_days == (AS_OF - raised).days for p in shipped.problems)
    edit(root / "data/2022/report.yaml", "date: 2023-01-10", "date: 2023-02-10")
    assert {p.age_days for p in load_branch(root).summary().problems} == {(AS_OF - raised).days - 31}


def test_a_problem_closed_by_the_committee_leaves_the_open_list(root):
    plan = root / "data/2022/plan.yaml"
    plan.write_text(re.sub(r"status: (未开始|进行中)", "status: 已完成", plan.read_text("utf-8")), "utf-8")
    edit(root / "data/2022/checklist.yaml", "    measures: [m1.1, m1.2, m1.3]\n",
         "    measures: [m1.1, m1.2, m1.3]\n    closed: {meeting: 2023年6月支委会, date: 2023-06-08}\n")
    problems = load_branch(root).summary().problems
    assert [p.id for p in problems] == ["p1", "p3"]
    assert all(p.awaiting_review and p.percent == 100 for p in problems)


def test_the_summary_is_plain_data_for_a_json_file(shipped):
    import dataclasses

    text = json.dumps(dataclasses.asdict(shipped), ensure_ascii=False, default=str)
    assert '"as_of": "2023-07-31"' in text


# ---- the people's counts (发展党员, 学时, 党费): numbers only --------------------------------------

def test_the_people_are_counted_as_their_pages_count_them(shipped):
    people = shipped.people
    assert people.year == 2023
    assert [(c.standing, c.count) for c in people.development] == [
        ("入党申请人", 1), ("入党积极分子", 1), ("发展对象", 1), ("预备党员", 1)]  # 周某某 is 正式党员 now
    assert people.development_overdue == 0
    assert [(s.year, s.whole_year, s.members, s.short) for s in people.study] == [(2022, True, 10, 1),
                                                                                 (2023, False, 12, 11)]
    assert [s.counted_to for s in people.study] == [datetime.date(2022, 12, 31), AS_OF]  # as the 学时 pages
    assert (people.dues_unpaid, people.dues_members) == (1, 1)  # 郑某某's July


def test_the_counts_follow_the_data(root):
    # 郑某某 pays July; a new 申请人 not talked to within the month is overdue; one no longer pursued is not counted
    edit(root / "data/people/2023/dues.yaml", "    - {name: 冯某某, paid: 45.00, date: 2023-07-10}\n",
         "    - {name: 冯某某, paid: 45.00, date: 2023-07-10}\n    - {name: 郑某某, paid: 108.00, date: 2023-07-10}\n")
    edit(root / "data/people/development.yaml", "  - {name: 蒋某某, applied: 2023-07-12}\n",
         "  - {name: 蒋某某, applied: 2023-07-12}\n  - {name: 钱某某, applied: 2023-05-04}\n"
         "  - {name: 孙某某, applied: 2023-01-04, stopped: 本人撤回申请}\n")
    people = load_branch(root).summary().people
    assert (people.dues_unpaid, people.dues_members) == (0, 0)
    assert people.development[0].count == 2 and people.development_overdue == 1


def test_the_people_counts_carry_no_names_or_amounts(shipped):
    import dataclasses

    text = json.dumps(dataclasses.asdict(shipped.people), ensure_ascii=False, default=str)
    assert "某某" not in text and "." not in text  # names are 某某 in the sample; amounts have cents


def test_a_branch_without_people_data_has_no_people_counts(root):
    import shutil

    shutil.rmtree(root / "data/people")
    assert load_branch(root).summary().people is None
