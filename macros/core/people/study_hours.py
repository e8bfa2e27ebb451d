"""党员教育学时: each member's hours for a year, summed from the records they attended, against the
yearly requirement kept as data (data/people/rules.yaml `study_hours`).

- A record of a type listed in `per_type` gives every member who attended it that many hours (a
  record's own `hours:` overrides it). Who attended: the members the type expects (全体党员, 支部委员,
  the 党小组's members) who belonged to the branch on that day, less those recorded absent.
- Individual training outside the branch's meetings (上级调训, 网络培训 …) is listed per year in
  data/people/<year>/training.yaml, one entry per course and member.
- The requirement is chosen by role (支部委员 or 党员) from the latest `requirements` entry whose
  `from` year is not after the year; with `prorate: true` a member in the branch for part of the
  year owes that share (whole months, rounded up to the half hour).
Pure data and functions; no file reading here (macros/core/people/load.py reads the files).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from macros.core.people.dates import months_between


@dataclass(frozen=True)
class Requirement:
    start: int  # the first year it applies to
    members: float  # 党员
    committee: float  # 支部委员（基层党组织书记和班子成员）
    basis: str = ""


@dataclass(frozen=True)
class StudyRules:
    per_type: dict[str, float]
    requirements: tuple[Requirement, ...]
    prorate: bool = False
    remind_from_month: int = 10  # 本月待办 names who is short from this month on (Q4)

    def requirement(self, year: int) -> Requirement | None:
        usable = [r for r in self.requirements if r.start <= year]
        return max(usable, key=lambda r: r.start) if usable else None


@dataclass(frozen=True)
class Training:
    """A course one member took outside the branch's own meetings."""

    name: str
    date: date
    topic: str
    hours: float
    line: int = 1


@dataclass
class Tally:
    name: str
    role: str
    required: float
    meetings: float = 0.0  # from the branch's records
    courses: float = 0.0  # from individual training
    items: list[tuple[date, str, float]] = field(default_factory=list)  # (day, what, hours)

    @property
    def done(self) -> float:
        return self.meetings + self.courses

    @property
    def short(self) -> float:
        return max(0.0, self.required - self.done)


def record_hours(record, rules: StudyRules) -> float | None:
    """The hours a record gives each attendee (None: the type does not count)."""
    if record.hours is not None:
        return float(record.hours)
    return rules.per_type.get(record.type)


def attendees(record, records) -> list[str]:
    """Who attended a record: those its type expects on its day, less those recorded absent."""
    if record.date is None:
        return []
    kind = records.types.get(record.type)
    here = records.on(record.date)
    if kind is None or kind.attendance in (None, "pair"):
        return []
    if kind.attendance == "committee":
        here = tuple(m for m in here if m.committee)
    elif kind.attendance == "group":
        here = tuple(m for m in here if m.group == record.group)
    absent = {name for name, _ in record.absent}
    return [m.name for m in here if m.name not in absent]


def required_of(member, year: int, rule: Requirement, prorate: bool) -> float:
    full = rule.committee if member.committee else rule.members
    span = member.span(year)
    if not prorate or span is None or span == (date(year, 1, 1), date(year, 12, 31)):
        return full
    months = months_between(span[0], span[1]) + 1  # a started month counts
    return min(full, math.ceil(full * min(months, 12) / 12 * 2) / 2)


def tally(records, rules: StudyRules, training: tuple[Training, ...] = (), as_of: date | None = None) -> list[Tally]:
    """Each member of the year (in roster order) with hours done up to `as_of` and hours required. For a
    whole year (`as_of` its last day) every counted record of its 台账 counts: a meeting held in the next
    year for this one (2022年度组织生活会 on 2023-02-10, filed under 2022) counts for the year it is held
    for, as the 台账 does; the year's 统计截至 date has already cut the records."""
    rule = rules.requirement(records.year)
    if rule is None:
        return []
    rows = {m.name: Tally(m.name, m.role, required_of(m, records.year, rule, rules.prorate))
            for m in records.roster if m.span(records.year)}
    for record in records.items:
        hours = record_hours(record, rules)
        if not hours or record.date is None or (as_of and as_of < date(records.year, 12, 31) and record.date > as_of):
            continue
        name = records.types[record.type].name if record.type in records.types else record.type
        for person in attendees(record, records):
            if person in rows:
                rows[person].meetings += hours
                rows[person].items.append((record.date, f"{name}：{record.topic or '待填'}", hours))
    for t in training:
        if t.name in rows and (as_of is None or t.date <= as_of):
            rows[t.name].courses += t.hours
            rows[t.name].items.append((t.date, t.topic, t.hours))
    for row in rows.values():
        row.items.sort()
    return list(rows.values())


def short(tallies: list[Tally]) -> list[Tally]:
    return [t for t in tallies if t.short > 0]
