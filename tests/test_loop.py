"""清单 and 计划 on fixture data (tests/fixtures/loop/, as of 2023-03-15), and on the real site."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date

import pytest
from conftest import ENV, FIXTURES, MKDOCS, ROOT, build, copy_project, read
from htmltext import blocks

from macros import compliance as comp
from macros.plan import Due, Progress, rollup

FIX = FIXTURES / "loop"


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def use_fixture_data(project):
    for name in ("plan", "checklist", "reminders", "compliance"):
        shutil.copy(FIX / f"{name}.yaml", project / f"data/2022/{name}.yaml")
    shutil.copy(FIX / "rules.yaml", project / "data/rules.yaml")
    edit(project / "data/2022/report.yaml", "as_of: 2023-07-31", "as_of: 2023-03-15")
    figures = project / "data/2022/figures.yaml"
    edit(figures, "branch.general_meetings: 10", "branch.general_meetings: 4")  # = minimum: 达标
    edit(figures, "branch.committee_meetings: 12", "branch.committee_meetings: 11")  # 未达标
    edit(figures, "theme_day.activities: 9", "theme_day.activities: 待填")  # 待填 (value)
    edit(figures, "lecture.secretary: 4", "lecture.secretary: 3")  # 未达标 (本单位规定)
    return project


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    """The fixture site, built without --strict (it has a 待填 figure and an unanswered problem)."""
    tmp = tmp_path_factory.mktemp("loop")
    project = use_fixture_data(copy_project(tmp / "project"))
    result = build(project, tmp / "out", strict=False)
    assert result.returncode == 0, result.stderr
    return tmp / "out", result


def cells(html: str) -> list[list[str]]:
    """The rows of every table in the content, as lists of cell texts."""
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        rows.append([b.text for b in blocks(f"<table><tr>{row}</tr></table>", root_class=None)])
    return rows


def row_of(html: str, first: str) -> list[str]:
    found = [r for r in cells(html) if r and r[0] == first]
    assert len(found) == 1, (first, found)
    return found[0]


def text(out, page: str) -> str:
    """The page's content as block texts, one per line."""
    return "\n".join(b.text for b in blocks(read(out, page)))


