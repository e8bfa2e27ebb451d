"""The YAML reader on bytes: every way a data file can be unreadable gives one Chinese line with
file and line (never a traceback, never 程序内部错误), and plain data is read as typed."""

from __future__ import annotations

import pytest
import yaml
from helpers.files import data_copy

from macros.core.errors import DataError
from macros.core.reading import safe_read, yaml_builder, yaml_errors, yamlio

F = "data/2022/figures.yaml"
COMMON = "；常见原因是缩进不齐、冒号后缺空格或引号未成对"
QUOTE = "；值中含有这个符号时，请给整个值加引号"
TAG = "；数据只能是文字、数字、true/false 及其列表和映射。值本身以 ! 开头时，请给整个值加引号"
PASTED = "；请删除它（常见于从其他软件复制粘贴的文字）"
ESCAPED = "，多来自双引号中的反斜杠转义"
SURROGATE = "不可见字符：单独的 UTF-16 代理项"
DECIMAL = "；请写成普通的十进制数字，不要以 0 开头，不要用冒号或下划线"
NOT_UTF8 = "文件不是 UTF-8 编码（可能被存成了 GBK/ANSI）；请在编辑器中“另存为”并选择 UTF-8 编码"
DOCUMENTS = "每个数据文件只能有一份内容，请删去多余的 --- 或 ... 行及其后重复的内容"
DEEP = f"列表或映射嵌套超过 {yaml_builder.MAX_DEPTH} 层，拒绝读取；请检查缩进和括号"


def refused(raw: bytes) -> list[str]:
    with pytest.raises(DataError) as caught:
        yamlio.parse(raw, F)
    return [e.render() for e in caught.value.all]


