"""The checklists of a year: 问题整改清单 (problems → plan measures) and 党建工作清单 (items by category),
and the 重要节点廉政提醒 of the plan year.

Pure data; loading and cross-references are in `loop.py`, shown by `loop_render.py` and `checklist_render.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from macros.core import compliance
from macros.core.plan import DONE, Measure, Progress, Task, rollup
from macros.core.reading import validate

_ITEM = validate.schema("checklist")["properties"]["items"]["items"]["properties"]
CATEGORIES: list[str] = _ITEM["category"]["enum"]
# A problem's state: 整改中 until a 支委会 has reviewed it and closed it (销号)
RECTIFYING, RECTIFIED = "整改中", "已整改"
# A reminder's status
REMINDER_STATUSES: list[str] = validate.schema("reminders")["properties"]["reminders"]["items"]["properties"][
    "status"]["enum"]
PENDING, SENT, WITHDRAWN = REMINDER_STATUSES  # 待发出 已发出 已取消
UNFILLED = "待填"


@dataclass(frozen=True)
class Closure:
    """销号: the 支委会 that reviewed the problem and closed it, and the date."""

    meeting: str
    date: date
    line: int = 1  # of `closed:` in the checklist file


@dataclass
class Problem:
    id: str
    number: str
    title: str
    line: int
    measure_ids: list[str]
    owner: str = ""  # 责任人: a role of the branch committee
    deadline: date | None = None  # 整改时限
    measures: list[Measure] = field(default_factory=list)
    closure: Closure | None = None

    def overdue(self, as_of: date) -> bool:
        """Not closed (销号) by its 整改时限."""
        return not self.closed and self.deadline is not None and self.deadline < as_of

    @property
    def answered(self) -> bool:
        return bool(self.measure_ids)

    @property
    def tasks(self) -> list[Task]:
        return [t for m in self.measures for t in m.tasks]

    @property
    def measures_status(self) -> str | None:
        """Rolled up from the tasks of its measures; None when no measure answers it."""
        return rollup(m.status for m in self.measures)

    @property
    def measures_done(self) -> bool:
        return self.measures_status == DONE

    @property
    def closed(self) -> bool:
        """对单销号: a 支委会 reviewed it and closed it (recorded in `closed:`), not merely all measures done."""
        return self.closure is not None

    @property
    def state(self) -> str:
        """整改中 / 已整改"""
        return RECTIFIED if self.closed else RECTIFYING

    @property
    def awaiting_review(self) -> bool:
        """Every measure done, not yet closed by a 支委会."""
        return self.measures_done and not self.closed

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
    participants: tuple[str, ...] = ()

    @property
    def lead(self) -> str:
        """牵头：书记 / 牵头：书记；参与：全体党员"""
        joined = "、".join(self.participants)
        return f"牵头：{self.owner}；参与：{joined}" if self.participants else f"牵头：{self.owner}"


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

    @property
    def closed_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.closed]


def problem_counts(problems: list[Problem]) -> str:
    """共3个问题，已销号0个、未销号3个"""
    closed = sum(p.closed for p in problems)
    return f"共{len(problems)}个问题，已销号{closed}个、未销号{len(problems) - closed}个"


def proposals(results: list[compliance.Result] | None) -> list[compliance.Proposal]:
    """The 对标 page's 未达标 verdicts, proposed for the 问题整改清单 (建议纳入整改)."""
    return compliance.proposals(results or [])


@dataclass
class Reminder:
    id: str
    occasion: str
    festival: str
    holiday: date | None  # 放假首日; None: 待填 (the arrangement is not published yet)
    date: date | None  # 提醒日期; None: 待填
    form: str
    owner: str
    status: str
    line: int
    task_id: str | None = None
    task: Task | None = None

    def overdue(self, as_of: date) -> bool:
        """Still to be sent (待发出) and its date has passed."""
        return self.status == PENDING and self.date is not None and self.date < as_of


def _closure(entry, line: int) -> Closure | None:
    closed = entry.get("closed")
    return Closure(closed["meeting"], date.fromisoformat(str(closed["date"])), line) if closed else None


def _day(value) -> date | None:
    return None if value == UNFILLED else date.fromisoformat(str(value))


def checklist_from_doc(doc) -> Checklist:
    problems = [
        Problem(p["id"], p["number"], p["title"], doc.line("problems", i), list(p["measures"]),
                owner=p["owner"], deadline=date.fromisoformat(str(p["deadline"])),
                closure=_closure(p, doc.line("problems", i, "closed")))
        for i, p in enumerate(doc.data["problems"])
    ]
    items = [
        Item(
            i["id"], i["category"], i["title"], i["basis"], i["frequency"], i["owner"], i.get("status", "未开始"),
            doc.line("items", n), i.get("task"), i.get("rule"), activity=i.get("activity"),
            status_given="status" in i, participants=tuple(i.get("participants", ())),
        )
        for n, i in enumerate(doc.data["items"])
    ]
    return Checklist(doc.data["year"], problems, items, doc.path)


def reminders_from_doc(doc) -> list[Reminder]:
    return [
        Reminder(
            r["id"], r["occasion"], r["festival"], _day(r["holiday"]), _day(r["date"]),
            r["form"], r["owner"], r["status"], doc.line("reminders", n), r.get("task"),
        )
        for n, r in enumerate(doc.data["reminders"])
    ]
