"""The 台账 feeding the rest of the site: figures counted from the records (`derived` in the
catalogue), checklist items ticked per period, and the 对标 judged month by month.

Called from `data.load_site`, so its problems join every other problem of the run.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from macros.core import catalogue as cat
from macros.core.compliance import MET, NOT_APPLICABLE, NOT_MET, Result
from macros.core.errors import DataError, hint
from macros.core.loop import Loops
from macros.core.reading.yamlio import Doc
from macros.core.records import model as rec
from macros.core.records.ledger import CHECKLIST_FREQUENCY, grid, heart_coverage, tick


def apply(loops: Loops | None, types: dict, records: dict, errors: list) -> None:
    """Tick the checklists and judge the 对标 from the records, each year's 台账 as of its 统计截至
    date (`Records.cutoff`, set by `load`)."""
    _tick_checklists(loops, types, records, errors)
    _judge_by_period(loops, records)
    _check_closures(loops, types, records, errors)


CLOSING_TYPE = "committee_meeting"  # 销号 is decided by a 支委会 (schemas/checklist.schema.json: closed.meeting)


def _closing_type(meeting: str, types: dict):
    """The activity type of the meeting a 销号 names: a type whose name the text contains
    (支部党员大会 …), else the 支委会."""
    named = [t for t in types.values() if t.name in meeting]
    return named[0] if named else types.get(CLOSING_TYPE)


def _check_closures(loops: Loops | None, types: dict, records: dict, errors: list) -> None:
    """A problem's 销号 (`closed: {meeting, date}`) names a meeting the 台账 records: a record of that
    type on that date in the year's records (after the 统计截至 date too: the meeting was held).
    A site that keeps no 台账 (no data/records/<year>/ at all) is not checked."""
    for loop in (loops.years.values() if loops and records else ()):
        checklist = loop.checklist
        for problem in checklist.problems if checklist is not None else ():
            closure = problem.closure
            kind = _closing_type(closure.meeting, types) if closure else None
            if kind is None:
                continue
            day, year = closure.date, closure.date.year
            held = records.get(year)
            found = held and any(r.type == kind.key and r.date == day for r in held.items + held.after_cutoff)
            if not found:
                where = (f"{year} 年台账中没有这一天的{kind.name}记录" if held else
                         f"{year} 年没有台账（data/records/{year}/）")
                errors.append(DataError(
                    checklist.path, closure.line, problem.id,
                    f"问题 {problem.id} 的销号会议“{closure.meeting}”（{day.isoformat()}）：{where}；"
                    f"请先在台账中记录这次会议（data/records/{year}/{day.isoformat()}-{kind.key}.yaml），"
                    "或改正销号的会议和日期"))


def cutoff_of(years: dict, number: int) -> tuple[datetime.date, bool]:
    """The 统计截至 date of a year's 台账, and whether a report gives it: the as_of of that year's
    report, or, for a year in progress without a report yet, of the report that planned it (the
    year before); else the build date. Records dated after it are not counted (model.settle)."""
    report = years.get(number) or years.get(number - 1)
    as_of = report.report.get("as_of") if report else None
    try:
        return datetime.date.fromisoformat(str(as_of)), True
    except ValueError:
        return datetime.date.today(), False


def site_as_of(loops: Loops | None):
    """The date the site's progress is counted to: the latest report's as_of, else the build date."""
    if loops and loops.years:
        return loops.years[max(loops.years)].as_of
    return datetime.date.today()


def _item_problem(item, types: dict) -> str | None:
    """What is wrong with how a checklist item says it is ticked (status, or activity from the 台账)."""
    if item.activity is None:
        return None if item.status_given else f"清单事项 {item.id} 缺少 status（状态），或写 activity 按台账勾选"
    kind = types.get(item.activity)
    if kind is None:
        return f"清单事项 {item.id} 的台账活动类型 {item.activity} 不存在{hint(item.activity, types)}"
    if item.status_given:
        return f"清单事项 {item.id} 按台账勾选（activity: {item.activity}），不再写 status；请删去 status"
    if CHECKLIST_FREQUENCY.get(item.frequency) != kind.frequency:
        return (f"清单事项 {item.id} 的频次 {item.frequency} 与台账活动类型 {kind.name}"
                f"的频次（{kind.frequency_name}）不一致")
    return None


def _tick_checklists(loops: Loops | None, types: dict, records: dict, errors: list) -> None:
    """A checklist item with `activity` is ticked per period from that year's records, not by a status."""
    for loop in (loops.years.values() if loops else ()):
        checklist = loop.checklist
        for item in checklist.items if checklist is not None else ():
            problem = _item_problem(item, types)
            if problem:
                errors.append(DataError(checklist.path, item.line, item.id, problem))
            elif item.activity is not None and checklist.year in records:
                item.tick = tick(records[checklist.year], item.activity)
                if item.tick is not None:
                    item.status = item.tick.status


