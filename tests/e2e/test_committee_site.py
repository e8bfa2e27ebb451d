"""The committee site (make committee on examples/committee/) behind the real nginx with
deploy/committee-nginx.conf: who reads what, by HTTP basic auth and by a single sign-on proxy's
header (auth_request); the 汇总 in Chromium (sorting, links into the branches, A4 print); the
redacted offline copy opened from disk."""

from __future__ import annotations

import base64
import http.client
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers.browser import Watch
from helpers.files import ENV, ROOT
from helpers.servers import SITE_CONF, nginx

pytestmark = pytest.mark.e2e

CONF = ROOT / "deploy/committee-nginx.conf"
EXAMPLE = ROOT / "examples/committee"
PASSWORD = "口令-test-1"
GROUPS = {"zhang": "committee", "li": "office", "wang": '"general, office"', "zhao": None}  # zhao: no group
SCREENSHOTS = ROOT / "test-results"


def build(out: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "macros.committee.build", "--root", str(EXAMPLE), "--out", str(out),
                           *flags], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def committee_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("committee") / "site"
    result = build(out)
    assert result.returncode == 1 and "finance" in result.stderr, result.stdout + result.stderr
    return out


def hashed_password(password: str) -> str:
    return subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=password, capture_output=True, text=True,
                          check=True).stdout.strip()


def basic_conf(tmp: Path) -> str:
    """The shipped file with the account files in `tmp` (deploy/committee-nginx.conf's commands)."""
    tmp.mkdir(parents=True, exist_ok=True)
    line = hashed_password(PASSWORD)
    (tmp / "htpasswd").write_text("".join(f"{user}:{line}\n" for user in GROUPS), "utf-8")
    (tmp / "groups.map").write_text("".join(f"{u} {g};\n" for u, g in GROUPS.items() if g), "utf-8")
    text = CONF.read_text("utf-8").replace("/etc/nginx/party-committee/", f"{tmp}/")
    assert not re.search(r"^[^#]*/etc/nginx", text, re.M)
    return text


def sso_conf(port: int) -> str:
    """The file switched to the single sign-on proxy as its comments say: [basic] lines deleted, #sso lines on."""
    text = CONF.read_text("utf-8")
    text, deleted = re.subn(r"^.*# \[basic\]\n", "", text, flags=re.M)
    assert deleted == 3
    text, enabled = re.subn(r"^#sso ", "", text, flags=re.M)
    assert enabled >= 10
    return text.replace("127.0.0.1:4180", f"127.0.0.1:{port}")


