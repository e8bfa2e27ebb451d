"""What a filled 台账 workbook must be before openpyxl reads it (make import-records), checked
cheaply from the file itself: a bounded size, a bounded zip, a bounded number of sheets, rows and
columns, well-formed XML without DTD or entities (defusedxml), and nothing hidden that would be
imported unseen. Each refusal is one Chinese line naming the workbook (and the sheet and row).

Limits (a branch's year of 台账 is a few hundred rows in about ten sheets; the template has 300
rows a sheet):

- the file: at most MAX_FILE_BYTES; a regular file (a named pipe or a device is refused before it
  is opened, so the import never hangs on it);
- the zip: at most MAX_MEMBERS parts, each at most MAX_MEMBER_BYTES uncompressed and compressed at
  most MAX_RATIO : 1 (a zip bomb), MAX_TOTAL_BYTES uncompressed in all (the sizes the zip declares
  also bound what Python's zipfile will ever unpack: more data fails its check);
- at most MAX_SHEETS sheets; a cell holding anything beyond row MAX_ROWS or column MAX_COLUMNS is
  refused as soon as the streaming scan meets it (a cell at XFD1048576 costs nothing);
- refused because they would be imported without anyone seeing them: a formula without a saved
  result (the file was written by a program, not saved by Excel/WPS), an error value (#REF! …),
  hidden sheets (other than the template's 名册), hidden rows or columns holding text, and text in
  the colour of its background (white on white).

Reading afterwards (macros/commands/records_rows.py) is streaming too (openpyxl read_only), capped
at the same rows and columns, and refuses cells longer than MAX_CELL_CHARS.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from macros.core.records.columns import README_SHEET, ROSTER_SHEET

MAX_FILE_BYTES = 10_000_000
MAX_MEMBERS = 1_000
MAX_MEMBER_BYTES = 20_000_000
MAX_TOTAL_BYTES = 50_000_000
MAX_RATIO = 200  # a worksheet of text compresses about 10–30 : 1; zeros or spaces 1000 : 1
MAX_SHEETS = 50
MAX_ROWS = 5_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 2_000
SMALL_PART = 1_000_000  # parts under this size are not judged by their ratio

REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


class Unreadable(Exception):
    """The workbook is refused: the message is one Chinese line (without the workbook's name)."""


def _mb(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@dataclass
class Sheet:
    name: str
    state: str  # visible | hidden | veryHidden
    part: str  # xl/worksheets/sheet1.xml


@dataclass
class Report:
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "名册 第3行：…" (the caller adds the workbook)


def open_regular(path: Path):
    """The workbook opened for reading, or Unreadable: checked with stat before it is opened (a named
    pipe given as FILE would block open() and read() for ever), then again on the open file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise Unreadable("文件不存在") from None
    except PermissionError:
        raise Unreadable("没有读取权限") from None
    except OSError as exc:
        raise Unreadable(f"无法读取（{os.strerror(exc.errno or 0) or exc}）") from None
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable("是一个目录，不是 Excel 工作簿")
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("不是普通文件（是管道、设备等特殊文件），拒绝读取")
    if info.st_size > MAX_FILE_BYTES:
        raise Unreadable(f"文件有 {info.st_size / 1e6:.1f} MB，超过导入上限 {_mb(MAX_FILE_BYTES)}；"
                         "一年的台账通常不到 1 MB，请检查是否选错了文件")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Unreadable("没有读取权限" if exc.errno in (errno.EACCES, errno.EPERM) else "无法打开") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the look and the open
        os.close(fd)
        raise Unreadable("不是普通文件，拒绝读取")
    return os.fdopen(fd, "rb")


def _zip(handle) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Unreadable("不是 Excel 工作簿（.xlsx），无法读取；请在 Excel/WPS 中另存为 .xlsx 格式") from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise Unreadable(f"工作簿由 {len(members)} 个部分组成，超过上限 {MAX_MEMBERS}，拒绝读取")
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > SMALL_PART and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Unreadable(f"其中 {info.filename} 的压缩比异常（{info.file_size} 字节压成 "
                             f"{info.compress_size} 字节），像是“压缩炸弹”，拒绝读取")
        if info.file_size > MAX_MEMBER_BYTES:
            raise Unreadable(f"其中 {info.filename} 解压后超过 {_mb(MAX_MEMBER_BYTES)}，不像台账，拒绝读取")
        if total > MAX_TOTAL_BYTES:
            raise Unreadable(f"解压后共超过 {_mb(MAX_TOTAL_BYTES)}，不像台账，拒绝读取")
    return archive


def _xml(archive: zipfile.ZipFile, name: str, what: str):
    try:
        data = archive.read(name)
    except KeyError:
        raise Unreadable(f"工作簿缺少{what}（{name}），文件不完整；请在 Excel/WPS 中打开后另存为 .xlsx") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise Unreadable(f"工作簿的{what}（{name}）已损坏，无法读取") from None
    return _parse(data, what)


def _parse(data: bytes, what: str):
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise Unreadable(f"{what}含有 DTD 或实体声明（正常的 Excel 文件没有），拒绝读取") from None
    except (ParseError, ValueError):
        raise Unreadable(f"{what}的 XML 已损坏，无法读取；请在 Excel/WPS 中打开后另存为 .xlsx") from None


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def sheets_of(archive: zipfile.ZipFile) -> list[Sheet]:
    book = _xml(archive, "xl/workbook.xml", "工作簿目录")
    rels = _xml(archive, "xl/_rels/workbook.xml.rels", "工作簿目录的关系表")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter() if _local(r.tag) == "Relationship"}
    found = []
    for element in book.iter():
        if _local(element.tag) != "sheet":
            continue
        name = element.get("name") or "?"
        target = targets.get(element.get(REL))
        if target is None:
            raise Unreadable(f"工作簿目录中的工作表“{name}”找不到其内容，文件不完整")
        found.append(Sheet(name, element.get("state") or "visible", _target("xl/workbook.xml", target)))
        if len(found) > MAX_SHEETS:
            raise Unreadable(f"工作表超过 {MAX_SHEETS} 张，不像台账，拒绝读取")
    if not found:
        raise Unreadable("工作簿中没有工作表")
    return found


def _colour(element) -> tuple | None:
    """A colour as comparable data: ('rgb', 'FFFFFF') or ('theme', '0'); None when unset."""
    if element is None:
        return None
    if element.get("rgb"):
        return ("rgb", element.get("rgb")[-6:].upper())
    if element.get("theme") is not None:
        return ("theme", element.get("theme"))
    if element.get("indexed") is not None:
        return ("indexed", element.get("indexed"))
    return None


WHITE = {("rgb", "FFFFFF"), ("theme", "0"), ("indexed", "9"), ("indexed", "1")}


def invisible_styles(archive: zipfile.ZipFile) -> set[int]:
    """Cell style numbers whose text has the colour of its background: the font colour equals the
    fill colour, or a white font on no fill (a white page)."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = _xml(archive, "xl/styles.xml", "样式表")
    parts = {_local(child.tag): child for child in styles}
    fonts = [next((_colour(c) for c in font if _local(c.tag) == "color"), None)
             for font in parts.get("fonts", ())]
    fills = []
    for fill in parts.get("fills", ()):
        pattern = next((c for c in fill if _local(c.tag) == "patternFill"), None)
        if pattern is None or pattern.get("patternType") in (None, "none"):
            fills.append(None)
        else:
            fills.append(next((_colour(c) for c in pattern if _local(c.tag) == "fgColor"), None))
    found = set()
    for n, xf in enumerate(parts.get("cellXfs", ())):
        font = _index(fonts, xf.get("fontId"))
        fill = _index(fills, xf.get("fillId"))
        if font is not None and (font == fill or (fill is None and font in WHITE)):
            found.add(n)
    return found


def _index(items: list, number: str | None):
    try:
        return items[int(number or 0)]
    except (ValueError, IndexError):
        return None


def _scan_sheet(archive: zipfile.ZipFile, sheet: Sheet, invisible: set[int], checked: bool, report: Report) -> None:
    """Stream one sheet's XML: bounds always; hidden or unreadable content where `checked`."""
    where = f"工作表“{sheet.name}”"
    problems: set[str] = set()
    redo = "请在 Excel/WPS 中打开后另存为 .xlsx"
    try:
        with archive.open(sheet.part) as source:
            _walk(source, sheet, where, invisible, checked, problems)
    except DefusedXmlException:
        raise Unreadable(f"{where}含有 DTD 或实体声明（正常的 Excel 文件没有），拒绝读取") from None
    except KeyError:
        raise Unreadable(f"{where}的内容（{sheet.part}）不在文件中，文件不完整；{redo}") from None
    except (ParseError, ValueError):
        raise Unreadable(f"{where}的 XML 已损坏，无法读取；{redo}") from None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise Unreadable(f"{where}的内容已损坏，无法读取") from None
    report.problems += sorted(problems, key=_row_order)


def _walk(source, sheet: Sheet, where: str, invisible: set[int], checked: bool, problems: set) -> None:
    hidden_cols: list[tuple[int, int]] = []
    row_hidden = False
    sheet_data = None
    for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                row_hidden = element.get("hidden") in ("1", "true") or (
                    element.get("customHeight") in ("1", "true") and element.get("ht") in ("0", "0.0"))
            elif tag == "sheetData":
                sheet_data = element
        elif tag == "col" and element.get("hidden") in ("1", "true"):
            hidden_cols.append((int(element.get("min", 0)), int(element.get("max", 0))))
        elif tag == "c":
            _cell(element, sheet, where, invisible, hidden_cols, row_hidden, checked, problems)
            element.clear()
        elif tag == "row":
            element.clear()
            if sheet_data is not None:
                sheet_data.remove(element)  # what was read is not kept (a sheet can hold a million rows)


def _row_order(problem: str):
    match = re.search(r"第(\d+)行", problem)
    return (int(match.group(1)) if match else 0, problem)


def _cell(element, sheet: Sheet, where: str, invisible: set[int], hidden_cols, row_hidden: bool, checked: bool,
          problems: set) -> None:
    children = {_local(child.tag): child for child in element}
    value = children.get("v")
    inline = children.get("is")
    formula = children.get("f")
    has_value = (value is not None and (value.text or "") != "") or (
        inline is not None and "".join(inline.itertext()) != "")
    if not has_value and formula is None:
        return  # a formatted empty cell
    match = CELL_REF.match(element.get("r") or "")
    if match is None:
        raise Unreadable(f"{where}中有单元格没有位置（r 属性），不是 Excel 保存的文件；"
                         "请在 Excel/WPS 中打开后另存为 .xlsx")
    column, row = column_index_from_string(match.group(1)), int(match.group(2))  # A-ZZZ: CELL_REF
    if row > MAX_ROWS or column > MAX_COLUMNS:
        raise Unreadable(f"{where}在 {match.group(1)}{row} 有内容，超出导入范围（最多 {MAX_ROWS} 行、"
                         f"{MAX_COLUMNS} 列，即 A1:{get_column_letter(MAX_COLUMNS)}{MAX_ROWS}）；请删去多余内容")
    if not checked:
        return
    at = f"{sheet.name} 第{row}行"
    letter = match.group(1)
    if formula is not None and not has_value:
        problems.add(f"{at}：{letter}{row} 是公式但没有保存计算结果（文件不是由 Excel/WPS 保存的）；"
                     "请在 Excel 或 WPS 中打开并保存后再导入，或把公式改为数值")
    if element.get("t") == "e":
        problems.add(f"{at}：{letter}{row} 是错误值 {value.text if value is not None else ''}；请改正后再导入")
    if row_hidden:
        problems.add(f"{at}：这一行被隐藏，但有内容；请取消隐藏并核对后再导入")
    if row > 1 and any(low <= column <= high for low, high in hidden_cols):  # row 1: headings, checked anyway
        problems.add(f"{at}：{letter} 列被隐藏，但 {letter}{row} 有内容；请取消隐藏并核对后再导入")
    if element.get("s") and int(element.get("s")) in invisible:
        problems.add(f"{at}：{letter}{row} 的文字颜色与底色相同（看不见）；请改为可见的颜色并核对后再导入")


def inspect(path: Path, label: str) -> Report:
    """Check a workbook before it is read; Unreadable (one line) when it must not be read at all,
    else a Report whose problems (each "工作表 第n行：…") refuse the import."""
    with open_regular(path) as handle, _zip(handle) as archive:
        report = Report(sheets_of(archive))
        invisible = invisible_styles(archive)
        for sheet in report.sheets:
            hidden = sheet.state != "visible"
            if hidden and sheet.name == ROSTER_SHEET:
                _scan_sheet(archive, sheet, invisible, False, report)
                continue
            before = len(report.problems)
            _scan_sheet(archive, sheet, invisible, sheet.name not in (README_SHEET, ROSTER_SHEET), report)
            if hidden and (len(report.problems) > before or _has_content(archive, sheet)):
                report.problems.insert(before, f"{sheet.name}：这张工作表被隐藏了，但有内容；"
                                       "请取消隐藏并核对（或删除这张表）后再导入")
        return report


def _has_content(archive: zipfile.ZipFile, sheet: Sheet) -> bool:
    with archive.open(sheet.part) as source:
        for _, element in iterparse(source, events=("end",), forbid_dtd=True):
            if _local(element.tag) in ("v", "is") and "".join(element.itertext()).strip():
                return True
            if _local(element.tag) == "row":
                element.clear()
    return False
