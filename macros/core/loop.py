"""Loading and checking what closes the loop: plan, checklists, reminders and compliance rules.

Called from `data.load_site` so that its errors join every other error of the run. Files:

- data/rules.yaml: the yearly minimums, each with its source (党内法规 / 本单位规定);
- data/<year>/plan.yaml: the next year's plan (goals → measures → tasks);
- data/<year>/checklist.yaml: 问题整改清单 and 党建工作清单;
- data/<year>/reminders.yaml: 重要节点廉政提醒;
- data/<year>/compliance.yaml: rules that do not apply that year, with the reason.

Beyond the schemas (fixed sets, date formats) this module checks what a schema cannot: unique
ids, deadlines inside the plan year, reminders before their holiday, and that every
cross-reference resolves (problem → measure, item → task/rule, reminder → task, rule → figure).
Each problem is a `DataError` naming file, line and id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from macros.core import checklists, compliance, holidays, plan, proofreading
from macros.core.errors import DataError, hint
from macros.core.reading import validate
from macros.core.reading.yamlio import load


@dataclass
class YearLoop:
    """What one year's report leads to."""

    year: int
    as_of: date
    as_of_given: bool  # False: the build date
    plan: plan.Plan | None = None
    checklist: checklists.Checklist | None = None
    reminders: list[checklists.Reminder] | None = None
    results: list[compliance.Result] | None = None
    notes: list[proofreading.Note] = field(default_factory=list)  # 校对提示 on the issued text
    warnings: list[str] = field(default_factory=list)

    @property
    def proposals(self) -> list[compliance.Proposal]:
        """The 对标 page's 未达标, proposed on the 问题整改清单 (建议纳入整改)."""
        return compliance.proposals(self.results or [])


@dataclass
class Loops:
    rules: dict[str, compliance.Rule]
    years: dict[int, YearLoop]

    def latest(self, what: str) -> YearLoop | None:
        """The latest year that has `what` (plan, checklist, reminders, results)."""
        for year in sorted(self.years, reverse=True):
            if getattr(self.years[year], what) is not None:
                return self.years[year]
        return None


def _unique(doc, entries, errors, what: str) -> dict:
    """id -> (entry path) for every entry; duplicates are errors."""
    seen: dict[str, tuple] = {}
    for path, entry in entries:
        ident = entry["id"]
        line = doc.line(*path)
        if ident in seen:
            first = doc.line(*seen[ident])
            errors.append(DataError(doc.path, line, ident, f"{what}编号 {ident} 重复（第 {first} 行已有）"))
        else:
            seen[ident] = path
    return seen


def _plan_entries(data):
    for gi, g in enumerate(data["goals"]):
        yield ("goals", gi), g
        for mi, m in enumerate(g["measures"]):
            yield ("goals", gi, "measures", mi), m
            for ti, t in enumerate(m["tasks"]):
                yield ("goals", gi, "measures", mi, "tasks", ti), t


def _missing(doc, line, ident, what, target, known) -> DataError:
    return DataError(doc.path, line, ident, f"{what} {ident} 在{target}中不存在{hint(ident, known)}")


def _id_at(data, key: str | None) -> str | None:
    """The id of the innermost list entry along a schema error's key path (goals.0.measures.1.status)."""
    ident, node = None, data
    for part in (key or "").split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            ident = node["id"]
    return ident


def _read(path: Path, root: Path, name: str, errors: list):
    """Load and schema-check one file; schema errors inside a list entry also name the entry's id."""
    before = len(errors)
    doc = validate.load_checked(path, root, validate.schema(name), errors)
    if doc is None and len(errors) > before:
        try:
            raw = load(path, path.relative_to(root).as_posix(), root)
        except DataError:
            return None
        for error in errors[before:]:
            ident = _id_at(raw.data, error.key)
            if ident:
                error.message += f"（编号 {ident}）"
    return doc


