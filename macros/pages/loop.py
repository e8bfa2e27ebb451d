"""The 计划 tab: what each macro shows; and what the 计划 and 清单 pages share (`LoopPages`).

Each method picks the year's loop (macros/core/loop.py), computes what the page shows (groups, counts,
figures) and renders a template, macros/pages/templates/loop_*.html; the badges, progress bars, task rows
and tables they share are the Jinja macros of macros/pages/templates/loop.html. Headings are Markdown
written by the templates (`## 标题 {: #id }`), so that they reach the page's table of contents.
Links go through `Links`, which refuses a target page that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from macros.core import compliance as comp
from macros.core.checklists import PENDING, RECTIFIED, RECTIFYING, SENT, problem_counts
from macros.core.errors import DataError
from macros.core.loop import YearLoop
from macros.core.plan import CANCELLED, DONE, IN_PROGRESS, NOT_STARTED, OWNERS, STATUSES, Progress
from macros.pages.context import Here
from macros.pages.render import Renderer, log
from macros.pages.templating import render

# The pages the macros link to, relative to docs/<year>/
PAGES = {
    "plan": "plan/index.md",
    "tasks": "plan/tasks.md",
    "problems": "checklists/rectification.md",
    "party": "checklists/party-building.md",
    "compliance": "checklists/compliance.md",
    "report_problems": "problems.md",
    "report_plans": "plans.md",
}
DATA_FILES = {
    "plan": "plan.yaml",
    "checklist": "checklist.yaml",
    "reminders": "reminders.yaml",
    "results": "rules.yaml",
}

# CSS modifiers of a status and a verdict (macros/site/theme/stylesheets/loop.css)
STATUS_CLASS = {
    **{NOT_STARTED: "todo", IN_PROGRESS: "doing", DONE: "done", CANCELLED: "cancelled"},  # tasks, items
    **{PENDING: "todo", SENT: "done"},  # reminders (their 已取消 is a task's)
    **{RECTIFYING: "doing", RECTIFIED: "done"},  # problems
}
VERDICT_CLASS = {comp.MET: "met", comp.NOT_MET: "not-met", comp.UNFILLED: "unfilled", comp.NOT_APPLICABLE: "na"}
SOURCE_CLASS = {comp.NATIONAL: "national", comp.LOCAL: "local"}


# The part of a year's loop (and so the data file, DATA_FILES) each macro needs: its self.loop(here, …).
NEEDS = {
    "plan_summary": "plan", "plan_overdue": "plan", "plan_tasks": "plan", "plan_by_status": "plan",
    "plan_by_owner": "plan", "plan_link": "plan", "integrity_reminders": "reminders",
    "rectification_list": "checklist", "rectification_link": "checklist", "party_checklist": "checklist",
    "compliance_table": "results",
}


def missing_files(loops, pages, root: Path) -> list[DataError]:
    """Before any page is rendered: each data file a year's pages need that does not exist, once,
    naming the pages (instead of a warning from every macro on every page that includes it)."""
    wanted: dict[tuple[int, str], list[str]] = {}
    for page, line, name in pages.names:
        year = int(page[:4]) if page[:4].isdigit() and page[4:5] == "/" else None
        what = NEEDS.get(name)
        if what is None or year is None or loops is None or year not in loops.years:
            continue
        if getattr(loops.years[year], what) is None:
            wanted.setdefault((year, what), []).append(f"docs/{page}:{line}")
    found = []
    for (year, what), used in sorted(wanted.items()):
        path = "data/rules.yaml" if what == "results" else f"data/{year}/{DATA_FILES[what]}"
        if what == "results" and (Path(root) / path).exists():
            continue  # the rules exist; the year's figures could not be judged (reported where they fail)
        more = f" 等 {len(used)} 处" if len(used) > 3 else ""
        found.append(DataError(path, 1, None, f"文件不存在，而页面 {'、'.join(used[:3])}{more} 要用它；"
                                              "请恢复该文件（可从版本历史找回），或删去这些页面中的调用"))
    return found


class MissingPart(Exception):
    """A page asks for data or links to a page that does not exist: a warning, shown on the page."""


@dataclass(frozen=True)
class Links:
    """hrefs from the page being built to one year's 计划, 清单 and report pages."""

    here: Here
    year: int
    docs_dir: Path

    def __call__(self, page: str, anchor: str = "") -> str:
        src = f"{self.year}/{PAGES[page]}"
        if not (self.docs_dir / src).exists():
            raise MissingPart(f"链接的页面 docs/{src} 不存在")
        return self.here.href(src, anchor or None)

    def task(self, task) -> str:
        return self("tasks", f"task-{task.id}")


@dataclass(frozen=True)
class Group:
    """Entries under one heading (a status, an owner, a category), with their progress."""

    name: str
    entries: list
    progress: Progress
    late: int = 0  # how many are overdue


def block(html: Markup) -> str:
    """Rendered HTML (and headings) as their own Markdown blocks."""
    return f"\n\n{html}\n\n"


