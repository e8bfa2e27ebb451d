"""Loading and checking all data once per build.

`load_site(root)` reads data/, checks every file against its schema and the pages'
figure references, and returns a `SiteData`. Every problem found in the run is
collected; if there is any, `DataErrors` lists them all (one line each, Chinese,
`file:line`) and the build stops before a page is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from macros.core import catalogue as cat
from macros.core import issued as issued_mod
from macros.core.errors import DataError, DataErrors, hint
from macros.core.loop import Loops, load_loop
from macros.core.people.load import People, load_people
from macros.core.reading import validate
from macros.core.reading.yamlio import Doc, read_text
from macros.core.records import link as records_link
from macros.core.records import model as rec
from macros.core.scan import Pages, Usage, check_year_folders, scan_pages, unreadable

UNFILLED = "待填"
# A count above this is probably a typo (e.g. 120 for 12): a warning, not an error.
PLAUSIBLE_MAX = 1000
# A count above this is no count of one branch's year: an error.
COUNT_MAX = 99_999
SEARCH_TERMS = "search_terms.txt"
@dataclass
class Year:
    year: int
    report: dict
    values: dict  # figure key -> value (None when 待填)
    doc: Doc  # the figures file, for line numbers
    report_doc: Doc | None = None  # the report file, for line numbers
    issued: issued_mod.Issued | None = None  # 印发: data/<year>/issued.yaml (macros/core/issued.py)
    current: dict | None = None  # an issued year: the figures as the data says now (`values` are the issued ones)
    drift: list = field(default_factory=list)  # an issued year: figures the 台账 now counts otherwise (印发后补录)
    records_sample: bool = False  # figures counted from a 台账 that is sample data (its roster says so)

    @property
    def date_line(self) -> int:
        return self.report_doc.line("date") if self.report_doc else 1

    @property
    def sample(self) -> bool:
        """Built from sample data: the report says so, or figures are counted from a sample 台账."""
        return bool(self.report.get("sample")) or self.records_sample

    @property
    def supplied(self) -> list[str]:
        """What the editors added that the issued text does not have: 标题, 主送机关, 落款日期 (report.yaml
        `supplied`), in the document's order."""
        names = {"title": "标题", "addressee": "主送机关", "date": "落款日期"}
        given = self.report.get("supplied", [])
        return [label for part, label in names.items() if part in given]

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
    loops: Loops | None = None  # plan, checklists, reminders, compliance (macros/core/loop.py)
    records: dict[int, rec.Records] = field(default_factory=dict)  # 台账 by year (macros/core/records/model.py)
    activity_types: dict[str, rec.ActivityType] = field(default_factory=dict)
    people: People = field(default_factory=People)  # 学时, 党费, 发展党员, 民主评议 (macros/core/people/)
    withheld: bool = False  # the 脱敏 build's masked copy: verdicts and charts cannot be shown (macros/core/redact.py)

    @property
    def latest(self) -> int:
        return max(self.years)

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
    `python -m macros.commands.schemas`, gives editors hover help and completion."""
    count = {
        "anyOf": [{"type": "integer", "minimum": 0, "maximum": COUNT_MAX}, {"const": UNFILLED}, {"type": "null"}],
        "x-rule": "应为非负整数",
    }
    text = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}], "x-rule": "应为文字"}

    def entry(f: cat.Figure) -> dict:
        unit = f"，单位：{f.unit}" if f.unit else ""
        rule = "非负整数" if f.type == "count" else "文字"
        if f.derived:
            if "roster" in f.derived:
                rule = "由党员名册统计，不必填写；如填写须与名册一致"
            else:
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


def check_report_dates(doc: Doc, year: int) -> list[DataError]:
    """The report's 落款 in the report year or the next; its progress date (as_of) in the report
    year or the two after (the plan year and a late look back)."""
    found = []
    for key, label, last in (("date", "落款日期", year + 1), ("as_of", "进度统计截至日期", year + 2)):
        value = doc.data.get(key)
        if not isinstance(value, str) or value == UNFILLED:
            continue
        try:
            when = date.fromisoformat(value)
        except ValueError:
            continue  # the schema has reported it
        if not year <= when.year <= last:
            found.append(
                DataError(
                    doc.path,
                    doc.line(key),
                    key,
                    f"{label} ({key})：{value} 不在 {year} 年至 {last} 年之间；{year} 年度报告的{label}应在此期间",
                )
            )
    return found


def check_search_terms(root: Path) -> list[DataError]:
    """The search's word list (mkdocs.yml: jieba_dict_user), read like any data file."""
    terms = root / "data" / SEARCH_TERMS
    if terms.exists() or terms.is_symlink():
        try:
            read_text(terms, f"data/{SEARCH_TERMS}", root)
        except DataError as exc:
            return exc.all
    return []


