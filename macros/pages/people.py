"""The branch's people (issue 24): 名册, 学时, 党费, 发展党员, 民主评议 pages, one module of page macros.

Pages: docs/people/index.md (各年度), docs/people/<year>/index.md (党员名册 and its 转入/转出),
and the further pages of a year (study.md 学时, dues.md 党费, …). Data comes from macros/core/people/;
markup from macros/pages/templates/people_*.html. Names, bases and amounts are personal data: in
the redacted build and the offline copy the pages render from masked copies (`here.ctx.hides_names`,
macros/core/redact.py), and every people page stays out of the search index (`search: exclude`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup, escape

from macros.core.chinese import chinese_date
from macros.core.people import appraisal, development, study_hours
from macros.core.people import dues as dues_mod
from macros.core.people import roster as people
from macros.core.people.tables import people_tables
from macros.core.redact import amount_hidden, masked_people, masked_records
from macros.pages.context import Here
from macros.pages.templating import render

PEOPLE_DOCS = "people"  # docs/people/<year>/
ROSTER_PAGE = "index.md"
NOTICE_PAGE = "dues-notice.md"


def page_year(page_path: str | None) -> int | None:
    """people/2022/index.md → 2022."""
    parts = (page_path or "").split("/")
    if len(parts) >= 2 and parts[0] == PEOPLE_DOCS and parts[1].isdigit():
        return int(parts[1])
    return None


def _md(day: datetime.date | None) -> str:
    return chinese_date(day) if day else "—"


def _hours(value: float) -> str:
    """2.0 → 2, 2.5 → 2.5."""
    return f"{value:g}"


def money(value) -> str:
    """A sum of money as the ledger shows it: 216.00."""
    return f"{value:.2f}"


def _num(value) -> str:
    """3000 → 3000, 0.500 → 0.5 (no exponent)."""
    return format(Decimal(value).normalize(), "f")


def percent(rate) -> str:
    return f"{_num(rate * 100)}%"


def brackets(table) -> str:
    """The proportion table as a sentence: 3000元以下（含）0.5%，3000元至5000元（含）1%，10000元以上2%."""
    parts, low = [], None
    for b in table:
        if b.up_to is None:
            parts.append(f"{_num(low)}元以上{percent(b.rate)}")
        elif low is None:
            parts.append(f"{_num(b.up_to)}元以下（含）{percent(b.rate)}")
        else:
            parts.append(f"{_num(low)}元至{_num(b.up_to)}元（含）{percent(b.rate)}")
        low = b.up_to
    return "，".join(parts)


def _url(href: str) -> Markup:
    return Markup(escape(href))


@dataclass(frozen=True)
class Shown:
    """The records and people data a page may show: with every name masked where the build hides names
    (already so in the redacted build's data; the offline copy masks here, macros/core/redact.py)."""

    records: dict
    people: object


def shown(data, ctx) -> Shown:
    if not ctx.hides_names or data.withheld:
        return Shown(data.records, data.people)
    return Shown({y: masked_records(r) for y, r in data.records.items()}, masked_people(data.people, data.records))


class PeopleRenderer:
    def __init__(self, data, docs_dir: Path, as_of: datetime.date, as_of_given: bool):
        self.data, self.docs_dir = data, Path(docs_dir)
        self.as_of, self.as_of_given = as_of, as_of_given

    def _year(self, here: Here) -> int:
        year = page_year(here.page)
        if year is None:
            raise LookupError(f"党员页面应放在 docs/people/<年份>/ 下：{here.page}")
        return year

    def records(self, here: Here, year: int):
        records = shown(self.data, here.ctx).records.get(year)
        if records is None:
            raise LookupError(f"{year}年没有党员名册（应在 data/records/{year}/roster.yaml）")
        return records

    def reference_day(self, year: int) -> datetime.date:
        """The day a year's figures are counted to: its last day, or its 统计截至 date within it (the day
        the report's 党员人数 is counted on too: macros/core/people/roster.py last_counted_day); a
        year whose 台账 has no cut-off yet: the site's as-of date within it."""
        records = self.data.records.get(year)
        return people.counted_day(year, records.cutoff if records is not None else None, self.as_of)

    # -- 党员名册 -----------------------------------------------------------------------------
    def roster(self, here: Here) -> Markup:
        year = self._year(here)
        records = self.records(here, year)
        day = self.reference_day(year)
        members = []
        for m in records.roster:
            span = m.span(year)
            if span is None:
                continue
            notes = []
            if m.moved_in and m.moved_in.date.year == year:
                notes.append(f"{m.moved_in.date.month}月{m.moved_in.date.day}日转入")
            if m.joined and m.joined.year == year:
                notes.append(f"{m.joined.month}月{m.joined.day}日接收为预备党员")
            if m.moved_out and m.moved_out.date.year == year:
                notes.append(f"{m.moved_out.date.month}月{m.moved_out.date.day}日转出")
            leader = records.leaders.get(m.group or "") == m.name
            members.append({
                "name": m.name, "group": m.group or "—", "role": m.role + ("、党小组组长" if leader else ""),
                "status": m.status_on(min(day, span[1])), "joined": _md(m.joined), "confirmed": _md(m.confirmed),
                "span": "；".join(notes) or "全年", "current": m.belongs(day),
            })
        groups = [{"name": g, "leader": records.leaders.get(g, "未写明"),
                   "count": sum(1 for m in records.on(day) if m.group == g)} for g in records.groups]
        events = [{"date": _md(e.date), "kind": e.kind, "name": e.name, "org": e.org or "—"}
                  for e in people.events(records.roster, year)]
        start = people.counts(records.roster, datetime.date(year, 1, 1))
        now = people.counts(records.roster, day)
        return render("people_roster.html", year=year, day=day, day_is_end=day == datetime.date(year, 12, 31),
                      start=start, now=now, members=members, groups=groups, events=events,
                      moved_in=sum(e["kind"] == "转入" for e in events),
                      moved_out=sum(e["kind"] == "转出" for e in events),
                      sample=records.sample, masked=here.ctx.hides_names)

    # -- 党员教育学时 -------------------------------------------------------------------------
    def study(self, here: Here) -> Markup:
        year = self._year(here)
        records = self.records(here, year)
        rules = self.data.people.study
        if rules is None or rules.requirement(year) is None:
            return render("people_study.html", year=year, rule=None)
        day = self.reference_day(year)
        training = shown(self.data, here.ctx).people.training.get(year, ())
        tallies = study_hours.tally(records, rules, training, day)
        rows = [{"name": t.name, "role": t.role, "required": _hours(t.required), "done": _hours(t.done),
                 "meetings": _hours(t.meetings), "training": _hours(t.courses),
                 "short": _hours(t.short), "is_short": t.short > 0} for t in tallies]
        counted = [{"name": records.types[k].name, "hours": _hours(v)} for k, v in rules.per_type.items()
                   if k in records.types]
        return render("people_study.html", year=year, rule=rules.requirement(year), rows=rows,
                      short=[r for r in rows if r["is_short"]], counted=counted, prorate=rules.prorate,
                      day=day, day_is_end=day == datetime.date(year, 12, 31), sample=records.sample,
                      masked=here.ctx.hides_names, hours=_hours)

    # -- 党费 ----------------------------------------------------------------------------------
    def _dues(self, here: Here, year: int):
        """(masked records, ledger rows, amount formatter) of a year; amounts and bases are hidden where names are."""
        view = shown(self.data, here.ctx)
        dues = view.people.dues.get(year)
        rules = self.data.people.dues_rules
        if dues is None or rules is None:
            raise LookupError(f"{year}年没有党费台账（应在 data/people/{year}/dues.yaml，"
                              "比例在 data/people/rules.yaml）")
        records = self.records(here, year)
        rows = dues_mod.ledger(records.roster, dues, rules)
        show = amount_hidden if here.ctx.hides_names else money
        return records, rows, show, rules

    def _last_month(self, year: int) -> int:
        """The months up to this one are due (a past year: all; the as-of year: up to its month)."""
        return 12 if self.as_of.year > year else (self.as_of.month if self.as_of.year == year else 0)

    def dues(self, here: Here) -> Markup:
        year = self._year(here)
        records, rows, show, rules = self._dues(here, year)
        last = self._last_month(year)
        months = []
        for t in dues_mod.totals(rows):
            months.append({"month": t.month, "due": t.month <= last, "owing": t.owing, "amount": show(t.due),
                           "paid": show(t.paid), "unpaid": len(t.unpaid)})
        members = []
        for r in rows:
            cells = []
            for c in r.cells:
                if not c.owed:
                    cells.append({"text": "—", "css": "later", "title": f"{c.month}月不在本支部"})
                elif c.payments:
                    marks = "".join(k[0] for k in c.kinds)  # 补 / 预
                    title = "；".join(f"{p.day.month}月{p.day.day}日{p.kind}" for p in c.payments)
                    css = "short" if c.short > 0 else "held"
                    cells.append({"text": show(c.paid), "mark": marks, "css": css, "title": title})
                elif c.month <= last:
                    cells.append({"text": "未交", "css": "missed", "title": f"{c.month}月党费未交"})
                else:
                    cells.append({"text": "", "css": "later", "title": f"{c.month}月尚未到期"})
            latest = next((c for c in reversed(r.cells) if c.base is not None), None)
            members.append({"name": r.name, "base": show(latest.base) if latest else "—",
                            "rate": percent(latest.rate) if latest else "—", "due": show(latest.due) if latest else "—",
                            "cells": cells, "year_due": show(r.due), "year_paid": show(r.paid),
                            "retired": r.retired})
        unpaid = [{"name": n, "month": m} for n, m in dues_mod.unpaid_until(rows, year, self.as_of)]
        return render("people_dues.html", year=year, months=months, members=members, unpaid=unpaid,
                      working=brackets(rules.working), retired=brackets(rules.retired), basis=rules.basis,
                      total_due=show(sum((r.due for r in rows), Decimal(0))),
                      total_paid=show(sum((r.paid for r in rows), Decimal(0))),
                      as_of=self.as_of, current=self.as_of.year == year, sample=records.sample,
                      masked=here.ctx.hides_names, notice=_url(here.href(f"{PEOPLE_DOCS}/{year}/{NOTICE_PAGE}")))

    def dues_notice(self, here: Here) -> Markup:
        """党费收缴公示: a table per quarter (each its own A4 page when printed)."""
        year = self._year(here)
        records, rows, show, _ = self._dues(here, year)
        last = self._last_month(year)
        quarters = []
        for q in range(4):
            months = [3 * q + 1, 3 * q + 2, 3 * q + 3]
            if months[0] > last:
                continue
            lines = []
            for r in rows:
                cells = [r.cells[m - 1] for m in months]
                if not any(c.owed for c in cells):
                    continue
                shown = [("—" if not c.owed else (show(c.paid) if c.payments else ("未交" if m <= last else "")))
                         for c, m in zip(cells, months, strict=True)]
                lines.append({"name": r.name, "cells": shown,
                              "total": show(sum((c.paid for c in cells), Decimal(0)))})
            paid = sum((r.cells[m - 1].paid for r in rows for m in months), Decimal(0))
            due = sum((r.cells[m - 1].due or Decimal(0) for r in rows for m in months
                       if r.cells[m - 1].owed and m <= last), Decimal(0))
            quarters.append({"key": f"q{q + 1}", "title": f"{year}年第{'一二三四'[q]}季度党费收缴公示",
                             "months": [f"{m}月" for m in months], "lines": lines, "due": show(due),
                             "paid": show(paid), "complete": months[-1] <= last})
        return render("people_dues_notice.html", year=year, quarters=quarters,
                      branch=str(self.data.branch.get("name", "")), sample=records.sample,
                      masked=here.ctx.hides_names)

    # -- 发展党员 -------------------------------------------------------------------------------
    def development(self, here: Here) -> Markup:
        people_data = self.data.people
        rules = people_data.development_rules
        persons = shown(self.data, here.ctx).people.development
        today = self.as_of
        active, done, stopped = [], [], []
        for p in persons:
            step = development.next_step(p, rules) if rules else None
            review = development.review_due(p, rules) if rules else None
            row = {
                "name": p.name, "standing": p.standing,
                "dates": [_md(p.on(s)) if p.on(s) else "" for s in development.STAGES],
                "contacts": "、".join(p.contacts) or "—", "sponsors": "、".join(p.sponsors) or "—",
                "next": step.name if step else "", "why": step.why if step else "",
                "earliest": _md(step.earliest) if step and step.earliest else "",
                "latest": _md(step.latest) if step and step.latest else "",
                "state": step.state(today) if step else "",
                "review": _md(review) if review else "",
                "stopped": p.stopped or "",
            }
            (stopped if p.stopped else done if step is None else active).append(row)
        order = {s: n for n, s in enumerate(development.STANDING.values())}
        active.sort(key=lambda r: -order[r["standing"]])
        return render("people_development.html", active=active, done=done, stopped=stopped,
                      stages=[development.STAGE_NAMES[s] for s in development.STAGES], rules=rules,
                      as_of=today, sample=any(r.sample for r in self.data.records.values()),
                      masked=here.ctx.hides_names)

    # -- 民主评议党员、组织生活会 -------------------------------------------------------------------
    def _problem(self, here: Here, year: int, problem_id: str) -> dict | None:
        """A problem of the 问题整改清单 of a year: its title, 整改 state and link."""
        loops = self.data.loops
        for number, loop in sorted((loops.years.items() if loops else ()), reverse=True):
            checklist = loop.checklist
            if checklist is None or checklist.year != year:
                continue
            problem = next((p for p in checklist.problems if p.id == problem_id), None)
            if problem is None:
                return None
            state = ("已整改（已销号）" if problem.closed else
                     "措施已完成，待支委会销号" if problem.measures_done else "整改中")
            return {"title": f"问题{problem.number}：{problem.title}", "state": state, "closed": problem.closed,
                    "href": _url(here.href(f"{number}/checklists/rectification.md", f"problem-{problem.id}"))}
        return None

    def appraisal(self, here: Here) -> Markup:
        year = self._year(here)
        a = shown(self.data, here.ctx).people.appraisals.get(year)
        if a is None:
            return render("people_appraisal.html", year=year, a=None)
        grades = [*appraisal.GRADES]
        ratings = [{"name": r.name, "votes": [r.votes.get(g, 0) for g in grades], "grade": r.grade,
                    "note": r.follow_up or r.reason or ""} for r in a.ratings]
        points = [{"kind": p.kind, "by": p.by, "to": p.to or "—", "text": p.text,
                   "problem": self._problem(here, a.meeting_day.year, p.problem) if p.problem else None}
                  for p in a.points]
        records = shown(self.data, here.ctx).records
        sample = any(records[d.year].sample for d in (a.appraisal_day, a.meeting_day) if d and d.year in records)
        return render("people_appraisal.html", year=year, a=a, grades=grades, ratings=ratings, points=points,
                      counts=a.counts(), steps=[(k, _md(v)) for k, v in a.steps.items()],
                      appraisal_day=_md(a.appraisal_day) if a.appraisal_day else "",
                      meeting_day=_md(a.meeting_day) if a.meeting_day else "",
                      to_problems=sum(1 for p in points if p["problem"]), sample=sample, masked=here.ctx.hides_names)

    def years(self, here: Here) -> Markup:
        items = []
        for year in sorted(self.data.records, reverse=True):
            target = f"{PEOPLE_DOCS}/{year}/{ROSTER_PAGE}"
            if not (self.docs_dir / target).exists():
                continue
            records = self.data.records[year]
            counts = people.counts(records.roster, self.reference_day(year))
            items.append({"year": year, "href": _url(here.href(target)), "count": counts["合计"],
                          "sample": records.sample})
        return render("people_years.html", years=items)


def people_sheets(data, ctx):
    """year -> the people's tables for the year's 台账 workbook and printable 台账, masked where names are."""
    from macros.core.records.link import site_as_of

    view, as_of = shown(data, ctx), site_as_of(data.loops)

    def tables(year: int) -> list:
        records = view.records.get(year)
        return people_tables(records, view.people, as_of, ctx.hides_names) if records else []

    return tables


def macros(data, docs_dir: Path) -> dict:
    """The people's macros: name -> function(here)."""
    from macros.core.records.link import site_as_of

    loops = data.loops
    given = bool(loops and loops.years and loops.years[max(loops.years)].as_of_given)
    r = PeopleRenderer(data, docs_dir, site_as_of(loops), given)
    return {
        "people_years": r.years,  # 党员工作首页：各年度
        "people_roster": r.roster,  # 党员名册（转入、转出）
        "people_study": r.study,  # 党员教育学时
        "people_dues": r.dues,  # 党费台账
        "people_dues_notice": r.dues_notice,  # 党费收缴公示（按季度，打印）
        "people_development": r.development,  # 发展党员（跨年度）
        "people_appraisal": r.appraisal,  # 民主评议党员和组织生活会
    }
