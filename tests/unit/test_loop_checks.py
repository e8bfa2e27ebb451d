"""Integrity of the plan, checklists, reminders and rules: one bad value per rule, in a copy of the
data, loaded as the build loads it. Each stops the build (even a preview) before a page is written,
with one Chinese line naming file, line and id."""

from __future__ import annotations

import pytest
from helpers.files import data_copy, line_of, load_errors

CASES = [
    # (id, file, old, new, expected message after "file:line: ")
    ("task status", "data/2022/plan.yaml", "status: 已完成", "status: 完成",
     "状态 (goals.0.measures.0.tasks.0.status)：应为 未开始、进行中、已完成、已取消 之一，实际为 \"完成\"；"
     "是否是 已完成？（编号 t1.1.1）"),
    ("task owner", "data/2022/plan.yaml", "owner: 书记", "owner: 主任",
     "牵头人 (goals.0.measures.0.tasks.0.owner)：应为 书记、组织委员、宣传委员、纪检委员 之一，"
     "实际为 \"主任\"（编号 t1.1.1）"),
    ("item category", "data/2022/checklist.yaml", "category: 政治建设", "category: 政治",
     "类别 (items.0.category)：应为 政治建设、思想建设、组织建设、作风建设、纪律建设、制度建设 之一，实际为 \"政治\"；"
     "是否是 政治建设？（编号 c01）"),
    ("problem deadline", "data/2022/checklist.yaml", "deadline: 2023-06-30", "deadline: 2022-06-30",
     "问题 p2 的整改时限 2022-06-30 不在清单年度 2023 年内"),
    ("problem owner", "data/2022/checklist.yaml", "owner: 宣传委员\n    deadline", "owner: 全体党员\n    deadline",
     "责任人 (problems.1.owner)：应为 书记、组织委员、宣传委员、纪检委员 之一，实际为 \"全体党员\"（编号 p2）"),
    ("item status", "data/2022/checklist.yaml", "status: 进行中", "status: 进行",
     "状态 (items.0.status)：应为 未开始、进行中、已完成、已取消 之一，实际为 \"进行\"；是否是 进行中？（编号 c01）"),
    ("item owner", "data/2022/checklist.yaml", "owner: 书记", "owner: 支部书记",
     "牵头人 (items.0.owner)：应为 书记、组织委员、宣传委员、纪检委员 之一，实际为 \"支部书记\"；是否是 书记？（编号 c01）"),
    ("reminder status", "data/2022/reminders.yaml", "status: 已发出", "status: done",
     "状态 (reminders.0.status)：应为 待发出、已发出、已取消 之一，实际为 \"done\"（编号 r1）"),
    ("rule source", "data/rules.yaml", "source: 本单位规定", "source: 通行做法",
     "来源 (rules.lecture.secretary.source)：应为 党内法规、本单位规定 之一，实际为 \"通行做法\""),
    ("due format", "data/2022/plan.yaml", "due: 2023-03", "due: 2023-13",
     "完成时限 (goals.0.measures.0.tasks.0.due)：应写成 2023-03（月）、2023-Q2（季度）或 2023-03-15（日），"
     "实际为 \"2023-13\"（编号 t1.1.1）"),
    ("due impossible day", "data/2022/plan.yaml", "due: 2023-03", "due: 2023-02-30",
     "完成时限 (goals.0.measures.0.tasks.0.due)：应写成 2023-03（月）、2023-Q2（季度）或 2023-03-15（日），"
     "实际为 \"2023-02-30\"（编号 t1.1.1）"),
    ("due outside the plan year", "data/2022/plan.yaml", "due: 2023-03", "due: 2024-03",
     "任务 t1.1.1 的完成时限 2024-03 不在计划年度 2023 年内"),
    ("reminder date invalid", "data/2022/reminders.yaml", "date: 2023-01-16", "date: 2023-01-32",
     "提醒日期 (reminders.0.date)：放假首日之前；放假安排尚未公布时写 待填，实际为 \"2023-01-32\"（编号 r1）"),
    ("reminder after its holiday", "data/2022/reminders.yaml", "date: 2023-03-31", "date: 2023-04-06",
     "提醒 r2 的提醒日期 2023-04-06 不早于放假首日 2023-04-05；廉政提醒应在放假之前发出"),
    ("reminder outside the year", "data/2022/reminders.yaml", "date: 2023-01-16", "date: 2022-12-30",
     "提醒 r1 的提醒日期 2022-12-30 不在 2023 年内"),
    ("as-of date invalid", "data/2022/report.yaml", "as_of: 2023-07-31", "as_of: 2023-07-32",
     "进度统计截至日期 (as_of)：日期应写成 2023-01-10 的形式且真实存在，实际为 \"2023-07-32\""),
    ("duplicate id", "data/2022/plan.yaml", "id: t1.1.2", "id: t1.1.1",
     "编号 t1.1.1 重复（第 {first} 行已有）"),
    ("duplicate item id", "data/2022/checklist.yaml", "id: c02", "id: c01",
     "清单事项编号 c01 重复（第 {first} 行已有）"),
    ("problem → measure", "data/2022/checklist.yaml", "measures: [m2.3, m4.1, m4.3]", "measures: [m2.3, m4.1, m9.3]",
     "问题 p1 的整改措施 m9.3 在计划措施（data/2022/plan.yaml）中不存在；是否是 m4.3？"),
    ("item → task", "data/2022/checklist.yaml", "task: t1.1.1", "task: t1.1.9",
     "清单事项 c01 的任务 t1.1.9 在计划任务中不存在；是否是 t1.1.2？"),
    ("item → rule", "data/2022/checklist.yaml", "rule: general_meetings", "rule: general_meeting",
     "清单事项 c08 的规则 general_meeting 在对标规则（data/rules.yaml）中不存在；是否是 general_meetings？"),
    ("reminder → task", "data/2022/reminders.yaml", "task: t4.5.1", "task: t4.5.2",
     "提醒 r1 的任务 t4.5.2 在计划任务中不存在；是否是 t4.6.2？"),
    ("rule → figure", "data/rules.yaml", "figure: branch.general_meetings", "figure: branch.general_meeting",
     "规则 general_meetings 的数据项 branch.general_meeting 不存在；是否是 branch.general_meetings？"),
    ("rule → count figure", "data/rules.yaml", "figure: lecture.secretary", "figure: publicity.newspaper",
     "规则 lecture.secretary 的数据项 publicity.newspaper 不是次数，无法对标"),
    ("not applicable → rule", "data/2022/compliance.yaml", "not_applicable: {}", "not_applicable: {group_meeting: 未设}",
     "不适用规则 group_meeting 在对标规则（data/rules.yaml）中不存在；是否是 group_meetings？"),
    ("checklist year ≠ plan year", "data/2022/checklist.yaml", "year: 2023", "year: 2024",
     "清单年度 2024 与计划年度 2023 不一致"),
    ("rule minimum", "data/rules.yaml", "minimum: 4", "minimum: 四",
     "每年最低次数 (rules.general_meetings.minimum)：应为整数，实际为 \"四\""),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_value_stops_the_build(tmp_path, file, old, new, message):
    root = data_copy(tmp_path / "p", records=False)
    path = root / file
    text = path.read_text("utf-8")
    line = line_of(path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")
    if "{first}" in message:  # the line of the id that was there first
        message = message.format(first=line_of(path, new))
    lines = load_errors(root)
    assert f"{file}:{line}: {message}" in lines, lines
    assert lines[-1].endswith("处数据错误，已停止构建，网站未更新。")


def test_all_errors_of_a_run_are_listed_together(tmp_path):
    root = data_copy(tmp_path / "p", records=False)
    edits = [
        ("data/2022/plan.yaml", "owner: 书记", "owner: 主任"),
        ("data/2022/checklist.yaml", "category: 政治建设", "category: 政治"),
        ("data/rules.yaml", "source: 本单位规定", "source: 惯例"),
        ("data/2022/figures.yaml", "docs.plans: 36", "docs.plans: 三十六"),
    ]
    for file, old, new in edits:
        path = root / file
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    lines = load_errors(root)
    assert sorted(line.split(":")[0] for line in lines[:-1]) == sorted(file for file, _, _ in edits)
    assert lines[-1] == "发现 4 处数据错误，已停止构建，网站未更新。"
