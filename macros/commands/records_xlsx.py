"""The 台账 (records) in and out of Excel, with openpyxl.

- `template`: an .xlsx for the secretary to fill: a 说明 sheet, then one sheet per activity type
  (data/activity_types.yaml) with Chinese headings, date checks and name lists (data validation
  pointing at a hidden 名册 sheet made from the year's roster).
- `import`: every row of every sheet is checked (one Chinese line per problem, naming the
  workbook, the sheet and the row), then the files it would make are checked by the build's own
  loader (macros/core/records/model.py); only when there is no problem at all is each row written as one
  YAML file under data/records/<year>/ (RECORDS.md). An existing file is never overwritten: the
  same record again is skipped, a different one is an error.
- `export` (and every build but `mkdocs serve`, `write_site_ledger`): a year's 台账 as .xlsx for reporting upward, the
  same columns plus 序号, 应到人数 and 实到人数; the redacted build's and the offline copy's file
  is made from masked records (`redact.masked_records`). An exported workbook imports again (序号
  and the derived columns are ignored).

The columns are defined once here (`columns`) and used by the template, the import, the export
and the printable 台账 (`ledger_tables`, rendered by macros/pages/templates/records_print.html).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from macros.commands.cli import Parser, path_text
from macros.commands.cli import year as year_arg
from macros.commands.records_import import _branch, import_workbook, load_year
from macros.core.errors import DataError
from macros.core.records import model as rec
from macros.core.redact import masked_records
from macros.exports.ledger_xlsx import write_ledger, write_template


def main(argv: Iterable[str] | None = None) -> int:
    parser = Parser(prog="python -m macros.commands.records_xlsx", description="台账与 Excel：生成填写模板、导入、导出")
    parser.add_argument("--root", default=".", help="项目目录（含 mkdocs.yml）")
    sub = parser.add_subparsers(dest="command", required=True)
    template = sub.add_parser("template", help="生成填写模板 .xlsx")
    template.add_argument("--year", type=year_arg, help="年度（默认：有台账的最新年度）")
    template.add_argument("--out", type=path_text, help="输出文件（默认：台账模板-<年度>.xlsx）")
    importing = sub.add_parser("import", help="逐行检查并导入填好的 .xlsx")
    importing.add_argument("file", type=path_text)
    importing.add_argument("--year", type=year_arg, help="核对：表格的年度应为这一年（年度取自表格本身）")
    importing.add_argument("--late", action="store_true", help="向已印发年度的台账补录（记录标为“印发后补录”）")
    export = sub.add_parser("export", help="导出某年度台账 .xlsx")
    export.add_argument("--year", type=year_arg, required=True)
    export.add_argument("--out", type=path_text, required=True)
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
        result = import_workbook(root, Path(args.file), args.year, args.late)
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
    late = "（标为“印发后补录”：已印发的报告不变，报告页面注明台账现在的次数）" if args.late else ""
    lines = [f"已导入 {name}：写入 {len(result.written)} 个记录文件{late}", *result.written]
    if result.unchanged:
        lines += [f"另有 {len(result.unchanged)} 行与已有记录相同，未改动：", *result.unchanged]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
