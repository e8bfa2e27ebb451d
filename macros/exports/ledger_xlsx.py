"""Writing the 台账 workbooks with openpyxl: the template to fill and the yearly export
(macros/commands/records_xlsx.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from macros.core.records.columns import (
    README_SHEET,
    ROSTER_SHEET,
    TEMPLATE_ROWS,
    UNFILLED,
    Column,
    _landscape,
    columns,
    rows_of,
)
from macros.core.redact import masked_records


# -- writing workbooks --------------------------------------------------------------------------
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
    }


def _sheet(wb, title: str, cols: list[Column], styles):
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    for index, column in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=index, value=column.heading)
        cell.font, cell.alignment, cell.border = styles["head_font"], styles["center"], styles["border"]
        cell.fill = styles["derived_fill"] if column.derived else styles["head_fill"]
        ws.column_dimensions[get_column_letter(index)].width = column.width * 1.8 + 2
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if _landscape(cols) else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _readme(wb, lines: list[str]):
    from openpyxl.styles import Alignment, Font

    ws = wb.active
    ws.title = README_SHEET
    ws.column_dimensions["A"].width = 120
    for number, line in enumerate(lines, start=1):
        cell = ws.cell(row=number, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if number == 1:
            cell.font = Font(name="黑体", bold=True, size=14)


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
        f"填好后在项目目录运行：make import-records FILE=<本文件>.xlsx YEAR={year}",
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
                lines.append(f"  {column.heading}：{column.note}")
    lines += ["", "工作表：", *(f"  {k.name}（{k.frequency_name}）" for k in kinds)]
    _readme(wb, lines)

    lists = wb.create_sheet(ROSTER_SHEET)
    lists.sheet_state = "hidden"
    for col, values in enumerate(([*names, UNFILLED], [*records.groups, UNFILLED]), start=1):
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=col, value=value)
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
            check.errorTitle, check.promptTitle, check.prompt = "填写有误", column.heading, column.note[:250]
            check.showErrorMessage = check.showInputMessage = True
            check.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(check)
    _properties(wb, f"{branch}{year}年台账（填写模板）")
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return [f"已生成 {year} 年台账模板：{out}（{len(kinds)} 种活动各一张工作表，名册 {len(names)} 人）"]


def ledger_title(branch: str, year: int, redacted: bool) -> str:
    return f"{branch}{year}年台账{'（脱敏版）' if redacted else ''}"


def write_ledger(records, out: Path, branch: str, redacted: bool = False) -> None:
    """A year's 台账 as .xlsx (for reporting upward): one sheet per activity type. Give it masked
    records for the redacted copy."""
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
    for kind in records.types.values():
        ws = _sheet(wb, kind.name, columns(kind, export=True), styles)
        for r, row in enumerate(rows_of(records, kind), start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                cell.border, cell.alignment = styles["border"], styles["wrap"]
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    _properties(wb, title)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


# -- the build: each year's 台账 next to its pages ----------------------------------------------
def ledger_path(year: int) -> str:
    """Where a year's workbook lives in the built site: next to its 台账 pages (docs/records/<year>/)."""
    return f"records/{year}/ledger-{year}.xlsx"


def ledger_download_name(branch: str, year: int, redacted: bool) -> str:
    return ledger_title(branch, year, redacted) + ".xlsx"


def write_site_ledger(records, site_dir: Path, branch: str, masked: bool) -> Path:
    """<site>/records/<year>/ledger-<year>.xlsx, made from masked records when names are masked
    (the redacted build, the offline copy)."""
    target = Path(site_dir) / ledger_path(records.year)
    write_ledger(masked_records(records) if masked else records, target, branch, masked)
    return target
