"""Owner rules, 销号 by a 支委会, 建议纳入整改, 校对提示: data checks and pure logic, in-process."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from macros.core import proofreading
from macros.core.checklists import RECTIFIED, RECTIFYING, problem_counts
from macros.core.errors import DataErrors
from macros.core.load import load_site
from macros.core.reading import validate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT, ROOT / "docs")


def copy(tmp_path: Path) -> Path:
    for part in ("data", "docs"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def errors_after(tmp_path, file: str, old: str, new: str) -> str:
    root = copy(tmp_path)
    path = root / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(DataErrors) as exc:
        load_site(root, root / "docs")
    return str(exc.value)


# -- owners -------------------------------------------------------------------
def test_no_owner_is_all_members_anywhere():
    for name in ("plan", "checklist", "reminders"):
        text = (ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8")
        owners = re.findall(r'"owner": \{[^}]*"enum": \[([^\]]*)\]', text)
        assert owners and all("全体党员" not in o for o in owners), name
    plan = validate.schema("plan")["$defs"]
    assert "全体党员" in plan["participants"]["items"]["enum"]


def test_meetings_are_convened_by_the_secretary(site):
    rules = site.loops.rules
    for rid in ("general_meetings", "committee_meetings"):
        assert rules[rid].convener == "书记"
        assert rules[rid].convener_basis.startswith("《中国共产党支部工作条例（试行）》第十四条")
    checklist = site.loops.years[2022].checklist
    meeting_items = [i for i in checklist.items if i.rule_id in ("general_meetings", "committee_meetings")]
    assert len(meeting_items) == 2 and {i.owner for i in meeting_items} == {"书记"}
    tasks = site.loops.years[2022].plan.tasks.values()
    assert all(t.owner != "全体党员" for t in tasks) and all(i.owner != "全体党员" for i in checklist.items)




def test_owner_error_names_file_line_and_rule(tmp_path):
    root = copy(tmp_path)
    path = root / "data/2022/checklist.yaml"
    data = path.read_text("utf-8")
    start = data.index("    title: 召开支部党员大会\n")
    owner_at = data.index("    owner: 书记\n", start)
    path.write_text(data[:owner_at] + "    owner: 组织委员\n" + data[owner_at + len("    owner: 书记\n"):], "utf-8")
    with pytest.raises(DataErrors) as exc:
        load_site(root, root / "docs")
    line = data[:owner_at].count("\n") + 1
    message = str(exc.value)
    assert f"data/2022/checklist.yaml:{line}:" in message
    assert "牵头人应为 书记，而不是 组织委员" in message and "第十四条" in message


def test_all_members_as_owner_is_refused(tmp_path):
    old = "            owner: 组织委员\n            participants: [全体党员]"
    message = errors_after(tmp_path, "data/2022/plan.yaml", old, "            owner: 全体党员")
    assert "data/2022/plan.yaml:" in message and "全体党员" in message


# -- 问题整改清单 ----------------------------------------------------------------
def test_problem_titles_state_problems_and_status_words(site):
    checklist = site.loops.years[2022].checklist
    assert [p.title for p in checklist.problems][0] == "服务意识有待提高，发挥参谋助手能力有待加强"
    assert {p.state for p in checklist.problems} <= {RECTIFYING, RECTIFIED}
    assert problem_counts(checklist.problems) == "共3个问题，已销号0个、未销号3个"


CLOSED = "    measures: [m2.3, m4.1, m4.3]\n    closed: {meeting: 2023年第三季度支委会, date: 2023-09-20}\n"


def test_closing_needs_done_measures(tmp_path):
    message = errors_after(tmp_path, "data/2022/checklist.yaml", "    measures: [m2.3, m4.1, m4.3]\n",
                           CLOSED)
    assert "问题 p1 已填写销号，但它的整改措施尚未全部完成" in message


def test_closing_is_recorded_by_a_committee_meeting(tmp_path):
    message = errors_after(tmp_path, "data/2022/checklist.yaml", "    measures: [m2.3, m4.1, m4.3]\n",
                           "    measures: [m2.3, m4.1, m4.3]\n    closed: {meeting: 处室会, date: 2023-09-20}\n")
    assert "data/2022/checklist.yaml:" in message and "closed" in message


def test_closed_after_review(tmp_path):
    root = copy(tmp_path)
    plan = root / "data/2022/plan.yaml"
    plan.write_text(re.sub(r"status: (进行中|未开始)", "status: 已完成", plan.read_text("utf-8")), "utf-8")
    checklist = root / "data/2022/checklist.yaml"
    checklist.write_text(checklist.read_text("utf-8").replace(
        "    measures: [m2.3, m4.1, m4.3]\n",
        "    measures: [m2.3, m4.1, m4.3]\n    closed: {meeting: 2023年第三季度支委会, date: 2023-09-20}\n"), "utf-8")
    (root / "data/records/2023/2023-09-20-committee_meeting.yaml").write_text(  # the 支委会 that closed it
        "type: committee_meeting\ndate: 2023-09-20\ntopic: 审议问题整改销号\nhost: 张某某\nrecorder: 李某某\n"
        "evidence: 会议记录本\n", "utf-8")
    problems = load_site(root, root / "docs").loops.years[2022].checklist.problems
    assert [(p.id, p.state, p.awaiting_review) for p in problems] == [
        ("p1", RECTIFIED, False), ("p2", RECTIFYING, True), ("p3", RECTIFYING, True)]
    assert problems[0].closure.meeting == "2023年第三季度支委会"
    assert problem_counts(problems) == "共3个问题，已销号1个、未销号2个"


def test_not_met_is_proposed_for_rectification(site):
    loop = site.loops.years[2022]
    values = site.years[2022].values
    expected = [r.rule.id for r in loop.results if r.verdict == "未达标"]
    assert [p.result.rule.id for p in loop.proposals] == expected
    assert ("theme_day" in expected) == (values["theme_day.activities"] < 12)
    theme = next(p for p in loop.proposals if p.result.rule.id == "theme_day")
    assert theme.title == "主题党日未达到规定要求"
    # the months missed are named (the 台账 judges month by month)
    assert theme.detail.startswith(f"全年{values['theme_day.activities']}次（未开展：1月、8月、12月），规定每年不少于12次")


# -- rules ----------------------------------------------------------------------
VERIFIED = {"第十一条", "第十二条", "第十三条", "第十四条"}  # checked against the official text (see rules.yaml)


def test_rules_cite_only_verified_articles():
    text = (ROOT / "data/rules.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    cited = set()
    for rule in data["rules"].values():
        cited |= set(re.findall(r"第[一二三四五六七八九十]+条", rule["basis"] + rule.get("convener_basis", "")))
        assert "wording" not in rule
    assert cited <= VERIFIED
    assert "每两人" not in text
    assert data["rules"]["heart_to_heart"]["per"] == "党支部委员之间、党支部委员和党员之间、党员和党员之间"
    lecture = data["rules"]["lecture.secretary"]
    assert lecture["source"] == "本单位规定" and lecture["sample"] is True and "（" not in lecture["basis"]


# -- 校对提示 --------------------------------------------------------------------
def test_notes_are_placed_after_their_paragraph():
    note = proofreading.Note("a.md", "汇款单", "疑为清单。", 3)
    text = "# 标题\n\n第一段。\n\n制定汇款单，\n接着写。\n\n第三段。"
    assert proofreading.place(text, [(0, note)]) == (
        "# 标题\n\n第一段。\n\n制定汇款单，\n接着写。\n\n{{ proofreading_note(0) }}\n\n第三段。")


def test_every_note_quotes_the_issued_text_once(site):
    seed = (ROOT / "tests/fixtures/seed_2022.txt").read_text("utf-8")
    notes = site.loops.years[2022].notes
    quotes = {n.quote for n in notes}
    assert quotes == {"党建工作汇款单", "严格遵党规党纪内容", "着力抓好巡视工作整治工作落实", "各类会议近",
                      "对年初工作进行细致"}
    assert all(seed.count(q) == 1 for q in quotes)


def test_a_quote_not_in_the_page_is_an_error(tmp_path):
    message = errors_after(tmp_path, "data/2022/proofreading.yaml", "quote: 对年初工作进行细致",
                           "quote: 对年初工作进行细致分解")
    assert "data/2022/proofreading.yaml:" in message and "找不到" in message
