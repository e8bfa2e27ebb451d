"""The people's sheets in the 台账 workbook and the printable 台账 (issue 24.6): 党员名册, 党员教育学时, 党费, with
names, bases and amounts masked where the build hides names; an exported workbook imports again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers.files import project_copy
from helpers.render import plain
from openpyxl import load_workbook

from macros.commands import records_import
from macros.core.load import load_site
from macros.core.people.tables import people_tables
from macros.exports.ledger_xlsx import write_site_ledger
from macros.pages.context import BuildContext, Here
from macros.pages.people import people_sheets
from macros.pages.records import macros as records_macros

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2023, 7, 31)


def test_the_tables_of_a_year():
    data = load_site(ROOT)
    roster, study, dues = people_tables(data.records[2023], data.people, AS_OF, False)
    rows = {r[1]: r for r in roster.rows}
    assert rows["刘某某"][2] == "第一党小组（组长）"
    assert rows["郑某某"][7] == "2023-04-03 自某某局机关第二党支部"
    assert rows["吴某某"][8] == "2023-06-30 至某某区某某街道某某社区党委"
    assert rows["冯某某"][4:6] == ("预备", "2023-06-20")
    assert [r[1] for r in study.rows][-1] == "冯某某"
    paid = {r[1]: r for r in dues.rows}
    assert paid["郑某某"][4:12] == ("—", "—", "—", "—", "108.00", "108.00", "未交", "")
    assert paid["吴某某"][4 + 6] == "—"  # moved out in June: July is not his
    hidden = people_tables(data.records[2023], data.people, AS_OF, True)[2]
    assert {cell for r in hidden.rows for cell in r[2:4]} == {"***"}


def test_the_workbook_carries_the_people_sheets_and_masks_them(tmp_path):
    data = load_site(ROOT)
    names = {m.name for r in data.records.values() for m in r.roster}
    for ctx, folder in ((BuildContext(), "full"), (BuildContext(redacted=True), "redacted")):
        tables = people_sheets(data, ctx)(2022)
        path = write_site_ledger(data.records[2022], tmp_path / folder, "测试党支部", ctx.hides_names, tables)
        wb = load_workbook(path, read_only=True)
        assert wb.sheetnames[-3:] == ["党员名册", "党员教育学时", "党费"]
        titles = ("2022年党员名册", "2022年党员教育学时", "2022年党费收缴台账（元）")
        for sheet, title in zip(wb.sheetnames[-3:], titles, strict=True):  # as the activity sheets: title, branch, sample
            top = [row[0] for row in wb[sheet].iter_rows(min_row=1, max_row=3, max_col=1, values_only=True)]
            masked = "（脱敏版）" if ctx.hides_names else ""
            assert top[:2] == [f"测试党支部{title}{masked}", "党支部：测试党支部　　年度：2022年　　示例数据，不是真实记录"]
            assert top[2] and top[2] != sheet
        text = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                        if v is not None)
        wb.close()
        if ctx.hides_names:
            assert not [n for n in names if n in text] and "11200.00" not in text and "224.00" not in text
        else:
            assert "黄某某" in text and "11200.00" in text
    # an exported workbook imports again: the people sheets are not activity sheets
    project = project_copy(tmp_path / "project")
    result = records_import.import_workbook(project, tmp_path / "full/records/2022/ledger-2022.xlsx", year=2022)
    assert not [e for e in result.errors if "工作表名" in e] and not result.written


def test_the_printable_ledger_ends_with_the_people_tables():
    data = load_site(ROOT)
    page = records_macros(data, ROOT / "docs")["records_print"]
    html = str(page(Here("records/2022/print.md", BuildContext())))
    titles = [t for t in ("2022年党员名册", "2022年党员教育学时", "2022年党费收缴台账（元）") if t in plain(html)]
    assert len(titles) == 3 and "ledger-table--dense" in html
    masked = str(page(Here("records/2022/print.md", BuildContext(offline=True))))
    assert "11200.00" not in masked and "黄某某" not in masked
