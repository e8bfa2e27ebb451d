"""Reading a filled 台账 workbook: each row checked and turned into the content of one record file
(macros/commands/records_import.py writes them)."""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from macros.commands.records_guard import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, Unreadable, inspect
from macros.core.errors import hint
from macros.core.people.tables import SHEETS as PEOPLE_SHEETS  # an exported 台账's 名册/学时/党费 sheets
from macros.core.reading.yaml_errors import char_name
from macros.core.records.columns import (
    ABSENCE,
    DATE_TEXT,
    ITEMS,
    NAMES,
    ONE_LINE,
    README_SHEET,
    ROSTER_SHEET,
    UNFILLED,
    YEAR_NAME,
    columns,
)
from macros.core.scan import FIRST_YEAR, LAST_YEAR

TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?:度)?台账")


# -- reading a filled workbook ------------------------------------------------------------------
@dataclass
class Row:
    """One filled row: where it is, and the content of the record file it becomes."""

    sheet: str
    number: int
    kind: object  # ActivityType
    data: dict  # the record file's mapping (RECORDS.md), keys in file order
    names: list[tuple[str, str]] = field(default_factory=list)  # (heading, name): checked against the roster
    year: int | None = None  # the workbook's year (records_rows.workbook_year); None when it says none

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
    "for_year",
    "group",
    "topic",
    "host",
    "delegated",
    "recorder",
    "absent",
    "decisions",
    "people",
    "tags",
    "evidence",
    "late",
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
        example = f"{year}-03-15 这样的日期" if year is not None else "年-月-日 这样的日期"  # the template's year
        row.problems.append(f"日期“{text}”无效（应写成 {example}）")
    else:
        held_for = _for_year(row, day)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            row.problems.append(f"日期“{day.isoformat()}”的年份不在 {FIRST_YEAR}–{LAST_YEAR} 年之间，请核对")
        elif year is not None and held_for is not None and held_for != year:
            row.problems.append(f"年度“{held_for}”不是本表的 {year} 年：{held_for}年度的{row.kind.name}"
                                f"填在 {held_for} 年的台账表中")
        elif year is not None and (held_for or day.year) != year:
            row.problems.append(f"日期“{day.isoformat()}”不在 {year} 年内（这是 {year} 年的台账；"
                                f"{day.year} 年的记录请用 {day.year} 年的模板导入）")
        row.data["date"] = day


def _for_year(row: _Parsed, day: dt.date) -> int | None:
    """The 年度 column (types held for a year): the year the meeting is held for, written into the
    record as `for_year` when it is not the date's year (2022年度组织生活会 held in February 2023)."""
    text = row.text.get("for_year")
    if text is None:
        return None
    if not (text.isdigit() and len(text) == 4):
        row.problems.append(f"年度“{text}”应为四位年份，如 {day.year - 1}")
        return None
    held_for = int(text)
    if held_for not in (day.year, day.year - 1):
        row.problems.append(f"年度“{held_for}”应为日期所在的 {day.year} 年或上一年 {day.year - 1} 年")
        return None
    if held_for != day.year:
        row.data["for_year"] = held_for
    return held_for


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


# Characters no cell of a 台账 may hold: control characters (a line break only where the column is
# several lines), line/paragraph separators, NEL, zero-width and direction marks. They would be
# invisible in the file and on the page, or break the record file's one-line fields.
HIDDEN_CHARS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                          "\u2060-\u206f\ufeff\ufff9-\ufffb]")


def _cell_problems(row: _Parsed) -> None:
    headings = row.headings
    for key, text in row.text.items():
        if text is None:
            continue
        heading = headings.get(key, key)
        if len(text) > MAX_CELL_CHARS:
            row.problems.append(f"{heading}有 {len(text)} 个字，超过上限 {MAX_CELL_CHARS} 字")
            row.text[key] = None
        elif (bad := HIDDEN_CHARS.search(text)) is not None:
            row.problems.append(f"{heading}含有看不见的{char_name(bad.group())}，请删去后再导入")
            row.text[key] = None


