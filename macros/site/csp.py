"""The Content-Security-Policy as a <meta> element, for pages no server of ours sends: the offline copy
(make offline, opened from file://) and `make serve` (MkDocs' own server). The policy is the one
deploy/nginx.conf sends as a header, read from that file at build time, so the two cannot drift
apart; only what a meta element cannot carry is left out, and only what these two ways of opening
the site need is added, each for a named script (a hash or a nonce), never 'unsafe-inline'.

- Left out: frame-ancestors, report-uri, report-to and sandbox. Browsers ignore them in a meta
  element (CSP Level 3, section 6.1) and say so in the console. frame-ancestors matters least here:
  a file:// page or a preview on 127.0.0.1 is not a page another site could frame for clickjacking.
- Offline copy: search runs in iframe-worker's shim (docs/assets/javascripts/iframe-worker/), which
  writes one inline <script> into a blank iframe, and that iframe inherits this policy. Its text is
  fixed by the vendored shim and the page's relative path to Material's search worker, so each page
  allows exactly that script by its sha256 hash (shim_script below).
- make serve: MkDocs injects its live-reload script inline at the end of every page, with a
  timestamp that changes per request, so no hash can name it. `add_nonce` adds a nonce (random per
  server start) to that one script tag and to the policy. A markup-escaping bug cannot guess it.

The built site served by nginx gets no meta element: nginx sends the header. Wiring: macros/site/plugin.py
(on_config: configure; on_env: page_policy for the theme's main.html, block site_meta; on_serve: add_nonce).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

NGINX_CONF = "deploy/nginx.conf"  # relative to the project root (the folder of mkdocs.yml)
SHIM = "assets/javascripts/iframe-worker/shim.js"  # in docs/, listed in mkdocs.yml extra.offline_polyfills
# Directives a meta element cannot deliver (ignored by browsers there).
NOT_IN_META = ("frame-ancestors", "report-uri", "report-to", "sandbox")
_HEADER = re.compile(r'^\s*add_header\s+Content-Security-Policy\s+"([^"]+)"', re.MULTILINE)


class PolicyError(Exception):
    """The policy cannot be derived; the message is one Chinese line."""


def header_policy(conf: str, where: str = NGINX_CONF) -> str:
    """The Content-Security-Policy header value that the nginx site configuration sends."""
    found = _HEADER.findall(conf)
    if len(found) != 1:
        raise PolicyError(f"{where}: 应有一行 add_header Content-Security-Policy \"…\"，找到 {len(found)} 行")
    return found[0]


def directives(policy: str) -> dict[str, list[str]]:
    """'default-src 'self'; img-src 'self' data:' -> {'default-src': ["'self'"], 'img-src': [...]} in order."""
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def meta_policy(header: str, scripts: list[str] = ()) -> str:
    """The header's policy for a meta element, with `scripts` (hash or nonce sources) allowed too."""
    parsed = {name: values for name, values in directives(header).items() if name not in NOT_IN_META}
    if scripts:
        base = parsed.get("script-src") or parsed.get("default-src") or []
        parsed["script-src"] = [*base, *scripts]
    return "; ".join(" ".join([name, *values]) for name, values in parsed.items())


def source_hash(script: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _function(source: str, name: str) -> str:
    """The text of `function name(...){...}` in minified JavaScript (what Function.toString gives)."""
    start = source.find(f"function {name}(")
    if start < 0:
        raise ValueError(name)
    depth = 0
    for at in range(source.index("{", start), len(source)):
        depth += {"{": 1, "}": -1}.get(source[at], 0)
        if depth == 0:
            return source[start : at + 1]
    raise ValueError(name)


def shim_script(shim: str, worker_url: str, where: str = "iframe-worker/shim.js") -> str:
    """The inline script iframe-worker 1.0.4's shim writes into its iframe for `new Worker(worker_url)`:
    its template with the two functions it embeds (by their source text) and the worker's URL."""
    try:
        template = re.search(r"document\.write\(`(.*?)`\)", shim, re.DOTALL).group(1).replace("<\\/", "</")
        body = re.search(r"<script>(.*?)</script>", template, re.DOTALL).group(1)
        names = re.findall(r"\$\{(\w+)\}", body)
        assert names == ["c", "d", "e"], names
        return body.replace("${c}", _function(shim, "c")).replace("${d}", _function(shim, "d")) \
            .replace("${e}", worker_url)
    except (AttributeError, AssertionError, ValueError):
        raise PolicyError(
            f"{where}: 不是本站按其写法计算内联脚本哈希的 iframe-worker 1.0.4，离线副本的搜索会被 CSP 拦截"
            "（见 macros/site/csp.py）"
        ) from None


def read(root: Path, relative: str) -> str:
    try:
        return (root / relative).read_text("utf-8")
    except OSError as error:
        why = f"无法读取（{error.strerror}），页面的 Content-Security-Policy 由它得出"
        raise PolicyError(f"{relative}: {why}") from None


# ---- wiring (macros/site/plugin.py) ---------------------------------------------------------------


def search_worker(config) -> str:
    """Material's search worker, as its base.html names it (assets/javascripts/workers/search.<hash>.min.js)."""
    for folder in config.theme.dirs:
        found = sorted(Path(folder).glob("assets/javascripts/workers/search.*.min.js"))
        if found:
            return found[0].relative_to(folder).as_posix()
    raise PluginError("主题中找不到搜索脚本 assets/javascripts/workers/search.*.min.js")


def configure(config, nonce: str | None, offline: bool) -> dict | None:
    """on_config, after the polyfills are decided (macros/site/assets.py): what the pages' meta element
    needs, or None where the server sends the header (neither the offline copy nor make serve)."""
    if not (offline or nonce):
        return None
    try:
        header = header_policy(read(Path(config.config_file_path).parent, NGINX_CONF))
        shim = read(Path(config.docs_dir), SHIM) if SHIM in config.extra.get("polyfills", []) else None
    except PolicyError as error:
        raise PluginError(str(error)) from None
    return {"header": header, "nonce": nonce, "shim": shim, "worker": search_worker(config) if shim else None}


def page_policy(settings: dict, worker_url: str | None) -> str:
    """The policy of one page (a Jinja global): the shim's inline script hashed for this page's
    relative URL of the worker (offline copy), the live-reload nonce (make serve)."""
    scripts = [f"'nonce-{settings['nonce']}'"] if settings["nonce"] else []
    if settings["shim"] and worker_url:
        try:
            scripts.append(source_hash(shim_script(settings["shim"], worker_url, "docs/" + SHIM)))
        except PolicyError as error:
            raise PluginError(str(error)) from None
    return meta_policy(settings["header"], scripts)


def add_nonce(server, nonce: str) -> None:
    """on_serve: MkDocs 1.6's live-reload server adds its script as a bare "<script>" just before
    "</body>" (LiveReloadServer._inject_js_into_html); that tag gets the nonce."""
    inject = server._inject_js_into_html
    tag = f'<script nonce="{nonce}">'.encode()

    def inject_with_nonce(content: bytes, epoch: int) -> bytes:
        page = inject(content, epoch)
        at = page.rfind(b"<script>")  # the tag MkDocs just added
        return page[:at] + tag + page[at + len(b"<script>") :] if at >= 0 else page

    server._inject_js_into_html = inject_with_nonce
