"""台账 and Excel (macros/commands/records_xlsx.py): template, import with bad rows, round trip, masked export."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from helpers.files import NAMES, make_project
from helpers.sheets import fill, ledger_template
from openpyxl import Workbook, load_workbook

from macros.commands import records_import, records_xlsx
from macros.core.records import columns as records_columns
from macros.core.records import model as rec
from macros.exports import ledger_xlsx as records_sheets
from macros.pages.context import BuildContext
from macros.pages.records_print import print_page, write_site_ledgers

COMMITTEE = """\
type: committee_meeting
date: 2022-03-15
topic: 研究第一季度党建工作
host: 张某某
recorder: 李某某
evidence: 会议记录本第3页
"""


@pytest.fixture()
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def load(root: Path, year: int = 2022):
    errors: list = []
    records = rec.load_records(root, year, rec.load_types(root, errors), errors)
    assert errors == [], [e.render() for e in errors]
    return records


def template(root: Path, tmp: Path) -> Path:
    return ledger_template(root, tmp / "模板.xlsx")


def record_files(root: Path, year: int = 2022) -> dict[str, str]:
    folder = rec.records_dir(root, year)
    return {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.yaml")) if p.name != "roster.yaml"}


# -- template ------------------------------------------------------------------------------------
def test_template_sheets_headings_and_checks(project, tmp_path):
    wb = load_workbook(template(project, tmp_path))
    types = rec.load_types(project, [])
    assert wb.sheetnames == ["说明", "名册", *(kind.name for kind in types.values())]
    assert wb["名册"].sheet_state == "hidden"
    assert [c.value for c in wb["名册"]["A"]] == [*NAMES, "待填"]
    assert [c.value for c in wb["名册"]["B"] if c.value] == ["第一党小组", "第二党小组", "待填"]
    readme = "\n".join(str(c.value) for c in wb["说明"]["A"] if c.value)
    assert "make import-records" in readme and "缺席人员及原因：每人写成 姓名（原因）" in readme

    committee = wb["支部委员会会议"]
    headings = [c.value for c in committee[1]]
    assert headings == ["日期", "议题/主题", "主持人", "记录人", "缺席人员及原因", "决定事项", "佐证材料", "标注"]
    assert [c.value for c in wb["党小组会"][1]][:3] == ["日期", "党小组", "议题/主题"]
    assert [c.value for c in wb["谈心谈话"][1]] == ["日期", "谈话人", "谈话对象", "谈话主题", "记录人", "佐证材料"]
    checks = {str(v.sqref): v for v in committee.data_validations.dataValidation}
    date = checks["A2:A301"]
    assert (date.type, date.formula1, date.formula2) == ("date", "DATE(2022,1,1)", "DATE(2022,12,31)")
    assert checks["C2:C301"].type == "list" and checks["C2:C301"].formula1 == "'名册'!$A$1:$A$5"
    assert checks["D2:D301"].formula1 == "'名册'!$A$1:$A$5"
    group_checks = {str(v.sqref): v for v in wb["党小组会"].data_validations.dataValidation}
    assert group_checks["B2:B301"].formula1 == "'名册'!$B$1:$B$3"
    assert committee.page_setup.orientation == "landscape" and wb["谈心谈话"].page_setup.orientation == "portrait"


def test_template_command_writes_the_latest_year(project, tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert records_xlsx.main(["--root", str(project), "template", "--out", str(out)]) == 0
    assert "已生成 2022 年台账模板" in capsys.readouterr().out and out.stat().st_size > 5000


# -- import: bad rows ----------------------------------------------------------------------------
def test_import_lists_every_bad_row_and_writes_nothing(project, tmp_path):
    (rec.records_dir(project, 2022) / "2022-03-15-committee_meeting.yaml").write_text(COMMITTEE, "utf-8")
    before = record_files(project)
    blank = template(project, tmp_path)
    path = fill(
        blank,
        "支部委员会会议",
        [
            [dt.date(2022, 1, 10), "研究年度工作", "张某某", "李某某", None, None, "记录本第1页"],  # fine
            [None, "没有日期", "张某某", None, None, None, None],
            ["2022-02-30", "二月议题", "张某某", None, None, None, None],
            ["2022-13-01", "议题", "张某", "李某某", "王某某出差", None, None],
            ["2022/4/8", "第一行\n第二行", "张某某", "李某某", "王某某（出差）；王某某（病假）", None, None],
            [dt.date(2022, 3, 15), "与已有文件不同的议题", "张某某", "李某某", None, None, "会议记录本第3页"],
        ],
        tmp_path / "step1.xlsx",
    )
    path = fill(
        path,
        "党小组会",
        [["2022-05-30", None, "小组学习", "王某某", None], ["2022-05-31", "第三党小组", "x"]],
        tmp_path / "step2.xlsx",
    )
    path = fill(
        path,
        "谈心谈话",
        [["2022-06-01", "张某某", None, "谈心"], ["2022-06-02", "张某某", "张某某", "谈心"]],
        tmp_path / "step3.xlsx",
    )
    wb = load_workbook(path)
    wb.create_sheet("会议").cell(row=1, column=1, value="日期")
    wb["党课"].cell(row=1, column=9, value="地点")
    wb["党课"].cell(row=2, column=1, value="2022-06-03")
    final = tmp_path / "台账.xlsx"
    wb.save(final)

    result = records_import.import_workbook(project, final)
    assert result.errors == [
        "台账.xlsx 支部委员会会议 第3行：日期未填写",
        "台账.xlsx 支部委员会会议 第4行：日期“2022-02-30”无效（应写成 2022-03-15 这样的日期）",
        "台账.xlsx 支部委员会会议 第5行：日期“2022-13-01”无效（应写成 2022-03-15 这样的日期）",
        "台账.xlsx 支部委员会会议 第5行：缺席人员“王某某出差”应写成 姓名（原因），如 王某某（出差）",
        "台账.xlsx 支部委员会会议 第6行：议题/主题应为一行，不能在单元格内换行",
        "台账.xlsx 支部委员会会议 第6行：缺席人员“王某某”写了不止一次",
        "台账.xlsx 党小组会 第2行：党小组未填写（党小组会须写明党小组）",
        "台账.xlsx 党课 第1行：列名“地点”不是这张表的列"
        "（应为：日期、议题/主题、主持人、记录人、缺席人员及原因、决定事项、佐证材料、标注）",
        "台账.xlsx 谈心谈话 第2行：谈话对象未填写",
        "台账.xlsx 会议：工作表名不是台账的活动类型"
        "（应为：支部党员大会、支部委员会会议、党小组会、党课、主题党日、谈心谈话）",
        "台账.xlsx 支部委员会会议 第5行：主持人“张某”不在 2022 年党员名册中；是否是 张某某？",
        "台账.xlsx 党小组会 第3行：党小组“第三党小组”不在 2022 年党员名册中；是否是 第二党小组？",
        # the rows right so far, checked as the files they would make, in the same run
        "台账.xlsx 支部委员会会议 第7行：data/records/2022/2022-03-15-committee_meeting.yaml 已存在且内容不同，未覆盖。"
        "要修改这条记录请直接编辑该文件；同一天同类活动有两次的，按表中先后对应文件名 -2、-3 …",
        "台账.xlsx 谈心谈话 第3行：谈心谈话应写明谈话双方两人（谈话人和谈话对象各写一人，且不是同一人）",
    ]
    assert not any(re.search(r"[a-z_]+: ", e) for e in result.errors)  # no record-file YAML
    assert record_files(project) == before  # nothing written

    # every row fixed: one more run writes them
    wb = load_workbook(final)
    for sheet, row in (
        ("支部委员会会议", 3),
        ("支部委员会会议", 4),
        ("支部委员会会议", 5),
        ("支部委员会会议", 6),
        ("党小组会", 2),
        ("党小组会", 3),
        ("谈心谈话", 2),
    ):
        for column in range(1, 10):
            wb[sheet].cell(row=row, column=column).value = None
    wb.remove(wb["会议"])
    wb["党课"].cell(row=1, column=9).value = None
    wb["支部委员会会议"].cell(row=7, column=2, value="研究第一季度党建工作")
    wb["谈心谈话"].cell(row=3, column=3, value="李某某")
    wb.save(final)
    result = records_import.import_workbook(project, final)
    assert result.errors == []
    assert len(record_files(project)) == len(before) + 3  # 1-10 支委会, 党课, 谈心谈话 (3-15 unchanged)


def test_import_refuses_wrong_year_and_non_workbooks(project, tmp_path):
    path = fill(template(project, tmp_path), "主题党日", [["2023-01-05", "x", "张某某"]], tmp_path / "a.xlsx")
    wrong_year = ["a.xlsx 主题党日 第2行：日期“2023-01-05”不在 2022 年内（这是 2022 年的台账；"
                  "2023 年的记录请用 2023 年的模板导入）"]
    assert records_import.import_workbook(project, path, year=2022).errors == wrong_year
    assert records_import.import_workbook(project, path).errors == wrong_year  # the year is the workbook's
    text = tmp_path / "b.xlsx"
    text.write_text("日期,议题\n", "utf-8")
    assert records_import.import_workbook(project, text).errors == [
        "b.xlsx：不是 Excel 工作簿（.xlsx），无法读取；请在 Excel/WPS 中另存为 .xlsx 格式"
    ]
    headings = Workbook()
    headings.active.title = "主题党日"
    headings.active.append(["日期", "主题"])
    headings.active.append(["2022-03-01", "x"])
    headings.save(tmp_path / "c.xlsx")
    assert records_import.import_workbook(project, tmp_path / "c.xlsx").errors == [
        "c.xlsx：看不出这是哪一年的台账：“说明”工作表第一格应有“<年份>年台账”（如“2023年台账”）；"
        "请用 make records-template YEAR=<年份> 生成的模板填写",
        "c.xlsx 主题党日 第1行：列名“主题”不是这张表的列；是否是 议题/主题？"
        "（应为：日期、议题/主题、主持人、记录人、缺席人员及原因、决定事项、佐证材料、标注）",
        "c.xlsx 主题党日 第1行："
        "缺少列 议题/主题、主持人、记录人、缺席人员及原因、决定事项、佐证材料、标注（第 1 行是列名，请勿修改）",
    ]


def test_import_command_prints_errors_and_exit_code(project, tmp_path, capsys):
    path = fill(template(project, tmp_path), "主题党日", [["2022-13-01", "x", "张某某"]], tmp_path / "台账.xlsx")
    assert records_xlsx.main(["--root", str(project), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "台账.xlsx 主题党日 第2行：日期“2022-13-01”无效（应写成 2022-03-15 这样的日期）",
        "发现 1 处错误，没有写入任何文件。改正后请重新导入。",
    ]


# -- import and round trip -----------------------------------------------------------------------
FILLED = {
    "支部委员会会议": [
        [
            dt.date(2022, 3, 15),
            "研究第一季度党建工作",
            "张某某",
            "李某某",
            "王某某（出差）；赵某某（病假）",
            "同意发展对象人选\n确定主题党日安排",
            "会议记录本第3页",
            None,
        ],
        [dt.date(2022, 3, 15), "yes: 2022-01-01 #不是注释", "李某某", "待填", None, None, "*档案 &1", None],
        [dt.date(2022, 4, 8), "待填", "张某某", None, "待填", "待填", "待填", None],
    ],
    "党小组会": [[dt.date(2022, 1, 27), "第二党小组", "交流学习体会", "王某某", "赵某某", None, None, "记录本", None]],
    "主题党日": [
        [
            dt.date(2022, 3, 25),
            "观看红色影片《长津湖》",
            "张某某",
            "王某某",
            None,
            None,
            "照片",
            "观看红色影片、党的二十大专题学习",
        ]
    ],
    "谈心谈话": [
        [dt.date(2022, 2, 10), "张某某", "赵某某", "思想工作情况交流", None, "谈心谈话记录本"],
        [dt.date(2022, 2, 11), "待填", "待填", "待填", None, "待填"],
    ],
}


def test_round_trip_template_import_export(project, tmp_path, capsys):
    path = template(project, tmp_path)
    for n, (sheet, rows) in enumerate(FILLED.items()):
        path = fill(path, sheet, rows, tmp_path / f"step{n}.xlsx")
    assert records_xlsx.main(["--root", str(project), "import", str(path), "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "已导入 step3.xlsx：写入 7 个记录文件"
    assert "  data/records/2022/2022-03-15-committee_meeting-2.yaml（支部委员会会议 第3行）" in out
    files = record_files(project)
    assert sorted(files) == [
        "2022-01-27-group_meeting.yaml",
        "2022-02-10-heart_talk.yaml",
        "2022-02-11-heart_talk.yaml",
        "2022-03-15-committee_meeting-2.yaml",
        "2022-03-15-committee_meeting.yaml",
        "2022-03-25-theme_day.yaml",
        "2022-04-08-committee_meeting.yaml",
    ]
    assert yaml.safe_load(files["2022-03-15-committee_meeting.yaml"]) == {
        "type": "committee_meeting",
        "date": dt.date(2022, 3, 15),
        "topic": "研究第一季度党建工作",
        "host": "张某某",
        "recorder": "李某某",
        "absent": [{"name": "王某某", "reason": "出差"}, {"name": "赵某某", "reason": "病假"}],
        "decisions": ["同意发展对象人选", "确定主题党日安排"],
        "evidence": "会议记录本第3页",
    }
    tricky = yaml.safe_load(files["2022-03-15-committee_meeting-2.yaml"])  # text stays text
    assert (tricky["topic"], tricky["evidence"], tricky["recorder"]) == (
        "yes: 2022-01-01 #不是注释",
        "*档案 &1",
        "待填",
    )
    assert yaml.safe_load(files["2022-02-11-heart_talk.yaml"])["people"] == "待填"
    records = load(project)  # the build's loader reads them
    assert len(records.items) == 7
    assert [r.unfilled for r in records.of_type("committee_meeting")][2] == ("topic", "absent", "decisions", "evidence")

    exported = tmp_path / "导出.xlsx"
    assert records_xlsx.main(["--root", str(project), "export", "--year", "2022", "--out", str(exported)]) == 0
    wb = load_workbook(exported)
    for sheet, rows in FILLED.items():
        ws = wb[sheet]
        headings = [c.value for c in ws[3]]  # under the title and the branch line
        kind = next(k for k in records.types.values() if k.name == sheet)
        typed = [c.heading for c in records_columns.columns(kind)]
        got = [[_plain(row[headings.index(h)]) for h in typed] for row in ws.iter_rows(min_row=4, values_only=True)]
        assert got == [[_plain(v) for v in row] for row in rows], sheet
    committee = wb["支部委员会会议"]
    assert committee["A1"].value == "测试党支部2022年支部委员会会议台账"
    assert committee["A2"].value.startswith("党支部：测试党支部　　年度：2022年　　共 3 次")
    assert [c.value for c in committee[3]][:7] == [
        "序号",
        "日期",
        "议题/主题",
        "主持人",
        "记录人",
        "应到人数",
        "实到人数",
    ]
    assert [c.value for c in committee[4]][:7] == [
        1,
        dt.datetime(2022, 3, 15),
        "研究第一季度党建工作",
        "张某某",
        "李某某",
        2,
        0,
    ]
    assert [c.value for c in committee[6]][5:7] == [2, "待填"]  # absences 待填: 实到 unknown

    # the exported workbook imports again: every row is the record already there
    result = records_import.import_workbook(project, exported)
    assert result.errors == [] and result.written == [] and len(result.unchanged) == 7


def _plain(value):
    return value.date() if isinstance(value, dt.datetime) else value


def test_round_trip_of_the_sample_year(tmp_path):
    """The project's own 2022 台账: export, import into an empty year, the same records."""
    root = Path(__file__).resolve().parents[2]
    exported = tmp_path / "2022.xlsx"
    records_sheets.write_ledger(load(root), exported, "党支部")
    copy = make_project(tmp_path / "copy")
    (copy / "data/activity_types.yaml").write_bytes((root / "data/activity_types.yaml").read_bytes())
    roster = rec.records_dir(root, 2022) / "roster.yaml"
    (rec.records_dir(copy, 2022) / "roster.yaml").write_bytes(roster.read_bytes())
    result = records_import.import_workbook(copy, exported, 2022)
    assert result.errors == []
    original = {p.name: yaml.safe_load(p.read_text("utf-8")) for p in rec.records_dir(root, 2022).glob("*.yaml")}
    imported = {p.name: yaml.safe_load(p.read_text("utf-8")) for p in rec.records_dir(copy, 2022).glob("*.yaml")}
    assert len(imported) == len(original) > 100
    assert imported == original


