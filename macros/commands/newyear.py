"""`make new-year YEAR=2023`: scaffold the next year's report from the latest one.

What it writes (and never overwrites):

- data/<year>/report.yaml: the title with the year changed, `date: 待填` (the 落款 date is not
  known in December; the site shows 待填 and a strict build refuses it until it is filled),
  `sample: false` (the new year has no invented figures: every figure is 待填, not a sample).
- data/<year>/figures.yaml: every catalogue figure, in catalogue order, set to 待填, except the
  figures the catalogue declares counted from the 台账 (`derived`) when that year has records
  (data/records/<year>/): those are computed from the records at every build, so the file only
  says so in a comment, and the command prints the counts so far.
- docs/<year>/: the previous year's pages with the same files, headings and macro calls, the
  years in the text moved on (2022年 → 2023年), the 编者注 about last year's original dropped,
  and a `{{ draft_notice(<prev>) }}` line at the top of every page with prose: the prose is last
  year's and must be rewritten; the page shows a 待改写 box and the build warns until the line
  is deleted.
- data/<year>/plan.yaml, checklist.yaml, …: every other data file of the previous year (the
  plan its report made, its checklists, reminders) as the new year's starting point: years and
  dates moved on by one year, every status back to 未开始 (a reminder's to 待发出), evidence and
  销号 records removed, a header saying so. A year without such files is fine: nothing is copied.
- reminders.yaml: dates are not shifted but taken from the official holiday arrangement
  (`macros/core/holidays.py`, the pinned chinesecalendar library): 放假首日 of each festival, and the
  reminder the same number of days before it as last year (moved back to a working day). For a
  year the library does not cover yet both are 待填, with a note saying why.

The navigation and the home page pick the new year up from the folders by themselves.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

from macros.commands import people_carry
from macros.commands.cli import Parser
from macros.core import holidays
from macros.core.catalogue import Derived
from macros.core.errors import DataErrors
from macros.core.load import UNFILLED, load_site
from macros.core.reading.yamlio import load
from macros.core.scan import YEAR_DIR
from macros.pages.draft import near, new_year_pages

# In the carried-over data files (plan, checklists, reminders)
ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
STATUS = re.compile(r"^(\s*(?:-\s+)?status:\s*)([^#\n]*?)(\s*(?:#.*)?)$", re.MULTILINE)
EVIDENCE = re.compile(r"^(\s*)(-\s+)?(?:evidence|closed):.*$")
LEAP_DAY = re.compile(r"(\d{4})-02-29")
OWN_FILES = ("figures.yaml", "report.yaml")
NOT_CARRIED = ("proofreading.yaml", "issued.yaml")  # notes on that year's issued text; its issued figures
# Comment lines this module writes (dropped when the file is carried over again)
GENERATED = ("# 由 make new-year 从", "# 状态全部改为", "# 节日等每年不同", "# 内容随新一年报告", "# 放假首日取自",
             "# 节假日库目前收录")


class Refused(Exception):
    """The scaffold was refused: the message says why and what to do."""


class NeedsFixing(Exception):
    """The files were written but do not load yet: the message lists what to fix."""


def report_yaml(prev_report: dict, prev: int, year: int, branch: str) -> str:
    title = prev_report["title"]
    title = title.replace(str(prev), str(year)) if str(prev) in title else f"{branch}{year}年工作情况报告"
    return (
        "# yaml-language-server: $schema=../../schemas/report.schema.json\n"
        f"# {year} 年度报告的基本信息（由 make new-year 从 {prev} 年度生成）。\n"
        f"title: {title}\n"
        + (f"# 主送机关：标题下一行，顶格，后加全角冒号。\naddressee: {prev_report['addressee']}\n"
           if prev_report.get("addressee") else "")
        + f"# 落款日期（成文日期）：尚未确定时写 {UNFILLED}；确定后写成 {year + 1}-01-10 这样的日期。\n"
        f"# 写 {UNFILLED} 时预览显示黄色“{UNFILLED}”，正式构建会拒绝发布。\n"
        f"date: {UNFILLED}\n"
        f"# 示例数据标志：新年度手填的数字全部是 {UNFILLED}，没有编造的示例数据，所以是 false。\n"
        f"# 由台账统计的数字是否示例，看 {year} 年台账名册（data/records/{year}/roster.yaml）的 sample。\n"
        "sample: false\n"
    )


def derived_counts(site, year: int) -> dict[str, int]:
    """The figures counted from the year's 台账 (catalogue `derived`), by key; {} without records.
    The new year's report has no 统计截至 date yet (the build date counts), so the records the
    previous report's cut-off leaves out are counted too."""
    records = site.records.get(year)
    if records is None:
        return {}
    records = replace(records, items=records.items + records.after_cutoff)
    return {
        key: len(Derived.from_spec(figure.derived).count(records))
        for key, figure in site.figures.items()
        if figure.derived
    }