def parse_row(kind, values: dict, year: int | None, problems: list[str]) -> tuple[dict, list]:
    """A row (cells by column key) as a record file's mapping, and the names to check against the
    roster; a Chinese message per problem is appended to `problems`."""
    row = _Parsed(kind, {key: _cell_text(value) for key, value in values.items()}, {"type": kind.key})
    _cell_problems(row)
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


def _header(label: str, ws_title: str, kind, first_row, number: int = 1) -> tuple[dict[str, int], list[str]]:
    """Column key -> index from the sheet's first row (序号 and the derived columns are ignored)."""
    known = {c.heading: c for c in columns(kind, export=True)}
    index: dict[str, int] = {}
    errors = []
    for n, heading in enumerate(_cell_text(v) for v in first_row):
        if heading is None:
            continue
        if heading not in known:
            errors.append(
                f"{label} {ws_title} 第{number}行：列名“{heading}”不是这张表的列{hint(heading, known)}"
                f"（应为：{'、'.join(c.heading for c in columns(kind))}）"
            )
        elif not known[heading].derived:
            index[known[heading].key] = n
    missing = [c.heading for c in columns(kind) if c.key not in index]
    if missing:
        errors.append(f"{label} {ws_title} 第{number}行：缺少列 {'、'.join(missing)}（第 {number} 行是列名，请勿修改）")
    return index, errors


def _cells(ws) -> list[list]:
    """A sheet's values, streamed and capped (records_guard has refused anything beyond the caps);
    what openpyxl cannot parse is one Chinese line (Unreadable), not a traceback."""
    try:
        return [list(row) for row in ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True)]
    except (ParseError, DefusedXmlException, KeyError, ValueError, TypeError, AssertionError, EOFError,
            OSError, zipfile.BadZipFile) as exc:
        raise Unreadable(f"工作表“{ws.title}”的内容已损坏，无法读取（{type(exc).__name__}）；"
                         "请在 Excel/WPS 中打开后另存为 .xlsx") from None



HEADING_ROWS = 3  # an exported sheet has a title and a line above its column headings


def _heading_row(cells: list[list]) -> int:
    """The index of the row of column headings: the first (of the first few) that starts with 日期 —
    row 1 of a template, row 3 of an exported 台账 (title and branch lines above it)."""
    for n, row in enumerate(cells[:HEADING_ROWS]):
        if any(_cell_text(v) == "日期" for v in row):
            return n
    return 0


def filled_rows(cells: list[list], top: int, index: dict[str, int]):
    """(row number, cells by column key) of each row below the headings (cells[top]) with something in a
    column read."""
    for number, row in enumerate(cells[top + 1:], start=top + 2):
        values = {key: (row[n] if n < len(row) else None) for key, n in index.items()}
        if any(_cell_text(v) for v in values.values()):
            yield number, values


def _read_sheet(label: str, ws, kind, year: int | None) -> tuple[list[Row], list[str]]:
    cells = _cells(ws)
    if not cells:
        return [], []
    top = _heading_row(cells)
    if not any(_cell_text(v) for row in cells[top + 1:] for v in row):
        return [], []
    index, errors = _header(label, ws.title, kind, cells[top], top + 1)
    if any("缺少列" in e for e in errors):
        return [], errors
    rows = []
    for number, values in filled_rows(cells, top, index):  # not: empty, or only 序号 / 应到 / 实到
        problems: list[str] = []
        data, names = parse_row(kind, values, year, problems)
        errors += [f"{label} {ws.title} 第{number}行：{p}" for p in problems]
        day = data.get("date")
        held = data.get("for_year") or (day.year if day else None)  # the folder: the year it is held for
        rows.append(Row(ws.title, number, kind, data, names, year if year is not None else held))
    return rows, errors


# The messages of workbook_year: the 台账's (a dues workbook passes its own), formatted with label,
# sheet (说明), name (the defined name), by_name, by_title, year and asked.
RECORDS_YEAR = (
    "{label}：表格的年度不一致：名称“{name}”为 {by_name}，“{sheet}”工作表标题为 {by_title} 年；"
    "请用 make records-template YEAR=<年份> 重新生成模板",
    "{label}：看不出这是哪一年的台账：“{sheet}”工作表第一格应有“<年份>年台账”（如“2023年台账”）；"
    "请用 make records-template YEAR=<年份> 生成的模板填写",
    "{label}：这是 {year} 年的台账，与 YEAR={asked} 不一致；年度以表格为准，"
    "导入 {year} 年请去掉 YEAR= 或写 YEAR={year}",
)


