"""Compile each page text once per build.

mkdocs-macros turns every page's Markdown into a Jinja template (`Environment.from_string`)
before rendering it; compiling is most of its cost (BENCHMARKS.md, 性能分析: about 70% of the
macros time at 50 years). The 全文 page of each year includes that year's section pages with
include_section(), which renders the same texts again and so compiled every one of them a
second time. A Jinja template can be rendered any number of times with different variables,
so we keep this build's compiled templates by their source text. The cache belongs to the
build's Jinja environment: a new build (or `make serve` rebuild) starts empty.
"""

from __future__ import annotations


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
            template = compiled[source] = compile_template(source)
        return template

    environment.from_string = from_string
