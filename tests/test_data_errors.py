"""Every class of data mistake, made in a copy of the real project and built with mkdocs.

Each failing build must print one Chinese line per problem (`file:line: message`), no Python
traceback, and leave the output directory exactly as it was.
"""

from __future__ import annotations

import re
import subprocess

from conftest import ENV, MKDOCS, ROOT, build

FIGURES = "data/2022/figures.yaml"


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def line_of(path, start: str) -> int:
    """The 1-based line of the first line starting with `start`."""
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def refused(project, tmp_path, strict=True) -> list[str]:
    """Build into an output dir that already holds a site; the build must fail and leave it as it was."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("旧网站", "utf-8")
    result = build(project, out, strict=strict)
    shown = result.stdout + result.stderr
    assert result.returncode != 0, shown
    assert "Traceback" not in shown and 'File "' not in shown, shown
    assert [p.name for p in out.iterdir()] == ["index.html"], "the old site is untouched"
    assert (out / "index.html").read_text("utf-8") == "旧网站"
    return [re.sub(r"^(ERROR|WARNING)\s+-\s+", "", line) for line in result.stderr.splitlines()]


def test_wrong_types_for_a_count_all_listed_in_the_issue_format(project, tmp_path):
    figures = project / FIGURES
    cases = {"study.sessions": "十二", "docs.plans": "12.5", "docs.notices": "-3", "docs.requests": "true"}
    for key, bad in cases.items():
        edit(figures, f"\n{key}: ", f"\n{key}: {bad} #")
    lines = refused(project, tmp_path, strict=False)
    n = {key: line_of(figures, key + ":") for key in cases}
    expected = [
        f'{FIGURES}:{n["study.sessions"]}: 组织党员学习次数 (study.sessions)：应为非负整数，实际为 "十二"',
        f"{FIGURES}:{n['docs.plans']}: 拟制方案、计划、安排件数 (docs.plans)：应为整数，实际为 12.5；"
        "请写不带小数点的整数",
        f"{FIGURES}:{n['docs.notices']}: 拟制各类通知件数 (docs.notices)：应为非负整数，实际为 -3",
        f"{FIGURES}:{n['docs.requests']}: 起草请示、报告、函等件数 (docs.requests)：应为整数，实际为 true；"
        "true、yes 等是“是/否”，不是数字",
    ]
    assert [line for line in lines if line.startswith(FIGURES)] == expected
    assert "发现 4 处数据错误，已停止构建，网站未更新。" in lines


def test_readme_example_is_a_real_message(project, tmp_path):
    edit(project / FIGURES, "study.sessions: 24", "study.sessions: 十二")
    lines = refused(project, tmp_path)
    example = f'{FIGURES}:6: 组织党员学习次数 (study.sessions)：应为非负整数，实际为 "十二"'
    assert example in lines
    assert example in (ROOT / "README.md").read_text("utf-8")


def test_problems_in_several_files_are_all_listed(project, tmp_path):
    edit(project / FIGURES, "care.symposiums: 2", "care.symposiums: 两")
    edit(project / "data/2022/report.yaml", "date: 2023-01-10", "date: 2023-02-30")
    edit(project / "data/branch.yaml", "parent: 馆党委", "parnet: 馆党委")
    edit(project / "docs/2022/work/conduct.md", 'fig("integrity.model_person")', 'fig("integrity.model")')
    lines = refused(project, tmp_path)
    assert "data/branch.yaml:4: 未知数据项 parnet；是否是 parent？" in lines
    date_line = line_of(project / "data/2022/report.yaml", "date:")
    assert any(line.startswith(f"data/2022/report.yaml:{date_line}: 落款日期 (date)：应写成 2023-01-10")
               for line in lines), lines
    assert f'{FIGURES}:{line_of(project / FIGURES, "care.symposiums")}: 召开座谈会次数 (care.symposiums)：' \
        '应为非负整数，实际为 "两"' in lines
    assert any(
        line.startswith("docs/2022/work/conduct.md:")
        and line.endswith("页面引用了未知数据项 integrity.model；是否是 integrity.model_person？")
        for line in lines
    )
    assert "发现 4 处数据错误，已停止构建，网站未更新。" in lines


def test_unknown_key_names_the_closest_valid_key(project, tmp_path):
    edit(project / FIGURES, "theme_day.red_films: 3", "theme_day.red_film: 3")
    lines = refused(project, tmp_path)
    n = line_of(project / FIGURES, "theme_day.red_film:")
    assert f"{FIGURES}:{n}: 未知数据项 theme_day.red_film；是否是 theme_day.red_films？" in lines


def test_yaml_syntax_error_gives_line_and_column(project, tmp_path):
    edit(project / FIGURES, "docs.plans: 36", "docs.plans 36")
    lines = refused(project, tmp_path)
    n = line_of(project / FIGURES, "docs.plans")
    assert f"{FIGURES}:{n}: YAML 格式错误（第 1 列）：缺少冒号“:”；" \
        "常见原因是缩进不齐、冒号后缺空格或引号未成对" in lines


def test_unclosed_quote_points_at_the_quote(project, tmp_path):
    edit(project / FIGURES, "publicity.newspaper: 机关", 'publicity.newspaper: "机关')
    lines = refused(project, tmp_path)
    n = line_of(project / FIGURES, "publicity.newspaper")
    assert f"{FIGURES}:{n}: YAML 格式错误（第 22 列）：文件意外结束（引号或括号未闭合）；" \
        "常见原因是缩进不齐、冒号后缺空格或引号未成对" in lines


def test_gbk_file_is_named_with_how_to_fix(project, tmp_path):
    path = project / FIGURES
    first_chinese = line_of(path, "#") + 1  # line 1 is the ASCII schema pointer
    path.write_bytes(path.read_text("utf-8").encode("gbk"))
    lines = refused(project, tmp_path)
    assert f"{FIGURES}:{first_chinese}: 文件不是 UTF-8 编码（可能被存成了 GBK/ANSI）；" \
        "请在编辑器中“另存为”并选择 UTF-8 编码" in lines


def test_utf8_bom_is_accepted(project, tmp_path):
    for name in (FIGURES, "data/2022/report.yaml", "data/catalogue.yaml"):
        path = project / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert 'data-fig="study.sessions" title="组织党员学习次数（次）">24<' in (
        tmp_path / "out/2022/work/political/index.html"
    ).read_text("utf-8")


def test_tab_indentation_every_line_listed(project, tmp_path):
    edit(project / "data/branch.yaml", "parent: 馆党委", "parent:\n\t馆党委")
    edit(project / FIGURES, "\nlecture.micro: 6", "\n\tlecture.micro: 6")
    lines = refused(project, tmp_path)
    assert "data/branch.yaml:5: 行首使用了制表符（Tab）缩进；YAML 只能用空格缩进" in lines
    n = line_of(project / FIGURES, "\tlecture.micro")
    assert f"{FIGURES}:{n}: 行首使用了制表符（Tab）缩进；YAML 只能用空格缩进" in lines
    assert "发现 2 处数据错误，已停止构建，网站未更新。" in lines


def test_duplicate_keys_are_refused_each_listed(project, tmp_path):
    path = project / FIGURES
    path.write_text(path.read_text("utf-8") + "study.sessions: 30\ndocs.plans: 40\n", "utf-8")
    lines = refused(project, tmp_path)
    last = len(path.read_text("utf-8").splitlines())
    rule = "同一项只能写一次，请删去其中一行"
    assert f"{FIGURES}:{last - 1}: study.sessions 重复出现（第 6 行已有同名项）；{rule}" in lines
    assert f"{FIGURES}:{last}: docs.plans 重复出现（第 9 行已有同名项）；{rule}" in lines
    assert "发现 2 处数据错误，已停止构建，网站未更新。" in lines


def test_missing_file(project, tmp_path):
    (project / "data/2022/report.yaml").unlink()
    lines = refused(project, tmp_path)
    assert "data/2022/report.yaml:1: 文件不存在（可能被删除、改名或放错了目录）" in lines


def test_empty_file(project, tmp_path):
    (project / FIGURES).write_text("# 只有注释\n\n", "utf-8")
    lines = refused(project, tmp_path)
    assert f"{FIGURES}:1: 文件是空的（没有任何数据）；请用 git 恢复或从上一年度复制" in lines


def test_alias_bomb_is_bounded(project, tmp_path):
    bomb = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = project / FIGURES
    path.write_text(path.read_text("utf-8") + "\n".join(bomb) + "\n", "utf-8")
    lines = refused(project, tmp_path)  # 9**10 nodes if expanded: the build would never end
    assert any(line.endswith("锚点/别名（& 与 *）展开后超过 50000 项，拒绝读取") for line in lines), lines


def test_implausible_count_is_a_warning_and_blocks_publishing(project, tmp_path):
    edit(project / FIGURES, "study.sessions: 24", "study.sessions: 1200")
    message = f"{FIGURES}:6: 组织党员学习次数 (study.sessions)：数值 1200 大于 1000，可能多打了一位，请核对"
    cmd = [*MKDOCS, "build", "-d", str(tmp_path / "draft"), "-f", str(project / "mkdocs.yml")]  # not quiet
    draft = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=ENV, timeout=300)
    assert draft.returncode == 0, draft.stderr
    assert re.search(r"WARNING\s+-\s+" + re.escape(message), draft.stderr)
    lines = refused(project, tmp_path)
    assert message in lines
    assert "1 处数值需要核对，严格模式拒绝发布，网站未更新（预览请用 make serve）。" in lines


def test_traceback_only_with_verbose(project, tmp_path):
    edit(project / FIGURES, "study.sessions: 24", "study.sessions: 十二")
    cmd = [*MKDOCS, "build", "--verbose", "-d", str(tmp_path / "out"), "-f", str(project / "mkdocs.yml")]
    result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=ENV, timeout=300)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "DataErrors" in result.stderr
    assert '组织党员学习次数 (study.sessions)：应为非负整数，实际为 "十二"' in result.stderr


def test_a_bug_in_the_code_is_one_line_too(project, tmp_path):
    edit(project / "macros/data.py", "    root = Path(root)\n", "    root = Path(root)\n    {}['boom']\n")
    lines = refused(project, tmp_path)
    assert any(line.startswith("网站程序内部错误：KeyError: 'boom'（这不是数据问题；") for line in lines), lines


def test_a_failing_macro_in_a_page_is_one_line_with_page_and_line(project, tmp_path):
    edit(project / "docs/2022/full.md", 'include_section("problems.md", 1)', 'include_section("problemz.md", 1)')
    out = tmp_path / "out"
    result = build(project, out, strict=True)
    shown = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in shown and 'File "' not in shown, shown
    n = line_of(project / "docs/2022/full.md", '{{ include_section("problemz.md"')
    message = f"docs/2022/full.md:{n}: 页面中的宏出错：找不到文件 docs/2022/problemz.md"
    assert re.search(rf"ERROR\s+-\s+{re.escape(message)}$", shown, re.M)
    assert not (out / "2022").exists(), "no page is written"


def test_yaml_11_surprises_are_shown_as_typed_or_refused(project, tmp_path):
    """YAML 1.1 reads yes as true and 012 as 10 (octal): say what was typed, never guess a figure."""
    edit(project / FIGURES, "docs.plans: 36", "docs.plans: yes")
    lines = refused(project, tmp_path)
    n = line_of(project / FIGURES, "docs.plans:")
    assert f"{FIGURES}:{n}: 拟制方案、计划、安排件数 (docs.plans)：应为整数，实际为 yes；" \
        "true、yes 等是“是/否”，不是数字" in lines

    edit(project / FIGURES, "docs.plans: yes", "docs.plans: 036")
    (tmp_path / "again").mkdir()
    lines = refused(project, tmp_path / "again")
    assert f"{FIGURES}:{n}: docs.plans：036 的写法会被读成 30；请写成普通的十进制数字，不要以 0 开头，" \
        "不要用冒号或下划线" in lines