def figures_summary(site, year: int) -> str:
    """What the new figures file holds: how many are 待填, how many the records count (so far)."""
    derived = derived_counts(site, year)
    if not derived:
        return f"data/{year}/figures.yaml：{len(site.figures)} 个数据项，全部 {UNFILLED}"
    counted = "、".join(f"{site.figures[k].label}{n}{site.figures[k].unit}" for k, n in derived.items())
    return (
        f"data/{year}/figures.yaml：{len(site.figures) - len(derived)} 个数据项 {UNFILLED}；"
        f"{len(derived)} 个由 {year} 年台账统计，不必填写（目前：{counted}）"
    )


def figures_yaml(site, prev: int, year: int) -> str:
    derived = derived_counts(site, year)
    lines = [
        "# yaml-language-server: $schema=../../schemas/figures.schema.json",
        f"# {year} 年度报告中的数字与名称（由 make new-year 生成）。键名见 data/catalogue.yaml。",
        f"# 写 {UNFILLED} 的项：掌握了就把 {UNFILLED} 改成数字（或文字）。预览时 {UNFILLED} 显示为黄色，",
        "# 正式构建（make build）在全部填好之前拒绝发布。行尾 # 后面是该项的中文名称，不必改动。",
    ]
    if derived:
        lines.append(f"# 由台账统计的数字（data/records/{year}/）每次构建时从记录计算，不写在这里。")
    section = None
    for key, figure in site.figures.items():
        if figure.section != section:
            section = figure.section
            lines.append(f"# {section}")
        if key in derived:
            source = "党员名册" if "roster" in figure.derived else "台账"
            lines.append(f"# {key}：由{source}统计，不必填写  # {figure.title}")
        else:
            lines.append(f"{key}: {UNFILLED}  # {figure.title}")
    return "\n".join(lines) + "\n"


def carry_over(text: str, prev: int, year: int, status: str = "未开始") -> str:
    """A data file of the previous year as the new year's starting point (plan, checklists …).

    Every year near the previous one moves on (the plan for 2023 becomes the draft plan for
    2024, due 2023-Q2 becomes 2024-Q2, data/2022/… becomes data/2023/…), every status goes back
    to `status` (未开始; a reminder's 待发出) and evidence and 销号 (closed) entries are removed.
    """
    delta = year - prev

    def shift(match):
        value = int(match.group(1))
        return str(value + delta) if near(value, prev) else match.group(1)

    text = ANY_YEAR.sub(shift, text)
    text = LEAP_DAY.sub(lambda m: m.group(0) if _leap(int(m.group(1))) else f"{m.group(1)}-02-28", text)
    text = STATUS.sub(lambda m: f"{m.group(1)}{status}{m.group(3)}", text)
    out, dropping = [], None
    for line in text.splitlines(keepends=True):
        indent = len(line) - len(line.lstrip(" "))
        if dropping is not None and line.strip() and indent > dropping:
            continue  # a multi-line evidence value
        dropping = None
        if line.lstrip().startswith("#") and "示例" in line:
            continue  # "以下状态为示例数据": no longer true once every status is 未开始
        if line.startswith(GENERATED):
            continue  # the header of an earlier make new-year: a new one is written below
        match = EVIDENCE.match(line)
        if match and not match.group(2):
            dropping = indent
            continue
        out.append(line)
    header = (
        f"# 由 make new-year 从 data/{prev}/ 复制的起始稿：年份和日期已顺延 {delta} 年，\n"
        f"# 状态全部改为 {status}，佐证和销号记录已清空。\n"
        "# 内容随新一年报告的“下步工作打算”修改。\n"
    )
    lines = "".join(out).splitlines(keepends=True)
    at = 1 if lines and lines[0].startswith("# yaml-language-server") else 0
    return "".join(lines[:at]) + header + "".join(lines[at:])


def _carry_data(root: Path, src_dir: Path, new_data: Path, prev: int, year: int) -> tuple[list[str], list[str]]:
    """The previous year's plan and lists as the new year's starting point: (files written, 待填 reminders)."""
    carried, pending = [], []
    for src in sorted(src_dir.glob("*.yaml")):
        if src.name in OWN_FILES or src.name in NOT_CARRIED:
            continue
        if src.name == "reminders.yaml":
            old = load(src, src.relative_to(root).as_posix()).data
            text = carry_over(src.read_text("utf-8"), prev, year, status="待发出")
            text, pending = holidays.carry_reminders(text, old["reminders"], old["year"] + year - prev, year - prev)
        else:
            text = carry_over(src.read_text("utf-8"), prev, year)
        (new_data / src.name).write_text(text, "utf-8")
        carried.append(src.name)
    return carried, pending


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _template_year(root: Path, year: int, force: bool):
    """The checked site whose latest year is the template; Refused when the new year cannot be made."""
    data_dir, docs_dir = root / "data", root / "docs"
    for existing in (data_dir / str(year), docs_dir / str(year)):
        if existing.exists():
            raise Refused(
                f"{existing.relative_to(root)}/ 已存在：不会覆盖已有年度。"
                "如确需重新生成，请先删除该目录（或用 git 恢复），再运行本命令。"
            )
    try:
        site = load_site(root, docs_dir)
    except DataErrors as exc:
        raise Refused(f"现有数据有错误，请先改正再生成新年度：\n{exc}") from None
    prev = site.latest
    if year != prev + 1 and not force:
        raise Refused(
            f"新年度应为 {prev + 1}（最新年度 {prev} 的下一年），而不是 {year}。"
            f"确需生成 {year} 年度，请运行 make new-year YEAR={year} FORCE=1。"
        )
    if not (docs_dir / str(prev)).is_dir():
        raise Refused(f"找不到 docs/{prev}/：没有可作为模板的上一年度页面。")

    return site


