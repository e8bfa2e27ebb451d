"""Turning the node tree of one YAML file into plain data with the line of every key, refusing what
is not plain data: tags, merge keys, lists or mappings as keys, nesting past MAX_DEPTH, aliases
expanding past MAX_NODES, numbers YAML reads differently from how people write them (012, 1:30),
invisible characters from escapes, duplicate keys (all listed). Used by macros/core/reading/yamlio.py."""

from __future__ import annotations

import re
from typing import Any

import yaml

from macros.core.errors import DataError, printable
from macros.core.reading.yaml_errors import BAD_IN_VALUE, char_name

# A file that expands aliases into more nodes than this is refused (a "billion
# laughs" document would otherwise hang the build).
MAX_NODES = 50_000
# Lists and mappings inside each other deeper than this are refused (the deepest real file,
# plan.yaml, nests 7 levels; the parser itself gives up around 1000, Python's stack sooner).
MAX_DEPTH = 32
# A whole number as people write it: 12, -3, 0 (not 012, 0x1A, 1_000 or 1:30)
PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
MAX_DIGITS = 15  # longer is no figure (and Python refuses to convert more than 4300 digits)

STANDARD = "tag:yaml.org,2002:"
# The kinds of value a data file may hold, by the tag YAML gives a plain (unquoted) value.
SCALAR_TAGS = {STANDARD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}



class _Loader(yaml.SafeLoader):
    pass


def raise_all(problems: list[DataError]) -> None:
    """Raise the first problem, carrying the others (all are listed)."""
    if problems:
        problems[0].more = problems[1:]
        raise problems[0]


def _tag_shown(tag: str) -> str:
    return printable("!!" + tag[len(STANDARD):] if tag.startswith(STANDARD) else tag)


def _explicit_tag(node, loader: yaml.SafeLoader) -> str | None:
    """The tag written in the file (`!custom`, `!!python/…`, `!!set`), None for a plain value."""
    if isinstance(node, yaml.ScalarNode):
        implicit = (True, False) if not node.style else (False, True)  # plain: None (PyYAML) or '' (libyaml)
        expected = loader.resolve(yaml.ScalarNode, node.value, implicit)
    elif isinstance(node, yaml.MappingNode):
        expected = STANDARD + "map"
    else:
        expected = STANDARD + "seq"
    return None if node.tag == expected else node.tag


class Builder:
    """Turns the node tree of one file into plain data (dict, list, str, int, float, bool, None),
    recording the line of every key, refusing what is not plain data."""

    def __init__(self, shown: str):
        self.shown = shown
        self.lines: dict[tuple, int] = {}
        self.raw: dict[tuple, str] = {}
        self.duplicates: list[DataError] = []
        self.nodes = 0
        # PyYAML's loader remembers every object it constructs: one per file read, never shared
        self.loader = _Loader("")

    def error(self, node, path: tuple, message: str) -> DataError:
        key = ".".join(map(str, path)) or None
        return DataError(self.shown, node.start_mark.line + 1, key, message)

    def where(self, path: tuple) -> str:
        return f"{printable('.'.join(map(str, path)))}：" if path else ""

    def check_tag(self, node, path: tuple) -> None:
        tag = _explicit_tag(node, self.loader)
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
                value = _construct(self.loader, node)
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
        value = _construct(self.loader, node)
        if value is None and tag != STANDARD + "null":
            raise self.error(node, path, f"{self.where(path)}无法读取值 {printable(typed)}")
        self.raw[path] = typed
        return value


def _construct(loader: yaml.SafeLoader, node) -> Any:
    """int/float/bool/null of a plain scalar node; None when it cannot be read."""
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, KeyError, OverflowError):
        return None
