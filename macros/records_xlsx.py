"""The 台账 (records) in and out of Excel, with openpyxl.

- `template`: an .xlsx for the secretary to fill: a 说明 sheet, then one sheet per activity type
  (data/activity_types.yaml) with Chinese headings, date checks and name lists (data validation
  pointing at a hidden 名册 sheet made from the year's roster).
- `import`: every row of every sheet is checked (one Chinese line per problem, naming the
  workbook, the sheet and the row), then the files it would make are checked by the build's own
  loader (macros/records.py); only when there is no problem at all is each row written as one
  YAML file under data/records/<year>/ (RECORDS.md). An existing file is never overwritten: the
  same record again is skipped, a different one is an error.
- `export` (and every build but `mkdocs serve`, `write_site_ledger`): a year's 台账 as .xlsx for reporting upward, the
  same columns plus 序号, 应到人数 and 实到人数; the redacted build's and the offline copy's file
  is made from masked records (`redact.masked_records`). An exported workbook imports again (序号
  and the derived columns are ignored).

The columns are defined once here (`columns`) and used by the template, the import, the export
and the printable 台账 (`ledger_tables`, rendered by macros/templates/ledger.html).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from . import records as rec
from .errors import DataError, hint
from .redact import masked_records

UNFILLED = rec.UNFILLED
README_SHEET = "说明"
ROSTER_SHEET = "名册"
# cells holding several items: 王某某（出差）；赵某某（病假） / 观看红色影片、党的二十大专题学习
ITEMS = re.compile(r"[；;\n]+")
ABSENCE = re.compile(r"^(?P<name>[^（()）]+?)\s*[（(]\s*(?P<reason>[^（()）]+?)\s*[)）]$")
NAMES = re.compile(r"[、，,；;\s]+")
DATE_TEXT = re.compile(r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*$")
TEMPLATE_ROWS = 300  # rows of a template sheet that carry the checks
# A table whose columns need more than the 156 mm of a portrait text block (about 70 units of
# 2.25 mm) is printed landscape (225 mm): the meeting tables are, 谈心谈话 is not.
LANDSCAPE_WIDTH = 70


@dataclass(frozen=True)
class Column:
    key: str  # the record field (or derived value) the column shows
    heading: str
    width: float  # about 2.25 mm of a printed table at 10.5 pt (what the column's content needs); Excel: ×1.8+2
    note: str = ""  # how to fill it in (说明 sheet, cell prompt)
    derived: bool = False  # computed, not typed: shown in exports, ignored on import
    printed: bool = True  # a column of the printed 台账


DATE = Column("date", "日期", 9, "写成 2022-03-15 这样的日期（或在单元格中选日期）；必填")
GROUP = Column("group", "党小组", 8, "党小组会必填：召开会议的党小组（可从下拉列表选择）")
TOPIC = Column("topic", "议题/主题", 20, "会议议题、活动主题或党课题目，一行")
HOST = Column("host", "主持人", 7.5, "名册中的姓名（可从下拉列表选择）；党课写主讲人")
RECORDER = Column("recorder", "记录人", 7.5, "名册中的姓名（可从下拉列表选择）；没有记录人留空")
EXPECTED = Column("expected", "应到人数", 5.5, "按名册和活动类型计算，无需填写，导入时忽略", derived=True)
PRESENT = Column("present", "实到人数", 5.5, "应到人数减去缺席人数，无需填写，导入时忽略", derived=True)
ABSENT = Column(
    "absent",
    "缺席人员及原因",
    14,
    "每人写成 姓名（原因），多人用“；”隔开，如 王某某（出差）；赵某某（病假）；全部到会留空",
)
DECISIONS = Column("decisions", "决定事项", 18, "每项一行（单元格内按 Alt+Enter 换行）；没有决定事项留空")
EVIDENCE = Column("evidence", "佐证材料", 13, "会议记录本页码、文件名或档案号，一行")
TAGS = Column("tags", "标注", 10, "可不填；用于统计某类活动，如 观看红色影片，多个用“、”隔开", printed=False)
TALKER = Column("host", "谈话人", 7.5, "发起谈话的人，名册中的姓名")
PARTNER = Column("partner", "谈话对象", 7.5, "谈话的另一方，名册中的姓名")
TALK_TOPIC = Column("topic", "谈话主题", 20, "谈话的主题，一行")
SEQ = Column("seq", "序号", 4.5, derived=True)
ONE_LINE = ("topic", "host", "recorder", "group", "evidence")


def is_pair(kind) -> bool:
    """谈心谈话: two people, no attendance."""
    return kind.attendance == "pair"


def columns(kind, export: bool = False) -> list[Column]:
    """An activity type's columns: what is filled in; with `export` also 序号, 应到人数, 实到人数."""
    seq = [SEQ] if export else []
    if is_pair(kind):
        return [*seq, DATE, TALKER, PARTNER, TALK_TOPIC, RECORDER, EVIDENCE]
    group = [GROUP] if kind.attendance == "group" else []
    derived = [EXPECTED, PRESENT] if export and kind.attendance else []
    return [*seq, DATE, *group, TOPIC, HOST, RECORDER, *derived, ABSENT, DECISIONS, EVIDENCE, TAGS]


