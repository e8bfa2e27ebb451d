"""Numbers and dates as the branch writes them: 十二 → 12, 2023-01-10 → 2023年1月10日."""

from __future__ import annotations

import datetime as dt

NUMERALS = "零一二三四五六七八九十"


def chinese_number(text: str) -> int:
    """一 … 九十九 as written in headings (（三）、十二、) → the number."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + NUMERALS.index(text[1])
    if "十" in text:
        tens, _, units = text.partition("十")
        return NUMERALS.index(tens) * 10 + (NUMERALS.index(units) if units else 0)
    return NUMERALS.index(text)


def chinese_date(day: dt.date) -> str:
    """2023-01-10 → 2023年1月10日 (no leading zeros, as in an official document)."""
    return f"{day.year}年{day.month}月{day.day}日"
