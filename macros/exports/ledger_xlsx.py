"""Writing the 台账 workbooks with openpyxl: the template to fill and the yearly export
(macros/commands/records_xlsx.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from macros.core.records.columns import (
    README_SHEET,
    ROSTER_SHEET,
    TEMPLATE_ROWS,
    UNFILLED,
    YEAR_NAME,
    Column,
    _landscape,
    columns,
    rows_of,
)
from macros.core.redact import masked_records

# -- writing workbooks --------------------------------------------------------------------------
# Text that a spreadsheet may take for a formula when the cell is edited: = + - @ (also full-width),
# possibly after spaces, tabs or line breaks. Such a cell is written with Excel's quote prefix (the
# leading ' the user does not see), besides being a string cell like every text (`put`).
FORMULA_START = re.compile(r"^[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20\u2212]")


def put(ws, row: int, column: int, value):
    """Write one cell; text is always a string cell, never a formula, whatever its first character
    (openpyxl would make a formula of any text starting with =). Returns the cell."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if FORMULA_START.match(value):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "head_font": Font(name="黑体", bold=True),
        "head_fill": PatternFill("solid", fgColor="F2DCDB"),
        "derived_fill": PatternFill("solid", fgColor="EDEDED"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "title_font": Font(name="黑体", bold=True, size=16),
        "note_font": Font(name="宋体", size=11),
        "sample_font": Font(name="黑体", size=11, bold=True, color="C00000"),
    }


PAGE_NUMBERS = "第 &P 页，共 &N 页"
# Excel's width unit is about one Latin character (1.9 mm at 11 pt); a Chinese character takes two. A
# column's width (2.25 mm units, what its content needs) × 1.2 fits its content printed at 11 pt, and
# the meeting tables then fit a landscape A4 page at about 95 % (the template is wider, to type in).
EXPORT_WIDTH = 1.2  # Excel's page number and page count fields
SAMPLE_LINE = "示例数据，不是真实记录"


def _sheet(wb, title: str, cols: list[Column], styles, heading: list[str] | None = None):
    """A sheet with its column headings. With `heading` (the export: a title, then a line naming the
    branch and any sample mark), those lines come first and merge across the table, and the column
    headings follow; the template has its headings in row 1."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    top = len(heading or [])
    for number, line in enumerate(heading or [], start=1):
        cell = ws.cell(row=number, column=1, value=line)
        cell.font = styles["title_font"] if number == 1 else styles["note_font"]
        cell.alignment = styles["center"] if number == 1 else styles["left"]
        if len(cols) > 1:
            ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(cols))
        ws.row_dimensions[number].height = 30 if number == 1 else 20
    for index, column in enumerate(cols, start=1):
        cell = put(ws, top + 1, index, column.heading)
        cell.font, cell.alignment, cell.border = styles["head_font"], styles["center"], styles["border"]
        cell.fill = styles["derived_fill"] if column.derived else styles["head_fill"]
        ws.column_dimensions[get_column_letter(index)].width = column.width * (EXPORT_WIDTH if heading else 1.8) + 2
    ws.freeze_panes = f"A{top + 2}"
    ws.print_title_rows = f"{top + 1}:{top + 1}"  # the column headings on every printed page
    _print_setup(ws, _landscape(cols))
    return ws


def _print_setup(ws, landscape: bool) -> None:
    """A4, landscape where the table is wide, fitted to the page's width (as many pages long as it
    needs), centred, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddFooter.center.text = PAGE_NUMBERS
    ws.oddFooter.center.size = 10


LINE_HEIGHT = 15  # points: one line of 11 pt text
README_WIDTH = 75  # the 说明 sheet's one column: a portrait A4 line


