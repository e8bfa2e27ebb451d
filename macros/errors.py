"""Errors and warnings in the reader's language, one line each: `file:line: message`."""

from __future__ import annotations

import difflib
import functools
import logging
import traceback
import unicodedata
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs_macros import errors as macros_errors

from .upstream import require

log = logging.getLogger("mkdocs.plugins.branch_data")


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


class DataErrors(PluginError):
    """Several DataErrors found in one run: all of them are listed, then the build stops."""

    def __init__(self, errors: list[DataError], footer: str | None = None):
        self.errors = errors
        lines = [e.render() if hasattr(e, "render") else str(e) for e in errors]  # warnings may be text
        lines.append(footer or f"发现 {len(errors)} 处数据错误，已停止构建，网站未更新。")
        super().__init__("\n".join(lines))


def closest(word: str, candidates, n: int = 3) -> list[str]:
    """The known names closest to a mistyped one (for '是否是 …？' hints)."""
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.5)


def hint(word: str, candidates) -> str:
    """'；是否是 study.sessions？' naming the closest known name, or nothing when none is close."""
    near = closest(word, candidates, n=1)
    return f"；是否是 {'、'.join(near)}？" if near else ""


def friendly(define_env):
    """Wrap `define_env`: data errors stay one Chinese line each; any other failure becomes one
    line too. The Python traceback is logged at debug level, so `mkdocs build --verbose` shows it
    and a normal build does not."""

    @functools.wraps(define_env)
    def wrapper(env):
        try:
            return define_env(env)
        except PluginError:
            log.debug("数据检查失败，Python 调用栈如下：", exc_info=True)
            raise
        except Exception as exc:
            log.debug("宏模块内部错误，Python 调用栈如下：", exc_info=True)
            raise PluginError(
                f"网站程序内部错误：{type(exc).__name__}: {exc}（这不是数据问题；"
                "请把 mkdocs build --verbose 的完整输出交给维护人员）"
            ) from None

    return wrapper


def strict_footer(unfilled: int, warnings: int, drafts: int = 0) -> str:
    """The last line when a publishing (--strict) build refuses 待填 figures, warnings or draft pages."""
    parts = [f"{unfilled} 个数据项待填"] if unfilled else []
    parts += [f"{warnings} 处数值需要核对"] if warnings else []
    parts += [f"{drafts} 处正文待改写"] if drafts else []
    return f"{'、'.join(parts)}，严格模式拒绝发布，网站未更新（预览请用 make serve）。"


# A macro that fails while a page is rendered (e.g. include_section of a missing file): one
# Chinese line naming the page and line, instead of mkdocs-macros' Markdown report with the
# traceback. The traceback goes to the debug log (`mkdocs build --verbose`). `format_error` is
# mkdocs-macros' own single-dispatch hook, not a documented API: pinned to the version it was
# written for (macros/upstream.py).
def _page_macro_error(error: Exception, markdown: str, page) -> str:
    log.debug("页面宏出错，Python 调用栈如下：", exc_info=error)
    src = Path(page.file.abs_src_path)
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
    line = frames[-1].lineno if frames else 1
    try:  # the template is the page without its front matter: add the lines it had
        line += src.read_text("utf-8").count("\n") - markdown.count("\n")
    except OSError:
        pass
    if isinstance(error, FileNotFoundError) and error.filename:
        what = f"找不到文件 {_shown_path(error.filename, src)}"
    elif isinstance(error, PageError):
        what = str(error)
    else:
        what = str(error.args[0]) if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)
        what = f"{what}（{type(error).__name__}）"
    message = f"docs/{page.file.src_uri}:{line}: 页面中的宏出错：{what}"
    log.error(message)
    return message


def _shown_path(filename: str, page_src: Path) -> str:
    path = Path(filename)
    for parent in page_src.parents:
        if (parent / "mkdocs.yml").exists():
            try:
                return path.relative_to(parent).as_posix()
            except ValueError:
                break
    return str(path)


def register_page_errors() -> None:
    """Called by define_env: route page macro failures to `_page_macro_error`."""
    require("mkdocs-macros-plugin", "1.5.0", "macros/errors.py（mkdocs_macros.errors.format_error）")
    macros_errors.format_error.register(Exception)(_page_macro_error)