class LoopPages:
    """What the 计划 and 清单 pages share: the year's loop, links, and rendering a loop_*.html template."""

    def __init__(self, data, renderer: Renderer, docs_dir: Path):
        self.data, self.renderer, self.docs_dir = data, renderer, Path(docs_dir)
        self.loops = data.loops

    # -- which year, which page ----------------------------------------------
    def loop(self, here: Here, what: str) -> YearLoop:
        year = self.renderer.year_of(here.page)
        loop = self.loops.years.get(year) if self.loops else None
        if loop is None or getattr(loop, what) is None:
            raise MissingPart(f"页面需要 data/{year}/{DATA_FILES[what]}，但该文件不存在")
        return loop

    def render(self, template: str, here: Here, loop: YearLoop | None = None, **values) -> Markup:
        """A loop_*.html template with what every one of them may use."""
        links = Links(here, loop.year, self.docs_dir) if loop else None
        return render(
            template,
            links=links,
            as_of=loop.as_of if loop else None,
            status_class=STATUS_CLASS,
            verdict_class=VERDICT_CLASS,
            problem_counts=problem_counts,
            **values,
        )


class PlanPages(LoopPages):
    """The 计划 tab, and the pointer to it on the report's plans page."""

    def plan_summary(self, here) -> str:
        loop = self.loop(here, "plan")
        goals = [(goal, sum(t.overdue(loop.as_of) for t in goal.tasks)) for goal in loop.plan.goals]
        return block(
            self.render(
                "loop_plan_summary.html",
                here,
                loop,
                plan=loop.plan,
                goals=goals,
                as_of_given=loop.as_of_given,
                overdue=len(loop.plan.overdue(loop.as_of)),
            )
        )

    def overdue_list(self, here) -> str:
        loop = self.loop(here, "plan")
        return block(self.render("loop_plan_overdue.html", here, loop, tasks=loop.plan.overdue(loop.as_of)))

    def plan_tasks(self, here) -> str:
        loop = self.loop(here, "plan")
        return block(self.render("loop_plan_tasks.html", here, loop, plan=loop.plan))

    def _groups(self, loop: YearLoop, names, attribute: str) -> list[Group]:
        tasks = list(loop.plan.tasks.values())
        groups = []
        for name in names:
            group = sorted((t for t in tasks if getattr(t, attribute) == name), key=lambda t: (t.due.end, t.id))
            groups.append(
                Group(name, group, Progress.of(t.status for t in group), sum(t.overdue(loop.as_of) for t in group))
            )
        return groups

    def plan_by_status(self, here) -> str:
        loop = self.loop(here, "plan")
        groups = self._groups(loop, STATUSES, "status")
        return block(self.render("loop_plan_by_status.html", here, loop, groups=groups))

    def plan_by_owner(self, here) -> str:
        loop = self.loop(here, "plan")
        groups = self._groups(loop, OWNERS, "owner")
        return block(self.render("loop_plan_by_owner.html", here, loop, groups=groups))

    def reminders_table(self, here) -> str:
        loop = self.loop(here, "reminders")
        reminders = loop.reminders
        return block(
            self.render(
                "loop_reminders.html",
                here,
                loop,
                reminders=reminders,
                sent=sum(r.status == SENT for r in reminders),
                pending=sum(r.status == PENDING for r in reminders),
                unfilled=any(r.holiday is None for r in reminders),
            )
        )

    def plan_link(self, here) -> Markup:
        """On the report's plans page: a pointer to the plan that breaks it down (nothing inside the 全文)."""
        if here.ctx.fulltext:
            return Markup("")
        loop = self.loop(here, "plan")
        return self.render("loop_plan_link.html", here, loop, plan=loop.plan)


def guarded(methods: dict) -> dict:
    """name -> function(here) that shows a MissingPart as a warning where the list would be."""

    def wrap(method, name):
        def macro(here):
            try:
                return method(here)
            except MissingPart as exc:  # a warning (strict builds stop), visible where the list would be
                log.warning(f"docs/{here.page}: {name}()：{exc}")
                return render("loop_warning.html", macro=name, message=str(exc))

        return macro

    return {name: wrap(method, name) for name, method in methods.items()}


def macros(data, renderer: Renderer, docs_dir: Path) -> dict:
    """The 计划 macros: name -> function(here)."""
    p = PlanPages(data, renderer, docs_dir)
    return guarded(
        {
            "plan_summary": p.plan_summary,  # 计划首页：总体与各打算进度
            "plan_overdue": p.overdue_list,  # 逾期任务
            "plan_tasks": p.plan_tasks,  # 打算 → 措施 → 任务
            "plan_by_status": p.plan_by_status,
            "plan_by_owner": p.plan_by_owner,
            "integrity_reminders": p.reminders_table,  # 重要节点廉政提醒
            "plan_link": p.plan_link,  # 报告“下步工作打算”页的指引
        }
    )
