"""make new-year: reminder dates come from the official holiday library, never last year's shifted.

In-process (newyear.scaffold on a copy of data/ and docs/); the expected dates are read from
chinese_calendar directly, independently of macros/core/holidays.py.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
import yaml

from macros.commands import newyear
from macros.core import holidays

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"元旦": "New Year's Day", "春节": "Spring Festival", "清明": "Tomb-sweeping Day", "劳动节": "Labour Day",
         "端午": "Dragon Boat Festival", "中秋": "Mid-autumn Festival", "国庆节": "National Day"}
# The State Council's 2024 arrangement (国办发明电〔2023〕7号): first day off of each festival
OFFICIAL_2024 = {"春节": date(2024, 2, 10), "清明": date(2024, 4, 4), "劳动节": date(2024, 5, 1),
                 "端午": date(2024, 6, 8), "中秋": date(2024, 9, 15), "2025年元旦": date(2025, 1, 1)}


def copy(tmp_path: Path) -> Path:
    for part in ("data", "docs"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def reminders(root: Path, year: int) -> dict:
    return yaml.safe_load((root / f"data/{year}/reminders.yaml").read_text("utf-8"))


def day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def festival_days(festival: str, plan_year: int) -> list[date]:
    year, name = (int(festival[:4]), festival[5:]) if festival[:4].isdigit() else (plan_year, festival)
    return [d for d, n in chinese_calendar.constants.holidays.items() if d.year == year and n == NAMES[name]]


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory):
    root = copy(tmp_path_factory.mktemp("ny"))
    newyear.scaffold(root, 2023)
    return root


def test_reminders_after_new_year_match_the_library(scaffolded):
    before, after = reminders(ROOT, 2022), reminders(scaffolded, 2023)
    assert after["year"] == before["year"] + 1 == 2024
    for old, new in zip(before["reminders"], after["reminders"], strict=True):
        first = day(new["holiday"])
        days = festival_days(new["festival"], after["year"])
        # the first day off: a day off, the day before is a working day, and the block reaches the festival
        assert chinese_calendar.is_holiday(first) and chinese_calendar.is_workday(first - timedelta(days=1))
        assert all(chinese_calendar.is_holiday(first + timedelta(n)) for n in range((min(days) - first).days + 1))
        assert first == OFFICIAL_2024[new["festival"]], new["id"]
        # not last year's date moved on by a year (wrong for every lunar festival)
        shifted = day(old["holiday"]).replace(year=day(old["holiday"]).year + 1)
        if new["festival"] in ("春节", "端午", "中秋"):
            assert first != shifted, new["id"]
        reminder = day(new["date"])
        assert reminder < first and chinese_calendar.is_workday(reminder), new["id"]
        assert new["status"] == "待发出"


def test_the_2023_sample_dates_are_the_official_first_days_off():
    data = reminders(ROOT, 2022)
    for r in data["reminders"]:
        days = festival_days(r["festival"], data["year"])
        first = day(r["holiday"])
        assert first <= min(days) and chinese_calendar.is_workday(first - timedelta(days=1)), r["id"]
    spring = next(r for r in data["reminders"] if r["festival"] == "春节")
    assert day(spring["holiday"]) == date(2023, 1, 21)  # 除夕, the first day off; the festival itself is 01-22


def test_beyond_the_library_the_dates_are_unfilled_with_a_note(tmp_path):
    root = copy(tmp_path)
    last = holidays.covered()[1]
    newyear.scaffold(root, last, force=True)  # its plan year, last + 1, is not covered yet
    text = (root / f"data/{last}/reminders.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert data["year"] == last + 1
    assert {(r["holiday"], r["date"]) for r in data["reminders"]} == {("待填", "待填")}
    assert f"节假日库目前收录 {holidays.covered()[0]}—{last} 年的放假安排" in text
    assert "尚未收录，写作 待填" in text


def test_library_years_are_read_from_the_library():
    first, last = holidays.covered()
    assert first <= 2022 and last >= 2024
    with pytest.raises(NotImplementedError):
        chinese_calendar.get_holiday_detail(date(last + 1, 1, 1))
    assert holidays.first_day_off(holidays.Festival(last + 1, "春节")) is None
