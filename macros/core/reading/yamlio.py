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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from macros.core.errors import DataError
from macros.core.reading.safe_read import MAX_BYTES, SIZE_SHOWN, read_bytes
from macros.core.reading.yaml_builder import MAX_DEPTH, Builder, raise_all
from macros.core.reading.yaml_errors import BAD_IN_TEXT, char_name
from macros.core.reading.yaml_errors import explain as _explain


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
    raise_all(problems)
    return text


# Errors PyYAML notices only later (at the next line or the end of the file): point at where the
# broken item starts instead.
POINT_AT_START = ("could not find expected ':'", "found unexpected end of stream")


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
    builder = Builder(shown)
    data = builder.build(node) if node is not None else None
    raise_all(builder.duplicates)
    return Doc(shown, data, builder.lines, builder.raw)


def yaml_scalar(value) -> str:
    """A YAML scalar that reads back as exactly this value (quoted where YAML would read something
    else: yes, 123, 2022-03-15, a leading * or &, a colon and space, a #): for the commands that
    write data files (records import, new year, holidays)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()
