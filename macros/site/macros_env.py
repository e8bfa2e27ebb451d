"""What mkdocs-macros calls (through macros/__init__.py): wiring only.

`define_env` loads and checks the data once per build (macros/core/load.py), takes the masked copy in the
脱敏 build (macros/core/redact.py: the one seam of redaction), and defines the macros pages call. Each
macro receives the Jinja context (`pass_context`), from which `_here` takes the page and the build
context (macros/pages/context.py); it computes values and renders a template (macros/pages/templates/).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import pass_context
from jinja2.defaults import DEFAULT_NAMESPACE

from macros.core import proofreading
from macros.core.errors import DataErrors, strict_footer
from macros.core.load import load_site
from macros.core.redact import masked_data
from macros.core.scan import Pages, check_macro_names, scan_pages
from macros.pages import archive, draft, issued, yoy
from macros.pages import checklists as checklist_render
from macros.pages import loop as loop_render
from macros.pages import people as people_render
from macros.pages import records as records_render
from macros.pages.context import BuildContext, Here
from macros.pages.guide import Guide
from macros.pages.render import Renderer, download_links
from macros.pages.templating import render
from macros.site import deferred
from macros.site.errors import SectionError, friendly, log, register_page_errors, template_line


@friendly
def define_env(env):
    config = env.conf
    plugin = config["plugins"].get("branch")
    ctx = getattr(plugin, "ctx", None) or BuildContext.from_config(config)  # made once, in the plugin's on_config
    docs_dir = Path(config["docs_dir"])
    kept = getattr(plugin, "checked", None)  # make serve: checked files, kept
    pages = scan_pages(docs_dir)  # the pages' fig() calls, macro names and draft lines, read once
    root = Path(config["config_file_path"]).resolve().parent
    data = _load(root, docs_dir, ctx, kept, pages)
    missing = loop_render.missing_files(data.loops, pages, root)  # one line per missing file, not one per page
    if missing:
        raise DataErrors(missing)
    # main.html's sample banner: reports marked sample, sample 台账, reports counting from a sample 台账
    config["extra"]["sample_years"] = [y for y, info in sorted(data.years.items()) if info.report.get("sample")]
    config["extra"]["sample_record_years"] = [y for y, r in sorted(data.records.items()) if r.sample]
    config["extra"]["sample_counted_years"] = [y for y, info in sorted(data.years.items())
                                              if info.records_sample and not info.report.get("sample")]
    if plugin is not None:
        plugin.site_data = data  # the checked data (unmasked) for the post-build 台账 .xlsx: not read twice
    register_page_errors()
    defer = getattr(plugin, "deferred", None) or deferred.keep  # HTML blocks skip Markdown (site/deferred.py)
    _define_macros(env, ctx, masked_data(data) if ctx.redacted else data, docs_dir, defer)  # pages render from this
    # A mistyped macro name stops the build here, before any page is written.
    known = [*env.macros, *env.variables, *env.filters, *DEFAULT_NAMESPACE]
    problems = check_macro_names(docs_dir, known, pages)
    if problems:
        raise DataErrors(problems)


def _load(root: Path, docs_dir: Path, ctx: BuildContext, checked: dict | None, pages: Pages):
    """The site's data, checked; a publishing build stops on 待填, warnings and draft pages."""
    data = load_site(root, docs_dir, checked, pages)  # once per build; raises DataErrors on bad data
    drafts = draft.scan(docs_dir, pages)  # make new-year: pages whose prose is still last year's
    unfilled = data.unfilled()
    if ctx.strict and (unfilled or data.warnings or drafts):  # before any page is written
        footer = strict_footer(len(unfilled), len(data.warnings), len(drafts))
        raise DataErrors([*unfilled, *data.warnings, *drafts], footer)
    for warning in [*data.warnings, *drafts]:
        log.warning(warning.render())
    return data