def _landscape(cols: list[Column]) -> bool:
    return sum(c.width for c in cols) > LANDSCAPE_WIDTH


# -- records -> rows (export, printed 台账) ------------------------------------------------------
def cell_value(record, column: Column, seq: int):
    """What a column shows for a record: a date, a number or text; 待填 where the record says so,
    empty where the field is simply absent (no recorder, nobody absent)."""
    key = column.key
    if key == "seq":
        return seq
    if key in ("expected", "present"):
        value = getattr(record, key)
        return UNFILLED if value is None else value
    if key in record.unfilled or (key == "partner" and "people" in record.unfilled):
        return UNFILLED
    if key == "date":
        return record.date
    if key == "absent":
        return "；".join(f"{name}（{reason}）" for name, reason in record.absent) or None
    if key in ("decisions", "tags"):
        return ("\n" if key == "decisions" else "、").join(getattr(record, key)) or None
    if key == "partner":
        others = list(record.people)
        if record.host in others:
            others.remove(record.host)  # the first one only (both may be *** in a masked copy)
        return "、".join(others) or None
    return getattr(record, key)


def _order(record) -> tuple:
    """Date, then the file's number: 2022-02-28-group_meeting.yaml before …-2.yaml (an import
    numbers the rows of one day in this order)."""
    match = rec.FILE_NAME.match(Path(record.path).name)
    return (record.date or dt.date.max, int(match.group(3) or 1) if match else 0, record.path)


def rows_of(records, kind, export: bool = True) -> list[list]:
    """The rows of one activity type, in date order."""
    cols = columns(kind, export)
    items = sorted(records.of_type(kind.key), key=_order)
    return [[cell_value(r, c, n) for c in cols] for n, r in enumerate(items, start=1)]


@dataclass(frozen=True)
class LedgerTable:
    """One activity type's table of the printed 台账."""

    key: str
    title: str  # 2022年支部委员会会议台账
    headings: list[str]
    widths: list[float]  # percent of the table's width
    rows: list[list[str]]
    landscape: bool  # too wide for a portrait A4 page


def ledger_tables(records) -> list[LedgerTable]:
    """Every activity type's table for the printable 台账 (a type without records has no rows)."""
    tables = []
    for kind in records.types.values():
        all_cols = columns(kind, export=True)
        keep = [n for n, c in enumerate(all_cols) if c.printed]
        cols = [all_cols[n] for n in keep]
        total = sum(c.width for c in cols)
        rows = [[_shown(row[n]) for n in keep] for row in rows_of(records, kind)]
        tables.append(
            LedgerTable(
                kind.key,
                f"{records.year}年{kind.name}台账",
                [c.heading for c in cols],
                [round(100 * c.width / total, 1) for c in cols],
                rows,
                _landscape(cols),
            )
        )
    return tables


def _shown(value) -> str:
    if isinstance(value, dt.date):  # the year is in the table's title
        return f"{value.month}月{value.day}日"
    return "" if value is None else str(value)


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


