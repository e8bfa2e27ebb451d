"""Characters a data file may not contain (named so an editor can find them), and every problem
PyYAML's reader, scanner, parser and composer report (PyYAML 6), in Chinese, with what to do about
it. Constructor errors cannot happen: tags are refused and values built by macros/core/reading/yaml_builder.py
before PyYAML would construct them."""

from __future__ import annotations

import re

import yaml

# Characters a data file never needs and an editor cannot see: control characters (NUL, BEL,
# ESC …, except Tab, line feed and the CR of a CRLF line end), C1 controls and NEL, the Unicode
# line and paragraph separators (YAML counts them as line breaks, an editor does not), the
# text-direction controls (they reorder what is shown), a byte order mark inside the file, the
# non-characters U+FFFE/U+FFFF, and UTF-16 surrogates (from an escape such as "\ud800").
_INVISIBLE = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff"
)
BAD_IN_TEXT = re.compile(f"[{_INVISIBLE}]|\r(?!\n)")
BAD_IN_VALUE = re.compile(f"[{_INVISIBLE}\r]")  # values keep line feeds and tabs (checked per field)
CHAR_NAMES = {
    "\x00": "空字符 NUL",
    "\x1b": "转义字符 ESC",
    "\x7f": "删除符 DEL",
    "\x85": "下一行符 NEL",
    "\r": "单独的回车符 CR",
    "\u2028": "Unicode 行分隔符",
    "\u2029": "Unicode 段分隔符",
    "\ufeff": "字节顺序标记 BOM",
}


def char_name(ch: str) -> str:
    """'控制字符 U+0007' — how a message names a character nobody can see."""
    code = f"U+{ord(ch):04X}"
    if ch in CHAR_NAMES:
        return f"{CHAR_NAMES[ch]}（{code}）"
    if "\ud800" <= ch <= "\udfff":
        return f"单独的 UTF-16 代理项（{code}，不是有效字符）"
    if ch in "\u061c\u200e\u200f" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
        return f"文字方向控制符（{code}）"
    if ch in "\ufffe\uffff":
        return f"非字符 {code}"
    return f"控制字符（{code}）"


COMMON = "；常见原因是缩进不齐、冒号后缺空格或引号未成对"
QUOTE = "；值中含有这个符号时，请给整个值加引号"
DOCUMENTS = "每个数据文件只能有一份内容，请删去多余的 --- 或 ... 行及其后重复的内容"
# (start of PyYAML's problem, start of its context or "", the Chinese explanation). Every
# problem text of yaml.reader/scanner/parser/composer (PyYAML 6); constructor errors cannot happen
# (tags are refused and values constructed in _Builder before PyYAML would construct them).
EXPLAINED = [
    ("found character '\\t' that cannot start any token", "", "出现了制表符（Tab）；YAML 只能用空格"),
    ("found character", "", "这个符号（如 @、`、%）不能出现在值的开头" + QUOTE),
    ("could not find expected ':'", "", "缺少冒号“:”" + COMMON),
    ("sequence entries are not allowed here", "", "此处不能出现列表项“- ”（可能缩进不对，或值以 - 开头）" + QUOTE),
    ("mapping keys are not allowed here", "", "此处不能出现“? ”（可能缩进不对，或值以 ? 开头）" + QUOTE),
    ("mapping values are not allowed here", "", "此处不能出现“键: 值”（可能少了缩进或多了冒号）" + COMMON),
    ("", "while scanning a directive", "以 % 开头的行写法不对；数据文件不需要 % 指令，请删去该行" + QUOTE),
    ("found duplicate YAML directive", "", "%YAML 指令重复；数据文件不需要 % 指令，请删去该行"),
    ("found incompatible YAML document", "", "%YAML 指令的版本不对；数据文件不需要 % 指令，请删去该行"),
    ("duplicate tag handle", "", "%TAG 指令重复；数据文件不需要 % 指令，请删去该行"),
    ("", "while scanning an anchor", "& 后应紧跟锚点名称（字母或数字）" + QUOTE),
    ("", "while scanning an alias", "* 后应紧跟别名名称（字母或数字）" + QUOTE),
    ("", "while parsing a tag", "以 ! 开头的标签写法不对；数据文件不使用标签" + QUOTE),
    ("", "while scanning a tag", "以 ! 开头的标签写法不对；数据文件不使用标签" + QUOTE),
    ("found undefined tag handle", "", "以 ! 开头的标签写法不对；数据文件不使用标签" + QUOTE),
    ("", "while scanning a block scalar", "多行文字的 | 或 > 后只能跟 +、- 或 1～9 的数字，然后换行"),
    ("expected escape sequence of", "", "双引号中的 \\x、\\u 或 \\U 后应跟相应位数的十六进制数字；"
                                        "要写反斜杠本身，请写成 \\\\ 或改用单引号"),
    ("found unknown escape character", "", "双引号中的反斜杠转义无效；要写反斜杠本身，请写成 \\\\ 或改用单引号"),
    ("found unexpected end of stream", "", "文件意外结束（引号或括号未闭合）" + COMMON),
    ("found unexpected document separator", "", "引号中的文字里出现了行首的 --- 或 ...（引号可能未闭合）"),
    ("but found another document", "", "文件中出现了第二份内容（--- 分隔线）；" + DOCUMENTS),
    ("expected '<document start>'", "", "“...”（内容结束标记）之后还有内容；" + DOCUMENTS),
    ("expected the node content", "", "此处缺少值（可能多了逗号或冒号，或 ! & * 后缺少内容）" + QUOTE),
    ("found undefined alias", "", "引用了未定义的别名（* 后的名称没有用 & 定义过）" + QUOTE),
    ("second occurrence", "", "锚点名称（& 后的名称）重复定义"),
    ("expected <block end>", "", "缩进不一致" + COMMON),
    ("expected ',' or ']'", "", "方括号 [ ] 未闭合或缺少逗号"),
    ("expected ',' or '}'", "", "花括号 { } 未闭合或缺少逗号"),
]


def explain(exc: yaml.MarkedYAMLError) -> str:
    problem, context = (exc.problem or "").strip(), (exc.context or "").strip()
    for english, where, chinese in EXPLAINED:
        if problem.startswith(english) and context.startswith(where):
            return chinese
    return "无法解析此处的写法" + COMMON
