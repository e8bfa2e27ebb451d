"""The sites the benchmarks build: copies of the real project, changed in one way each.

- `copy_project`: the real project (config, pages, data, code), without tests and outputs.
- `strip_macros`: the same tree with the macros plugin removed from mkdocs.yml (pages then
  contain raw {{ }} text; the build still does everything else).
- `add_years`: synthetic years after the template year, made with `make new-year`'s scaffold
  and filled in with generated figure values (deterministic per year) and a 落款 date.
- `stock`: a stock Material configuration over the same Markdown (no hooks, no overrides,
  no extra CSS, no macros), for the page-weight comparison.
- `add_stage_hooks`: the timing hooks of `stages.py` appended to the config.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_YEAR = 2022
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "site", ".site.tmp", ".site.old", "__pycache__", ".pytest_cache", ".ruff_cache",
    "tests", "benchmarks", "test-results", "node_modules", ".cache", "BENCHMARKS.md",
)
# The 待改写 line `make new-year` puts on scaffolded pages (macros/draft.py)
DRAFT_LINE = re.compile(r"^\{\{\s*draft_notice\([^)]*\)\s*\}\}[ \t]*\n", re.MULTILINE)
SYNTHETIC_MARK = re.compile(r"^<!-- 合成年度 \d{4} -->\n", re.MULTILINE)
MACROS_BLOCK = re.compile(r"^  - macros:\n(?:    .*\n)*", re.MULTILINE)
HOOKS_LINE = re.compile(r"^hooks:\n", re.MULTILINE)
# Keep generated counts below the data layer's plausibility warning (strict builds fail on warnings).
MAX_COUNT = 999


def copy_project(dest: Path, source: Path = ROOT) -> Path:
    """A copy of the project to build (everything a build reads; no tests, outputs or caches)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest, ignore=SKIP, symlinks=True)
    return dest


def strip_macros(project: Path) -> Path:
    config = project / "mkdocs.yml"
    text, found = MACROS_BLOCK.subn("", config.read_text("utf-8"))
    if found != 1:
        raise RuntimeError("mkdocs.yml: the `- macros:` plugin block was not found exactly once")
    config.write_text(text, "utf-8")
    return project


def add_stage_hooks(project: Path) -> Path:
    """Append benchmarks/stages*.py to the config's hooks (they log stage times to $BENCH_STAGES)."""
    config = project / "mkdocs.yml"
    here = Path(__file__).resolve().parent
    lines = "".join(f"  - {here / name}\n" for name in ("stages.py", "stages_end.py"))
    text, found = HOOKS_LINE.subn(lambda m: m.group(0) + lines, config.read_text("utf-8"), count=1)
    if not found:
        text += "\nhooks:\n" + lines
    config.write_text(text, "utf-8")
    return project


def remove_hook(project: Path, hook: str) -> Path:
    """Take one hook (e.g. hooks/jieba_cache.py) out of the config: the build as it was before it."""
    config = project / "mkdocs.yml"
    text, found = re.subn(rf"^  - {re.escape(hook)}\n", "", config.read_text("utf-8"), flags=re.MULTILINE)
    if found != 1:
        raise RuntimeError(f"mkdocs.yml: hook {hook} not found exactly once")
    config.write_text(text, "utf-8")
    return project


def replace_code(project: Path, module: str, old: str, new: str) -> Path:
    """Undo one fix in a copy's code (the benchmarks' "before"); fails if the code has changed."""
    path = project / module
    text = path.read_text("utf-8")
    if text.count(old) != 1:
        raise RuntimeError(f"{module}: {old!r} not found exactly once; update benchmarks/run.py")
    path.write_text(text.replace(old, new), "utf-8")
    return project


def _generated_figures(text: str, template: dict, year: int) -> str:
    """A scaffolded figures file (every value 待填) filled in: counts generated around the
    template year's value (deterministic per year), texts as in the template year."""
    rng = random.Random(year)

    def value(match: re.Match) -> str:
        old = template.get(match.group(2))
        if isinstance(old, bool) or old is None:
            raise RuntimeError(f"template year has no value for {match.group(2)}")
        if isinstance(old, int):
            low, high = max(0, old // 2), max(1, min(MAX_COUNT, old * 3 // 2))
            return f"{match.group(1)}{rng.randint(low, high)}"
        return f"{match.group(1)}{json.dumps(str(old), ensure_ascii=False)}"

    return re.sub(r"^(([\w.]+):\s*)待填(?=\s*(?:#.*)?$)", value, text, flags=re.MULTILINE)


def fill_year(project: Path, year: int) -> None:
    """What editors do after `make new-year`: figures, the 落款 date, prose rewritten (the
    draft_notice lines deleted; the prose stays last year's, marked with the year)."""
    template = yaml.safe_load((project / "data" / str(TEMPLATE_YEAR) / "figures.yaml").read_text("utf-8"))
    figures = project / "data" / str(year) / "figures.yaml"
    figures.write_text(_generated_figures(figures.read_text("utf-8"), template, year), "utf-8")
    report = project / "data" / str(year) / "report.yaml"
    text, found = re.subn(r"^date:\s*待填\s*$", f"date: {year + 1}-01-10", report.read_text("utf-8"),
                          flags=re.MULTILINE)
    if found != 1:
        raise RuntimeError(f"{report}: no `date: 待填` line to fill")
    report.write_text(text, "utf-8")
    for page in (project / "docs" / str(year)).rglob("*.md"):
        # Real years' prose differs; a synthetic page carrying last year's prose would be the
        # same text every year and flatter any cache keyed by page text (macros/template_memo.py).
        text = SYNTHETIC_MARK.sub("", DRAFT_LINE.sub("", page.read_text("utf-8"))).rstrip("\n")
        page.write_text(f"{text}\n\n<!-- 合成年度 {year} -->\n", "utf-8")


def add_years(project: Path, count: int, source: Path | None = None) -> list[int]:
    """Make the site hold `count` years: the template year and the ones after it, each made by
    `make new-year`'s scaffold (macros/newyear.py) from the year before and then filled in.
    Years already present are kept; with `source` (a project that has them) years are copied."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from macros.newyear import scaffold  # the project's own `make new-year`

    years = list(range(TEMPLATE_YEAR, TEMPLATE_YEAR + count))
    for year in years[1:]:
        if (project / "data" / str(year)).exists():
            continue
        if source is not None and (source / "data" / str(year)).is_dir():
            for part in ("data", "docs"):
                shutil.copytree(source / part / str(year), project / part / str(year))
            continue
        scaffold(project, year)
        fill_year(project, year)
    return years


STOCK_CONFIG = """\
# A stock Material site over the same Markdown (benchmarks only).
site_name: {site_name}
theme:
  name: material
  language: zh
  font: false
  features:
    - navigation.tabs
    - navigation.sections
    - navigation.indexes
    - navigation.prune
plugins:
  - search
exclude_docs: |
  _*.md
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc
  - pymdownx.details
  - pymdownx.tasklist:
      custom_checkbox: true
"""


def stock(project: Path) -> Path:
    """Replace the config by a stock Material one (same site name and Markdown extensions)."""
    config = project / "mkdocs.yml"
    name = re.search(r"^site_name:\s*(.+)$", config.read_text("utf-8"), re.MULTILINE).group(1)
    config.write_text(STOCK_CONFIG.format(site_name=name), "utf-8")
    return project


def figure_keys(project: Path, year: int = TEMPLATE_YEAR) -> dict:
    return yaml.safe_load((project / "data" / str(year) / "figures.yaml").read_text("utf-8"))