def ids_of(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


# -- progress ---------------------------------------------------------------
def test_goal_and_overall_progress(fx):
    html = read(fx[0], "2022/plan")
    assert "总体进度：33%（已完成2/6项，另有1项已取消）" in blocks(html)[1].text + blocks(html)[2].text
    assert row_of(html, "一")[1:] == ["甲打算", "2", "50%（已完成2/4项，另有1项已取消）", "1"]
    assert row_of(html, "二")[1:] == ["乙打算", "1", "0%（已完成0/2项）", "1"]
    assert 'aria-valuenow="33"' in html and 'style="width: 33%"' in html


def test_measure_progress_and_rolled_up_status(fx):
    texts = [b.text for b in blocks(read(fx[0], "2022/plan/tasks"))]
    assert "措施1.1，状态：进行中　33%（已完成1/3项）" in texts
    assert "措施1.2，状态：已完成　100%（已完成1/1项，另有1项已取消）" in texts
    assert "措施2.1，状态：进行中　0%（已完成0/2项）" in texts


def test_views_by_status_and_owner(fx):
    html = read(fx[0], "2022/plan/by-status")
    assert [row_of(html, s)[1] for s in ("未开始", "进行中", "已完成", "已取消")] == ["2", "2", "2", "1"]
    html = read(fx[0], "2022/plan/by-owner")
    assert row_of(html, "书记")[1:] == ["2", "100%（已完成2/2项）", "—"]
    assert row_of(html, "组织委员")[1:] == ["2", "0%（已完成0/2项）", "1"]
    assert row_of(html, "宣传委员")[1:] == ["2", "0%（已完成0/2项）", "1"]
    assert row_of(html, "纪检委员")[1:] == ["1", "0%（已完成0/0项，另有1项已取消）", "—"]


# -- overdue with the fixed as-of date 2023-03-15 ------------------------------
def test_overdue_tasks_stand_out(fx):
    out = fx[0]
    index = read(out, "2022/plan")
    assert "进度统计截至2023年3月15日" in index
    overdue_rows = re.findall(r'<tr class="loop-row--overdue"><td><a href="[^"]+">([^<]+)</a>', index)
    assert overdue_rows == ["1.1.2", "2.1.1"]  # Feb task in progress; due Mar 14, not started
    tasks = read(out, "2022/plan/tasks")
    assert ids_of(tasks, r'<tr class="loop-row loop-row--overdue"><td id="task-([^"]+)"') == ["t1.1.2", "t2.1.1"]
    # not overdue: due in March (ends Mar 31), cancelled, due on the as-of day itself
    for ident in ("t1.1.3", "t1.2.1", "t2.1.2", "t1.1.1"):
        assert f'<tr class="loop-row"><td id="task-{ident}"' in tasks
    assert row_of(index, "1.1.2")[1:] == ["任务二", "组织委员", "2023年2月", "进行中逾期"]
    assert row_of(index, "2.1.1")[1:] == ["任务六", "宣传委员", "2023年3月14日", "未开始逾期"]


def test_overdue_reminders(fx):
    html = read(fx[0], "2022/plan/reminders")
    assert ids_of(html, r'<tr id="reminder-(\w+)" class="loop-row--overdue"') == ["r2"]
    assert row_of(html, "元旦春节")[1:3] == ["2023年1月21日", "2023年1月16日"]


def test_as_of_defaults_to_the_build_date(tmp_path):
    project = use_fixture_data(copy_project(tmp_path / "project"))
    edit(project / "data/2022/report.yaml", "as_of: 2023-03-15\n", "")
    result = build(project, tmp_path / "out", strict=False)
    assert result.returncode == 0, result.stderr
    today = date.today()
    html = read(tmp_path / "out", "2022/plan")
    assert f"进度统计截至{today.year}年{today.month}月{today.day}日（构建当天）" in html


# -- 问题整改清单 -------------------------------------------------------------
def test_problems_roll_up_from_measures(fx):
    out, result = fx
    html = read(out, "2022/checklists/rectification")
    texts = [b.text for b in blocks(html)]
    i = texts.index("问题一：问题甲")
    closed = "已销号（2023年3月支委会审议，2023年3月10日）"
    assert texts[i + 1] == f"整改状态：已整改　{closed}　100%（已完成1/1项，另有1项已取消）"
    i = texts.index("问题二：问题乙")
    assert texts[i + 1] == "整改状态：整改中　未销号　20%（已完成1/5项）"
    assert "共3个问题，已销号1个、未销号2个" in html
    measure_links = re.findall(r'<td><a href="([^"]+)">甲措施一</a>', html)
    assert measure_links == ["../../plan/tasks/#measure-m1.1"]


def test_unanswered_problem_is_flagged_on_page_and_by_build(fx, tmp_path):
    out, result = fx
    html = read(out, "2022/checklists/rectification")
    i = html.index('id="problem-p3"')
    assert "未对应整改措施" in html[i:]
    project = use_fixture_data(copy_project(tmp_path / "p"))
    cmd = [*MKDOCS, "build", "--strict", "-d", str(tmp_path / "strict"), "-f", str(project / "mkdocs.yml")]
    loud = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=ENV, timeout=300)
    assert "data/2022/checklist.yaml:5: 问题 p3（问题丙）没有对应的整改措施" in loud.stderr
    assert loud.returncode != 0, "a strict build refuses to publish with an unanswered problem"


# -- 党建工作清单 -------------------------------------------------------------
def test_checklist_checkboxes_and_counts(fx):
    html = read(fx[0], "2022/checklists/party-building")
    boxes = re.findall(r'<input type="checkbox" disabled( checked)? aria-label="([^"]+)"/>', html)
    assert boxes == [(" checked", "已完成"), ("", "进行中"), ("", "已取消")]
    heads = [b.text for b in blocks(html) if b.tag == "h2"]
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
    html = read(fx[0], "2022/checklists/compliance")
    for rule, (value, verdict, reason) in EXPECTED_VERDICTS.items():
        row = re.search(rf'<tr id="rule-{re.escape(rule)}"[^>]*>(.*?)</tr>', html, re.S).group(1)
        texts = cells(f"<tr>{row}</tr>")[0]
        assert texts[3] == value, rule
        assert texts[4] == verdict + reason, rule
    assert "达标1项，未达标2项，待填2项，不适用1项" in html