def _lines(value, width: float) -> int:
    """How many lines a wrapped cell takes at a column width (Excel units: a Chinese character is
    two). Rows are given their height: LibreOffice does not fit a row to wrapped text on opening."""
    if value is None or isinstance(value, (int, float, dt.date)):
        return 1
    usable = max(width - 1, 1)
    return sum(max(1, -(-sum(2 if ord(ch) > 0x2E7F else 1 for ch in part) // int(usable)))
               for part in str(value).split("\n"))


def _page_header(ws, text: str, sample: bool) -> None:
    """The printed header of every page: what the sheet is, and the sample mark (red) while the data is sample."""
    ws.oddHeader.center.text = f"{text}（{SAMPLE_LINE}）" if sample else text
    ws.oddHeader.center.size = 10
    if sample:
        ws.oddHeader.center.color = "C00000"


def _readme(wb, lines: list[str]):
    from openpyxl.styles import Alignment, Font

    ws = wb.active
    ws.title = README_SHEET
    ws.column_dimensions["A"].width = README_WIDTH  # within a portrait A4 page at 100 %: the lines wrap
    for number, line in enumerate(lines, start=1):
        cell = put(ws, number, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[number].height = LINE_HEIGHT * _lines(line, README_WIDTH)
        if number == 1:
            cell.font = Font(name="黑体", bold=True, size=14)
            ws.row_dimensions[number].height = 24


def _year_name(wb, year: int) -> None:
    """The workbook says its year (defined name 台账年度, hidden): the import takes the year from it,
    with the 说明 sheet's title “…<年份>年台账…” as the visible twin (macros/commands/records_rows.py)."""
    from openpyxl.workbook.defined_name import DefinedName

    wb.defined_names[YEAR_NAME] = DefinedName(YEAR_NAME, attr_text=str(year), hidden=True)


def _properties(wb, title: str) -> None:
    wb.properties.title = title
    wb.properties.creator = title
    wb.properties.created = dt.datetime(2000, 1, 1)  # not the build time


def _validation(column, kind, year: int, sources: dict):
    """What Excel checks in a template column (a date of the year, a name of the roster …)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if column.key == "date":
        last_year = year + 1 if kind.held_for_year else year  # 2022年度组织生活会 may be held in 2023
        check = DataValidation(type="date", operator="between", formula1=f"DATE({year},1,1)",
                               formula2=f"DATE({last_year},12,31)")
        check.error = (f"请填写 {year} 年内的日期，如 {year}-03-15" if last_year == year else
                       f"请填写 {year} 年或 {last_year} 年的日期（次年召开的在“年度”列写 {year}）")
    elif column.key == "for_year":
        check = DataValidation(type="whole", operator="equal", formula1=str(year))
        check.error = f"本表是 {year} 年的台账：年度只能写 {year}，其他年度的填在该年的台账表中"
    elif column.key in ("host", "recorder", "partner", "group"):
        check = DataValidation(type="list", formula1=sources["group" if column.key == "group" else "name"])
        check.error = f"请从下拉列表选择（{year} 年党员名册）"
    else:
        check = DataValidation()
    return check


def write_template(records, out: Path, branch: str) -> list[str]:
    """The workbook to fill in for `records.year` (roster and types from the records); returns the
    lines to print."""
    from openpyxl import Workbook

    year, styles, wb = records.year, _styles(), Workbook()
    names = [m.name for m in records.roster]
    kinds = list(records.types.values())
    lines = [
        f"{branch}{year}年台账（填写模板）",
        "每种活动一张工作表（见下方标签），每行一次活动；第 1 行是列名，请勿修改。",
        f"填好后在项目目录运行：make import-records FILE=<本文件>.xlsx（年度取自本表：{year} 年）",
        f"只接受 {year} 年内的日期；其他年份的记录请用该年的模板。",
        "导入时逐行检查，任何一行有误都会列出（写明工作表和行号），全部改正后才写入；已有的记录不会被覆盖。",
        f"暂不清楚的内容写“{UNFILLED}”（网站上显示为黄色“{UNFILLED}”，正式发布前须补全）；"
        f"议题/主题、佐证材料留空也按“{UNFILLED}”处理。",
        f"姓名须与 {year} 年党员名册一致（共 {len(names)} 人，可从下拉列表选择）。",
        "",
        "各列填写方法：",
    ]
    seen: set[str] = set()
    for kind in kinds:
        for column in columns(kind):
            if column.heading not in seen:
                seen.add(column.heading)
                lines.append(f"  {column.heading}：{column.note_for(year)}")
    lines += ["", "工作表：", *(f"  {k.name}（{k.frequency_name}）" for k in kinds)]
    _readme(wb, lines)

    lists = wb.create_sheet(ROSTER_SHEET)
    lists.sheet_state = "hidden"
    for col, values in enumerate(([*names, UNFILLED], [*records.groups, UNFILLED]), start=1):
        for row, value in enumerate(values, start=1):
            put(lists, row, col, value)
    sources = {
        "name": f"'{ROSTER_SHEET}'!$A$1:$A${len(names) + 1}",
        "group": f"'{ROSTER_SHEET}'!$B$1:$B${len(records.groups) + 1}",
    }
    last = TEMPLATE_ROWS + 1
    for kind in kinds:
        cols = columns(kind)
        ws = _sheet(wb, kind.name, cols, styles)
        for index, column in enumerate(cols, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            check = _validation(column, kind, year, sources)
            if column.key == "date":
                ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
            check.allow_blank = True
            check.errorTitle, check.promptTitle, check.prompt = "填写有误", column.heading, column.note_for(year)[:250]
            check.showErrorMessage = check.showInputMessage = True
            check.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(check)
    _year_name(wb, year)
    _properties(wb, f"{branch}{year}年台账（填写模板）")
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return [f"已生成 {year} 年台账模板：{out}（{len(kinds)} 种活动各一张工作表，名册 {len(names)} 人）"]


def _table_sheet(wb, styles, name: str, sheet_title: str, line: str, cols: list[Column], rows, sample: bool):
    """A sheet of the exported 台账: title, the branch line (with the sample mark), headings, the rows."""
    line += f"　　{SAMPLE_LINE}" if sample else ""
    ws = _sheet(wb, name, cols, styles, [sheet_title, line])
    if sample:
        ws["A2"].font = styles["sample_font"]
    _page_header(ws, sheet_title, sample)
    widths = [c.width * EXPORT_WIDTH + 2 for c in cols]
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            cell = put(ws, r, c, value)
            cell.border, cell.alignment = styles["border"], styles["wrap"]
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        ws.row_dimensions[r].height = LINE_HEIGHT * max(_lines(v, w) for v, w in zip(row, widths, strict=True))
    return ws


def ledger_title(branch: str, year: int, redacted: bool) -> str:
    return f"{branch}{year}年台账{'（脱敏版）' if redacted else ''}"


def write_ledger(records, out: Path, branch: str, redacted: bool = False, extra=()) -> None:
    """A year's 台账 as .xlsx (for reporting upward): one sheet per activity type, then the people's
    tables (`extra`: macros/core/people/tables.py). Give it masked records for the redacted copy."""
    from openpyxl import Workbook

    styles, wb = _styles(), Workbook()
    title = ledger_title(branch, records.year, redacted)
    counts = [(kind.name, len(records.of_type(kind.key))) for kind in records.types.values()]
    _readme(
        wb,
        [
            title,
            f"共 {len(records.items)} 次活动：" + "，".join(f"{name} {n} 次" for name, n in counts) + "。",
            *([f"统计截至 {records.cutoff.isoformat()}；另有 {len(records.after_cutoff)} 条记录在统计截至日期之后，"
               "未列入本表。"] if records.after_cutoff else []),
            "应到人数按党员名册和活动类型计算，实到人数为应到人数减去缺席人数。",
            *(["本表为示例数据，不是真实记录。"] if records.sample else []),
            *(["本表为脱敏版：姓名均以 党员1、党员2 …… 代替。"] if redacted else []),
        ],
    )
    readme = wb[README_SHEET]
    _print_setup(readme, landscape=False)
    readme.print_options.horizontalCentered = False
    _page_header(readme, title, records.sample)
    if records.sample:
        readme["A4"].font = styles["sample_font"]
    for kind in records.types.values():
        n = len(records.of_type(kind.key))
        _table_sheet(wb, styles, kind.name,
                     f"{branch}{records.year}年{kind.name}台账{'（脱敏版）' if redacted else ''}",
                     f"党支部：{branch}　　年度：{records.year}年　　共 {n} 次", columns(kind, export=True),
                     rows_of(records, kind), records.sample)
    for table in extra:  # 党员名册, 党员教育学时, 党费: the same title, branch line, sample mark and print setup
        cols = [Column(f"c{n}", h, w) for n, (h, w) in enumerate(zip(table.headings, table.widths, strict=True))]
        ws = _table_sheet(wb, styles, table.sheet,
                          f"{branch}{table.title}{'（脱敏版）' if redacted else ''}",
                          f"党支部：{branch}　　年度：{records.year}年", cols, table.rows, records.sample)
        ws.page_setup.orientation = "landscape" if table.landscape else "portrait"
    _year_name(wb, records.year)
    _properties(wb, title)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


# -- the build: each year's 台账 next to its pages ----------------------------------------------
def ledger_path(year: int) -> str:
    """Where a year's workbook lives in the built site: next to its 台账 pages (docs/records/<year>/)."""
    return f"records/{year}/ledger-{year}.xlsx"


def ledger_download_name(branch: str, year: int, redacted: bool) -> str:
    return ledger_title(branch, year, redacted) + ".xlsx"


def write_site_ledger(records, site_dir: Path, branch: str, masked: bool, extra=()) -> Path:
    """<site>/records/<year>/ledger-<year>.xlsx, made from masked records when names are masked
    (the redacted build, the offline copy); `extra`: the people's tables, already masked likewise."""
    target = Path(site_dir) / ledger_path(records.year)
    write_ledger(masked_records(records) if masked else records, target, branch, masked, extra)
    return target
