"""台账 (issue 13) in-process on small data folders: loading, derived figures, the monthly grid,
谈心谈话 coverage, checklist ticks, 本月待办 and the masked (redacted / offline) render."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from macros.core.errors import DataErrors
from macros.core.load import load_site
from macros.core.records import ledger
from macros.core.redact import masked_data
from macros.pages.context import BuildContext, Here
from macros.pages.records import RecordsRenderer

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["甲某某", "乙某某", "丙某某", "丁某某"]
ROSTER = """members:
  - {name: 甲某某, role: 书记, group: 第一党小组, status: 正式}
  - {name: 乙某某, role: 组织委员, group: 第一党小组, status: 正式}
  - {name: 丙某某, role: 党员, group: 第一党小组, status: 正式}
  - {name: 丁某某, role: 党员, group: 第一党小组, status: 预备, joined: 2021-10-15}
"""
CATALOGUE = """figures:
  branch.committee_meetings:
    label: 召开支委会次数
    unit: 次
    type: count
    section: 一、（二）
    derived: {type: committee_meeting}
  theme_day.red_films:
    label: 组织观看红色影片次数
    unit: 次
    type: count
    section: 一、（二）
    derived: {type: theme_day, tag: 观看红色影片}
"""
TYPES = """types:
  committee_meeting: {name: 支部委员会会议, frequency: month, attendance: committee, rule: committee_meetings}
  theme_day: {name: 主题党日, frequency: month, attendance: members}
  heart_talk: {name: 谈心谈话, frequency: null, attendance: pair}