def _err(doc, path: tuple, ident: str, message: str) -> DataError:
    return DataError(doc.path, doc.line(*path), ident, message)


def _load_rules(root: Path, figures: dict, errors: list) -> tuple[dict[str, compliance.Rule], bool]:
    """The rules ({} when the file is absent or unreadable), and whether they can be judged."""
    path = root / "data" / "rules.yaml"
    doc = validate.load_checked(path, root, validate.schema("rules"), errors) if path.exists() else None
    if doc is None:
        return {}, False
    before = len(errors)
    rules = compliance.rules_from_doc(doc)
    for rule in rules.values():
        if rule.figure is None:
            continue
        where = ("rules", rule.id, "figure")
        figure = figures.get(rule.figure)
        if figure is None:
            errors.append(_err(doc, where, rule.id,
                               f"规则 {rule.id} 的数据项 {rule.figure} 不存在{hint(rule.figure, figures)}"))
        elif figure.type != "count":
            errors.append(_err(doc, where, rule.id, f"规则 {rule.id} 的数据项 {rule.figure} 不是次数，无法对标"))
    return rules, len(errors) == before


def _check_plan(doc, loop: YearLoop, errors: list) -> None:
    _unique(doc, _plan_entries(doc.data), errors, "")
    loop.plan = plan.from_doc(doc)
    for path, entry in _plan_entries(doc.data):
        if "due" in entry and plan.Due(str(entry["due"])).year != loop.plan.year:
            errors.append(_err(doc, (*path, "due"), entry["id"],
                               f"任务 {entry['id']} 的完成时限 {entry['due']} 不在计划年度 {loop.plan.year} 年内"))


def _link_task(doc, path: tuple, entry, what: str, tasks: dict, errors: list) -> None:
    """Resolve an entry's `task` reference (checklist item or reminder) to the plan task, or record an error."""
    if entry.task_id is None:
        return
    if entry.task_id in tasks:
        entry.task = tasks[entry.task_id]
    else:
        errors.append(_missing(doc, doc.line(*path), entry.task_id, what, "计划任务", tasks))


def _check_deadlines(doc, checklist, errors: list) -> None:
    """Each problem's 整改时限 is in the checklist's year."""
    for i, problem in enumerate(checklist.problems):
        if problem.deadline.year != checklist.year:
            errors.append(_err(doc, ("problems", i, "deadline"), problem.id,
                               f"问题 {problem.id} 的整改时限 {problem.deadline} 不在清单年度 {checklist.year} 年内"))


def _check_checklist(doc, loop: YearLoop, rules: dict | None, errors: list, warnings: list) -> None:
    data = doc.data
    _unique(doc, ((("problems", i), p) for i, p in enumerate(data["problems"])), errors, "问题")
    _unique(doc, ((("items", i), p) for i, p in enumerate(data["items"])), errors, "清单事项")
    loop.checklist = checklists.checklist_from_doc(doc)
    _check_deadlines(doc, loop.checklist, errors)
    tasks = loop.plan.tasks if loop.plan else {}
    measures = loop.plan.measures if loop.plan else {}
    if loop.plan and loop.checklist.year != loop.plan.year:
        message = f"清单年度 {loop.checklist.year} 与计划年度 {loop.plan.year} 不一致"
        errors.append(_err(doc, ("year",), "year", message))
    for i, problem in enumerate(loop.checklist.problems):
        for j, mid in enumerate(problem.measure_ids):
            if mid in measures:
                problem.measures.append(measures[mid])
            else:
                errors.append(_missing(doc, doc.line("problems", i, "measures", j), mid,
                                       f"问题 {problem.id} 的整改措施", f"计划措施（data/{loop.year}/plan.yaml）",
                                       measures))
        if problem.closed and not problem.measures_done:
            errors.append(_err(doc, ("problems", i, "closed"), problem.id,
                               f"问题 {problem.id} 已填写销号，但它的整改措施尚未全部完成；"
                               "措施全部完成、经支委会审议后才能销号"))
        if not problem.answered:
            text = f"问题 {problem.id}（{problem.title}）没有对应的整改措施；请在 measures 中填写回应它的计划措施编号"
            warning = DataError(doc.path, problem.line, problem.id, text)
            warnings.append(warning)
            loop.warnings.append(warning.render())
    _check_items(doc, loop, rules, tasks, errors)


