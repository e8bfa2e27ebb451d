"""Reading YAML files with line numbers, in a way an office editor can act on.

`load(path)` returns a `Doc`: the parsed data plus the line of every key, so that
every later check can say `data/2022/figures.yaml:14`. Problems that stop the
file from being read at all (not UTF-8, YAML syntax, duplicate keys, tabs) are
raised as `DataError` with a Chinese one-line message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError

# A file that expands aliases into more nodes than this is refused (a "billion
# laughs" document would otherwise hang the build).
MAX_NODES = 50_000
# A whole number as people write it: 12, -3, 0 (not 012, 0x1A, 1_000 or 1:30)
PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


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


def read_bytes(path: Path, shown: str) -> bytes:
    """The file's bytes; a missing file is a DataError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError(shown, 1, None, "文件不存在（可能被删除、改名或放错了目录）") from None


def _decode(raw: bytes, shown: str) -> str:
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
    tabs = [
        DataError(shown, number, None, "行首使用了制表符（Tab）缩进；YAML 只能用空格缩进")
        for number, ln in enumerate(text.splitlines(), start=1)
        if "\t" in ln[: len(ln) - len(ln.lstrip(" \t"))]
    ]
    _raise_all(tabs)
    return text


def _raise_all(problems: list[DataError]) -> None:
    """Raise the first problem, carrying the others (all are listed)."""
    if problems:
        problems[0].more = problems[1:]
        raise problems[0]


def _build(node, path: tuple, lines: dict, shown: str, counter: list, raw: dict, duplicates: list) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise DataError(
            shown,
            node.start_mark.line + 1,
            None,
            f"锚点/别名（& 与 *）展开后超过 {MAX_NODES} 项，拒绝读取",
        )
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise DataError(
                    shown, key_node.start_mark.line + 1, None, "不支持合并键 <<，请直接写出各项"
                )
            key = yaml.SafeLoader.construct_scalar(_LOADER, key_node)
            key_line = key_node.start_mark.line + 1
            if key in result:
                first = lines.get(path + (key,), key_line)
                name = ".".join(map(str, path + (key,)))
                duplicates.append(
                    DataError(
                        shown,
                        key_line,
                        name,
                        f"{name} 重复出现（第 {first} 行已有同名项）；同一项只能写一次，请删去其中一行",
                    )
                )
                continue
            lines[path + (key,)] = key_line
            result[key] = _build(value_node, path + (key,), lines, shown, counter, raw, duplicates)
        return result
    if isinstance(node, yaml.SequenceNode):
        out = []
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            out.append(_build(item, path + (index,), lines, shown, counter, raw, duplicates))
        return out
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates stay text; the schemas check their format
    value = _LOADER.construct_object(node, deep=True)
    if not isinstance(value, str):
        raw[path] = node.value
    if node.tag == "tag:yaml.org,2002:int" and not PLAIN_INT.fullmatch(node.value):
        # YAML 1.1 reads 012 as 10 (octal), 0x1A as 26, 1:30 as 90: never guess a figure
        raise DataError(
            shown,
            node.start_mark.line + 1,
            ".".join(map(str, path)) or None,
            f"{'.'.join(map(str, path))}：{node.value} 的写法会被读成 {value}；请写成普通的十进制数字，"
            "不要以 0 开头，不要用冒号或下划线",
        )
    return value


# Errors PyYAML notices only later (at the next line or the end of the file): point at where the
# broken item starts instead.
POINT_AT_START = ("could not find expected ':'", "found unexpected end of stream")


class _Loader(yaml.SafeLoader):
    pass


# libyaml's parser (PyYAML's C extension) reads our files 20–40× faster than the pure-Python
# one; load_site() reads every data file in every build and `make serve` rebuild (BENCHMARKS.md).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str):
    """The node tree of a document. A file libyaml cannot read is read again by PyYAML's own
    parser, so an error's message and position are always the ones `_explain` knows."""
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


_LOADER = _Loader("")


def load(path: Path, shown: str | None = None) -> Doc:
    """Parse one YAML file; raise DataError (Chinese, with file and line) on failure."""
    shown = shown or str(path)
    return parse(read_bytes(path, shown), shown)


def parse(raw: bytes, shown: str) -> Doc:
    """Parse the bytes of a YAML file shown to the user as `shown` (see `load`)."""
    text = _decode(raw, shown)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (exc.problem or "").startswith(POINT_AT_START):
            mark = exc.context_mark  # the key without colon / the unclosed quote, not where parsing gave up
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        raise DataError(
            shown,
            line,
            None,
            f"YAML 格式错误（第 {column} 列）：{_explain(exc)}；"
            "常见原因是缩进不齐、冒号后缺空格或引号未成对",
        ) from None
    lines: dict[tuple, int] = {}
    raw: dict[tuple, str] = {}
    duplicates: list[DataError] = []
    data = _build(node, (), lines, shown, [0], raw, duplicates) if node is not None else None
    _raise_all(duplicates)
    return Doc(shown, data, lines, raw)


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "").strip()
    words = {
        "mapping values are not allowed here": "此处不能出现“键: 值”（可能少了缩进或多了冒号）",
        "could not find expected ':'": "缺少冒号“:”",
        "found character '\\t' that cannot start any token": "出现了制表符（Tab）",
        "found undefined alias": "引用了未定义的别名",
        "expected <block end>, but found '<block mapping start>'": "缩进不一致",
        "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
        "expected ',' or ']'": "方括号 [ ] 未闭合或缺少逗号",
        "expected ',' or '}'": "花括号 { } 未闭合或缺少逗号",
    }
    for english, chinese in words.items():
        if problem.startswith(english):
            return chinese
    return problem or "无法解析"
