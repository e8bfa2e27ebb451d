"""编辑此页 links to the intranet git server (never contacted by the browser) and 最后更新 dates
from git history, with fallbacks for a tree without history and for a shallow clone."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer

import pytest
from conftest import ENV, _QuietHandler, build, free_port, read

REPO = "http://git.example.internal/dangzhibu/site"
UPDATED = re.compile(r'最后更新：(不晚于)?<time datetime="([\d-]+)"( title="[^"]+")?>([^<]+)</time>')


def git(cwd, *args, date=None):
    env = {**ENV, "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.internal",
           "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.internal"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def updated(site, page):
    match = UPDATED.search(read(site, page))
    assert match, page
    return match.group(1) or "", match.group(2), match.group(3) or "", match.group(4)


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    """The real project built with REPO_URL set (the only place the address is configured)."""
    from conftest import ROOT

    out = tmp_path_factory.mktemp("linked")
    result = build(ROOT, out, env={"REPO_URL": REPO})
    assert result.returncode == 0, result.stderr
    return out


def test_every_page_links_to_its_source_in_the_web_editor(linked):
    pages = sorted(linked.rglob("index.html"))
    assert len(pages) >= 8
    for page in pages:
        html = page.read_text("utf-8")
        if html.count('class="md-content"') == 0:
            continue  # 404 and the like
        src = re.search(rf'href="{REPO}/_edit/main/docs/([^"]+\.md)" rel="edit">编辑此页</a>', html)
        assert src, page
        rel = page.parent.relative_to(linked).as_posix()
        assert src.group(1) in (f"{rel}.md", f"{rel}/index.md", "index.md" if rel == "." else None), (rel, src[1])
    political = read(linked, "2022/work/political")
    assert f'href="{REPO}/_edit/main/data/2022/figures.yaml" rel="edit">编辑本年度数据</a>' in political


def test_no_repository_widget_and_the_address_only_in_edit_links(linked):
    for path in linked.rglob("*"):
        if path.suffix not in (".html", ".js", ".json", ".xml", ".css"):
            continue
        text = path.read_text("utf-8", errors="replace")
        assert 'data-md-component="source"' not in text, path
        for match in re.finditer(re.escape("git.example.internal"), text):
            before = text[max(0, match.start() - 200): match.start()]
            assert before.rstrip("/:htps").endswith('href="'), (path, text[match.start() - 80: match.end() + 80])


def test_browser_never_contacts_the_git_server(linked, browser):
    port = free_port()
    handler = partial(_QuietHandler, directory=str(linked))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        hosts = []
        page.on("request", lambda request: hosts.append(request.url.split("/")[2]))
        page.goto(f"http://127.0.0.1:{port}/2022/work/political/")
        page.wait_for_load_state("networkidle")
        time.sleep(0.5)
        link = page.get_by_role("link", name="编辑此页")
        assert link.get_attribute("href") == f"{REPO}/_edit/main/docs/2022/work/political.md"
        assert link.is_visible()
        page.close()
    finally:
        server.shutdown()
    assert hosts and set(hosts) == {f"127.0.0.1:{port}"}


def test_without_repo_url_no_edit_link(site):
    html = read(site, "2022/work/political")
    assert "编辑此页" not in html and 'rel="edit"' not in html
    assert UPDATED.search(html)


def test_dates_without_history_use_file_time(project, tmp_path):
    stamp = time.mktime((2023, 1, 10, 12, 0, 0, 0, 0, -1))
    for path in project.rglob("*"):
        os.utime(path, (stamp, stamp))
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert updated(tmp_path / "out", "2022/work/political") == (
        "", "2023-01-10", ' title="没有版本历史，按文件修改时间"', "2023年1月10日"
    )


def test_dates_from_git_history_and_shallow_clone(project, tmp_path):
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "一", date="2024-03-05T10:00:00+08:00")
    figures = project / "data/2022/figures.yaml"
    figures.write_text(figures.read_text("utf-8").replace("study.sessions: 24", "study.sessions: 25"), "utf-8")
    git(project, "commit", "-q", "-am", "二", date="2024-04-01T10:00:00+08:00")
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert updated(out, "2022/work/political") == ("", "2024-04-01", "", "2024年4月1日")  # its data changed
    assert updated(out, ".")[1] == "2024-04-01"  # the home page lists every year's data


    # uncommitted edits (previewing with make serve) show the file's own time
    figures.write_text(figures.read_text("utf-8").replace("study.sessions: 25", "study.sessions: 26"), "utf-8")
    stamp = time.mktime((2024, 5, 6, 12, 0, 0, 0, 0, -1))
    os.utime(figures, (stamp, stamp))
    result = build(project, tmp_path / "dirty")
    assert result.returncode == 0, result.stderr
    assert updated(tmp_path / "dirty", "2022/work/political")[1] == "2024-05-06"

    # a shallow clone (CI): the oldest visible commit seems to add every file, so its date is an upper bound
    git(project, "checkout", "-q", "--", ".")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{project}", str(clone))
    result = build(clone, tmp_path / "shallow")
    assert result.returncode == 0, result.stderr
    assert updated(tmp_path / "shallow", "2022/work/political") == ("不晚于", "2024-04-01", "", "2024年4月1日")


def test_file_dates_per_file(tmp_path):
    from macros.gitdates import FileDates

    (tmp_path / "a.md").write_text("一", "utf-8")
    (tmp_path / "b.md").write_text("二", "utf-8")
    (tmp_path / "说明.md").write_text("中文文件名", "utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "一", date="2024-03-05T10:00:00+08:00")
    (tmp_path / "b.md").write_text("三", "utf-8")
    git(tmp_path, "commit", "-q", "-am", "二", date="2024-04-01T10:00:00+08:00")
    (tmp_path / "c.md").write_text("新", "utf-8")
    dates = FileDates(tmp_path)
    assert (dates.stamp("a.md").date.isoformat(), dates.stamp("a.md").source) == ("2024-03-05", "git")
    assert (dates.stamp("b.md").date.isoformat(), dates.stamp("b.md").source) == ("2024-04-01", "git")
    assert dates.stamp("说明.md").source == "git"  # git quotes such names unless told not to
    assert dates.stamp("c.md").source == "file"  # not committed yet
    assert dates.stamp("missing.md") is None
    assert dates.latest(["a.md", "b.md"]).date.isoformat() == "2024-04-01"
