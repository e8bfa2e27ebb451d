"""Regenerate the sample committee's three branch folders (examples/committee/branches/) from this
repository's own branch project (示例数据). Run from the repository root after the branch's pages,
or data change:

    .venv/bin/python examples/committee/make_example.py

Each branch folder is a complete branch project (mkdocs.yml, data/, docs/, deploy/nginx.conf) that uses
the installed package, theme included (macros/ is not copied). The three differ on purpose:
  office   fully compliant: every month held, every plan task done, every problem closed by the 支委会,
           every 党费 month paid, every member's 学时 of a whole year reached
  general  missed months (主题党日 3月、5月, 支委会 4月; as shipped: 支委会 and 第二党小组 7月, 第二党小组 4月)
           and open problems with overdue tasks
  finance  a failing data file (data/2022/figures.yaml: 拟制方案件数 written in words), so its build fails
A year this repository has issued (data/<year>/issued.yaml) is issued again in each renamed branch on
the same day (make issue: a strict build of that branch), so the frozen 全文's checksum is the branch's own;
then the branch's changes are made, as if after the report was issued.
The committee's own data (data/committee.yaml, data/reviews.yaml) is written by hand, not here.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
from macros.commands.issue import issue  # noqa: E402  (this checkout's code, run from the root)

PARTS = ("mkdocs.yml", "docs", "data")
BRANCHES = {  # slug: name (the committee's data/committee.yaml lists the same)
    "office": "机关党委办公室党支部",
    "general": "机关党委综合处党支部",
    "finance": "机关党委财务处党支部",
}
ORIGINAL = "机关党委办公室党支部"
TEXT_SUFFIXES = {".md", ".yaml", ".yml"}


def copy_branch(dest: Path, name: str) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / part)
    (dest / "deploy").mkdir()
    shutil.copy2(ROOT / "deploy/nginx.conf", dest / "deploy/nginx.conf")  # the offline copy's CSP reads it
    config = dest / "mkdocs.yml"
    text = config.read_text("utf-8")
    text = re.sub(r"^  - (macros|schemas)\n", "", text, flags=re.M)  # watched code: the package, not here
    config.write_text(text, "utf-8")
    for path in dest.rglob("*"):
        if path.suffix in TEXT_SUFFIXES and path.is_file():
            text = path.read_text("utf-8")
            if ORIGINAL in text:
                path.write_text(text.replace(ORIGINAL, name), "utf-8")


def reissue(dest: Path) -> None:
    """Issue again, on the original day, every year issued here: the 落款 now names this branch."""
    for issued in sorted(dest.glob("data/*/issued.yaml")):
        original = issued.read_text("utf-8")
        found = re.search(r"^issued: (\d{4}-\d\d-\d\d)$", original, flags=re.M)
        assert found, f"{issued}: no issued: date"
        issued.unlink()
        for line in issue(dest, int(issued.parent.name), dt.date.fromisoformat(found.group(1))):
            print(f"  {line}")
        # the figures as this repository issued them (a figure added to the catalogue since stays out);
        # only the 全文's checksum is this branch's own
        digest = re.search(r"^text_sha256: [0-9a-f]{64}$", issued.read_text("utf-8"), flags=re.M).group(0)
        issued.write_text(re.sub(r"^text_sha256: [0-9a-f]{64}$", digest, original, flags=re.M), "utf-8")


def sub(path: Path, pattern: str, replacement: str, count: int = 0, flags: int = re.M) -> None:
    text, found = re.subn(pattern, replacement, path.read_text("utf-8"), count=count, flags=flags)
    assert found, f"{path}: {pattern!r} not found"
    path.write_text(text, "utf-8")


def compliant(dest: Path) -> None:
    """Every period held, every task done, every problem closed."""
    records = dest / "data/records/2023"
    held = {  # the months the shipped 台账 misses, as of its cut-off (2023-07-31): a copy of the month before
        "2023-04-28-group_meeting.yaml": ("2023-03-28-group_meeting.yaml", "2023-03-28", "（3月）", "（4月）"),
        "2023-07-28-group_meeting.yaml": ("2023-06-28-group_meeting.yaml", "2023-06-28", "（6月）", "（7月）"),
        "2023-07-10-committee_meeting.yaml": ("2023-06-08-committee_meeting.yaml", "2023-06-08", "", ""),
    }
    for name, (source, day, month, new_month) in held.items():
        text = (records / source).read_text("utf-8").replace(day, name[:10])
        (records / name).write_text(text.replace(month, new_month) if month else text, "utf-8")
    plan = dest / "data/2022/plan.yaml"
    text = plan.read_text("utf-8")
    text = re.sub(r"^(\s+)status: (未开始|进行中)\n(?!\1evidence:)", r"\1status: 已完成\n\1evidence: 示例佐证材料\n",
                  text, flags=re.M)
    text = re.sub(r"^(\s+)status: (未开始|进行中)\n", r"\1status: 已完成\n", text, flags=re.M)
    plan.write_text(text, "utf-8")
    sub(dest / "data/2022/checklist.yaml", r"^(    measures: \[[^\]]+\])\n",
        r"\1\n    closed: {meeting: 2023年6月支委会, date: 2023-06-08}\n")
    people_compliant(dest)


def people_compliant(dest: Path) -> None:
    """Every 党费 month due by the cut-off paid; every member's 学时 of each whole year reached (a course
    of the missing hours). The counts come from the core, as the 汇总 counts them."""
    from macros.core import load_branch
    from macros.core.people import dues, study_hours

    branch = load_branch(dest)
    people, as_of = branch.data.people, branch.as_of
    for year in sorted(people.dues):
        records = branch.records(year)
        for row in dues.ledger(records.roster, people.dues[year], people.dues_rules):
            for cell in row.cells:
                if cell.unpaid and (year, cell.month) <= (as_of.year, as_of.month):
                    month = f"{year}-{cell.month:02d}"
                    sub(dest / f"data/people/{year}/dues.yaml", rf"^  {month}:\n",
                        rf"\g<0>    - {{name: {row.name}, paid: {cell.short}, date: {month}-10}}\n", count=1)
    for year in sorted(y for y in branch.data.records if y < as_of.year):
        tallies = study_hours.tally(branch.records(year), people.study, people.training.get(year, ()),
                                    dt.date(year, 12, 31))
        path = dest / f"data/people/{year}/training.yaml"
        for short in study_hours.short(tallies):
            hours = f"{short.short:g}"
            path.write_text(path.read_text("utf-8") + f"  - {{name: {short.name}, date: {year}-12-15, "
                            f"topic: 网络学院专题课程, hours: {hours}}}\n", "utf-8")


def missed(dest: Path) -> None:
    """Months not held: 主题党日 in March and May, the 支委会 in April."""
    for name in ("2023-03-27-theme_day.yaml", "2023-05-25-theme_day.yaml", "2023-04-10-committee_meeting.yaml"):
        (dest / "data/records/2023" / name).unlink()


def failing(dest: Path) -> None:
    """A figure written in words: the build stops with one Chinese line naming file, line and key."""
    sub(dest / "data/2022/figures.yaml", r"^docs\.plans: \d+$", "docs.plans: 十二", count=1)


def main() -> int:
    branches = HERE / "branches"
    for (slug, name), change in zip(BRANCHES.items(), (compliant, missed, failing), strict=True):
        print(f"{branches / slug}：{name}")
        copy_branch(branches / slug, name)
        if name != ORIGINAL:
            reissue(branches / slug)
        change(branches / slug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