def _define_macros(env, ctx: BuildContext, shown, docs_dir: Path, defer=deferred.keep) -> None:
    renderer = Renderer(shown, docs_dir)
    guide = Guide(shown, docs_dir)

    def _here(jinja_context) -> Here:
        page = jinja_context.get("page")
        path = page.file.src_path if page is not None and hasattr(page, "file") else None
        return Here(path, ctx.inside_fulltext() if jinja_context.get("fulltext") else ctx)

    def macro(function, name=None):
        """Define a page macro that gets `here` (page and build context) first."""

        @pass_context
        def call(jinja_context, *args, **kwargs):
            return defer(function(_here(jinja_context), *args, **kwargs))  # its HTML blocks skip Markdown

        call.__doc__ = function.__doc__
        env.macro(call, name or function.__name__)

    macro(renderer.fig, "fig")  # {{ fig("study.sessions") }}: a figure of the report
    macro(renderer.key_figures, "key_figures")  # the overview's cards of key figures
    macro(renderer.years_list, "years_list")  # home page: every year's report, the latest first
    macro(renderer.report_title, "report_title")
    macro(renderer.signature, "signature")  # 落款: branch name and date
    macro(renderer.section_links, "section_links")  # a section's index page: links to its parts

    @pass_context
    def include_section(jinja_context, name, shift=0):
        """In the 全文: the text of a section file beside the page, headings shifted down by `shift`.
        The section is a page's Markdown (rendered with the page's macros); data never is."""
        here = _here(jinja_context)
        text = _section(env, renderer, docs_dir, here, name, {**jinja_context.get_all(), "fulltext": True})
        return renderer.shift_headings(text, shift)

    env.macro(include_section, "include_section")

    def draft_notice(here, prev=None):
        """make new-year: the 待改写 box on a page whose prose is still last year's (an editor's note)."""
        return draft.notice(here, prev, renderer.year_of(here.page))

    def downloads(here, year=None):
        """Links to the year's report as .docx and .txt (made after the build, macros/exports/report_files.py)."""
        year = renderer.year_of(here.page, year)
        links = download_links(here.ctx, here.page, year, shown.years[year].report["title"])
        return render("downloads.html", links=links)

    macro(archive.macro(docs_dir), "older_years")  # 往年 (docs/archive/index.md): older years' pages
    macro(draft_notice)
    macro(downloads)
    _report_additions(env, macro, shown, renderer)  # 全文 site note, 校对提示
    macro(lambda here: yoy.table(shown), "figures_table")  # 数据一览: every figure across the years
    macro(lambda here: yoy.charts(shown), "key_charts")  # 数据一览: small inline-SVG bar charts
    page_macros = {**loop_render.macros(shown, renderer, docs_dir),  # 计划, 清单 and the home page's overview
                   **checklist_render.macros(shown, renderer, docs_dir),
                   **records_render.macros(shown, docs_dir),  # 台账 pages and 本月待办 (issue 13)
                   **people_render.macros(shown, docs_dir)}  # 党员 pages (issue 24)
    for name, function in page_macros.items():
        macro(function, name)
    # 编辑指南 pages: 数据完整性, 字段说明, error examples (macros/pages/guide.py)
    macro(guide.completeness, "completeness")
    macro(lambda here: guide.field_reference(), "field_reference")
    macro(lambda here, kind, key="study.sessions", value="": guide.error_example(kind, key, value), "error_example")


def _section(env, renderer: Renderer, docs_dir: Path, here: Here, name: str, values: dict) -> str:
    """A section file rendered with the 全文 page's macros; a failure is told against the section file."""
    source = renderer.section_source(here, name)
    try:
        return env.env.from_string(source).render(values)
    except SectionError:
        raise  # a section including another: the innermost file is named
    except Exception as error:  # named against the section file, not the 全文 page that includes it
        rel = (Path(here.page or "").parent / name).as_posix()
        raw = (docs_dir / rel).read_text("utf-8")
        line = template_line(error) + raw.count("\n") - source.count("\n")  # + its front matter
        raise SectionError(f"docs/{rel}", line, error) from error


def _report_additions(env, macro, shown, renderer) -> None:
    """What the site adds around the issued report: the 全文's site note (sample data, editor-supplied
    title and date) and the 校对提示 beside section paragraphs."""

    def report_marks(here, year=None):
        """On the 全文: a site note naming what is sample or editor-supplied (read back for the downloads)."""
        from macros.exports.report_content import mark_line

        number = renderer.year_of(here.page, year)
        info = shown.years[number]
        return render("report_marks.html", mark=mark_line(info.sample, info.supplied), sample=info.sample,
                      supplied=info.supplied, issued=issued.note(shown, here, number))

    def report_addressee(here, year=None):
        """On the 全文, under the title: the 主送机关 (report.yaml `addressee`), read back for the downloads."""
        info = shown.years[renderer.year_of(here.page, year)]
        return render("addressee.html", addressee=info.report.get("addressee"))

    def year_notes(page) -> list:
        """The 校对提示 of the page's year, numbered as the macro's argument."""
        loop = shown.loops.years.get(renderer.year_of(page)) if shown.loops and page else None
        return list(enumerate(loop.notes)) if loop else []

    def proofreading_note(here, number):
        """校对提示 after a paragraph of a section page (placed by on_pre_page_macros; never in the 全文)."""
        if here.ctx.fulltext:
            return ""
        note = dict(year_notes(here.page))[number]
        return "\n\n" + render("proofreading_note.html", quote=note.quote, note=note.note) + "\n\n"

    env.variables["issued_place"] = lambda page, markdown: issued.place(shown, page, markdown)
    macro(lambda here: issued.note(shown, here), "issued_note")  # 印发后补录, 更正: beside an issued report
    env.variables["proofreading_place"] = lambda page, markdown: proofreading.place(
        markdown, [(n, note) for n, note in year_notes(page) if page == f"{renderer.year_of(page)}/{note.page}"])
    macro(report_marks)
    macro(report_addressee)
    macro(proofreading_note)


def on_pre_page_macros(env):
    """Before a page's macros run: a section page gets its 校对提示 after the paragraphs they concern,
    and an issued year's report page its site note on later changes (macros/pages/issued.py)."""
    page = env.variables.get("page")
    if page is None or not hasattr(page, "file"):
        return
    for name in ("proofreading_place", "issued_place"):  # 校对提示; an issued report's site note
        place = env.variables.get(name)
        if place is not None:
            env.markdown = place(page.file.src_path, env.markdown)
