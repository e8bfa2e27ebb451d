"""党费 in Excel (issue 24.5, on the 台账's footing): a template that says its year, an import that checks
every row against the dated roster and the build's own loader, adds only new payments under their month
(every other line of dues.yaml unchanged), and writes nothing when anything is wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from helpers.files import data_copy
from helpers.sheets import fill
from openpyxl import load_workbook

from macros.commands import dues_xlsx
from macros.core.load import load_site

DUES = "data/people/2023/dues.yaml"


@pytest.fixture()
def project(tmp_path) -> Path:
    root = data_copy(tmp_path / "p")
    (root / "data/branch.yaml").write_text("name: 测试党支部\nparent: 馆党委\n", "utf-8")
    return root


def filled(project: Path, tmp_path: Path, rows: list[tuple], year: int = 2023) -> Path:
    blank = tmp_path / f"dues-{year}.xlsx"
    assert dues_xlsx.main(["--root", str(project), "template", "--year", str(year), "--out", str(blank)]) == 0
    return fill(blank, dues_xlsx.SHEET, rows, tmp_path / f"filled-{year}.xlsx")


def test_the_template_says_its_year_and_lists_the_roster_and_the_months(project, tmp_path):
    path = filled(project, tmp_path, [])
    wb = load_workbook(path)
    assert wb.defined_names[dues_xlsx.YEAR_NAME].attr_text == "2023"
    assert wb["说明"]["A1"].value == "测试党支部2023年党费交纳（填写模板）"
    assert [c.value for c in wb[dues_xlsx.SHEET][1]] == ["所交月份", "姓名", "实交金额（元）", "交纳日期"]
    names = [row[0].value for row in wb["名册"].iter_rows(max_col=1)]
    assert "郑某某" in names and "吴某某" in names and len(names) == 12
    assert wb["名册"]["B12"].value == "2023-12" and wb["名册"].sheet_state == "hidden"


def test_new_payments_go_under_their_month_and_every_other_line_stays(project, tmp_path, capsys):
    before = (project / DUES).read_text("utf-8")
    path = filled(project, tmp_path, [
        ("2023-07", "郑某某", 108, dt.datetime(2023, 8, 2)),  # July: 补交 of the unpaid month
        ("2023-08", "张某某", "224.00", "2023-08-10"),
        ("2023-08", "李某某", 129, dt.date(2023, 8, 10)),
        ("2023-07", "张某某", 224, dt.date(2023, 7, 10)),  # already in the file: skipped
    ])
    assert dues_xlsx.main(["--root", str(project), "import", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"已将 3 笔党费交纳记录写入 {DUES}（另有 1 笔已有，未重复写入）")
    after = (project / DUES).read_text("utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["    - {name: 郑某某, paid: 108.00, date: 2023-08-02}", "  2023-08:",
                     "    - {name: 张某某, paid: 224.00, date: 2023-08-10}",
                     "    - {name: 李某某, paid: 129.00, date: 2023-08-10}"]
    assert [line for line in after.splitlines() if line not in added] == before.splitlines()
    july = yaml.safe_load(after)["payments"]["2023-07"]
    assert july[-1] == {"name": "郑某某", "paid": 108.0, "date": dt.date(2023, 8, 2)}
    dues = load_site(project).people.dues[2023]
    late = [p for p in dues.payments if p.name == "郑某某" and p.month == (2023, 7)]
    assert [(p.paid, p.kind) for p in late] == [(Decimal("108.00"), "补交")]
    # the same workbook again changes nothing
    assert dues_xlsx.main(["--root", str(project), "import", str(path)]) == 0
    assert "没有新的交纳记录（已有 4 笔）" in capsys.readouterr().out
    assert (project / DUES).read_text("utf-8") == after


def test_every_wrong_row_is_named_and_nothing_is_written(project, tmp_path, capsys):
    before = (project / DUES).read_text("utf-8")
    path = filled(project, tmp_path, [
        ("2023-08", "张某某", 224, "2023-08-10"),  # good, but not written: other rows are wrong
        ("2022-12", "张某某", 224, "2023-01-05"),
        ("2023-08", "欧阳某", 50, "2023-08-10"),
        ("2023-08", "吴某某", 23, "2023-08-10"),  # moved out in June
        ("2023-08", "李某某", 129.005, "2023-08-10"),
        ("2023-08", "王某某", "一百", "2023-08-10"),
        ("八月", "赵某某", 138, "2023-08-10"),
        ("2023-08", "刘某某", 97.5, None),
        ("2023-08", "张某某", 224, "2023-08-10"),  # the first row again
    ])
    assert dues_xlsx.main(["--root", str(project), "import", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    label = f"{path.name} 党费交纳"
    assert err == [
        f"{label} 第3行：所交月份 2022-12 不在 2023 年内；其他年度的交纳记录填在该年的党费表中",
        f"{label} 第4行：欧阳某 不在 2023 年党员名册中",
        f"{label} 第5行：吴某某 8月不在本支部交纳党费（见名册的转入、转出日期）",
        f"{label} 第6行：实交金额 129.005 最多写到分（两位小数）",
        f"{label} 第7行：实交金额“一百”应为金额（元）",
        f"{label} 第8行：所交月份“八月”应写成 2023-03 的形式",
        f"{label} 第9行：缺少交纳日期",
        f"{label} 第10行：与第2行完全相同；同一笔党费只填一行",
        "发现 8 处错误，没有写入任何内容。改正后请重新导入。",
    ]
    assert (project / DUES).read_text("utf-8") == before


def test_the_year_comes_from_the_workbook(project, tmp_path, capsys):
    path = filled(project, tmp_path, [("2023-08", "张某某", 224, "2023-08-10")])
    assert dues_xlsx.main(["--root", str(project), "import", str(path), "--year", "2022"]) == 1
    assert f"{path.name}：这是 2023 年的党费表，与 YEAR=2022 不一致；年度以表格为准" in capsys.readouterr().err
    wb = load_workbook(path)
    del wb.defined_names[dues_xlsx.YEAR_NAME]
    wb["说明"]["A1"] = "党费"
    wb.save(path)
    assert dues_xlsx.main(["--root", str(project), "import", str(path)]) == 1
    assert "看不出这是哪一年的党费表" in capsys.readouterr().err


def test_a_new_month_goes_in_month_order_into_an_empty_payments_block():
    text = "# 说明\nbases:\n  - {name: 甲, from: 2024-01, base: 5000}\npayments: {}\n"
    rows = [dues_xlsx.Paid((2024, 2), "甲", Decimal("50.00"), dt.date(2024, 2, 5), 3),
            dues_xlsx.Paid((2024, 1), "甲", Decimal("50.00"), dt.date(2024, 1, 5), 2)]
    assert dues_xlsx.add_payments(text, rows) == (
        "# 说明\nbases:\n  - {name: 甲, from: 2024-01, base: 5000}\npayments:\n"
        "  2024-01:\n    - {name: 甲, paid: 50.00, date: 2024-01-05}\n"
        "  2024-02:\n    - {name: 甲, paid: 50.00, date: 2024-02-05}\n")
    text = ("payments:\n  2024-01:\n    - {name: 甲, paid: 50.00, date: 2024-01-05}\n  # 三月\n"
            "  2024-03:\n    - {name: 甲, paid: 50.00, date: 2024-03-05}\n")
    feb = [dues_xlsx.Paid((2024, 2), "乙", Decimal("30.00"), dt.date(2024, 2, 6), 2)]
    assert yaml.safe_load(dues_xlsx.add_payments(text, feb))["payments"] == {
        "2024-01": [{"name": "甲", "paid": 50.0, "date": dt.date(2024, 1, 5)}],
        "2024-02": [{"name": "乙", "paid": 30.0, "date": dt.date(2024, 2, 6)}],
        "2024-03": [{"name": "甲", "paid": 50.0, "date": dt.date(2024, 3, 5)}],
    }


def test_the_workbook_is_guarded_before_it_is_read(project, tmp_path, capsys):
    path = filled(project, tmp_path, [("2023-08", "张某某", 224, "2023-08-10")])
    wb = load_workbook(path)
    wb.create_sheet("备注")["A1"] = "看不见的内容"
    wb["备注"].sheet_state = "hidden"
    wb.save(path)
    before = (project / DUES).read_text("utf-8")
    assert dues_xlsx.main(["--root", str(project), "import", str(path)]) == 1
    assert "备注：这张工作表被隐藏了，但有内容" in capsys.readouterr().err
    assert (project / DUES).read_text("utf-8") == before


def test_an_import_keeps_the_dues_files_permissions(project, tmp_path):
    """Another user's build must still read it (a temporary file's 0600 would lock it away)."""
    (project / DUES).chmod(0o644)
    path = filled(project, tmp_path, [("2023-08", "李某某", 129, dt.date(2023, 8, 10))])
    assert dues_xlsx.main(["--root", str(project), "import", str(path)]) == 0
    assert (project / DUES).stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in (project / DUES).parent.iterdir()) == ["dues.yaml", "training.yaml"]  # no temporary file
