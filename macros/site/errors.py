"""The site's side of errors: a failing build says one Chinese line, never a traceback.

`friendly` wraps mkdocs-macros' `define_env`; `refusals` wraps the plugin's event handlers; both turn
the core's `Refusal` (macros/core/errors.py: data errors, a changed upstream version) into MkDocs'
`PluginError`. Page macro failures are routed to `_page_macro_error` (one line naming page and line).
"""

from __future__ import annotations

import functools
import logging
import traceback
from pathlib import Path

from jinja2 import TemplateSyntaxError, UndefinedError
from mkdocs.exceptions import PluginError
from mkdocs_macros import errors as macros_errors

from macros.core.errors import PageError, Refusal, printable
from macros.core.upstream import require

log = logging.getLogger("mkdocs.plugins.branch_data")


def refusals(handler):
    """A plugin event handler whose `Refusal` stops the build as MkDocs' own one-line error; a file
    or folder it may not read (PermissionError) is one Chinese line too."""

    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except Refusal as exc:
            raise as_plugin_error(exc) from None
        except PermissionError as exc:
            log.debug("没有权限，Python 调用栈如下：", exc_info=True)
            raise PluginError(permission_line(exc)) from None

    return wrapper


def permission_line(exc: PermissionError) -> str:
    """One Chinese line for a file or folder the build may not read or write."""
    where = f" {printable(str(exc.filename))}" if exc.filename else ""
    return (f"没有权限访问{where}：运行构建的用户须能读取整个项目目录、写入输出目录；"
            "请检查文件和文件夹的权限（这不是数据内容的问题）")


def as_plugin_error(refusal: Refusal) -> PluginError:
    """MkDocs' error with the refusal's text; a list of data errors stays readable (`make check`)."""
    error = PluginError(str(refusal))
    error.errors = getattr(refusal, "errors", None)
    return error


def friendly(define_env):
    """Wrap `define_env`: data errors stay one Chinese line each; any other failure becomes one
    line too. The Python traceback is logged at debug level, so `mkdocs build --verbose` shows it
    and a normal build does not."""

    @functools.wraps(define_env)
    def wrapper(env):
        try:
            return define_env(env)
        except Refusal as exc:
            log.debug("数据检查失败，Python 调用栈如下：", exc_info=True)
            raise as_plugin_error(exc) from None
        except PluginError:
            log.debug("数据检查失败，Python 调用栈如下：", exc_info=True)
            raise
        except PermissionError as exc:
            log.debug("没有权限，Python 调用栈如下：", exc_info=True)
            raise PluginError(permission_line(exc)) from None
        except Exception as exc:
            log.debug("宏模块内部错误，Python 调用栈如下：", exc_info=True)
            raise PluginError(
                f"网站程序内部错误：{type(exc).__name__}: {exc}（这不是数据问题；"
                "请把 mkdocs build --verbose 的完整输出交给维护人员）"
            ) from None

    return wrapper


# A macro that fails while a page is rendered (e.g. include_section of a missing file): one
# Chinese line naming the page and line, instead of mkdocs-macros' Markdown report with the
# traceback. The traceback goes to the debug log (`mkdocs build --verbose`). `format_error` is
# mkdocs-macros' own single-dispatch hook, not a documented API: pinned to the version it was
# written for (macros/core/upstream.py).
class SectionError(Exception):
    """A section file included into the 全文 (include_section) failed: where, in that file."""

    def __init__(self, path: str, line: int, cause: Exception):
        self.path, self.line, self.cause = path, line, cause
        super().__init__(f"{path}:{line}: {cause}")


def template_line(error: Exception) -> int:
    """The line of the template (page or section, front matter excluded) where `error` happened."""
    if isinstance(error, TemplateSyntaxError) and error.lineno:
        return error.lineno
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames and frames[-1].lineno else 1


def _what(error: Exception, src: Path) -> str:
    if isinstance(error, FileNotFoundError) and error.filename:
        return f"找不到文件 {_shown_path(error.filename, src)}"
    if isinstance(error, PageError):
        return str(error)
    if isinstance(error, TemplateSyntaxError):
        return f"宏的写法有误（{{{{ }}}} 与 {{% %}} 是否成对，括号、引号是否齐全）：{error.message}"
    if isinstance(error, UndefinedError):
        return f"用到了未定义的名称（是否拼错了宏名或变量名？）：{error.message}"
    what = str(error.args[0]) if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)
    return f"{what}（{type(error).__name__}）"


def _page_macro_error(error: Exception, markdown: str, page) -> str:
    log.debug("页面宏出错，Python 调用栈如下：", exc_info=error)
    src = Path(page.file.abs_src_path)
    line = template_line(error)
    try:  # the template is the page without its front matter: add the lines it had
        line += src.read_text("utf-8").count("\n") - markdown.count("\n")
    except OSError:
        pass
    if isinstance(error, SectionError):  # said against the section file, where the mistake is
        message = (f"{error.path}:{error.line}: {MACRO_ERROR}：{_what(error.cause, src)}"
                   f"（由 docs/{page.file.src_uri}:{line} 的 include_section 引入全文）")
    else:
        message = f"docs/{page.file.src_uri}:{line}: {MACRO_ERROR}：{_what(error, src)}"
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


class _SaidOnce(logging.Filter):
    """mkdocs-macros logs what format_error returns once more, as a warning ("[macros] - ERROR …"):
    `_page_macro_error` has already logged that line, so the repeat is dropped."""

    def filter(self, record):
        return MACRO_ERROR not in str(record.msg)


MACRO_ERROR = "页面中的宏出错"


def register_page_errors() -> None:
    """Called by define_env: route page macro failures to `_page_macro_error`."""
    require("mkdocs-macros-plugin", "1.5.0", "macros/core/errors.py（mkdocs_macros.errors.format_error）")
    macros_errors.format_error.register(Exception)(_page_macro_error)
    macros_errors.format_error.register(TemplateSyntaxError)(_page_macro_error)  # not mkdocs-macros' English
    macros_log = logging.getLogger("mkdocs.plugins.mkdocs_macros.util")
    if not any(isinstance(f, _SaidOnce) for f in macros_log.filters):
        macros_log.addFilter(_SaidOnce())
