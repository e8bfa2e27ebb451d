"""Fewer and smaller files for the browser (page weight, measured by make bench).

Every request costs a round trip and about 0.7 KB of response headers (deploy/nginx.conf's
security headers), so the home page's weight was mostly the number of small files:

1. **One stylesheet.** The theme's stylesheets (THEME_CSS, in cascade order), then a branch's own
   (mkdocs.yml's `extra_css`, files under its docs/), are minified with rcssmin and joined, in that
   order, into `assets/stylesheets/site.<hash>.min.css`; the page links only that file. The hash in
   the name lets nginx's long-cache rule apply, and a changed stylesheet gets a new name.
2. **One early script.** Material's two inline scripts that run before the page is drawn (storage
   scope and saved palette), which the theme's partials/javascripts/ load as files for the CSP,
   become one file `assets/javascripts/no-inline/early.js`.
3. **The iframe-worker shim only in the offline copy** (`extra.offline_polyfills`): it is needed
   only when search runs from file://.
4. **A compact search index**: written as UTF-8 instead of \\uXXXX escapes, the same JSON is 45%
   smaller (17% gzip).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import rcssmin
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from macros.site.search_setup import label_years

# The site's theme, shipped with this package: Material's templates it overrides (main.html, partials/),
# the scripts moved out of the page for the CSP, the stylesheets. Every branch's build uses it
# (`configure` puts it before Material's own templates, after a branch's `theme.custom_dir` if it has one).
THEME = Path(__file__).resolve().parent / "theme"
THEME_CSS = (  # in cascade order
    "stylesheets/extra.css",
    "stylesheets/print.css",
    "stylesheets/yoy.css",
    "stylesheets/guide.css",
    "stylesheets/loop.css",  # 清单与计划（进度条、状态、对标）
    "stylesheets/records.css",  # 台账（逐月开展情况、明细、本月待办）
    "stylesheets/a11y.css",  # 对比度（axe-core 检查）: last, so its fixes win the cascade
)
NO_INLINE = "assets/javascripts/no-inline/"
# early.js = these, in this order (Material's base.html script, then its palette script)
EARLY_SOURCES = [NO_INLINE + "scope.js", NO_INLINE + "palette.js"]
EARLY = NO_INLINE + "early.js"
# A relative url() would point elsewhere once the rules move to assets/stylesheets/; @import
# and @charset are only valid at the start of a stylesheet, so they cannot be joined.
UNBUNDLABLE = re.compile(r"url\(\s*['\"]?(?!data:|/|#)|@import|@charset", re.IGNORECASE)


@dataclass(frozen=True)
class Bundle:
    sources: tuple[str, ...]
    name: str
    content: str


def bundle_css(sources: list[tuple[str, Path, str]]) -> Bundle:
    """The joined, minified stylesheet made from `sources`: (name in the site, file, name in messages)."""
    parts = []
    for source, path, shown in sources:
        if not path.is_file():
            raise PluginError(f"mkdocs.yml: extra_css 列出的样式文件 {source} 不存在（应在 {shown}）")
        text = path.read_text("utf-8")
        bad = UNBUNDLABLE.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            raise PluginError(
                f"{shown}:{line}: 样式文件不能使用相对地址的 url()、@import 或 @charset"
                "（各样式文件会合并为 assets/stylesheets/ 下的一个文件）"
            )
        parts.append(f"/* {source} */\n{rcssmin.cssmin(text)}\n")
    content = "".join(parts)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:8]
    return Bundle(tuple(source for source, _, _ in sources), f"assets/stylesheets/site.{digest}.min.css", content)


def theme_stylesheets() -> list[tuple[str, Path, str]]:
    return [(source, THEME / source, f"macros/site/theme/{source}") for source in THEME_CSS]


def own_stylesheets(docs_dir: Path, sources: list[str]) -> list[tuple[str, Path, str]]:
    """A branch's own stylesheets (mkdocs.yml's extra_css), files under its docs/."""
    return [(source, docs_dir / source, f"docs/{source}") for source in sources]


def configure(config, offline: bool) -> Bundle:
    """on_config: the theme's folder, polyfills (only in the offline copy), whether early.js applies,
    and the stylesheet bundle."""
    if str(THEME) not in config.theme.dirs:  # Theme.dirs: MkDocs' template and static-file search path
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
    config.extra["polyfills"] = list(config.extra.get("offline_polyfills") or []) if offline else []
    # early.js replaces the two scripts where the palette script is in the header (palette not a
    # single mapping) and nothing before the header reads the storage scope: Material's inline
    # announce.dismiss and version-banner scripts do (and are not allowed by the CSP anyway).
    palette = config.theme.get("palette")
    features = config.theme.get("features") or []
    config.extra["early_script"] = (
        not isinstance(palette, dict) and "announce.dismiss" not in features and not config.extra.get("version")
    )
    own = own_stylesheets(Path(config.docs_dir), [str(source) for source in config.extra_css])
    bundle = bundle_css(theme_stylesheets() + own)
    config.extra_css = [bundle.name]
    return bundle


def add_files(files, config, bundle: Bundle):
    """on_files: the bundle replaces its sources; early.js is made from its two sources."""
    for source in bundle.sources:
        file = files.get_file_from_path(source)
        if file is not None:
            files.remove(file)
    files.append(File.generated(config, bundle.name, content=bundle.content))
    parts = []
    for source in EARLY_SOURCES:
        file = files.get_file_from_path(source)
        if file is None:
            raise PluginError(f"找不到 {source}（应在 macros/site/theme/{source}）")
        parts.append(file.content_string.strip() + "\n")
    files.append(File.generated(config, EARLY, content="".join(parts)))
    return files


def compact_search_index(site: Path) -> None:
    """search_index.json as UTF-8 without spaces (after the search plugin writes it, before the
    offline plugin inlines it)."""
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text("utf-8"))
        data["docs"] = label_years(data.get("docs", []))  # each hit's year (macros/site/search_setup.py, 4)
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
