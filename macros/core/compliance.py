"""三会一课 and 组织生活 compliance: the yearly minimums (data/rules.yaml) against a year's figures.

Each rule keeps its source: 党内法规 (《中国共产党支部工作条例（试行）》) or 本单位规定 (local
practice, never shown as a national rule). Verdicts: 达标 / 未达标 / 待填 / 不适用.
"""

from __future__ import annotations

from dataclasses import dataclass

MET, NOT_MET, UNFILLED, NOT_APPLICABLE = "达标", "未达标", "待填", "不适用"
VERDICTS = (MET, NOT_MET, UNFILLED, NOT_APPLICABLE)
NATIONAL, LOCAL = "党内法规", "本单位规定"


@dataclass(frozen=True)
class Rule:
    id: str
    activity: str
    minimum: int
    unit: str
    source: str
    basis: str
    gist: str  # 规定要点: an abridgement of the rule, never shown as its full text
    line: int
    per: str = ""
    figure: str | None = None  # catalogue key; None when the report does not count it
    convener: str | None = None  # who convenes and chairs (the owner of matching checklist items)
    convener_basis: str = ""
    sample: bool = False  # a 本单位规定 still sample data

    @property
    def requirement(self) -> str:
        """每年不少于4次 / 每个党小组，每年不少于12次"""
        per = f"{self.per}，" if self.per else ""
        return f"{per}每年不少于{self.minimum}{self.unit}"


@dataclass(frozen=True)
class Result:
    rule: Rule
    value: int | None
    verdict: str
    reason: str = ""  # why 待填 or 不适用


def rules_from_doc(doc) -> dict[str, Rule]:
    return {
        rid: Rule(
            rid, r["activity"], r["minimum"], r["unit"], r["source"], r["basis"], r["gist"],
            doc.line("rules", rid), r.get("per", ""), r.get("figure"), r.get("convener"),
            r.get("convener_basis", ""), bool(r.get("sample", False)),
        )
        for rid, r in doc.data["rules"].items()
    }


def judge(rule: Rule, values: dict, not_applicable: dict[str, str]) -> Result:
    """The verdict of one rule for one year's figure values (None = 待填)."""
    if rule.id in not_applicable:
        return Result(rule, None, NOT_APPLICABLE, not_applicable[rule.id])
    if rule.figure is None:
        return Result(rule, None, UNFILLED, "年度报告未统计此项")
    value = values.get(rule.figure)
    if value is None:
        return Result(rule, None, UNFILLED, "数据项待填")
    return Result(rule, value, MET if value >= rule.minimum else NOT_MET)


def judge_all(rules: dict[str, Rule], values: dict, not_applicable: dict[str, str]) -> list[Result]:
    return [judge(rule, values, not_applicable) for rule in rules.values()]


@dataclass(frozen=True)
class Proposal:
    """A 未达标 verdict proposed as a rectification item (建议纳入整改) on the 问题整改清单."""

    result: Result

    @property
    def title(self) -> str:
        """主题党日未达到规定要求"""
        return f"{self.result.rule.activity}未达到规定要求"

    @property
    def detail(self) -> str:
        """全年9次（未开展：1月、8月、12月），规定每年不少于12次（依据：……）"""
        rule, reason = self.result.rule, self.result.reason
        why = f"（{reason}）" if reason else ""
        return f"全年{self.result.value}{rule.unit}{why}，规定{rule.requirement}（依据：{rule.basis}）"


def proposals(results: list[Result]) -> list[Proposal]:
    """Every 未达标 of a year, in rule order: what the 对标 page proposes for rectification."""
    return [Proposal(r) for r in results if r.verdict == NOT_MET]
