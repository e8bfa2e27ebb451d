"""Reading YAML files with line numbers, in a way an office editor can act on.

`load(path)` returns a `Doc`: the parsed data plus the line of every key, so that
every later check can say `data/2022/figures.yaml:14`. Whatever stops a file from being
read as plain data is raised as `DataError`, one Chinese line with file and line, never a
Python traceback:

- the file itself: missing, not a regular file (a device, a pipe, a folder), a symbolic link
  leading out of the project, larger than `MAX_BYTES`, not UTF-8, empty;
- its characters: control characters (NUL …), Unicode line separators and text-direction
  controls, written as they are or as a backslash escape (`"\\0"`, `"\\ud800"`);
- its YAML: every reader, scanner, parser and composer error of PyYAML in Chinese (`_explain`),
  several documents in one file, tags (`!custom`, `!!python/…`: data is only text, numbers,
  true/false and lists and mappings of them), a list or a mapping used as a key, merge keys,
  nesting deeper than `MAX_DEPTH`, aliases expanding past `MAX_NODES`, numbers written in a way
  YAML reads differently (012, 1:30) or too long to be a figure, duplicate keys, tab indentation.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, printable

# A file that expands aliases into more nodes than this is refused (a "billion
# laughs" document would otherwise hang the build).
MAX_NODES = 50_000
# Lists and mappings inside each other deeper than this are refused (the deepest real file,
# plan.yaml, nests 7 levels; the parser itself gives up around 1000, Python's stack sooner).
MAX_DEPTH = 32
# A data file larger than this is refused without being read further (the largest real file
# is under 10 KB; a pasted log or a wrong file must not fill memory).
MAX_BYTES = 1_000_000
SIZE_SHOWN = "1 MB"
# A whole number as people write it: 12, -3, 0 (not 012, 0x1A, 1_000 or 1:30)
PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
MAX_DIGITS = 15  # longer is no figure (and Python refuses to convert more than 4300 digits)

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

STANDARD = "tag:yaml.org,2002:"
# The kinds of value a data file may hold, by the tag YAML gives a plain (unquoted) value.
SCALAR_TAGS = {STANDARD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass
class Doc:
    """A parsed YAML file: its data and the line (1-based) of each key path."""

    path: str  # as shown to the user, relative to the project
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    raw: dict[tuple, str] = field(default_factory=dict)  # each non-text scalar as typed (yes, 1e3 …)

    def line(self, *keys) -> int:
        """Line of the deepest known key along `keys` (1 when unknown)."""
        for n in range(len(keys), 0, -1):
            if keys[:n] in self.lines:
                return self.lines[keys[:n]]
        return 1


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


def _os_problem(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有读取权限；请检查文件权限"
    if exc.errno == errno.ELOOP:
        return "是循环的符号链接，拒绝读取"
    if exc.errno == errno.EISDIR:
        return "是一个目录而不是文件"
    return f"无法读取（系统错误 {errno.errorcode.get(exc.errno, exc.errno)}）"


def _regular_file(path: Path, shown: str, root: Path | None) -> None:
    """Refuse, without opening it, what is not a regular file inside root (see read_bytes)."""
    try:
        info = os.stat(path)  # follows links; never blocks, even on a pipe
    except FileNotFoundError:
        if path.is_symlink():
            raise DataError(shown, 1, None, "是符号链接，但它指向的文件不存在") from None
        raise DataError(shown, 1, None, "文件不存在（可能被删除、改名或放错了目录）") from None
    except OSError as exc:
        raise DataError(shown, 1, None, _os_problem(exc)) from None
    if root is not None and not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        raise DataError(shown, 1, None, "是指向项目目录之外的符号链接，拒绝读取；数据文件必须放在项目目录之内")
    if not stat.S_ISREG(info.st_mode):
        what = "目录" if stat.S_ISDIR(info.st_mode) else "设备、管道或套接字等特殊文件"
        raise DataError(shown, 1, None, f"不是普通文件（是{what}），拒绝读取")


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_bytes(path: Path, shown: str, root: Path | None = None) -> bytes:
    """The file's bytes, at most MAX_BYTES of them. Refused with a DataError, before anything is
    read: a missing file, anything but a regular file (a device such as /dev/zero, a named pipe, a
    folder), and — when `root` is given — a file whose real location (after symbolic links) is
    outside root. A file over MAX_BYTES is refused after reading MAX_BYTES + 1 bytes."""
    path = Path(path)
    _regular_file(path, shown, root)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the look and the open
                raise DataError(shown, 1, None, "不是普通文件，拒绝读取")
            raw = _read_at_most(fd, MAX_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise DataError(shown, 1, None, _os_problem(exc)) from None
    if len(raw) > MAX_BYTES:
        raise DataError(
            shown,
            1,
            None,
            f"文件超过 {SIZE_SHOWN}，拒绝读取；数据文件通常只有几 KB，请检查是否误粘贴了大段内容或放错了文件",
        )
    return raw


def _decode(raw: bytes, shown: str, yaml_file: bool = True) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 BOM (Windows Notepad) is fine
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            shown,
            line,
            None,
            "文件不是 UTF-8 编码（可能被存成了 GBK/ANSI）；"
            "请在编辑器中“另存为”并选择 UTF-8 编码",
        ) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise DataError(shown, 1, None, "文件是空的（没有任何数据）；请用 git 恢复或从上一年度复制")
    problems = []
    lines = text.split("\n")
    for number, ln in enumerate(lines, start=1):
        bad = BAD_IN_TEXT.search(ln + ("\n" if number < len(lines) else ""))
        if bad:
            problems.append(
                DataError(
                    shown,
                    number,
                    None,
                    f"第 {bad.start() + 1} 列有不可见字符：{char_name(bad.group()[0])}；"
                    "请删除它（常见于从其他软件复制粘贴的文字）",
                )
            )
        elif yaml_file and "\t" in ln[: len(ln) - len(ln.lstrip(" \t"))]:
            problems.append(DataError(shown, number, None, "行首使用了制表符（Tab）缩进；YAML 只能用空格缩进"))
    _raise_all(problems)
    return text


def _raise_all(problems: list[DataError]) -> None:
    """Raise the first problem, carrying the others (all are listed)."""
    if problems:
        problems[0].more = problems[1:]
        raise problems[0]


def _tag_shown(tag: str) -> str:
    return printable("!!" + tag[len(STANDARD):] if tag.startswith(STANDARD) else tag)


def _explicit_tag(node) -> str | None:
    """The tag written in the file (`!custom`, `!!python/…`, `!!set`), None for a plain value."""
    if isinstance(node, yaml.ScalarNode):
        implicit = (True, False) if not node.style else (False, True)  # plain: None (PyYAML) or '' (libyaml)
        expected = _LOADER.resolve(yaml.ScalarNode, node.value, implicit)
    elif isinstance(node, yaml.MappingNode):
        expected = STANDARD + "map"
    else:
        expected = STANDARD + "seq"
    return None if node.tag == expected else node.tag


class _Builder:
    """Turns the node tree of one file into plain data (dict, list, str, int, float, bool, None),
    recording the line of every key, refusing what is not plain data."""

    def __init__(self, shown: str):
        self.shown = shown
        self.lines: dict[tuple, int] = {}
        self.raw: dict[tuple, str] = {}
        self.duplicates: list[DataError] = []
        self.nodes = 0

    def error(self, node, path: tuple, message: str) -> DataError:
        key = ".".join(map(str, path)) or None
        return DataError(self.shown, node.start_mark.line + 1, key, message)

    def where(self, path: tuple) -> str:
        return f"{printable('.'.join(map(str, path)))}：" if path else ""

    def check_tag(self, node, path: tuple) -> None:
        tag = _explicit_tag(node)
        if tag is None:
            return
        if tag == STANDARD + "merge":
            raise self.error(node, path, "不支持合并键 <<，请直接写出各项")
        raise self.error(
            node,
            path,
            f"{self.where(path)}不支持 YAML 标签 {_tag_shown(tag)}；数据只能是文字、数字、true/false 及其列表和映射。"
            "值本身以 ! 开头时，请给整个值加引号",
        )

    def check_text(self, node, path: tuple, text: str, what: str = "") -> None:
        bad = BAD_IN_VALUE.search(text)
        if bad:
            raise self.error(
                node,
                path,
                f"{self.where(path)}{what}含有不可见字符：{char_name(bad.group())}，多来自双引号中的反斜杠转义"
                f"（如 \\u{ord(bad.group()):04x}）；请删除它",
            )

    def build(self, node, path: tuple = (), depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            line = self.lines.get(path[:1], node.start_mark.line + 1)  # the key whose value explodes
            raise DataError(self.shown, line, None, f"锚点/别名（& 与 *）展开后超过 {MAX_NODES} 项，拒绝读取")
        if depth > MAX_DEPTH:
            raise self.error(node, (), f"列表或映射嵌套超过 {MAX_DEPTH} 层，拒绝读取；请检查缩进和括号")
        self.check_tag(node, path)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            out = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = item.start_mark.line + 1
                out.append(self.build(item, path + (index,), depth + 1))
            return out
        return self.scalar(node, path)

    def mapping(self, node, path: tuple, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "映射" if isinstance(key_node, yaml.MappingNode) else "列表"
                raise self.error(
                    key_node, path, f"{self.where(path)}键名不能是{kind}（? 或括号写法）；键名只能是一段文字"
                )
            if key_node.tag == STANDARD + "merge":
                raise self.error(key_node, path, "不支持合并键 <<，请直接写出各项")
            self.check_tag(key_node, path)
            key = key_node.value  # keys stay text: 2022, yes and 1.5 are names here
            self.check_text(key_node, path, key, "键名")
            key_line = key_node.start_mark.line + 1
            if key in result:
                first = self.lines.get(path + (key,), key_line)
                name = printable(".".join(map(str, path + (key,))))
                self.duplicates.append(
                    DataError(
                        self.shown,
                        key_line,
                        name,
                        f"{name} 重复出现（第 {first} 行已有同名项）；同一项只能写一次，请删去其中一行",
                    )
                )
                continue
            self.lines[path + (key,)] = key_line
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def scalar(self, node, path: tuple) -> Any:
        tag, typed = node.tag, node.value
        if tag == STANDARD + "str":
            self.check_text(node, path, typed)
            return typed
        if tag == STANDARD + "timestamp":
            return typed  # dates stay text; the schemas check their format
        if tag == STANDARD + "int":
            if not PLAIN_INT.fullmatch(typed):
                value = _construct(node)
                # YAML 1.1 reads 012 as 10 (octal), 0x1A as 26, 1:30 as 90: never guess a figure
                shown = f"会被读成 {value}" if value is not None and len(typed) <= MAX_DIGITS else "不是普通的数字"
                raise self.error(
                    node,
                    path,
                    f"{self.where(path)}{printable(typed[:20])} 的写法{shown}；请写成普通的十进制数字，"
                    "不要以 0 开头，不要用冒号或下划线",
                )
            if len(typed.lstrip("+-")) > MAX_DIGITS:
                raise self.error(node, path, f"{self.where(path)}数字 {typed[:20]}… 位数过多（超过 {MAX_DIGITS} 位）")
        value = _construct(node)
        if value is None and tag != STANDARD + "null":
            raise self.error(node, path, f"{self.where(path)}无法读取值 {printable(typed)}")
        self.raw[path] = typed
        return value


def _construct(node) -> Any:
    """int/float/bool/null of a plain scalar node; None when it cannot be read."""
    try:
        return _LOADER.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, KeyError, OverflowError):
        return None


# Errors PyYAML notices only later (at the next line or the end of the file): point at where the
# broken item starts instead.
POINT_AT_START = ("could not find expected ':'", "found unexpected end of stream")


class _Loader(yaml.SafeLoader):
    pass


# libyaml's parser (PyYAML's C extension) reads our files 20–40× faster than the pure-Python
# one; load_site() reads every data file in every build and `make serve` rebuild (BENCHMARKS.md).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


def _compose(text: str):
    """The node tree of a document. A file libyaml cannot read is read again by PyYAML's own
    parser, so an error's message and position are always the ones `_explain` knows."""
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.MarkedYAMLError as exc:
            if "maximum nesting depth" in (exc.problem or ""):
                raise _TooDeep(exc.problem_mark.line + 1 if exc.problem_mark else 1) from None
        except yaml.YAMLError:
            pass
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:  # PyYAML's composer recurses once per level
        raise _TooDeep(_deep_line(text)) from None


