"""Reading a filled 台账 workbook: every row checked, then the record files it would make checked by the
build's own loader; nothing written unless there is no problem at all (macros/commands/records_xlsx.py)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import yaml

from macros.commands.records_rows import ImportResult, Row, read_workbook
from macros.commands.records_write import WriteFailed, import_lock, write_all
from macros.core import issued as issued_mod
from macros.core.errors import hint
from macros.core.reading.yamlio import yaml_scalar
from macros.core.records import model as rec
from macros.core.records.columns import (
    UNFILLED,
    columns,
    is_pair,
)


# -- writing record files -----------------------------------------------------------------------
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
                lines += [f"  - name: {yaml_scalar(item['name'])}", f"    reason: {yaml_scalar(item['reason'])}"]
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {yaml_scalar(item)}" for item in value]
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    text = "\n".join(lines) + "\n"
    if yaml.safe_load(text) != data:  # data stays data: the file says exactly what the row said
        raise ValueError(f"记录文件与表格内容不一致：\n{text}")
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

    def kept(record: dict) -> dict:  # when a record was entered (late) does not make it another record
        return {k: v for k, v in record.items() if v not in drop and k != "late"}

    return kept(old) == kept(data)


def record_name(data: dict, n: int) -> str:
    """<YYYY-MM-DD>-<type>[-n].yaml: the n-th row of that type and day in the workbook."""
    return f"{data['date'].isoformat()}-{data['type']}{'' if n == 1 else f'-{n}'}.yaml"


def _render(error) -> str:
    return error.render() if hasattr(error, "render") else str(error)


def _others(rows: list[Row], year: int, first: Row) -> str:
    """'（同年还有：党课 第3行 …）': the other rows dated in a year without 台账."""
    more = [f"{row.sheet} 第{row.number}行" for row in rows if row.year == year and row is not first]
    return f"（同为 {year} 年的还有：{'、'.join(more[:5])}{' 等' if len(more) > 5 else ''}）" if more else ""


def _years_loaded(root: Path, rows: list[Row], types: dict, errors: list[str], label: str) -> dict:
    """The records (and roster) of every year the rows fall in."""
    loaded = {}
    for y in sorted({row.year for row in rows if row.year is not None}):
        errs: list = []
        records = rec.load_records(root, y, types, errs)
        if records is None:
            first = next(row for row in rows if row.year == y)
            errors.append(f"{first.where(label)}：{y} 年还没有台账目录和党员名册（data/records/{y}/roster.yaml），"
                          f"无法核对姓名；请核对日期，或先建立名册{_others(rows, y, first)}")
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


def _plan(
    root: Path, rows: list[Row], label: str, result: ImportResult, skip=frozenset()
) -> list[tuple[Row, str, str]]:
    """(row, path under root, file text) for each row that is not already there. Rows in `skip`
    (already found wrong) only count for the numbering of their day's files."""
    planned = []
    count: dict[tuple, int] = {}
    for row in rows:
        key = (row.data["date"], row.kind.key)
        count[key] = count.get(key, 0) + 1
        if (row.sheet, row.number) in skip:
            continue
        rel = (rec.records_dir(root, row.year) / record_name(row.data, count[key])).relative_to(root).as_posix()
        if not (root / rel).exists():
            try:
                planned.append((row, rel, record_yaml(row.data, row.where(label))))
            except ValueError:
                result.errors.append(f"{row.where(label)}：内容含有无法原样写入记录文件的字符，请检查后再导入")
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
            errors.append(f"{row.where(label)}：{plain(error, row.kind)}" if row else _render(error))
    return errors


def _issued_year(root: Path, year: int | None, label: str, late: bool, today: dt.date,
                 rows: list[Row], errors: list[str]) -> list[Row]:
    """An issued year's 台账 takes records only as late entries (印发后补录, `late: <today>`); a year
    not issued takes no late entries."""
    if year is None:
        return rows
    errs: list = []
    issued = issued_mod.load(root / "data" / str(year), root, year, errs)
    errors += [_render(e) for e in errs]
    if issued is None:
        if late:
            errors.append(f"{label}：{year} 年度报告尚未印发，不必按“印发后补录”导入；请去掉 LATE=1")
        return rows
    when = issued_mod.when_issued(issued)
    if not late:
        if rows:
            errors.append(f"{label}：{when}，不能再向 {year} 年台账导入记录（会改变已印发的数字）；"
                          f"确属印发后补录的，加 LATE=1 重新导入：记录标为“印发后补录”，报告正文不变，"
                          "报告页面注明台账现在的次数")
        return rows
    return [replace(row, data={**row.data, "late": today}) for row in rows]


