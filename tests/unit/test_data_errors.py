"""Every class of data mistake, made in a copy of the data and loaded as a build loads it.

One Chinese line per problem (`file:line: message`), every problem of the run listed, then the
footer. That a build prints exactly these lines, without a traceback and without writing anything,
is shown once for all by the fixture sites (tests/wiring/test_sites.py).
"""

from __future__ import annotations

import shutil

import pytest
from helpers.files import ROOT, data_copy, edit, line_of, load_errors, unissued
from mkdocs.exceptions import PluginError

from macros.core.errors import DataError, DataErrors, strict_footer
from macros.core.load import load_site
from macros.site.errors import friendly

FIGURES = "data/2022/figures.yaml"
FOOTER = "发现 {} 处数据错误，已停止构建，网站未更新。"


@pytest.fixture()
def root(tmp_path):
    """A project folder with a copy of the real data (the pages are read from the real docs/)."""
    return data_copy(tmp_path / "project")


def figures(root):
    return root / FIGURES


def test_wrong_types_for_a_count_all_listed_in_the_issue_format(root):
    cases = {"docs.plans": "十二", "docs.notices": "12.5", "docs.requests": "-3", "care.symposiums": "true"}
    for key, bad in cases.items():
        edit(figures(root), f"\n{key}: ", f"\n{key}: {bad} #")
    lines = load_errors(root)
    n = {key: line_of(figures(root), f"\n{key}:") + 1 for key in cases}
    assert [line for line in lines if line.startswith(FIGURES)] == [
        f'{FIGURES}:{n["docs.plans"]}: 拟制方案、计划、安排件数 (docs.plans)：应为非负整数，实际为 "十二"',
        f"{FIGURES}:{n['docs.notices']}: 拟制各类通知件数 (docs.notices)：应为整数，实际为 12.5；请写不带小数点的整数",
        f"{FIGURES}:{n['docs.requests']}: 起草请示、报告、函等件数 (docs.requests)：应为非负整数，实际为 -3",
        f"{FIGURES}:{n['care.symposiums']}: 召开座谈会次数 (care.symposiums)：应为整数，实际为 true；"
        "true、yes 等是“是/否”，不是数字",
    ]
    assert lines[-1] == FOOTER.format(4)


def test_readme_example_is_a_real_message(root):
    """README's example error line, made by that slip in that line of the real file, is printed as is."""
    import re

    (example,) = re.findall(r"^data/2022/figures\.yaml:\d+: .*$", (ROOT / "README.md").read_text("utf-8"), re.M)
    line, key, typed = re.fullmatch(r'data/2022/figures\.yaml:(\d+): .* \((\S+)\)：应为非负整数，实际为 "(.*)"',
                                    example).groups()
    lines = figures(root).read_text("utf-8").splitlines()
    assert lines[int(line) - 1].startswith(f"{key}: "), f"README: 第 {line} 行不是 {key}"
    lines[int(line) - 1] = f"{key}: {typed}"
    figures(root).write_text("\n".join(lines) + "\n", "utf-8")
    assert load_errors(root) == [example, FOOTER.format(1)]


def test_problems_in_several_files_are_all_listed(root, tmp_path):
    docs = tmp_path / "docs"
    import shutil

    shutil.copytree(ROOT / "docs", docs)
    edit(figures(root), "care.symposiums: 2", "care.symposiums: 两")
    edit(root / "data/2022/report.yaml", "date: 2023-01-10", "date: 2023-02-30")
    edit(root / "data/branch.yaml", "parent: 馆党委", "parnet: 馆党委")
    edit(docs / "2022/work/conduct.md", 'fig("integrity.model_person")', 'fig("integrity.model")')
    lines = load_errors(root, docs)
    assert f"data/branch.yaml:{line_of(root / 'data/branch.yaml', 'parnet')}: 未知数据项 parnet；是否是 parent？" in lines
    date_line = line_of(root / "data/2022/report.yaml", "date:")
    assert any(line.startswith(f"data/2022/report.yaml:{date_line}: 落款日期 (date)：应写成 2023-01-10") for line in lines)
    n = line_of(figures(root), "care.symposiums")
    assert f'{FIGURES}:{n}: 召开座谈会次数 (care.symposiums)：应为非负整数，实际为 "两"' in lines
    n = line_of(docs / "2022/work/conduct.md", 'fig("integrity.model")')
    assert f"docs/2022/work/conduct.md:{n}: 页面引用了未知数据项 integrity.model；是否是 integrity.model_person？" in lines
    assert lines[-1] == FOOTER.format(4)


def test_unknown_key_names_the_closest_valid_key(root):
    edit(figures(root), "care.symposiums: 2", "care.symposium: 2")
    n = line_of(figures(root), "care.symposium:")
    assert f"{FIGURES}:{n}: 未知数据项 care.symposium；是否是 care.symposiums？" in load_errors(root)


