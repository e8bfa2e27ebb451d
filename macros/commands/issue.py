"""`make issue YEAR=2022 [DATE=2023-01-10]`: mark a year's report as issued (印发).

1. The data is checked as a publishing build checks it (every error, 待填, value to double-check
   and page still to rewrite stops it), then the whole site is built in strict mode into a
   temporary folder (a broken link stops it too); nothing is written unless both pass.
2. data/<year>/issued.yaml is written (macros/core/issued.py): the issue date, every figure the
   report used (those counted from the 台账 included), and the SHA-256 of the 全文 as built.

From then on the year's report shows these figures whatever the data says later; see
macros/core/issued.py for late entries (印发后补录) and corrections (更正). A year already issued is
never issued again: the command refuses and says how to correct instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from macros.core import issued as issued_mod
from macros.core.atomic import write_atomic
from macros.core.chinese import chinese_date
from macros.core.errors import DataErrors, Refusal, strict_footer
from macros.core.load import load_site
from macros.exports.report_content import parse
from macros.exports.report_files import FULLTEXT
from macros.pages import draft

Build = Callable[[Path, int], str]  # (project root, year) -> the built 全文 page's HTML


def strict_build(root: Path, year: int) -> str:
    """Build the whole site in strict mode into a temporary folder; the year's 全文 HTML."""
    with tempfile.TemporaryDirectory(prefix="issue-") as tmp:
        out = Path(tmp) / "site"
        # not --quiet: with --quiet MkDocs drops warnings before --strict can count them (a broken link passed)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
            cwd=root, env=env, capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
            raise Refusal("\n".join([*lines[-20:], "严格模式构建未通过，没有标记印发。改正后重新运行 make issue。"]))
        page = out / str(year) / FULLTEXT.removesuffix(".md") / "index.html"
        if not page.is_file():
            raise Refusal(f"构建结果中没有 {year} 年度全文（docs/{year}/{FULLTEXT}），无法标记印发")
        return page.read_text("utf-8")


def issue(root: Path, year: int, day: dt.date | None = None, build: Build = strict_build,
          today: dt.date | None = None) -> list[str]:
    """Check, build, write data/<year>/issued.yaml; the lines to print. Raises Refusal (Chinese)."""
    root = Path(root).resolve()
    today = today or dt.date.today()
    target = root / "data" / str(year) / issued_mod.ISSUED_FILE
    if target.exists():
        raise Refusal(f"{issued_mod.issued_path(year)} 已存在：{year} 年度报告已经印发，不再重新标记。"
                      "印发后的改动写进该文件的 corrections（更正），见编辑指南“印发与更正”")
    site = load_site(root)  # raises DataErrors on any error
    if year not in site.years:
        raise Refusal(f"没有 {year} 年度的报告（data/{year}/）；已有年度：{'、'.join(map(str, sorted(site.years)))}")
    drafts = draft.scan(root / "docs")
    unfilled = site.unfilled()
    if unfilled or site.warnings or drafts:
        raise DataErrors([*unfilled, *site.warnings, *drafts],
                         strict_footer(len(unfilled), len(site.warnings), len(drafts)).replace(
                             "严格模式拒绝发布，网站未更新（预览请用 make serve）", "没有标记印发"))
    info = site.years[year]
    signed = dt.date.fromisoformat(str(info.report["date"]))
    day = day or today
    if day < signed:
        raise Refusal(f"印发日期 {day.isoformat()} 早于落款日期 {signed.isoformat()}（data/{year}/report.yaml）")
    if day > today:
        raise Refusal(f"印发日期 {day.isoformat()} 还没有到；请在印发当天或之后运行")
    report = parse(build(root, year))
    digest = issued_mod.text_digest(report.lines())
    text = issued_mod.issued_yaml(year, day, site.figures, info.values, digest)
    write_atomic(target, text)
    counted = sum(1 for f in site.figures.values() if f.derived and info.values.get(f.key) is not None)
    return [
        f"已标记 {year} 年度报告印发（{chinese_date(day)}）：{issued_mod.issued_path(year)}",
        f"  记下印发时的 {sum(v is not None for v in info.values.values())} 个数字（其中 {counted} 个由台账统计）"
        "和全文的校验值；请提交这个文件。",
        "  此后该年度的报告页面、全文、Word 和文本文件保持印发时的内容；"
        "补录台账记录加 late: 补录日期，更正写进 corrections。",
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="标记某年度报告已印发：严格检查并构建后写入 data/<年份>/issued.yaml")
    parser.add_argument("year", type=int)
    parser.add_argument("--date", help="印发日期，如 2023-01-10（默认：今天）")
    parser.add_argument("--root", default=".")
    args = parser.parse_args(argv)
    try:
        day = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        print(f"印发日期 {args.date} 无效，应写成 2023-01-10 这样的日期", file=sys.stderr)
        return 2
    try:
        lines = issue(Path(args.root), args.year, day)
    except Refusal as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
