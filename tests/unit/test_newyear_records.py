"""make new-year after a year of 台账: the counts the catalogue derives from records are computed,
not 待填 (macros/commands/newyear.py with macros/core/records/model.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from macros.commands import newyear
from macros.core.load import load_site

ROOT = Path(__file__).resolve().parents[2]
DERIVED = {
    key
    for key, spec in yaml.safe_load((ROOT / "data/catalogue.yaml").read_text("utf-8"))["figures"].items()
    if spec.get("derived")
}


def copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for part in ("data", "docs"):
        shutil.copytree(ROOT / part, root / part)
    return root


def write_committee_meetings(root: Path, months: range) -> None:
    folder = root / "data/records/2023"
    for old in folder.glob("*-committee_meeting*.yaml"):
        old.unlink()
    for month in months:
        (folder / f"2023-{month:02d}-10-committee_meeting.yaml").write_text(
            f"type: committee_meeting\ndate: 2023-{month:02d}-10\ntopic: 研究{month}月工作\nhost: 张某某\n"
            "recorder: 李某某\nevidence: 会议记录本\n",
            "utf-8",
        )


def test_derived_figures_come_from_the_years_records(tmp_path):
    root = copy(tmp_path)
    assert DERIVED >= {"branch.committee_meetings", "theme_day.activities"}
    write_committee_meetings(root, range(1, 12))  # a year of records: 11 支委会
    lines = newyear.scaffold(root, 2023)
    text = (root / "data/2023/figures.yaml").read_text("utf-8")
    for key in DERIVED:
        assert not re.search(rf"^{re.escape(key)}:", text, re.M), key  # no typed value, no 待填
        source = "党员名册" if key.startswith("members.") else "台账"
        assert f"# {key}：由{source}统计，不必填写" in text
    summary = next(line for line in lines if "figures.yaml" in line)
    assert f"{len(DERIVED)} 个由 2023 年台账统计，不必填写" in summary and "召开支委会次数11次" in summary

    site = load_site(root, root / "docs")
    values = site.years[2023].values
    assert values["branch.committee_meetings"] == 11
    theme_days = len(list((root / "data/records/2023").glob("*-theme_day*.yaml")))
    assert values["theme_day.activities"] == theme_days > 0
    assert (values["members.total"], values["members.admitted"]) == (11, 1)  # the 2023 roster: 郑 in, 吴 out, 冯 accepted
    unfilled = {e.key for e in site.unfilled() if e.path == "data/2023/figures.yaml"}
    assert unfilled and not unfilled & DERIVED  # only the figures the records cannot give are 待填

    # one more meeting recorded later: the figure follows the records, nothing to retype
    write_committee_meetings(root, range(1, 13))
    assert load_site(root, root / "docs").years[2023].values["branch.committee_meetings"] == 12


def test_a_year_whose_roster_new_year_carries_counts_its_figures_from_it(tmp_path):
    """No 2023 台账 yet: make new-year carries the 2022 roster into data/records/2023/, so 2023 has a
    台账 (empty so far) and its derived figures are counted, not asked for as 待填."""
    root = copy(tmp_path)
    shutil.rmtree(root / "data/records/2023")
    shutil.rmtree(root / "data/people")  # 学时, 党费, 发展党员 are checked against the 2023 roster just removed
    lines = newyear.scaffold(root, 2023)
    assert (root / "data/records/2023/roster.yaml").exists()
    text = (root / "data/2023/figures.yaml").read_text("utf-8")
    assert not any(re.search(rf"^{re.escape(key)}:", text, re.M) for key in DERIVED)
    assert all(re.search(rf"^# {re.escape(key)}：由(台账|党员名册)统计", text, re.M) for key in DERIVED)
    assert any(f"{len(DERIVED)} 个由 2023 年台账统计" in line for line in lines)