def test_unknown_figure_in_a_page_names_page_line_and_closest(tmp_path, root):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs/2022", docs / "2022")  # the pages the data refers to (校对提示)
    (docs / "2022/p.md").write_text('# 标题\n\n全年共组织党员学习{{ fig("study.sesions") }}次。\n', "utf-8")
    assert load_errors(root, docs) == [
        "docs/2022/p.md:3: 页面引用了未知数据项 study.sesions；是否是 study.sessions？", FOOTER.format(1)
    ]


def test_yaml_syntax_error_gives_line_and_column(root):
    edit(figures(root), "docs.notices: 80", "docs.notices 80")
    n = line_of(figures(root), "docs.notices")
    assert f"{FIGURES}:{n}: YAML 格式错误（第 1 列）：缺少冒号“:”；常见原因是缩进不齐、冒号后缺空格或引号未成对" \
        in load_errors(root)


def test_unclosed_quote_points_at_the_quote(root):
    edit(figures(root), "publicity.newspaper: 机关", 'publicity.newspaper: "机关')
    n = line_of(figures(root), "publicity.newspaper")
    assert f"{FIGURES}:{n}: YAML 格式错误（第 22 列）：文件意外结束（引号或括号未闭合）；" \
        "常见原因是缩进不齐、冒号后缺空格或引号未成对" in load_errors(root)


def test_gbk_file_is_named_with_how_to_fix(root):
    path = figures(root)
    first_chinese = next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if not line.isascii())
    path.write_bytes(path.read_text("utf-8").encode("gbk"))
    assert f"{FIGURES}:{first_chinese}: 文件不是 UTF-8 编码（可能被存成了 GBK/ANSI）；" \
        "请在编辑器中“另存为”并选择 UTF-8 编码" in load_errors(root)


def test_utf8_bom_is_accepted(root):
    for name in (FIGURES, "data/2022/report.yaml", "data/catalogue.yaml"):
        path = root / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    site = load_site(root, ROOT / "docs")
    assert site.years[2022].values["docs.plans"] == 36
    assert site.years[2022].doc.line("docs.plans") == line_of(figures(root), "docs.plans:")


def test_tab_indentation_every_line_listed(root):
    edit(root / "data/branch.yaml", "parent: 馆党委", "parent:\n\t馆党委")
    edit(figures(root), "\ndocs.requests: 50", "\n\tdocs.requests: 50")
    lines = load_errors(root)
    rule = "行首使用了制表符（Tab）缩进；YAML 只能用空格缩进"
    assert f"data/branch.yaml:{line_of(root / 'data/branch.yaml', chr(9))}: {rule}" in lines
    assert f"{FIGURES}:{line_of(figures(root), chr(9) + 'docs.requests')}: {rule}" in lines
    assert lines[-1] == FOOTER.format(2)


def test_duplicate_keys_are_refused_each_listed(root):
    path = figures(root)
    path.write_text(path.read_text("utf-8") + "docs.plans: 30\ndocs.notices: 40\n", "utf-8")
    last = len(path.read_text("utf-8").splitlines())
    rule = "同一项只能写一次，请删去其中一行"
    first_plans, first_notices = line_of(path, "docs.plans:"), line_of(path, "docs.notices:")
    assert load_errors(root) == [
        f"{FIGURES}:{last - 1}: docs.plans 重复出现（第 {first_plans} 行已有同名项）；{rule}",
        f"{FIGURES}:{last}: docs.notices 重复出现（第 {first_notices} 行已有同名项）；{rule}",
        FOOTER.format(2),
    ]


def test_missing_file(root):
    (root / "data/2022/report.yaml").unlink()
    assert "data/2022/report.yaml:1: 文件不存在（可能被删除、改名或放错了目录）" in load_errors(root)


def test_empty_file(root):
    figures(root).write_text("# 只有注释\n\n", "utf-8")
    assert f"{FIGURES}:1: 文件是空的（没有任何数据）；请用 git 恢复或从上一年度复制" in load_errors(root)


def test_a_file_that_is_not_a_mapping(root):
    figures(root).write_text("- 24\n- 36\n", "utf-8")
    assert f"{FIGURES}:1: 文件内容应为“键: 值”形式的映射" in load_errors(root)


def test_no_year_folder(root):
    import shutil

    shutil.rmtree(root / "data/2022")
    assert "data:1: 没有任何年度数据目录（如 data/2022/）" in load_errors(root)


def test_merge_key_is_refused(root):
    path = figures(root)
    path.write_text(path.read_text("utf-8") + "base: &b {x: 1}\nother:\n  <<: *b\n", "utf-8")
    last = len(path.read_text("utf-8").splitlines())
    assert f"{FIGURES}:{last}: 不支持合并键 <<，请直接写出各项" in load_errors(root)


