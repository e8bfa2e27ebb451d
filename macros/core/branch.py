"""The branch's domain as a library: `load_branch(root)` reads and checks a branch project's data
(the same checks and the same Chinese `file:line` errors as a build) and answers questions about it,
without MkDocs. A committee view, a second builder or a command uses this; the site uses the same
loader (macros/core/load.py) through define_env.

    from macros.core import load_branch
    branch = load_branch(".")
    print(branch.figure(2022, "branch.committee_meetings"), branch.compliance(2022, "committee_meeting"))
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from macros.core.load import SiteData, load_site
from macros.core.records import ledger
from macros.core.records.link import site_as_of
from macros.core.records.model import Records


@dataclass(frozen=True)
class Month:
    """One period of an activity's row in the 台账 grid: 2022年3月 (or 第一季度) and its state."""

    name: str
    state: str  # 已开展 / 未达标 / 待开展 / 未到期 (macros/core/records/ledger.py)
    held: int  # records in the period

    def __str__(self) -> str:
        return f"{self.name}{self.state}"


@dataclass(frozen=True)
class Branch:
    """A branch's checked data: years, figures (typed and derived from the 台账), records, plan,
    checklists and the month-by-month compliance of each activity."""

    data: SiteData

    @property
    def name(self) -> str:
        return self.data.branch["name"]

    @property
    def years(self) -> list[int]:
        return sorted(self.data.years)

    def figure(self, year: int, key: str):
        """A figure of the year's report (typed in figures.yaml, or counted from the 台账); None when 待填."""
        return self.data.years[year].values.get(key)

    def records(self, year: int) -> Records | None:
        return self.data.records.get(year)

    def plan(self, year: int):
        """The plan made in `year`'s report (for the next year), or None."""
        loop = self.data.loops.years.get(year) if self.data.loops else None
        return loop.plan if loop else None

    def checklist(self, year: int):
        loop = self.data.loops.years.get(year) if self.data.loops else None
        return loop.checklist if loop else None

    @property
    def as_of(self) -> datetime.date:
        """The date progress and compliance are counted to (the latest report's 统计截至 date)."""
        return site_as_of(self.data.loops)

    def compliance(self, year: int, activity: str, group: str | None = None) -> list[Month]:
        """Month by month (or quarter by quarter) whether `activity` (an activity type key, e.g.
        committee_meeting) was held in `year`, as the 台账 grid shows it (as of that year's 统计截至
        date, `Records.cutoff`)."""
        records = self.records(year)
        if records is None:
            return []
        for row in ledger.grid(records):
            if row.type.key == activity and row.group == group:
                return [Month(p.name, p.state, len(p.records)) for p in row.periods]
        raise KeyError(f"{year} 年台账没有按期开展的活动类型 {activity}")


def load_branch(root: str | Path) -> Branch:
    """Read and check the branch project at `root` (its data/ and docs/); raises DataErrors."""
    return Branch(load_site(Path(root)))
