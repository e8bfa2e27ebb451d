"""民主评议党员 and 组织生活会 results of a year (年度), from data/people/<year>/appraisal.yaml.

The file lives under the year the meeting is held FOR (the 2022年度 组织生活会 is often held in
early 2023). It names the 台账 records of the meetings by date; the members appraised are those in
the branch on the appraisal's day (the dated roster of that day's year).

- 民主评议: the dates of 自评、互评、测评; each member's 测评 votes and the 等次 the 支部大会 settled
  (优秀/合格/基本合格/不合格, or 不参加评定 with the reason); 不合格 needs its follow-up (处置).
- 组织生活会: the 主题, the 对照检查 topics, and each 批评与自我批评 point; a point may name a problem
  of the 问题整改清单 (`problem: p3`) of the meeting's year, whose 整改 and 销号 the page follows.
Pure data and functions returning (where, key, 中文) problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

GRADES = ("优秀", "合格", "基本合格", "不合格")
NOT_RATED = "不参加评定"


@dataclass(frozen=True)
class Rating:
    name: str
    grade: str
    votes: dict[str, int]  # 等次 -> 测评票数
    reason: str | None = None  # 不参加评定的原因
    follow_up: str | None = None  # 不合格的处置
    line: int = 1


@dataclass(frozen=True)
class Point:
    by: str  # who raised it
    to: str | None  # whom it concerns (None: 自我批评)
    text: str
    problem: str | None = None  # a problem id of the 问题整改清单
    line: int = 1

    @property
    def kind(self) -> str:
        return "自我批评" if self.to is None or self.to == self.by else "批评"


@dataclass(frozen=True)
class Appraisal:
    year: int  # 年度
    appraisal_day: date | None
    steps: dict[str, date]  # 自评 / 互评 / 测评 -> date
    ratings: tuple[Rating, ...]
    meeting_day: date | None
    theme: str | None
    topics: tuple[str, ...]
    points: tuple[Point, ...]
    path: str = ""

    def counts(self) -> dict[str, int]:
        return {g: sum(r.grade == g for r in self.ratings) for g in (*GRADES, NOT_RATED)}


def rating_problems(a: Appraisal, members_on_day) -> list[tuple[int, str, str]]:
    """Every member of the day rated once; votes within the number of members; 不合格 followed up."""
    found = []
    names = {m.name for m in members_on_day}
    rated = [r.name for r in a.ratings]
    for r in a.ratings:
        if r.name not in names:
            found.append((r.line, "name", f"{r.name} 在 {a.appraisal_day} 不是本支部党员，不能参加评议"))
        if sum(r.votes.values()) > len(names):
            found.append((r.line, "votes",
                          f"{r.name} 的测评票数合计 {sum(r.votes.values())} 多于当天党员人数 {len(names)}"))
        if r.grade == "不合格" and not r.follow_up:
            found.append((r.line, "follow_up", f"{r.name} 评为不合格，应写明处置 follow_up（如 限期改正、劝其退党）"))
        if r.grade == NOT_RATED and not r.reason:
            found.append((r.line, "reason", f"{r.name} 不参加评定，应写明原因 reason"))
    for name in sorted(names - set(rated), key=lambda n: next(i for i, m in enumerate(members_on_day) if m.name == n)):
        found.append((1, "ratings", f"{name} 在 {a.appraisal_day} 是本支部党员，缺少其评议结果"))
    for name in sorted({n for n in rated if rated.count(n) > 1}):
        found.append((1, "ratings", f"{name} 的评议结果写了不止一次"))
    return found


def point_problems(a: Appraisal, members_on_day, problem_ids) -> list[tuple[int, str, str]]:
    found = []
    names = {m.name for m in members_on_day}
    for p in a.points:
        for who in filter(None, (p.by, p.to)):
            if who not in names:
                found.append((p.line, "by" if who == p.by else "to",
                              f"{who} 在 {a.meeting_day} 不是本支部党员"))
        if p.problem is not None and problem_ids is not None and p.problem not in problem_ids:
            where = f"{a.meeting_day.year} 年问题整改清单" if a.meeting_day else "问题整改清单"
            known = "、".join(problem_ids) or "无"
            found.append((p.line, "problem", f"问题 {p.problem} 不在{where}中（应为 {known} 之一）"))
    return found
