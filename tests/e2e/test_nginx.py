"""deploy/nginx.conf, run by the real nginx (helpers.nginx) on the real site: headers, caching, gzip,
access control, and the CSP that the moved-out scripts make possible."""

from __future__ import annotations

import base64
import gzip
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import material
import pytest
from helpers.browser import Watch
from helpers.builds import build
from helpers.files import SITES, edit, project_copy
from helpers.servers import SITE_CONF, nginx

from macros.site.assets import THEME

MATERIAL = Path(material.__file__).resolve().parent

pytestmark = pytest.mark.e2e

YEAR = 365 * 24 * 3600


def get(url: str, headers: dict | None = None):
    """(status, headers, body) without following redirects or raising on 4xx."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def max_age(headers) -> int | None:
    match = re.search(r"max-age=(\d+)", headers.get("Cache-Control", ""))
    return int(match.group(1)) if match else None


def rel(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    assert len(found) == 1, (pattern, found)
    return found[0].relative_to(site).as_posix()


@pytest.fixture(scope="module")
def urls(site, nginx_url):
    """A page, Material's hashed assets, and files whose names do not change with their content."""
    return {
        "home": nginx_url,
        "page": nginx_url + "2022/",
        "hashed": [nginx_url + rel(site, p) for p in (
            "assets/javascripts/bundle.*.min.js",
            "assets/stylesheets/main.*.min.css",
            "assets/stylesheets/palette.*.min.css",
            "assets/stylesheets/site.*.min.css",  # extra_css joined by macros/site/assets.py
        )],
        "unhashed": [nginx_url + p for p in (
            "assets/javascripts/no-inline/early.js",
            "search/search_index.json",
            rel(site, "assets/javascripts/workers/search.*.min.js"),  # patched after the build
        )],
        "missing": nginx_url + "no/such/page/",
    }


def test_security_headers_on_pages_assets_and_errors(urls):
    for url in [urls["home"], urls["page"], *urls["hashed"], *urls["unhashed"], urls["missing"]]:
        _, headers, _ = get(url)
        csp = headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp, url
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert "unsafe-eval" not in csp, url
        assert directives["script-src"] == "'self'", csp  # no inline script, no eval
        # inline <style> only (the charts' SVG); see deploy/nginx.conf
        assert directives["style-src"] == "'self' 'unsafe-inline'", csp
        assert headers.get("X-Content-Type-Options") == "nosniff", url
        assert headers.get("Referrer-Policy") == "same-origin", url
        assert headers.get("Server") == "nginx", "no version number"


def test_html_is_not_cached_but_revalidated(urls):
    for url in (urls["home"], urls["page"]):
        status, headers, _ = get(url)
        assert status == 200 and headers.get_content_type() == "text/html"
        assert headers.get("Cache-Control") == "no-cache", url
        etag = headers["ETag"]
        status, _, body = get(url, {"If-None-Match": etag})
        assert status == 304 and body == b""


def test_hashed_assets_are_cached_for_a_year(urls):
    for url in urls["hashed"]:
        status, headers, _ = get(url)
        assert status == 200, url
        assert (max_age(headers) or 0) >= YEAR, (url, headers.get("Cache-Control"))


def test_files_named_without_content_hash_are_revalidated(urls):
    for url in urls["unhashed"]:
        status, headers, _ = get(url)
        assert status == 200, url
        assert headers.get("Cache-Control") == "no-cache", url


