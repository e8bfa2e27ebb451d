"""A tiny project for the 台账 unit tests: activity types, branch, one year's roster and records."""

from __future__ import annotations

from pathlib import Path

TYPES = """\
types:
  general_meeting:   {name: 支部党员大会,   frequency: quarter, attendance: members}
  committee_meeting: {name: 支部委员会会议, frequency: month,   attendance: committee}
  group_meeting:     {name: 党小组会,       frequency: month,   attendance: group}
  party_lecture:     {name: 党课,           frequency: quarter, attendance: members}
  theme_day:         {name: 主题党日,       frequency: month,   attendance: members}
  heart_talk:        {name: 谈心谈话,       frequency: null,    attendance: pair}
"""
ROSTER = """\
members:
  - {name: 张某某, role: 书记, group: 第一党小组, status: 正式}
  - {name: 李某某, role: 组织委员, group: 第一党小组, status: 正式}
  - {name: 王某某, role: 党员, group: 第二党小组, status: 预备}
  - {name: 赵某某, role: 党员, group: 第二党小组, status: 正式}
"""
NAMES = ("张某某", "李某某", "王某某", "赵某某")


def make_project(root: Path, year: int = 2022, records: dict[str, str] | None = None) -> Path:
    folder = root / "data" / "records" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (root / "data" / "branch.yaml").write_text("name: 测试党支部\n", "utf-8")
    (root / "data" / "activity_types.yaml").write_text(TYPES, "utf-8")
    (folder / "roster.yaml").write_text(ROSTER, "utf-8")
    for name, text in (records or {}).items():
        (folder / name).write_text(text, "utf-8")
    return root