# -- export for the site and its masking ----------------------------------------------------------
def _all_text(path: Path) -> str:
    wb = load_workbook(path)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


def test_every_exported_cell_has_its_style(tmp_path):
    """Every heading and data cell of the export reads back with its style (derived columns grey)."""
    root = Path(__file__).resolve().parents[2]
    path = tmp_path / "2022.xlsx"
    records_sheets.write_ledger(load(root), path, "党支部")
    wb = load_workbook(path)
    data_cells = 0
    for ws in wb.worksheets[1:]:
        derived = {c.heading for c in records_columns.columns(
            next(k for k in load(root).types.values() if k.name == ws.title), export=True) if c.derived}
        for cell in ws[3]:
            assert cell.font.name == "黑体" and cell.font.bold and cell.alignment.horizontal == "center"
            assert cell.border.left.style == cell.border.bottom.style == "thin"
            assert cell.fill.fgColor.rgb == ("00EDEDED" if cell.value in derived else "00F2DCDB"), cell.value
        for row in ws.iter_rows(min_row=4):
            for cell in row:
                data_cells += 1
                assert cell.border.top.style == cell.border.right.style == "thin", cell.coordinate
                assert cell.alignment.wrap_text and cell.alignment.vertical == "top" and not cell.font.bold
                dated = isinstance(cell.value, dt.datetime)
                assert cell.number_format == ("yyyy-mm-dd" if dated else "General"), cell.coordinate
    assert data_cells > 1000


