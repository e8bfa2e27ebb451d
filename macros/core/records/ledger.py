"""What the 台账 says: month-by-month compliance, 谈心谈话 coverage, what is due now.

Pure data computed from `records.Records` and an as-of date (by default the year's 统计截至 date,
`Records.cutoff`); HTML is in macros/pages/records.py. Only `Records.items` are read: the records
held for the year (年度) and dated on or before its cut-off (model.settle), so the grid, its totals,
the checklist ticks, 谈心谈话 coverage and 本月待办 all count the same records.

A period (month, quarter or year) is
- 已开展 (held): at least one record of the type is counted in it (by date; a type held for a
  year, such as 组织生活会, by the year it is held for: the year's one period);
- 未达标 (missed): none, and the period ended on or before the as-of date (统计截至7月31日 counts
  July to its end: a July without a record is missed, not still to come);
- 本期待开展 (current): none yet, and the as-of date falls in it before its last day;
- 未到期 (not due): it starts after the as-of date.
"""

from __future__ import annotations

import calendar
import itertools
from dataclasses import dataclass, field
from datetime import date

from macros.core.people.roster import overlap
from macros.core.records.model import ActivityType, Member, Record, Records

HELD, MISSED, CURRENT, NOT_DUE = "已开展", "未达标", "本期待开展", "未到期"
QUARTER_NAMES = "一二三四"
# checklist frequency wording ↔ activity type frequency
CHECKLIST_FREQUENCY = {"每月": "month", "每季度": "quarter"}


@dataclass(frozen=True)
class Period:
    label: str  # 3月 / 第二季度 / 全年
    start: date
    end: date
    state: str
    records: tuple[Record, ...] = ()

    @property
    def name(self) -> str:
        """The period as a sentence names it: 2022年3月 / 2022年第二季度 / 2022年."""
        if self.label == "全年":
            return f"{self.start.year}年"
        return f"{self.start.year}年{self.label}"


def periods_of(year: int, frequency: str) -> list[tuple[str, date, date]]:
    if frequency == "month":
        return [(f"{m}月", date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])) for m in range(1, 13)]
    if frequency == "quarter":
        return [
            (f"第{QUARTER_NAMES[q]}季度", date(year, 3 * q + 1, 1),
             date(year, 3 * q + 3, calendar.monthrange(year, 3 * q + 3)[1]))
            for q in range(4)
        ]
    if frequency == "year":
        return [("全年", date(year, 1, 1), date(year, 12, 31))]
    return []


def state_of(start: date, end: date, held: bool, as_of: date) -> str:
    if held:
        return HELD
    if end <= as_of:
        return MISSED
    if start <= as_of:
        return CURRENT
    return NOT_DUE


@dataclass
class Row:
    """One activity (for 党小组会: one group) across the year's periods."""

    type: ActivityType
    group: str | None
    periods: list[Period]
    records: list[Record]

    @property
    def title(self) -> str:
        return f"{self.type.name}（{self.group}）" if self.group else self.type.name

    @property
    def held(self) -> int:
        return sum(p.state == HELD for p in self.periods)

    @property
    def due(self) -> int:
        """Periods that have ended, plus the current one if it is already held."""
        return sum(p.state in (HELD, MISSED) for p in self.periods)

    @property
    def missed(self) -> list[Period]:
        return [p for p in self.periods if p.state == MISSED]

    @property
    def current(self) -> Period | None:
        return next((p for p in self.periods if p.state == CURRENT), None)

    @property
    def unit(self) -> str:
        return {"month": "个月", "quarter": "个季度", "year": "年"}[self.type.frequency]

    @property
    def attendance(self) -> tuple[int, int] | None:
        """(应到人次, 实到人次) over its records, when attendance is counted."""
        counted = [r for r in self.records if r.expected is not None and r.present is not None]
        if not counted:
            return None
        return sum(r.expected for r in counted), sum(r.present for r in counted)


def counted_to(records: Records, as_of: date | None = None) -> date:
    """The date a year's 台账 is judged to: the given date, else the year's 统计截至 date."""
    return as_of or records.cutoff or date.today()


