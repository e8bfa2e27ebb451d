"""The checklists of a year: 问题整改清单 (problems → plan measures) and 党建工作清单 (items by category),
and the 重要节点廉政提醒 of the plan year.

Pure data; loading and cross-references are in `loop.py`, HTML in `loop_render.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from . import validate
from .plan import DONE, OPEN, Measure, Progress, Task, rollup

CATEGORIES: list[str] = validate.schema("checklist")["properties"]["items"]["items"]["properties"]["category"][
    "enum"
]


@dataclass
class Problem:
    id: str
    number: str
    title: str
    line: int
    measure_ids: list[str]
    measures: list[Measure] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return bool(self.measure_ids)

    @property
    def tasks(self) -> list[Task]:
        return [t for m in self.measures for t in m.tasks]

    @property
    def status(self) -> str | None:
        """Rolled up from the tasks of its measures; None when no measure answers it."""
        return rollup(m.status for m in self.measures)

    @property
    def closed(self) -> bool:
        """对单销号: every measure that answers it is done."""
        return self.status == DONE

    @property
    def progress(self) -> Progress:
        return Progress.of(t.status for t in self.tasks)


@dataclass
class Item:
    id: str
    category: str
    title: str
    basis: str
    frequency: str
    owner: str
    status: str
    line: int
    task_id: str | None = None
    rule_id: str | None = None
    task: Task | None = None
    activity: str | None = None  # an activity type of the 台账: ticked per period from the records
    tick: object | None = None  # ledger.Tick, set once the records are loaded
    status_given: bool = True  # False: the file has no status (an item ticked from the records)


@dataclass
class Checklist:
    year: int
    problems: list[Problem]
    items: list[Item]
    path: str

    def by_category(self) -> list[tuple[str, list[Item]]]:
        return [(c, [i for i in self.items if i.category == c]) for c in CATEGORIES]

    @property
    def progress(self) -> Progress:
        return Progress.of(i.status for i in self.items)

    @property
    def open_problems(self) -> list[Problem]:
        return [p for p in self.problems if not p.closed]


@dataclass
class Reminder:
    id: str
    occasion: str
    holiday: date
    date: date
    form: str
    owner: str
    status: str
    line: int
    task_id: str | None = None
    task: Task | None = None

    def overdue(self, as_of: date) -> bool:
        return self.status in OPEN and self.date < as_of


def checklist_from_doc(doc) -> Checklist:
    problems = [
        Problem(p["id"], p["number"], p["title"], doc.line("problems", i), list(p["measures"]))
        for i, p in enumerate(doc.data["problems"])
    ]
    items = [
        Item(
            i["id"], i["category"], i["title"], i["basis"], i["frequency"], i["owner"], i.get("status", "未开始"),
            doc.line("items", n), i.get("task"), i.get("rule"), activity=i.get("activity"),
            status_given="status" in i,
        )
        for n, i in enumerate(doc.data["items"])
    ]
    return Checklist(doc.data["year"], problems, items, doc.path)


def reminders_from_doc(doc) -> list[Reminder]:
    return [
        Reminder(
            r["id"], r["occasion"], date.fromisoformat(r["holiday"]), date.fromisoformat(r["date"]),
            r["form"], r["owner"], r["status"], doc.line("reminders", n), r.get("task"),
        )
        for n, r in enumerate(doc.data["reminders"])
    ]
