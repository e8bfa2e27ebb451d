"""The 清单 tab (问题整改清单, 党建工作清单, 三会一课对标), its index and the home page's overview cards,
and the pointer to the 整改清单 on the report's problems page.

Like the 计划 pages (macros/pages/loop.py, whose `LoopPages` this builds on): values computed here,
markup in macros/pages/templates/loop_*.html.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from macros.core import compliance as comp
from macros.core.loop import YearLoop
from macros.core.plan import DONE, Progress
from macros.pages.loop import SOURCE_CLASS, Group, Links, LoopPages, block, guarded
from macros.pages.records import tick_badge
from macros.pages.render import Renderer


def _or_dash(value):
    return "—" if value is None else value


def _gist(rule) -> str:
    """A rule's 规定要点 (shown on hover), with who convenes it when the rule says so."""
    if not rule.convener:
        return rule.gist
    return f"{rule.gist.rstrip('。')}；由{rule.convener}召集并主持（{rule.convener_basis.split('：')[0]}）。"


class ChecklistPages(LoopPages):
    # -- 清单 ----------------------------------------------------------------
    def rectification(self, here) -> str:
        loop = self.loop(here, "checklist")
        proposals = [] if self.data.withheld else loop.proposals  # a proposal tells a verdict
        return block(
            self.render(
                "loop_rectification.html",
                here,
                loop,
                checklist=loop.checklist,
                proposals=proposals,
                withheld=self.data.withheld,
            )
        )

    def rectification_link(self, here) -> Markup:
        """On the report's problems page: a pointer to the 整改清单 (nothing inside the 全文)."""
        if here.ctx.fulltext:
            return Markup("")
        loop = self.loop(here, "checklist")
        return self.render("loop_rectification_link.html", here, loop, checklist=loop.checklist)

    def party_checklist(self, here) -> str:
        loop = self.loop(here, "checklist")
        groups = [
            Group(category, items, Progress.of(i.status for i in items))
            for category, items in loop.checklist.by_category()
        ]
        return block(
            self.render(
                "loop_party_checklist.html",
                here,
                loop,
                checklist=loop.checklist,
                groups=groups,
                rules=self.loops.rules,
                gists={key: _gist(rule) for key, rule in self.loops.rules.items()},
                ticks={i.id: tick_badge(i) for i in loop.checklist.items if i.activity},
                done=DONE,
            )
        )

    def compliance_table(self, here) -> str:
        loop = self.loop(here, "results")
        rows = [
            (
                res,
                # a rule the report does not count: its value from the 台账
                self.renderer.fig(here, res.rule.figure, loop.year) if res.rule.figure else _or_dash(res.value),
                SOURCE_CLASS[res.rule.source],
            )
            for res in ([] if self.data.withheld else loop.results)
        ]
        return block(
            self.render(
                "loop_compliance.html", here, loop, rows=rows, counts=self._verdicts(loop), withheld=self.data.withheld
            )
        )

    @staticmethod
    def _verdicts(loop: YearLoop) -> list[tuple[str, int]]:
        return [(v, sum(r.verdict == v for r in loop.results)) for v in comp.VERDICTS]

    # -- 清单 index and home page -------------------------------------------
    def checklists_summary(self, here) -> str:
        return block(self._cards(here, plan=False))

    def overview(self, here) -> str:
        return block(self._cards(here, plan=True))

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
    """The 清单 macros: name -> function(here)."""
    c = ChecklistPages(data, renderer, docs_dir)
    return guarded(
        {
            "rectification_list": c.rectification,  # 问题整改清单
            "rectification_link": c.rectification_link,  # 报告“存在主要问题”页的指引
            "party_checklist": c.party_checklist,  # 党建工作清单
            "compliance_table": c.compliance_table,  # 三会一课对标
            "checklists_summary": c.checklists_summary,
            "loop_overview": c.overview,  # 首页：计划进度、未销号问题、对标
        }
    )
