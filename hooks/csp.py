"""MkDocs hook: the Content-Security-Policy meta element of the offline copy and of `make serve`
(what and why: macros/csp.py; the element itself: overrides/main.html, block site_meta).

The built site served by nginx gets no meta element: nginx sends the header (deploy/nginx.conf).
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import mkdocs
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # as the other hooks, until `pip install -e .`
from macros import csp  # noqa: E402

SHIM = "assets/javascripts/iframe-worker/shim.js"  # in docs/, listed in mkdocs.yml extra.offline_polyfills
# Written against MkDocs 1.6's live-reload server, which adds its script as a bare "<script>" just
# before "</body>" (mkdocs/livereload/__init__.py, LiveReloadServer._inject_js_into_html).
LIVERELOAD_MKDOCS = "1.6."

_nonce: str | None = None  # per `mkdocs serve` process; hook modules persist across its rebuilds


def on_startup(command, dirty):
    global _nonce
    _nonce = secrets.token_urlsafe(18) if command == "serve" else None


def offline_enabled(config) -> bool:
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


def search_worker(config) -> str:
    """Material's search worker, as its base.html names it (assets/javascripts/workers/search.<hash>.min.js)."""
    for folder in config.theme.dirs:
        found = sorted(Path(folder).glob("assets/javascripts/workers/search.*.min.js"))
        if found:
            return found[0].relative_to(folder).as_posix()
    raise PluginError("hooks/csp.py: 主题中找不到搜索脚本 assets/javascripts/workers/search.*.min.js")


@event_priority(-50)  # after hooks/assets.py has decided the polyfills (the shim) for the offline copy
def on_config(config):
    offline = offline_enabled(config)
    config.extra["meta_csp"] = None
    if not (offline or _nonce):
        return config
    root = Path(config.config_file_path).parent
    try:
        header = csp.header_policy(csp.read(root, csp.NGINX_CONF))
        shim = csp.read(Path(config.docs_dir), SHIM) if SHIM in config.extra.get("polyfills", []) else None
    except csp.PolicyError as error:
        raise PluginError(str(error)) from None
    config.extra["meta_csp"] = {
        "header": header,
        "nonce": _nonce,
        "shim": shim,
        "worker": search_worker(config) if shim else None,
    }
    return config


def on_env(env, config, files):
    env.globals["meta_csp"] = meta_csp
    return env


def meta_csp(settings: dict, worker_url: str | None) -> str:
    """The policy for one page: the shim's inline script hashed for this page's worker URL
    (the offline copy), the live-reload nonce (make serve)."""
    scripts = [f"'nonce-{settings['nonce']}'"] if settings["nonce"] else []
    if settings["shim"] and worker_url:
        try:
            scripts.append(csp.source_hash(csp.shim_script(settings["shim"], worker_url, "docs/" + SHIM)))
        except csp.PolicyError as error:
            raise PluginError(str(error)) from None
    return csp.meta_policy(settings["header"], scripts)


def on_serve(server, config, builder):
    if not mkdocs.__version__.startswith(LIVERELOAD_MKDOCS) or not hasattr(server, "_inject_js_into_html"):
        raise PluginError(
            f"hooks/csp.py 按 MkDocs {LIVERELOAD_MKDOCS}x 的实时刷新脚本写成，当前是 MkDocs {mkdocs.__version__}："
            "页面的 CSP 会拦截实时刷新，请按新版本修改 hooks/csp.py"
        )
    inject = server._inject_js_into_html
    tag = f'<script nonce="{_nonce}">'.encode()

    def inject_with_nonce(content: bytes, epoch: int) -> bytes:
        page = inject(content, epoch)
        at = page.rfind(b"<script>")  # the tag MkDocs just added before </body>
        return page[:at] + tag + page[at + len(b"<script>") :] if at >= 0 else page

    server._inject_js_into_html = inject_with_nonce
    return server