def write_template(records, out: Path, branch: str) -> list[str]:
    """The workbook to fill in for `records.year` (roster and types from the records); returns the
    lines to print."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

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
            if column.key == "date":
                check = DataValidation(
                    type="date", operator="between", formula1=f"DATE({year},1,1)", formula2=f"DATE({year},12,31)"
                )
                check.error = f"请填写 {year} 年内的日期，如 {year}-03-15"
                ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
            elif column.key in ("host", "recorder", "partner", "group"):
                source = sources["group" if column.key == "group" else "name"]
                check = DataValidation(type="list", formula1=source)
                check.error = f"请从下拉列表选择（{year} 年党员名册）"
            else:
                check = DataValidation()
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


# -- reading a filled workbook ------------------------------------------------------------------
@dataclass
class Row:
    """One filled row: where it is, and the content of the record file it becomes."""

    sheet: str
    number: int
    kind: object  # ActivityType
    data: dict  # the record file's mapping (RECORDS.md), keys in file order
    names: list[tuple[str, str]] = field(default_factory=list)  # (heading, name): checked against the roster
    year: int | None = None  # of its date (or of the other rows when its date is wrong)

    def where(self, label: str) -> str:
        return f"{label} {self.sheet} 第{self.number}行"


@dataclass
class ImportResult:
    written: list[str] = field(default_factory=list)  # data/records/2022/….yaml（sheet 第n行）
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    text = str(value).strip()
    return text or None


def parse_date(value) -> dt.date | None:
    """A date cell, or text such as 2022-03-15, 2022/3/15, 2022年3月15日; None when invalid."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = DATE_TEXT.match(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


FIELD_ORDER = (
    "type",
    "date",
    "group",
    "topic",
    "host",
    "recorder",
    "absent",
    "decisions",
    "people",
    "tags",
    "evidence",
)


@dataclass
class _Parsed:
    """What one row says, built up column by column."""

    kind: object
    text: dict  # column key -> the cell as text (None when empty)
    data: dict = field(default_factory=dict)
    names: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def headings(self) -> dict[str, str]:
        return {c.key: c.heading for c in columns(self.kind)}


def _date(row: _Parsed, raw, year: int | None) -> None:
    text = row.text.get("date")
    if text is None:
        row.problems.append("日期未填写")
    elif text == UNFILLED:
        row.problems.append(f"日期不能写“{UNFILLED}”：记录文件以日期命名，请填写实际日期")
    elif (day := parse_date(raw)) is None:
        row.problems.append(f"日期“{text}”无效（应写成 2022-03-15 这样的日期）")
    else:
        if year is not None and day.year != year:
            row.problems.append(f"日期“{day.isoformat()}”不在 {year} 年内")
        row.data["date"] = day


def _lines(row: _Parsed) -> None:
    """The one-line fields; topic and evidence (required in a record file) are 待填 when empty."""
    headings = row.headings
    for key in (k for k in ONE_LINE if k in headings):
        value = row.text.get(key)
        if value is not None and "\n" in value:
            row.problems.append(f"{headings[key]}应为一行，不能在单元格内换行")
        if value is None and key in ("topic", "evidence"):
            value = UNFILLED
        if value is None:
            continue
        row.data[key] = value
        if key in ("host", "recorder") and value != UNFILLED:
            row.names.append((headings[key], value))
    if "group" in headings and "group" not in row.data:
        row.problems.append("党小组未填写（党小组会须写明党小组）")


def _absent(row: _Parsed) -> None:
    cell = row.text.get("absent")
    if cell == UNFILLED:
        row.data["absent"] = UNFILLED
        return
    absent = []
    for item in filter(None, (i.strip() for i in ITEMS.split(cell or ""))):
        match = ABSENCE.match(item)
        if not match:
            row.problems.append(f"缺席人员“{item}”应写成 姓名（原因），如 王某某（出差）")
            continue
        absent.append({"name": match["name"], "reason": match["reason"]})
        row.names.append(("缺席人员", match["name"]))
    names = [a["name"] for a in absent]
    row.problems += [f"缺席人员“{name}”写了不止一次" for name in sorted({n for n in names if names.count(n) > 1})]
    if absent:
        row.data["absent"] = absent


def _lists(row: _Parsed) -> None:
    """决定事项 (one a line) and 标注 (separated by 、)."""
    cell = row.text.get("decisions")
    if cell:
        row.data["decisions"] = UNFILLED if cell == UNFILLED else [s.strip() for s in cell.splitlines() if s.strip()]
    if row.text.get("tags"):
        row.data["tags"] = [t for t in NAMES.split(row.text["tags"]) if t]


def _partner(row: _Parsed) -> None:
    """谈心谈话: people is [谈话人, 谈话对象 …]."""
    cell, host = row.text.get("partner"), row.data.get("host")
    if cell == UNFILLED:
        row.data["people"] = UNFILLED
    elif not cell:
        row.problems.append("谈话对象未填写")
    elif host in (None, UNFILLED):
        row.problems.append(f"谈话人未填写（谈话对象已填写时须写明谈话人；都不清楚时两格都写“{UNFILLED}”）")
    else:
        partners = [n for n in NAMES.split(cell) if n]
        row.names += [("谈话对象", n) for n in partners]
        row.data["people"] = [host, *partners]


