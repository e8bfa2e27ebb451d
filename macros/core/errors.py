"""Errors and warnings in the reader's language, one line each: `file:line: message`.

Plain Python: the site (macros/site/errors.py) turns a `Refusal` into MkDocs' error; commands print it."""

from __future__ import annotations

import difflib
import errno
import re
import unicodedata

# Characters that must not reach a terminal, a cron mail or a log raw: control characters (ESC starts
# terminal escape sequences, CR and BS overwrite what was printed, a newline splits a one-line
# message), format characters (bidirectional overrides reorder what the reader sees), line and
# paragraph separators, and lone surrogates (they cannot even be encoded for printing).
_UNPRINTABLE = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def printable(text: str) -> str:
    """`text` with every control, format and separator character written as a Python escape
    (ESC becomes \\x1b, U+202E becomes \\u202e): a name or value from a file or a command line
    printed in a message cannot move the cursor, recolour the terminal, hide text or split the line."""
    return "".join(_escape(ch) if unicodedata.category(ch) in _UNPRINTABLE else ch for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


# Why an OSError happened, in the reader's words (the file system's, not the build's fault).
OS_REASONS = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "文件系统只读",
              errno.EACCES: "权限不足", errno.EPERM: "权限不足"}


def os_reason(error: OSError) -> str:
    """Why writing failed, and where: 磁盘空间不足（/srv/www/.site.new-x/2022/index.html）."""
    where = f"（{printable(str(error.filename))}）" if error.filename else ""
    return (OS_REASONS.get(error.errno) or printable(error.strerror or str(error))) + where


class DataError(Exception):
    """A problem in a data or page file that must stop publishing."""

    def __init__(self, path: str, line: int, key: str | None, message: str):
        self.path, self.line, self.key, self.message = path, line, key, message
        self.more: list[DataError] = []  # further problems of the same kind in the same file
        super().__init__(self.render())

    @property
    def all(self) -> list[DataError]:
        return [self, *self.more]

    def render(self) -> str:
        return printable(f"{self.path}:{self.line}: {self.message}")


class PageError(ValueError):
    """A page asks a macro for something it may not have (e.g. a file outside docs/): its message is
    already the whole Chinese explanation."""


class Refusal(Exception):
    """A problem explained in Chinese, whole, by its message: the site turns it into MkDocs' own error
    (one line, no traceback; macros/site/errors.py), a command prints it and exits non-zero."""


class DataErrors(Refusal):
    """Several DataErrors found in one run: all of them are listed, then the build stops."""

    def __init__(self, errors: list[DataError], footer: str | None = None):
        self.errors = errors
        lines = [e.render() if hasattr(e, "render") else str(e) for e in errors]  # warnings may be text
        lines.append(footer or f"发现 {len(errors)} 处数据错误，已停止构建，网站未更新。")
        super().__init__("\n".join(lines))


SHORT_CHINESE = re.compile(r"^[\u4e00-\u9fff]{1,4}$")


def _close_name(word: str, name: str) -> bool:
    """Two short Chinese names (a person's) are close when one could be a slip for the other: the
    same surname (first character) with at most one other character different, or most characters
    in common (ratio ≥ 0.67), or one within the other. 孙某某 is not 黄某某; 王晓明 may be 王小明; 张三 may
    be 张三丰; 支部书记 may be 书记."""
    ratio = difflib.SequenceMatcher(None, word, name).ratio()
    if ratio >= 0.67 or word in name or name in word:
        return True
    same_length = len(word) == len(name) >= 2
    return same_length and word[0] == name[0] and sum(a != b for a, b in zip(word, name, strict=True)) == 1


def closest(word: str, candidates, n: int = 3) -> list[str]:
    """The known names closest to a mistyped one (for '是否是 …？' hints). Short Chinese names
    (2–4 characters, as people's are) need a closer match than difflib's ratio alone: with three
    characters, two in common already give 0.67."""
    candidates = list(candidates)
    if SHORT_CHINESE.match(word):
        near = difflib.get_close_matches(word, candidates, n=len(candidates) or 1, cutoff=0.5)
        return [c for c in near if not SHORT_CHINESE.match(c) or _close_name(word, c)][:n]
    return difflib.get_close_matches(word, candidates, n=n, cutoff=0.5)


def hint(word: str, candidates) -> str:
    """'；是否是 study.sessions？' naming the closest known name, or nothing when none is close."""
    near = closest(word, candidates, n=1)
    return f"；是否是 {'、'.join(near)}？" if near else ""


def strict_footer(unfilled: int, warnings: int, drafts: int = 0) -> str:
    """The last line when a publishing (--strict) build refuses 待填 figures, warnings or draft pages."""
    parts = [f"{unfilled} 个数据项待填"] if unfilled else []
    parts += [f"{warnings} 处数值需要核对"] if warnings else []
    parts += [f"{drafts} 处正文待改写"] if drafts else []
    return f"{'、'.join(parts)}，严格模式拒绝发布，网站未更新（预览请用 make serve）。"
