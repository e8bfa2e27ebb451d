"""make new-year carries the people into the new year (issue 24.6): the roster of those still in the branch at
the year's end in their year-end standing, the 党费 bases, and the open 发展党员 stages; nothing is overwritten."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from macros.commands import newyear
from macros.core.load import load_site

ROOT = Path(__file__).resolve().parents[2]


def test_new_years_carry_the_roster_bases_and_open_stages(tmp_path):
    root = tmp_path / "project"
    for part in ("data", "docs"):
        shutil.copytree(ROOT / part, root / part)
    before = (root / "data/records/2023/roster.yaml").read_text("utf-8")
    lines = newyear.scaffold(root, 2023)
    assert (root / "data/records/2023/roster.yaml").read_text("utf-8") == before  # never overwritten
    assert any(line.strip().startswith("发展党员：4 人尚在发展中") for line in lines)
    lines = newyear.scaffold(root, 2024)
    assert any("data/records/2024/roster.yaml：2023 年底在本支部的 11 名党员" in line for line in lines)
    roster = yaml.safe_load((root / "data/records/2024/roster.yaml").read_text("utf-8"))
    members = {m["name"]: m for m in roster["members"]}
    assert "吴某某" not in members and "郑某某" in members  # moved out in 2023; moved in in 2023
    assert members["冯某某"] == {"name": "冯某某", "role": "党员", "group": "第一党小组", "status": "预备",
                                "joined": date(2023, 6, 20)}
    assert "moved_in" not in members["郑某某"]
    assert roster["sample"] is True  # the carried people are the sample's (issue 22.5)
    assert roster["groups"] == [{"name": "第一党小组", "leader": "刘某某"}, {"name": "第二党小组", "leader": "杨某某"}]
    dues = yaml.safe_load((root / "data/people/2024/dues.yaml").read_text("utf-8"))
    assert {b["name"]: (b["from"], b["base"]) for b in dues["bases"]}["郑某某"] == ("2024-01", 7200)
    assert dues["payments"] == {}
    site = load_site(root)
    records = site.records[2024]
    assert records.sample
    assert len(records.on(date(2024, 1, 1))) == 11
    assert site.people.dues[2024].bases[0].start == (2024, 1)
    # the carried roster makes 2024's roster figures counted: figures.yaml does not ask for them
    figures = (root / "data/2024/figures.yaml").read_text("utf-8")
    assert "# members.total：由党员名册统计，不必填写" in figures and "\nmembers.total:" not in figures
    assert "members.total" not in site.years[2024].missing
    assert any("2 个由 2024 年台账统计" in line or "由 2024 年台账统计" in line for line in lines)
