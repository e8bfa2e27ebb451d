"""Import never guesses the year (macros/commands/records_rows.py workbook_year, records_import.py): the
workbook says its year, rows dated outside it are refused, an issued year takes late entries only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from helpers.files import make_project
from helpers.sheets import fill, ledger_template
from openpyxl import Workbook, load_workbook
from openpyxl.workbook.defined_name import DefinedName

from macros.commands import records_import, records_xlsx
from macros.core.records import model as rec
from macros.exports import ledger_xlsx

ISSUED = "issued: 2023-01-10\nfigures: {}\n"


def files(root: Path, year: int) -> list[str]:
    return sorted(p.name for p in rec.records_dir(root, year).glob("*.yaml") if p.name != "roster.yaml")


def both_years(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", 2022)
    return make_project(root, 2023)


def test_the_template_carries_its_year_in_a_name_and_its_title(tmp_path):
    root = both_years(tmp_path)
    wb = load_workbook(ledger_template(root, tmp_path / "t.xlsx", 2023))
    assert wb.defined_names["台账年度"].attr_text == "2023"
    assert wb["说明"]["A1"].value == "测试党支部2023年台账（填写模板）"


def test_a_2023_template_row_dated_2022_is_refused_naming_sheet_and_row(tmp_path):
    """The issue's first bullet: a row dated 2022-08-25 in the 2023 template, imported without YEAR=."""
    root = both_years(tmp_path)
    path = fill(ledger_template(root, tmp_path / "t.xlsx", 2023), "主题党日",
                [["2023-03-25", "参观", "张某某"], ["2022-08-25", "参观红色教育基地", "张某某"]], tmp_path / "a.xlsx")
    result = records_import.import_workbook(root, path)
    assert result.errors == [
        "a.xlsx 主题党日 第3行：日期“2022-08-25”不在 2023 年内（这是 2023 年的台账；2022 年的记录请用 2022 年的模板导入）"
    ]
    assert files(root, 2022) == files(root, 2023) == []


def test_year_only_checks_the_workbooks_year(tmp_path, capsys):
    root = both_years(tmp_path)
    path = fill(ledger_template(root, tmp_path / "t.xlsx", 2023), "主题党日", [["2023-03-25", "参观", "张某某"]],
                tmp_path / "a.xlsx")
    assert records_xlsx.main(["--root", str(root), "import", str(path), "--year", "2022"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "a.xlsx：这是 2023 年的台账，与 YEAR=2022 不一致；年度以表格为准，导入 2023 年请去掉 YEAR= 或写 YEAR=2023")
    assert records_xlsx.main(["--root", str(root), "import", str(path), "--year", "2023"]) == 0
    assert files(root, 2023) == ["2023-03-25-theme_day.yaml"]


def test_a_workbook_without_a_year_is_refused(tmp_path):
    root = both_years(tmp_path)
    wb = Workbook()
    wb.active.title = "主题党日"
    wb.active.append(["日期", "议题/主题", "主持人", "记录人", "缺席人员及原因", "决定事项", "佐证材料", "标注"])
    wb.active.append(["2022-03-01", "x", "张某某"])
    wb.save(tmp_path / "c.xlsx")
    assert records_import.import_workbook(root, tmp_path / "c.xlsx", year=2022).errors == [
        "c.xlsx：看不出这是哪一年的台账：“说明”工作表第一格应有“<年份>年台账”（如“2023年台账”）；"
        "请用 make records-template YEAR=<年份> 生成的模板填写"
    ]
    assert files(root, 2022) == []


def test_a_name_and_title_that_disagree_are_refused(tmp_path):
    root = both_years(tmp_path)
    wb = load_workbook(ledger_template(root, tmp_path / "t.xlsx", 2023))
    wb.defined_names["台账年度"] = DefinedName("台账年度", attr_text="2022")
    wb.save(tmp_path / "b.xlsx")
    assert records_import.import_workbook(root, tmp_path / "b.xlsx").errors == [
        "b.xlsx：表格的年度不一致：名称“台账年度”为 2022，“说明”工作表标题为 2023 年；"
        "请用 make records-template YEAR=<年份> 重新生成模板"
    ]


def test_an_issued_year_takes_records_only_as_late_entries(tmp_path, capsys):
    root = both_years(tmp_path)
    (root / "data/2022").mkdir()
    (root / "data/2022/issued.yaml").write_text(ISSUED, "utf-8")
    path = fill(ledger_template(root, tmp_path / "t.xlsx", 2022), "主题党日",
                [["2022-08-25", "参观红色教育基地", "张某某", "李某某", None, None, "照片"]], tmp_path / "a.xlsx")
    assert records_import.import_workbook(root, path).errors == [
        "a.xlsx：2022 年度报告已于2023年1月10日印发，不能再向 2022 年台账导入记录（会改变已印发的数字）；"
        "确属印发后补录的，加 LATE=1 重新导入：记录标为“印发后补录”，报告正文不变，报告页面注明台账现在的次数"
    ]
    assert files(root, 2022) == []
    result = records_import.import_workbook(root, path, late=True, today=dt.date(2023, 8, 1))
    assert result.errors == [] and files(root, 2022) == ["2022-08-25-theme_day.yaml"]
    written = yaml.safe_load((rec.records_dir(root, 2022) / "2022-08-25-theme_day.yaml").read_text("utf-8"))
    assert written["late"] == dt.date(2023, 8, 1) and written["topic"] == "参观红色教育基地"
    errors: list = []
    [record] = rec.load_records(root, 2022, rec.load_types(root, errors), errors).items
    assert errors == [] and record.late_label == "印发后补录（2023年8月1日）"
    # the same workbook again: the record is there (its entry date aside), nothing written twice
    again = records_import.import_workbook(root, path, late=True, today=dt.date(2023, 9, 1))
    assert again.errors == [] and again.written == [] and len(again.unchanged) == 1
    # the command says what LATE=1 did
    path2 = fill(path, "主题党日", [[], ["2022-09-26", "学习", "张某某"]], tmp_path / "b.xlsx")
    assert records_xlsx.main(["--root", str(root), "import", str(path2), "--late"]) == 0
    assert "标为“印发后补录”" in capsys.readouterr().out.splitlines()[0]


def test_late_entries_only_into_an_issued_year(tmp_path):
    root = both_years(tmp_path)
    path = fill(ledger_template(root, tmp_path / "t.xlsx", 2023), "主题党日", [["2023-03-25", "参观", "张某某"]],
                tmp_path / "a.xlsx")
    assert records_import.import_workbook(root, path, late=True).errors == [
        "a.xlsx：2023 年度报告尚未印发，不必按“印发后补录”导入；请去掉 LATE=1"
    ]


def test_an_exported_ledger_says_its_year_and_imports_again(tmp_path):
    root = make_project(tmp_path / "project", 2022, {"2022-03-25-theme_day.yaml": (
        "type: theme_day\ndate: 2022-03-25\ntopic: 参观\nhost: 张某某\nevidence: 照片\n")})
    errors: list = []
    records = rec.load_records(root, 2022, rec.load_types(root, errors), errors)
    out = tmp_path / "export.xlsx"
    ledger_xlsx.write_ledger(records, out, "测试党支部")
    assert load_workbook(out).defined_names["台账年度"].attr_text == "2022"
    result = records_import.import_workbook(root, out)
    assert result.errors == [] and len(result.unchanged) == 1
