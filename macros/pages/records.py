"""The 台账 pages and the home page's 本月待办: data from ledger.py, markup from macros/pages/templates/records_*.html.

Pages (bounded: two per year, however many records): docs/records/<year>/index.md (逐月开展情况
and 谈心谈话) and docs/records/<year>/ledger.md (台账明细, one section per activity type).
Names are personal data: the redacted build and the offline copy render from a masked copy of
the records (`redact.masked_records`), and these pages stay out of the search index
(front matter `search: exclude: true`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from markupsafe import Markup, escape

from macros.core.checklists import PENDING
from macros.core.chinese import chinese_date
from macros.core.people import due as people_due
from macros.core.people.roster import pairs_together
from macros.core.records import ledger
from macros.core.records.model import Records
from macros.core.redact import masked_records
from macros.pages.context import Here
from macros.pages.people import people_sheets
from macros.pages.people import shown as shown_people
from macros.pages.templating import inert, render

RECORDS_DOCS = "records"  # docs/records/<year>/
OVERVIEW, LEDGER = "index.md", "ledger.md"
PLAN_TASKS, PLAN_REMINDERS = "plan/tasks.md", "plan/reminders.md"
CELL_CSS = {ledger.HELD: "held", ledger.MISSED: "missed", ledger.CURRENT: "current", ledger.NOT_DUE: "later"}
CELL_TEXT = {ledger.HELD: "✓", ledger.MISSED: "未达标", ledger.CURRENT: "待开展", ledger.NOT_DUE: "—"}
SOURCE_CLASS = {"党内法规": "national", "本单位规定": "local"}
QUARTER_WORDS = "一二三四"


@dataclass(frozen=True)
class Cell:
    text: str = ""
    lines: tuple = ()
    unfilled: bool = False


def page_year(page_path: str | None) -> int | None:
    """records/2022/index.md → 2022."""
    parts = (page_path or "").split("/")
    if len(parts) >= 2 and parts[0] == RECORDS_DOCS and parts[1].isdigit():
        return int(parts[1])
    return None


class RecordsRenderer:
    def __init__(self, data, docs_dir: Path, as_of: datetime.date, as_of_given: bool):
        self.data, self.docs_dir = data, Path(docs_dir)
        self.as_of, self.as_of_given = as_of, as_of_given
        self.rules = data.loops.rules if data.loops else {}

    @staticmethod
    def masked(here: Here) -> bool:
        """The redacted build and the offline copy never carry names."""
        return here.ctx.hides_names

    def records(self, here: Here, year: int) -> Records:
        records = self.data.records.get(year)
        if records is None:
            raise LookupError(f"{year}年没有台账（应在 data/records/{year}/）")
        return masked_records(records) if self.masked(here) else records

    def _year(self, here: Here):
        page = here.page
        year = page_year(page)
        if year is None:
            raise LookupError(f"台账页面应放在 docs/records/<年份>/ 下：{page}")
        return year

    # -- 逐月开展情况 ------------------------------------------------------------------------
    def overview(self, here: Here) -> Markup:
        year = self._year(here)
        records = self.records(here, year)
        rows, missed = [], []
        for row in ledger.grid(records):
            rule = self.rules.get(row.type.rule) if row.type.rule else None
            if rule is not None:
                source, wording = rule.source, f"{rule.basis}：规定要点：{rule.gist}"
            else:
                source, wording = "本支部安排", "本支部的工作安排，党内法规未规定次数"
            cells = []
            for period in row.periods:
                span = {"month": 1, "quarter": 3, "year": 12}[row.type.frequency]
                dates = "、".join(day_of(r, year) for r in period.records)
                name = f"{year}年度" if row.type.held_for_year else period.name  # 年度: whenever it was held
                title = f"{name}：{period.state}" + (f"（{dates}）" if dates else "")
                cells.append({"span": span, "css": CELL_CSS[period.state], "text": CELL_TEXT[period.state],
                              "title": title})
            attendance = row.attendance
            if row.missed:
                missed.append(f"{row.title} {'、'.join(p.label for p in row.missed)}")
            rows.append({
                "title": row.title,
                "href": _url(here.href(f"{RECORDS_DOCS}/{year}/{LEDGER}", row.type.name)),
                "requirement": row.type.frequency_name + "1次",
                "source": source, "source_class": SOURCE_CLASS.get(source, "branch"), "wording": wording,
                "cells": cells,
                "count": f"{row.held}/{row.due}",
                "attendance": f"{attendance[1]}/{attendance[0]}" if attendance else "—",
            })
        return render("records_overview.html", year=year, total=len(records.items), as_of=records.cutoff,
                      as_of_given=records.cutoff_given, sample=records.sample, masked=self.masked(here), missed=missed,
                      months=range(1, 13), rows=rows, after_cutoff=len(records.after_cutoff),
                      late=len(records.late))

    def talks(self, here: Here) -> Markup:
        year = self._year(here)
        records = self.records(here, year)
        kind = next((t for t in records.types.values() if t.attendance == "pair"), None)
        if kind is None:
            return Markup("")
        coverage = ledger.heart_coverage(records, kind.key)
        missing = [{"a": p.a.name, "b": p.b.name, "kind": p.kind} for p in coverage.missing]
        return render("records_talks.html", year=year, total=len(coverage.pairs), held=coverage.held,
                      missing=missing, others=len(coverage.others), all_pairs=pairs_together(records.roster, year),
                      as_of=records.cutoff, as_of_year=records.cutoff is not None and records.cutoff.year == year,
                      after_cutoff=sum(r.type == kind.key for r in records.after_cutoff))

    # -- 台账明细 ----------------------------------------------------------------------------
    def ledger(self, here: Here) -> str:
        year = self._year(here)
        records = self.records(here, year)
        out = [f"\n\n{render('records_sample.html', year=year)}\n\n"] if records.sample else []
        for kind in records.types.values():
            items = records.of_type(kind.key)
            out.append(f"\n\n## {inert(kind.name)} {{#{kind.name}}}\n\n")
            entries = [self._entry(r, kind.attendance, year) for r in items]
            frequency = kind.frequency_name + "1次" if kind.frequency else ""
            out.append(str(render("records_ledger.html", count=len(items), frequency=frequency, entries=entries,
                                  pair=kind.attendance == "pair", group=kind.attendance == "group",
                                  after_cutoff=sum(r.type == kind.key for r in records.after_cutoff),
                                  as_of=records.cutoff, label=f"{year}年{kind.name}明细")) + "\n\n")
        return "".join(out)

    @staticmethod
    def _entry(r, attendance, year: int) -> list[Cell]:
        def text(value, key):
            return Cell(ledger_text(value), unfilled=key in r.unfilled)

        day = Cell(day_of(r, year), unfilled="date" in r.unfilled)
        if r.late is not None:  # entered after the year's report was issued: not in its figures
            day = Cell(lines=(day.text, r.late_label), unfilled=day.unfilled)
        evidence = text(r.evidence, "evidence")
        if attendance == "pair":
            return [day, Cell("、".join(r.people) or "待填", unfilled="people" in r.unfilled),
                    text(r.host, "host"), text(r.topic, "topic"), evidence]
        cells = [day]
        if attendance == "group":
            cells.append(text(r.group, "group"))
        absent = tuple(f"{name}（{reason}）" if reason else name for name, reason in r.absent)
        cells += [
            text(r.topic, "topic"), text(r.host, "host"), text(r.recorder, "recorder"),
            Cell("—" if r.expected is None else str(r.expected)),
            Cell("待填" if "absent" in r.unfilled else ("—" if r.present is None else str(r.present)),
                 unfilled="absent" in r.unfilled),
            Cell("待填", unfilled=True) if "absent" in r.unfilled else Cell("无" if not absent else "", lines=absent),
            Cell("待填", unfilled=True) if "decisions" in r.unfilled else Cell("—" if not r.decisions else "",
                                                                             lines=r.decisions),
            evidence,
        ]
        return cells

    # -- 台账 index, home page, checklist ------------------------------------------------------
    def years(self, here: Here) -> Markup:
        years = []
        for year in sorted(self.data.records, reverse=True):
            records = self.data.records[year]
            target = f"{RECORDS_DOCS}/{year}/{OVERVIEW}"
            if not (self.docs_dir / target).exists():
                continue
            missed = sum(len(r.missed) for r in ledger.grid(records))
            years.append({"year": year, "href": _url(here.href(target)), "count": len(records.items),
                          "missed": missed, "sample": records.sample, "after_cutoff": len(records.after_cutoff)})
        return render("records_years.html", years=years)

    def _people_due(self, here: Here, as_of: datetime.date) -> list[dict]:
        return [{"when": due.when, "text": due.text, "href": _url(here.href(due.page, due.anchor))}
                for due in people_due.due_items(shown_people(self.data, here.ctx), as_of)
                if (self.docs_dir / due.page).exists()]

    def this_month(self, here: Here) -> Markup:
        as_of = self.as_of
        quarter = (as_of.month - 1) // 3
        month_start = as_of.replace(day=1)
        quarter_end = ledger.periods_of(as_of.year, "quarter")[quarter][2]
        items = []
        records = self.data.records.get(as_of.year)
        overview = f"{RECORDS_DOCS}/{as_of.year}/{OVERVIEW}"
        if records is not None:
            for due in ledger.due_now(records, as_of):
                if due.kind == "talk":
                    href = _url(here.href(overview, "谈心谈话"))
                else:
                    href = _url(here.href(f"{RECORDS_DOCS}/{as_of.year}/{LEDGER}", records.types[due.type_key].name))
                items.append({"when": due.period, "text": due.text, "href": href})
        items += self._people_due(here, as_of)  # 学时, 党费, 转正, 发展党员 (macros/core/people/due.py)
        loops = self.data.loops
        loop = loops.latest("plan") if loops else None
        if loop is not None and loop.plan.year == as_of.year:
            for task in sorted(loop.plan.tasks.values(), key=lambda t: (t.due.end, t.id)):
                if task.status in ("未开始", "进行中") and month_start <= task.due.end <= quarter_end:
                    when = "本月" if task.due.end.month == as_of.month else "本季度"
                    items.append({"when": when, "text": f"计划任务：{task.title}（{task.owner}，{task.due.label}前）",
                                  "href": _url(here.href(f"{loop.year}/{PLAN_TASKS}", f"task-{task.id}"))})
        loop = loops.latest("reminders") if loops else None
        if loop is not None:
            soon = as_of + datetime.timedelta(days=45)
            for r in loop.reminders:
                if r.status == PENDING and r.date is not None and month_start <= r.date <= soon:
                    text = f"廉政提醒：{r.occasion}（{r.date.month}月{r.date.day}日前，{r.owner}）"
                    items.append({"when": "即将", "text": text,
                                  "href": _url(here.href(f"{loop.year}/{PLAN_REMINDERS}", f"reminder-{r.id}"))})
        return render("records_this_month.html", as_of=as_of, as_of_given=self.as_of_given,
                      month=f"{as_of.month}月", quarter=f"第{QUARTER_WORDS[quarter]}季度", items=items,
                      no_records=records is None, after_cutoff=len(records.after_cutoff) if records else 0)


def _url(href: str) -> Markup:
    """A link target for a template attribute: HTML-escaped only (an attribute of a raw HTML block is
    not read by Markdown), so that a # stays a # for link checkers."""
    return Markup(escape(href))


