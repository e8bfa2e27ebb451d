"""mkdocs-macros entry point: wiring only.

Loading and checking live in `data.py` (+ `yamlio.py`, `validate.py`), rendering in
`render.py`. Pages call the macros defined here; they never see raw data.
"""

from __future__ import annotations

from pathlib import Path

from jinja2.defaults import DEFAULT_NAMESPACE

from . import draft, yoy
from .data import check_macro_names, load_site
from .errors import DataErrors, log
from .render import Renderer


def define_env(env):
    config = env.conf
    root = Path(config["config_file_path"]).resolve().parent
    docs_dir = Path(config["docs_dir"])
    data = load_site(root, docs_dir)  # once per build; raises DataErrors on bad data
    for warning in data.warnings:
        log.warning(warning)
    # make new-year: pages whose prose is still last year's (a draft_notice line) and the year-over-year page
    drafts = draft.scan(docs_dir)
    if drafts and config.get("strict"):
        raise DataErrors(
            data.unfilled() + drafts,
            f"{len(drafts)} 处正文待改写，严格模式拒绝发布（预览请用 make serve）。",
        )
    for problem in drafts:
        log.warning(problem.render())

    unfilled = data.unfilled()
    if unfilled and config.get("strict"):
        raise DataErrors(
            unfilled, f"{len(unfilled)} 个数据项待填，严格模式拒绝发布（预览请用 make serve）。"
        )

    renderer = Renderer(data, env.render)
    config["extra"]["sample_years"] = data.sample_years

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

    _exports(env, renderer, config)  # 脱敏 switch, offline URLs, download links (issue 5)

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