def get(url: str, user: str | None = None, password: str = PASSWORD, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    if user:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def asset(site: Path, suffix: str) -> str:
    [found] = sorted((site / "_committee").glob(f"committee.*.{suffix}"))
    return f"_committee/{found.name}"


@pytest.fixture(scope="module")
def basic_url(committee_site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx-basic")
    with nginx(committee_site, tmp, basic_conf(tmp / "auth")) as url:
        yield url


# ---- who reads what: HTTP basic auth ---------------------------------------------------------------

def test_a_member_reads_only_their_branch(basic_url, committee_site):
    for path in ("office/", "office/records/2023/", "office/2022/plan/tasks/", "office/search/search_index.json"):
        assert get(basic_url + path, "li")[0] == 200, path
    for path in ("general/", "general/records/2023/", "", "index.html", asset(committee_site, "css")):
        assert get(basic_url + path, "li")[0] == 403, path
    assert get(basic_url + "office/no-such-page/", "li")[0] == 404
    assert get(basic_url + "general/no-such-page/", "li")[0] == 403  # not even whether it exists


def test_a_member_of_two_branches_reads_both_but_not_the_summary(basic_url):
    assert get(basic_url + "office/", "wang")[0] == 200 and get(basic_url + "general/", "wang")[0] == 200
    assert get(basic_url + "", "wang")[0] == 403


def test_the_committee_reads_everything(basic_url, committee_site):
    status, headers, body = get(basic_url, "zhang")
    assert status == 200 and "所属党支部工作汇总" in body.decode("utf-8")
    for path in ("office/", "general/records/2023/", asset(committee_site, "js")):
        assert get(basic_url + path, "zhang")[0] == 200, path
    status, headers, _ = get(basic_url + asset(committee_site, "css"), "zhang")
    assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
    assert get(basic_url, "zhang")[1]["Cache-Control"] == "no-cache"


def test_no_group_wrong_password_or_no_account(basic_url):
    assert get(basic_url + "office/", "zhao")[0] == 403 and get(basic_url, "zhao")[0] == 403
    assert get(basic_url + "office/", "li", password="wrong")[0] == 401
    assert get(basic_url + "office/")[0] == 401
    assert get(basic_url + "office/", "nobody")[0] == 401


def test_a_path_cannot_climb_into_another_branch(basic_url):
    port = int(basic_url.rsplit(":", 1)[1].strip("/"))
    token = base64.b64encode(f"li:{PASSWORD}".encode()).decode()
    for path in ("/office/../general/", "/office/%2e%2e/general/", "//general/", "/office/..%2fgeneral/"):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers={"Authorization": f"Basic {token}"})
        status = connection.getresponse().status
        connection.close()
        assert status in (400, 403, 404), (path, status)


def test_build_files_are_never_served(basic_url):
    for path in (".committee/office.json", ".party-committee", "office/.party-committee", ".committee.lock"):
        assert get(basic_url + path, "zhang")[0] == 404, path


def test_the_headers_are_the_branch_sites_own(basic_url):
    policy = re.search(r'add_header Content-Security-Policy "([^"]+)"', SITE_CONF.read_text("utf-8")).group(1)
    for path in ("", "office/"):
        headers = get(basic_url + path, "zhang")[1]
        assert headers["Content-Security-Policy"] == policy
        assert headers["X-Content-Type-Options"] == "nosniff"


# ---- who reads what: the single sign-on proxy's header (auth_request) ---------------------------

SSO_USERS = {"zhang": "committee", "li": "office"}


class FakeSSO(BaseHTTPRequestHandler):
    """A single sign-on proxy's check endpoint: the session cookie names the user; 202 with the user's
    groups in X-Party-Groups, or 401."""

    def do_GET(self):  # noqa: N802
        match = re.search(r"sso=(\w+)", self.headers.get("Cookie", ""))
        groups = SSO_USERS.get(match.group(1)) if match else None
        self.send_response(202 if groups else 401)
        if groups:
            self.send_header("X-Party-Groups", groups)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def sso_url(committee_site, tmp_path_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSSO)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with nginx(committee_site, tmp_path_factory.mktemp("nginx-sso"), sso_conf(server.server_address[1])) as url:
            yield url
    finally:
        server.shutdown()


def test_sso_header_lets_a_member_read_only_their_branch(sso_url):
    li = {"Cookie": "sso=li"}
    assert get(sso_url + "office/", headers=li)[0] == 200
    assert get(sso_url + "office/records/2023/", headers=li)[0] == 200
    for path in ("general/", "", "index.html"):
        assert get(sso_url + path, headers=li)[0] == 403, path


def test_sso_committee_reads_all_and_strangers_are_sent_to_log_in(sso_url):
    zhang = {"Cookie": "sso=zhang"}
    for path in ("", "office/", "general/records/2023/"):
        assert get(sso_url + path, headers=zhang)[0] == 200, path
    status, headers, _ = get(sso_url + "general/")
    assert status == 302 and headers["Location"] == "/oauth2/start?rd=/general/"


def test_sso_ignores_a_forged_basic_account(sso_url):
    forged = {"Cookie": "sso=li", "Authorization": "Basic " + base64.b64encode(b"zhang:x").decode()}
    assert get(sso_url + "", headers=forged)[0] == 403
    assert get(sso_url + "general/", headers=forged)[0] == 403


# ---- the 汇总 in the browser -----------------------------------------------------------------------

def test_the_summary_in_chromium_sorts_links_and_prints_on_a4(browser, basic_url):
    context = browser.new_context(http_credentials={"username": "zhang", "password": PASSWORD},
                                  viewport={"width": 1280, "height": 900})
    watch = Watch()
    page = watch.attach(context)
    try:
        watch.visit(page, basic_url)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "committee-summary.png"), full_page=True)
        assert page.title() == "机关党委所属党支部工作汇总"
        matrix = page.locator("#meetings table")
        rows = lambda: matrix.locator("tbody th").all_inner_texts()  # noqa: E731
        assert [r.split("\n")[0] for r in rows()] == ["机关党委办公室党支部", "机关党委综合处党支部", "机关党委财务处党支部"]
        theme_day = matrix.locator("thead th", has_text="主题党日")
        theme_day.locator("button").click()  # fewest months missed first
        assert theme_day.get_attribute("aria-sort") == "ascending"
        assert rows()[0].startswith("机关党委财务处党支部") and rows()[-1].startswith("机关党委综合处党支部")
        theme_day.locator("button").click()
        assert theme_day.get_attribute("aria-sort") == "descending"
        assert rows()[0].startswith("机关党委综合处党支部")
        assert "data/2022/figures.yaml:8" in page.locator(".alert").inner_text()
        # a cell leads into the branch's own 台账
        matrix.locator("td.cell-missed a").first.click()
        page.wait_for_load_state("load")
        assert page.url == basic_url + "general/records/2023/" and "2023年台账" in page.title()
        watch.collect(page)
        pdf = page.goto(basic_url) and page.pdf(prefer_css_page_size=True, print_background=True)
        (SCREENSHOTS / "committee-summary.pdf").write_bytes(pdf)
        boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
        assert boxes and all(abs(float(w) - 841.89) < 1 and abs(float(h) - 595.28) < 1 for w, h in boxes)
        assert len(boxes) >= 7  # a page per section
        printed = subprocess.run(["pdftotext", "-layout", str(SCREENSHOTS / "committee-summary.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout.split("\f")
        assert all("示例数据" in text for text in printed if text.strip())  # every sheet of paper says it
        assert not watch.all_problems() and not watch.external
    finally:
        context.close()


# ---- the redacted offline copy -----------------------------------------------------------------

def test_the_redacted_offline_copy_opens_from_disk_without_names(browser, tmp_path):
    out = tmp_path / "offline"
    result = build(out, "--redacted", "--offline")
    assert result.returncode == 1, result.stdout + result.stderr
    page_html = (out / "index.html").read_text("utf-8")
    assert "脱敏版" in page_html
    for secretary in ("张某某", "王某某", "赵某某"):
        assert secretary not in page_html
    assert "general/records/2023/index.html" in page_html and not (out / "general/404.html").exists()
    roster = (EXAMPLE / "branches/general/data/records/2023/roster.yaml").read_text("utf-8")
    names = re.findall(r"[\u4e00-\u9fff]某某", roster)
    ledger = (out / "general/records/2023/ledger.html").read_text("utf-8")
    assert names and not any(name in ledger for name in names)
    context = browser.new_context()
    watch = Watch()
    page = watch.attach(context)
    try:
        watch.visit(page, (out / "index.html").as_uri())
        page.locator("#meetings td.cell-missed a").first.click()
        page.wait_for_load_state("load")
        assert page.url == (out / "general/records/2023/index.html").as_uri()
        assert not watch.external
    finally:
        context.close()
    shutil.rmtree(out)


def test_the_summary_has_no_serious_accessibility_violation(browser, basic_url):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(http_credentials={"username": "zhang", "password": PASSWORD})
    watch = Watch()
    page = watch.attach(context)
    try:
        watch.visit(page, basic_url)
        violations = Axe().run(page).response["violations"]
        serious = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}" for v in violations
                   if v["impact"] in {"serious", "critical"}]
        assert serious == []
        assert not watch.all_problems() and not watch.external
    finally:
        context.close()