def grid(records: Records, as_of: date | None = None) -> list[Row]:
    """A row per activity type with a frequency (per 党小组 for 党小组会), in the types' order."""
    as_of = counted_to(records, as_of)
    rows = []
    for kind in records.types.values():
        if not kind.frequency:
            continue
        of_type = [r for r in records.of_type(kind.key) if r.date is not None]
        groups = records.groups if kind.attendance == "group" else [None]
        for group in groups:
            mine = [r for r in of_type if group is None or r.group == group]
            periods = []
            for label, start, end in periods_of(records.year, kind.frequency):
                if kind.held_for_year:  # by the year it is held for, whatever its date
                    inside = tuple(r for r in mine if r.for_year == start.year)
                else:
                    inside = tuple(r for r in mine if start <= r.date <= end)
                periods.append(Period(label, start, end, state_of(start, end, bool(inside), as_of), inside))
            rows.append(Row(kind, group, periods, mine))
    return rows


# -- 谈心谈话 ---------------------------------------------------------------------------------

@dataclass
class Pair:
    a: Member
    b: Member
    talks: list[Record] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return bool(self.talks)

    @property
    def kind(self) -> str:
        return "支部委员之间" if self.b.committee else "支部委员和党员之间"


@dataclass
class Coverage:
    pairs: list[Pair]  # the pairs the rule expects and that can be enumerated
    others: list[Record]  # talks between two ordinary members (counted, not required pair by pair)

    @property
    def held(self) -> int:
        return sum(p.held for p in self.pairs)

    @property
    def missing(self) -> list[Pair]:
        return [p for p in self.pairs if not p.held]


def heart_coverage(records: Records, type_key: str = "heart_talk") -> Coverage:
    """Every committee member with every other member (委员之间、委员和党员之间) that year: the pairs
    who were in the branch together on some day of it (the dated roster, macros/core/people/roster.py)."""
    committee = records.committee
    members = [m for m in records.roster if not m.committee]
    pairs = [Pair(a, b) for a, b in itertools.combinations(committee, 2)]
    pairs += [Pair(c, m) for c in committee for m in members]
    pairs = [p for p in pairs if overlap(p.a, p.b, records.year)]
    index = {frozenset((p.a.name, p.b.name)): p for p in pairs}
    others = []
    for record in records.of_type(type_key):
        pair = index.get(frozenset(record.people))
        if pair is not None:
            pair.talks.append(record)
        elif len(record.people) == 2:
            others.append(record)
    return Coverage(pairs, others)


# -- the checklist's periodic items ---------------------------------------------------------

@dataclass(frozen=True)
class Tick:
    """A periodic checklist item as the records tick it: held periods out of the year's."""

    row: Row

    @property
    def held(self) -> int:
        return self.row.held

    @property
    def total(self) -> int:
        return len(self.row.periods)

    @property
    def text(self) -> str:
        missed = self.row.missed
        note = f"，{'、'.join(p.label for p in missed)}未开展" if missed else ""
        return f"已开展{self.held}/{self.total}{self.row.unit}{note}"

    @property
    def status(self) -> str:
        """The item's status, from its periods: 已完成 / 进行中 / 未开始."""
        if self.held == self.total:
            return "已完成"
        return "进行中" if self.held or self.row.due else "未开始"


def tick(records: Records, type_key: str, as_of: date | None = None) -> Tick | None:
    rows = [r for r in grid(records, as_of) if r.type.key == type_key]
    if len(rows) != 1:  # 党小组会 has one row per group: not one tick
        return None
    return Tick(rows[0])


# -- what is due now --------------------------------------------------------------------------

@dataclass(frozen=True)
class DueItem:
    kind: str  # meeting | talk
    text: str
    period: str  # 本月 / 本季度 / 本年
    type_key: str


def due_now(records: Records, as_of: date | None = None) -> list[DueItem]:
    """Meetings not yet held in the period that contains the as-of date (still to come, or missed
    when the as-of date is its last day), then 谈心谈话 still missing."""
    as_of = counted_to(records, as_of)
    items = []
    if records.year != as_of.year:
        return items
    word = {"month": "本月", "quarter": "本季度", "year": "本年"}
    for row in grid(records, as_of):
        current = next((p for p in row.periods if p.start <= as_of <= p.end and p.state != HELD), None)
        if current is not None:
            items.append(DueItem("meeting", f"{row.title}：{current.name}尚未开展", word[row.type.frequency],
                                 row.type.key))
    for kind in records.types.values():
        if kind.attendance == "pair":
            coverage = heart_coverage(records, kind.key)
            if coverage.missing:
                text = f"{kind.name}：尚有{len(coverage.missing)}对未谈（共{len(coverage.pairs)}对）"
                items.append(DueItem("talk", text, "本年", kind.key))
    return items