CASES = {
    # characters
    "nul": (b"a: 1\nb: x\x00y\n", f"{F}:2: 第 5 列有不可见字符：空字符 NUL（U+0000）{PASTED}"),
    "bell": (b"b: x\x07y\n", f"{F}:1: 第 5 列有不可见字符：控制字符（U+0007）{PASTED}"),
    "escape char": (b"b: x\x1b[31my\n", f"{F}:1: 第 5 列有不可见字符：转义字符 ESC（U+001B）{PASTED}"),
    "delete": (b"b: x\x7fy\n", f"{F}:1: 第 5 列有不可见字符：删除符 DEL（U+007F）{PASTED}"),
    "next line": ("b: x\x85y\n".encode(), f"{F}:1: 第 5 列有不可见字符：下一行符 NEL（U+0085）{PASTED}"),
    "line separator": ("b: x\u2028y\n".encode(), f"{F}:1: 第 5 列有不可见字符：Unicode 行分隔符（U+2028）{PASTED}"),
    "direction": ("b: x\u202ey\n".encode(), f"{F}:1: 第 5 列有不可见字符：文字方向控制符（U+202E）{PASTED}"),
    "bom inside": ("b: x\ufeffy\n".encode(), f"{F}:1: 第 5 列有不可见字符：字节顺序标记 BOM（U+FEFF）{PASTED}"),
    "lone cr": (b"b: x\ry\n", f"{F}:1: 第 5 列有不可见字符：单独的回车符 CR（U+000D）{PASTED}"),
    "escaped nul": (b'b: "x\\0y"\n',
                    f"{F}:1: b：含有不可见字符：空字符 NUL（U+0000）{ESCAPED}（如 \\u0000）；请删除它"),
    "surrogate": (b'a: 1\nb: "\\ud800"\n',
                  f"{F}:2: b：含有{SURROGATE}（U+D800，不是有效字符）{ESCAPED}（如 \\ud800）；请删除它"),
    "surrogate key": (b'"\\udfff": 1\n',
                      f"{F}:1: 键名含有{SURROGATE}（U+DFFF，不是有效字符）{ESCAPED}（如 \\udfff）；请删除它"),
    "escaped direction": (b'b: "\\u202e"\n',
                          f"{F}:1: b：含有不可见字符：文字方向控制符（U+202E）{ESCAPED}（如 \\u202e）；请删除它"),
    # tags, keys, structure
    "custom tag": (b"a: 1\nb: !custom 12\n", f"{F}:2: b：不支持 YAML 标签 !custom{TAG}"),
    "python tag": (b"b: !!python/object/apply:os.system [ls]\n",
                   f"{F}:1: b：不支持 YAML 标签 !!python/object/apply:os.system{TAG}"),
    "set tag": (b"b: !!set {x}\n", f"{F}:1: b：不支持 YAML 标签 !!set{TAG}"),
    "binary tag": (b"b: !!binary xx\n", f"{F}:1: b：不支持 YAML 标签 !!binary{TAG}"),
    "int tag on text": (b"b: !!int abc\n", f"{F}:1: b：不支持 YAML 标签 !!int{TAG}"),
    "tagged key": (b"!k b: 1\n", f"{F}:1: 不支持 YAML 标签 !k{TAG}"),
    "list as key": (b"a: 1\n? [1, 2]\n: 3\n", f"{F}:2: 键名不能是列表（? 或括号写法）；键名只能是一段文字"),
    "mapping as key": (b"? {a: 1}\n: 3\n", f"{F}:1: 键名不能是映射（? 或括号写法）；键名只能是一段文字"),
    "merge key": (b"a: &x {b: 1}\nc:\n  <<: *x\n", f"{F}:3: 不支持合并键 <<，请直接写出各项"),
    "deep flow": (b"a: 1\nb: " + b"[" * 40 + b"]" * 40 + b"\n", f"{F}:2: {DEEP}"),
    "deeper than libyaml": (b"b: " + b"[" * 5000 + b"]" * 5000 + b"\n", f"{F}:1: {DEEP}"),
    "deep block": (b"a: 1\nb:\n  " + b"- " * 2000 + b"x\n", f"{F}:3: {DEEP}"),
    "billion laughs": (b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                       + b"".join(b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n"
                                  % ((c, c) + (c - 1,) * 10) for c in range(ord("b"), ord("h"))),
                       f"{F}:5: 锚点/别名（& 与 *）展开后超过 {yaml_builder.MAX_NODES} 项，拒绝读取"),
    "duplicate": (b"a: 1\nb: 2\na: 3\n", f"{F}:3: a 重复出现（第 1 行已有同名项）；同一项只能写一次，请删去其中一行"),
    # numbers
    "octal": (b"b: 012\n", f"{F}:1: b：012 的写法会被读成 10{DECIMAL}"),
    "sexagesimal": (b"b: 1:30\n", f"{F}:1: b：1:30 的写法会被读成 90{DECIMAL}"),
    "huge number": (b"b: " + b"9" * 5000 + b"\n", f"{F}:1: b：数字 99999999999999999999… 位数过多（超过 15 位）"),
    "huge hex": (b"b: 0x" + b"f" * 5000 + b"\n",
                 f"{F}:1: b：0xffffffffffffffffff 的写法不是普通的数字{DECIMAL}"),
    # the file
    "empty": (b"# only a comment\n\n", f"{F}:1: 文件是空的（没有任何数据）；请用 git 恢复或从上一年度复制"),
    "gbk": ("a: 1\nb: 机关\n".encode("gbk"), f"{F}:2: {NOT_UTF8}"),
    "tab indent": (b"a:\n\tb: 1\n", f"{F}:2: 行首使用了制表符（Tab）缩进；YAML 只能用空格缩进"),
    "too big": (b"a: 1\n" + b"#" * safe_read.MAX_BYTES, f"{F}:1: 文件超过 1 MB，拒绝读取"),
}