def _check_items(doc, loop: YearLoop, rules: dict | None, tasks: dict, errors: list) -> None:
    """Each 清单事项's task and rule (rules None: data/rules.yaml is missing, said once by load_loop)."""
    for n, item in enumerate(loop.checklist.items):
        _link_task(doc, ("items", n, "task"), item, f"清单事项 {item.id} 的任务", tasks, errors)
        if item.rule_id is not None and rules is None:
            continue
        if item.rule_id is not None and item.rule_id not in rules:
            errors.append(_missing(doc, doc.line("items", n, "rule"), item.rule_id,
                                   f"清单事项 {item.id} 的规则", "对标规则（data/rules.yaml）", rules))
        elif item.rule_id is not None and (convener := rules[item.rule_id].convener) and item.owner != convener:
            rule = rules[item.rule_id]
            errors.append(_err(doc, ("items", n, "owner"), item.id,
                               f"清单事项 {item.id}（{item.title}）的牵头人应为 {convener}，而不是 {item.owner}："
                               f"{rule.activity}由{convener}召集并主持（{rule.convener_basis.split('：')[0]}）"))


def _check_reminders(doc, loop: YearLoop, errors: list, warnings: list) -> None:
    year = doc.data["year"]
    _unique(doc, ((("reminders", i), r) for i, r in enumerate(doc.data["reminders"])), errors, "提醒")
    loop.reminders = checklists.reminders_from_doc(doc)
    tasks = loop.plan.tasks if loop.plan else {}
    if loop.plan and year != loop.plan.year:
        errors.append(_err(doc, ("year",), "year", f"提醒年度 {year} 与计划年度 {loop.plan.year} 不一致"))
    for n, reminder in enumerate(loop.reminders):
        where, rid = ("reminders", n, "date"), reminder.id
        try:
            festival = holidays.parse(reminder.festival, year)
        except ValueError as exc:
            errors.append(_err(doc, ("reminders", n, "festival"), rid, f"提醒 {rid}：{exc}"))
            festival = None
        official = holidays.first_day_off(festival) if festival else None
        if official is not None and reminder.holiday != official:
            errors.append(_err(doc, ("reminders", n, "holiday"), rid,
                               f"提醒 {rid} 的放假首日应为 {official}（{festival.label}，{holidays.SOURCE}），"
                               f"而不是 {reminder.holiday or '待填'}"))
        if reminder.date is not None and reminder.date.year != year:
            errors.append(_err(doc, where, rid, f"提醒 {rid} 的提醒日期 {reminder.date} 不在 {year} 年内"))
        if reminder.date is not None and reminder.holiday is not None and reminder.date >= reminder.holiday:
            errors.append(_err(doc, where, rid, f"提醒 {rid} 的提醒日期 {reminder.date} 不早于放假首日 "
                                                f"{reminder.holiday}；廉政提醒应在放假之前发出"))
        _link_task(doc, ("reminders", n, "task"), reminder, f"提醒 {rid} 的任务", tasks, errors)
    days_off = {r.holiday for r in loop.reminders if r.holiday is not None}
    for festival, first in holidays.missing(year, days_off):  # a warning: a strict build refuses it
        warning = _err(doc, ("reminders",), "reminders",
                       f"{festival.label}（放假首日 {first}）没有廉政提醒：每个法定节假日都应有一条提醒，"
                       "连在一起放假的节日（如 2023 年中秋与国庆节）合用一条，分开放假的各用一条")
        warnings.append(warning)
        loop.warnings.append(warning.render())


