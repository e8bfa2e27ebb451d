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
from macros.core.load import load_site

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"元旦": "New Year's Day", "春节": "Spring Festival", "清明": "Tomb-sweeping Day", "劳动节": "Labour Day",
         "端午": "Dragon Boat Festival", "中秋": "Mid-autumn Festival", "国庆节": "National Day"}
# The State Council's 2024 arrangement (国办发明电〔2023〕7号): first day off of each festival
OFFICIAL_2024 = {"春节": date(2024, 2, 10), "清明": date(2024, 4, 4), "劳动节": date(2024, 5, 1),
                 "端午": date(2024, 6, 8), "中秋": date(2024, 9, 15), "国庆节": date(2024, 10, 1),
                 "2025年元旦": date(2025, 1, 1)}


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
    carried = [r for r in after["reminders"] if r["id"] in {o["id"] for o in before["reminders"]}]
    for old, new in zip(before["reminders"], carried, strict=True):
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


def test_festivals_apart_in_the_new_year_get_a_reminder_each(scaffolded):
    """2023: 中秋 and 国庆节 share their days off (9-29 to 10-6), one reminder 中秋国庆; 2024: 9-15 and
    10-01 apart, so two reminders, each before its own days off."""
    before, after = reminders(ROOT, 2022), reminders(scaffolded, 2023)
    assert len([r for r in before["reminders"] if r["festival"] in ("中秋", "国庆节")]) == 1
    autumn = [r for r in after["reminders"] if r["festival"] in ("中秋", "国庆节")]
    assert [(r["festival"], day(r["holiday"])) for r in autumn] == [
        ("中秋", date(2024, 9, 15)), ("国庆节", date(2024, 10, 1))]
    for r in autumn:
        assert day(r["date"]) < day(r["holiday"]) and chinese_calendar.is_workday(day(r["date"]))
        assert r["occasion"] == r["festival"] and r["status"] == "待发出" and r["task"] == "t4.5.1"
    assert day(autumn[0]["date"]) < day(autumn[1]["date"]) < date(2024, 10, 1)
    assert len({r["id"] for r in after["reminders"]}) == len(after["reminders"])
    # every festival of 2024 (and 2025's 元旦) has a reminder whose date is its first day off
    days_off = {day(r["holiday"]) for r in after["reminders"]}
    assert set(OFFICIAL_2024.values()) <= days_off


def test_a_festival_without_its_reminder_is_a_warning(scaffolded, tmp_path):
    root = tmp_path / "site"
    for part in ("data", "docs"):
        shutil.copytree(scaffolded / part, root / part)
    path = root / "data/2023/reminders.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    kept = [r for r in data["reminders"] if r["festival"] != "国庆节"]
    text = path.read_text("utf-8")
    start = text.index("  # 由 make new-year 新增")
    end = text.index("  - id:", text.index("国庆节", start))
    path.write_text(text[:start] + text[text.index("  - id:", end + 1):], "utf-8")
    assert len(yaml.safe_load(path.read_text("utf-8"))["reminders"]) == len(kept)
    warnings = [w.render() for w in load_site(root, root / "docs").warnings]  # a strict build refuses warnings
    assert [w for w in warnings if "没有廉政提醒" in w] == [
        "data/2023/reminders.yaml:15: 2024年国庆节（放假首日 2024-10-01）没有廉政提醒：每个法定节假日都应有一条提醒，"
        "连在一起放假的节日（如 2023 年中秋与国庆节）合用一条，分开放假的各用一条"]
    assert not [w for w in load_site(scaffolded, scaffolded / "docs").warnings if "没有廉政提醒" in w.message]
