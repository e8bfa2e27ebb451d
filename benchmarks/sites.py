"""The sites make bench builds: temporary copies of the project, never the project itself.

- `copy_project`: what a build reads (config, pages, data, code), without tests and outputs.
- `add_years`: the years after 2022, each made by `make new-year`'s own scaffold from the year
  before, then filled in as an editor would (figures, 落款 date, the 待改写 lines deleted). Years
  without a 台账 (data/records/<year>/) get the counts it would give as plain figures.
- `variant`: the same config with plugin switches set (macros/site/plugin.py, BranchConfig): one
  speed mechanism turned off, for its gain.
- `stock`: stock Material over the same Markdown (no macros, no plugin, no overrides); with
  `rendered`, over the Markdown as this site's macros render it (the same content as our pages).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from macros.commands.newyear import scaffold

ROOT = Path(__file__).resolve().parent.parent
FIRST_YEAR = 2022
SKIP = shutil.ignore_patterns(".git", ".venv", "site", ".site.*", "__pycache__", ".*_cache", "tests",
                              "benchmarks", "test-results", "node_modules", "offline", "site-redacted")
DRAFT_LINE = re.compile(r"^\{\{\s*draft_notice\([^)]*\)\s*\}\}[ \t]*\n", re.MULTILINE)
# the mark of a synthetic year; make new-year copies the year before's pages with it, so it is replaced
YEAR_MARK = re.compile(r"\n*<!-- 合成年度 \d+ -->\n*$")
UNFILLED = re.compile(r"^(([\w.]+):\s*)待填(?=\s*(?:#.*)?$)", re.MULTILINE)
PLUGIN_LINE = re.compile(r"^  - branch\s*$", re.MULTILINE)
MAX_COUNT = 999  # below the data layer's plausibility warning (a strict build stops on warnings)


def copy_project(dest: Path, source: Path = ROOT) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest, ignore=SKIP, symlinks=True)
    return dest


def _fill_year(project: Path, year: int) -> None:
    template = yaml.safe_load((project / f"data/{FIRST_YEAR}/figures.yaml").read_text("utf-8"))
    rng = random.Random(year)  # the same values on every run

    def value(match: re.Match) -> str:
        old = template.get(match.group(2), 12)  # not in 2022's file: counted from 2022's 台账
        if isinstance(old, int) and not isinstance(old, bool):
            return f"{match.group(1)}{rng.randint(old // 2, max(1, min(MAX_COUNT, old * 3 // 2)))}"
        return f"{match.group(1)}{json.dumps(str(old), ensure_ascii=False)}"

    figures = project / f"data/{year}/figures.yaml"
    figures.write_text(UNFILLED.sub(value, figures.read_text("utf-8")), "utf-8")
    report = project / f"data/{year}/report.yaml"
    text, found = re.subn(r"^date:\s*待填\s*$", f"date: {year + 1}-01-10", report.read_text("utf-8"), flags=re.M)
    assert found == 1, f"{report}: no `date: 待填` line"
    report.write_text(text, "utf-8")
    for page in (project / f"docs/{year}").rglob("*.md"):
        # real years' prose differs: mark each page with its year, so no two years are the same text
        text = YEAR_MARK.sub("", DRAFT_LINE.sub("", page.read_text("utf-8"))).rstrip("\n")
        page.write_text(f"{text}\n\n<!-- 合成年度 {year} -->\n", "utf-8")


def add_years(project: Path, count: int, source: Path | None = None) -> list[int]:
    """The project with `count` years: 2022 and the ones after it (copied from `source` if it has them)."""
    years = list(range(FIRST_YEAR, FIRST_YEAR + count))
    for year in years[1:]:
        if (project / f"data/{year}").exists():
            continue
        if source is not None and (source / f"data/{year}").is_dir():
            for part in ("data", "docs", "data/records", "data/people"):  # the year's 台账 and people too
                if (source / f"{part}/{year}").is_dir() and not (project / f"{part}/{year}").exists():
                    shutil.copytree(source / f"{part}/{year}", project / f"{part}/{year}")
            continue
        scaffold(project, year)
        _fill_year(project, year)
    return years


def variant(project: Path, **switches: bool) -> Path:
    """Set plugin switches in the copy's mkdocs.yml, e.g. variant(p, jieba_cache=False)."""
    config = project / "mkdocs.yml"
    options = "".join(f"\n      {key}: {str(value).lower()}" for key, value in switches.items())
    text, found = PLUGIN_LINE.subn(f"  - branch:{options}", config.read_text("utf-8"))
    assert found == 1, "mkdocs.yml: the `  - branch` plugin line was not found exactly once"
    config.write_text(text, "utf-8")
    return project


STOCK = """\
site_name: {name}
theme: {{name: material, language: zh, font: false, features: [navigation.tabs, navigation.sections,
  navigation.indexes, navigation.prune]}}
plugins: [search]
exclude_docs: "_*.md"
markdown_extensions: [admonition, attr_list, tables, toc, pymdownx.details, pymdownx.tasklist]
"""


def stock(project: Path) -> Path:
    """Stock Material over the same Markdown: the pages keep their {{ }} text, nothing is rendered."""
    config = project / "mkdocs.yml"
    name = re.search(r"^site_name:\s*(.+)$", config.read_text("utf-8"), re.M).group(1)
    config.write_text(STOCK.format(name=name), "utf-8")
    return project


def rendered(project: Path, stock_project: Path) -> Path:
    """Build `project` once with benchmarks/dump_markdown.py; its pages' rendered Markdown becomes
    `stock_project`'s docs/ (stock Material then builds the same content)."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + f"\nhooks:\n  - {Path(__file__).parent / 'dump_markdown.py'}\n")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project.parent / f"{project.name}-out")],
                   cwd=project, check=True, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    shutil.rmtree(stock_project / "docs")
    shutil.copytree(project.parent / f"{project.name}-rendered", stock_project / "docs")
    return stock(stock_project)


def page_showing(project: Path, year: int, key: str) -> str:
    """The URL path of a page of `year` (not the 全文) that shows figure `key`."""
    call = re.compile(rf"""\bfig\(\s*["']{re.escape(key)}["']""")
    for page in sorted((project / f"docs/{year}").rglob("*.md")):
        if page.name != "full.md" and call.search(page.read_text("utf-8")):
            rel = page.relative_to(project / "docs").with_suffix("").as_posix()
            return rel.removesuffix("index") if rel.endswith("index") else rel + "/"
    raise LookupError(f"no page of {year} shows {key}")