def parse_row(kind, values: dict, year: int | None, problems: list[str]) -> tuple[dict, list]:
    """A row (cells by column key) as a record file's mapping, and the names to check against the
    roster; a Chinese message per problem is appended to `problems`."""
    row = _Parsed(kind, {key: _cell_text(value) for key, value in values.items()}, {"type": kind.key})
    _date(row, values.get("date"), year)
    _lines(row)
    headings = row.headings
    if "absent" in headings:
        _absent(row)
    _lists(row)
    if "partner" in headings:
        _partner(row)
    problems += row.problems
    return {key: row.data[key] for key in FIELD_ORDER if key in row.data}, row.names


def _header(label: str, ws_title: str, kind, first_row) -> tuple[dict[str, int], list[str]]:
    """Column key -> index from the sheet's first row (序号 and the derived columns are ignored)."""
    known = {c.heading: c for c in columns(kind, export=True)}
    index: dict[str, int] = {}
    errors = []
    for n, heading in enumerate(_cell_text(v) for v in first_row):
        if heading is None:
            continue
        if heading not in known:
            errors.append(
                f"{label} {ws_title} 第1行：列名“{heading}”不是这张表的列{hint(heading, known)}"
                f"（应为：{'、'.join(c.heading for c in columns(kind))}）"
            )
        elif not known[heading].derived:
            index[known[heading].key] = n
    missing = [c.heading for c in columns(kind) if c.key not in index]
    if missing:
        errors.append(f"{label} {ws_title} 第1行：缺少列 {'、'.join(missing)}（第 1 行是列名，请勿修改）")
    return index, errors


def _read_sheet(label: str, ws, kind, year: int | None) -> tuple[list[Row], list[str]]:
    cells = [list(row) for row in ws.iter_rows(values_only=True)]
    if not any(_cell_text(v) for row in cells[1:] for v in row):
        return [], []
    index, errors = _header(label, ws.title, kind, cells[0])
    if any("缺少列" in e for e in errors):
        return [], errors
    rows = []
    for number, row in enumerate(cells[1:], start=2):
        values = {key: (row[n] if n < len(row) else None) for key, n in index.items()}
        if not any(_cell_text(v) for v in values.values()):
            continue  # empty, or only 序号 / 应到 / 实到
        problems: list[str] = []
        data, names = parse_row(kind, values, year, problems)
        errors += [f"{label} {ws.title} 第{number}行：{p}" for p in problems]
        day = data.get("date")
        rows.append(Row(ws.title, number, kind, data, names, year if year is not None else (day.year if day else None)))
    return rows, errors


def read_workbook(path: Path, types: dict, year: int | None) -> tuple[list[Row], list[str]]:
    """Every filled row of every activity sheet, checked on its own; returns (rows, messages).
    The names are checked later, against the roster of each row's year."""
    from openpyxl import load_workbook

    label = path.name
    try:
        wb = load_workbook(path, data_only=True, read_only=True)
    except FileNotFoundError:
        return [], [f"{label}：文件不存在"]
    except Exception:  # zipfile, KeyError, openpyxl's own: whatever a non-workbook raises
        return [], [f"{label}：不是 Excel 工作簿（.xlsx），无法读取；请在 Excel/WPS 中另存为 .xlsx 格式"]
    by_name = {kind.name: kind for kind in types.values()}
    rows: list[Row] = []
    errors: list[str] = []
    try:
        for ws in wb.worksheets:
            kind = by_name.get(ws.title.strip())
            if kind is not None:
                found, problems = _read_sheet(label, ws, kind, year)
                rows, errors = rows + found, errors + problems
            elif ws.title not in (README_SHEET, ROSTER_SHEET) and any(
                _cell_text(v) for row in ws.iter_rows(values_only=True) for v in row
            ):
                errors.append(
                    f"{label} {ws.title}：工作表名不是台账的活动类型{hint(ws.title, by_name)}"
                    f"（应为：{'、'.join(by_name)}）"
                )
    finally:
        wb.close()
    return rows, errors


