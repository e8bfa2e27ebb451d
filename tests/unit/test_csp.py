"""The Content-Security-Policy meta element of the offline copy and of `make serve` (macros/site/csp.py):
the server's policy from deploy/nginx.conf, minus what a meta element cannot carry, plus exactly the
inline scripts those two need. Browser checks: tests/e2e/test_offline.py, tests/e2e/test_browser.py (live reload)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer

from macros.site import csp
from macros.site.plugin import BranchPlugin

ROOT = Path(__file__).resolve().parents[2]
HEADER = csp.header_policy((ROOT / csp.NGINX_CONF).read_text("utf-8"))
SHIM = (ROOT / "docs" / csp.SHIM).read_text("utf-8")


def test_meta_policy_is_the_servers_minus_what_meta_cannot_carry():
    server = csp.directives(HEADER)
    assert "frame-ancestors" in server and server["script-src"] == ["'self'"]
    meta = csp.directives(csp.meta_policy(HEADER, ["'nonce-abc'"]))
    assert set(meta) == set(server) - {"frame-ancestors"}
    for name, values in meta.items():
        expected = [*server[name], "'nonce-abc'"] if name == "script-src" else server[name]
        assert values == expected, name
    assert "unsafe-inline" not in " ".join(meta["script-src"]) and "unsafe-eval" not in csp.meta_policy(HEADER)


def test_the_header_must_be_there_once():
    with pytest.raises(csp.PolicyError, match="找到 0 行"):
        csp.header_policy("server { listen 80; }")
    line = "add_header Content-Security-Policy \"default-src 'self'\" always;\n"
    with pytest.raises(csp.PolicyError, match="找到 2 行"):
        csp.header_policy(line + line)


def test_shim_script_hash_is_the_one_chromium_asks_for():
    """Chromium, blocking the shim's iframe script on the offline home page, printed: a hash
    ('sha256-zwEe…') is required to enable inline execution. The computed hash is that one."""
    worker = "assets/javascripts/workers/search.a7633da7.min.js"
    script = csp.shim_script(SHIM, worker)
    assert script.startswith("postMessage=function c(s,n){parent.postMessage(s,n||\"*\")};importScripts=function d(")
    assert f'filename:"{worker}"' in script
    assert csp.source_hash(script) == "'sha256-zwEeX9SHbdbsDBu4WXpwOZty5sQXKT3c7Ic+TUtFsp0='"
    assert csp.source_hash(csp.shim_script(SHIM, "../" + worker)) != csp.source_hash(script)


def test_another_shim_stops_the_build():
    with pytest.raises(csp.PolicyError, match="iframe-worker 1.0.4"):
        csp.shim_script(SHIM.replace("postMessage=${c}", "postMessage=${x}"), "w.js")
    with pytest.raises(csp.PolicyError, match="iframe-worker 1.0.4"):
        csp.shim_script("window.Worker=class{}", "w.js")


def test_meta_csp_for_a_page():
    settings = {"header": HEADER, "nonce": None, "shim": SHIM, "worker": "x"}
    offline = csp.directives(csp.page_policy(settings, "../assets/javascripts/workers/search.a7633da7.min.js"))
    assert len(offline["script-src"]) == 2 and offline["script-src"][1].startswith("'sha256-")
    served = csp.directives(csp.page_policy({**settings, "nonce": "n0nce", "shim": None}, None))
    assert served["script-src"] == ["'self'", "'nonce-n0nce'"]


def test_live_reload_script_gets_the_nonce_of_the_policy():
    """Against MkDocs' real live-reload server: its injected script tag carries the plugin's nonce."""
    plugin = BranchPlugin()
    plugin.on_startup(command="serve", dirty=False)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root="/nonexistent")
    try:
        plugin.on_serve(server, config=None, builder=None)
        page = server._inject_js_into_html(b"<html><body><script src=\"a.js\"></script></body></html>", 7)
    finally:
        server.server_close()
    nonce = plugin.nonce
    assert nonce and len(nonce) >= 20
    assert page.count(b"<script") == 2 and f'<script nonce="{nonce}">'.encode() in page
    assert b"livereload(7, " in page and page.endswith(b"</script></body></html>")
    plugin.on_startup(command="build", dirty=False)
    assert plugin.nonce is None


def test_another_mkdocs_stops_serve(monkeypatch):
    from macros.core import upstream
    plugin = BranchPlugin()
    plugin.on_startup(command="serve", dirty=False)
    monkeypatch.setattr(upstream.metadata, "version", lambda package: "2.0.0")
    with pytest.raises(PluginError, match="mkdocs 1.6.1"):
        plugin.on_serve(type("Server", (), {"builder": None})(), config=None, builder=None)
