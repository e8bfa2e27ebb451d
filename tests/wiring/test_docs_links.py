"""Issue 23.2: a build publishes nothing that a symbolic link in docs/ points to outside docs/, and no
stray file (backups, swap files, hidden files). Fixture site builds (tests/sites/basic, copied) plus
the plugin's check in process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.builds import build, refused
from helpers.files import SITES, project_copy

from macros.core.scan import docs_problems
from macros.site import docs_guard

SECRET = "绝密：不应发布的文字 7f3a"


@pytest.fixture()
def site(tmp_path) -> Path:
    return project_copy(tmp_path / "site", SITES / "basic")


@pytest.fixture()
def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(f"# 外部\n\n{SECRET}\n", "utf-8")
    (folder / "data.txt").write_text(SECRET, "utf-8")
    return folder


def error_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("ERROR")]


LINKS = [
    ("passwd", "/etc/passwd"),
    ("外部.md", "outside/secret.md"),
    ("linked", "outside"),
    ("gone.md", "outside/nothing.md"),
    ("records", "site/data"),  # inside the project, but the data (names) is never published raw
]


@pytest.mark.parametrize("name, target", LINKS)
def test_every_kind_of_link_out_of_docs_is_found(site, outside, tmp_path, name, target):
    (site / "docs" / name).symlink_to(target if target.startswith("/") else tmp_path / target)
    assert [line.split(" → ")[0] for line in docs_problems(site, site / "docs").linked_out] == [f"docs/{name}"]


def test_links_out_of_docs_stop_the_build_and_are_never_read(site, outside, tmp_path):
    """One build (and one preview build) with every kind of link: one error line naming them all."""
    for name, target in LINKS:
        (site / "docs" / name).symlink_to(target if target.startswith("/") else tmp_path / target)
    for strict in (True, False):  # a preview build too
        result = refused(site, tmp_path / ("strict" if strict else "preview"), strict)
        [line] = error_lines(result)
        assert "符号链接" in line and all(f"docs/{name} → " in line for name, _ in LINKS), line
        assert SECRET not in result.output


def test_a_link_inside_the_repository_is_fine(site, tmp_path):
    (site / "docs" / "别名.md").symlink_to("index.md")
    (site / "docs" / "config.yml").symlink_to("../mkdocs.yml")  # in the project, outside docs/: read, allowed
    result = build(site, tmp_path / "out")
    assert result.returncode == 0, result.output


STRAYS = ["index.md~", "#index.md#", ".index.md.swp", ".secret", "备份.md.bak", "Thumbs.db"]


@pytest.mark.parametrize("name", STRAYS)
def test_every_kind_of_stray_file_is_found(site, name):
    (site / "docs" / name).write_text(SECRET, "utf-8")
    assert docs_problems(site, site / "docs").stray == [f"docs/{name}"]


def test_a_stray_file_stops_a_build_naming_it(site, tmp_path):
    (site / "docs" / "index.md~").write_text(SECRET, "utf-8")
    result = refused(site, tmp_path, True)
    assert error_lines(result) == [
        "ERROR   -  docs/ 中有不应发布的文件（编辑器备份、交换文件或隐藏文件）：docs/index.md~；请删去或移出 docs/"
    ]


def test_the_preview_leaves_stray_files_out(site, tmp_path, caplog):
    (site / "docs" / "2022" / "index.md~").write_text(SECRET, "utf-8")
    (site / "docs" / ".obsidian").mkdir()
    assert docs_guard.guard_docs(site, site / "docs", serving=True) == ["docs/.obsidian/", "docs/2022/index.md~"]
    assert docs_guard.stray_file("2022/index.md~") and docs_guard.stray_file(".obsidian/app.json")
    assert not docs_guard.stray_file("2022/index.md")


def test_the_list_names_every_problem(site, outside, tmp_path):
    (site / "docs" / "a.md").symlink_to(outside / "secret.md")
    (site / "docs" / "2022" / "b").symlink_to(outside)
    found = docs_problems(site, site / "docs")
    assert sorted(found.linked_out) == [f"docs/2022/b → {os.path.realpath(outside)}",
                                f"docs/a.md → {os.path.realpath(outside / 'secret.md')}"]
    assert found.stray == []