def day_of(record, year: int) -> str:
    """A record's date as a page of `year`'s 台账 shows it: 3月15日, with the year when it is another
    (2022年度组织生活会 held on 2023年2月10日)."""
    if record.date is None:
        return "待填"
    if record.date.year != year:
        return chinese_date(record.date)
    return f"{record.date.month}月{record.date.day}日"


def ledger_text(value) -> str:
    return "待填" if value is None else str(value)


def tick_badge(item) -> Markup:
    """A periodic checklist item: held periods out of the year's, from the records."""
    if item.tick is None:
        return render("records_tick.html", css="none", text="尚无台账记录")
    css = "done" if item.tick.held == item.tick.total else ("late" if item.tick.row.missed else "doing")
    return render("records_tick.html", css=css, text=item.tick.text)


def print_for_page(r: RecordsRenderer, here: Here) -> Markup:
    """docs/records/<year>/print.md: the printable 台账 and its .xlsx (macros/pages/records_print.py)."""
    from macros.pages.records_print import ledger_path, print_page

    year = r._year(here)
    branch = str(r.data.branch.get("name", ""))
    href = here.ctx.file_href(here.page, ledger_path(year))
    sheets = people_sheets(r.data, here.ctx)(year)  # 党员名册, 学时, 党费 (macros/core/people/tables.py)
    return print_page(r.records(here, year), branch, href, r.masked(here), sheets)


def macros(data, docs_dir: Path) -> dict:
    """The 台账 macros: name -> function(here)."""
    from macros.core.records.link import site_as_of

    loops = data.loops
    given = bool(loops and loops.years and loops.years[max(loops.years)].as_of_given)
    r = RecordsRenderer(data, docs_dir, site_as_of(loops), given)
    return {
        "records_years": r.years,  # 台账首页：各年度台账
        "records_overview": r.overview,  # 逐月开展情况
        "records_talks": r.talks,  # 谈心谈话覆盖情况
        "records_ledger": r.ledger,  # 台账明细（每类活动一节）
        "this_month": r.this_month,  # 首页：本月、本季度待办
        "records_print": partial(print_for_page, r),  # 台账报送与打印：每类活动一张 A4 表，.xlsx 下载
    }