SYNTAX = {
    # every problem PyYAML's reader/scanner/parser/composer can report, as the editor sees it
    "missing colon": (b"a: 1\nb 2\nc: 3\n", 2, 1, "缺少冒号“:”" + COMMON),
    "cannot start a token": (b"b: @x\n", 1, 4, "这个符号（如 @、`、%）不能出现在值的开头" + QUOTE),
    "backquote": (b"b: `x`\n", 1, 4, "这个符号（如 @、`、%）不能出现在值的开头" + QUOTE),
    "sequence entry here": (b"b: - x\n", 1, 4, "此处不能出现列表项“- ”（可能缩进不对，或值以 - 开头）" + QUOTE),
    "mapping key here": (b"b: ? x\n", 1, 4, "此处不能出现“? ”（可能缩进不对，或值以 ? 开头）" + QUOTE),
    "mapping value here": (b"b: c: d\n", 1, 5, "此处不能出现“键: 值”（可能少了缩进或多了冒号）" + COMMON),
    "directive": (b"%FOO@\n---\na: 1\n", 1, 5, "以 % 开头的行写法不对；数据文件不需要 % 指令，请删去该行" + QUOTE),
    "duplicate directive": (b"%YAML 1.1\n%YAML 1.1\n---\na: 1\n", 2, 1,
                            "%YAML 指令重复；数据文件不需要 % 指令，请删去该行"),
    "yaml version": (b"%YAML 2.0\n---\na: 1\n", 1, 1, "%YAML 指令的版本不对；数据文件不需要 % 指令，请删去该行"),
    "duplicate tag handle": (b"%TAG !a! x:\n%TAG !a! y:\n---\na: 1\n", 2, 1,
                             "%TAG 指令重复；数据文件不需要 % 指令，请删去该行"),
    "anchor": (b"b: &\n", 1, 5, "& 后应紧跟锚点名称（字母或数字）" + QUOTE),
    "alias": (b"b: *\n", 1, 5, "* 后应紧跟别名名称（字母或数字）" + QUOTE),
    "verbatim tag": (b"b: !<x 1\n", 1, 7, "以 ! 开头的标签写法不对；数据文件不使用标签" + QUOTE),
    "tag uri": (b"b: !a%zz 1\n", 1, 7, "以 ! 开头的标签写法不对；数据文件不使用标签" + QUOTE),
    "undefined tag handle": (b"b: !x!y 1\n", 1, 4, "以 ! 开头的标签写法不对；数据文件不使用标签" + QUOTE),
    "block scalar": (b"b: |0\n  x\n", 1, 5, "多行文字的 | 或 > 后只能跟 +、- 或 1～9 的数字，然后换行"),
    "short hex escape": (b'b: "\\x4"\n', 1, 7, "双引号中的 \\x、\\u 或 \\U 后应跟相应位数的十六进制数字；"
                                              "要写反斜杠本身，请写成 \\\\ 或改用单引号"),
    "unknown escape": (b'b: "C:\\q"\n', 1, 8, "双引号中的反斜杠转义无效；要写反斜杠本身，请写成 \\\\ 或改用单引号"),
    "unclosed quote": (b'a: 1\nb: "x\n', 2, 4, "文件意外结束（引号或括号未闭合）" + COMMON),
    "separator in quotes": (b"b: 'x\n---\ny'\n", 2, 1, "引号中的文字里出现了行首的 --- 或 ...（引号可能未闭合）"),
    "two documents": (b"a: 1\n---\nb: 2\n", 2, 1, "文件中出现了第二份内容（--- 分隔线）；" + DOCUMENTS),
    "content after end": (b"a: 1\n...\nb: 2\n", 3, 1, "“...”（内容结束标记）之后还有内容；" + DOCUMENTS),
    "node content": (b"b: ,x\n", 1, 4, "此处缺少值（可能多了逗号或冒号，或 ! & * 后缺少内容）" + QUOTE),
    "undefined alias": (b"b: *x\n", 1, 4, "引用了未定义的别名（* 后的名称没有用 & 定义过）" + QUOTE),
    "duplicate anchor": (b"a: &x 1\nb: &x 2\n", 2, 4, "锚点名称（& 后的名称）重复定义"),
    "indentation": (b"a:\n  b: 1\n c: 2\n", 3, 2, "缩进不一致" + COMMON),
    "tab token": (b"a: 1\nb: [1,\t\n\t]\n", 3, 1, "行首使用了制表符（Tab）缩进；YAML 只能用空格缩进"),
    "flow sequence": (b"b: [1, 2\n", 2, 1, "方括号 [ ] 未闭合或缺少逗号"),
    "flow mapping": (b"b: {c: 1\n", 2, 1, "花括号 { } 未闭合或缺少逗号"),
}


