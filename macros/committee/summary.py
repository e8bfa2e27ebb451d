"""The 汇总: one page, `OUT/index.html`, rendered from the committee's data and the branches' state
files (OUT/.committee/<slug>.json) only, never from the branches' folders: a CI's final job can
render it from the branch jobs' outputs (deploy/README.md).

Python computes plain rows here; templates/summary.html renders them (autoescaped). The page's
stylesheet and sorting script are files of the package, copied to `OUT/_committee/` under names that
carry their content's hash, before the page is replaced in one rename (a reader never sees a page
whose assets are missing). Every cell links into the branch's own page: directory URLs for the web
server, `…/index.html` for the offline copy (opened from disk). The 脱敏 copy shows no names: the
述职 secretary and the points raised are withheld.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from macros.committee import jobs, publish
from macros.committee.data import Committee
from macros.core.chinese import chinese_date
from macros.pages.context import BuildContext

HERE = Path(__file__).resolve().parent
ASSETS = ("committee.css", "committee.js")
ASSET_DIR = "_committee"
MASK = "***"


@dataclass
class Cell:
    text: str
    missed: str = ""  # 4月、5月 / 第一党小组3月；第二党小组4月、7月
    state: str = "none"  # ok / missed / none
    sort: int = -1
    href: str | None = None


@dataclass
class Row:
    slug: str
    name: str
    state: dict | None
    href: str | None  # the branch's home page, when a site is published
    summary: dict | None = None
    cells: list[Cell] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.state is None:
            return "尚未构建"
        return jobs.STATUS_WORDS[self.state["status"]]

    @property
    def failed(self) -> bool:
        return self.state is not None and self.state["status"] == "failed"


def day(text: str | None) -> str:
    return chinese_date(datetime.date.fromisoformat(text)) if text else ""


Links = Callable[..., str]  # (slug, page, anchor=None) -> the URL from OUT/index.html


def links_for(offline: bool) -> Links:
    """Where a branch page is, relative to OUT/index.html: the URL the branch's build gave it (page: its
    docs/ path, e.g. 2022/plan/tasks.md or records/2023/index.md)."""
    ctx = BuildContext(directory_urls=not offline)
    return lambda slug, page, anchor=None: f"{slug}/{ctx.page_url(page)}" + (f"#{anchor}" if anchor else "")


def matrix_columns(committee: Committee, rows: list[Row]) -> list[tuple[str, str]]:
    """(activity key, its name as the branches' 台账 call it), for the compared activities some branch has."""
    names = {}
    for row in rows:
        for activity in (row.summary or {}).get("activities", []):
            names.setdefault(activity["key"], activity["name"])
    return [(key, names[key]) for key in committee.activities if key in names]


def cell(summary: dict, key: str, href: str) -> Cell:
    mine = [a for a in summary["activities"] if a["key"] == key]
    if not mine:
        return Cell("无此项")
    held, due = sum(a["held"] for a in mine), sum(a["due"] for a in mine)
    missed = [f"{a['group'] or ''}{'、'.join(a['missed'])}" for a in mine if a["missed"]]  # 第二党小组4月、7月
    count = sum(len(a["missed"]) for a in mine)
    return Cell(f"{held}/{due}", "；".join(missed), "missed" if count else "ok", count, href)


def people_row(row: Row, people: dict, links: Links) -> dict:
    """One branch's 发展党员, 学时 and 党费 counts (no names, no amounts), each linking to its page."""
    year = people["year"]
    development = people["development"]
    study = []
    for s in people["study"]:
        when = f"{s['year']}年度" if s["whole_year"] else f"{s['year']}年截至{day(s['counted_to'])[5:]}"
        goal = "未达到年度要求" if s["whole_year"] else "尚未达到全年要求"
        study.append({**s, "text": f"{when}：{s['short']}名{goal}（共{s['members']}名）",
                      "href": links(row.slug, f"people/{s['year']}/study.md")})
    return {
        "row": row, "development": development, "overdue": people["development_overdue"],
        "active": sum(c["count"] for c in development or ()),
        "development_href": links(row.slug, "people/development.md"),
        "study": study, "study_sort": study[0]["short"] if study else -1,
        "dues": people["dues_unpaid"], "dues_members": people["dues_members"],
        "dues_href": links(row.slug, f"people/{year}/dues.md"),
    }


def standings(people: list[dict]) -> list[str]:
    """The 发展党员 columns: the standings the branches count, in their order."""
    for item in people:
        if item["development"] is not None:
            return [c["standing"] for c in item["development"]]
    return []


def rows_of(committee: Committee, out: Path, links: Links) -> list[Row]:
    rows = []
    for entry in committee.branches:
        state = jobs.read_state(out, entry.slug)
        published = (out / entry.slug / "index.html").is_file()
        summary = state.get("summary") if state and state["status"] in jobs.OK else None
        rows.append(Row(entry.slug, entry.name, state, links(entry.slug, "index.md") if published else None, summary))
    return rows


def context(committee: Committee, out: Path, redacted: bool, offline: bool) -> dict:
    links = links_for(offline)
    rows = rows_of(committee, out, links)
    columns = matrix_columns(committee, rows)
    for row in rows:
        if row.summary and row.summary["records_year"]:
            href = links(row.slug, f"records/{row.summary['records_year']}/index.md")
            row.cells = [cell(row.summary, key, href) for key, _ in columns]
        else:
            row.cells = [Cell("无台账" if row.summary else "—") for _ in columns]
    problems, plans, due, people = [], [], [], []
    for row in rows:
        summary = row.summary
        if summary is None:
            continue
        if summary.get("people"):  # a state file written before the people's counts has none
            people.append(people_row(row, summary["people"], links))
        if plan := summary["plan"]:
            tasks = links(row.slug, f"{plan['report_year']}/plan/tasks.md")
            overdue = [{**t, "href": links(row.slug, f"{plan['report_year']}/plan/tasks.md", f"task-{t['id']}")}
                       for t in plan["overdue"]]
            plans.append({"row": row, "plan": plan, "overdue": overdue, "href": tasks})
        for problem in summary["problems"]:
            href = links(row.slug, f"{problem['report_year']}/checklists/rectification.md")
            problems.append({"row": row, "problem": problem, "raised": day(problem["raised"]), "href": href})
        if summary["due"]:
            href = links(row.slug, f"records/{summary['year']}/index.md")
            due.append({"row": row, "items": summary["due"], "href": href})
    reviews = [
        (year, [{"review": r, "name": committee.branch(r.branch).name,
                 "secretary": MASK if redacted else r.secretary,
                 "points": None if redacted else r.points, "date": day(r.date)} for r in items])
        for year, items in committee.reviews_by_year()
    ]
    failed = [row for row in rows if row.failed]
    sample = committee.sample or any(row.summary and row.summary["sample"] for row in rows)
    return {
        "committee": committee, "rows": rows, "columns": columns, "plans": plans, "problems": problems,
        "due": due, "people": people, "standings": standings(people),
        "reviews": reviews, "failed": failed, "redacted": redacted, "offline": offline,
        "sample": sample, "day": day, "generated": chinese_date(datetime.date.today()),
    }


@functools.cache
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def asset_names() -> dict[str, str]:
    """committee.css -> committee.<hash>.css: a changed file gets a new name (long caching is safe)."""
    names = {}
    for name in ASSETS:
        data = (HERE / "assets" / name).read_bytes()
        stem, suffix = name.rsplit(".", 1)
        names[name] = f"{stem}.{hashlib.sha256(data).hexdigest()[:12]}.{suffix}"
    return names


def render(committee: Committee, out: Path, redacted: bool = False, offline: bool = False) -> str:
    assets = {name: f"{ASSET_DIR}/{hashed}" for name, hashed in asset_names().items()}
    template = environment().get_template("summary.html")
    return template.render(assets=assets, **context(committee, out, redacted, offline))


def write(committee: Committee, out: Path, redacted: bool = False, offline: bool = False) -> Path:
    """Render the 汇总 into OUT: assets first, then the page in one rename. Older hashed assets of this
    module are removed after the page no longer names them; nothing else is touched."""
    page = render(committee, out, redacted, offline)
    folder = out / ASSET_DIR
    folder.mkdir(exist_ok=True)
    current = asset_names()
    for name, hashed in current.items():
        if not (folder / hashed).is_file():
            publish.write_atomic(folder / hashed, (HERE / "assets" / name).read_bytes())
    publish.write_atomic(out / "index.html", page.encode("utf-8"))
    ours = {n.rsplit(".", 1)[0] for n in ASSETS}
    for path in folder.iterdir():
        stem = path.name.split(".", 1)[0]
        if stem in ours and path.name not in current.values() and path.is_file():
            path.unlink()
    return out / "index.html"
