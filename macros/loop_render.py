"""The 清单 and 计划 tabs and the home page's overview: what each macro shows.

Each method picks the year's loop (macros/loop.py), computes what the page shows (groups, counts,
figures) and renders a template, macros/templates/loop_*.html; the badges, progress bars, task rows
and tables they share are the Jinja macros of macros/templates/loop.html. Headings are Markdown
written by the templates (`## 标题 {: #id }`), so that they reach the page's table of contents.
Links go through `Links`, which refuses a target page that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from . import compliance as comp
from .context import Here
from .errors import log
from .loop import YearLoop
from .plan import CANCELLED, DONE, IN_PROGRESS, NOT_STARTED, OWNERS, STATUSES, Progress
from .render import Renderer
from .templating import render

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

# CSS modifiers of a status and a verdict (docs/stylesheets/loop.css)
STATUS_CLASS = {NOT_STARTED: "todo", IN_PROGRESS: "doing", DONE: "done", CANCELLED: "cancelled"}
VERDICT_CLASS = {comp.MET: "met", comp.NOT_MET: "not-met", comp.UNFILLED: "unfilled", comp.NOT_APPLICABLE: "na"}
SOURCE_CLASS = {comp.NATIONAL: "national", comp.LOCAL: "local"}


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


def _block(html: Markup) -> str:
    """Rendered HTML (and headings) as their own Markdown blocks."""
    return f"\n\n{html}\n\n"


class LoopRenderer:
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
            **values,
        )

    # -- 计划 ----------------------------------------------------------------
    def plan_summary(self, here) -> str:
        loop = self.loop(here, "plan")
        goals = [(goal, sum(t.overdue(loop.as_of) for t in goal.tasks)) for goal in loop.plan.goals]
        return _block(
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
        return _block(self.render("loop_plan_overdue.html", here, loop, tasks=loop.plan.overdue(loop.as_of)))

    def plan_tasks(self, here) -> str:
        loop = self.loop(here, "plan")
        return _block(self.render("loop_plan_tasks.html", here, loop, plan=loop.plan))

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
        return _block(self.render("loop_plan_by_status.html", here, loop, groups=groups))

    def plan_by_owner(self, here) -> str:
        loop = self.loop(here, "plan")
        groups = self._groups(loop, OWNERS, "owner")
        return _block(self.render("loop_plan_by_owner.html", here, loop, groups=groups))

    def reminders_table(self, here) -> str:
        loop = self.loop(here, "reminders")
        done = sum(r.status == DONE for r in loop.reminders)
        return _block(self.render("loop_reminders.html", here, loop, reminders=loop.reminders, done=done))

    def plan_link(self, here) -> Markup:
        """On the report's plans page: a pointer to the plan that breaks it down (nothing inside the 全文)."""
        if here.ctx.fulltext:
            return Markup("")
        loop = self.loop(here, "plan")
        return self.render("loop_plan_link.html", here, loop, plan=loop.plan)

    # -- 清单 ----------------------------------------------------------------
    def rectification(self, here) -> str:
        loop = self.loop(here, "checklist")
        return _block(self.render("loop_rectification.html", here, loop, checklist=loop.checklist))

    def rectification_link(self, here) -> Markup:
        """On the report's problems page: a pointer to the 整改清单 (nothing inside the 全文)."""
        if here.ctx.fulltext:
            return Markup("")
        loop = self.loop(here, "checklist")
        return self.render("loop_rectification_link.html", here, loop, open_count=len(loop.checklist.open_problems))

    def party_checklist(self, here) -> str:
        loop = self.loop(here, "checklist")
        groups = [
            Group(category, items, Progress.of(i.status for i in items))
            for category, items in loop.checklist.by_category()
        ]
        return _block(
            self.render(
                "loop_party_checklist.html",
                here,
                loop,
                checklist=loop.checklist,
                groups=groups,
                rules=self.loops.rules,
                done=DONE,
            )
        )

    def compliance_table(self, here) -> str:
        loop = self.loop(here, "results")
        rows = [
            (
                res,
                self.renderer.fig(here, res.rule.figure, loop.year) if res.rule.figure else "—",
                SOURCE_CLASS[res.rule.source],
            )
            for res in ([] if self.data.withheld else loop.results)
        ]
        return _block(
            self.render(
                "loop_compliance.html", here, loop, rows=rows, counts=self._verdicts(loop), withheld=self.data.withheld
            )
        )

    @staticmethod
    def _verdicts(loop: YearLoop) -> list[tuple[str, int]]:
        return [(v, sum(r.verdict == v for r in loop.results)) for v in comp.VERDICTS]

    # -- 清单 index and home page -------------------------------------------
    def checklists_summary(self, here) -> str:
        return _block(self._cards(here, plan=False))

    def overview(self, here) -> str:
        return _block(self._cards(here, plan=True))

    def _cards(self, here, plan: bool) -> Markup:
        """Cards of the latest plan (home page only), 问题整改, 党建工作清单 (清单 only) and 对标."""
        plan_loop = self.loops.latest("plan") if plan else None
        checklist_loop, results_loop = self.loops.latest("checklist"), self.loops.latest("results")

        def links(loop):
            return Links(here, loop.year, self.docs_dir)

        return self.render(
            "loop_cards.html",
            here,
            links_of=links,
            home=plan,
            plan_loop=plan_loop,
            overdue=len(plan_loop.plan.overdue(plan_loop.as_of)) if plan_loop else 0,
            checklist_loop=checklist_loop,
            results_loop=results_loop,
            counts=self._verdicts(results_loop) if results_loop else [],
            withheld=self.data.withheld,
        )


def macros(data, renderer: Renderer, docs_dir: Path) -> dict:
    """The 清单/计划 macros: name -> function(here)."""
    r = LoopRenderer(data, renderer, docs_dir)
    methods = {
        "plan_summary": r.plan_summary,  # 计划首页：总体与各打算进度
        "plan_overdue": r.overdue_list,  # 逾期任务
        "plan_tasks": r.plan_tasks,  # 打算 → 措施 → 任务
        "plan_by_status": r.plan_by_status,
        "plan_by_owner": r.plan_by_owner,
        "integrity_reminders": r.reminders_table,  # 重要节点廉政提醒
        "rectification_list": r.rectification,  # 问题整改清单
        "rectification_link": r.rectification_link,  # 报告“存在主要问题”页的指引
        "plan_link": r.plan_link,  # 报告“下步工作打算”页的指引
        "party_checklist": r.party_checklist,  # 党建工作清单
        "compliance_table": r.compliance_table,  # 三会一课对标
        "checklists_summary": r.checklists_summary,
        "loop_overview": r.overview,  # 首页：计划进度、未销号问题、对标
    }

    def guarded(method, name):
        def macro(here):
            try:
                return method(here)
            except MissingPart as exc:  # a warning (strict builds stop), visible where the list would be
                log.warning(f"docs/{here.page}: {name}()：{exc}")
                return render("loop_warning.html", name=name, message=str(exc))

        return macro

    return {name: guarded(method, name) for name, method in methods.items()}
