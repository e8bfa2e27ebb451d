"""The people's deadlines for the home page's 本月待办: pure data from the site's data and an as-of date.

Each item names the page (relative to docs/) and anchor that shows the details; the 本月待办 renderer
(macros/pages/records.py) links to it when that page exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from macros.core.people import dues, study_hours


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


def due_items(data, as_of: date) -> list[Due]:
    """Every people deadline of the as-of year."""
    records = data.records.get(as_of.year)
    people = getattr(data, "people", None)
    if records is None or people is None:
        return []
    return dues_due(records, people, as_of) + study_due(records, people, as_of)
