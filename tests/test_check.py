"""`make check`: the build's validation without building, and the list of 待填 figures."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ENV, ROOT, build


def check(project):
    return subprocess.run(
        [sys.executable, "-m", "macros.check", "--root", str(project)],
        cwd=project, capture_output=True, text=True, env=ENV, timeout=120,
    )


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_real_project_passes():
    result = check(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 项待填，0 处需要核对；可以发布（make build）。")


def test_make_check_runs_the_module():
    make = subprocess.run(["make", "-n", "check"], cwd=ROOT, capture_output=True, text=True)
    assert ".venv/bin/python -m macros.check" in make.stdout


def test_lists_every_unfilled_figure_with_file_and_line(project):
    edit(project / "data/2022/figures.yaml", "study.sessions: 24", "study.sessions: 待填")
    edit(project / "data/2022/figures.yaml", "docs.plans: 36", "docs.plans:")
    edit(project / "data/2022/figures.yaml", "docs.notices: 80", "docs.notices: 8000")
    result = check(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "待填（2 项）：",
        "data/2022/figures.yaml:6: 组织党员学习次数 (study.sessions)：待填",
        "data/2022/figures.yaml:9: 拟制方案、计划、安排件数 (docs.plans)：待填",
        "需要核对（1 处）：",
        "data/2022/figures.yaml:10: 拟制各类通知件数 (docs.notices)：数值 8000 大于 1000，可能多打了一位，请核对",
        "检查通过：2022年度数据无错误，2 项待填，1 处需要核对；可以预览，正式发布前需处理以上各项。",
    ]
    assert result.stderr == ""
    assert not (project / "site").exists()


def test_errors_exit_non_zero_and_are_all_listed_without_traceback(project):
    edit(project / "data/2022/figures.yaml", "study.sessions: 24", "study.sessions: 十二")
    edit(project / "data/branch.yaml", "parent: 馆党委", "parnet: 馆党委")
    edit(project / "docs/2022/problems.md", "# 二、存在主要问题", "# 二、存在主要问题\n\n{{ figg('x') }}")
    result = check(project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "data/branch.yaml:4: 未知数据项 parnet；是否是 parent？" in lines
    assert 'data/2022/figures.yaml:6: 组织党员学习次数 (study.sessions)：应为非负整数，实际为 "十二"' in lines
    assert lines[-1] == "检查未通过：发现 2 处错误，构建会在写出网站之前停止。"
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / "site").exists()


def test_page_problems_are_checked_too(project):
    edit(project / "docs/2022/problems.md", "# 二、存在主要问题", "# 二、存在主要问题\n\n{{ figg('x') }}")
    result = check(project)
    assert result.returncode == 1
    assert "docs/2022/problems.md:3: 页面调用了未定义的宏 figg；是否是 fig？" in result.stdout.splitlines()


def test_stale_figures_schema_is_an_error(project):
    edit(project / "data/catalogue.yaml", "label: 组织党员学习次数", "label: 组织党员集中学习次数")
    result = check(project)
    assert result.returncode == 1
    assert "schemas/figures.schema.json:1: 与 data/catalogue.yaml 不一致（编辑器提示会过时）；请运行 make schemas" \
        in result.stdout.splitlines()


def test_a_new_year_lists_its_unfilled_figures_date_and_pages_to_rewrite(project):
    made = subprocess.run([sys.executable, "-m", "macros.newyear", "2023"], cwd=project, capture_output=True,
                          text=True, env=ENV, timeout=120)
    assert made.returncode == 0, made.stderr
    result = check(project)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "待填（25 项）："  # 24 figures and the 落款日期
    study = r"data/2023/figures\.yaml:\d+: 组织党员学习次数 \(study\.sessions\)：待填"
    assert any(re.fullmatch(study, x) for x in lines)
    assert any(re.fullmatch(r"data/2023/report\.yaml:\d+: 落款日期 \(date\)：待填", x) for x in lines)
    assert any(line.startswith("正文待改写（") for line in lines)
    assert any(line.startswith("docs/2023/work/political.md:") and "待改写" in line for line in lines)
    assert lines[-1].startswith("检查通过：2022年度、2023年度数据无错误，25 项待填，0 处需要核对，")


def test_years_that_disagree_are_reported_by_check_exactly_as_by_the_build(project, tmp_path):
    (project / "docs/2023").mkdir()
    (project / "docs/2023/index.md").write_text("# 2023 年度\n", "utf-8")
    (project / "data/20x2").mkdir()
    expected = [
        "data/20x2:1: 目录 data/20x2/ 既不是年度目录（四位数字年份，如 data/2023/），"
        "也不是本站的共用目录（records）；请改名或移走",
        "docs/2023:1: 有 2023 年度的页面目录 docs/2023/，却没有数据目录 data/2023/；"
        "请补上该年度的数据（make new-year 会同时生成二者），或删去该页面目录",
    ]
    result = check(project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [*expected, "检查未通过：发现 2 处错误，构建会在写出网站之前停止。"]
    built = build(project, tmp_path / "out")
    assert built.returncode != 0
    shown = [re.sub(r"^(ERROR|WARNING)\s+-\s+", "", line) for line in built.stderr.splitlines()]
    assert [line for line in shown if line.startswith(("data/", "docs/"))] == expected
    assert not (tmp_path / "out").exists()
