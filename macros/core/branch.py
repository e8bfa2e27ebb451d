"""The branch's domain as a library: `load_branch(root)` reads and checks a branch project's data
(the same checks and the same Chinese `file:line` errors as a build) and answers questions about it,
without MkDocs. A committee view, a second builder or a command uses this; the site uses the same
loader (macros/core/load.py) through define_env.

    from macros.core import load_branch
    branch = load_branch(".")
    print(branch.figure(2022, "branch.committee_meetings"), branch.compliance(2022, "committee_meeting"))

What the 机关党委's 汇总 (macros/committee/) asks of each branch, as of the branch's own cut-off
(the latest report's 统计截至 date): `branch.summary()` → Summary: each activity's periods held, due
and missed (named), the latest plan's progress and overdue tasks, the open problems of the latest
问题整改清单 and their age, what is due this month, and the people's counts (发展党员 by standing,
学时 short, 党费 unpaid; no names or amounts). Plain data; no MkDocs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from macros.core.load import SiteData, load_site
from macros.core.people import development, dues, roster, study_hours
from macros.core.records import ledger
from macros.core.records.link import site_as_of
from macros.core.records.model import Records


@dataclass(frozen=True)
class Month:
    """One period of an activity's row in the 台账 grid: 2022年3月 (or 第一季度) and its state."""

    name: str
    state: str  # 已开展 / 未达标 / 待开展 / 未到期 (macros/core/records/ledger.py)
    held: int  # records in the period

    def __str__(self) -> str:
        return f"{self.name}{self.state}"


# -- what the 机关党委's 汇总 asks of a branch (macros/committee/) ----------------------------------

@dataclass(frozen=True)
class Activity:
    """One activity (for 党小组会: one group) of the current year as of the cut-off: periods held
    and due, and the periods missed named (3月、5月)."""

    key: str  # activity type key, e.g. theme_day
    name: str  # 主题党日
    group: str | None  # 党小组 for 党小组会
    frequency: str  # month / quarter / year
    held: int
    due: int  # periods ended, plus the current one if held
    missed: tuple[str, ...]  # period labels: 3月 / 第二季度 / 全年
    current: str | None  # the period under way and not yet held, e.g. 7月


@dataclass(frozen=True)
class OverdueTask:
    id: str
    number: str  # 1.3.2
    title: str
    owner: str
    due: str  # 2023年第二季度


@dataclass(frozen=True)
class PlanStatus:
    """The latest plan's progress as of the cut-off."""

    report_year: int  # the report that made it (data/<report_year>/plan.yaml)
    year: int  # the year it plans
    total: int
    done: int
    percent: int
    overdue: tuple[OverdueTask, ...]


@dataclass(frozen=True)
class OpenProblem:
    """A problem of the latest 问题整改清单 not yet closed (销号) by a 支委会."""

    report_year: int
    id: str
    number: str  # 一
    title: str
    raised: datetime.date | None  # the report's 落款 date; None when not given (待填)
    age_days: int | None  # from `raised` to the cut-off
    percent: int  # its measures' tasks done
    awaiting_review: bool  # every measure done, waiting for the 支委会 to close it


@dataclass(frozen=True)
class DueNow:
    key: str  # activity type key
    text: str  # 主题党日：2023年7月尚未开展
    period: str  # 本月 / 本季度 / 本年


@dataclass(frozen=True)
class StageCount:
    standing: str  # 入党申请人 / 入党积极分子 / 发展对象 / 预备党员
    count: int


@dataclass(frozen=True)
class StudyCount:
    year: int
    members: int  # members with a 学时 requirement that year
    short: int  # of them, short of the year's requirement, counted to the day its 学时 page counts to
    whole_year: bool  # False: counted to a day before 31 December against the whole year's requirement
    counted_to: datetime.date  # that day


@dataclass(frozen=True)
class PeopleStatus:
    """发展党员, 学时 and 党费 as of the cut-off, as the branch's own pages count them: numbers only, no
    names, no amounts. A part is None when the branch keeps no such data."""

    year: int  # the cut-off's year
    development: tuple[StageCount, ...] | None  # people being developed, by standing (data/people/development.yaml)
    development_overdue: int  # of them, next steps past their latest date (逾期)
    study: tuple[StudyCount, ...]  # the year before the cut-off's (whole) and the cut-off's year (to date)
    dues_unpaid: int | None  # member-months owed and unpaid, months up to the cut-off's (人次)
    dues_members: int  # members with an unpaid month


@dataclass(frozen=True)
class Summary:
    """Everything the committee's 汇总 shows of one branch, as of the branch's own cut-off."""

    name: str
    as_of: datetime.date
    year: int  # the current year: the cut-off's year (its 台账)
    records_year: int | None  # the 台账 year the activities come from (None: no 台账)
    activities: tuple[Activity, ...]
    plan: PlanStatus | None
    problems: tuple[OpenProblem, ...]
    due: tuple[DueNow, ...]
    sample: bool  # the latest report is sample data
    people: PeopleStatus | None = None  # None: no people data (data/people/)


