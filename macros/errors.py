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
        """One line: names and values from files are printed with control characters escaped."""
        return f"{printable(self.path)}:{self.line}: {printable(self.message)}"


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


def printable(text: str) -> str:
    """Text from a file, safe to put in a message: what a terminal would act on or hide
    (control characters, line breaks, direction controls, surrogates) is written as \\uXXXX."""
    out = []
    for ch in str(text):
        if ch.isprintable() and unicodedata.category(ch) != "Cf":
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            out.append(f"\\U{ord(ch):08x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


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