def scaffold(root: Path, year: int, force: bool = False) -> list[str]:
    """Create the new year's files; return the lines to print. Raises Refused."""
    root = Path(root)
    data_dir, docs_dir = root / "data", root / "docs"
    site = _template_year(root, year, force)
    prev = site.latest
    # 名册, 党费基数 first: a roster carried into data/records/<year>/ makes that year's roster
    # figures counted, so figures.yaml must not ask for them (read the data again to see it)
    people = people_carry.carry(root, site, year)  # 发展党员 spans the years
    if people and year not in site.records:
        site = load_site(root, docs_dir)

    done = []
    new_data = data_dir / str(year)
    new_data.mkdir()
    (new_data / "report.yaml").write_text(
        report_yaml(site.years[prev].report, prev, year, site.branch["name"]), "utf-8"
    )
    (new_data / "figures.yaml").write_text(figures_yaml(site, prev, year), "utf-8")
    done.append(f"data/{year}/report.yaml：标题已改为 {year} 年，落款日期 {UNFILLED}，sample: false")
    done.append(figures_summary(site, year))

    drafts = new_year_pages(root, docs_dir / str(prev), docs_dir / str(year), prev, year)
    done.append(f"docs/{year}/：按 {prev} 年度的页面结构生成，{len(drafts)} 页的正文待改写")

    carried, pending = _carry_data(root, data_dir / str(prev), new_data, prev, year)
    if carried:
        done.append(
            f"data/{year}/{'、'.join(carried)}：{prev} 年度的计划与清单作为起始稿，"
            "年份和日期顺延，状态全部改为 未开始（廉政提醒为 待发出），佐证和销号记录清空"
        )
    if "reminders.yaml" in carried:
        first, last = holidays.covered()
        done.append(
            f"data/{year}/reminders.yaml：放假首日按节假日库（收录 {first}—{last} 年）重新计算，不是上一年顺延"
            + (f"；{'、'.join(pending)} 尚未公布放假安排，写作 {UNFILLED}" if pending else "")
        )
    else:
        done.append(f"（data/{prev}/ 中没有工作计划和清单文件，跳过）")

    done += people

    try:  # what was written must load: otherwise say what to fix (the files are kept)
        load_site(root, docs_dir)
    except DataErrors as exc:
        raise NeedsFixing(f"已生成 {year} 年度，但以下内容需要修改：\n{exc}") from None

    steps = [
        f"1. 在 data/{year}/figures.yaml 中把 {UNFILLED} 逐项改成实际数字；",
        f"2. 改写 docs/{year}/ 各页正文（{len(drafts)} 页顶部有“待改写”提示），改完删除该页的 draft_notice 一行：",
        *(f"     {page}" for page in drafts),
        f"3. 确定落款日期后填写 data/{year}/report.yaml 的 date；",
        "4. make serve 预览（待填处显示黄色）；全部完成后 make build 发布。",
    ]
    return [f"已生成 {year} 年度（模板：{prev} 年度）：", *(f"  {line}" for line in done), "下一步：", *steps]


def next_year(root: Path) -> int:
    years = [int(p.name) for p in (Path(root) / "data").iterdir() if p.is_dir() and YEAR_DIR.match(p.name)]
    if not years:
        raise Refused("data/ 下没有任何年度目录（如 data/2022/），无法推断下一年度。")
    return max(years) + 1


def main(argv=None) -> int:
    parser = Parser(prog="make new-year", description="从最新年度生成下一年度的数据和页面骨架")
    parser.add_argument("year", nargs="?", help="新年度，如 2023；省略时为最新年度的下一年")
    parser.add_argument("--force", action="store_true", help="允许不是下一年的年度")
    parser.add_argument("--root", default=".", help="项目目录（含 mkdocs.yml）")
    args = parser.parse_args(argv)
    root = Path(args.root)
    try:
        if args.year is None:
            year = next_year(root)
        elif re.fullmatch(r"\d{4}", args.year.strip()):
            year = int(args.year)
        else:
            raise Refused(f"年份应为四位数字，如 2023，而不是 “{args.year}”。")
        lines = scaffold(root, year, args.force)
    except Refused as exc:
        print(f"未生成新年度：{exc}", file=sys.stderr)
        return 1
    except NeedsFixing as exc:
        print(exc, file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
