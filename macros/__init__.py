"""mkdocs-macros entry point: wiring only.

Loading and checking live in `data.py` (+ `yamlio.py`, `validate.py`), rendering in
`render.py`. Pages call the macros defined here; they never see raw data.
"""

from __future__ import annotations

from pathlib import Path

from jinja2.defaults import DEFAULT_NAMESPACE

from . import draft, opaque, yoy
from .data import check_macro_names, load_site
from .errors import DataErrors, friendly, log, strict_footer
from .guide import Guide
from .loop_render import register as register_loop
from .redact import masked_data
from .render import Renderer
from .template_memo import memoize_from_string


@friendly
def define_env(env):
    config = env.conf
    if any(getattr(hook, "RESTORES_OPAQUE", False) for hook in (config.get("hooks") or {}).values()):
        opaque.enable()  # generated elements bypass Markdown's HTML parsing (hooks/opaque_html.py restores them)
    else:
        opaque.disable()  # a configuration without that hook: Markdown reads them as before
    root = Path(config["config_file_path"]).resolve().parent
    docs_dir = Path(config["docs_dir"])
    data = load_site(root, docs_dir)  # once per build; raises DataErrors on bad data
    # make new-year: pages whose prose is still last year's (a draft_notice line) and the year-over-year page
    drafts = draft.scan(docs_dir)
    unfilled = data.unfilled()
    if config.get("strict") and (unfilled or data.warnings or drafts):
        # a publishing build stops here, before any page is written
        raise DataErrors(
            [*unfilled, *data.warnings, *drafts], strict_footer(len(unfilled), len(data.warnings), len(drafts))
        )
    for warning in data.warnings:
        log.warning(warning)
    for problem in drafts:
        log.warning(problem.render())

    renderer = Renderer(data, env.render)
    config["extra"]["sample_years"] = data.sample_years
    config["extra"]["sample_record_years"] = [y for y, r in sorted(data.records.items()) if r.sample]

    def page_path():
        page = env.variables.get("page")
        return page.file.src_path if page is not None and hasattr(page, "file") else None

    @env.macro
    def fig(key, year=None):
        """A figure of the report: {{ fig("study.sessions") }}."""
        return renderer.fig(key, page_path(), year)

    @env.macro
    def key_figures(year=None):
        """The overview's cards of key figures."""
        return renderer.key_figures(page_path(), year)

    @env.macro
    def years_list():
        """Home page: every year's report, the latest first."""
        return renderer.years_list(page_path())

    @env.macro
    def report_title(year=None):
        return renderer.report_title(page_path(), year)

    @env.macro
    def signature(year=None):
        """落款: branch name and date."""
        return renderer.signature(page_path(), year)

    @env.macro
    def section_links():
        """On a section's index page: links to its parts (nothing in the 全文)."""
        return renderer.section_links(page_path(), docs_dir)

    @env.macro
    def draft_notice(prev=None):
        """make new-year: the 待改写 box on a page whose prose is still last year's."""
        if renderer.fulltext_depth:
            return ""
        return draft.notice(prev, renderer.year_of(page_path()))

    @env.macro
    def figures_table():
        """数据一览: every figure across the years with the change from the year before."""
        return yoy.table(data)

    @env.macro
    def key_charts():
        """数据一览: small inline-SVG bar charts of the key figures over the years."""
        return yoy.charts(data)

    @env.macro
    def include_section(name, shift=0):
        """In the 全文: the text of a section file of the same year, headings shifted."""
        return renderer.include_section(page_path(), docs_dir, name, shift)

    register_loop(env, data, renderer, docs_dir, page_path)  # 清单 and 计划 macros
    from .records_render import register as register_records

    register_records(env, data, docs_dir, page_path)  # 台账 pages and the home page's 本月待办 (issue 13)
    _exports(env, renderer, config)  # 脱敏 switch, offline URLs, download links (issue 5)

    # 编辑指南 pages: 数据完整性, 字段说明, error examples (macros/guide.py)
    guide = Guide(masked_data(data) if renderer.redacted else data, docs_dir, renderer.redacted)

    @env.macro
    def completeness():
        """数据完整性: per year, 待填 and filled figures with links to the sentences using them."""
        return guide.completeness(page_path())

    @env.macro
    def field_reference():
        """字段说明: every data field with its rule, from the catalogue and the schemas."""
        return guide.field_reference()

    @env.macro
    def error_example(kind, key="study.sessions", value=""):
        """编辑指南: the real message for a typical slip (run through the build's own checks)."""
        return guide.error_example(kind, key, value)

    # A mistyped macro name stops the build here, before any page is written.
    known = [*env.macros, *env.variables, *env.filters, *DEFAULT_NAMESPACE]
    problems = check_macro_names(docs_dir, known)
    if problems:
        raise DataErrors(problems)


def _exports(env, renderer, config):
    """The report leaving the site: the 脱敏 build and the links to the .docx/.txt downloads."""
    from . import render
    from .exports import download_links
    from .redact import CHARTS_WITHHELD, is_redacted, masked_data

    renderer.redacted = is_redacted(config)
    render.DIRECTORY_URLS = config.get("use_directory_urls", True)

    if renderer.redacted:  # the 数据一览 page: masks in the table, no charts (they replace yoy's macros)
        masked = masked_data(renderer.data)

        @env.macro
        def figures_table():
            return yoy.table(masked)

        @env.macro
        def key_charts():
            return CHARTS_WITHHELD

    @env.macro
    def downloads(year=None):
        """Links to the year's report as .docx and .txt (made by hooks/export.py)."""
        page = env.variables.get("page")
        path = page.file.src_path if page is not None and hasattr(page, "file") else None
        year = renderer.year_of(path, year)
        title = renderer.data.years[year].report["title"]
        return download_links(path, year, title, renderer.redacted)


def on_pre_page_macros(env):
    """Before each page: the 全文 renders its year's section pages again, so compile each text once."""
    memoize_from_string(env.env)