def test_rule_source_and_wording_on_hover(fx):
    html = read(fx[0], "2022/checklists/compliance")
    local = re.search(r'<tr id="rule-lecture.secretary".*?</tr>', html, re.S).group(0)
    assert '<span class="loop-source loop-source--local">本单位规定</span>' in local
    assert "党内法规" not in local
    assert 'title="规定要点：党员大会一般每季度召开1次。">每年不少于4次</span>' in html
    assert "每个党小组，每年不少于12次" in html


# -- home page and the report's problems page ----------------------------------
def test_home_overview(fx):
    html = read(fx[0], "")
    texts = [b.text for b in blocks(html)]
    assert "33%（已完成2/6项，另有1项已取消）" in texts
    assert "逾期任务：2项（截至2023年3月15日）" in texts
    assert "共3个问题，已销号1个、未销号2个" in texts
    assert [t for t in texts if t.startswith("问题")] == ["问题二：问题乙 整改中", "问题三：问题丙 整改中"]
    assert ["达标 1项", "未达标 2项", "待填 2项", "不适用 1项"] == [t for t in texts if t.endswith("项") and " " in t]
    for href in ("2022/plan/", "2022/checklists/rectification/", "2022/checklists/compliance/"):
        assert f'href="{href}"' in html


def test_problems_page_points_to_rectification_but_full_text_does_not(fx):
    out = fx[0]
    link = '整改情况见<a href="../checklists/rectification/">问题整改清单</a>（共3个问题，已销号1个、未销号2个）'
    assert link in read(out, "2022/problems")
    assert "问题整改清单" not in read(out, "2022/full")
    plans = read(out, "2022/plans")
    assert '这四项打算在<a href="../plan/">2023年工作计划</a>中分解为措施和任务逐项落实（已完成33%）' in plans
    note = r'<div class="admonition info site-note" role="note">\s*<p class="admonition-title">本站说明'
    assert re.search(note, plans)
    assert "本站说明" not in read(out, "2022/full").split('class="report-body"')[1]


# -- the real site --------------------------------------------------------------
LOOP_PAGES = ["", "2022/problems", "2022/plans", "2022/plan", "2022/plan/tasks", "2022/plan/by-status",
              "2022/plan/by-owner", "2022/plan/reminders", "2022/checklists", "2022/checklists/rectification",
              "2022/checklists/party-building", "2022/checklists/compliance"]


def test_every_link_resolves(site):
    checked = 0
    for page in LOOP_PAGES:
        html = read(site, page)
        content = html[html.index("md-content__inner"):]
        for href in re.findall(r'href="([^"]+)"', content):
            if href.startswith(("http:", "https:", "mailto:")):
                pytest.fail(f"{page}: external link {href}")
            path, _, anchor = href.partition("#")
            base = (site / page / path).resolve() if path else (site / page).resolve()
            target = base / "index.html" if base.is_dir() else base
            assert target.exists(), (page, href)
            if anchor:
                assert f'id="{anchor}"' in target.read_text("utf-8"), (page, href)
            checked += 1
    assert checked > 100


def test_tabs_and_pages(site):
    html = read(site, "2022/plan")
    tabs = re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*([^<]+?)\s*<', html)
    assert tabs[:4] == ["首页", "报告", "清单", "计划"]
    for page in LOOP_PAGES:
        assert "示例数据，请替换为实际数据" in read(site, page)
        assert "计划和清单的完成状态、问题销号记录、廉政提醒的发出情况也是示例" in read(site, page)


def test_changing_a_status_changes_every_place(tmp_path):
    project = copy_project(tmp_path / "project")
    before = build(project, tmp_path / "before", strict=True)
    assert before.returncode == 0, before.stderr
    edit(project / "data/2022/plan.yaml", "title: 举办读书班\n            owner: 宣传委员\n            due: 2023-06\n"
         "            status: 未开始", "title: 举办读书班\n            owner: 宣传委员\n            due: 2023-06\n"
         "            status: 已完成")
    after = build(project, tmp_path / "after", strict=True)
    assert after.returncode == 0, after.stderr
    b, a = tmp_path / "before", tmp_path / "after"
    plan_b, plan_a = text(b, "2022/plan"), text(a, "2022/plan")
    assert "总体进度：40%（已完成10/25项，另有1项已取消）逾期3项" in plan_b
    assert "总体进度：44%（已完成11/25项，另有1项已取消）逾期2项" in plan_a
    assert "二\n思想理论武装\n3\n25%（已完成1/4项）\n1\n" in plan_b
    assert "二\n思想理论武装\n3\n50%（已完成2/4项）\n—\n" in plan_a
    assert "2.2.1\n举办读书班" in plan_b and "2.2.1\n举办读书班" not in plan_a
    assert "逾期任务：3项" in text(b, "") and "逾期任务：2项" in text(a, "")
    assert "44%（已完成11/25项，另有1项已取消）" in text(a, "")
    done_b, done_a = (int(row_of(read(x, "2022/plan/by-status"), "已完成")[1]) for x in (b, a))
    assert done_a == done_b + 1
    assert "宣传委员" in text(a, "2022/plan/by-owner")
    tasks_a = read(a, "2022/plan/tasks")
    assert re.search(r'<tr class="loop-row"><td id="task-t2.2.1">.*?已完成', tasks_a)


