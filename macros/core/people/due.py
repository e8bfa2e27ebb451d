"""The people's deadlines for the home page's 本月待办: pure data from the site's data and an as-of date.

Each item names the page (relative to docs/) and anchor that shows the details; the 本月待办 renderer
(macros/pages/records.py) links to it when that page exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from macros.core.chinese import chinese_date
from macros.core.people import development, dues, study_hours
from macros.core.people.dates import add_months


@dataclass(frozen=True)
class Due:
    when: str  # 本月 / 本季度 / 本年 / 已逾期
    text: str
    page: str  # people/2023/study.md
    anchor: str | None = None


def study_due(records, people, as_of: date) -> list[Due]:
    """In the last months of the year (rules: remind_from_month): who is short of the year's 学时."""
    rules = people.study
    if rules is None or records is None or as_of.month < rules.remind_from_month:
        return []
    tallies = study_hours.tally(records, rules, people.training.get(records.year, ()), as_of)
    short = study_hours.short(tallies)
    if not short:
        return []
    return [Due("本年", f"党员教育学时：{len(short)}名党员尚未达到年度要求", f"people/{records.year}/study.md",
                "学时不足")]


def dues_due(records, people, as_of: date) -> list[Due]:
    """党费: who has not paid the current month yet, and months before it still unpaid."""
    rules, year_dues = people.dues_rules, people.dues.get(as_of.year)
    if rules is None or year_dues is None or records is None:
        return []
    rows = dues.ledger(records.roster, year_dues, rules)
    unpaid = dues.unpaid_until(rows, as_of.year, as_of)
    page = f"people/{as_of.year}/dues.md"
    items = []
    late = [(n, m) for n, m in unpaid if m < as_of.month]
    if late:
        months = "、".join(f"{m}月" for m in sorted({m for _, m in late}))
        items.append(Due("已逾期", f"党费：{len(late)}人次未交（{months}）", page, "未交"))
    now = [n for n, m in unpaid if m == as_of.month]
    if now:
        items.append(Due("本月", f"党费：{as_of.month}月尚有{len(now)}名党员未交", page, "未交"))
    return items


def development_due(records, people, as_of: date) -> list[Due]:
    """发展党员 steps whose date falls within `remind_days` (or has passed): the latest date of a
    step that has one (谈话 within a month), the earliest of one that waits (发展对象 after a year of
    培养, 转正 when the 预备期 ends), and each 积极分子's 考察; and 转正 of any 预备党员 of the roster."""
    rules = people.development_rules
    if rules is None:
        return []
    horizon = as_of + timedelta(days=rules.remind_days)
    page, items, named = "people/development.md", [], set()
    for person in people.development:
        step = development.next_step(person, rules)
        if step is None:
            continue
        when = step.latest or step.earliest
        if when is not None and when <= horizon:
            word = "前" if step.latest else "起"
            state = "已逾期" if step.latest and as_of > step.latest else ("本月" if when.month == as_of.month
                                                                          and when.year == as_of.year else "即将")
            items.append(Due(state, f"发展党员：{person.name}（{person.standing}）{chinese_date(when)}{word}"
                                    f"{step.name}", page, "下一步"))
            named.add(person.name)
        review = development.review_due(person, rules)
        if review is not None and review <= horizon:
            items.append(Due("已逾期" if review < as_of else "即将",
                             f"发展党员：{person.name}（{person.standing}）{chinese_date(review)}前考察一次", page,
                             "下一步"))
    probation = next((r for r in rules.rules if r.after == "admitted" and r.before == "confirmed" and r.min_months),
                     None)
    for m in records.roster if probation and records else ():
        if m.name in named or m.joined is None or m.confirmed is not None or m.status_on(as_of) != "预备":
            continue
        end = add_months(m.joined, probation.min_months)
        if m.belongs(as_of) and end <= horizon:
            items.append(Due("本月" if end.month == as_of.month and end.year == as_of.year else
                             ("已逾期" if end < as_of else "即将"),
                             f"转正：{m.name} 预备期{chinese_date(end)}满，支部大会应及时讨论其转正", page, "下一步"))
    return items


def due_items(data, as_of: date) -> list[Due]:
    """Every people deadline of the as-of year."""
    records = data.records.get(as_of.year)
    people = getattr(data, "people", None)
    if records is None or people is None:
        return []
    return (dues_due(records, people, as_of) + development_due(records, people, as_of)
            + study_due(records, people, as_of))
