"""Loading and checking all data once per build.

`load_site(root)` reads data/, checks every file against its schema and the pages'
figure references, and returns a `SiteData`. Every problem found in the run is
collected; if there is any, `DataErrors` lists them all (one line each, Chinese,
`file:line`) and the build stops before a page is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import catalogue as cat
from . import records as rec
from . import validate
from .errors import DataError, DataErrors, hint
from .loop import Loops, load_loop
from .yamlio import Doc, parse, read_bytes

UNFILLED = "待填"
YEAR_DIR = re.compile(r"^\d{4}$")
# A count above this is probably a typo (e.g. 120 for 12): a warning, not an error.
PLAUSIBLE_MAX = 1000
# fig("study.sessions") or fig('study.sessions', 2022) in a page
FIG_CALL = re.compile(r"""\bfig\(\s*["']([^"']+)["']""")


@dataclass
class Usage:
    """One place a page uses a figure."""

    page: str  # path relative to docs/
    line: int
    key: str


@dataclass
class Year:
    year: int
    report: dict
    values: dict  # figure key -> value (None when 待填)
    doc: Doc  # the figures file, for line numbers
    report_doc: Doc | None = None  # the report file, for line numbers

    @property
    def date_line(self) -> int:
        return self.report_doc.line("date") if self.report_doc else 1

    @property
    def sample(self) -> bool:
        return bool(self.report.get("sample"))

    @property
    def supplied(self) -> list[str]:
        """What the editors added that the issued text does not have: 标题, 落款日期 (report.yaml `supplied`)."""
        names = {"title": "标题", "date": "落款日期"}
        return [names[part] for part in self.report.get("supplied", [])]

    @property
    def missing(self) -> list[str]:
        return [key for key, value in self.values.items() if value is None]


@dataclass
class SiteData:
    root: Path
    branch: dict
    figures: dict[str, cat.Figure]
    years: dict[int, Year]
    usages: list[Usage] = field(default_factory=list)
    warnings: list[DataError] = field(default_factory=list)  # e.g. implausible values, unanswered problems
    loops: Loops | None = None  # plan, checklists, reminders, compliance (macros/loop.py)
    records: dict[int, rec.Records] = field(default_factory=dict)  # 台账 by year (macros/records.py)
    activity_types: dict[str, rec.ActivityType] = field(default_factory=dict)
    withheld: bool = False  # the 脱敏 build's masked copy: verdicts and charts cannot be shown (macros/redact.py)

    @property
    def latest(self) -> int:
        return max(self.years)

    @property
    def sample_years(self) -> list[int]:
        return [y for y, data in sorted(self.years.items()) if data.sample]

    def unfilled(self) -> list[DataError]:
        """One entry per 待填 figure, pointing at its line in the data file."""
        found = []
        for year in self.years.values():
            for key in year.missing:
                label = self.figures[key].label
                found.append(
                    DataError(year.doc.path, year.doc.line(key), key, f"{label} ({key})：待填")
                )
            if year.report.get("date") == UNFILLED and year.report_doc:  # a new year (make new-year)
                found.append(DataError(year.report_doc.path, year.date_line, "date", "落款日期 (date)：待填"))
        for records in self.records.values():
            found += records.unfilled()
        return found


def figures_schema(figures: dict[str, cat.Figure]) -> dict:
    """The schema of a year's figures file, generated from the catalogue.

    The same dict checks the data at every build and, written to schemas/figures.schema.json by
    `python -m macros.schemas`, gives editors hover help and completion."""
    count = {
        "anyOf": [{"type": "integer", "minimum": 0}, {"const": UNFILLED}, {"type": "null"}],
        "x-rule": "应为非负整数",
    }
    text = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}], "x-rule": "应为文字"}

    def entry(f: cat.Figure) -> dict:
        unit = f"，单位：{f.unit}" if f.unit else ""
        rule = "非负整数" if f.type == "count" else "文字"
        if f.derived:
            rule = f"由台账统计（活动类型 {f.derived['type']}），不必填写；如填写须与台账一致"
        return {
            "title": f.label,
            "description": f"{f.label}{unit}；报告{f.section}。{rule}，不知道时写 {UNFILLED}",
            **(count if f.type == "count" else text),
        }

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "年度数据 data/<年份>/figures.yaml（由 data/catalogue.yaml 生成，请勿手改）",
        "type": "object",
        "additionalProperties": False,
        "properties": {key: entry(f) for key, f in figures.items()},
    }


def _load_checked(path: Path, root: Path, schema: dict, errors: list) -> Doc | None:
    """Read, parse and schema-check one data file."""
    shown = path.relative_to(root).as_posix()
    try:
        raw = read_bytes(path, shown)
    except DataError as exc:
        errors.append(exc)
        return None
    return _checked(raw, shown, schema, errors)


def _checked(raw: bytes, shown: str, schema: dict, errors: list) -> Doc | None:
    try:
        doc = parse(raw, shown)
    except DataError as exc:
        errors.extend(exc.all)  # e.g. every duplicated key of the file, not just the first
        return None
    if doc.data is None or not isinstance(doc.data, dict):
        errors.append(DataError(doc.path, 1, None, "文件内容应为“键: 值”形式的映射"))
        return None
    problems = validate.check(doc, schema)
    errors.extend(problems)
    return None if problems else doc


def _values(doc: Doc, figures: dict[str, cat.Figure], warnings: list[DataError]) -> dict:
    values = {}
    for key, figure in figures.items():
        value = doc.data.get(key)
        if value == UNFILLED:
            value = None
        if figure.type == "count" and value is not None and value > PLAUSIBLE_MAX:
            warnings.append(
                DataError(
                    doc.path,
                    doc.line(key),
                    key,
                    f"{figure.label} ({key})：数值 {value} 大于 {PLAUSIBLE_MAX}，可能多打了一位，请核对",
                )
            )
        values[key] = value
    return values


# {{ name(...) }} or {{ name }} or {{ name.attr }}: the first name of each expression
MACRO_NAME = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)")


def check_macro_names(docs_dir: Path, known) -> list[DataError]:
    """Every {{ name … }} in the pages must be a defined macro or variable (typos fail early)."""
    known = set(known)
    found = []
    for page in sorted(docs_dir.rglob("*.md")):
        rel = page.relative_to(docs_dir).as_posix()
        for number, line in enumerate(page.read_text("utf-8").splitlines(), start=1):
            for match in MACRO_NAME.finditer(line):
                name = match.group(1)
                if name not in known:
                    found.append(
                        DataError(f"docs/{rel}", number, name, f"页面调用了未定义的宏 {name}{hint(name, known)}")
                    )
    return found


def scan_usages(docs_dir: Path) -> list[Usage]:
    """Every fig("…") call in the Markdown pages, with file and line."""
    found = []
    for page in sorted(docs_dir.rglob("*.md")):
        rel = page.relative_to(docs_dir).as_posix()
        for number, line in enumerate(page.read_text("utf-8").splitlines(), start=1):
            for match in FIG_CALL.finditer(line):
                found.append(Usage(rel, number, match.group(1)))
    return found


def load_site(root: Path, docs_dir: Path | None = None) -> SiteData:
    """Read and check all data under root/data; raise DataErrors listing every problem."""
    root = Path(root)
    data_dir = root / "data"
    errors: list[DataError] = []
    warnings: list[DataError] = []

    branch = _load_checked(data_dir / "branch.yaml", root, validate.schema("branch"), errors)
    catalogue_doc = _load_checked(
        data_dir / "catalogue.yaml", root, validate.schema("catalogue"), errors
    )
    if catalogue_doc is None:
        raise DataErrors(errors)
    figures = cat.from_data(catalogue_doc.data)

    years: dict[int, Year] = {}
    year_dirs = sorted(p for p in data_dir.iterdir() if p.is_dir() and YEAR_DIR.match(p.name))
    if not year_dirs:
        errors.append(DataError("data", 1, None, "没有任何年度数据目录（如 data/2022/）"))
    fig_schema = figures_schema(figures)
    for year_dir in year_dirs:
        report = _load_checked(year_dir / "report.yaml", root, validate.schema("report"), errors)
        values = _load_checked(year_dir / "figures.yaml", root, fig_schema, errors)
        if report and values:
            year = int(year_dir.name)
            years[year] = Year(year, report.data, _values(values, figures, warnings), values, report)

    usages = scan_usages(docs_dir or root / "docs")
    for use in usages:
        if use.key not in figures:
            errors.append(
                DataError(
                    f"docs/{use.page}",
                    use.line,
                    use.key,
                    f"页面引用了未知数据项 {use.key}{hint(use.key, figures)}",
                )
            )
    types, records = _load_records(root, years, figures, catalogue_doc, errors, warnings)  # before the 对标
    loops = load_loop(root, years, figures, _load_checked, errors, warnings)
    _tick_checklists(loops, types, records, site_as_of(loops), errors)
    _judge_by_period(loops, records, site_as_of(loops))
    if errors:
        raise DataErrors(errors)
    return SiteData(root, branch.data, figures, years, usages, warnings, loops, records, types)


def site_as_of(loops: Loops | None):
    """The date the site's progress is counted to: the latest report's as_of, else the build date."""
    if loops and loops.years:
        return loops.years[max(loops.years)].as_of
    import datetime

    return datetime.date.today()


def _tick_checklists(loops: Loops | None, types: dict, records: dict, as_of, errors: list) -> None:
    """A checklist item with `activity` is ticked per period from that year's records, not by a status."""
    from .ledger import CHECKLIST_FREQUENCY, tick

    for loop in (loops.years.values() if loops else ()):
        checklist = loop.checklist
        if checklist is None:
            continue
        for item in checklist.items:
            if item.activity is None:
                if not item.status_given:
                    errors.append(DataError(checklist.path, item.line, item.id,
                                            f"清单事项 {item.id} 缺少 status（状态），或写 activity 按台账勾选"))
                continue
            kind = types.get(item.activity)
            if kind is None:
                message = f"清单事项 {item.id} 的台账活动类型 {item.activity} 不存在{hint(item.activity, types)}"
                errors.append(DataError(checklist.path, item.line, item.id, message))
                continue
            if item.status_given:
                message = f"清单事项 {item.id} 按台账勾选（activity: {item.activity}），不再写 status；请删去 status"
                errors.append(DataError(checklist.path, item.line, item.id, message))
            if CHECKLIST_FREQUENCY.get(item.frequency) != kind.frequency:
                errors.append(DataError(checklist.path, item.line, item.id,
                                        f"清单事项 {item.id} 的频次 {item.frequency} 与台账活动类型 {kind.name}"
                                        f"的频次（{kind.frequency_name}）不一致"))
                continue
            if checklist.year in records:
                item.tick = tick(records[checklist.year], item.activity, as_of)
                if item.tick is not None:
                    item.status = item.tick.status


def _judge_by_period(loops: Loops | None, records: dict, as_of) -> None:
    """对标 from the 台账 where a year has one: a rule whose activity missed a month (quarter) is 未达标
    with the periods named, even when the year's total reaches the minimum; a rule the report does
    not count (党小组会, 组织生活会, 谈心谈话 …) is judged from the records instead of 待填."""
    from .compliance import MET, NOT_APPLICABLE, NOT_MET, Result
    from .ledger import grid, heart_coverage

    for number, loop in (loops.years.items() if loops else ()):
        if loop.results is None or number not in records:
            continue
        year_records = records[number]
        rows = grid(year_records, as_of)
        judged = []
        for result in loop.results:
            rule = result.rule
            kinds = [t for t in year_records.types.values() if t.rule == rule.id]
            if result.verdict == NOT_APPLICABLE or not kinds:
                judged.append(result)
                continue
            kind = kinds[0]
            if kind.attendance == "pair":
                coverage = heart_coverage(year_records, kind.key)
                missing = len(coverage.missing)
                judged.append(Result(rule, coverage.held, NOT_MET if missing else MET,
                                     f"尚有{missing}对未谈" if missing else ""))
                continue
            mine = [r for r in rows if r.type.key == kind.key]
            missed = [f"{r.group or ''}{'、'.join(p.label for p in r.missed)}" for r in mine if r.missed]
            value = result.value if rule.figure else min((r.held for r in mine), default=0)
            if missed:
                judged.append(Result(rule, value, NOT_MET, "未开展：" + "；".join(missed)))
            elif rule.figure:
                judged.append(result)
            else:
                count = min((len(r.records) for r in mine), default=0)
                judged.append(Result(rule, count, MET if count >= rule.minimum else NOT_MET, "按台账统计"))
        loop.results = judged


def _load_records(root: Path, years: dict[int, Year], figures: dict[str, cat.Figure], catalogue_doc: Doc,
                  errors: list, warnings: list) -> tuple[dict, dict[int, rec.Records]]:
    """The 台账 of every year, and the figures counted from them (macros/records.py).

    A figure with `derived` in the catalogue takes its value from the year's records; when the
    year's figures file also gives a number and the two differ, a warning names both numbers and
    the records (a strict build stops on it). A year without records keeps the typed number."""
    types = rec.load_types(root, errors, _load_checked)
    records: dict[int, rec.Records] = {}
    for number in rec.record_years(root):
        report = years.get(number) or years.get(number - 1)  # a year in progress: the report that planned it
        loaded = rec.load_records(root, number, types, errors, _load_checked, bool(report and report.sample))
        if loaded is not None:
            records[number] = loaded
    for key, figure in figures.items():
        if not figure.derived:
            continue
        derived = cat.Derived.from_spec(figure.derived)
        if types and derived.type not in types:
            errors.append(DataError(catalogue_doc.path, catalogue_doc.line("figures", key, "derived", "type"), key,
                                    f"{figure.label} ({key})：活动类型 {derived.type} 不在 data/activity_types.yaml 中"
                                    f"{hint(derived.type, types)}"))
            continue
        for number, year in years.items():
            if number not in records:
                continue
            count = len(derived.count(records[number]))
            typed = year.values.get(key)
            if typed is not None and typed != count:
                unit = figure.unit
                warnings.append(DataError(
                    year.doc.path, year.doc.line(key), key,
                    f"{figure.label} ({key})：报告写{typed}{unit}，台账记录{count}{unit}"
                    f"（{derived.files(records[number])}）；请核对后删去此行，以台账为准",
                ))
            year.values[key] = count
    return types, records


def check_figures(raw: bytes, shown: str, figures: dict[str, cat.Figure]) -> list[str]:
    """Every message a build gives for a year's figures file with these bytes (the 编辑指南's
    error examples check a slip this way, in memory)."""
    errors: list[DataError] = []
    doc = _checked(raw, shown, figures_schema(figures), errors)
    if doc is None:
        return [e.render() for e in errors]
    warnings: list[DataError] = []
    values = _values(doc, figures, warnings)
    unfilled = [
        DataError(doc.path, doc.line(key), key, f"{figures[key].label} ({key})：待填")
        for key, value in values.items()
        if value is None
    ]
    return [e.render() for e in unfilled + warnings]
