"""Issue 23.6 in the pages: a Jinja mistake in a section file is told against that file in Chinese,
a missing include is told once (fixture builds); a missing plan.yaml, rules.yaml or checklist.yaml
is one line saying so (in process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.builds import build
from helpers.files import SITES, data_copy, load_errors, project_copy

from macros.core.load import load_site
from macros.core.scan import scan_pages
from macros.pages.loop import missing_files


@pytest.fixture()
def site(tmp_path) -> Path:
    return project_copy(tmp_path / "site", SITES / "basic")


def failed(site: Path, tmp: Path):
    result = build(site, tmp / "out")
    assert result.returncode != 0 and "Traceback" not in result.output, result.output
    return result


def errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if "ERROR" in line or "WARNING" in line]


@pytest.mark.parametrize("mistake, says", [
    ("{% if %}", "宏的写法有误（{{ }} 与 {% %} 是否成对，括号、引号是否齐全）："),
    ("{{ report_title( }}", "宏的写法有误"),
    ("{{ no_such_thing.x }}", "页面调用了未定义的宏 no_such_thing"),
])
def test_a_jinja_mistake_in_a_section_names_the_section(site, tmp_path, mistake, says):
    work = site / "docs/2022/work.md"
    text = work.read_text("utf-8") + f"\n\n{mistake}\n"
    work.write_text(text, "utf-8")
    line = text.count("\n")
    [error] = errors(failed(site, tmp_path))
    assert f"docs/2022/work.md:{line}: " in error and says in error, error
    assert "full.md:" not in error.split("（由")[0]


def test_a_missing_include_is_told_once(site, tmp_path):
    full = site / "docs/2022/full.md"
    full.write_text(full.read_text("utf-8") + '\n{{ include_section("nothere.md") }}\n', "utf-8")
    assert errors(failed(site, tmp_path)) == [
        f"ERROR   -  docs/2022/full.md:{full.read_text('utf-8').count(chr(10))}: 页面中的宏出错：找不到文件 docs/2022/nothere.md"
    ]


@pytest.mark.parametrize("file, says", [
    ("data/2022/plan.yaml", "data/2022/plan.yaml:1: 文件不存在，而 data/2022/checklist.yaml、data/2022/reminders.yaml "
                            "引用了其中的措施和任务；请恢复 plan.yaml（可从版本历史找回），或同时删去引用它的文件"),
    ("data/rules.yaml", "data/rules.yaml:1: 文件不存在，而 data/2022/checklist.yaml 的清单事项引用了其中的对标规则；"
                        "请恢复 data/rules.yaml（可从版本历史找回）"),
])
def test_a_missing_plan_or_rules_file_is_one_line(tmp_path, file, says):
    root = data_copy(tmp_path / "site", records=False)
    (root / file).unlink()
    assert load_errors(root) == [says, "发现 1 处数据错误，已停止构建，网站未更新。"]


def test_a_missing_checklist_is_one_line_naming_the_pages(tmp_path):
    root = data_copy(tmp_path / "site", docs=True)
    (root / "data/2022/checklist.yaml").unlink()
    data = load_site(root, root / "docs")
    [error] = missing_files(data.loops, scan_pages(root / "docs"), root)
    assert error.path == "data/2022/checklist.yaml" and error.message.startswith("文件不存在，而页面 docs/2022/")
    assert error.message.endswith("要用它；请恢复该文件（可从版本历史找回），或删去这些页面中的调用")
    assert missing_files(load_site(data_copy(tmp_path / "whole", docs=True)).loops,
                         scan_pages(root / "docs"), root) == []