def _judge_by_period(loops: Loops | None, records: dict) -> None:
    """对标 from the 台账 where a year has one: a rule whose activity missed a month (quarter) is 未达标
    with the periods named, even when the year's total reaches the minimum; a rule the report does
    not count (党小组会, 组织生活会, 谈心谈话 …) is judged from the records instead of 待填."""
    for number, loop in (loops.years.items() if loops else ()):
        if loop.results is None or number not in records:
            continue
        year_records = records[number]
        rows = grid(year_records)
        judged = []
        for result in loop.results:
            rule = result.rule
            kinds = [t for t in year_records.types.values() if t.rule == rule.id]
            if result.verdict == NOT_APPLICABLE or not kinds:
                judged.append(result)
                continue
            kind = kinds[0]
            if kind.attendance == "pair":
                coverage = heart_coverage(year_records, kind.key)
                missing = len(coverage.missing)
                judged.append(Result(rule, coverage.held, NOT_MET if missing else MET,
                                     f"尚有{missing}对未谈" if missing else ""))
                continue
            mine = [r for r in rows if r.type.key == kind.key]
            missed = [f"{r.group or ''}{'、'.join(p.label for p in r.missed)}" for r in mine if r.missed]
            value = result.value if rule.figure else min((r.held for r in mine), default=0)
            if missed:
                judged.append(Result(rule, value, NOT_MET, "未开展：" + "；".join(missed)))
            elif rule.figure:
                judged.append(result)
            else:
                count = min((len(r.records) for r in mine), default=0)
                judged.append(Result(rule, count, MET if count >= rule.minimum else NOT_MET, "按台账统计"))
        loop.results = judged


def load(root: Path, years: dict, figures: dict[str, cat.Figure], catalogue_doc: Doc,
                  errors: list, warnings: list) -> tuple[dict, dict[int, rec.Records]]:
    """The 台账 of every year, and the figures counted from them (macros/core/records/model.py).

    A figure with `derived` in the catalogue takes its value from the year's records; when the
    year's figures file also gives a number and the two differ, a warning names both numbers and
    the records (a strict build stops on it). A year without records keeps the typed number."""
    types = rec.load_types(root, errors)
    records: dict[int, rec.Records] = {}
    for number in rec.record_years(root):
        loaded = rec.load_records(root, number, types, errors)  # sample or not: its roster says
        if loaded is not None:
            records[number] = loaded
    rec.settle(records, {number: cutoff_of(years, number) for number in records})
    for key, figure in figures.items():
        if not figure.derived:
            continue
        derived = cat.Derived.from_spec(figure.derived)
        if types and derived.type is not None and derived.type not in types:
            errors.append(DataError(catalogue_doc.path, catalogue_doc.line("figures", key, "derived", "type"), key,
                                    f"{figure.label} ({key})：活动类型 {derived.type} 不在 data/activity_types.yaml 中"
                                    f"{hint(derived.type, types)}"))
            continue
        for number, year in years.items():
            if number not in records:
                continue
            count = len(derived.count(records[number]))
            typed = year.values.get(key)
            if typed is not None and typed != count:
                unit = figure.unit
                warnings.append(DataError(
                    year.doc.path, year.doc.line(key), key,
                    f"{figure.label} ({key})：报告写{typed}{unit}，{derived.source}{count}{unit}"
                    f"（{derived.files(records[number])}）；请核对后删去此行，以{derived.source[:-2]}为准",
                ))
            year.values[key] = count
            year.records_sample = year.records_sample or records[number].sample  # the figure is sample too
    return types, records
