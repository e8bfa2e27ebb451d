"""The next-year plan: goals (打算) → measures (措施) → tasks, with progress and overdue tasks.

Pure data and arithmetic; loading and cross-references are in `loop.py`, shown by `loop_render.py`.
The fixed sets (statuses, owner roles) are read from schemas/plan.schema.json, their one source.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from macros.core.chinese import chinese_date, chinese_number
from macros.core.reading import validate

_DEFS = validate.schema("plan")["$defs"]
STATUSES: list[str] = _DEFS["status"]["enum"]  # 未开始 进行中 已完成 已取消
OWNERS: list[str] = _DEFS["owner"]["enum"]  # 牵头人: one role, never 全体党员
PARTICIPANTS: list[str] = _DEFS["participants"]["items"]["enum"]
NOT_STARTED, IN_PROGRESS, DONE, CANCELLED = STATUSES
OPEN = (NOT_STARTED, IN_PROGRESS)
QUARTERS = "一二三四"

DUE_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DUE_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Due:
    """A deadline as the editor wrote it: a month, a quarter or a day."""

    text: str

    @property
    def end(self) -> date:
        """The last day of the period: a task is overdue from the day after."""
        if match := DUE_MONTH.match(self.text):
            year, month = int(match.group(1)), int(match.group(2))
            return date(year, month, calendar.monthrange(year, month)[1])
        if match := DUE_QUARTER.match(self.text):
            year, quarter = int(match.group(1)), int(match.group(2))
            month = quarter * 3
            return date(year, month, calendar.monthrange(year, month)[1])
        return date.fromisoformat(self.text)

    @property
    def year(self) -> int:
        return int(self.text[:4])

    @property
    def label(self) -> str:
        """2023年3月 / 2023年第二季度 / 2023年3月15日"""
        if match := DUE_MONTH.match(self.text):
            return f"{int(match.group(1))}年{int(match.group(2))}月"
        if match := DUE_QUARTER.match(self.text):
            return f"{match.group(1)}年第{QUARTERS[int(match.group(2)) - 1]}季度"
        return chinese_date(self.end)


@dataclass(frozen=True)
class Progress:
    """Done tasks out of the tasks that count (cancelled ones do not)."""

    done: int
    total: int
    cancelled: int = 0

    @property
    def percent(self) -> int:
        """Whole percent, rounded half up (5/12 → 42); 0 when nothing counts."""
        if not self.total:
            return 0
        return (200 * self.done + self.total) // (2 * self.total)

    @classmethod
    def of(cls, statuses) -> Progress:
        statuses = list(statuses)
        cancelled = statuses.count(CANCELLED)
        return cls(statuses.count(DONE), len(statuses) - cancelled, cancelled)


def rollup(statuses) -> str | None:
    """One status for many (a measure from its tasks, a problem from its measures).

    All cancelled → 已取消; every remaining one done → 已完成; any started or done → 进行中;
    otherwise 未开始. None when there is nothing to roll up.
    """
    statuses = list(statuses)
    if not statuses:
        return None
    active = [s for s in statuses if s != CANCELLED]
    if not active:
        return CANCELLED
    if all(s == DONE for s in active):
        return DONE
    if any(s in (IN_PROGRESS, DONE) for s in active):
        return IN_PROGRESS
    return NOT_STARTED


@dataclass
class Task:
    id: str
    title: str
    owner: str
    due: Due
    status: str
    evidence: str
    line: int
    measure: Measure | None = None
    participants: tuple[str, ...] = ()  # 参与人 (全体党员, 支部委员 …); the owner leads (牵头)

    @property
    def number(self) -> str:
        """Its place in the plan as readers see it: 1.3.2 (the 1st 打算, 3rd 措施, 2nd task), never its id."""
        measure = self.measure
        return f"{measure.number}.{measure.tasks.index(self) + 1}" if measure else ""

    @property
    def lead(self) -> str:
        """组织委员 / 组织委员牵头，全体党员参与"""
        return f"{self.owner}牵头，{'、'.join(self.participants)}参与" if self.participants else self.owner

    def overdue(self, as_of: date) -> bool:
        """Not done (nor cancelled) and its period ended before the as-of date."""
        return self.status in OPEN and self.due.end < as_of


@dataclass
class Measure:
    id: str
    title: str
    line: int
    tasks: list[Task] = field(default_factory=list)
    goal: Goal | None = None

    @property
    def status(self) -> str:
        return rollup(t.status for t in self.tasks)

    @property
    def number(self) -> str:
        """1.3: the 1st 打算's 3rd 措施."""
        goal = self.goal
        return f"{goal.position}.{goal.measures.index(self) + 1}" if goal else ""

    @property
    def progress(self) -> Progress:
        return Progress.of(t.status for t in self.tasks)


@dataclass
class Goal:
    id: str
    number: str
    title: str
    line: int
    measures: list[Measure] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        return [t for m in self.measures for t in m.tasks]

    @property
    def progress(self) -> Progress:
        return Progress.of(t.status for t in self.tasks)

    @property
    def position(self) -> int:
        """一 → 1"""
        return chinese_number(self.number)


@dataclass
class Plan:
    year: int
    goals: list[Goal]
    path: str

    @property
    def measures(self) -> dict[str, Measure]:
        return {m.id: m for g in self.goals for m in g.measures}

    @property
    def tasks(self) -> dict[str, Task]:
        return {t.id: t for g in self.goals for t in g.tasks}

    @property
    def progress(self) -> Progress:
        return Progress.of(t.status for t in self.tasks.values())

    def overdue(self, as_of: date) -> list[Task]:
        return sorted(
            (t for t in self.tasks.values() if t.overdue(as_of)), key=lambda t: (t.due.end, t.id)
        )


def from_doc(doc) -> Plan:
    """A Plan from a schema-checked plan.yaml Doc (ids are checked in loop.py)."""
    goals = []
    for gi, g in enumerate(doc.data["goals"]):
        goal = Goal(g["id"], g["number"], g["title"], doc.line("goals", gi))
        for mi, m in enumerate(g["measures"]):
            measure = Measure(m["id"], m["title"], doc.line("goals", gi, "measures", mi), goal=goal)
            for ti, t in enumerate(m["tasks"]):
                measure.tasks.append(
                    Task(
                        t["id"],
                        t["title"],
                        t["owner"],
                        Due(str(t["due"])),
                        t["status"],
                        t.get("evidence", ""),
                        doc.line("goals", gi, "measures", mi, "tasks", ti),
                        measure,
                        tuple(t.get("participants", ())),
                    )
                )
            goal.measures.append(measure)
        goals.append(goal)
    return Plan(doc.data["year"], goals, doc.path)
