"""Official public holidays (国务院办公厅 yearly notice) for the 重要节点廉政提醒, from `chinese_calendar`.

The library (pip `chinesecalendar`, pinned in pyproject.toml) ships each year's official
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
import yaml
from chinese_calendar import Holiday

from macros.core.checklists import PENDING
from macros.core.reading.yamlio import yaml_scalar

UNFILLED = "待填"

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


def due(plan_year: int) -> list[Festival]:
    """The festivals a plan year's reminders are for: its own (元旦 aside, whose days off may start
    the December before) and the next 元旦."""
    return [Festival(plan_year, name) for name in FESTIVALS if name != "元旦"] + [Festival(plan_year + 1, "元旦")]


def missing(plan_year: int, holiday_days: set[date]) -> list[tuple[Festival, date]]:
    """The festivals of the plan year (`due`) whose days off no reminder is for: (festival, first
    day off), for the years the library covers. Festivals whose days off run together (中秋 and
    国庆节 in 2023) share one reminder; apart (2024: 9-15 and 10-01) each needs its own."""
    out = []
    for festival in due(plan_year):
        first = first_day_off(festival)
        if first is not None and first not in holiday_days:
            out.append((festival, first))
    return out


def workday_before(day: date, lead_days: int) -> date:
    """`lead_days` before `day`, moved back to the nearest working day (调休 workdays count as such)."""
    out = day - timedelta(days=lead_days)
    while is_covered(out.year) and not chinese_calendar.is_workday(out):
        out -= timedelta(days=1)
    return out


HOLIDAY_LINE = re.compile(r"^(\s*(?:-\s+)?holiday:\s*)([^#\n]*?)(\s*(?:#.*)?)$", re.MULTILINE)
DATE_LINE = re.compile(r"^(\s*(?:-\s+)?date:\s*)([^#\n]*?)(\s*(?:#.*)?)$", re.MULTILINE)


def reminder_dates(prev_reminders: list[dict], year: int, delta: int = 1) -> tuple[list[tuple[str, str]], list[str]]:
    """Each reminder's (放假首日, 提醒日期) for the new plan year, from the holiday library, and notes.

    The festival keeps its name (a year in it has moved on with the rest of the file); the
    reminder keeps last year's lead (days before the first day off), moved back to a working
    day. A festival whose year the library does not cover yet gets 待填 twice.
    """
    out, pending = [], []
    for entry in prev_reminders:
        festival = parse(entry["festival"], year - delta)
        festival = Festival(festival.year + delta, festival.name)
        first = first_day_off(festival)
        if first is None:
            out.append((UNFILLED, UNFILLED))
            pending.append(f"{entry['id']}（{festival.label}）")
            continue
        lead = 3
        if entry["holiday"] != UNFILLED and entry["date"] != UNFILLED:
            lead = (date.fromisoformat(str(entry["holiday"])) - date.fromisoformat(str(entry["date"]))).days
        out.append((first.isoformat(), workday_before(first, lead).isoformat()))
    return out, pending


OCCASION_LINE = re.compile(r"^(\s*(?:-\s+)?occasion:\s*)([^#\n]*?)(\s*(?:#.*)?)$", re.MULTILINE)


ENTRY_LINE = re.compile(r"^\s*-\s+id:", re.MULTILINE)


def splits(prev_reminders: list[dict], year: int, delta: int = 1) -> list[tuple[int, Festival, date]]:
    """Festivals that shared a reminder last year because their days off ran together, and whose
    days off are apart in the new plan year `year`: (index of the shared reminder, the festival that
    needs its own reminder, its first day off). 2023: 中秋 and 国庆节 from 9-29 (one reminder);
    2024: 中秋 9-15, 国庆节 10-01 (two)."""
    prev_year = year - delta
    named = set()
    for entry in prev_reminders:
        try:
            named.add(parse(entry["festival"], prev_year))
        except ValueError:
            continue
    out = []
    for index, entry in enumerate(prev_reminders):
        try:
            festival = parse(entry["festival"], prev_year)
        except ValueError:
            continue
        first = first_day_off(festival)
        if first is None:
            continue
        moved = first_day_off(Festival(festival.year + delta, festival.name))
        for other in due(prev_year):
            if other in named or other == festival or first_day_off(other) != first:
                continue
            other_new = Festival(other.year + delta, other.name)
            other_first = first_day_off(other_new)
            if other_first is not None and moved is not None and other_first != moved:
                out.append((index, other_new, other_first))
    return out


def _own_reminder(entry: dict, rid: str, festival: Festival, first: date, lead: int, plan_year: int) -> str:
    text = festival.name if festival.year == plan_year else festival.label
    fields = {
        "id": rid, "occasion": festival.name, "festival": text, "holiday": first.isoformat(),
        "date": workday_before(first, lead).isoformat(), "form": entry["form"], "owner": entry["owner"],
        "status": PENDING, "task": entry.get("task"),
    }
    lines = [f"  # 由 make new-year 新增：{festival.label}与{entry['festival']}不再连在一起放假，各发一次提醒"]
    for n, (key, value) in enumerate((k, v) for k, v in fields.items() if v is not None):
        shown = value if key in ("holiday", "date") else yaml_scalar(str(value))
        lines.append(f"  {'- ' if n == 0 else '  '}{key}: {shown}")
    return "\n".join(lines) + "\n"


def carry_reminders(text: str, prev_reminders: list[dict], year: int, delta: int = 1) -> tuple[str, list[str]]:
    """The carried-over reminders.yaml (plan year `year`, `delta` years on) with 放假首日 and 提醒日期
    from the holiday library; a festival that shared a reminder last year but is apart this year
    (`splits`) gets its own, appended, and the shared one is named after its own festival."""
    dates, pending = reminder_dates(prev_reminders, year, delta)
    holidays_iter, dates_iter = iter(d[0] for d in dates), iter(d[1] for d in dates)
    text = HOLIDAY_LINE.sub(lambda m: f"{m.group(1)}{next(holidays_iter)}{m.group(3)}", text)
    text = DATE_LINE.sub(lambda m: f"{m.group(1)}{next(dates_iter)}{m.group(3)}", text)
    apart = splits(prev_reminders, year, delta)
    if apart:
        renamed = {index for index, _, _ in apart}
        count = iter(range(len(prev_reminders)))

        def occasion(m):
            n = next(count)
            if n not in renamed:
                return m.group(0)
            festival = parse(prev_reminders[n]["festival"], year - delta)
            return f"{m.group(1)}{yaml_scalar(festival.name)}{m.group(3)}"

        text = OCCASION_LINE.sub(occasion, text)
        ids = {str(e["id"]) for e in prev_reminders}
        starts = [m.start() for m in ENTRY_LINE.finditer(text)] + [len(text.rstrip("\n")) + 1]
        text = text.rstrip("\n") + "\n"
        number, added = len(prev_reminders), []
        for index, festival, first in apart:
            number += 1
            while f"r{number}" in ids:
                number += 1
            entry = prev_reminders[index]
            lead = 3
            if dates[index][0] != UNFILLED and dates[index][1] != UNFILLED:
                lead = (date.fromisoformat(dates[index][0]) - date.fromisoformat(dates[index][1])).days
            added.append((starts[index + 1], _own_reminder(entry, f"r{number}", festival, first, lead, year)))
        for at, block in sorted(added, key=lambda a: a[0], reverse=True):  # after the shared reminder
            text = text[:at] + block + text[at:]
        if len((yaml.safe_load(text) or {}).get("reminders") or []) != len(prev_reminders) + len(apart):
            raise AssertionError("reminders.yaml：新增的提醒没有接在 reminders 列表之后")
    first, last = covered()
    note = (
        f"# 放假首日取自{SOURCE}，提醒日期按上一年提前的天数重算（遇休息日提前到工作日）。\n"
        f"# 节假日库目前收录 {first}—{last} 年的放假安排；"
        + (f"{'、'.join(pending)} 的放假安排尚未收录，写作 {UNFILLED}：国务院办公厅公布当年节假日安排后，"
           "升级 chinesecalendar（pyproject.toml，再 make lock）或按通知填写。\n"
           if pending else "各提醒日期均已按其计算。\n")
    )
    lines = text.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "".join(lines[:at]) + note + "".join(lines[at:]), pending
