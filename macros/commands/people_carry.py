"""`make new-year`: the people's data carried into the new year (macros/commands/newyear.py calls it).

- data/records/<year>/roster.yaml: from the previous year's roster, everyone still in the branch on
  its last day, in the standing they had then (a 预备党员 keeps 入党日期; one who became 正式 keeps
  both dates), the 党小组 and 组长 as they were; last year's 转入/转出 entries are not repeated. A
  sample roster's people are sample: the new roster says `sample: true` too (issue 22.5).
- data/people/<year>/dues.yaml: each carried member's latest 党费 base `from: <year>-01`, no payments.
- 发展党员 (data/people/development.yaml) spans the years: open stages carry over by themselves, and
  the next steps of the new year follow from their dates.
Nothing is overwritten: a file that exists is left as it is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from macros.core.people.dues import base_for
from macros.core.reading.yamlio import yaml_scalar
from macros.core.records.model import records_dir


def _flow(fields: dict) -> str:
    return "{" + ", ".join(f"{k}: {yaml_scalar(v) if not isinstance(v, date) else v.isoformat()}"
                           for k, v in fields.items()) + "}"


def carried_members(records, year: int) -> list:
    """The previous year's members still in the branch on its last day."""
    last = date(year - 1, 12, 31)
    return [m for m in records.roster if m.belongs(last)]


def roster_yaml(records, year: int) -> str:
    last = date(year - 1, 12, 31)
    lines = [
        "# yaml-language-server: $schema=../../../schemas/roster.schema.json",
        f"# {year} 年党员名册（由 make new-year 从 {year - 1} 年名册生成：",
        f"# {year - 1} 年底仍在本支部的党员，类别为年底时的类别）。",
        "# 年内转入、转出、接收预备党员、转正时在这里补写日期（见编辑指南“党员名册”）。",
        "# 只记支部工作需要的内容：不写身份证号、电话、住址。",
    ]
    if records.sample:  # the people carried are the sample's: the new year's 台账 is sample until replaced
        lines += [
            f"# 示例数据标志：{year - 1} 年名册是示例，这里的人员也是虚构的。换成真实名册后改为 false（或删去此行）。",
            "sample: true",
        ]
    if records.leaders:
        lines.append("groups:")
        lines += [f"  - {_flow({'name': g, 'leader': leader})}" for g, leader in records.leaders.items()]
    lines.append("members:")
    for m in carried_members(records, year):
        fields = {"name": m.name, "role": m.role}
        if m.group:
            fields["group"] = m.group
        fields["status"] = m.status_on(last)
        if m.joined:
            fields["joined"] = m.joined
        if m.confirmed:
            fields["confirmed"] = m.confirmed
        if m.retired:
            fields["retired"] = True
        lines.append(f"  - {_flow(fields)}")
    return "\n".join(lines) + "\n"


def dues_yaml(records, year_dues, year: int) -> str:
    lines = [
        "# yaml-language-server: $schema=../../../schemas/dues.schema.json",
        f"# {year} 年党费台账（由 make new-year 生成：{year - 1} 年底各人的计算基数延续到 {year} 年 1 月起）。",
        "# 基数变化时另写一条新的起用月份；每月交纳后在 payments 中按月份记录。基数和金额只在完整版显示。",
        "bases:",
    ]
    for m in carried_members(records, year):
        base = base_for(year_dues.bases, m.name, year - 1, 12) if year_dues else None
        if base is not None:
            lines.append(f"  - {_flow({'name': m.name, 'from': f'{year}-01', 'base': float(base.amount)})}")
    if lines[-1] == "bases:":
        lines[-1] = "bases: []"
    lines.append("payments: {}")
    return "\n".join(lines) + "\n"


def carry(root: Path, site, year: int) -> list[str]:
    """Write what does not exist yet; return a line per file written."""
    done = []
    prev = site.records.get(year - 1)
    if prev is None:
        return done
    roster = records_dir(root, year) / "roster.yaml"
    if not roster.exists():
        roster.parent.mkdir(parents=True, exist_ok=True)
        roster.write_text(roster_yaml(prev, year), "utf-8")
        count = len(carried_members(prev, year))
        done.append(f"data/records/{year}/roster.yaml：{year - 1} 年底在本支部的 {count} 名党员"
                    "（类别为年底时的类别，党小组和组长照旧）")
    dues = Path(root) / "data" / "people" / str(year) / "dues.yaml"
    if site.people.dues_rules is not None and year - 1 in site.people.dues and not dues.exists():
        dues.parent.mkdir(parents=True, exist_ok=True)
        dues.write_text(dues_yaml(prev, site.people.dues.get(year - 1), year), "utf-8")
        done.append(f"data/people/{year}/dues.yaml：党费计算基数从 {year - 1} 年 12 月延续，交纳记录为空")
    open_steps = [p for p in site.people.development if not p.stopped and p.stage != "confirmed"]
    if open_steps:
        done.append(f"发展党员：{len(open_steps)} 人尚在发展中"
                    "（data/people/development.yaml 跨年度记录，下一步按日期计算）")
    return done
