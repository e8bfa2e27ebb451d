"""Issue 22, point 7: a problem's 销号 (`closed: {meeting, date}` in the 问题整改清单) names a
支委会 the 台账 records; otherwise loading stops with one Chinese line naming the problem's file and
line and the missing meeting (macros/core/records/link.py `_check_closures`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers.files import data_copy, line_of, problems

from macros.core.load import load_site

CLOSED = "    measures: [m2.3, m4.1, m4.3]\n    closed: {{meeting: 2023年第三季度支委会, date: {day}}}\n"
MEETING = ("type: {type}\ndate: {day}\ntopic: 审议问题整改销号\nhost: 张某某\nrecorder: 李某某\n"
           "evidence: 会议记录本\n")


def closing(root: Path, day: str) -> Path:
    """Every task done (so the measures allow 销号) and p1 closed on `day`."""
    plan = root / "data/2022/plan.yaml"
    plan.write_text(re.sub(r"status: (进行中|未开始)", "status: 已完成", plan.read_text("utf-8")), "utf-8")
    checklist = root / "data/2022/checklist.yaml"
    text = checklist.read_text("utf-8")
    checklist.write_text(text.replace("    measures: [m2.3, m4.1, m4.3]\n", CLOSED.format(day=day), 1), "utf-8")
    return checklist


@pytest.fixture()
def root(tmp_path) -> Path:
    return data_copy(tmp_path / "p")


def test_a_closure_without_its_committee_meeting_stops_the_build_naming_both(root):
    checklist = closing(root, "2023-09-20")
    (root / "data/records/2023/2023-09-20-theme_day.yaml").write_text(  # a meeting that day, not a 支委会
        MEETING.format(type="theme_day", day="2023-09-20"), "utf-8")
    line = line_of(checklist, "    closed: {meeting")
    assert problems(root) == [
        f"data/2022/checklist.yaml:{line}: 问题 p1 的销号会议“2023年第三季度支委会”（2023-09-20）："
        "2023 年台账中没有这一天的支部委员会会议记录；请先在台账中记录这次会议"
        "（data/records/2023/2023-09-20-committee_meeting.yaml），或改正销号的会议和日期"]


def test_the_recorded_committee_meeting_closes_it_even_after_the_cut_off(root):
    closing(root, "2023-09-20")  # after the 2023 台账's 统计截至 date (2023-07-31): held all the same
    (root / "data/records/2023/2023-09-20-committee_meeting.yaml").write_text(
        MEETING.format(type="committee_meeting", day="2023-09-20"), "utf-8")
    problem = load_site(root, root / "docs").loops.years[2022].checklist.problems[0]
    assert problem.closed and problem.closure.meeting == "2023年第三季度支委会"


def test_a_closure_in_a_year_without_a_ledger_is_refused(root):
    checklist = closing(root, "2024-01-10")
    [message] = problems(root)
    assert message.startswith(f"data/2022/checklist.yaml:{line_of(checklist, '    closed: {meeting')}: 问题 p1 的销号会议")
    assert "2024 年没有台账（data/records/2024/）" in message
