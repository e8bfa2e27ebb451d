"""`make check` (macros.commands.check.run, in process): the build's validation without building, and the
list of 待填 figures, values to double-check and pages to rewrite."""

from __future__ import annotations

import io
import logging
import re

import pytest
import yaml
from helpers.files import ROOT, edit, line_of, load_errors, project_copy, unissued

from macros.commands import check, newyear


@pytest.fixture(autouse=True)
def keep_log_levels():
    """check.run quiets MkDocs' log for its own report; the other tests need it as it was."""
    levels = {name: logging.getLogger(name).level for name in ("mkdocs", "jieba")}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def run(root) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = check.run(root, out)
    return code, out.getvalue().splitlines()


@pytest.fixture()
def project(tmp_path):
    return project_copy(tmp_path / "project")


def test_real_project_passes():
    code, lines = run(ROOT)
    assert code == 0, lines
    assert lines[-1] == "检查通过：2022年度数据无错误，0 项待填，0 处需要核对；可以发布（make build）。"


def test_lists_every_unfilled_figure_with_file_and_line(project):
    unissued(project)  # a report not yet issued: its figures may still change
    figures = project / "data/2022/figures.yaml"
    edit(figures, "docs.plans: 36", "docs.plans: 待填")
    edit(figures, "care.symposiums: 2", "care.symposiums:")
    edit(figures, "docs.notices: 80", "docs.notices: 8000")
    code, lines = run(project)
    assert code == 0, lines
    n = {key: line_of(figures, f"{key}:") for key in ("docs.plans", "care.symposiums", "docs.notices")}
    assert lines == [
        "待填（2 项）：",
        f"data/2022/figures.yaml:{n['docs.plans']}: 拟制方案、计划、安排件数 (docs.plans)：待填",
        f"data/2022/figures.yaml:{n['care.symposiums']}: 召开座谈会次数 (care.symposiums)：待填",
        "需要核对（1 处）：",
        f"data/2022/figures.yaml:{n['docs.notices']}: 拟制各类通知件数 (docs.notices)：数值 8000 大于 1000，可能多打了一位，请核对",
        "检查通过：2022年度数据无错误，2 项待填，1 处需要核对；可以预览，正式发布前需处理以上各项。",
    ]
    assert not (project / "site").exists()


def test_errors_exit_non_zero_and_are_all_listed(project):
    edit(project / "data/2022/figures.yaml", "docs.plans: 36", "docs.plans: 十二")
    edit(project / "data/branch.yaml", "parent: 馆党委", "parnet: 馆党委")
    code, lines = run(project)
    assert code == 1
    assert f"data/branch.yaml:{line_of(project / 'data/branch.yaml', 'parnet')}: 未知数据项 parnet；是否是 parent？" in lines
    n = line_of(project / "data/2022/figures.yaml", "docs.plans:")
    assert f'data/2022/figures.yaml:{n}: 拟制方案、计划、安排件数 (docs.plans)：应为非负整数，实际为 "十二"' in lines
    assert lines[-1] == "检查未通过：发现 2 处错误，构建会在写出网站之前停止。"
    assert not any("Traceback" in line for line in lines)


def test_a_mistyped_macro_in_a_page_is_checked_too(project):
    edit(project / "docs/2022/problems.md", "# 二、存在主要问题", "# 二、存在主要问题\n\n{{ figg('x') }}")
    code, lines = run(project)
    assert code == 1
    assert "docs/2022/problems.md:3: 页面调用了未定义的宏 figg；是否是 fig？" in lines


def test_stale_figures_schema_is_an_error(project):
    edit(project / "data/catalogue.yaml", "label: 组织党员学习次数", "label: 组织党员集中学习次数")
    code, lines = run(project)
    assert code == 1
    assert "schemas/figures.schema.json:1: 与 data/catalogue.yaml 不一致（编辑器提示会过时）；请运行 make schemas" in lines


def test_a_new_year_lists_its_unfilled_figures_date_and_pages_to_rewrite(project):
    newyear.scaffold(project, 2023)
    code, lines = run(project)
    assert code == 0, lines
    catalogue = yaml.safe_load((ROOT / "data/catalogue.yaml").read_text("utf-8"))["figures"]
    typed = [key for key, spec in catalogue.items() if not spec.get("derived")]  # the rest come from the 台账
    assert lines[0] == f"待填（{len(typed) + 1} 项）："  # every typed figure and the 落款日期
    assert any(re.fullmatch(r"data/2023/figures\.yaml:\d+: 拟制方案、计划、安排件数 \(docs\.plans\)：待填", x) for x in lines)
    assert not any("(study.sessions)" in x for x in lines)
    assert any(re.fullmatch(r"data/2023/report\.yaml:\d+: 落款日期 \(date\)：待填", x) for x in lines)
    assert "正文待改写（7 处）：" in lines
    assert any(line.startswith("docs/2023/work/political.md:") and "待改写" in line for line in lines)
    assert lines[-1] == (f"检查通过：2022年度、2023年度数据无错误，{len(typed) + 1} 项待填，0 处需要核对，7 处正文待改写；"
                         "可以预览，正式发布前需处理以上各项。")


def test_the_command_line_entry_point(project, capsys):
    edit(project / "data/2022/figures.yaml", "docs.plans: 36", "docs.plans: 十二")
    assert check.main(["--root", str(project)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "检查未通过：发现 1 处错误，构建会在写出网站之前停止。"


def test_years_that_disagree_are_reported_by_check_exactly_as_by_the_build(project):
    (project / "docs/2023").mkdir()
    (project / "docs/2023/index.md").write_text("# 2023 年度\n", "utf-8")
    (project / "data/20x2").mkdir()
    expected = [
        "data/20x2:1: 目录 data/20x2/ 既不是年度目录（四位数字年份，如 data/2023/），"
        "也不是本站的共用目录（people、records）；请改名或移走",
        "docs/2023:1: 有 2023 年度的页面目录 docs/2023/，却没有数据目录 data/2023/；"
        "请补上该年度的数据（make new-year 会同时生成二者），或删去该页面目录",
    ]
    code, lines = run(project)
    assert code == 1
    assert lines == [*expected, "检查未通过：发现 2 处错误，构建会在写出网站之前停止。"]
    assert load_errors(project, project / "docs") == [*expected, "发现 2 处数据错误，已停止构建，网站未更新。"]
