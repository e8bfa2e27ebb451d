"""The build context: every flag that changes what a build produces, in one object.

Made once from MkDocs' config (`BuildContext.from_config`) and passed explicitly to whatever
needs it; nothing reads these flags from module globals or the environment elsewhere.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace


def _flag(value) -> bool:
    if isinstance(value, str):  # an unusual spelling in the environment, e.g. REDACTED=yes
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _offline(config) -> bool:
    """Material's offline plugin is enabled (mkdocs.yml: `enabled: !ENV [OFFLINE, false]`)."""
    plugins = getattr(config, "plugins", None) or {}
    plugin = plugins.get("material/offline") if hasattr(plugins, "get") else None
    return bool(plugin and plugin.config.enabled)


@dataclass(frozen=True)
class BuildContext:
    redacted: bool = False  # 脱敏版: pages are rendered from masked data (macros/core/redact.py)
    offline: bool = False  # 离线副本 (make offline, OFFLINE=true): opened from file://, no names
    directory_urls: bool = True  # False in the offline copy: a/b.md -> a/b.html
    strict: bool = False  # a publishing build: 待填, warnings and drafts stop it
    fulltext: bool = False  # rendering a section inside its year's 全文

    @classmethod
    def from_config(cls, config) -> BuildContext:
        extra = config.get("extra") or {}
        offline = _offline(config)
        return cls(
            redacted=_flag(extra.get("redacted", False)),
            offline=offline,
            # the offline plugin turns directory URLs off in its own on_config, which may run later
            directory_urls=bool(config.get("use_directory_urls", True)) and not offline,
            strict=bool(config.get("strict")),
        )

    @property
    def hides_names(self) -> bool:
        """The redacted build and the offline copy never carry names (the 台账 pages, its .xlsx)."""
        return self.redacted or self.offline

    def inside_fulltext(self) -> BuildContext:
        return replace(self, fulltext=True)

    # -- URLs between pages (both given relative to docs/) ----------------------
    def page_url(self, src: str) -> str:
        """The URL MkDocs gives a page: a/b.md -> a/b/ (directory URLs) or a/b.html (offline copy)."""
        stem = src[: -len(".md")]
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"

    def href(self, from_page: str | None, to_page: str, anchor: str | None = None) -> str:
        """A relative link from one page to another, optionally to an anchor on it."""
        start = self.page_url(from_page or "index.md")
        target = self.page_url(to_page) or "."
        if not self.directory_urls:
            rel = posixpath.relpath(target, posixpath.dirname(start) or ".")
        else:
            rel = posixpath.relpath(target, start or ".")
            rel = rel if rel.endswith("/") or rel == "." else rel + "/"
        return f"{rel}#{anchor}" if anchor else rel

    def file_href(self, from_page: str | None, path: str) -> str:
        """A relative link from a page to a file of the built site (e.g. 2022/report-2022.docx)."""
        start = self.page_url(from_page or "index.md")
        start = start.rstrip("/") if self.directory_urls else posixpath.dirname(start)
        return posixpath.relpath(path, start or ".")


@dataclass(frozen=True)
class Here:
    """Where a macro is called: the page (relative to docs/) and the build context."""

    page: str | None
    ctx: BuildContext

    def href(self, to_page: str, anchor: str | None = None) -> str:
        return self.ctx.href(self.page, to_page, anchor)
