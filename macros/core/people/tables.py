"""The people's tables for the 台账 workbook and the printable 台账 (issue 24.6): 党员名册, 党员教育学时
and 党费, as plain rows. Give masked records and people (macros/core/redact.py) where names are hidden;
`hide_amounts` then shows every base and amount as ***, never derived from the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from macros.core.people import dues as dues_mod
from macros.core.people import study_hours

SHEETS = ("党员名册", "党员教育学时", "党费")  # sheet names (the import skips them)
HIDDEN = "***"


@dataclass(frozen=True)
class Table:
    sheet: str
    title: str  # 2022年党员名册
    headings: tuple[str, ...]
    widths: tuple[float, ...]  # about 2.25 mm each, as the 台账's columns
    rows: tuple[tuple, ...]
    landscape: bool = False

    @property
    def percents(self) -> list[float]:
        total = sum(self.widths)
        return [round(100 * w / total, 1) for w in self.widths]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


ROSTER_HEADINGS = ("序号", "姓名", "党小组", "支部职务", "党员类别", "入党日期", "转正日期",
                   "组织关系转入", "组织关系转出")
STUDY_HEADINGS = ("序号", "姓名", "支部职务", "要求", "支部活动", "个人培训", "合计", "还差")


def _transfer(t, year: int, word: str) -> str:
    return f"{_day(t.date)} {word}{t.org}" if t and t.date.year == year else ""


def roster_table(records) -> Table:
    year, last = records.year, date(records.year, 12, 31)
    rows = []
    for n, m in enumerate((m for m in records.roster if m.span(year)), start=1):
        leader = "（组长）" if records.leaders.get(m.group or "") == m.name else ""
        rows.append((n, m.name, (m.group or "") + leader, m.role, m.status_on(min(m.span(year)[1], last)),
                     _day(m.joined), _day(m.confirmed), _transfer(m.moved_in, year, "自"),
                     _transfer(m.moved_out, year, "至")))
    return Table("党员名册", f"{year}年党员名册", ROSTER_HEADINGS, (4.5, 7.5, 10, 8, 6, 10, 10, 18, 18), tuple(rows),
                 landscape=True)


def study_table(records, people, as_of: date) -> Table | None:
    if people.study is None or people.study.requirement(records.year) is None:
        return None
    tallies = study_hours.tally(records, people.study, people.training.get(records.year, ()), as_of)
    rows = tuple((n, t.name, t.role, f"{t.required:g}", f"{t.meetings:g}", f"{t.courses:g}", f"{t.done:g}",
                  f"{t.short:g}" if t.short else "") for n, t in enumerate(tallies, start=1))
    return Table("党员教育学时", f"{records.year}年党员教育学时", STUDY_HEADINGS, (4.5, 7.5, 8, 6, 7, 7, 6, 6), rows)


def _month_cell(c, last: int, money) -> str:
    if not c.owed:
        return "—"
    if c.payments:
        return money(c.paid) + "".join(k[0] for k in c.kinds)  # 补 / 预
    return "未交" if c.month <= last else ""


def dues_table(records, people, as_of: date, hide_amounts: bool) -> Table | None:
    year_dues = people.dues.get(records.year)
    if year_dues is None or people.dues_rules is None:
        return None
    money = (lambda v: HIDDEN) if hide_amounts else (lambda v: f"{v:.2f}")  # noqa: E731
    rows = []
    for n, r in enumerate(dues_mod.ledger(records.roster, year_dues, people.dues_rules), start=1):
        latest = next((c for c in reversed(r.cells) if c.base is not None), None)
        last = 12 if as_of.year > records.year else (as_of.month if as_of.year == records.year else 0)
        months = [_month_cell(c, last, money) for c in r.cells]
        rows.append((n, r.name, money(latest.base) if latest else "", money(latest.due) if latest else "",
                     *months, money(r.paid)))
    return Table("党费", f"{records.year}年党费收缴台账（元）",
                 ("序号", "姓名", "计算基数", "月应交", *(f"{m}月" for m in range(1, 13)), "全年实交"),
                 (4.5, 7.5, 8, 7, *([7] * 12), 8), tuple(rows), landscape=True)


def people_tables(records, people, as_of: date, hide_amounts: bool) -> list[Table]:
    """The year's people tables (those it has data for), in sheet order."""
    if people is None:
        return [roster_table(records)]
    found = [roster_table(records), study_table(records, people, as_of),
             dues_table(records, people, as_of, hide_amounts)]
    return [t for t in found if t is not None]
