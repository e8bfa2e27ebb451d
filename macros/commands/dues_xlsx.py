"""党费 in and out of Excel, for a branch that keeps its 党费 in a workbook (issue 24.5).

- `template` (make dues-template YEAR=2023): an .xlsx with a 说明 sheet and one sheet 党费交纳 to fill,
  one row per payment: 所交月份, 姓名 (a list from the year's roster), 实交金额（元）, 交纳日期. The
  workbook says its year (defined name 党费年度 and the 说明 title) and the import takes it from there.
- `import` (make import-dues FILE=…): the workbook is first checked without being read
  (records_guard: size, zip, hidden content), then every row on its own (month of the year, a member
  who owes that month by the roster, an amount in fen, a date); then the year's dues.yaml with the
  new payments is loaded by the build's own loader in a scratch copy of the data. Only when nothing
  is wrong are the new payments added to data/people/<year>/dues.yaml: inserted under their month,
  every other line of the file (bases, comments, earlier payments) unchanged, the file replaced in
  one rename while holding the import lock. A payment already in the file is skipped (importing the
  same workbook twice changes nothing). The 计算基数 stay in the YAML file: they change rarely and
  are personal; the workbook carries no base.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from macros.commands.cli import Parser, path_text
from macros.commands.cli import year as year_arg
from macros.commands.records_guard import Unreadable
from macros.commands.records_import import _branch, load_year
from macros.commands.records_rows import _cell_text, _cells, filled_rows, open_workbook, parse_date, workbook_year
from macros.commands.records_write import import_lock
from macros.core.atomic import write_atomic
from macros.core.errors import DataErrors, printable
from macros.core.people import dues as dues_mod
from macros.core.records.columns import ROSTER_SHEET
from macros.core.records.model import INVISIBLE

SHEET = "党费交纳"
YEAR_NAME = "党费年度"
COLUMNS = (("month", "所交月份", 12), ("name", "姓名", 12), ("paid", "实交金额（元）", 16), ("date", "交纳日期", 14))
ROWS = 300
MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
TITLE_YEAR = re.compile(r"(\d{4})年党费交纳")
YEAR_MESSAGES = (  # records_rows.workbook_year's, for a dues workbook
    "{label}：表格的年度不一致：名称“{name}”为 {by_name}，“{sheet}”标题为 {by_title} 年；"
    "请用 make dues-template YEAR=<年份> 重新生成模板",
    "{label}：看不出这是哪一年的党费表：“{sheet}”工作表第一格应有“<年份>年党费交纳”；"
    "请用 make dues-template YEAR=<年份> 生成的模板填写",
    "{label}：这是 {year} 年的党费表，与 YEAR={asked} 不一致；年度以表格为准",
)


def dues_path(root: Path, year: int) -> Path:
    return Path(root) / "data" / "people" / str(year) / "dues.yaml"


# -- the template ---------------------------------------------------------------------------------
def write_dues_template(records, out: Path, branch: str) -> list[str]:
    """The workbook to fill for `records.year`; returns the lines to print."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    from macros.core.records.columns import Column
    from macros.exports.ledger_xlsx import _readme, _sheet, _styles, put

    year, styles, wb = records.year, _styles(), Workbook()
    names = [m.name for m in records.roster]
    _readme(wb, [
        f"{branch}{year}年党费交纳（填写模板）",
        f"每交纳一笔党费填一行：所交月份（如 {year}-03）、姓名（从下拉列表选）、"
        "实交金额（元，最多两位小数）、交纳日期。",
        f"填好后在项目目录运行：make import-dues FILE=<本文件>.xlsx（年度取自本表：{year} 年）。",
        "导入时逐行检查，任何一行有误都会列出（写明行号），全部改正后才写入 "
        f"data/people/{year}/dues.yaml；已有的交纳记录不会重复写入。",
        "应交金额不用填：按 dues.yaml 中每人的计算基数和交纳比例算出。"
        "交纳日期在所交月份之后的记为补交，之前的记为预交。",
        f"姓名须是当月在本支部的党员（{year} 年党员名册，共 {len(names)} 人）。",
    ])
    lists = wb.create_sheet(ROSTER_SHEET)
    lists.sheet_state = "hidden"
    for row, value in enumerate(names, start=1):
        put(lists, row, 1, value)
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    for row, value in enumerate(months, start=1):
        put(lists, row, 2, value)
    ws = _sheet(wb, SHEET, [Column(key, heading, width) for key, heading, width in COLUMNS], styles)
    checks = {
        "A": DataValidation(type="list", formula1=f"'{ROSTER_SHEET}'!$B$1:$B$12"),
        "B": DataValidation(type="list", formula1=f"'{ROSTER_SHEET}'!$A$1:$A${max(len(names), 1)}"),
        "C": DataValidation(type="decimal", operator="between", formula1="0.01", formula2="100000"),
        "D": DataValidation(type="date", operator="between", formula1=f"DATE({year - 1},1,1)",
                            formula2=f"DATE({year + 1},12,31)"),
    }
    notes = {"A": f"从下拉列表选所交的月份（{year} 年）", "B": f"从下拉列表选姓名（{year} 年党员名册）",
             "C": "实交金额，单位元，最多两位小数", "D": f"交纳当天的日期，如 {year}-03-10"}
    headings = dict(zip("ABCD", (h for _, h, _ in COLUMNS), strict=True))
    for letter, check in checks.items():
        check.allow_blank = True
        check.showErrorMessage = check.showInputMessage = True
        check.errorTitle, check.error = "填写有误", notes[letter]
        check.promptTitle, check.prompt = headings[letter], notes[letter]
        check.add(f"{letter}2:{letter}{ROWS + 1}")
        ws.add_data_validation(check)
        if letter == "D":
            ws.column_dimensions["D"].number_format = "yyyy-mm-dd"
    wb.defined_names[YEAR_NAME] = DefinedName(YEAR_NAME, attr_text=str(year), hidden=True)
    wb.properties.title = wb.properties.creator = f"{branch}{year}年党费交纳（填写模板）"
    wb.properties.created = dt.datetime(2000, 1, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return [f"已生成 {year} 年党费交纳模板：{out}（名册 {len(names)} 人）"]


# -- reading a filled workbook -------------------------------------------------------------------
@dataclass(frozen=True)
class Paid:
    month: tuple[int, int]
    name: str
    paid: Decimal
    day: dt.date
    row: int

    def line(self) -> str:
        return f"    - {{name: {self.name}, paid: {self.paid:.2f}, date: {self.day.isoformat()}}}"


@dataclass
class DuesResult:
    year: int | None = None
    errors: list[str] = field(default_factory=list)
    added: list[Paid] = field(default_factory=list)
    unchanged: int = 0
    path: str = ""


def _month(value, year: int | None) -> tuple[int, int] | None:
    if isinstance(value, dt.datetime | dt.date):
        return value.year, value.month
    text = _cell_text(value)
    if text is None:
        return None
    match = MONTH.match(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return int(match.group(1)), int(match.group(2))
    if year is not None and re.fullmatch(r"\d{1,2}\s*月?", text) and 1 <= int(re.match(r"\d+", text).group()) <= 12:
        return year, int(re.match(r"\d+", text).group())
    return None


def _amount(value) -> Decimal | None:
    text = _cell_text(value)
    if text is None:
        return None
    try:
        amount = Decimal(str(value) if isinstance(value, int | float) else text.replace(",", "").removesuffix("元"))
    except InvalidOperation:
        return None
    if isinstance(value, float):
        amount = Decimal(repr(value))
    return amount if amount.is_finite() else None


def _header(cells: list[list]) -> tuple[int, dict[str, int]] | None:
    headings = {heading: key for key, heading, _ in COLUMNS}
    for top, row in enumerate(cells[:4]):
        found = {headings[_cell_text(v)]: n for n, v in enumerate(row) if _cell_text(v) in headings}
        if len(found) == len(COLUMNS):
            return top, found
    return None


def _what(values: dict, key: str) -> str:
    return printable(_cell_text(values[key]) or "")


def _month_problem(values: dict, month, year: int) -> str | None:
    if month is None:
        return (f"所交月份“{_what(values, 'month')}”应写成 {year}-03 的形式" if _cell_text(values["month"])
                else "缺少所交月份")
    if month[0] != year:
        return f"所交月份 {month[0]}-{month[1]:02d} 不在 {year} 年内；其他年度的交纳记录填在该年的党费表中"
    return None


def _name_problem(name: str | None, month, year: int, roster: dict) -> str | None:
    if name is None:
        return "缺少姓名"
    if INVISIBLE.search(name):
        return f"姓名“{printable(name)}”含有看不见的字符；请删去后重新输入"
    if name not in roster:
        return f"{name} 不在 {year} 年党员名册中"
    if month and month[0] == year and not dues_mod.owes(roster[name], year, month[1]):
        return f"{name} {month[1]}月不在本支部交纳党费（见名册的转入、转出日期）"
    return None


def _amount_problem(values: dict, amount) -> str | None:
    if amount is None:
        return f"实交金额“{_what(values, 'paid')}”应为金额（元）" if _cell_text(values["paid"]) else "缺少实交金额"
    if amount <= 0 or amount > 100000:
        return f"实交金额 {amount} 应大于 0、不超过 100000 元"
    if amount.as_tuple().exponent < -2:
        return f"实交金额 {amount} 最多写到分（两位小数）"
    return None


def _row(values: dict, year: int, number: int, roster: dict) -> tuple[Paid | None, list[str]]:
    month, name = _month(values["month"], year), _cell_text(values["name"])
    amount, day = _amount(values["paid"]), parse_date(values["date"])
    date_problem = None if day is not None else (
        f"交纳日期“{_what(values, 'date')}”应为日期，如 {year}-03-10" if _cell_text(values["date"]) else "缺少交纳日期")
    problems = [p for p in (_month_problem(values, month, year), _name_problem(name, month, year, roster),
                            _amount_problem(values, amount), date_problem) if p]
    if problems:
        return None, problems
    return Paid(month, name, amount.quantize(dues_mod.FEN), day, number), []


def _rows(label: str, cells: list[list], year: int, roster: dict) -> tuple[list[Paid], list[str]]:
    found = _header(cells)
    if found is None:
        return [], [f"{label} {SHEET}：找不到列名（应有 {'、'.join(h for _, h, _ in COLUMNS)}）"]
    top, index = found
    rows, errors, seen = [], [], {}
    for number, values in filled_rows(cells, top, index):
        paid, problems = _row(values, year, number, roster)
        errors += [f"{label} {SHEET} 第{number}行：{p}" for p in problems]
        if paid is None:
            continue
        key = (paid.month, paid.name, paid.paid, paid.day)
        if key in seen:
            errors.append(f"{label} {SHEET} 第{number}行：与第{seen[key]}行完全相同；同一笔党费只填一行")
            continue
        seen[key] = number
        rows.append(paid)
    return rows, errors


def read_dues_workbook(path: Path, asked: int | None, roster_of) -> tuple[int | None, list[Paid], list[str]]:
    """(year, rows, problems) of a filled 党费 workbook; `roster_of(year)` gives {name: Member}."""
    label = path.name
    wb, errors = open_workbook(path, label)
    if wb is None:
        return None, [], errors
    try:
        year, errors = workbook_year(label, wb, asked, YEAR_NAME, TITLE_YEAR, YEAR_MESSAGES)
        if year is None:
            return None, [], errors
        if SHEET not in wb.sheetnames:
            return year, [], [f"{label}：没有“{SHEET}”工作表；请用 make dues-template YEAR={year} 生成的模板填写"]
        roster = roster_of(year)
        cells = _cells(wb[SHEET])
    except Unreadable as exc:
        return None, [], [f"{label}：{exc}"]
    finally:
        wb.close()
    rows, errors = _rows(label, cells, year, roster)
    return year, rows, errors


# -- writing dues.yaml ------------------------------------------------------------------------------
def add_payments(text: str, new: list[Paid]) -> str:
    """The dues.yaml text with `new` inserted under their months (a month not there yet: a new block in
    month order); every existing line is kept as it is."""
    lines = text.split("\n")
    start = next((n for n, line in enumerate(lines) if re.match(r"^payments:", line)), None)
    if start is None:
        raise ValueError("payments")
    if re.match(r"^payments:\s*\{\s*\}\s*(#.*)?$", lines[start]):
        lines[start] = "payments:"
    end = next((n for n in range(start + 1, len(lines)) if lines[n] and not lines[n].startswith((" ", "#"))),
               len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    keys = {}
    for n in range(start + 1, end):
        match = re.match(r"^  (?:'|\")?(\d{4}-\d{2})(?:'|\")?:", lines[n])
        if match:
            keys[match.group(1)] = n
    by_month: dict[str, list[str]] = {}
    for p in sorted(new, key=lambda p: (p.month, p.row)):
        by_month.setdefault(f"{p.month[0]}-{p.month[1]:02d}", []).append(p.line())
    for month in sorted(by_month):
        if month in keys:
            nxt = min([n for n in keys.values() if n > keys[month]] + [end])
            at = 1 + max([n for n in range(keys[month] + 1, nxt)
                          if lines[n].strip() and not lines[n].lstrip().startswith("#")] + [keys[month]])
            block = by_month[month]
        else:
            later = [n for k, n in keys.items() if k > month]
            at = min(later) if later else end
            block = [f"  {month}:", *by_month[month]]
        lines[at:at] = block
        keys = {k: (n + len(block) if n >= at else n) for k, n in keys.items()}
        keys.setdefault(month, at)
        end += len(block)
    return "\n".join(lines)


def _trial(root: Path, year: int, text: str) -> list[str]:
    """The build's own checks on the data with the new dues.yaml (in a scratch copy)."""
    from macros.core.load import load_site

    with tempfile.TemporaryDirectory(prefix="dues-import-") as scratch:
        copy = Path(scratch)
        shutil.copytree(Path(root) / "data", copy / "data")
        (copy / "docs").mkdir()
        dues_path(copy, year).write_text(text, "utf-8")
        try:
            load_site(copy, copy / "docs")
        except DataErrors as exc:
            return [f"导入后的检查：{e.render()}" for e in exc.errors if "dues.yaml" in e.path]
    return []


def import_dues(root: Path, path: Path, year: int | None = None) -> DuesResult:
    root = Path(root)
    result = DuesResult()

    def roster_of(number: int) -> dict:
        return {m.name: m for m in load_year(root, number).roster}

    try:
        result.year, rows, result.errors = read_dues_workbook(Path(path), year, roster_of)
    except SystemExit as exc:
        result.errors = [str(exc)]
        return result
    if result.errors or result.year is None:
        return result
    target = dues_path(root, result.year)
    result.path = target.relative_to(root).as_posix()
    if not target.exists():
        result.errors = [f"没有 {result.path}：请先在其中写明 {result.year} 年每人的计算基数"
                         "（bases，见编辑指南“党费”），再导入交纳记录"]
        return result
    with import_lock(root):
        text = target.read_text("utf-8")
        import yaml

        existing = yaml.safe_load(text) or {}
        have = {(tuple(map(int, str(month).split("-"))), p["name"], Decimal(str(p["paid"])).quantize(dues_mod.FEN),
                 dt.date.fromisoformat(str(p["date"])))
                for month, entries in (existing.get("payments") or {}).items() for p in entries or ()}
        result.added = [p for p in rows if (p.month, p.name, p.paid, p.day) not in have]
        result.unchanged = len(rows) - len(result.added)
        if not result.added:
            return result
        new_text = add_payments(text, result.added)
        result.errors = _trial(root, result.year, new_text)
        if result.errors:
            result.added = []
            return result
        write_atomic(target, new_text)
    return result


def main(argv: Iterable[str] | None = None) -> int:
    parser = Parser(prog="python -m macros.commands.dues_xlsx", description="党费交纳与 Excel：生成填写模板、导入")
    parser.add_argument("--root", default=".", help="项目目录（含 mkdocs.yml）")
    sub = parser.add_subparsers(dest="command", required=True)
    template = sub.add_parser("template", help="生成党费交纳填写模板 .xlsx")
    template.add_argument("--year", type=year_arg, required=True)
    template.add_argument("--out", type=path_text, help="输出文件（默认：党费交纳-<年度>.xlsx）")
    importing = sub.add_parser("import", help="逐行检查并导入填好的 .xlsx")
    importing.add_argument("file", type=path_text)
    importing.add_argument("--year", type=year_arg, help="核对：表格的年度应为这一年（年度取自表格本身）")
    args = parser.parse_args(list(argv) if argv is not None else None)
    root = Path(args.root)
    if args.command == "template":
        try:
            records = load_year(root, args.year)
        except SystemExit as exc:
            print(f"未完成：{exc}", file=sys.stderr)
            return 1
        print("\n".join(write_dues_template(records, Path(args.out or f"党费交纳-{args.year}.xlsx"), _branch(root))))
        return 0
    result = import_dues(root, Path(args.file), args.year)
    if result.errors:
        print("\n".join(result.errors), file=sys.stderr)
        print(f"发现 {len(result.errors)} 处错误，没有写入任何内容。改正后请重新导入。", file=sys.stderr)
        return 1
    if not result.added:
        print(f"{Path(args.file).name}：没有新的交纳记录（已有 {result.unchanged} 笔），"
              f"{result.path or '文件'} 未改动。")
        return 0
    print(f"已将 {len(result.added)} 笔党费交纳记录写入 {result.path}"
          + (f"（另有 {result.unchanged} 笔已有，未重复写入）" if result.unchanged else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