def _read_notes(doc, loop: YearLoop, year_docs: Path, errors: list) -> None:
    """校对提示 (proofreading.yaml): each quote found once in its page."""
    if doc is not None:
        loop.notes = proofreading.notes_from_doc(doc)
        errors.extend(proofreading.check(doc, loop.notes, year_docs))


def _judge(doc, loop: YearLoop, rules: dict, year_data, errors: list) -> None:
    """The 对标 of a year: its figures against the rules, less those compliance.yaml says do not apply."""
    not_applicable = doc.data["not_applicable"] if doc is not None else {}
    for rid in not_applicable:
        if rid not in rules:
            errors.append(_missing(doc, doc.line("not_applicable", rid), rid,
                                   "不适用规则", "对标规则（data/rules.yaml）", rules))
    loop.results = compliance.judge_all(rules, year_data.values, not_applicable)


def _missing_plan(year: int, docs: dict, errors: list) -> bool:
    """A year without plan.yaml whose checklist or reminders refer to it: one line (not one per 措施
    referred to); their references are then not followed."""
    users = [f"data/{year}/{name}.yaml" for name in ("checklist", "reminders") if docs[name] is not None]
    if docs["plan"] is not None or not users:
        return False
    errors.append(DataError(f"data/{year}/plan.yaml", 1, None,
                            f"文件不存在，而 {'、'.join(users)} 引用了其中的措施和任务；"
                            "请恢复 plan.yaml（可从版本历史找回），或同时删去引用它的文件"))
    return True


def load_loop(
    root: Path, years: dict, figures: dict, errors: list, warnings: list, year_list: list[int], docs_dir: Path
) -> Loops:
    """Read and cross-check the plan, checklists, reminders and rules of every year.

    A year whose report or figures are wrong is still checked here, so that all errors of a run
    are listed together; references into a plan that failed its own checks are not followed.
    """
    rules, rules_ok = _load_rules(root, figures, errors)
    rules_file, rule_users = root / "data" / "rules.yaml", []
    loops: dict[int, YearLoop] = {}
    year_dirs = [root / "data" / str(year) for year in year_list]  # those scan.check_year_folders accepted
    for year_dir in year_dirs:
        year, year_data = int(year_dir.name), years.get(int(year_dir.name))
        as_of = year_data.report.get("as_of") if year_data else None
        loop = YearLoop(year, date.fromisoformat(as_of) if as_of else date.today(), bool(as_of))
        docs = {}
        for name in ("plan", "checklist", "reminders", "compliance", "proofreading"):
            path = year_dir / f"{name}.yaml"
            docs[name] = _read(path, root, name, errors) if path.exists() else None
        if docs["plan"] is not None:
            _check_plan(docs["plan"], loop, errors)
        plan_failed = docs["plan"] is None and (year_dir / "plan.yaml").exists()
        plan_failed = plan_failed or _missing_plan(year, docs, errors)
        if not rules_file.exists() and docs["checklist"] is not None and any(
                item.get("rule") for item in docs["checklist"].data.get("items", [])):
            rule_users.append(f"data/{year}/checklist.yaml")
        if docs["checklist"] is not None and not plan_failed:
            _check_checklist(docs["checklist"], loop, rules if rules_file.exists() else None, errors, warnings)
        if docs["reminders"] is not None and not plan_failed:
            _check_reminders(docs["reminders"], loop, errors, warnings)
        _read_notes(docs["proofreading"], loop, docs_dir / year_dir.name, errors)
        if rules_ok and year_data is not None:
            _judge(docs["compliance"], loop, rules, year_data, errors)
        if year_data is not None:
            loops[year] = loop
    if rule_users:
        errors.append(DataError("data/rules.yaml", 1, None, f"文件不存在，而 {'、'.join(rule_users)} 的清单事项"
                                "引用了其中的对标规则；请恢复 data/rules.yaml（可从版本历史找回）"))
    return Loops(rules, loops)
