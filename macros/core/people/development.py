"""发展党员: each person's stages with dates, 培养联系人 and 入党介绍人, and the time rules kept as data
(data/people/rules.yaml `development`), from which the next step and its earliest or latest date
are computed.

Stages, in order (data/people/development.yaml, one entry per person, across years):
  applied 递交入党申请书 → talked 党组织派人谈话 → activist 确定为入党积极分子 → candidate 确定为发展对象
  → admitted 支部大会接收为预备党员 → confirmed 转为正式党员.
A rule is `{after: activist, before: candidate, min_months: 12}` (the later step no earlier than
that many months after the earlier one) or `{…, max_months: 1}` (no later than). `review_months`
asks for a 考察 of each 入党积极分子/发展对象 that often (its dates in `reviews`).
Pure data and functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from macros.core.people.dates import add_months

STAGES = ("applied", "talked", "activist", "candidate", "admitted", "confirmed")
STAGE_NAMES = {
    "applied": "递交入党申请书", "talked": "党组织派人谈话", "activist": "确定为入党积极分子",
    "candidate": "确定为发展对象", "admitted": "支部大会接收为预备党员", "confirmed": "转为正式党员",
}
STANDING = {  # what a person is after a stage
    "applied": "入党申请人", "talked": "入党申请人", "activist": "入党积极分子", "candidate": "发展对象",
    "admitted": "预备党员", "confirmed": "正式党员",
}


@dataclass(frozen=True)
class TimeRule:
    after: str
    before: str
    min_months: int | None = None
    max_months: int | None = None
    text: str = ""


@dataclass(frozen=True)
class DevelopmentRules:
    rules: tuple[TimeRule, ...]
    review_months: int | None = None
    review_text: str = ""
    basis: str = ""
    sponsors: int = 2  # 入党介绍人 (正式党员)
    remind_days: int = 45  # 本月待办 names a step this many days ahead


@dataclass(frozen=True)
class Person:
    name: str
    dates: dict[str, date]  # stage -> date
    contacts: tuple[str, ...] = ()  # 培养联系人
    sponsors: tuple[str, ...] = ()  # 入党介绍人
    reviews: tuple[date, ...] = ()  # 考察
    stopped: str | None = None  # 不再发展的原因（停止培养等）
    line: int = 1

    @property
    def stage(self) -> str:
        return max(self.dates, key=STAGES.index)

    @property
    def standing(self) -> str:
        return STANDING[self.stage]

    def on(self, stage: str) -> date | None:
        return self.dates.get(stage)


@dataclass(frozen=True)
class NextStep:
    stage: str  # the stage to reach next
    earliest: date | None = None
    latest: date | None = None
    why: str = ""  # the rule's wording

    @property
    def name(self) -> str:
        return STAGE_NAMES[self.stage]

    def state(self, today: date) -> str:
        """逾期 (past the latest), 可办理 (earliest reached or none), 未到时间 (before the earliest)."""
        if self.latest is not None and today > self.latest:
            return "逾期"
        if self.earliest is not None and today < self.earliest:
            return "未到时间"
        return "可办理"


def next_step(person: Person, rules: DevelopmentRules) -> NextStep | None:
    """The next stage and its dates from the time rules (None: 正式党员, or no longer pursued)."""
    if person.stopped or person.stage == "confirmed":
        return None
    following = STAGES[STAGES.index(person.stage) + 1]
    earliest = latest = None
    why = []
    for rule in rules.rules:
        start = person.on(rule.after)
        if rule.before != following or start is None:
            continue
        if rule.min_months is not None:
            earliest = max(filter(None, (earliest, add_months(start, rule.min_months))))
        if rule.max_months is not None:
            latest = min(filter(None, (latest, add_months(start, rule.max_months))))
        if rule.text:
            why.append(rule.text)
    return NextStep(following, earliest, latest, "；".join(why))


def review_due(person: Person, rules: DevelopmentRules) -> date | None:
    """The next 考察 of an 入党积极分子 or 发展对象 (None when not one, or no such rule)."""
    if not rules.review_months or person.stopped or person.stage not in ("activist", "candidate"):
        return None
    last = max((person.reviews or ()) + (person.on("activist"),))
    return add_months(last, rules.review_months)


def problems(person: Person, rules: DevelopmentRules) -> list[tuple[str, str]]:
    """Dates out of order, a step taken before a rule allowed it or after it required it: (key, 中文)."""
    found = []
    reached = [s for s in STAGES if s in person.dates]
    missing = [s for s in STAGES[: STAGES.index(person.stage)] if s not in person.dates]
    for stage in missing:
        found.append((person.stage, f"{person.name} 已有“{STAGE_NAMES[person.stage]}”的日期，"
                                    f"缺少之前“{STAGE_NAMES[stage]}”的日期"))
    for a, b in zip(reached, reached[1:], strict=False):
        if person.dates[b] < person.dates[a]:
            found.append((b, f"{person.name}“{STAGE_NAMES[b]}”的日期 {person.dates[b]} "
                             f"早于“{STAGE_NAMES[a]}”的 {person.dates[a]}"))
    for rule in rules.rules:
        start, end = person.on(rule.after), person.on(rule.before)
        if start is None or end is None:
            continue
        if rule.min_months is not None and end < add_months(start, rule.min_months):
            found.append((rule.before, f"{person.name}“{STAGE_NAMES[rule.before]}”在 {end}，早于"
                                       f"“{STAGE_NAMES[rule.after]}”（{start}）后 {rule.min_months} 个月：{rule.text}"))
        if rule.max_months is not None and end > add_months(start, rule.max_months):
            found.append((rule.before, f"{person.name}“{STAGE_NAMES[rule.before]}”在 {end}，晚于"
                                       f"“{STAGE_NAMES[rule.after]}”（{start}）后 {rule.max_months} 个月：{rule.text}"))
    if "admitted" in person.dates and len(person.sponsors) < rules.sponsors:
        found.append(("sponsors", f"{person.name} 已接收为预备党员，应写明 {rules.sponsors} 名入党介绍人（sponsors）"))
    if "activist" in person.dates and not person.contacts:
        found.append(("contacts", f"{person.name} 已确定为入党积极分子，应写明培养联系人（contacts）"))
    return found