"""


def record(type_, day, **fields) -> str:
    lines = [f"type: {type_}", f"date: {day}", f"topic: {fields.pop('topic', '研究工作')}",
             f"evidence: {fields.pop('evidence', '会议记录本')}"]
    lines += [f"{k}: {v}" for k, v in fields.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture()
def site(tmp_path) -> Path:
    """A branch with 4 members; 支委会 in Jan–Mar 2022 but not in February; one red-film 主题党日."""
    root = tmp_path
    data = root / "data"
    (data / "2022").mkdir(parents=True)
    shutil.copy(ROOT / "data/branch.yaml", data / "branch.yaml")
    (data / "catalogue.yaml").write_text(CATALOGUE, "utf-8")
    (data / "activity_types.yaml").write_text(TYPES, "utf-8")
    (data / "2022/report.yaml").write_text(
        "title: 2022年报告\ndate: 2023-01-10\nas_of: 2022-04-10\nsample: false\n", "utf-8")
    (data / "2022/figures.yaml").write_text("{}\n", "utf-8")
    folder = data / "records/2022"
    folder.mkdir(parents=True)
    (folder / "roster.yaml").write_text(ROSTER, "utf-8")
    write = lambda name, text: (folder / name).write_text(text, "utf-8")  # noqa: E731
    write("2022-01-10-committee_meeting.yaml",
          record("committee_meeting", "2022-01-10", host="甲某某", recorder="乙某某"))
    write("2022-03-10-committee_meeting.yaml", record(
        "committee_meeting", "2022-03-10", host="甲某某", recorder="乙某某",
        absent="[{name: 乙某某, reason: 出差}]"))
    write("2022-01-25-theme_day.yaml", record("theme_day", "2022-01-25", topic="观看红色影片", host="甲某某",
                                              tags="[观看红色影片]"))
    write("2022-02-25-theme_day.yaml", record("theme_day", "2022-02-25", topic="学习甲某某同志的发言", host="甲某某"))
    write("2022-03-01-heart_talk.yaml", record("heart_talk", "2022-03-01", host="甲某某", people="[甲某某, 丙某某]"))
    write("2022-03-02-heart_talk.yaml", record("heart_talk", "2022-03-02", host="丙某某", people="[丙某某, 丁某某]"))
    (root / "docs/2022").mkdir(parents=True)  # each data year has its pages (scan.check_year_folders)
    return root


def view(data, site: Path, as_of: date = date(2022, 4, 10)) -> RecordsRenderer:
    return RecordsRenderer(data, site / "docs", as_of, True)


def at(page: str, ctx: BuildContext | None = None) -> Here:
    return Here(page, ctx or BuildContext())


def messages(exc: DataErrors) -> list[str]:
    return [e.render() for e in exc.errors]


def test_records_load_with_attendance_from_the_roster(site):
    data = load_site(site)
    records = data.records[2022]
    assert len(records.items) == 6
    march = [r for r in records.of_type("committee_meeting") if r.date == date(2022, 3, 10)][0]
    assert (march.expected, march.present) == (2, 1)  # 支委会: the two committee members, one away
    assert march.absent == (("乙某某", "出差"),)
    day = records.of_type("theme_day")[0]
    assert (day.expected, day.present) == (4, 4)


def test_derived_figures_are_counted_from_the_records(site):
    data = load_site(site)
    assert data.years[2022].values["branch.committee_meetings"] == 2
    assert data.years[2022].values["theme_day.red_films"] == 1  # only the tagged 主题党日
    assert not data.warnings


def test_a_typed_figure_that_disagrees_with_the_records_names_both_numbers(site):
    (site / "data/2022/figures.yaml").write_text("# 说明\nbranch.committee_meetings: 12\n", "utf-8")
    data = load_site(site)
    [warning] = data.warnings
    assert warning.render() == (
        "data/2022/figures.yaml:2: 召开支委会次数 (branch.committee_meetings)：报告写12次，台账记录2次"
        "（data/records/2022/*-committee_meeting*.yaml）；请核对后删去此行，以台账为准")
    assert data.years[2022].values["branch.committee_meetings"] == 2


def test_a_typed_figure_that_agrees_is_no_warning(site):
    (site / "data/2022/figures.yaml").write_text("branch.committee_meetings: 2\n", "utf-8")
    assert not load_site(site).warnings


def test_bad_records_are_chinese_file_line_errors(site):
    folder = site / "data/records/2022"
    (folder / "2022-05-10-theme_day.yaml").write_text(
        record("committee_meeting", "2022-05-10", host="戊某某"), "utf-8")
    (folder / "2022-06-10-committee_meeting.yaml").write_text(record("committee_meeting", "2023-06-10"), "utf-8")
    (folder / "2022-07-10-committee_meeting.yaml").write_text("type: committee_meeting\ndate: 2022-07-32\n", "utf-8")
    with pytest.raises(DataErrors) as caught:
        load_site(site)
    found = messages(caught.value)
    may, june, july = (f"data/records/2022/2022-0{m}-10-{t}.yaml" for m, t in
                       [(5, "theme_day"), (6, "committee_meeting"), (7, "committee_meeting")])
    assert f"{may}:1: 文件名中的活动类型 theme_day 与内容 type: committee_meeting 不一致" in found
    assert f"{may}:5: 戊某某 不在 2022 年党员名册中" in found  # another surname: no guess
    assert any(m.startswith(f"{june}:2: 文件名中的日期 2022-06-10") for m in found)
    assert any(m.startswith(f"{june}:2: 日期 2023-06-10 不在 2022 年内") for m in found)
    assert any(m.startswith(f"{july}:2: 日期 (date)：日期应写成") for m in found)
    assert any("缺少必填项 topic" in m for m in found)


def test_a_draft_shows_unfilled_and_a_strict_build_lists_it(site):
    folder = site / "data/records/2022"
    (folder / "2022-04-01-theme_day.yaml").write_text(record("theme_day", "2022-04-01", host="待填", evidence="待填"),
                                                      "utf-8")
    data = load_site(site)
    draft = [r for r in data.records[2022].items if r.date == date(2022, 4, 1)][0]
    assert draft.host is None and set(draft.unfilled) == {"host", "evidence"}
    assert [e.render() for e in data.unfilled()] == [
        "data/records/2022/2022-04-01-theme_day.yaml:1: 主题党日记录的 evidence、host：待填"]
    html = view(data, site).ledger(at("records/2022/ledger.md"))
    assert 'class="records-unfilled">待填' in html


def test_a_missed_month_is_named_and_later_months_are_not_due(site):
    data = load_site(site)
    rows = {r.type.key: r for r in ledger.grid(data.records[2022], date(2022, 4, 10))}
    committee = rows["committee_meeting"]
    states = [p.state for p in committee.periods]
    assert states[:5] == [ledger.HELD, ledger.MISSED, ledger.HELD, ledger.CURRENT, ledger.NOT_DUE]
    assert [p.name for p in committee.missed] == ["2022年2月"]
    assert (committee.held, committee.due) == (2, 3)
    assert rows["theme_day"].missed[0].label == "3月"
    html = view(data, site).overview(at("records/2022/index.md"))
    assert "支部委员会会议 2月" in html and "主题党日 3月" in html


def test_heart_talk_coverage_enumerates_committee_pairs_only(site):
    coverage = ledger.heart_coverage(load_site(site).records[2022])
    # 甲乙 (委员之间) + 甲丙 甲丁 乙丙 乙丁 (委员和党员之间); 丙丁 is 党员和党员之间: counted, not required
    assert len(coverage.pairs) == 5
    assert coverage.held == 1
    assert {frozenset((p.a.name, p.b.name)) for p in coverage.missing} == {
        frozenset(x) for x in [("甲某某", "乙某某"), ("甲某某", "丁某某"), ("乙某某", "丙某某"), ("乙某某", "丁某某")]}
    assert len(coverage.others) == 1


def test_periodic_checklist_item_is_ticked_per_month(site):
    tick = ledger.tick(load_site(site).records[2022], "committee_meeting", date(2022, 4, 10))
    assert tick.text == "已开展2/12个月，2月未开展"
    assert tick.status == "进行中"


def test_this_month_lists_what_is_not_yet_held_with_links(site):
    data = load_site(site)
    html = view(data, site).this_month(at("index.md"))
    assert "支部委员会会议：2022年4月尚未开展" in html
    assert 'href="records/2022/ledger/#支部委员会会议"' in html
    assert "谈心谈话：尚有4对未谈（共5对）" in html
    other = view(data, site, date(2023, 4, 10)).this_month(at("index.md"))
    assert "2023年的台账尚未建立，4月和第二季度的会议和活动无法核对" in other
    assert "无。" not in other and "计划任务和廉政提醒中没有本月、本季度到期的事项。" in other  # never 无 beside 无法核对


@pytest.mark.parametrize("ctx", [BuildContext(redacted=True), BuildContext(offline=True, directory_urls=False)],
                         ids=["redacted", "offline"])
def test_masked_render_has_no_name(site, ctx):
    data = load_site(site)
    renderer = view(data, site)
    pages = [renderer.overview(at("records/2022/index.md", ctx)), renderer.talks(at("records/2022/index.md", ctx)),
             renderer.ledger(at("records/2022/ledger.md", ctx)), renderer.this_month(at("index.md", ctx))]
    text = "".join(str(p) for p in pages)
    assert "党员1" in text  # the ledger still has its rows, with masks
    for name in NAMES:
        assert name not in text
    # the unmasked render does show them (the test can fail)
    plain = view(data, site)
    assert "甲某某" in plain.ledger(at("records/2022/ledger.md"))


def test_the_redacted_builds_masked_data_has_no_name(site):
    """The 脱敏 build renders every page from redact.masked_data: its 台账 carry no name."""
    masked = masked_data(load_site(site))
    text = repr(masked.records)
    for name in NAMES:
        assert name not in text


def test_record_text_from_data_is_inert(site):
    folder = site / "data/records/2022"
    (folder / "2022-04-02-theme_day.yaml").write_text(
        record("theme_day", "2022-04-02", topic='"<b>x</b> [a](javascript:1) {{ fig }}"'), "utf-8")
    html = view(load_site(site), site).ledger(
        at("records/2022/ledger.md"))
    assert "<b>x</b>" not in html and "](javascript" not in html and "{{" not in html
