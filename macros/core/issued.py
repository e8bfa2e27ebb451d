"""Issued is issued: a year's report, once 印发, keeps the figures it was issued with.

`make issue YEAR=2022` (macros/commands/issue.py) writes data/<year>/issued.yaml: the date issued,
every figure value the report used (those counted from the 台账 included) and the SHA-256 of the
rendered 全文 (title, body, 落款). From then on, at every build:

- the year's pages, 全文, .docx and .txt show the issued figures (`freeze` puts them in `Year.values`);
  what the data says now is kept in `Year.current`;
- a typed figure (figures.yaml) that differs from the issued one without a 更正 entry stops the
  build, naming figures.yaml:line and how to correct;
- a figure counted from the 台账: the records not marked `late` must still count the issued number;
  records entered after the issue carry `late: <补录日期>` (印发后补录) and only make a site note
  (`Drift`: the 台账 now counts N where the report said M), never a change of the text; a figure
  counted from the 党员名册 (党员人数, 发展党员数) likewise stays as issued and a later change of the
  roster only makes a site note (the roster has no late entries: it is dated by its own events);
- an intended correction is an entry of `corrections` (date, key and to — or what —, why): the
  issued text stays; the correction is shown beside it on the site (not in the .docx/.txt: an
  issued document is corrected by a separate notice);
- the rendered 全文 must hash to `text_sha256` (checked by the site after the page is built,
  macros/site/plugin.py), so no sentence of an issued report changes either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from macros.core.catalogue import Derived
from macros.core.chinese import chinese_date
from macros.core.errors import DataError, hint
from macros.core.reading import validate

ISSUED_FILE = "issued.yaml"


@dataclass(frozen=True)
class Correction:
    date: dt.date
    why: str
    key: str | None = None  # a figure corrected: its key and the corrected value
    to: object = None
    what: str | None = None  # a wording corrected: what and how, in words
    line: int = 1


@dataclass
class Issued:
    year: int
    date: dt.date
    figures: dict  # key -> value as issued
    text_sha256: str | None
    corrections: tuple[Correction, ...]
    path: str  # data/2022/issued.yaml
    lines: dict = field(default_factory=dict)  # key -> line in the file

    def corrected(self, key: str):
        """The latest correction of a figure, or None."""
        found = [c for c in self.corrections if c.key == key]
        return max(found, key=lambda c: c.date) if found else None


@dataclass(frozen=True)
class Drift:
    """A figure the 台账 now counts differently from the issued report, because of late entries."""

    key: str
    label: str
    unit: str
    issued: object
    now: object
    late: tuple  # the late Records counted in `now`
    roster: bool = False  # counted from the 党员名册 (which has no late entries: any change shows here)


def issued_path(year: int) -> str:
    return f"data/{year}/{ISSUED_FILE}"


def load(year_dir: Path, root: Path, year: int, errors: list) -> Issued | None:
    """data/<year>/issued.yaml, checked (None when the year is not issued)."""
    path = Path(year_dir) / ISSUED_FILE
    if not path.exists() and not path.is_symlink():
        return None
    doc = validate.load_checked(path, root, validate.schema("issued"), errors)
    if doc is None:
        return None
    data = doc.data
    corrections = tuple(
        Correction(dt.date.fromisoformat(c["date"]), c["why"], c.get("key"), c.get("to"), c.get("what"),
                   doc.line("corrections", n))
        for n, c in enumerate(data.get("corrections") or [])
    )
    lines = {key: doc.line("figures", key) for key in data["figures"]}
    return Issued(year, dt.date.fromisoformat(data["issued"]), dict(data["figures"]), data.get("text_sha256"),
                  corrections, doc.path, lines)


def text_digest(lines: list[str]) -> str:
    """The SHA-256 of the report's text: title, one line per paragraph, 落款 (no site marks)."""
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _check_corrections(issued: Issued, figures: dict, errors: list) -> None:
    for c in issued.corrections:
        def err(message, c=c):
            errors.append(DataError(issued.path, c.line, "corrections", message))

        if c.date < issued.date:
            err(f"更正日期 {c.date.isoformat()} 早于印发日期 {issued.date.isoformat()}")
        if c.key is None and c.what is None:
            err("更正应写明更正了什么：一个数字写 key 与 to，文字写 what")
        elif c.key is not None:
            if c.key not in figures:
                err(f"更正的数据项 {c.key} 不在 data/catalogue.yaml 中{hint(c.key, figures)}")
            elif c.key not in issued.figures:
                err(f"更正的数据项 {c.key} 不是印发的报告所用的数字")
            elif c.to is None:
                err(f"更正 {c.key} 应写明更正后的数（to）")
            elif figures[c.key].type == "count" and not isinstance(c.to, int):
                err(f"更正 {c.key} 的 to 应为非负整数")


def _check_late(year: int, issued: Issued | None, records, errors: list) -> None:
    """`late` only in an issued year's 台账, dated on or after the issue."""
    for r in (records.items + records.after_cutoff) if records is not None else ():  # after the cut-off too
        if r.late is None:
            continue
        if issued is None:
            errors.append(DataError(r.path, r.late_line, "late",
                                    f"{year} 年度报告尚未印发，记录不必标“印发后补录”（late）；请删去 late 一行"))
        elif r.late < issued.date:
            errors.append(DataError(r.path, r.late_line, "late",
                                    f"补录日期 {r.late.isoformat()} 早于 {year} 年度报告的印发日期 "
                                    f"{issued.date.isoformat()}；印发后补录的记录写补录当天的日期"))


