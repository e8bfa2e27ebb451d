"""发展党员 (issue 24.2): stages with dates, the time rules as data, the next step and its earliest or latest
date, the checks (order, rules, 培养联系人 and 入党介绍人 against the dated roster, the roster's own dates),
本月待办 when due, and the masked page."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from macros.core.load import load_site
from macros.core.people import development as dev
from macros.core.people import due
from macros.core.people.dates import add_months
from macros.core.people.load import load_people
from macros.core.records import model as rec
from macros.pages.context import BuildContext, Here
from macros.pages.people import PeopleRenderer

ROOT = Path(__file__).resolve().parents[2]
RULES = dev.DevelopmentRules((
    dev.TimeRule("applied", "talked", max_months=1, text="一个月内谈话"),
    dev.TimeRule("activist", "candidate", min_months=12, text="培养一年以上"),
    dev.TimeRule("admitted", "confirmed", min_months=12, text="预备期一年"),
), review_months=6, basis="测试")
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))


@given(days, st.integers(min_value=0, max_value=800))
def test_an_activist_becomes_a_candidate_only_after_a_year(activist, wait):
    candidate = activist + timedelta(days=wait)
    person = dev.Person("甲", {"applied": activist - timedelta(days=40), "talked": activist - timedelta(days=30),
                               "activist": activist, "candidate": candidate}, contacts=("乙",))
    early = [m for k, m in dev.problems(person, RULES) if k == "candidate"]
    assert bool(early) == (candidate < add_months(activist, 12))
    waiting = dev.Person("甲", {"applied": activist, "activist": activist}, contacts=("乙",))
    step = dev.next_step(waiting, RULES)
    assert step.stage == "candidate"  # from the furthest step reached; the missing one is named
    assert [k for k, _ in dev.problems(waiting, RULES)] == ["activist"]


@given(days)
def test_probation_ends_a_year_after_admission(admitted):
    person = dev.Person("甲", {s: admitted for s in ("applied", "talked", "activist", "candidate", "admitted")})
    step = dev.next_step(person, RULES)
    assert step.stage == "confirmed" and step.earliest == add_months(admitted, 12) and step.latest is None
    assert step.state(step.earliest - timedelta(days=1)) == "未到时间" and step.state(step.earliest) == "可办理"


@given(days, st.lists(st.integers(min_value=1, max_value=400), max_size=4))
def test_an_activist_is_reviewed_every_six_months_from_the_last_review(activist, gaps):
    reviews = []
    for gap in gaps:
        reviews.append((reviews[-1] if reviews else activist) + timedelta(days=gap))
    person = dev.Person("甲", {"applied": activist, "talked": activist, "activist": activist}, contacts=("乙",),
                        reviews=tuple(reviews))
    due_on = dev.review_due(person, RULES)
    last = reviews[-1] if reviews else activist
    assert due_on == add_months(last, 6) and due_on > last
    assert dev.review_due(dev.Person("甲", {"applied": activist}), RULES) is None  # not yet an activist


def test_the_next_step_of_each_stage():
    applied = dev.Person("甲", {"applied": date(2023, 7, 12)})
    step = dev.next_step(applied, RULES)
    assert (step.name, step.latest, step.state(date(2023, 8, 13))) == ("党组织派人谈话", date(2023, 8, 12), "逾期")
    talked = dev.Person("甲", {"applied": date(2023, 7, 12), "talked": date(2023, 7, 20)})
    assert dev.next_step(talked, RULES) == dev.NextStep("activist", None, None, "")
    activist = dev.Person("甲", {"applied": date(2022, 1, 1), "talked": date(2022, 1, 5),
                                 "activist": date(2022, 3, 8)}, reviews=(date(2022, 9, 1),))
    assert dev.next_step(activist, RULES).earliest == date(2023, 3, 8)
    assert dev.review_due(activist, RULES) == date(2023, 3, 1)
    assert dev.next_step(dev.Person("甲", {"applied": date(2022, 1, 1)}, stopped="本人撤回申请"), RULES) is None


def test_late_talk_and_missing_sponsors_are_named():
    person = dev.Person("甲", {"applied": date(2022, 1, 10), "talked": date(2022, 3, 1), "activist": date(2022, 3, 2),
                               "candidate": date(2023, 3, 2), "admitted": date(2023, 9, 1)},
                        contacts=("乙",), sponsors=("丙",))
    assert dev.problems(person, RULES) == [
        ("talked", "甲“党组织派人谈话”在 2022-03-01，晚于“递交入党申请书”（2022-01-10）后 1 个月：一个月内谈话"),
        ("sponsors", "甲 已接收为预备党员，应写明 2 名入党介绍人（sponsors）"),
    ]


@pytest.fixture()
def project(tmp_path) -> Path:
    for folder in ("data/records/2023", "data/people"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "data/activity_types.yaml").write_text((ROOT / "data/activity_types.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "data/people/rules.yaml").write_text((ROOT / "data/people/rules.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "data/records/2023/roster.yaml").write_text(
        "members:\n"
        "  - {name: 张某某, role: 书记, status: 正式}\n"
        "  - {name: 李某某, role: 党员, status: 预备, joined: 2022-10-01}\n"
        "  - {name: 冯某某, role: 党员, status: 预备, joined: 2023-06-20}\n", "utf-8")
    return tmp_path


def load(root: Path, development: str):
    (root / "data/people/development.yaml").write_text("people:\n" + development, "utf-8")
    errors: list = []
    types = rec.load_types(root, errors)
    records = {2023: rec.load_records(root, 2023, types, errors)}
    return load_people(root, records, types, errors), [e.render() for e in errors]


FENG = ("  - {name: 冯某某, applied: 2021-03-10, talked: 2021-03-30, activist: 2021-06-15, contacts: [张某某],\n"
        "     candidate: 2022-07-08, sponsors: [张某某, 李某某], admitted: 2023-06-21}\n")


def test_sponsors_must_be_full_members_and_the_roster_must_agree(project):
    _, errors = load(project, FENG)
    assert errors == [
        "data/people/development.yaml:3: 冯某某 的入党介绍人 李某某 在 2023-06-21 还是预备党员，应由正式党员担任",
        "data/people/development.yaml:3: 冯某某“支部大会接收为预备党员”在 2023-06-21，2023 年名册应有此人且 joined: 2023-06-21",
    ]
    people, errors = load(project, FENG.replace("李某某", "张某某 ").replace("张某某 ]", "王某某]").replace(
        "2023-06-21", "2023-06-20"))
    assert errors == ["data/people/development.yaml:3: 冯某某 的入党介绍人 王某某 在 2023-06-20 不是本支部党员（见 2023 年名册）"]


def test_this_month_lists_steps_within_the_reminder_days_and_probation_ends(project):
    people, errors = load(project, "  - {name: 蒋某某, applied: 2023-07-12}\n")
    assert errors == []
    records = rec.load_records(project, 2023, rec.load_types(project, []), [])
    assert due.development_due(records, people, date(2023, 6, 1)) == []
    assert due.development_due(records, people, date(2023, 7, 31)) == [
        due.Due("即将", "发展党员：蒋某某（入党申请人）2023年8月12日前党组织派人谈话", "people/development.md", "下一步")]
    assert due.development_due(records, people, date(2023, 8, 13))[0].when == "已逾期"
    assert due.development_due(records, people, date(2023, 9, 20)) == [
        due.Due("已逾期", "发展党员：蒋某某（入党申请人）2023年8月12日前党组织派人谈话", "people/development.md", "下一步"),
        due.Due("即将", "转正：李某某 预备期2023年10月1日满，支部大会应及时讨论其转正", "people/development.md", "下一步"),
    ]


def test_this_month_lists_an_activists_review_when_due(project):
    people, errors = load(project, "  - {name: 蒋某某, applied: 2022-09-05, talked: 2022-09-28, activist: 2023-03-08, "
                                   "contacts: [张某某]}\n")
    assert errors == []
    records = rec.load_records(project, 2023, rec.load_types(project, []), [])
    assert due.development_due(records, people, date(2023, 6, 1)) == []
    review = due.Due("即将", "发展党员：蒋某某（入党积极分子）2023年9月8日前考察一次", "people/development.md", "下一步")
    assert review in due.development_due(records, people, date(2023, 8, 1))
    late = [d for d in due.development_due(records, people, date(2023, 9, 9)) if "考察" in d.text]
    assert [d.when for d in late] == ["已逾期"], due.development_due(records, people, date(2023, 9, 9))


def test_the_development_page_masks_every_name():
    data = load_site(ROOT)
    view = PeopleRenderer(data, ROOT / "docs", date(2023, 7, 31), True)
    html = str(view.development(Here("people/development.md", BuildContext())))
    assert "蒋某某" in html and "2023年8月12日" in html
    names = {p.name for p in data.people.development} | {m.name for r in data.records.values() for m in r.roster}
    for ctx in (BuildContext(redacted=True), BuildContext(offline=True)):
        masked = str(view.development(Here("people/development.md", ctx)))
        assert not [n for n in names if n in masked] and "发展对象1" in masked
