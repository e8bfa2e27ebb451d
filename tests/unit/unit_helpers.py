"""Small data folders made in a temporary directory, for in-process tests of the data layer."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from macros.data import load_site
from macros.errors import DataErrors

ROOT = Path(__file__).resolve().parents[2]
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
    for year in years:
        shutil.copytree(ROOT / "data" / "2022", dest / "data" / str(year))
        shutil.copytree(ROOT / "docs" / "2022", dest / "docs" / str(year))
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def line_of(path: Path, start: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def problems(root: Path) -> list[str]:
    """The lines load_site refuses the data with (it must refuse it); each one `file:line: 中文`."""
    try:
        load_site(root)
    except DataErrors as exc:
        lines = [e.render() for e in exc.errors]
    else:
        raise AssertionError("load_site accepted the data")
    for line in lines:
        assert LINE.match(line) and CHINESE.search(line), line
    return lines