def test_alias_bomb_is_bounded(root):
    bomb = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = figures(root)
    path.write_text(path.read_text("utf-8") + "\n".join(bomb) + "\n", "utf-8")
    lines = load_errors(root)  # 9**10 nodes if expanded: the build would never end
    assert any(line.endswith("锚点/别名（& 与 *）展开后超过 50000 项，拒绝读取") for line in lines), lines


def test_yaml_11_yes_is_shown_as_typed(root):
    """YAML 1.1 reads yes as true: say what was typed, never guess a figure."""
    edit(figures(root), "docs.plans: 36", "docs.plans: yes")
    n = line_of(figures(root), "docs.plans:")
    assert f"{FIGURES}:{n}: 拟制方案、计划、安排件数 (docs.plans)：应为整数，实际为 yes；" \
        "true、yes 等是“是/否”，不是数字" in load_errors(root)


def test_yaml_11_octal_is_refused(root):
    """YAML 1.1 reads 036 as 30 (octal)."""
    edit(figures(root), "docs.plans: 36", "docs.plans: 036")
    n = line_of(figures(root), "docs.plans:")
    assert f"{FIGURES}:{n}: docs.plans：036 的写法会被读成 30；请写成普通的十进制数字，不要以 0 开头，" \
        "不要用冒号或下划线" in load_errors(root)


# -- 待填 and implausible values: accepted by a preview, listed for a strict build ------------------


def test_unfilled_and_empty_values_are_listed_with_file_and_line(root):
    unissued(root)  # a 2022 not yet issued: the check itself is tested
    edit(figures(root), "docs.plans: 36", "docs.plans: 待填")
    edit(figures(root), "care.symposiums: 2", "care.symposiums:")
    site = load_site(root, ROOT / "docs")
    assert site.years[2022].values["docs.plans"] is None and site.years[2022].values["care.symposiums"] is None
    assert [e.render() for e in site.unfilled()] == [
        f"{FIGURES}:{line_of(figures(root), 'docs.plans:')}: 拟制方案、计划、安排件数 (docs.plans)：待填",
        f"{FIGURES}:{line_of(figures(root), 'care.symposiums:')}: 召开座谈会次数 (care.symposiums)：待填",
    ]


def test_implausible_count_is_a_warning_not_an_error(root):
    unissued(root)  # a 2022 not yet issued: the check itself is tested
    edit(figures(root), "docs.plans: 36", "docs.plans: 1200")
    site = load_site(root, ROOT / "docs")
    n = line_of(figures(root), "docs.plans:")
    assert [w.render() for w in site.warnings] == [
        f"{FIGURES}:{n}: 拟制方案、计划、安排件数 (docs.plans)：数值 1200 大于 1000，可能多打了一位，请核对"
    ]
    assert site.years[2022].values["docs.plans"] == 1200


def test_strict_footer_counts_each_kind():
    assert strict_footer(2, 0) == "2 个数据项待填，严格模式拒绝发布，网站未更新（预览请用 make serve）。"
    assert strict_footer(0, 1) == "1 处数值需要核对，严格模式拒绝发布，网站未更新（预览请用 make serve）。"
    assert strict_footer(1, 1, 7) == (
        "1 个数据项待填、1 处数值需要核对、7 处正文待改写，严格模式拒绝发布，网站未更新（预览请用 make serve）。"
    )


def test_data_errors_list_every_problem_then_the_footer():
    errors = [DataError("a.yaml", 1, "k", "甲"), DataError("b.yaml", 2, None, "乙")]
    assert str(DataErrors(errors)).splitlines() == ["a.yaml:1: 甲", "b.yaml:2: 乙", FOOTER.format(2)]


def test_a_bug_in_the_code_is_one_line_too():
    from mkdocs.exceptions import PluginError

    @friendly
    def define_env(env):
        return {}["boom"]

    with pytest.raises(PluginError) as caught:
        define_env(None)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("网站程序内部错误：KeyError: 'boom'（这不是数据问题；")
    assert "mkdocs build --verbose" in message


def test_data_errors_become_mkdocs_errors_with_the_same_lines():
    """The core raises its own DataErrors (it knows nothing of MkDocs); the site's wrapper turns them
    into MkDocs' PluginError with the same text and the list kept (make check prints each)."""
    problem = DataErrors([DataError("a.yaml", 1, "k", "甲")])

    @friendly
    def define_env(env):
        raise problem

    with pytest.raises(PluginError) as caught:
        define_env(None)
    assert str(caught.value) == str(problem)
    assert caught.value.errors == problem.errors
    assert caught.value.__cause__ is None  # no traceback chained in