def test_redacted_export_has_no_name(project, tmp_path):
    folder = rec.records_dir(project, 2022)
    (folder / "2022-03-15-committee_meeting.yaml").write_text(
        COMMITTEE.replace("topic: 研究第一季度党建工作", "topic: 听取王某某转正申请")
        + "absent:\n  - {name: 赵某某, reason: 出差}\ndecisions: [同意王某某按期转正]\n",
        "utf-8",
    )
    (folder / "2022-02-10-heart_talk.yaml").write_text(
        "type: heart_talk\ndate: 2022-02-10\ntopic: 交流\nhost: 张某某\npeople: [张某某, 李某某]\nevidence: 记录本\n",
        "utf-8",
    )
    records = load(project)
    plain = records_sheets.write_site_ledger(records, tmp_path / "site", "测试党支部", masked=False)
    assert plain == tmp_path / "site/records/2022/ledger-2022.xlsx"
    assert all(name in _all_text(plain) for name in NAMES)
    redacted = records_sheets.write_site_ledger(records, tmp_path / "site-redacted", "测试党支部", masked=True)
    text = _all_text(redacted)
    assert not [name for name in NAMES if name in text]
    assert "听取党员3转正申请" in text and "同意党员3按期转正" in text and "党员4（出差）" in text
    talk = load_workbook(redacted)["谈心谈话"]
    assert [c.value for c in talk[4]][2:4] == ["党员1", "党员2"]  # 谈话人, 谈话对象
    assert "本表为脱敏版" in text and "测试党支部2022年台账（脱敏版）" in text


