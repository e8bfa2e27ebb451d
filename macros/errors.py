"""Errors and warnings in the reader's language, one line each: `file:line: message`."""

from __future__ import annotations

import difflib
import logging

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.plugins.branch_data")


class DataError(Exception):
    """A problem in a data or page file that must stop publishing."""

    def __init__(self, path: str, line: int, key: str | None, message: str):
        self.path, self.line, self.key, self.message = path, line, key, message
        super().__init__(self.render())

    def render(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class DataErrors(PluginError):
    """Several DataErrors found in one run: all of them are listed, then the build stops."""

    def __init__(self, errors: list[DataError], footer: str | None = None):
        self.errors = errors
        lines = [e.render() for e in errors]
        lines.append(footer or f"发现 {len(errors)} 处数据错误，已停止构建，网站未更新。")
        super().__init__("\n".join(lines))


def closest(word: str, candidates, n: int = 3) -> list[str]:
    """The known names closest to a mistyped one (for '是否是 …？' hints)."""
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.5)


def hint(word: str, candidates) -> str:
    near = closest(word, candidates)
    return f"；是否是 {'、'.join(near)}？" if near else ""