def workbook_year(label: str, wb, asked: int | None, name: str = YEAR_NAME, title: re.Pattern = TITLE_YEAR,
                  messages: tuple[str, str, str] = RECORDS_YEAR) -> tuple[int | None, list[str]]:
    """The year a workbook is for, from the workbook itself (never guessed from its rows): the defined
    name (台账年度, written by the template and the export) and the year in the 说明 sheet's title cell
    (A1, e.g. “某党支部2023年台账（填写模板）”) must agree; YEAR= only checks it. `messages`: when
    they disagree, when there is none, when YEAR= is another year."""
    defined = str(getattr(wb.defined_names.get(name), "attr_text", "") or "").strip().lstrip("=")
    by_name = int(defined) if re.fullmatch(r"\d{4}", defined) else None
    by_title = None
    if README_SHEET in wb.sheetnames:
        first = next(wb[README_SHEET].iter_rows(min_row=1, max_row=1, max_col=1, values_only=True), (None,))
        match = title.search(str(first[0] or ""))
        by_title = int(match.group(1)) if match else None
    year = by_name or by_title
    if by_name and by_title and by_name != by_title:
        problem = messages[0]
    elif year is None:
        problem = messages[1]
    elif asked is not None and asked != year:
        problem = messages[2]
    else:
        return year, []
    return None, [problem.format(label=label, sheet=README_SHEET, name=name, by_name=by_name, by_title=by_title,
                                 year=year, asked=asked)]


def open_workbook(path: Path, label: str):
    """(the workbook, read-only, or None; the problems): first checked without being read
    (macros/commands/records_guard.py: bounds, XML, hidden content), then opened by openpyxl, its
    warnings (about parts it drops) silenced."""
    try:
        report = inspect(path, label)
    except Unreadable as exc:
        return None, [f"{label}：{exc}"]
    if report.problems:
        return None, [f"{label} {problem}" for problem in report.problems]
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(path, data_only=True, read_only=True), []
    except FileNotFoundError:
        return None, [f"{label}：文件不存在"]
    except Exception:  # zipfile, KeyError, openpyxl's own: whatever a non-workbook raises
        return None, [f"{label}：不是 Excel 工作簿（.xlsx），无法读取；请在 Excel/WPS 中另存为 .xlsx 格式"]


def read_workbook(path: Path, types: dict, year: int | None) -> tuple[list[Row], list[str], int | None]:
    """Every filled row of every activity sheet, checked on its own; returns (rows, messages, the
    workbook's year). A row dated outside the workbook's year is refused. The names are checked
    later, against the roster of the year. The workbook is read streaming (open_workbook)."""
    label = path.name
    wb, errors = open_workbook(path, label)
    if wb is None:
        return [], errors, None
    try:
        with warnings.catch_warnings():  # openpyxl warns (UserWarning) about parts it drops
            warnings.simplefilter("ignore")
            return _read_sheets(wb, label, types, year)
    except Unreadable as exc:
        return [], [f"{label}：{exc}"], None


def _read_sheets(wb, label: str, types: dict, year: int | None) -> tuple[list[Row], list[str], int | None]:
    by_name = {kind.name: kind for kind in types.values()}
    rows: list[Row] = []
    errors: list[str] = []
    try:
        year, errors = workbook_year(label, wb, year)
        for ws in wb.worksheets:
            kind = by_name.get(ws.title.strip())
            if kind is not None:
                found, problems = _read_sheet(label, ws, kind, year)
                rows, errors = rows + found, errors + problems
            elif ws.title not in (README_SHEET, ROSTER_SHEET, *PEOPLE_SHEETS) and any(
                _cell_text(v) for row in _cells(ws) for v in row
            ):
                errors.append(
                    f"{label} {ws.title}：工作表名不是台账的活动类型{hint(ws.title, by_name)}"
                    f"（应为：{'、'.join(by_name)}）"
                )
    finally:
        wb.close()
    return rows, errors, year