# -- writing record files -----------------------------------------------------------------------
def _scalar(value) -> str:
    """A YAML scalar that reads back as exactly this text (quoted where YAML would read something
    else: yes, 123, 2022-03-15, a leading * or &, a colon and space, a #)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def record_yaml(data: dict, source: str) -> str:
    """A record file in the layout of RECORDS.md; it reads back as exactly `data`."""
    lines = [
        "# yaml-language-server: $schema=../../../schemas/record.schema.json",
        f"# 由 make import-records 从 {source} 导入",
    ]
    for key, value in data.items():
        if isinstance(value, dt.date):
            lines.append(f"{key}: {value.isoformat()}")
        elif isinstance(value, list) and key == "absent":
            lines.append(f"{key}:")
            for item in value:
                lines += [f"  - name: {_scalar(item['name'])}", f"    reason: {_scalar(item['reason'])}"]
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {_scalar(item)}" for item in value]
        else:
            lines.append(f"{key}: {_scalar(value)}")
    text = "\n".join(lines) + "\n"
    if yaml.safe_load(text) != data:  # data stays data: the file says exactly what the row said
        raise AssertionError(f"记录文件与表格内容不一致：\n{text}")
    return text


def _same(path: Path, data: dict) -> bool:
    """Whether an existing record file holds this record (comments and layout aside)."""
    try:
        old = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    if not isinstance(old, dict):
        return False
    drop = (None, [], "")
    return {k: v for k, v in old.items() if v not in drop} == {k: v for k, v in data.items() if v not in drop}


def record_name(data: dict, n: int) -> str:
    """<YYYY-MM-DD>-<type>[-n].yaml: the n-th row of that type and day in the workbook."""
    return f"{data['date'].isoformat()}-{data['type']}{'' if n == 1 else f'-{n}'}.yaml"


def _render(error) -> str:
    return error.render() if hasattr(error, "render") else str(error)


def _years_loaded(root: Path, rows: list[Row], types: dict, errors: list[str]) -> dict:
    """The records (and roster) of every year the rows fall in."""
    loaded = {}
    for y in sorted({row.year for row in rows if row.year is not None}):
        errs: list = []
        records = rec.load_records(root, y, types, errs)
        if records is None:
            errors.append(f"{y} 年还没有台账目录和党员名册（data/records/{y}/roster.yaml），无法核对姓名；请先建立名册")
        elif errs:
            errors += [f"现有台账数据有错误，请先改正：{_render(e)}" for e in errs]
        else:
            loaded[y] = records
    return loaded


def _roster_problems(row: Row, records) -> list[str]:
    roster, groups = [m.name for m in records.roster], records.groups
    problems = [
        f"{heading}“{name}”不在 {row.year} 年党员名册中{hint(name, roster)}"
        for heading, name in row.names
        if name not in roster
    ]
    group = row.data.get("group")
    if group not in (None, UNFILLED) and group not in groups:
        problems.append(f"党小组“{group}”不在 {row.year} 年党员名册中{hint(group, groups)}")
    return problems


def _plan(root: Path, rows: list[Row], label: str, result: ImportResult) -> list[tuple[Row, str, str]]:
    """(row, path under root, file text) for each row that is not already there."""
    planned = []
    count: dict[tuple, int] = {}
    for row in rows:
        key = (row.data["date"], row.kind.key)
        count[key] = count.get(key, 0) + 1
        rel = (rec.records_dir(root, row.year) / record_name(row.data, count[key])).relative_to(root).as_posix()
        if not (root / rel).exists():
            planned.append((row, rel, record_yaml(row.data, row.where(label))))
        elif _same(root / rel, row.data):
            result.unchanged.append(f"  {rel}（{row.sheet} 第{row.number}行）")
        else:
            result.errors.append(
                f"{row.where(label)}：{rel} 已存在且内容不同，未覆盖。要修改这条记录请直接编辑该文件；"
                "同一天同类活动有两次的，按表中先后对应文件名 -2、-3 …"
            )
    return planned


def _trial(root: Path, planned: list, types: dict, label: str) -> list[str]:
    """The build's own checks (schema, file name, roster, 党小组, 谈话双方) on each year's records
    as they would be, in a copy; each problem of a new file is told by its sheet and row."""
    errors = []
    for y in sorted({row.year for row, _, _ in planned}):
        mine = {rel: (row, text) for row, rel, text in planned if row.year == y}
        errs: list = []
        with tempfile.TemporaryDirectory() as tmp:
            trial = Path(tmp)
            shutil.copytree(rec.records_dir(root, y), rec.records_dir(trial, y))
            for rel, (_, text) in mine.items():
                (trial / rel).write_text(text, "utf-8")
            rec.load_records(trial, y, types, errs)
        for error in errs:
            row = mine.get(getattr(error, "path", None), (None,))[0]
            errors.append(f"{row.where(label)}：{error.message}" if row else _render(error))
    return errors


def import_workbook(root: Path, path: Path, year: int | None = None) -> ImportResult:
    """Check every row; when all are right, write each as a record file. Nothing is written when
    any row is wrong, or would replace an existing file with different content."""
    root, path = Path(root), Path(path)
    label, result = path.name, ImportResult()
    errs: list = []
    types = rec.load_types(root, errs)
    if errs or not types:
        result.errors = [_render(e) for e in errs] or ["没有 data/activity_types.yaml（台账的活动类型），无法导入"]
        return result
    rows, result.errors = read_workbook(path, types, year)
    known = {row.year for row in rows if row.year is not None}
    if len(known) == 1:  # a row with a wrong date: its names are still checked, against that year
        rows = [replace(row, year=row.year or next(iter(known))) for row in rows]
    loaded = _years_loaded(root, rows, types, result.errors)
    for row in (row for row in rows if row.year in loaded):
        result.errors += [f"{row.where(label)}：{p}" for p in _roster_problems(row, loaded[row.year])]
    if not result.errors:
        planned = _plan(root, rows, label, result)
    if not result.errors:
        result.errors = _trial(root, planned, types, label)
    if result.errors:
        return result
    for row, rel, text in planned:
        (root / rel).write_text(text, "utf-8")
        result.written.append(f"  {rel}（{row.sheet} 第{row.number}行）")
    return result


# -- command line (make records-template / make import-records) ---------------------------------
def _branch(root: Path) -> str:
    data = yaml.safe_load((root / "data" / "branch.yaml").read_text("utf-8")) or {}
    return str(data.get("name", ""))


def load_year(root: Path, year: int):
    """One year's records, or SystemExit with the problems (Chinese, one line each)."""
    errors: list = []
    types = rec.load_types(root, errors)
    records = rec.load_records(root, year, types, errors) if types else None
    if errors:
        raise SystemExit("\n".join(map(_render, errors)))
    if records is None:
        raise SystemExit(f"{year} 年没有台账（data/records/{year}/ 与其中的党员名册 roster.yaml）")
    return records


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="台账与 Excel：生成填写模板、导入、导出")
    parser.add_argument("--root", default=".", help="项目目录（含 mkdocs.yml）")
    sub = parser.add_subparsers(dest="command", required=True)
    template = sub.add_parser("template", help="生成填写模板 .xlsx")
    template.add_argument("--year", type=int, help="年度（默认：有台账的最新年度）")
    template.add_argument("--out", help="输出文件（默认：台账模板-<年度>.xlsx）")
    importing = sub.add_parser("import", help="逐行检查并导入填好的 .xlsx")
    importing.add_argument("file")
    importing.add_argument("--year", type=int, help="只接受这一年度的日期")
    export = sub.add_parser("export", help="导出某年度台账 .xlsx")
    export.add_argument("--year", type=int, required=True)
    export.add_argument("--out", required=True)
    export.add_argument("--redacted", action="store_true", help="脱敏：姓名以 党员1、党员2 …… 代替")
    args = parser.parse_args(list(argv) if argv is not None else None)
    root = Path(args.root)
    try:
        if args.command == "template":
            years = rec.record_years(root)
            year = args.year or (years[-1] if years else None)
            if year is None:
                raise SystemExit("data/records/ 下没有任何年度的台账（须先有党员名册 data/records/<年份>/roster.yaml）")
            out = Path(args.out or f"台账模板-{year}.xlsx")
            print("\n".join(write_template(load_year(root, year), out, _branch(root))))
            return 0
        if args.command == "export":
            records, out = load_year(root, args.year), Path(args.out)
            write_ledger(masked_records(records) if args.redacted else records, out, _branch(root), args.redacted)
            print(f"已导出 {args.year} 年台账：{out}（{len(records.items)} 条记录）")
            return 0
        result = import_workbook(root, Path(args.file), args.year)
    except SystemExit as exc:
        print(f"未完成：{exc}", file=sys.stderr)
        return 1
    except DataError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    name = Path(args.file).name
    if result.errors:
        print("\n".join(result.errors), file=sys.stderr)
        print(f"发现 {len(result.errors)} 处错误，没有写入任何文件。改正后请重新导入。", file=sys.stderr)
        return 1
    if not result.written and not result.unchanged:
        print(f"{name} 中没有填写任何记录，没有写入文件。")
        return 0
    lines = [f"已导入 {name}：写入 {len(result.written)} 个记录文件", *result.written]
    if result.unchanged:
        lines += [f"另有 {len(result.unchanged)} 行与已有记录相同，未改动：", *result.unchanged]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