def test_build_writes_each_years_ledger_masked_where_pages_mask_names(project, tmp_path):
    (rec.records_dir(project, 2022) / "2022-03-15-committee_meeting.yaml").write_text(COMMITTEE, "utf-8")
    make_project(project, 2023, {"2023-01-10-committee_meeting.yaml": COMMITTEE.replace("2022-03-15", "2023-01-10")})
    cases = {
        "site": BuildContext(),
        "redacted": BuildContext(redacted=True),
        "offline": BuildContext(offline=True, directory_urls=False),
    }
    errors: list = []
    types = rec.load_types(project, errors)
    records = {year: rec.load_records(project, year, types, errors, sample=year == 2022) for year in (2023, 2022)}
    assert errors == [], [e.render() for e in errors]
    for name, ctx in cases.items():
        written = write_site_ledgers(records, "测试党支部", tmp_path / name, ctx)
        assert [p.relative_to(tmp_path / name).as_posix() for p in written] == [
            "records/2022/ledger-2022.xlsx",
            "records/2023/ledger-2023.xlsx",
        ]
        text = _all_text(written[0])
        assert "本表为示例数据" in text and "本表为示例数据" not in _all_text(written[1])
        names = [n for n in NAMES if n in text]
        assert names == (["张某某", "李某某"] if name == "site" else []), name


