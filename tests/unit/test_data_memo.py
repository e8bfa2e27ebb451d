"""Under make serve, a data file whose bytes and schema are unchanged is not parsed and checked again."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.files import unissued

from macros.core.load import load_site
from macros.core.reading.validate import reusing

ROOT = Path(__file__).resolve().parents[2]


def test_unchanged_files_are_reused_and_a_saved_file_is_read_again(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    unissued(tmp_path)  # its figures are changed below
    checked: dict = {}
    first = load_site(tmp_path, tmp_path / "docs", checked)
    assert "data/2022/figures.yaml" in checked and "data/catalogue.yaml" in checked
    again = load_site(tmp_path, tmp_path / "docs", checked)
    assert again.years[2022].doc is first.years[2022].doc  # reused, not parsed again
    figures = tmp_path / "data/2022/figures.yaml"
    figures.write_text(figures.read_text("utf-8").replace("meetings.other: 90", "meetings.other: 91"), "utf-8")
    saved = load_site(tmp_path, tmp_path / "docs", checked)
    assert saved.years[2022].values["meetings.other"] == 91 and saved.years[2022].doc is not first.years[2022].doc
    with reusing(None):  # no memo (what mkdocs build does): fresh
        assert load_site(tmp_path, tmp_path / "docs").years[2022].doc is not saved.years[2022].doc
