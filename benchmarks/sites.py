"""The sites the benchmarks build: copies of the real project, changed in one way each.

- `copy_project`: the real project (config, pages, data, code), without tests and outputs.
- `strip_macros`: the same tree with the macros plugin removed from mkdocs.yml (pages then
  contain raw {{ }} text; the build still does everything else).
- `add_years`: synthetic years, each a copy of the template year's pages and data with the
  year numbers changed and generated figure values (deterministic per year).
- `stock`: a stock Material configuration over the same Markdown (no hooks, no overrides,
  no extra CSS, no macros), for the page-weight comparison.
- `add_stage_hooks`: the timing hooks of `stages.py` appended to the config.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_YEAR = 2022
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "site", ".site.tmp", ".site.old", "__pycache__", ".pytest_cache", ".ruff_cache",
    "tests", "benchmarks", "test-results", "node_modules", ".cache", "BENCHMARKS.md",
)
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


def _shift_years(text: str, year: int) -> str:
    """Year numbers of the template year (and the next one, for plans) moved to `year`."""
    mapping = {str(TEMPLATE_YEAR + 1): str(year + 1), str(TEMPLATE_YEAR): str(year)}
    return re.sub(r"(?<!\d)({})(?!\d)".format("|".join(mapping)), lambda m: mapping[m.group(1)], text)


def _generated_figures(text: str, year: int) -> str:
    """The template's figures file with every whole-number value replaced by a generated one."""
    rng = random.Random(year)

    def value(match: re.Match) -> str:
        old = int(match.group(2))
        low, high = max(0, old // 2), max(1, min(MAX_COUNT, old * 3 // 2))
        return f"{match.group(1)}{rng.randint(low, high)}"

    return re.sub(r"^([\w.]+:\s*)(\d+)\s*$", value, text, flags=re.MULTILINE)


def add_years(project: Path, count: int, last: int = TEMPLATE_YEAR) -> list[int]:
    """Make the site hold `count` years ending at `last` (the template year is kept as is)."""
    years = list(range(last - count + 1, last + 1))
    for year in years:
        if year == TEMPLATE_YEAR:
            continue
        for part in ("docs", "data"):
            src, dest = project / part / str(TEMPLATE_YEAR), project / part / str(year)
            if not src.is_dir():
                continue
            shutil.copytree(src, dest)
            for path in dest.rglob("*"):
                if not path.is_file() or path.suffix not in (".md", ".yaml", ".yml", ".txt"):
                    continue
                text = _shift_years(path.read_text("utf-8"), year)
                if part == "data" and path.name == "figures.yaml":
                    text = _generated_figures(text, year)
                path.write_text(text, "utf-8")
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