def test_text_is_gzipped(urls, site, nginx_url):
    for url in [urls["page"], urls["hashed"][0], urls["hashed"][1], urls["unhashed"][1]]:
        status, headers, body = get(url, {"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip", url
        assert "Accept-Encoding" in headers.get("Vary", ""), url
        path = url[len(nginx_url) :]
        original = (site / path / "index.html") if path.endswith("/") else (site / path)
        assert gzip.decompress(body) == original.read_bytes(), url
        assert len(body) < original.stat().st_size / 2, url


def test_directory_without_slash_redirects_by_path(nginx_url):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(nginx_url + "2022", timeout=10)
        raise AssertionError("expected a redirect")
    except urllib.error.HTTPError as error:
        assert error.code == 301 and error.headers["Location"] == "/2022/"


def test_missing_page_gets_the_site_404_page(urls, site):
    status, headers, body = get(urls["missing"])
    assert status == 404
    assert body == (site / "404.html").read_bytes()


def test_dotfiles_are_not_served(site, tmp_path):
    """A .git/ or .env placed in the web root by mistake, and publish's own marker, answer 404."""
    root = tmp_path / "root"
    (root / ".git").mkdir(parents=True)
    (root / "2022/.hidden").mkdir(parents=True)
    shutil.copy(site / "404.html", root / "404.html")
    files = {"index.html": "<p>首页</p>", ".git/config": "[remote]", ".env": "SECRET=1",
             ".party-site-publish": "marker", "2022/.htpasswd": "u:p", "2022/.hidden/page.html": "x",
             "2022/index.html": "<p>2022</p>"}
    for name, text in files.items():
        (root / name).write_text(text, "utf-8")
    with nginx(root, tmp_path / "nginx") as url:
        assert get(url)[0] == 200 and get(url + "2022/")[0] == 200
        for path in (".git/config", ".git/", ".git", ".env", ".party-site-publish", "2022/.htpasswd",
                     "2022/.hidden/page.html", "%2egit/config", "2022/%2Ehtpasswd", "x/../.env"):
            status, headers, body = get(url + path)
            assert status == 404 and body == (site / "404.html").read_bytes(), (path, status)
            assert "default-src 'self'" in headers.get("Content-Security-Policy", ""), path


def test_stock_material_inline_scripts_would_violate_the_csp(tmp_path, browser):
    """The reason for the theme's partials/javascripts/: without them the CSP blocks Material's own inline
    scripts, and the watcher sees it (so a silent CSP console means something). Shown on the tiny site,
    whose theme.custom_dir (searched before the theme) brings back Material's originals."""
    project = project_copy(tmp_path / "project", SITES / "basic")
    stock = project / "stock/partials/javascripts"
    stock.mkdir(parents=True)
    for ours in (THEME / "partials/javascripts").iterdir():
        shutil.copy2(MATERIAL / "templates/partials/javascripts" / ours.name, stock / ours.name)
    edit(project / "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: stock\n")
    out = tmp_path / "site"
    result = build(project, out)
    assert result.returncode == 0, result.output
    context = browser.new_context()
    try:
        watch = Watch()
        page = watch.attach(context)
        with nginx(out, tmp_path / "nginx") as url:
            watch.visit(page, url + "2022/")
        problems = watch.all_problems()
        assert any("CSP violation: script-src" in p for p in problems), problems
        assert any("Content Security Policy" in p for p in problems if "console error" in p), problems
    finally:
        context.close()


# ---- the commented access-control examples work when uncommented ------------------------------


def uncomment(conf: str, *directives: str) -> str:
    for directive in directives:
        conf, count = re.subn(rf"^(\s*)# ({re.escape(directive)})", r"\1\2", conf, flags=re.MULTILINE)
        assert count >= 1, f"deploy/nginx.conf has no commented example for {directive!r}"
    return conf


def test_ip_allow_list_example(site, tmp_path):
    conf = SITE_CONF.read_text("utf-8")
    allowed = uncomment(conf, "allow ", "deny all;")
    with nginx(site, tmp_path / "allowed", allowed) as url:
        assert get(url)[0] == 200  # 127.0.0.1 is in the example's list
    refused = allowed.replace("allow 127.0.0.1;", "")
    with nginx(site, tmp_path / "refused", refused) as url:
        assert get(url)[0] == 403


def test_basic_auth_example(site, tmp_path):
    password_file = tmp_path / "htpasswd"
    password_file.write_text("dangyuan:{PLAIN}s3cret\n")
    conf = uncomment(SITE_CONF.read_text("utf-8"), "auth_basic ", "auth_basic_user_file ")
    conf = conf.replace("/etc/nginx/party-site.htpasswd;", f"{password_file};")
    with nginx(site, tmp_path / "auth", conf) as url:
        status, headers, _ = get(url)
        assert status == 401 and "Basic" in headers.get("WWW-Authenticate", "")
        token = base64.b64encode(b"dangyuan:s3cret").decode()
        assert get(url, {"Authorization": f"Basic {token}"})[0] == 200
        assert get(url, {"Authorization": "Basic " + base64.b64encode(b"dangyuan:wrong").decode()})[0] == 401