def freeze(years: dict, records: dict, figures: dict, errors: list) -> None:
    """Each issued year shows its issued figures; a change of them without a 更正 stops the build."""
    for number in sorted(set(records) | set(years)):
        year = years.get(number)
        _check_late(number, year.issued if year else None, records.get(number), errors)
    for number, year in years.items():
        issued = year.issued
        if issued is None:
            continue
        _check_corrections(issued, figures, errors)
        year.current = dict(year.values)
        for key in issued.figures:
            if key not in figures:
                errors.append(DataError(issued.path, issued.lines[key], key,
                                        f"印发的数字中 {key} 不在 data/catalogue.yaml 中{hint(key, figures)}"))
        year.drift = []
        for key, figure in figures.items():
            if key not in issued.figures:
                continue
            if figure.derived and number in records:
                drift = _counted(issued, figure, records[number], errors)
                year.drift += [drift] if drift else []
            else:  # typed in figures.yaml (a derived figure too, when typed in a year without 台账)
                _typed(issued, figure, year, errors)
        year.values = {key: issued.figures.get(key, value) for key, value in year.values.items()}


def when_issued(issued: Issued) -> str:
    """2022 年度报告已于2023年1月10日印发"""
    return f"{issued.year} 年度报告已于{chinese_date(issued.date)}印发"


def _fix(issued: Issued, key: str) -> str:
    return f"确需更正，在 {issued.path} 的 corrections 中写明 date、key: {key}、to 和 why（见编辑指南“印发与更正”）"


def _counted(issued: Issued, figure, records, errors: list) -> Drift | None:
    """A figure counted from the 台账: without the late entries it counts what was issued (or, corrected,
    it counts the corrected number); the late entries only make a Drift (a site note)."""
    key, unit = figure.key, figure.unit
    was, correction = issued.figures[key], issued.corrected(key)
    derived = Derived.from_spec(figure.derived)
    counted = derived.count(records)
    if derived.roster and correction is None:  # the roster of an issued year changed: a site note, never the text
        return Drift(key, figure.label, unit, was, len(counted), (), roster=True) if len(counted) != was else None
    late = tuple(r for r in counted if r.late is not None)
    before, now = len(counted) - len(late), len(counted)
    if correction is not None:
        if now != correction.to:
            errors.append(DataError(issued.path, correction.line, key,
                                    f"{figure.label} ({key})：更正为{correction.to}{unit}，台账现在为{now}{unit}；"
                                    "更正后的数应与台账一致"))
        return None
    if before != was:
        errors.append(DataError(
            issued.path, issued.lines[key], key,
            f"{figure.label} ({key})：{when_issued(issued)}，印发时为{was}{unit}，台账现在（不计印发后补录）为"
            f"{before}{unit}；印发后补录的记录请加 late: 补录日期；{_fix(issued, key)}"))
        return None
    return Drift(key, figure.label, unit, was, now, late) if now != was else None


def _typed(issued: Issued, figure, year, errors: list) -> None:
    """A figure typed in figures.yaml: the issued value, or the latest correction's."""
    key = figure.key
    correction = issued.corrected(key)
    expected = correction.to if correction else issued.figures[key]
    value = year.values.get(key)
    if value == expected or (figure.derived and value is None):
        return
    shown = "待填" if value is None else f"{value}{figure.unit}"
    errors.append(DataError(
        year.doc.path, year.doc.line(key) if key in year.doc.data else 1, key,
        f"{figure.label} ({key})：{when_issued(issued)}，"
        f"{'更正后' if correction else '印发时'}为{expected}{figure.unit}，"
        f"这里改成了{shown}；"
        f"印发的报告不能改动：{_fix(issued, key)}；否则改回{expected}"))


def issued_yaml(year: int, day: dt.date, figures: dict, values: dict, digest: str) -> str:
    """The text of data/<year>/issued.yaml (make issue): commented, one figure a line, catalogue order."""
    lines = [
        "# yaml-language-server: $schema=../../schemas/issued.schema.json",
        f"# {year} 年度报告已印发（由 make issue 生成）。下面是印发时报告所用的全部数字（含由台账统计的）。",
        "# 网站上该年度的报告页面、全文、Word 和文本文件始终显示这些数字，不随 figures.yaml 或台账的改动而变。",
        "# figures 和 text_sha256 不要手改。印发后发现错误：在 corrections 中写更正（见编辑指南“印发与更正”）；",
        "# 印发后补录的台账记录加 late: 补录日期。",
        f"issued: {day.isoformat()}",
        "# 全文（标题、正文、落款）的校验值：正文的任何一个字变了，构建都会停止",
        f"text_sha256: {digest}",
        "figures:",
    ]
    for key, figure in figures.items():
        value = values.get(key)
        if value is None:
            continue
        shown = str(value) if isinstance(value, int) else _quoted(str(value))
        lines.append(f"  {key}: {shown}  # {figure.title}")
    lines += [
        "# 更正：每项写 date 更正日期、why 原因，以及 key 与 to（更正一个数字）或 what（更正文字），如",
        "#   - {date: 2023-03-01, key: docs.plans, to: 37, why: 印发稿笔误，应为37件}",
        "corrections: []",
    ]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
