"""HTML (and a few Markdown headings) for the 清单 and 计划 tabs and the home page's overview.

Every text from data goes through markupsafe (`Markup.format` escapes its arguments); headings
are Markdown so that they appear in the page's table of contents, their text escaped by `_md`.
Links go through `_link`, which refuses a target page that does not exist.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

from . import compliance as comp
from .checklists import PENDING, SENT, problem_counts
from .errors import log
from .loop import YearLoop
from .plan import CANCELLED, DONE, IN_PROGRESS, NOT_STARTED, OWNERS, STATUSES, Progress, Task
from .records_render import tick_badge
from .render import Renderer
from .templating import render

# The pages the macros link to, relative to docs/<year>/
PLAN_INDEX, PLAN_TASKS = "plan/index.md", "plan/tasks.md"
PLAN_BY_STATUS, PLAN_BY_OWNER, PLAN_REMINDERS = "plan/by-status.md", "plan/by-owner.md", "plan/reminders.md"
CHECK_INDEX, CHECK_PROBLEMS = "checklists/index.md", "checklists/rectification.md"
CHECK_ITEMS, CHECK_COMPLIANCE = "checklists/party-building.md", "checklists/compliance.md"
REPORT_PROBLEMS, REPORT_PLANS = "problems.md", "plans.md"

STATUS_CLASS = {NOT_STARTED: "todo", IN_PROGRESS: "doing", DONE: "done", CANCELLED: "cancelled",
                "待发出": "todo", "已发出": "done", "整改中": "doing", "已整改": "done"}
VERDICT_CLASS = {comp.MET: "met", comp.NOT_MET: "not-met", comp.UNFILLED: "unfilled", comp.NOT_APPLICABLE: "na"}
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")

SAMPLE_BADGE = Markup('<span class="loop-sample" title="本单位规定尚未核实，是示例数据">示例</span>')
REDACTED_NOTE = "脱敏版不显示对标结论（结论会透露被遮蔽的数字）。"

_ = Markup  # short alias for HTML templates below


def _wrap(start, inner, end) -> Markup:  # until this module's markup moves into templates
    return Markup(start) + inner + Markup(end)


class MissingPart(Exception):
    """A page asks for data or links to a page that does not exist: a warning, shown on the page."""


def _md(text) -> str:
    """Text for a Markdown heading: HTML-escaped, Markdown punctuation backslash-escaped."""
    return MD_SPECIAL.sub(r"\\\1", str(escape(text)))


def _join(parts) -> Markup:
    return Markup("").join(parts)


def _date(day) -> str:
    return "待填" if day is None else f"{day.year}年{day.month}月{day.day}日"


def status_badge(status: str | None) -> Markup:
    if status is None:
        return _('<span class="loop-status loop-status--none">无措施</span>')
    return _('<span class="loop-status loop-status--{}">{}</span>').format(STATUS_CLASS[status], status)


def overdue_badge() -> Markup:
    return _('<span class="loop-overdue" title="完成时限已过，尚未完成">逾期</span>')


def progress_bar(progress: Progress) -> Markup:
    """A bar with its percentage and counts written out: readable in print and without colour."""
    note = _("，另有{}项已取消").format(progress.cancelled) if progress.cancelled else ""
    return _(
        '<span class="loop-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
        'aria-valuenow="{p}" aria-label="已完成{d}项，共{t}项，{p}%">'
        '<span class="loop-progress__track"><span class="loop-progress__bar" style="width: {p}%"></span></span>'
        '<span class="loop-progress__text"><b class="loop-progress__percent">{p}%</b>'
        '<span class="loop-progress__count">（已完成{d}/{t}项{n}）</span></span></span>'
    ).format(p=progress.percent, d=progress.done, t=progress.total, n=note)


def _table(head: list[str], rows: list[Markup], cls: str = "") -> Markup:
    header = _join(_("<th>{}</th>").format(h) for h in head)
    table = _("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>").format(header, _join(rows))
    return _wrap(_('<div class="loop-table {}">').format(cls), table, "</div>")


def _line(content) -> Markup:
    """A `loop-line` paragraph (status and progress bar under a heading)."""
    return _wrap('<p class="loop-line">', content, "</p>")


def _block(html) -> str:
    """Raw HTML as its own Markdown block."""
    return f"\n\n{html}\n\n"


class LoopRenderer:
    def __init__(self, data, renderer: Renderer, docs_dir: Path):
        self.data, self.renderer, self.docs_dir = data, renderer, Path(docs_dir)
        self.loops = data.loops

    # -- which year, which page ----------------------------------------------
    def loop(self, here: str | None, what: str) -> YearLoop:
        year = self.renderer.year_of(here.page)
        loop = self.loops.years.get(year) if self.loops else None
        if loop is None or getattr(loop, what) is None:
            names = {"plan": "plan.yaml", "checklist": "checklist.yaml", "reminders": "reminders.yaml",
                     "results": "rules.yaml"}
            raise MissingPart(f"页面需要 data/{year}/{names[what]}，但该文件不存在")
        return loop

    def link(self, here: str | None, year: int, target: str, anchor: str = "") -> str:
        src = f"{year}/{target}"
        if not (self.docs_dir / src).exists():
            raise MissingPart(f"链接的页面 docs/{src} 不存在")
        return here.href(src, anchor or None)

    def task_link(self, here, year, task: Task) -> Markup:
        return _('<a href="{}">{}</a>').format(self.link(here, year, PLAN_TASKS, f"task-{task.id}"), task.number)

    # -- 计划 ----------------------------------------------------------------
    def plan_summary(self, here) -> str:
        loop = self.loop(here, "plan")
        plan, year = loop.plan, loop.year
        as_of = _date(loop.as_of) + ("" if loop.as_of_given else "（构建当天）")
        intro = _(
            '<p class="loop-intro">{}年工作计划：落实<a href="{}">{}年度报告“三、下步工作打算”</a>，'
            "分为{}项打算、{}项措施、{}项任务。进度统计截至{}。</p>"
        ).format(plan.year, self.link(here, year, REPORT_PLANS), year, len(plan.goals),
                 len(plan.measures), len(plan.tasks), as_of)
        overdue = plan.overdue(loop.as_of)
        overall = _('<p class="loop-overall">总体进度：{}{}</p>').format(
            progress_bar(plan.progress),
            _('<a class="loop-overdue-count" href="#逾期任务">逾期{}项</a>').format(len(overdue)) if overdue else "",
        )
        rows = []
        for goal in plan.goals:
            late = sum(t.overdue(loop.as_of) for t in goal.tasks)
            rows.append(_(
                '<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>'
            ).format(goal.number, self.link(here, year, PLAN_TASKS, f"goal-{goal.id}"), goal.title,
                     len(goal.measures), progress_bar(goal.progress), late or "—"))
        table = _table(["序号", "打算", "措施", "进度", "逾期"], rows, "loop-goals")
        return _block(intro + overall + table)

    def overdue_list(self, here) -> str:
        loop = self.loop(here, "plan")
        tasks = loop.plan.overdue(loop.as_of)
        if not tasks:
            return _block(_('<p class="loop-none">截至{}，没有逾期任务。</p>').format(_date(loop.as_of)))
        rows = [
            _('<tr class="loop-row--overdue"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>').format(
                self.task_link(here, loop.year, t), t.title, t.lead, t.due.label, status_badge(t.status),
                overdue_badge())
            for t in tasks
        ]
        return _block(_table(["序号", "任务", "牵头人", "完成时限", "状态"], rows, "loop-overdue-table"))

    def _task_row(self, here, loop: YearLoop, task: Task, with_anchor: bool, measure=False,
                  owner=True) -> Markup:
        late = task.overdue(loop.as_of)
        first = (_('<td id="task-{}">{}</td>').format(task.id, task.number) if with_anchor
                 else _("<td>{}</td>").format(self.task_link(here, loop.year, task)))
        middle = (_("<td>{}</td>").format(task.measure.title) if measure else "")
        who = _("<td>{}</td>").format(task.lead) if owner else ""
        return _(
            '<tr class="loop-row{}">{}<td>{}</td>{}{}<td class="loop-date">{}</td><td>{}{}</td><td>{}</td></tr>'
        ).format(
            " loop-row--overdue" if late else "", first, task.title, middle, who, task.due.label,
            status_badge(task.status), overdue_badge() if late else "", task.evidence or "—")

    def plan_tasks(self, here) -> str:
        loop = self.loop(here, "plan")
        out = []
        for goal in loop.plan.goals:
            out.append(f"\n\n## {_md(goal.number)}、{_md(goal.title)} {{#goal-{goal.id}}}\n\n")
            out.append(str(_line(_("进度：{}").format(progress_bar(goal.progress)))))
            for measure in goal.measures:
                out.append(f"\n\n### {_md(measure.title)} {{#measure-{measure.id}}}\n\n")
                rows = [self._task_row(here, loop, t, True) for t in measure.tasks]
                out.append(str(_line(_("措施{}，状态：{}　{}").format(
                    measure.number, status_badge(measure.status), progress_bar(measure.progress)))))
                out.append(str(_table(["序号", "任务", "牵头人", "完成时限", "状态", "佐证材料"], rows)))
        return "".join(out) + "\n\n"

    def plan_by_status(self, here) -> str:
        loop = self.loop(here, "plan")
        tasks = list(loop.plan.tasks.values())
        counts = _table(["状态", "任务数"], [
            _('<tr><td><a href="#{}">{}</a></td><td>{}</td></tr>').format(
                s, status_badge(s), sum(t.status == s for t in tasks))
            for s in STATUSES
        ])
        out = [_block(counts)]
        for status in STATUSES:
            group = [t for t in tasks if t.status == status]
            out.append(f"\n\n## {_md(status)}（{len(group)}项） {{#{status}}}\n\n")
            out.append(self._group_table(here, loop, group))
        return "".join(out)

    def plan_by_owner(self, here) -> str:
        loop = self.loop(here, "plan")
        tasks = list(loop.plan.tasks.values())
        rows = []
        for owner in OWNERS:
            group = [t for t in tasks if t.owner == owner]
            late = sum(t.overdue(loop.as_of) for t in group)  # the tasks it leads (牵头)
            rows.append(_('<tr><td><a href="#{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>').format(
                owner, owner, len(group), progress_bar(Progress.of(t.status for t in group)), late or "—"))
        out = [_block(_table(["牵头人", "牵头任务数", "进度", "逾期"], rows))]
        for owner in OWNERS:
            group = [t for t in tasks if t.owner == owner]
            out.append(f"\n\n## {_md(owner)}（{len(group)}项） {{#{owner}}}\n\n")
            out.append(self._group_table(here, loop, group, owner=False))
        return "".join(out)

    def _group_table(self, here, loop, group, owner=True) -> str:
        if not group:
            return _block(_('<p class="loop-none">无。</p>'))
        group = sorted(group, key=lambda t: (t.due.end, t.id))
        rows = [self._task_row(here, loop, t, False, measure=True, owner=owner) for t in group]
        head = ["序号", "任务", "措施", *(["牵头人"] if owner else []), "完成时限", "状态", "佐证材料"]
        return _block(_table(head, rows))

    def reminders_table(self, here) -> str:
        loop = self.loop(here, "reminders")
        rows = []
        for r in loop.reminders:
            late = r.overdue(loop.as_of)
            rows.append(_(
                '<tr id="reminder-{}" class="{}"><td>{}</td><td class="loop-date">{}</td><td class="loop-date">{}</td>'
                "<td>{}</td><td>{}</td>"
                "<td>{}{}</td><td>{}</td></tr>"
            ).format(r.id, "loop-row--overdue" if late else "", r.occasion, _date(r.holiday), _date(r.date), r.form,
                     r.owner, status_badge(r.status), overdue_badge() if late else "",
                     self.task_link(here, loop.year, r.task) if r.task else "—"))
        done = sum(r.status == SENT for r in loop.reminders)
        pending = sum(r.status == PENDING for r in loop.reminders)
        unfilled = any(r.holiday is None for r in loop.reminders)
        intro = _('<p class="loop-intro">共{}个节点，已发出{}个、待发出{}个；截至{}。提醒应在放假之前发出。'
                  "“放假首日”按国务院办公厅当年节假日安排（如春节放假首日常为除夕，不是正月初一）。{}</p>").format(
            len(loop.reminders), done, pending, _date(loop.as_of),
            "写作“待填”的，当年放假安排尚未公布，公布后填写。" if unfilled else "")
        table = _table(["节点", "放假首日", "提醒日期", "方式", "责任人", "状态", "对应任务"], rows)
        return _block(intro + table)

    # -- 清单 ----------------------------------------------------------------
    def rectification(self, here) -> str:
        loop = self.loop(here, "checklist")
        checklist, year = loop.checklist, loop.year
        out = [_block(_(
            '<p class="loop-intro"><a href="{}">{}年度报告“二、存在主要问题”</a>列出的问题，'
            "每个问题由工作计划中的若干措施整改。措施全部完成后，经支委会审议通过方可销号。{}。</p>"
        ).format(self.link(here, year, REPORT_PROBLEMS), year, problem_counts(checklist.problems)))]
        for problem in checklist.problems:
            out.append(f"\n\n## 问题{_md(problem.number)}：{_md(problem.title)} {{#problem-{problem.id}}}\n\n")
            if not problem.answered:
                out.append(_block(_(
                    '<div class="loop-warning" role="alert"><strong>未对应整改措施。</strong>'
                    "还没有任何计划措施回应这个问题，请编辑补充整改措施（见编辑指南）。</div>")))
                continue
            measures = [
                {"href": escape(self.link(here, year, PLAN_TASKS, f"measure-{m.id}")), "title": m.title,
                 "goal": f"{m.goal.number}、{m.goal.title}", "tasks": len(m.tasks), "status": status_badge(m.status),
                 "progress": progress_bar(m.progress)}
                for m in problem.measures
            ]
            out.append(_block(render("rectification_problem.html", problem=problem, measures=measures,
                                     progress=progress_bar(problem.progress))))
        proposals = [
            {"href": escape(self.link(here, year, CHECK_COMPLIANCE, f"rule-{p.result.rule.id}")), "title": p.title,
             "detail": p.detail}
            for p in ([] if self.data.withheld else loop.proposals)
        ]
        out.append("\n\n## 建议纳入整改 {#proposals}\n\n")
        if self.data.withheld:
            out.append(_block(_('<p class="loop-intro">{}</p>').format(REDACTED_NOTE)))
        else:
            out.append(_block(render("rectification_proposals.html", proposals=proposals,
                                     compliance_href=escape(self.link(here, year, CHECK_COMPLIANCE)))))
        return "".join(out)

    def rectification_link(self, here) -> Markup:
        """On the report's problems page: a site note pointing to the 整改清单 (nothing inside the 全文)."""
        if here.ctx.fulltext:
            return Markup("")
        loop = self.loop(here, "checklist")
        return render("site_note.html", before="整改情况见", label="问题整改清单",
                      href=escape(self.link(here, loop.year, CHECK_PROBLEMS)),
                      after=f"（{problem_counts(loop.checklist.problems)}）。")

    def plan_link(self, here) -> Markup:
        """On the report's plans page: a site note pointing to the plan that breaks it down (nothing in the 全文)."""
        if here.ctx.fulltext:
            return Markup("")
        loop = self.loop(here, "plan")
        return render("site_note.html", before="这四项打算在", label=f"{loop.plan.year}年工作计划",
                      href=escape(self.link(here, loop.year, PLAN_INDEX)),
                      after=f"中分解为措施和任务逐项落实（已完成{loop.plan.progress.percent}%）。")

    def party_checklist(self, here) -> str:
        loop = self.loop(here, "checklist")
        checklist, year = loop.checklist, loop.year
        summary = [
            _('<tr><td><a href="#{}">{}</a></td><td>{}</td><td>{}</td></tr>').format(
                c, c, len(items), progress_bar(Progress.of(i.status for i in items)))
            for c, items in checklist.by_category()
        ]
        intro = _(
            '<p class="loop-intro">{}年党建工作清单，共{}项，已完成{}项。'
            "勾选表示已完成（只读）。</p>"
        ).format(checklist.year, len(checklist.items), checklist.progress.done)
        out = [_block(intro + _table(["类别", "事项", "进度"], summary))]
        for category, items in checklist.by_category():
            done = sum(i.status == DONE for i in items)
            out.append(f"\n\n## {_md(category)}（{done}/{len(items)}） {{#{category}}}\n\n")
            out.append(_block(self._task_list(here, year, items)))
        return "".join(out)

    def _task_list(self, here, year, items) -> Markup:
        lis = []
        for item in items:
            checked = item.status == DONE
            refs = []
            if item.task is not None:
                refs.append(_("对应计划任务 {}（{}）").format(self.task_link(here, year, item.task), item.task.title))
            if item.rule_id is not None:
                refs.append(_('对标 <a href="{}">{}</a>').format(
                    self.link(here, year, CHECK_COMPLIANCE, f"rule-{item.rule_id}"),
                    self.loops.rules[item.rule_id].activity))
            lis.append(_(
                '<li class="task-list-item loop-item loop-item--{}" id="item-{}">'
                '<label class="task-list-control"><input type="checkbox" disabled{} aria-label="{}"/>'
                '<span class="task-list-indicator"></span></label> '
                '<span class="loop-item__title">{}</span> {}'
                '<span class="loop-item__meta">依据：{}；频次：{}；{}{}</span></li>'
            ).format(STATUS_CLASS[item.status], item.id, _(" checked") if checked else "", item.status, item.title,
                     tick_badge(item) if item.activity else status_badge(item.status), self._basis(item), item.frequency,
                     item.lead,
                     _join(_("；{}").format(r) for r in refs)))
        return _wrap('<ul class="task-list loop-checklist">', _join(lis), "</ul>")

    def _basis(self, item) -> Markup:
        """An item's 依据; with a rule, its 规定要点 on hover (and 示例 for a sample local rule)."""
        rule = self.loops.rules.get(item.rule_id) if item.rule_id else None
        if rule is None:
            return escape(item.basis)
        gist = rule.gist
        if rule.convener:
            gist = f"{gist.rstrip('。')}；由{rule.convener}召集并主持（{rule.convener_basis.split('：')[0]}）。"
        return _('<span class="loop-rule" title="规定要点：{}">{}</span>{}').format(
            gist, item.basis, SAMPLE_BADGE if rule.sample else "")

    def compliance_table(self, here) -> str:
        loop = self.loop(here, "results")
        if self.data.withheld:  # a verdict would tell how a masked figure compares with the minimum
            return _block(_('<p class="loop-intro">{}</p>').format(REDACTED_NOTE))
        rows = []
        for res in loop.results:
            rule = res.rule
            source_cls = "national" if rule.source == comp.NATIONAL else "local"
            counted = res.value if res.value is not None else "—"  # a rule the report does not count: from the 台账
            value = self.renderer.fig(here, rule.figure, loop.year) if rule.figure else counted
            reason = _('<span class="loop-reason">（{}）</span>').format(res.reason) if res.reason else ""
            rows.append(_(
                '<tr id="rule-{}" class="loop-verdict-row--{}"><td>{}</td>'
                '<td><span class="loop-rule" title="{}">{}</span></td>'
                '<td><span class="loop-source loop-source--{}">{}</span> {}</td><td>{}</td>'
                '<td><span class="loop-verdict loop-verdict--{}">{}</span>{}</td></tr>'
            ).format(rule.id, VERDICT_CLASS[res.verdict], rule.activity, f"规定要点：{rule.gist}",
                     rule.requirement, source_cls, rule.source,
                     _("{}{}").format(rule.basis, SAMPLE_BADGE if rule.sample else ""),
                     value, VERDICT_CLASS[res.verdict], res.verdict, reason))
        counts = "，".join(f"{v}{sum(r.verdict == v for r in loop.results)}项" for v in comp.VERDICTS)
        intro = _(
            '<p class="loop-intro">{}年度三会一课和组织生活对标：{}。“要求”上悬停可看规定要点（摘要，不是条文全文）；'
            "标为“本单位规定”的是本支部的做法，不是党内法规的要求；标“示例”的尚未核实。"
            "未达标的项目在问题整改清单中列为建议纳入整改。</p>"
        ).format(loop.year, counts)
        table = _table(["活动", "要求", "依据", f"{loop.year}年实际", "结论"], rows, "loop-compliance")
        return _block(intro + table)

    # -- 清单 index and home page -------------------------------------------
    def checklists_summary(self, here) -> str:
        return _block(self._cards(here, plan=False))

    def overview(self, here) -> str:
        return _block(self._cards(here, plan=True))

    def _cards(self, here, plan: bool) -> Markup:
        cards = []
        if plan and (loop := self.loops.latest("plan")):
            overdue = loop.plan.overdue(loop.as_of)
            cards.append(self._card(
                f"{loop.plan.year}年工作计划", self.link(here, loop.year, PLAN_INDEX),
                _("<p>{}</p><p>逾期任务：{}项（截至{}）</p>").format(progress_bar(loop.plan.progress), len(overdue),
                                                       _date(loop.as_of))))
        if loop := self.loops.latest("checklist"):
            problems = loop.checklist.open_problems
            items = _join(_('<li><a href="{}">问题{}：{}</a> {}</li>').format(
                self.link(here, loop.year, CHECK_PROBLEMS, f"problem-{p.id}"), p.number, p.title,
                status_badge(p.state)) for p in problems)
            cards.append(self._card(
                "问题整改", self.link(here, loop.year, CHECK_PROBLEMS),
                _("<p>{}</p><ul>{}</ul>").format(problem_counts(loop.checklist.problems), items)))
            if not plan:
                cards.append(self._card(
                    f"{loop.checklist.year}年党建工作清单", self.link(here, loop.year, CHECK_ITEMS),
                    _("<p>{}</p>").format(progress_bar(loop.checklist.progress))))
        if (loop := self.loops.latest("results")) and self.data.withheld:
            cards.append(self._card(f"{loop.year}年度三会一课和组织生活对标",
                                    self.link(here, loop.year, CHECK_COMPLIANCE), _("<p>{}</p>").format(REDACTED_NOTE)))
        elif loop:
            counts = _join(_('<li><span class="loop-verdict loop-verdict--{}">{}</span> {}项</li>').format(
                VERDICT_CLASS[v], v, sum(r.verdict == v for r in loop.results)) for v in comp.VERDICTS)
            cards.append(self._card(
                f"{loop.year}年度三会一课和组织生活对标", self.link(here, loop.year, CHECK_COMPLIANCE),
                _('<ul class="loop-verdict-counts">{}</ul>').format(counts)))
        return _wrap('<div class="loop-cards">', _join(cards), "</div>")

    @staticmethod
    def _card(title, href, body) -> Markup:
        return _('<div class="loop-card"><div class="loop-card__title"><a href="{}">{}</a></div>{}</div>').format(
            href, title, body)


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
                return _('<div class="loop-warning" role="alert">{}：{}</div>').format(name, str(exc))

        return macro

    return {name: guarded(method, name) for name, method in methods.items()}