def test_fixed_sets_have_one_definition():
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


def test_progress_and_overdue_readable_in_print(served, browser):
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.emulate_media(media="print")
    page.goto(served + "2022/plan/")
    overall = page.locator(".loop-overall")
    assert overall.locator(".loop-progress__percent").inner_text() == "40%"
    assert overall.locator(".loop-progress__percent").is_visible()
    js = ("s => { const c = getComputedStyle(document.querySelector(s));"
          " return [c.borderTopStyle, c.printColorAdjust, c.color]; }")
    assert page.evaluate(js, ".loop-overall .loop-progress__track")[:2] == ["solid", "exact"]
    assert page.evaluate(js, ".loop-overdue")[2] == "rgb(0, 0, 0)"  # black text on white, the word 逾期 stays
    assert page.locator(".loop-overdue").first.inner_text().endswith("逾期")
    assert page.evaluate(js, "a.loop-overdue-count")[2] == "rgb(0, 0, 0)"
    page.emulate_media(media="screen")
    page.goto(served + "2022/checklists/compliance/")
    rule = page.locator("#rule-general_meetings .loop-rule")
    gist = "党支部党员大会是党支部的议事决策机构，由全体党员参加，一般每季度召开1次。"
    assert rule.get_attribute("title") == f"规定要点：{gist}"
    page.close()
    assert requests and all(url.startswith(served) for url in requests), requests


def test_text_from_yaml_is_escaped(tmp_path):
    project = copy_project(tmp_path / "project")
    plan = project / "data/2022/plan.yaml"
    edit(plan, "title: 学习贯彻党的二十大精神", 'title: "*学习* <b>贯彻</b> {#x} [链](http://a)"')
    edit(plan, "title: 举办读书班", 'title: "<script>alert(1)</script>读书班"')
    problem = "title: 服务意识有待提高，发挥参谋助手能力有待加强"
    edit(project / "data/2022/checklist.yaml", problem, 'title: "服务&<i>意识</i>"')
    result = build(project, tmp_path / "out", strict=True)
    assert result.returncode == 0, result.stderr
    tasks = read(tmp_path / "out", "2022/plan/tasks")
    assert '<h3 id="measure-m1.1">*学习* &lt;b&gt;贯彻&lt;/b&gt; {#x} [链](http://a)</h3>' in tasks
    assert "&lt;script&gt;alert(1)&lt;/script&gt;读书班" in read(tmp_path / "out", "2022/plan")
    assert "<script>alert(1)" not in tasks + read(tmp_path / "out", "2022/plan")
    assert "问题一：服务&amp;&lt;i&gt;意识&lt;/i&gt;</h2>" in read(tmp_path / "out", "2022/checklists/rectification")


def test_redacted_build_withholds_compliance_verdicts(tmp_path):
    """A verdict tells how a masked figure compares with the minimum: the 脱敏版 does not show it."""
    out = tmp_path / "out"
    result = build(copy_project(tmp_path / "project"), out, strict=True, env={"REDACTED": "true"})
    assert result.returncode == 0, result.stderr
    for page in ("2022/checklists/compliance", ""):
        html = read(out, page)
        assert "脱敏版不显示对标结论" in html
        assert "达标" not in html and "loop-verdict" not in html, page
    index = json.loads((out / "search/search_index.json").read_text("utf-8"))
    assert "达标" not in json.dumps(index, ensure_ascii=False).replace("\u200b", "")  # jieba's word breaks
    assert "40%" in text(out, "2022/plan")  # plan progress is not a masked figure
