"""The 台账's columns, defined once: used by the Excel template, import and export and by the
printable 台账 (macros/pages/records_print.py)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from macros.core.records import model as rec

UNFILLED = rec.UNFILLED
README_SHEET = "说明"
ROSTER_SHEET = "名册"
YEAR_NAME = "台账年度"  # the workbook's defined name holding its year (template and export; the import reads it)
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

    def note_for(self, year: int) -> str:
        """How to fill it in, its example dates in the template's year ({prev}: the year before)."""
        return self.note.replace("{year}", str(year)).replace("{prev}", str(year - 1))


DATE = Column("date", "日期", 9, "写成 {year}-03-15 这样的日期（或在单元格中选日期）；必填")
FOR_YEAR = Column("for_year", "年度", 5, "按年度召开的活动所属的年度，写四位年份："
                  "{prev}年度组织生活会在{year}年2月召开，也写 {prev}；不填则为日期所在的年")
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
DELEGATED = Column("delegated", "委托主持说明", 12,
                   "由规定的主持人以外的人主持时必填，如 书记出差，委托组织委员主持；规定的主持人主持时留空",
                   printed=False)
TAGS = Column("tags", "标注", 10, "可不填；用于统计某类活动，如 观看红色影片，多个用“、”隔开", printed=False)
TALKER = Column("host", "谈话人", 7.5, "发起谈话的人，名册中的姓名")
PARTNER = Column("partner", "谈话对象", 7.5, "谈话的另一方，名册中的姓名")
TALK_TOPIC = Column("topic", "谈话主题", 20, "谈话的主题，一行")
SEQ = Column("seq", "序号", 4.5, derived=True)
ONE_LINE = ("topic", "host", "delegated", "recorder", "group", "evidence")


def is_pair(kind) -> bool:
    """谈心谈话: two people, no attendance."""
    return kind.attendance == "pair"


def columns(kind, export: bool = False) -> list[Column]:
    """An activity type's columns: what is filled in; with `export` also 序号, 应到人数, 实到人数."""
    seq = [SEQ] if export else []
    if is_pair(kind):
        return [*seq, DATE, TALKER, PARTNER, TALK_TOPIC, RECORDER, EVIDENCE]
    group = [GROUP] if kind.attendance == "group" else []
    for_year = [FOR_YEAR] if kind.held_for_year else []
    derived = [EXPECTED, PRESENT] if export and kind.attendance else []
    chair = getattr(kind, "chair", None)
    delegated = [DELEGATED] if chair is not None and chair.instead else []  # macros/core/people/chair.py
    return [*seq, DATE, *for_year, *group, TOPIC, HOST, *delegated, RECORDER, *derived, ABSENT, DECISIONS, EVIDENCE,
            TAGS]


def _landscape(cols: list[Column]) -> bool:
    return sum(c.width for c in cols) > LANDSCAPE_WIDTH


# -- records -> rows (export, printed 台账) ------------------------------------------------------
def cell_value(record, column: Column, seq: int):
    """What a column shows for a record: a date, a number or text; 待填 where the record says so,
    empty where the field is simply absent (no recorder, nobody absent)."""
    key = column.key
    if key == "seq":
        return seq
    if key == "for_year":
        return record.for_year
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
        rows = [[_shown(row[n], records.year) for n in keep] for row in rows_of(records, kind)]
        date_at = next((i for i, n in enumerate(keep) if all_cols[n].key == "date"), None)
        items = sorted(records.of_type(kind.key), key=_order)  # the order of rows_of
        for row, record in zip(rows, items, strict=True):
            if record.late is not None and date_at is not None:  # entered after the year's report was issued
                row[date_at] = f"{row[date_at]} {record.late_label}"
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


def _shown(value, year: int) -> str:
    if isinstance(value, dt.date):  # the year is in the table's title, unless it is another (年度: for_year)
        prefix = f"{value.year}年" if value.year != year else ""
        return f"{prefix}{value.month}月{value.day}日"
    return "" if value is None else str(value)
