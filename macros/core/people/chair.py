"""Who chairs and who records a meeting: rules kept as data in data/activity_types.yaml.

Per activity type:

    required: [host, recorder]        # 主持人、记录人 must be written on every record of the type
    chair:
      roles: [书记]                   # who chairs: 支部职务 from the roster, or 党小组组长 (the leader of
                                      #   the record's 党小组, from the roster's groups)
      instead: [副书记, 组织委员, …]  # who may chair in their place; the record then says why
                                      #   (`delegated: 书记出差，委托组织委员主持`)
      basis: 书记不能参加时，可以委托副书记或者委员主持

A record whose host is neither is refused at build and at import (the import runs the build's
checks on the files it would write). Pure functions returning (key, 中文) problems.
"""

from __future__ import annotations

from dataclasses import dataclass

GROUP_LEADER = "党小组组长"
FIELD_NAMES = {"host": "主持人", "recorder": "记录人"}


@dataclass(frozen=True)
class ChairRule:
    roles: tuple[str, ...]
    instead: tuple[str, ...] = ()
    basis: str = ""

    @classmethod
    def from_spec(cls, spec: dict | None) -> ChairRule | None:
        if not spec:
            return None
        return cls(tuple(spec["roles"]), tuple(spec.get("instead") or ()), spec.get("basis", ""))

    def words(self, roles: tuple[str, ...]) -> str:
        return "或".join(roles)


def _holds(role: str, member, group: str | None, leaders: dict[str, str]) -> bool:
    if role == GROUP_LEADER:
        return group is not None and leaders.get(group) == member.name
    return member.role == role


def check(kind_name: str, rule: ChairRule | None, required: tuple[str, ...], data: dict,
          member, group: str | None, leaders: dict[str, str], unfilled: str = "待填") -> list[tuple[str, str]]:
    """Problems of one record: a required 主持人/记录人 missing; a host who may not chair; a
    substitute without the record saying why. `member` is the host's roster entry (None when the
    host is not in the roster: that is reported elsewhere)."""
    problems = []
    for key in required:
        if data.get(key) in (None, ""):
            problems.append((key, f"{kind_name}应写明{FIELD_NAMES[key]}（{key}）；不知道时写 {unfilled}"))
    host = data.get("host")
    delegated = data.get("delegated")
    if rule is None or member is None or host in (None, unfilled):
        if delegated and rule is None:
            problems.append(("delegated", f"{kind_name}没有主持人规定，不需要写委托说明 delegated"))
        return problems
    if GROUP_LEADER in rule.roles + rule.instead and group and group not in leaders:
        problems.append(("group", f"名册没有写明 {group} 的组长（roster.yaml 的 groups），无法核对{kind_name}的主持人"))
        return problems
    if any(_holds(r, member, group, leaders) for r in rule.roles):
        if delegated:
            problems.append(("delegated", f"{host} 是{rule.words(rule.roles)}，主持{kind_name}不需要委托说明；"
                             "请删去 delegated"))
        return problems
    chair = _who(rule.roles, group)
    if any(_holds(r, member, group, leaders) for r in rule.instead):
        if not delegated or delegated == unfilled:
            problems.append(("delegated", f"{kind_name}由{chair}主持；{host}（{_role(member, rule, leaders)}）主持时，"
                             "应写明委托说明 delegated，如“书记出差，委托组织委员主持”"))
        return problems
    allowed = chair + (f"；{rule.basis}" if rule.basis else "")
    problems.append(("host", f"{host}（{_role(member, rule, leaders)}）不能主持{kind_name}：应由{allowed}"))
    return problems


def _who(roles, group) -> str:
    return "或".join(f"{group}组长" if r == GROUP_LEADER and group else r for r in roles)


def _role(member, rule: ChairRule, leaders) -> str:
    if GROUP_LEADER in rule.roles + rule.instead and leaders.get(member.group) == member.name:
        return f"{member.group}组长"
    return member.role
