"""党员名册 with history: who belonged to the branch on a given day, and in what standing.

A year's roster (data/records/<year>/roster.yaml) lists everyone who belonged to the branch on
some day of that year, each with the dates that matter:

- `joined` 入党日期 (the day the 支部大会 accepted them as 预备党员) — required for a 预备党员;
- `confirmed` 转正日期, when a 预备党员 became 正式 (status is then read from the dates);
- `moved_in: {date, from}` 组织关系转入 and `moved_out: {date, to}` 组织关系转出.

`status` is the standing the member had when the year (or their time in the branch) began. A
member belongs from the later of 转入 and 入党 on, up to the day before 转出 (from the 转出 day on
the relation is with the other organisation). 应到 of a meeting, 谈心谈话 pairs, 学时 and 党费 use
`on(day)`: someone who moved in in June is not 应到 in March.

The roster also names each 党小组's 组长 (`groups: [{name, leader}]`), against which 党小组会 are
checked. Nothing else about a person is kept: no ID number, phone or address (编辑指南 says why).
Plain data and pure functions; problems are (line, key, 中文) tuples for the loader to place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from macros.core.chinese import chinese_date

COMMITTEE_ROLES = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员")
FULL, PROBATIONARY = "正式", "预备"


@dataclass(frozen=True)
class Transfer:
    """组织关系转接: the day and the other organisation (转入 from / 转出 to)."""

    date: date
    org: str


@dataclass(frozen=True)
class Member:
    name: str
    role: str
    group: str | None
    status: str  # 正式 / 预备 when the year (or the member's time in the branch) began
    joined: date | None = None  # 入党日期
    confirmed: date | None = None  # 转正日期
    moved_in: Transfer | None = None
    moved_out: Transfer | None = None
    retired: bool = False  # 离退休 (党费 proportions differ)
    line: int = 1

    @property
    def committee(self) -> bool:
        return self.role in COMMITTEE_ROLES

    @property
    def start(self) -> date | None:
        """The first day in the branch (None: since before any date that matters)."""
        days = [d for d in (self.moved_in.date if self.moved_in else None,
                            self.joined if self.status == PROBATIONARY else None) if d]
        return max(days) if days else None

    @property
    def end(self) -> date | None:
        """The first day no longer in the branch (None: still in it)."""
        return self.moved_out.date if self.moved_out else None

    def belongs(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def status_on(self, day: date) -> str:
        if self.confirmed is not None:
            return FULL if day >= self.confirmed else PROBATIONARY
        return self.status

    def span(self, year: int) -> tuple[date, date] | None:
        """(first, last) day in the branch within the year, both inclusive; None when never."""
        first = max(date(year, 1, 1), self.start or date(year, 1, 1))
        last = min(date(year, 12, 31), self.end - timedelta(days=1) if self.end else date(year, 12, 31))
        return (first, last) if first <= last else None

    def absence(self, day: date) -> str | None:
        """Why the member was not in the branch on `day` (None when they were): for messages."""
        if self.start is not None and day < self.start:
            how = "转入" if self.moved_in and self.moved_in.date == self.start else "入党"
            return f"{chinese_date(self.start)}{how}"
        if self.end is not None and day >= self.end:
            return f"{chinese_date(self.end)}已转出"
        return None


def on(members, day: date) -> tuple[Member, ...]:
    """The roster on a day: the members who belonged to the branch that day."""
    return tuple(m for m in members if m.belongs(day))


def overlap(a: Member, b: Member, year: int) -> bool:
    """Whether two members were in the branch together on some day of the year."""
    sa, sb = a.span(year), b.span(year)
    return bool(sa and sb and max(sa[0], sb[0]) <= min(sa[1], sb[1]))


@dataclass(frozen=True)
class Event:
    """A change of the roster within a year (the 名册 page lists them)."""

    date: date
    kind: str  # 转入 / 转出 / 接收为预备党员 / 转正
    name: str
    org: str = ""  # the other organisation of a 转接


def events(members, year: int) -> list[Event]:
    found = []
    for m in members:
        if m.moved_in and m.moved_in.date.year == year:
            found.append(Event(m.moved_in.date, "转入", m.name, m.moved_in.org))
        if m.moved_out and m.moved_out.date.year == year:
            found.append(Event(m.moved_out.date, "转出", m.name, m.moved_out.org))
        if m.joined and m.joined.year == year:
            found.append(Event(m.joined, "接收为预备党员", m.name))
        if m.confirmed and m.confirmed.year == year:
            found.append(Event(m.confirmed, "转正", m.name))
    return sorted(found, key=lambda e: (e.date, e.name))


def last_counted_day(year: int, cutoff: date | None) -> date:
    """The day a year's people figures are counted on: 31 December, or the 统计截至 date when the
    year is cut off earlier (records after it are not counted, nor are people who came after it)."""
    end = date(year, 12, 31)
    return min(end, cutoff) if cutoff is not None and cutoff.year == year else end


def counted_day(year: int, cutoff: date | None, as_of: date) -> date:
    """The day a year's 名册 and 学时 pages count to: its last counted day when its 台账 has a cut-off,
    else, for the year under way, the as-of date within it."""
    if cutoff is not None:
        return last_counted_day(year, cutoff)
    end = date(year, 12, 31)
    return min(end, as_of) if as_of.year == year else end


def admitted(members, year: int, last: date) -> list[Member]:
    """预备党员 the branch accepted in the year up to `last` (发展党员数): 入党 in the year while
    belonging to the branch. A member who was accepted elsewhere and then moved in is not counted."""
    return [m for m in members
            if m.joined is not None and m.joined.year == year and m.joined <= last and m.belongs(m.joined)]


def counts(members, day: date) -> dict[str, int]:
    """党员人数 on a day: 合计, 正式, 预备."""
    here = on(members, day)
    full = sum(m.status_on(day) == FULL for m in here)
    return {"合计": len(here), FULL: full, PROBATIONARY: len(here) - full}


def _member_problems(m: Member, year: int) -> list[tuple[int, str, str]]:
    problems = []
    if m.status == PROBATIONARY and m.joined is None:
        problems.append((m.line, "joined", f"{m.name} 是预备党员，应写入党日期 joined（预备期从这天算起）"))
    if m.confirmed is not None and m.joined is not None and m.confirmed <= m.joined:
        problems.append((m.line, "confirmed", f"{m.name} 的转正日期 {m.confirmed} 不晚于入党日期 {m.joined}"))
    if m.status == FULL and m.confirmed is not None and m.confirmed > date(year, 1, 1) \
            and (m.start is None or m.confirmed > m.start):
        problems.append((m.line, "status", f"{m.name} 在 {year} 年 {m.confirmed} 才转正，status 应写 预备"
                         "（写年初或转入时的类别，转正后的类别由转正日期得出）"))
    if m.moved_in and m.moved_out and m.moved_out.date <= m.moved_in.date:
        problems.append((m.line, "moved_out", f"{m.name} 的转出日期 {m.moved_out.date} 不晚于转入日期"
                         f" {m.moved_in.date}"))
    late = [(key, t) for key, t in (("moved_in", m.moved_in), ("moved_out", m.moved_out))
            if t and t.date.year > year]
    for key, transfer in late:
        problems.append((m.line, key, f"{m.name} 的{'转入' if key == 'moved_in' else '转出'}日期 "
                         f"{transfer.date} 在 {year} 年之后，不应写在 {year} 年名册中"))
    if late:
        return problems
    if m.moved_out and m.moved_out.date.year < year:
        problems.append((m.line, "moved_out", f"{m.name} 已于 {m.moved_out.date} 转出，不应列入 {year} 年名册"))
    elif m.span(year) is None:
        problems.append((m.line, "name", f"{m.name} 在 {year} 年没有一天属于本支部，不应列入 {year} 年名册"))
    return problems


def _group_problems(members, year: int, leaders: dict[str, tuple[str, int]]) -> list[tuple[int, str, str]]:
    problems = []
    groups = {m.group for m in members if m.group}
    names = {m.name: m for m in members}
    for group, (leader, line) in leaders.items():
        if group not in groups:
            problems.append((line, "groups", f"党小组 {group} 没有党员（名册中没有人写 group: {group}）"))
        member = names.get(leader)
        if member is None:
            problems.append((line, "leader", f"{group} 组长 {leader} 不在 {year} 年党员名册中"))
        elif member.group != group:
            problems.append((line, "leader", f"{group} 组长 {leader} 不是该党小组的党员（名册写 {member.group}）"))
    if leaders:
        for group in sorted(groups - set(leaders)):
            line = next(m.line for m in members if m.group == group)
            problems.append((line, "group", f"党小组 {group} 没有写组长：请在名册 groups 中写明 leader"))
    return problems


def check(members, year: int, leaders: dict[str, tuple[str, int]]) -> list[tuple[int, str, str]]:
    """What is wrong with a year's roster: (line, key, 中文) each."""
    problems = [p for m in members for p in _member_problems(m, year)]
    return problems + _group_problems(members, year, leaders)

def pairs_together(members, year: int) -> int:
    """How many two-member pairs were in the branch together on some day of the year."""
    members = list(members)
    return sum(overlap(a, b, year) for n, a in enumerate(members) for b in members[n + 1:])
