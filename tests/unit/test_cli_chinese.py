"""Issue 23.6: a wrong command-line argument (make new-year YEAR=abc, make records-template YEAR=…)
is one Chinese line and exit code 2, not argparse's English usage text."""

from __future__ import annotations

import re

import pytest

from deploy import copies, publish
from macros.commands import check, newyear, records_xlsx
from macros.commands.cli import chinese

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("main, argv, says", [
    (records_xlsx.main, ["template", "--year", "abc"], "命令参数有误：参数 --year：年份应为四位数字，如 2023，实际为 “abc”"),
    (records_xlsx.main, ["import", "a.xlsx", "--year", "二〇二三"], "年份应为四位数字"),
    (records_xlsx.main, ["import"], "命令参数有误：缺少参数：file"),
    (records_xlsx.main, ["frob"], "命令参数有误：参数 command：应为 'template', 'import', 'export' 之一，实际为 'frob'"),
    (records_xlsx.main, ["export", "--year", "2022"], "命令参数有误：缺少参数：--out"),
    (records_xlsx.main, ["template", "--out", "~/模板.xlsx"], "以 ~ 开头：这里不会把 ~ 展开为主目录"),
    (check.main, ["--bogus"], "命令参数有误：无法识别的参数：--bogus"),
    (newyear.main, ["2023", "--forse"], "命令参数有误：无法识别的参数：--forse"),
    (publish.main, [], "命令参数有误：缺少参数：dest"),
    (publish.main, ["site", "--config"], "命令参数有误：参数 --config：后面缺少取值"),
    (copies.main, ["sideways"], "命令参数有误：参数 copy：应为"),
])
def test_argument_errors_are_one_chinese_line(capsys, main, argv, says):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert says in line and "usage" not in captured.err and captured.out == "", captured.err


def test_new_year_abc_is_refused_in_chinese(capsys, tmp_path):
    assert newyear.main(["abc", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().err == "未生成新年度：年份应为四位数字，如 2023，而不是 “abc”。\n"


def test_an_unknown_message_still_gets_a_chinese_frame():
    assert chinese("argument --x: something new") == "参数 --x：something new"
    assert chinese("the following arguments are required: a, b") == "缺少参数：a, b"
