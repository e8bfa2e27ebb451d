"""The branch's domain as a library (macros/core): usable without MkDocs, with the same errors."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from helpers.files import ROOT, data_copy, edit, line_of

from macros.core import DataErrors, load_branch
from macros.core.records import ledger

SITE_PACKAGES = ("mkdocs", "mkdocs_macros", "markdown", "jinja2", "markupsafe", "material", "pymdownx")


def architecture_example() -> str:
    """The Python snippet ARCHITECTURE.md shows a maintainer (after its marker comment)."""
    text = (ROOT / "ARCHITECTURE.md").read_text("utf-8")
    match = re.search(r"<!-- core-example -->\s*```python\n(.*?)```", text, re.S)
    assert match, "ARCHITECTURE.md: the core example is missing"
    return match.group(1)


def test_the_architecture_example_prints_the_committee_count_and_months_without_mkdocs():
    example = architecture_example()
    assert len(example.strip().splitlines()) == 3
    probe = example + f"\nimport sys\nprint(sorted(m for m in sys.modules if m.split('.')[0] in {SITE_PACKAGES!r}))\n"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    printed, loaded = result.stdout.strip().splitlines()
    assert loaded == "[]", f"the core loaded {loaded}"
    # what it printed is the 台账's own count and grid, computed here another way
    branch = load_branch(ROOT)
    records = branch.records(2022)
    held = len(records.of_type("committee_meeting"))
    row = next(r for r in ledger.grid(records, branch.as_of) if r.type.key == "committee_meeting")
    assert printed.startswith(f"{held} ")
    assert [f"{p.name}{p.state}" for p in row.periods] == re.findall(r"'([^']+)'", printed)


def test_the_figure_is_the_typed_or_derived_value():
    branch = load_branch(ROOT)
    assert branch.name and branch.years[0] == 2022
    records = branch.records(2022)
    assert branch.figure(2022, "branch.committee_meetings") == len(records.of_type("committee_meeting"))
    assert branch.plan(2022) is not None and branch.checklist(2022) is not None


def test_bad_data_gives_the_same_chinese_lines_as_a_build(tmp_path):
    root = data_copy(tmp_path / "p", records=False)
    figures = root / "data/2022/figures.yaml"
    edit(figures, "docs.plans: ", "docs.plans: 十二  # ")
    with pytest.raises(DataErrors) as caught:
        load_branch(root)
    line = line_of(figures, "docs.plans:")
    assert f"data/2022/figures.yaml:{line}: " in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_an_unknown_activity_is_named():
    with pytest.raises(KeyError, match="没有按期开展的活动类型 no_such"):
        load_branch(ROOT).compliance(2022, "no_such")