def test_printed_tables_landscape_where_wide(project):
    (rec.records_dir(project, 2022) / "2022-03-15-committee_meeting.yaml").write_text(COMMITTEE, "utf-8")
    tables = {t.key: t for t in records_columns.ledger_tables(load(project))}
    committee = tables["committee_meeting"]
    assert committee.title == "2022年支部委员会会议台账" and committee.landscape
    assert committee.headings == [
        "序号",
        "日期",
        "议题/主题",
        "主持人",
        "记录人",
        "应到人数",
        "实到人数",
        "缺席人员及原因",
        "决定事项",
        "佐证材料",
    ]
    assert committee.rows == [
        ["1", "3月15日", "研究第一季度党建工作", "张某某", "李某某", "2", "2", "", "", "会议记录本第3页"]
    ]
    assert abs(sum(committee.widths) - 100) < 1
    assert not tables["heart_talk"].landscape and tables["heart_talk"].rows == []


def test_print_page_markup_is_from_the_template_and_data_stays_text(project):
    (rec.records_dir(project, 2022) / "2022-03-15-committee_meeting.yaml").write_text(
        COMMITTEE.replace("研究第一季度党建工作", "'<b>**议题**</b> {{ x }}'") + "decisions: [同意甲, 确定乙]\n",
        "utf-8",
    )
    html = str(print_page(load(project), "测试党支部", "ledger-2022.xlsx", masked=False))
    assert 'href="ledger-2022.xlsx" download="测试党支部2022年台账.xlsx"' in html
    assert "<b>" not in html and "&lt;b&gt;&#42;&#42;议题&#42;&#42;&lt;/b&gt; &#123;&#123; x &#125;&#125;" in html
    assert "同意甲<br>确定乙" in html
    sections = re.findall(r'<section class="ledger-sheet ledger-sheet--(\w+)"[^>]*>\s*<h2[^>]*>([^<]+)</h2>', html)
    assert sections[:2] == [("landscape", "2022年支部党员大会台账"), ("landscape", "2022年支部委员会会议台账")]
    assert sections[-1] == ("portrait", "2022年谈心谈话台账")
    assert html.count("本年度无记录") == len(sections) - 1
    assert "要求：每月1次　全年共1次" in html


