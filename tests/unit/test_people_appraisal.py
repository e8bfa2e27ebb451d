"""民主评议党员 and 组织生活会 results (issue 24.4): each member of the day rated once with votes and 等次,
不合格 followed up, the meetings found in the 台账, and each 批评与自我批评 point able to name a problem of the
问题整改清单, whose 整改 state the page shows and links."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers.files import project_copy

from macros.core.errors import DataErrors
from macros.core.load import load_site
from macros.core.people import appraisal as appr
from macros.core.people.roster import Member
from macros.pages.context import BuildContext, Here
from macros.pages.people import PeopleRenderer

ROOT = Path(__file__).resolve().parents[2]
FILE = "data/people/2022/appraisal.yaml"


def test_counts_kinds_and_the_rating_checks():
    members = (Member("甲", "书记", None, "正式"), Member("乙", "党员", None, "正式"), Member("丙", "党员", None, "正式"))
    a = appr.Appraisal(2022, date(2023, 2, 10), {}, (
        appr.Rating("甲", "优秀", {"优秀": 2, "合格": 2}, line=5),
        appr.Rating("乙", "不合格", {}, line=6),
        appr.Rating("丁", "合格", {}, line=7),
    ), date(2023, 2, 10), "主题", (), (appr.Point("甲", None, "自我批评"), appr.Point("乙", "甲", "批评")))
    assert a.counts() == {"优秀": 1, "合格": 1, "基本合格": 0, "不合格": 1, "不参加评定": 0}
    assert [p.kind for p in a.points] == ["自我批评", "批评"]
    assert appr.rating_problems(a, members) == [
        (5, "votes", "甲 的测评票数合计 4 多于当天党员人数 3"),
        (6, "follow_up", "乙 评为不合格，应写明处置 follow_up（如 限期改正、劝其退党）"),
        (7, "name", "丁 在 2023-02-10 不是本支部党员，不能参加评议"),
        (1, "ratings", "丙 在 2023-02-10 是本支部党员，缺少其评议结果"),
    ]
    assert appr.point_problems(a, members, ["p1"]) == []
    bad = appr.Appraisal(2022, None, {}, (), date(2023, 2, 10), "主题", (), (appr.Point("甲", "戊", "批评", "p9", 9),))
    assert appr.point_problems(bad, members, ["p1", "p2"]) == [
        (9, "to", "戊 在 2023-02-10 不是本支部党员"),
        (9, "problem", "问题 p9 不在2023 年问题整改清单中（应为 p1、p2 之一）"),
    ]


@pytest.fixture()
def project(tmp_path) -> Path:
    return project_copy(tmp_path)


def errors_after(project: Path, old: str, new: str) -> list[str]:
    path = project / FILE
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    with pytest.raises(DataErrors) as caught:
        load_site(project)
    return [e.render() for e in caught.value.errors]


@pytest.mark.parametrize("old, new, message", [
    ("problem: p3}\n    - {by: 李某某", "problem: p7}\n    - {by: 李某某",
     f"{FILE}:29: 问题 p7 不在2023 年问题整改清单中（应为 p1、p2、p3 之一）"),
    ("  date: 2023-02-10\n  theme", "  date: 2023-02-11\n  theme",
     f"{FILE}:25: 台账中没有 2023-02-11 的组织生活会记录（data/records/2022/2023-02-11-life_meeting.yaml）"),
    ("{name: 黄某某, grade: 基本合格, votes: {合格: 4, 基本合格: 6}}", "{name: 黄某某, grade: 不合格}",
     f"{FILE}:21: 黄某某 评为不合格，应写明处置 follow_up（如 限期改正、劝其退党）"),
    ("    - {name: 吴某某, grade: 不参加评定, reason: 长期病假}\n", "",
     f"{FILE}:13: 吴某某 在 2023-02-10 是本支部党员，缺少其评议结果"),
])
def test_appraisal_mistakes_are_named_with_file_and_line(project, old, new, message):
    assert errors_after(project, old, new) == [message]


def test_the_page_links_each_point_to_its_problem_and_masks_names():
    data = load_site(ROOT)
    view = PeopleRenderer(data, ROOT / "docs", date(2023, 7, 31), True)
    html = str(view.appraisal(Here("people/2022/appraisal.md", BuildContext())))
    assert 'href="../../../2022/checklists/rectification/#problem-p3"' in html
    assert "（整改中）" in html and "评为优秀2名、合格6名、基本合格1名、不合格0名，不参加评定1名" in html
    assert "其中3条列入问题整改清单" in html
    names = {m.name for r in data.records.values() for m in r.roster}
    masked = str(view.appraisal(Here("people/2022/appraisal.md", BuildContext(offline=True))))
    assert not [n for n in names if n in masked] and "党员1" in masked
    empty = str(view.appraisal(Here("people/2023/appraisal.md", BuildContext())))
    assert "2023年度的民主评议党员和组织生活会还没有记录" in empty


def test_the_problem_state_follows_its_closure():
    data = load_site(ROOT)
    view = PeopleRenderer(data, ROOT / "docs", date(2023, 7, 31), True)
    here = Here("people/2022/appraisal.md", BuildContext())
    problem = next(p for p in data.loops.years[2022].checklist.problems if p.id == "p3")
    assert not problem.closed and view._problem(here, 2023, "p3")["state"] == "整改中"
    problem.closure = object()  # a 支委会 closed it (closed: {meeting, date})
    assert view._problem(here, 2023, "p3")["state"] == "已整改（已销号）"
    assert view._problem(here, 2022, "p3") is None  # no 问题整改清单 of 2022 holds it
