"""Paths, small file edits, copies of the project's data, tiny projects (every tier)."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
SITES = TESTS / "sites"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
MKDOCS = [sys.executable, "-m", "mkdocs"]
# A 主题党日 of 2022 entered after the report was issued (印发后补录): tests of issued years, unit and e2e
LATE_THEME_DAY = """\
# yaml-language-server: $schema=../../../schemas/record.schema.json
type: theme_day
date: 2022-08-25
topic: 参观红色教育基地
host: 张某某
recorder: 李某某
evidence: 活动照片
late: 2023-08-01
"""
SEED = [line for line in (FIXTURES / "seed_2022.txt").read_text("utf-8").splitlines() if line.strip()]


# ---- files -----------------------------------------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file (which must contain it) by `new`."""
    text = path.read_text("utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), "utf-8")


def line_of(path: Path, text: str) -> int:
    """The 1-based line where `text` first occurs in a file."""
    content = path.read_text("utf-8")
    assert text in content, f"{path}: {text!r} not found"
    return content[: content.index(text)].count("\n") + 1


def _records_folder(source: Path):
    return lambda folder, names: ["records"] if Path(folder) == source / "data" else []


def data_copy(dest: Path, source: Path = ROOT, docs: bool = False, records: bool = True) -> Path:
    """A project folder holding a copy of source/data (milliseconds): load_site(dest, dest / "docs")
    reads it. The pages are the real ones, linked (read, never changed), or copied with docs=True.
    records=False leaves out the 台账 (data/records/): a test of other files then does not parse and
    check its 180 files on every load (about a third of the unit tests' time)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "data", dest / "data", ignore=None if records else _records_folder(source))
    if docs:
        shutil.copytree(source / "docs", dest / "docs")
    else:
        (dest / "docs").symlink_to(source / "docs")
    return dest


def unissued(root: Path, year: int = 2022) -> Path:
    """The copy's report of `year` as not yet issued (no data/<year>/issued.yaml): for a test that changes
    that year's figures or text to check something else (an issued year refuses such changes, see
    tests/unit/test_issued.py)."""
    (root / "data" / str(year) / "issued.yaml").unlink()
    return root


def project_copy(dest: Path, source: Path = ROOT) -> Path:
    """A copy of a site's config, pages and data (not the code: the package is installed)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in ("mkdocs.yml", "docs", "data"):
        src = source / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    # read, never changed, by a build: deploy/nginx.conf (the pages' CSP), and for the real project
    # what mkdocs.yml's watch: names
    for part in ("deploy", "macros", "schemas") if source == ROOT else ("deploy",):
        (dest / part).symlink_to(ROOT / part)
    return dest


def load_errors(root: Path, docs: Path | None = None) -> list[str]:
    """Load a project's data as a build does (macros.core.load.load_site), which must refuse it: the
    lines the build would print, the footer last."""
    from macros.core.errors import DataErrors
    from macros.core.load import load_site

    try:
        load_site(root, docs or ROOT / "docs")
    except DataErrors as exc:
        return str(exc).splitlines()
    raise AssertionError("the data was accepted")


# One problem as the build prints it: file, line, a Chinese message.
LINE = re.compile(r"^[^:\n]+:\d+: .+$")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def make_site(dest: Path, years=(2022,), records: bool = False) -> Path:
    """A project folder with the real data/ (its shared files and the given years, with the 2022
    台账 when `records`) and a docs/ folder per year with the 2022 pages (load_site reads pages for
    their fig() calls and the 校对提示's quotes)."""
    (dest / "data").mkdir(parents=True)
    for item in (ROOT / "data").iterdir():
        if item.is_file():
            shutil.copy2(item, dest / "data" / item.name)
    if records:
        shutil.copytree(ROOT / "data/records/2022", dest / "data/records/2022")
    for year in years:  # 2022's issued state belongs to 2022 only
        ignore = None if year == 2022 else shutil.ignore_patterns("issued.yaml")
        shutil.copytree(ROOT / "data" / "2022", dest / "data" / str(year), ignore=ignore)
        shutil.copytree(ROOT / "docs" / "2022", dest / "docs" / str(year))
    return dest


def line_starting(path: Path, start: str) -> int:
    """The 1-based line of the first line starting with `start`."""
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def problems(root: Path) -> list[str]:
    """The lines load_site refuses the data with (it must refuse it); each one `file:line: 中文`."""
    from macros.core.errors import DataErrors
    from macros.core.load import load_site

    try:
        load_site(root)
    except DataErrors as exc:
        lines = [e.render() for e in exc.errors]
    else:
        raise AssertionError("load_site accepted the data")
    for line in lines:
        assert LINE.match(line) and CHINESE.search(line), line
    return lines


# ---- a tiny project for the 台账 (records) tests -------------------------------------------------

TYPES = """\
types:
  general_meeting:   {name: 支部党员大会,   frequency: quarter, attendance: members}
  committee_meeting: {name: 支部委员会会议, frequency: month,   attendance: committee}
  group_meeting:     {name: 党小组会,       frequency: month,   attendance: group}
  party_lecture:     {name: 党课,           frequency: quarter, attendance: members}
  theme_day:         {name: 主题党日,       frequency: month,   attendance: members}
  heart_talk:        {name: 谈心谈话,       frequency: null,    attendance: pair}
"""
ROSTER = """\
members:
  - {name: 张某某, role: 书记, group: 第一党小组, status: 正式}
  - {name: 李某某, role: 组织委员, group: 第一党小组, status: 正式}
  - {name: 王某某, role: 党员, group: 第二党小组, status: 预备, joined: 2021-10-15}
  - {name: 赵某某, role: 党员, group: 第二党小组, status: 正式}
"""
NAMES = ("张某某", "李某某", "王某某", "赵某某")


def make_project(root: Path, year: int = 2022, records: dict[str, str] | None = None) -> Path:
    folder = root / "data" / "records" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (root / "data" / "branch.yaml").write_text("name: 测试党支部\n", "utf-8")
    (root / "data" / "activity_types.yaml").write_text(TYPES, "utf-8")
    (folder / "roster.yaml").write_text(ROSTER, "utf-8")
    for name, text in (records or {}).items():
        (folder / name).write_text(text, "utf-8")
    return root


