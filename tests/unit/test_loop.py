"""清单 and 计划, computed and rendered in process: fixture data (tests/fixtures/loop/, as of
2023-03-15) for every count and verdict, the real data for a status change that shows everywhere."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
from helpers.files import FIXTURES, ROOT, data_copy, edit, unissued
from helpers.render import cells, here, markdown_html, plain, row_of, shown

from macros.core import compliance as comp
from macros.core.load import load_site
from macros.core.plan import Due, Progress, rollup
from macros.core.redact import masked_data
from macros.pages import checklists as checklist_render
from macros.pages import loop as loop_render
from macros.pages.render import Renderer

DOCS = ROOT / "docs"


def use_fixture_data(root):
    for name in ("plan", "checklist", "reminders", "compliance"):
        shutil.copy(FIXTURES / f"loop/{name}.yaml", root / f"data/2022/{name}.yaml")
    shutil.copy(FIXTURES / "loop/rules.yaml", root / "data/rules.yaml")
    edit(root / "data/2022/report.yaml", "as_of: 2023-07-31", "as_of: 2023-03-15")
    # no 台账: the figures it would count are typed (macros/core/load.py: a year without records keeps them)
    shutil.rmtree(root / "data/records")
    unissued(root)  # the fixture's figures are not the issued report's
    figures = root / "data/2022/figures.yaml"
    figures.write_text(figures.read_text("utf-8") + (
        "branch.general_meetings: 4\n"  # = minimum: 达标
        "branch.committee_meetings: 11\n"  # 未达标
        "theme_day.activities: 待填\n"  # 待填 (value)
        "lecture.secretary: 3\n"  # 未达标 (本单位规定)
    ), "utf-8")
    return root


def loop_macros(data, docs=DOCS):
    """The 计划 and 清单 macros, as define_env defines them (macros/__init__.py)."""
    renderer = Renderer(data, docs)
    return {**loop_render.macros(data, renderer, docs), **checklist_render.macros(data, renderer, docs)}


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    """Macro name -> HTML of that macro on its page, for the fixture data."""
    root = use_fixture_data(data_copy(tmp_path_factory.mktemp("loop") / "p"))
    data = load_site(root, DOCS)
    return data, loop_macros(data)


def page(fx, name: str, src: str, **flags) -> str:
    """The HTML a macro puts on page `src` (docs/-relative), after Markdown."""
    return plain(markdown_html(fx[1][name](here(src, **flags))))


# -- progress ---------------------------------------------------------------
def test_goal_and_overall_progress(fx):
    html = page(fx, "plan_summary", "2022/plan/index.md")
    assert "总体进度：33%（已完成2/6项，另有1项已取消）" in shown(html)[1]
    assert row_of(html, "一")[1:] == ["甲打算", "2", "50%（已完成2/4项，另有1项已取消）", "1"]
    assert row_of(html, "二")[1:] == ["乙打算", "1", "0%（已完成0/2项）", "1"]
    assert 'aria-valuenow="33"' in html and 'style="width: 33%"' in html


def test_measure_progress_and_rolled_up_status(fx):
    texts = shown(page(fx, "plan_tasks", "2022/plan/tasks.md"))
    assert "措施1.1，状态：进行中　33%（已完成1/3项）" in texts
    assert "措施1.2，状态：已完成　100%（已完成1/1项，另有1项已取消）" in texts
    assert "措施2.1，状态：进行中　0%（已完成0/2项）" in texts


def test_views_by_status_and_owner(fx):
    html = page(fx, "plan_by_status", "2022/plan/by-status.md")
    assert [row_of(html, s)[1] for s in ("未开始", "进行中", "已完成", "已取消")] == ["2", "2", "2", "1"]
    html = page(fx, "plan_by_owner", "2022/plan/by-owner.md")
    assert row_of(html, "书记")[1:] == ["2", "100%（已完成2/2项）", "—"]
    assert row_of(html, "组织委员")[1:] == ["2", "0%（已完成0/2项）", "1"]
    assert row_of(html, "宣传委员")[1:] == ["2", "0%（已完成0/2项）", "1"]
    assert row_of(html, "纪检委员")[1:] == ["1", "0%（已完成0/0项，另有1项已取消）", "—"]


# -- overdue with the fixed as-of date 2023-03-15 ------------------------------
def test_overdue_tasks_stand_out(fx):
    summary = page(fx, "plan_summary", "2022/plan/index.md")
    assert "进度统计截至2023年3月15日" in summary
    overdue = page(fx, "plan_overdue", "2022/plan/index.md")
    rows = re.findall(r'<tr class="loop-row--overdue"><td><a href="([^"]+)">([^<]+)</a>', overdue)
    # a February task in progress; a task due 14 March, not started
    assert rows == [("tasks/#task-t1.1.2", "1.1.2"), ("tasks/#task-t2.1.1", "2.1.1")]  # readers see numbers
    assert row_of(overdue, "1.1.2")[1:] == ["任务二", "组织委员", "2023年2月", "进行中逾期"]
    assert row_of(overdue, "2.1.1")[1:] == ["任务六", "宣传委员", "2023年3月14日", "未开始逾期"]
    tasks = page(fx, "plan_tasks", "2022/plan/tasks.md")
    assert re.findall(r'<tr class="loop-row loop-row--overdue"><td id="task-([^"]+)"', tasks) == ["t1.1.2", "t2.1.1"]
    # not overdue: due in March (ends 31 March), cancelled, due on the as-of day itself
    for ident in ("t1.1.3", "t1.2.1", "t2.1.2", "t1.1.1"):
        assert f'<tr class="loop-row"><td id="task-{ident}"' in tasks


def test_overdue_reminders(fx):
    html = page(fx, "integrity_reminders", "2022/plan/reminders.md")
    assert re.findall(r'<tr id="reminder-(\w+)" class="loop-row--overdue"', html) == ["r2"]
    assert row_of(html, "元旦春节")[1:3] == ["2023年1月21日", "2023年1月16日"]


def test_no_overdue_task_is_said_so(tmp_path):
    root = use_fixture_data(data_copy(tmp_path / "p"))
    edit(root / "data/2022/report.yaml", "as_of: 2023-03-15", "as_of: 2023-01-01")
    html = markdown_html(loop_macros(load_site(root, DOCS))["plan_overdue"](here("2022/plan/index.md")))
    assert shown(html) == ["截至2023年1月1日，没有逾期任务。"]


def test_as_of_defaults_to_the_build_date(tmp_path):
    root = use_fixture_data(data_copy(tmp_path / "p"))
    edit(root / "data/2022/report.yaml", "as_of: 2023-03-15\n", "")
    html = loop_macros(load_site(root, DOCS))["plan_summary"](here("2022/plan/index.md"))
    today = date.today()
    assert f"进度统计截至{today.year}年{today.month}月{today.day}日（构建当天）" in html


# -- 问题整改清单 -------------------------------------------------------------
def test_problems_roll_up_from_measures(fx):
    html = page(fx, "rectification_list", "2022/checklists/rectification.md")
    texts = shown(html)
    i = texts.index("问题一：问题甲")
    closed = "已销号（2023年3月支委会审议，2023年3月10日）"
    assert texts[i + 1] == "责任人：书记　整改时限：2023年2月28日"  # closed: not overdue
    assert texts[i + 2] == f"整改状态：已整改　{closed}　100%（已完成1/1项，另有1项已取消）"
    i = texts.index("问题二：问题乙")
    assert texts[i + 1] == "责任人：组织委员　整改时限：2023年3月1日逾期"  # open after its 整改时限 (as of 3-15)
    assert texts[i + 2] == "整改状态：整改中　未销号　20%（已完成1/5项）"
    i = texts.index("问题三：问题丙")
    assert texts[i + 1] == "责任人：纪检委员　整改时限：2023年12月31日"
    assert "共3个问题，已销号1个、未销号2个" in html
    assert re.findall(r'<td><a href="([^"]+)">甲措施一</a>', html) == ["../../plan/tasks/#measure-m1.1"]


def test_unanswered_problem_is_flagged_on_page_and_by_the_checks(fx):
    data, _ = fx
    html = page(fx, "rectification_list", "2022/checklists/rectification.md")
    assert "未对应整改措施" in html[html.index('id="problem-p3"'):]
    # a warning: a preview shows it, a strict build refuses to publish (tests/wiring/test_sites.py)
    assert [w.render() for w in data.warnings if "p3" in w.message] == [
        "data/2022/checklist.yaml:5: 问题 p3（问题丙）没有对应的整改措施；请在 measures 中填写回应它的计划措施编号"
    ]


# -- 党建工作清单 -------------------------------------------------------------
def test_checklist_checkboxes_and_counts(fx):
    html = page(fx, "party_checklist", "2022/checklists/party-building.md")
    boxes = re.findall(r'<input type="checkbox" disabled( checked)? aria-label="([^"]+)"/>', html)
    assert boxes == [(" checked", "已完成"), ("", "进行中"), ("", "已取消")]
    heads = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert heads == ["政治建设（1/2）", "思想建设（0/0）", "组织建设（0/0）",
                     "作风建设（0/0）", "纪律建设（0/1）", "制度建设（0/0）"]
    assert "共3项，已完成1项" in html
    assert 'href="../../plan/tasks/#task-t1.1.1">1.1.1</a>（任务一）' in html
    assert 'href="../compliance/#rule-general_meetings">支部党员大会</a>' in html


# -- 三会一课 compliance --------------------------------------------------------
EXPECTED_VERDICTS = {
    "general_meetings": ("4", "达标", ""),
    "committee_meetings": ("11", "未达标", ""),
    "group_meetings": ("—", "不适用", "（未设党小组）"),
    "theme_day": ("待填", "待填", "（数据项待填）"),
    "organisational_life": ("—", "待填", "（年度报告未统计此项）"),
    "lecture.secretary": ("3", "未达标", ""),
}


def test_every_compliance_verdict(fx):
    html = page(fx, "compliance_table", "2022/checklists/compliance.md")
    for rule, (value, verdict, reason) in EXPECTED_VERDICTS.items():
        row = re.search(rf'<tr id="rule-{re.escape(rule)}"[^>]*>(.*?)</tr>', html, re.S).group(1)
        texts = cells(f"<tr>{row}</tr>")[0]
        assert texts[3] == value, rule
        assert texts[4] == verdict + reason, rule
    assert "达标1项，未达标2项，待填2项，不适用1项" in html


def test_rule_source_and_wording_on_hover(fx):
    html = page(fx, "compliance_table", "2022/checklists/compliance.md")
    local = re.search(r'<tr id="rule-lecture.secretary".*?</tr>', html, re.S).group(0)
    assert '<span class="loop-source loop-source--local">本单位规定</span>' in local
    assert "党内法规" not in local
    assert 'title="规定要点：党员大会一般每季度召开1次。">每年不少于4次</span>' in html
    assert "每个党小组，每年不少于12次" in html


# -- home page and the report's problems page ----------------------------------
def test_home_overview(fx):
    html = page(fx, "loop_overview", "index.md")
    texts = shown(html)
    assert "33%（已完成2/6项，另有1项已取消）" in texts
    assert "逾期任务：2项（截至2023年3月15日）" in texts
    assert "共3个问题，已销号1个、未销号2个" in texts
    assert [t for t in texts if t.startswith("问题")] == ["问题二：问题乙 整改中", "问题三：问题丙 整改中"]
    assert [t for t in texts if t.endswith("项") and " " in t] == ["达标 1项", "未达标 2项", "待填 2项", "不适用 1项"]
    for href in ("2022/plan/", "2022/checklists/rectification/", "2022/checklists/compliance/"):
        assert f'href="{href}"' in html


def test_problems_page_points_to_rectification_but_full_text_does_not(fx):
    link = '整改情况见<a href="../checklists/rectification/">问题整改清单</a>（共3个问题，已销号1个、未销号2个）'
    problems = page(fx, "rectification_link", "2022/problems.md")
    assert link in problems
    note = r'<div class="admonition info site-note" role="note">\s*<p class="admonition-title">本站说明'
    assert re.search(note, problems)  # a note of the site, not part of the report
    assert page(fx, "rectification_link", "2022/full.md", fulltext=True) == ""
    plans = page(fx, "plan_link", "2022/plans.md")
    assert '这四项打算在<a href="../plan/">2023年工作计划</a>中分解为措施和任务逐项落实（已完成33%）' in plans
    assert page(fx, "plan_link", "2022/full.md", fulltext=True) == ""


def test_links_follow_the_offline_copys_urls(fx):
    html = page(fx, "rectification_link", "2022/problems.md", directory_urls=False)
    assert 'href="checklists/rectification.html"' in html


# -- a missing data file or linked page: a warning, visible where the list would be ----------------
def test_missing_data_file_or_linked_page_is_a_visible_warning(tmp_path, caplog):
    root = data_copy(tmp_path / "p")
    (root / "data/2022/reminders.yaml").unlink()
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    (docs / "2022/checklists/compliance.md").unlink()
    data = load_site(root, docs)
    found = loop_macros(data, docs)
    with caplog.at_level("WARNING"):
        reminders = plain(found["integrity_reminders"](here("2022/plan/reminders.md")))
        checklist = plain(found["party_checklist"](here("2022/checklists/party-building.md")))
    assert "integrity_reminders：页面需要 data/2022/reminders.yaml，但该文件不存在" in reminders
    assert 'role="alert"' in reminders
    assert "party_checklist：链接的页面 docs/2022/checklists/compliance.md 不存在" in checklist
    # logged as warnings: a strict build counts them and stops
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "docs/2022/plan/reminders.md: integrity_reminders()：页面需要 data/2022/reminders.yaml，但该文件不存在",
        "docs/2022/checklists/party-building.md: party_checklist()：链接的页面 docs/2022/checklists/compliance.md 不存在",
    ]


# -- the real data: one status change shows everywhere ----------------------------------------------
def plan_texts(data):
    found = loop_macros(data)
    return {
        "plan": "\n".join(shown(found["plan_summary"](here("2022/plan/index.md")))),
        "home": "\n".join(shown(found["loop_overview"](here("index.md")))),
        "by_status": markdown_html(found["plan_by_status"](here("2022/plan/by-status.md"))),
        "by_owner": "\n".join(shown(found["plan_by_owner"](here("2022/plan/by-owner.md")))),
        "overdue": "\n".join(shown(found["plan_overdue"](here("2022/plan/index.md")))),
        "tasks": markdown_html(found["plan_tasks"](here("2022/plan/tasks.md"))),
    }


def test_changing_a_status_changes_every_place(tmp_path):
    root = data_copy(tmp_path / "p")
    b = plan_texts(load_site(root, DOCS))
    edit(root / "data/2022/plan.yaml", "title: 举办读书班\n            owner: 宣传委员\n            due: 2023-06\n"
         "            status: 未开始", "title: 举办读书班\n            owner: 宣传委员\n            due: 2023-06\n"
         "            status: 已完成")
    a = plan_texts(load_site(root, DOCS))
    assert "总体进度：40%（已完成10/25项，另有1项已取消）逾期3项" in b["plan"]
    assert "总体进度：44%（已完成11/25项，另有1项已取消）逾期2项" in a["plan"]
    assert "二\n思想理论武装\n3\n25%（已完成1/4项）\n1\n" in b["plan"]
    assert "二\n思想理论武装\n3\n50%（已完成2/4项）\n—\n" in a["plan"]
    assert "2.2.1\n举办读书班" in b["overdue"] and "2.2.1\n举办读书班" not in a["overdue"]
    assert "逾期任务：3项" in b["home"] and "逾期任务：2项" in a["home"]
    assert "44%（已完成11/25项，另有1项已取消）" in a["home"]
    done_b, done_a = (int(row_of(x["by_status"], "已完成")[1]) for x in (b, a))
    assert done_a == done_b + 1
    assert "宣传委员" in a["by_owner"]
    assert re.search(r'<tr class="loop-row"><td id="task-t2.2.1">.*?已完成', a["tasks"])


def test_text_from_yaml_is_shown_as_typed(tmp_path):
    root = data_copy(tmp_path / "p")
    plan = root / "data/2022/plan.yaml"
    edit(plan, "title: 学习贯彻党的二十大精神", 'title: "*学习* <b>贯彻</b> {#x} [链](http://a)"')
    edit(plan, "title: 举办读书班", 'title: "<script>alert(1)</script>读书班"')
    edit(root / "data/2022/checklist.yaml", "title: 服务意识有待提高，发挥参谋助手能力有待加强", 'title: "服务&<i>意识</i>"')
    found = loop_macros(load_site(root, DOCS))
    tasks = plain(markdown_html(found["plan_tasks"](here("2022/plan/tasks.md"))))
    assert '<h3 id="measure-m1.1">*学习* &lt;b&gt;贯彻&lt;/b&gt; {#x} [链](http://a)</h3>' in tasks
    summary = plain(markdown_html(found["plan_overdue"](here("2022/plan/index.md"))))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;读书班" in summary
    assert "<script>" not in tasks + summary and "<b>" not in tasks and 'href="http://a"' not in tasks
    problems = plain(markdown_html(found["rectification_list"](here("2022/checklists/rectification.md"))))
    assert re.search(r"<h2[^>]*>问题一：服务&amp;&lt;i&gt;意识&lt;/i&gt;</h2>", problems)


def test_redacted_build_withholds_compliance_verdicts():
    """A verdict tells how a masked figure compares with the minimum: the 脱敏版 does not show it."""
    data = masked_data(load_site(ROOT, DOCS))
    found = loop_macros(data)
    for name, src in (("compliance_table", "2022/checklists/compliance.md"), ("loop_overview", "index.md")):
        html = found[name](here(src, redacted=True))
        assert "脱敏版不显示对标结论" in html
        assert "达标" not in html and "loop-verdict" not in html, name
    assert "40%" in found["plan_summary"](here("2022/plan/index.md", redacted=True))  # not a masked figure


# -- arithmetic --------------------------------------------------------------------
def test_progress_rounding_and_rollup():
    assert Progress(5, 12).percent == 42 and Progress(1, 8).percent == 13 and Progress(1, 3).percent == 33
    assert Progress(0, 0).percent == 0 and Progress(2, 3).percent == 67
    assert rollup(["已完成", "已取消"]) == "已完成"
    assert rollup(["已取消"]) == "已取消"
    assert rollup(["未开始", "已完成"]) == "进行中"
    assert rollup(["未开始", "未开始"]) == "未开始"
    assert rollup([]) is None


def test_due_periods():
    assert Due("2023-02").end == date(2023, 2, 28) and Due("2024-02").end == date(2024, 2, 29)
    assert Due("2023-Q3").end == date(2023, 9, 30) and Due("2023-Q3").label == "2023年第三季度"
    assert Due("2023-03-15").end == date(2023, 3, 15) and Due("2023-03").label == "2023年3月"


def test_judge_boundaries():
    rule = comp.Rule("x", "活动", 4, "次", comp.NATIONAL, "依据", "原文", 1, figure="k")
    assert comp.judge(rule, {"k": 4}, {}).verdict == comp.MET
    assert comp.judge(rule, {"k": 3}, {}).verdict == comp.NOT_MET
    assert comp.judge(rule, {"k": None}, {}).verdict == comp.UNFILLED
    assert comp.judge(rule, {"k": 9}, {"x": "理由"}).verdict == comp.NOT_APPLICABLE


def test_fixed_sets_have_one_definition():
    import json

    schemas = {n: json.loads((ROOT / f"schemas/{n}.schema.json").read_text("utf-8"))
               for n in ("plan", "checklist", "reminders")}
    status = schemas["plan"]["$defs"]["status"]["enum"]
    owner = schemas["plan"]["$defs"]["owner"]["enum"]
    item = schemas["checklist"]["properties"]["items"]["items"]["properties"]
    reminder = schemas["reminders"]["properties"]["reminders"]["items"]["properties"]
    assert item["status"]["enum"] == status == ["未开始", "进行中", "已完成", "已取消"]
    assert reminder["status"]["enum"] == ["待发出", "已发出", "已取消"]
    assert "全体党员" not in owner and "全体党员" in schemas["plan"]["$defs"]["participants"]["items"]["enum"]
    assert item["owner"]["enum"] == reminder["owner"]["enum"] == owner
    assert item["category"]["enum"] == ["政治建设", "思想建设", "组织建设", "作风建设", "纪律建设", "制度建设"]