# -- import: messages a new user can act on ------------------------------------------------------
def test_a_name_suggestion_only_when_it_is_close():
    from macros.core.errors import hint

    roster = ["张某某", "李某某", "王某某", "赵某某", "黄某某", "王小明", "张三丰"]
    assert hint("孙某某", roster) == ""  # another surname: not a slip for 黄某某 (difflib's ratio is 0.67)
    assert hint("李四", roster) == ""
    assert hint("张某", roster) == "；是否是 张某某？"  # a character missing
    assert hint("王晓明", roster) == "；是否是 王小明？"  # same surname, one character different
    assert hint("张三", roster) == "；是否是 张三丰？"
    assert hint("第三党小组", ["第一党小组", "第二党小组"]) == "；是否是 第二党小组？"  # longer names: difflib as before


def test_an_unknown_name_of_another_surname_gets_no_guess(project, tmp_path):
    path = fill(template(project, tmp_path), "支部委员会会议",
                [[dt.date(2022, 1, 10), "研究年度工作", "孙某某", "张某", None, None, "记录本第1页"]], tmp_path / "t.xlsx")
    result = records_import.import_workbook(project, path)
    assert result.errors == [
        "t.xlsx 支部委员会会议 第2行：主持人“孙某某”不在 2022 年党员名册中",
        "t.xlsx 支部委员会会议 第2行：记录人“张某”不在 2022 年党员名册中；是否是 张某某？",
    ]