@pytest.mark.parametrize("raw, expected", CASES.values(), ids=CASES.keys())
def test_each_problem_is_one_chinese_line(raw, expected):
    assert refused(raw)[0] == expected


@pytest.mark.parametrize("raw, line, column, explained", SYNTAX.values(), ids=SYNTAX.keys())
def test_each_yaml_syntax_error_is_explained_in_chinese(raw, line, column, explained):
    expected = explained if explained.startswith("行首") else f"YAML 格式错误（第 {column} 列）：{explained}"
    assert refused(raw) == [f"{F}:{line}: {expected}"]


def test_every_explanation_is_reachable():
    """The table of PyYAML problems has no entry the tests above do not produce."""
    made = {line.split(": ", 1)[1] for raw, *_ in SYNTAX.values() for line in refused(raw)}
    for _, _, chinese in yaml_errors.EXPLAINED:
        if chinese.startswith("出现了制表符"):
            continue  # an indenting tab is reported (per line) before PyYAML sees it
        assert any(chinese in line for line in made), chinese


def test_unknown_problem_gets_a_chinese_fallback():
    exc = yaml.MarkedYAMLError("while doing something new", None, "found a new kind of problem", None)
    assert yaml_errors.explain(exc) == "无法解析此处的写法" + COMMON


def test_every_problem_line_of_a_file_is_listed():
    assert refused(b"a: x\x00\nb: y\x07\n\tc: 1\n") == [
        f"{F}:1: 第 5 列有不可见字符：空字符 NUL（U+0000）{PASTED}",
        f"{F}:2: 第 5 列有不可见字符：控制字符（U+0007）{PASTED}",
        f"{F}:3: 行首使用了制表符（Tab）缩进；YAML 只能用空格缩进",
    ]


def test_plain_data_is_read_as_typed():
    doc = yamlio.parse(
        "\ufeffa: 12\r\nb: 机关\r\nc: 2023-01-10\r\nd: yes\r\n1.5: x\r\ne: [1, '2']\r\nf: ~\r\ng: 1.0\r\n"
        "h: \"制表\\t与换行\\n可经转义写入\"\n".encode(),
        F,
    )
    assert doc.data == {"a": 12, "b": "机关", "c": "2023-01-10", "d": True, "1.5": "x", "e": [1, "2"], "f": None,
                        "g": 1.0, "h": "制表\t与换行\n可经转义写入"}
    assert doc.line("g") == 8 and doc.raw[("d",)] == "yes" and doc.raw[("g",)] == "1.0"


def test_nesting_up_to_the_limit_is_read():
    depth = yaml_builder.MAX_DEPTH - 1
    assert yamlio.parse(b"b: " + b"[" * depth + b"]" * depth + b"\n", F).data["b"] is not None


def test_tags_and_keys_in_messages_are_printed_escaped():
    assert refused(b"a: !x%1b%5b2J 1\n") == [f"{F}:1: a：不支持 YAML 标签 !x\\x1b[2J{TAG}"]


def test_reading_data_leaves_no_state_that_grows_across_loads(tmp_path):
    """Each file gets its own PyYAML loader: nothing module-level grows from one load_site to the next."""
    import gc

    import yaml as pyyaml

    from macros.core.load import load_site

    def live_loaders() -> int:
        gc.collect()
        return sum(isinstance(o, pyyaml.SafeLoader) for o in gc.get_objects())

    root = data_copy(tmp_path / "p", records=False)
    load_site(root)
    first = live_loaders()
    for _ in range(3):
        load_site(root)
    assert live_loaders() == first == 0