def _deep_line(text: str) -> int:
    """The line where nesting first passes MAX_DEPTH (PyYAML's parser itself does not recurse)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return 1


_LOADER = _Loader("")


def read_text(path: Path, shown: str, root: Path | None = None) -> str:
    """A plain text data file (data/search_terms.txt), refused for the same reasons as a YAML file
    is before parsing: not a regular file inside root, too large, not UTF-8, empty, invisible
    characters."""
    return _decode(read_bytes(path, shown, root), shown, yaml_file=False)


def load(path: Path, shown: str | None = None, root: Path | None = None) -> Doc:
    """Parse one YAML file; raise DataError (Chinese, with file and line) on failure."""
    shown = shown or str(path)
    return parse(read_bytes(path, shown, root), shown)


def parse(raw: bytes, shown: str) -> Doc:
    """Parse the bytes of a YAML file shown to the user as `shown` (see `load`)."""
    if len(raw) > MAX_BYTES:
        raise DataError(shown, 1, None, f"文件超过 {SIZE_SHOWN}，拒绝读取")
    text = _decode(raw, shown)
    try:
        node = _compose(text)
    except _TooDeep as deep:
        raise DataError(
            shown, deep.line, None, f"列表或映射嵌套超过 {MAX_DEPTH} 层，拒绝读取；请检查缩进和括号"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (exc.problem or "").startswith(POINT_AT_START):
            mark = exc.context_mark  # the key without colon / the unclosed quote, not where parsing gave up
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        raise DataError(shown, line, None, f"YAML 格式错误（第 {column} 列）：{_explain(exc)}") from None
    except yaml.YAMLError as exc:  # ReaderError (BAD_IN_TEXT catches its characters first)
        position = getattr(exc, "position", 0) or 0
        line = text[:position].count("\n") + 1
        raise DataError(shown, line, None, "YAML 格式错误：文件中有不允许的字符；请删除它") from None
    builder = _Builder(shown)
    data = builder.build(node) if node is not None else None
    _raise_all(builder.duplicates)
    return Doc(shown, data, builder.lines, builder.raw)


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


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem, context = (exc.problem or "").strip(), (exc.context or "").strip()
    for english, where, chinese in EXPLAINED:
        if problem.startswith(english) and context.startswith(where):
            return chinese
    return "无法解析此处的写法" + COMMON