def test_template_examples_are_in_the_templates_year(tmp_path):
    from helpers.files import ROOT

    errors: list = []
    records = rec.load_records(ROOT, 2023, rec.load_types(ROOT, errors), errors)
    out = tmp_path / "t.xlsx"
    records_sheets.write_template(records, out, "测试党支部")
    wb = load_workbook(out)
    readme = "\n".join(str(c.value) for c in wb["说明"]["A"] if c.value)
    prompts = [v.prompt for ws in wb.worksheets for v in ws.data_validations.dataValidation if v.prompt]
    assert "日期：写成 2023-03-15 这样的日期" in readme
    assert any("2023-03-15" in p for p in prompts)
    assert "2022-03-15" not in readme + "".join(prompts)
    assert "2022年度组织生活会在2023年2月召开，也写 2022" in readme  # 年度: the year before, held in this one
    # a bad date in a workbook for 2023 is explained with a 2023 example
    path = fill(out, "主题党日", [["2023-13-01", "x", "张某某"]], tmp_path / "f.xlsx")
    assert "无效（应写成 2023-03-15 这样的日期）" in "\n".join(records_import.import_workbook(ROOT, path, 2023).errors)


def test_exported_sheets_print_as_filed(tmp_path):
    """Each sheet of the sample year's 台账 as it is printed and filed: a title naming the branch, the
    sample mark on the sheet and in every page's header, the column headings repeated on every
    page, page numbers, A4 fitted to the width (landscape where wide), wrapped text."""
    root = Path(__file__).resolve().parents[2]
    records = rec.load_records(root, 2022, rec.load_types(root, []), [], sample=True)
    path = tmp_path / "2022.xlsx"
    records_sheets.write_ledger(records, path, "机关党委办公室党支部")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "说明" and "本表为示例数据" in _all_text(path)
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text.endswith("（示例数据，不是真实记录）"), ws.title
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页", ws.title
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
    for kind in records.types.values():
        ws = wb[kind.name]
        assert ws["A1"].value == f"机关党委办公室党支部2022年{kind.name}台账" and ws["A1"].font.bold
        assert "A1:" in " ".join(str(r) for r in ws.merged_cells.ranges)  # the title spans the table
        assert "示例数据，不是真实记录" in ws["A2"].value and "机关党委办公室党支部" in ws["A2"].value
        assert ws.print_title_rows == "$3:$3" and ws["B3"].value == "日期"
        assert ws.freeze_panes == "A4"
        wide = sum(c.width for c in records_columns.columns(kind, export=True)) > records_columns.LANDSCAPE_WIDTH
        assert ws.page_setup.orientation == ("landscape" if wide else "portrait"), kind.name
        assert all(c.alignment.wrap_text for row in ws.iter_rows(min_row=3) for c in row)
    assert wb["支部委员会会议"].page_setup.orientation == "landscape"
    # each row as high as its wrapped text (LibreOffice keeps the stored height): a long 决定事项 takes lines
    committee = wb["支部委员会会议"]
    heights = [committee.row_dimensions[r].height for r in range(4, committee.max_row + 1)]
    assert all(h and h >= 15 for h in heights) and max(heights) > 15


def test_real_data_has_no_sample_mark_in_the_export(project, tmp_path):
    (rec.records_dir(project, 2022) / "2022-03-15-committee_meeting.yaml").write_text(COMMITTEE, "utf-8")
    path = tmp_path / "x.xlsx"
    records_sheets.write_ledger(load(project), path, "测试党支部")
    wb = load_workbook(path)
    assert "示例" not in _all_text(path)
    assert all("示例" not in (ws.oddHeader.center.text or "") for ws in wb.worksheets)
    assert wb["支部委员会会议"].oddHeader.center.text == "测试党支部2022年支部委员会会议台账"
