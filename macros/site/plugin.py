"""The site's MkDocs plugin (`branch` in mkdocs.yml): every hook of the build, in the order MkDocs
calls them. Each handler only wires; the work lives in the module it names.

Order of a build (plugins run in mkdocs.yml order: search, offline, macros, branch):
  on_startup      jieba: its dictionary cache in ~/.cache/jieba (macros/site/search_setup.py)
  on_config (50)  docs/ holds only what may be published: no link out of docs/, no backup or hidden
                  file (macros/site/docs_guard.py; before anything reads a page);
                  a new store of the HTML blocks macros write (macros/site/deferred.py); navigation from docs/
                  (macros/pages/nav.py); edit links; the theme's folder (macros/site/theme/), stylesheet bundle
                  and early script (macros/site/assets.py)
                  — before the offline plugin's on_config reads polyfills;
                  then the Content-Security-Policy meta element of the offline copy and of make
                  serve (macros/site/csp.py; needs the polyfills just decided); preview: which years
                  changed since the last rebuild (macros/site/preview.py)
  on_files        the bundled stylesheet and early.js replace their sources; preview: the pages
                  to rebuild are marked stale, stray files (an editor's swap file) left out
  on_env          meta_csp() for the theme's main.html; preview: titles of pages not rebuilt
  on_page_markdown  最后更新 and 编辑数据 (macros/site/page_meta.py); older years' pages out of the
                  search index (macros/site/search_setup.py, macros/pages/archive.py)
  on_page_content   the macros' HTML blocks back in place of their placeholders (macros/site/deferred.py);
                  the 全文 page's body marks become div.report-body (macros/exports/report_content.py);
                  anchors of figures (macros/site/page_meta.py), read by the 数据完整性 page's links
  on_post_page    the 全文 pages kept for the exports; an issued year's 全文 checked against the text it was
                  issued with (macros/core/issued.py); preview: which pages were rebuilt
  on_post_build   1. .docx and .txt of each year's 全文 (macros/exports/report_files.py; not under `mkdocs serve`)
                  1b. each year's 台账 as .xlsx (macros/pages/records_print.py; not under `mkdocs serve`)
                  — both from the build's checked data; a .docx/.xlsx whose inputs are unchanged
                    is copied from the export cache (macros/exports/cache.py)
                  2. search_index.json as compact UTF-8 (macros/site/assets.py); preview: with the
                     entries of the pages not rebuilt (macros/site/preview.py)
                  3. the Chinese segmenter fix in Material's search worker (macros/site/search_setup.py)
                  — all before the offline plugin (priority −100) inlines the index
  on_serve        a failed rebuild explains itself in one Chinese line; the server stays up;
                  the live-reload script gets the CSP nonce (macros/site/csp.py)

MkDocs keeps one instance of this plugin across `mkdocs serve` rebuilds; state that belongs to one
build is reset in on_config.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority

from macros.core.errors import Refusal
from macros.core.upstream import require
from macros.exports import report_files as exports
from macros.exports.cache import ExportCache
from macros.exports.cache_dir import cache_dir
from macros.pages import archive, people, records_print
from macros.pages.context import BuildContext
from macros.pages.nav import build_nav
from macros.site import assets, csp, page_meta, search_setup
from macros.site.deferred import Deferred
from macros.site.docs_guard import guard_docs, stray_file
from macros.site.errors import refusals
from macros.site.preview import Preview, snapshot

log = logging.getLogger("mkdocs.plugins.branch")
EXPORT_CACHE = "party-site-exports"  # the downloads kept between builds (macros/exports/cache.py)


class BranchConfig(Config):
    # Switches for make bench (benchmarks/ builds variant configs): each speed mechanism can be
    # turned off alone to measure what it saves. The site never sets them.
    jieba_cache = config_options.Type(bool, default=True)
    search_all_years = config_options.Type(bool, default=False)
    data_memo = config_options.Type(bool, default=True)
    deferred_blocks = config_options.Type(bool, default=True)  # macros/site/deferred.py
    export_cache = config_options.Type(bool, default=True)
    theme_reuse = config_options.Type(bool, default=True)  # macros/site/preview.py keep_theme, reuse_compiled


class _NoDirtyWarning(logging.Filter):
    """Under `make serve` MkDocs warns on every rebuild that a dirty build may leave navigation
    stale; macros/site/preview.py is what keeps it right, so the warning would only alarm editors."""

    def filter(self, record):
        return not str(record.msg).startswith("A 'dirty' build is being performed")


class BranchPlugin(BasePlugin[BranchConfig]):
    def __init__(self):
        self.serving = False
        self.fulltext_pages: dict[int, str] = {}
        self.bundle: assets.Bundle | None = None  # made in on_config
        self.dates = None
        self.nonce: str | None = None
        self.checked: dict | None = None
        self.latest: int | None = None
        self.first_indexed: int | None = None
        self.preview: Preview | None = None  # only under `mkdocs serve --dirty` (make serve)
        self.stale_years = None
        self.page_order: list[str] = []
        self.deferred: Deferred | None = None
        self.site_data = None  # set by define_env (macros/site/macros_env.py) in each build's on_config
        self.ctx: BuildContext | None = None  # the build context, made in on_config
        self.stray: list[str] = []  # make serve: stray files in docs/, left out of the preview

    @refusals
    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        self.nonce = secrets.token_urlsafe(18) if self.serving else None  # one per server start
        if self.serving and dirty:  # make serve: partial rebuilds lean on MkDocs' dirty-build internals
            require("mkdocs", "1.6.1", "macros/site/preview.py（--dirty 的 os.utime 过期标记、page.markdown is None、"
                    "theme.static_templates、搜索索引合并）")
        self.preview = Preview() if self.serving and dirty else None
        # data files checked in this preview session, reused while unchanged (macros/core/load.py _checked)
        self.checked: dict | None = {} if self.serving and self.config.get("data_memo", True) else None
        if self.preview is not None:
            logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())
        if self.config.get("jieba_cache", True):
            search_setup.setup_jieba()

    @event_priority(50)
    @refusals
    def on_config(self, config):
        self.fulltext_pages = {}
        self.stray = guard_docs(Path(config.config_file_path).parent, Path(config.docs_dir), self.serving)
        require("mkdocs", "1.6.1", "macros/site/deferred.py（Page.present_anchor_ids）")
        self.deferred = Deferred() if self.config.get("deferred_blocks", True) else None  # read by define_env
        self.site_data = None
        if not config.nav:
            config.nav = build_nav(Path(config.docs_dir))
        indexed = [] if self.config.get("search_all_years", False) else archive.indexed_years(Path(config.docs_dir))
        self.latest, self.first_indexed = (indexed[0], indexed[-1]) if indexed else (None, None)
        if self.preview is not None:
            root = Path(config.config_file_path).parent
            inputs = snapshot(root, [Path(config.docs_dir), *map(Path, config.watch)], [Path(config.config_file_path)])
            self.stale_years = self.preview.plan(inputs, config.nav)
            if self.config.get("theme_reuse", True):
                self.preview.keep_theme(config, self.stale_years)
        if not config.repo_url:
            config.edit_uri = None  # no server address configured: no edit links (not relative ones)
        self.dates = page_meta.file_dates(config)
        self.ctx = BuildContext.from_config(config)  # the build's flags, made once (define_env takes it too)
        self.bundle = assets.configure(config, self.ctx.offline)
        config.extra["meta_csp"] = csp.configure(config, self.nonce, self.ctx.offline)
        return config

    @refusals
    def on_files(self, files, *, config):
        for file in [f for f in files if self.stray and stray_file(f.src_uri)]:
            files.remove(file)  # make serve only: a strict build has refused them in on_config
        files = assets.add_files(files, config, self.bundle)
        if self.preview is not None:
            self.preview.mark_stale(files, self.stale_years)
        return files

    @refusals
    def on_env(self, env, *, config, files):
        if self.preview is not None:
            self.preview.restore_titles(files)
            if self.config.get("theme_reuse", True):
                self.preview.reuse_compiled(env)
        self.page_order = [file.page.url for file in files.documentation_pages() if file.page is not None]
        env.globals["meta_csp"] = csp.page_policy
        return env

    @refusals
    def on_page_markdown(self, markdown, *, page, config, files):
        page_meta.set_meta(page, config, self.dates)
        if search_setup.year_before(page.file.src_uri, self.first_indexed):
            search_setup.exclude_from_search(page)
        elif search_setup.year_before(page.file.src_uri, self.latest):
            search_setup.rank_lower(page)  # last year's pages: found by their words, after the latest year's
        return markdown

    @refusals
    def on_page_content(self, html, *, page, config, files):
        if self.deferred is not None:
            html = self.deferred.restore(html, page.present_anchor_ids)  # before anything reads the HTML
        if exports.fulltext_year(page.file.src_uri) is not None:
            html = exports.wrap_fulltext_body(html, page.file.src_uri)
        return page_meta.add_figure_anchors(html)

    @refusals
    def on_post_page(self, output, *, page, config):
        year = exports.fulltext_year(page.file.src_uri)
        if year is not None:
            self.fulltext_pages[year] = output
            self._check_issued_text(year, output)
        if self.preview is not None:
            self.preview.page_built(page)
        return output

    def _check_issued_text(self, year: int, html: str) -> None:
        """An issued year's 全文 is the text it was issued with (macros/core/issued.py); the 脱敏 build's
        text is masked, so it is checked in the normal build only. The preview says so and goes on."""
        year_data = self.site_data.years.get(year) if self.site_data is not None else None
        if self.ctx is None or self.ctx.redacted or year_data is None:
            return
        problem = exports.issued_text_problem(year, html, year_data.issued)
        if problem and self.serving:
            log.warning(problem)
        elif problem:
            raise Refusal(problem)

    @refusals
    def on_post_build(self, *, config):
        site = Path(config.site_dir)
        if not self.serving:  # the preview links the files but does not spend time writing them
            ctx = self.ctx
            folder = cache_dir(EXPORT_CACHE) if self.config.get("export_cache", True) else None
            cache = ExportCache(folder) if folder is not None else None  # no folder of this user's: no cache
            exports.write_all(self.fulltext_pages, site, ctx.strict, cache)
            if self.site_data is None:
                raise PluginError("branch 插件需要 macros 插件（mkdocs.yml 的 plugins 中 macros 排在 branch 之前）")
            records_print.write_site_ledgers(self.site_data.records, self.site_data.branch["name"], site, ctx, cache,
                                             people.people_sheets(self.site_data, ctx))  # + 名册, 学时, 党费
        if self.preview is not None:
            self.preview.merge_search_index(site / "search" / "search_index.json", self.page_order)
            self.preview.commit()
        else:
            assets.compact_search_index(site)
        search_setup.patch_worker_in(site)

    @refusals
    def on_serve(self, server, *, config, builder):
        require("mkdocs", "1.6.1", "macros/site/plugin.py on_serve（server.builder）")
        rebuild = server.builder

        def rebuild_or_explain():
            try:
                rebuild()
            except Abort:  # the errors themselves were already logged, one Chinese line each
                log.error("网站未更新：浏览器仍显示上一次成功构建的内容。按上面的提示改正并保存，几秒内自动恢复。")

        server.builder = rebuild_or_explain
        require("mkdocs", "1.6.1", "macros/site/csp.py add_nonce（实时刷新脚本的 nonce）")
        csp.add_nonce(server, self.nonce)
        return server
