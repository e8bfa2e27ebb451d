"""Official public holidays (国务院办公厅 yearly notice) for the 重要节点廉政提醒, from `chinese_calendar`.

The library (pip `chinesecalendar`, pinned in requirements.txt) ships each year's official
arrangement, so lunar festivals are never guessed by shifting last year's dates. Its data
covers the years `covered()` returns; for a later year the State Council has not published
the arrangement yet, and callers write 待填.

A reminder names its festival in Chinese, optionally with the year of the festival day:
`春节` (the plan year's) or `2024年元旦` (the next 元旦, whose days off may start in December).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from chinese_calendar import Holiday

# The names editors write (the library's own Chinese names) → the library's holidays
FESTIVALS: dict[str, Holiday] = {
    "元旦": Holiday.new_years_day,
    "春节": Holiday.spring_festival,
    "清明": Holiday.tomb_sweeping_day,
    "劳动节": Holiday.labour_day,
    "端午": Holiday.dragon_boat_festival,
    "中秋": Holiday.mid_autumn_festival,
    "国庆节": Holiday.national_day,
}
FESTIVAL = re.compile(r"^(?:(\d{4})年)?(" + "|".join(FESTIVALS) + r")$")
SOURCE = "国务院办公厅节假日安排（chinesecalendar 节假日库）"


@dataclass(frozen=True)
class Festival:
    year: int  # the year of the festival day itself
    name: str  # 春节

    @property
    def label(self) -> str:
        return f"{self.year}年{self.name}"


def parse(text: str, plan_year: int) -> Festival:
    """`春节` → the plan year's 春节; `2024年元旦` → 2024's. ValueError for anything else."""
    match = FESTIVAL.match(str(text).strip())
    if not match:
        raise ValueError(f"节日 {text} 无法识别，应为 {'、'.join(FESTIVALS)} 之一（可加年份，如 2024年元旦）")
    return Festival(int(match.group(1) or plan_year), match.group(2))


@cache
def covered() -> tuple[int, int]:
    """The first and last year whose official arrangement the library holds."""
    years = {day.year for day in chinese_calendar.constants.holidays}
    return min(years), max(years)


def is_covered(year: int) -> bool:
    first, last = covered()
    return first <= year <= last


def first_day_off(festival: Festival) -> date | None:
    """The first day of the festival's days off (weekends adjoining it included); None when the
    library has no arrangement for that year yet.

    春节 2023 → 2023-01-21 (除夕, a Saturday); 元旦 2024 → 2023-12-30.
    """
    if not is_covered(festival.year):
        return None
    holiday = FESTIVALS[festival.name]
    named = sorted(
        day for day, name in chinese_calendar.constants.holidays.items()
        if day.year == festival.year and name == holiday.value
    )
    if not named:
        return None
    day = named[0]
    while is_covered((day - timedelta(days=1)).year) and chinese_calendar.is_holiday(day - timedelta(days=1)):
        day -= timedelta(days=1)
    return day


def workday_before(day: date, lead_days: int) -> date:
    """`lead_days` before `day`, moved back to the nearest working day (调休 workdays count as such)."""
    out = day - timedelta(days=lead_days)
    while is_covered(out.year) and not chinese_calendar.is_workday(out):
        out -= timedelta(days=1)
    return out