def _day(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


class _Summaries:
    """Branch's committee-facing answers (mixed into Branch)."""

    def activities(self, year: int) -> list[Activity]:
        """Every activity held by period in `year`'s 台账 (党小组会 per group), as of the cut-off."""
        records = self.records(year)
        if records is None:
            return []
        return [
            Activity(row.type.key, row.type.name, row.group, row.type.frequency, row.held, row.due,
                     tuple(p.label for p in row.missed), row.current.label if row.current else None)
            for row in ledger.grid(records, self.as_of)
        ]

    def plan_status(self) -> PlanStatus | None:
        loop = self.data.loops.latest("plan") if self.data.loops else None
        if loop is None:
            return None
        plan, progress = loop.plan, loop.plan.progress
        overdue = tuple(OverdueTask(t.id, t.number, t.title, t.owner, t.due.label) for t in plan.overdue(self.as_of))
        return PlanStatus(loop.year, plan.year, progress.total, progress.done, progress.percent, overdue)

    def open_problems(self) -> list[OpenProblem]:
        loop = self.data.loops.latest("checklist") if self.data.loops else None
        if loop is None:
            return []
        year = self.data.years.get(loop.year)
        raised = _day(year.report.get("date")) if year else None
        age = (self.as_of - raised).days if raised else None
        return [
            OpenProblem(loop.year, p.id, p.number, p.title, raised, age, p.progress.percent, p.awaiting_review)
            for p in loop.checklist.open_problems
        ]

    def people_status(self) -> PeopleStatus | None:
        """Counts of the people's pages as of the cut-off: the 发展党员 page's people in progress by
        standing and those 逾期, the 学时 page's members short of the year's requirement, the 党费
        page's months unpaid."""
        people, as_of = self.data.people, self.as_of
        records = self.records(as_of.year)
        development_counts, overdue = None, 0
        if people.development_rules is not None or people.development:
            standings = [s for s in dict.fromkeys(development.STANDING.values()) if s != "正式党员"]
            active = []
            for person in people.development:
                step = development.next_step(person, people.development_rules) if people.development_rules else None
                if not person.stopped and person.stage != "confirmed":
                    active.append(person)
                    overdue += bool(step and step.state(as_of) == "逾期")
            development_counts = tuple(StageCount(s, sum(p.standing == s for p in active)) for s in standings)
        study = []
        for year in (as_of.year - 1, as_of.year):
            held = self.records(year)
            if people.study is None or held is None or people.study.requirement(year) is None:
                continue
            day = roster.counted_day(year, held.cutoff, as_of)  # as the branch's 学时 page
            tallies = study_hours.tally(held, people.study, people.training.get(year, ()), day)
            whole = (day.month, day.day) == (12, 31)
            study.append(StudyCount(year, len(tallies), len(study_hours.short(tallies)), whole, day))
        dues_unpaid, dues_members = None, 0
        year_dues = people.dues.get(as_of.year)
        if people.dues_rules is not None and year_dues is not None and records is not None:
            unpaid = dues.unpaid_until(dues.ledger(records.roster, year_dues, people.dues_rules), as_of.year, as_of)
            dues_unpaid, dues_members = len(unpaid), len({name for name, _ in unpaid})
        if development_counts is None and not study and dues_unpaid is None:
            return None
        return PeopleStatus(as_of.year, development_counts, overdue, tuple(study), dues_unpaid, dues_members)

    def due_now(self) -> list[DueNow]:
        """What is due in the period of the cut-off (本月 meetings not yet held, 谈心谈话 still owed)."""
        records = self.records(self.as_of.year)
        if records is None:
            return []
        return [DueNow(item.type_key, item.text, item.period) for item in ledger.due_now(records, self.as_of)]

    def summary(self) -> Summary:
        """The branch as the 汇总 shows it: the cut-off's year (its 台账, or the latest 台账 before it)."""
        as_of = self.as_of
        held = [y for y in self.data.records if y <= as_of.year]
        records_year = max(held) if held else None
        latest = self.data.years[self.data.latest]
        return Summary(
            name=self.name, as_of=as_of, year=as_of.year, records_year=records_year,
            activities=tuple(self.activities(records_year)) if records_year else (),
            plan=self.plan_status(), problems=tuple(self.open_problems()), due=tuple(self.due_now()),
            sample=latest.sample, people=self.people_status(),
        )


@dataclass(frozen=True)
class Branch(_Summaries):
    """A branch's checked data: years, figures (typed and derived from the 台账), records, plan,
    checklists and the month-by-month compliance of each activity."""

    data: SiteData

    @property
    def name(self) -> str:
        return self.data.branch["name"]

    @property
    def years(self) -> list[int]:
        return sorted(self.data.years)

    def figure(self, year: int, key: str):
        """A figure of the year's report (typed in figures.yaml, or counted from the 台账); None when 待填."""
        return self.data.years[year].values.get(key)

    def records(self, year: int) -> Records | None:
        return self.data.records.get(year)

    def plan(self, year: int):
        """The plan made in `year`'s report (for the next year), or None."""
        loop = self.data.loops.years.get(year) if self.data.loops else None
        return loop.plan if loop else None

    def checklist(self, year: int):
        loop = self.data.loops.years.get(year) if self.data.loops else None
        return loop.checklist if loop else None

    @property
    def as_of(self) -> datetime.date:
        """The date progress and compliance are counted to (the latest report's 统计截至 date)."""
        return site_as_of(self.data.loops)

    def compliance(self, year: int, activity: str, group: str | None = None) -> list[Month]:
        """Month by month (or quarter by quarter) whether `activity` (an activity type key, e.g.
        committee_meeting) was held in `year`, as the 台账 grid shows it (as of that year's 统计截至
        date, `Records.cutoff`)."""
        records = self.records(year)
        if records is None:
            return []
        for row in ledger.grid(records):
            if row.type.key == activity and row.group == group:
                return [Month(p.name, p.state, len(p.records)) for p in row.periods]
        raise KeyError(f"{year} 年台账没有按期开展的活动类型 {activity}")


def load_branch(root: str | Path) -> Branch:
    """Read and check the branch project at `root` (its data/ and docs/); raises DataErrors."""
    return Branch(load_site(Path(root)))
