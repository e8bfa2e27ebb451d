"""Date arithmetic of the people's rules (预备期, 培养期, 学时 and 党费 periods): whole months, clipped.

A period of n months from a day ends on the same day n months later; when that month is shorter
(31 January + 1 month, 29 February + 12 months) it ends on the month's last day. Pure functions.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months (negative: back), clipped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (the largest n with add_months(start, n) <= end); 0 if end < start."""
    if end < start:
        return 0
    n = (end.year - start.year) * 12 + end.month - start.month
    while n > 0 and add_months(start, n) > end:
        n -= 1
    return n


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_of(day: date) -> int:
    """1–4."""
    return (day.month - 1) // 3 + 1


def parse(value) -> date | None:
    """A YAML date written as 2022-03-15 (read as text by the site's YAML reader); None when absent."""
    if value in (None, "", "待填"):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