def load_site(root: Path, docs_dir: Path | None = None, kept: dict | None = None,
              pages: Pages | None = None) -> SiteData:
    """Read and check all data under root/data; raise DataErrors listing every problem.
    `kept`: under `make serve`, the files checked earlier in the session (validate.reusing; without it,
    the caller's, if any: the tests' session); `pages`: the pages' scan when the caller has it
    (define_env), else they are read here."""
    if kept is None:
        return _load_site(root, docs_dir, pages)
    with validate.reusing(kept):
        return _load_site(root, docs_dir, pages)


def _load_site(root: Path, docs_dir: Path | None, pages: Pages | None) -> SiteData:
    root = Path(root)
    data_dir = root / "data"
    errors: list[DataError] = []
    warnings: list[DataError] = []
    docs_dir = Path(docs_dir) if docs_dir is not None else root / "docs"
    locked = unreadable(root, [data_dir, docs_dir])
    if locked:  # nothing else is judged from folders read only in part
        raise DataErrors(locked)

    branch = validate.load_checked(data_dir / "branch.yaml", root, validate.schema("branch"), errors)
    catalogue_doc = validate.load_checked(
        data_dir / "catalogue.yaml", root, validate.schema("catalogue"), errors
    )
    if catalogue_doc is None:
        raise DataErrors(errors)
    figures = cat.from_data(catalogue_doc.data)

    errors.extend(check_search_terms(root))
    years: dict[int, Year] = {}
    year_dirs = [data_dir / str(year) for year in check_year_folders(data_dir, docs_dir, errors)]
    if not year_dirs:
        errors.append(DataError("data", 1, None, "没有任何年度数据目录（如 data/2022/）"))
    fig_schema = figures_schema(figures)
    for year_dir in year_dirs:
        year = int(year_dir.name)
        report = validate.load_checked(year_dir / "report.yaml", root, validate.schema("report"), errors)
        values = validate.load_checked(year_dir / "figures.yaml", root, fig_schema, errors)
        if report:
            errors.extend(check_report_dates(report, year))
        if report and values:
            years[year] = Year(year, report.data, _values(values, figures, warnings), values, report,
                               issued_mod.load(year_dir, root, year, errors))

    usages = (pages or scan_pages(docs_dir)).usages
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
    rec.check_record_years(root, [int(d.name) for d in year_dirs], errors)
    types, records = records_link.load(root, years, figures, catalogue_doc, errors, warnings)  # before the 对标
    issued_mod.freeze(years, records, figures, errors)  # an issued year shows its issued figures
    loops = load_loop(root, years, figures, errors, warnings, [int(d.name) for d in year_dirs], docs_dir)
    records_link.apply(loops, types, records, errors)
    people = load_people(root, records, types, errors, loops)  # after the checklists: 整改 problems
    if errors:
        raise DataErrors(errors)
    return SiteData(root, branch.data, figures, years, usages, warnings, loops, records, types, people)


def check_figures(raw: bytes, shown: str, figures: dict[str, cat.Figure]) -> list[str]:
    """Every message a build gives for a year's figures file with these bytes (the 编辑指南's
    error examples check a slip this way, in memory)."""
    errors: list[DataError] = []
    doc = validate.checked(raw, shown, figures_schema(figures), errors)
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