# A record file's own terms in a loader message: （people: [甲, 乙]）, type: committee_meeting
_RAW_ASIDE = re.compile(r"（[a-z_]+:[^）]*）")
_RAW_KEY = re.compile(r"\b([a-z_]+): ?(\[[^\]]*\]|[A-Za-z0-9_.\-]+)")
_BARE_ASIDE = re.compile(r"（([a-z_]+)）")  # a field's key beside its Chinese name
_CLEAR_KEY = re.compile(r"请删去 ([a-z_]+)\b")
_BARE_KEY = re.compile(r" ([a-z_]+)(?=[，。；]|$)")  # 应写明委托说明 delegated，如…
_PLAIN = {
    "people": "（谈话人和谈话对象各写一人，且不是同一人）",
    "group": "（在“党小组”列填写召开会议的党小组）",
}


def plain(error, kind) -> str:
    """A loader message about a would-be record file in the workbook's terms: column headings
    instead of the file's keys and YAML (谈心谈话应写明谈话双方两人（people: [甲, 乙]） → …（谈话人和谈话对象
    各写一人，且不是同一人））."""
    headings = {c.key: c.heading for c in columns(kind)}
    if is_pair(kind):
        headings["people"] = "谈话人、谈话对象"
    message = error.message

    def aside(match):
        key = match.group(0)[1:].split(":")[0]
        return _PLAIN.get(key) or (f"（见“{headings[key]}”列）" if key in headings else "")

    message = _RAW_ASIDE.sub(aside, message)
    message = _BARE_ASIDE.sub(lambda m: "" if m.group(1) in headings else m.group(0), message)  # 主持人（host）
    message = _CLEAR_KEY.sub(lambda m: f"请清空“{headings[m.group(1)]}”列" if m.group(1) in headings else m.group(0),
                             message)
    message = _BARE_KEY.sub(lambda m: f"（“{headings[m.group(1)]}”列）" if m.group(1) in headings else m.group(0),
                            message)
    return _RAW_KEY.sub(lambda m: f"“{headings.get(m.group(1), '')}”列" if m.group(1) in headings else m.group(0),
                        message)


def import_workbook(root: Path, path: Path, year: int | None = None, late: bool = False,
                    today: dt.date | None = None) -> ImportResult:
    """Check every row; when all are right, write each as a record file. Nothing is written when
    any row is wrong, or would replace an existing file with different content.

    The year is the workbook's own (records_rows.workbook_year; `year` only checks it). Into an
    issued year's 台账 rows go only with `late` (印发后补录), marked with `today`."""
    root, path = Path(root), Path(path)
    label, result = path.name, ImportResult()
    errs: list = []
    types = rec.load_types(root, errs)
    if errs or not types:
        result.errors = [_render(e) for e in errs] or ["没有 data/activity_types.yaml（台账的活动类型），无法导入"]
        return result
    rows, result.errors, year = read_workbook(path, types, year)
    with import_lock(root):  # one import at a time, from looking at the folder to writing into it
        rows = _issued_year(root, year, label, late, today or dt.date.today(), rows, result.errors)
        return _check_and_write(root, rows, types, label, result)


def _check_and_write(root: Path, rows: list[Row], types: dict, label: str, result: ImportResult) -> ImportResult:
    loaded = _years_loaded(root, rows, types, result.errors, label)
    for row in (row for row in rows if row.year in loaded):
        result.errors += [f"{row.where(label)}：{p}" for p in _roster_problems(row, loaded[row.year])]
    # Every problem in one run: the rows found right so far go on to the checks of their files
    wrong = {(r.sheet, r.number) for r in rows if any(e.startswith(f"{r.where(label)}：") for e in result.errors)}
    dated = [r for r in rows if r.year in loaded and isinstance(r.data.get("date"), dt.date)]
    planned = _plan(root, dated, label, result, skip=wrong)
    result.errors += _trial(root, planned, types, label)
    if result.errors:
        return result
    try:
        write_all(root, [(rel, text) for _, rel, text in planned])  # all files or none, none overwritten
    except WriteFailed as failed:
        result.unchanged = []
        result.errors = [f"{label}：{failed}"]
        return result
    result.written = [f"  {rel}（{row.sheet} 第{row.number}行）" for row, rel, _ in planned]
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
