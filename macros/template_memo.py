"""Compile each page text once per build, and keep the compiled code between builds.

mkdocs-macros turns every page's Markdown into a Jinja template (`Environment.from_string`)
before rendering it; compiling is most of its cost (BENCHMARKS.md, 性能分析: about 70% of the
macros time at 50 years). The 全文 page of each year includes that year's section pages with
include_section(), which renders the same texts again and so compiled every one of them a
second time. A Jinja template can be rendered any number of times with different variables,
so we keep this build's compiled templates by their source text. The cache belongs to the
build's Jinja environment: a new build (or `make serve` rebuild) starts empty.

Between builds the compiled code (a Python code object, as Jinja's own bytecode cache keeps for
the theme's templates: hooks/template_cache.py) is kept in $XDG_CACHE_HOME/mkdocs-pages, keyed
by a hash of the page text and of everything compiling it depends on: the Jinja and Python
versions and the environment's syntax settings (`_settings`). Only templates whose code cannot
depend on anything else are kept: no filters or tests (Jinja's optimizer runs a filter on
constant arguments while compiling, so its result would be baked into the code), no extensions,
no `finalize` (also applied to constants while compiling), a plain `jinja2.Environment`.
Anything else is compiled every build, as before. A changed page has a new key; nothing stale
is ever used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import sys

import jinja2
from jinja2 import Environment, nodes

from .build_cache import cache_dir, keep

MAX_FILES = 2000  # oldest dropped beyond this (each saved edit under make serve adds one)


def _settings(environment) -> str | None:
    """A hash of what compiling a filter-free page text depends on besides the text; None when
    this environment is not one whose compiled code we can vouch for (then nothing is kept)."""
    if (type(environment) is not Environment or environment.extensions or environment.finalize is not None
            or environment.is_async):
        return None
    autoescape = environment.autoescape(None) if callable(environment.autoescape) else environment.autoescape
    parts = (
        jinja2.__version__, sys.version, importlib.util.MAGIC_NUMBER,
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix,
        environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
        environment.keep_trailing_newline, environment.optimized, bool(autoescape),
        environment.code_generator_class.__module__, environment.code_generator_class.__qualname__,
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def compile_page(environment, source: str):
    """`environment.compile(source)`, through the cache between builds when it may be kept."""
    settings = _settings(environment)
    if settings is None:
        return environment.compile(source)
    key = hashlib.sha256(f"{settings}\n{source}".encode("utf-8", "surrogatepass")).hexdigest()
    path = cache_dir("mkdocs-pages") / f"{key}.code"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not kept yet, or unreadable: compile
    code = environment.compile(source)  # as without the cache (its errors too)
    if any(environment.parse(source).find_all((nodes.Filter, nodes.Test))):
        return code  # never kept (see above)
    keep(path, marshal.dumps(code), MAX_FILES)
    return code


def memoize_from_string(environment) -> None:
    """Make `environment.from_string(source)` return the same compiled template for the same text
    (once per environment; calling it again changes nothing)."""
    if getattr(environment, "page_templates_memoized", False):
        return
    environment.page_templates_memoized = True
    compile_template = environment.from_string
    compiled: dict[str, object] = {}

    def from_string(source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return compile_template(source, globals, template_class)
        template = compiled.get(source)
        if template is None:
            # as Environment.from_string does, with the code from compile_page
            code = compile_page(environment, source)
            template = compiled[source] = environment.template_class.from_code(
                environment, code, environment.make_globals(None), None
            )
        return template

    environment.from_string = from_string
