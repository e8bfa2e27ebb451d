"""`make publish DEST=…`: a good build replaces the published site with one rename; a failing build
(bad data, broken link) leaves it byte-identical. Each case runs the real make target on a small site."""

from __future__ import annotations

import hashlib
import os
import subprocess
import threading

import pytest
from conftest import ENV, ROOT


def publish(project, dest):
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "publish", f"DEST={dest}", f"CONFIG={project}/mkdocs.yml"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )


def snapshot(root) -> dict[str, str]:
    """Every file under root: relative path -> sha256 of its bytes (and each directory, as '/')."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        found[key] = "/" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def leftovers(dest) -> list[str]:
    """Anything publish left next to DEST besides DEST itself and its lock file."""
    return sorted(p.name for p in dest.parent.iterdir() if p.name not in {dest.name, f".{dest.name}.publish.lock"})


@pytest.fixture()
def published(project, tmp_path):
    """A site published once from the project copy: (project, dest, snapshot of dest)."""
    dest = tmp_path / "www" / "site"
    result = publish(project, dest)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已发布到" in result.stdout
    assert (dest / "index.html").is_file() and (dest / "2022/index.html").is_file()
    assert (dest / ".party-site-publish").is_file(), "marked: a later publish may replace it"
    return project, dest, snapshot(dest)


def test_publish_swaps_in_the_new_build(published):
    project, dest, before = published
    (dest / "stale.html").write_text("left over from an old build")
    inode = dest.stat().st_ino
    edit(project / "data/2022/figures.yaml", "study.sessions: 24", "study.sessions: 31")

    result = publish(project, dest)
    assert result.returncode == 0, result.stdout + result.stderr
    assert dest.stat().st_ino != inode, "a new directory was renamed into place, not files copied into the old"
    assert not (dest / "stale.html").exists()
    html = (dest / "2022/work/political/index.html").read_text("utf-8")
    assert 'data-fig="study.sessions"' in html and ">31</span>" in html
    assert snapshot(dest) != before
    umask = os.umask(0)
    os.umask(umask)
    assert dest.stat().st_mode & 0o777 == 0o777 & ~umask, "not mkdtemp's 0700: the web server can read it"
    assert leftovers(dest) == []


def test_bad_data_leaves_the_published_site_byte_identical(published):
    project, dest, before = published
    edit(project / "data/2022/figures.yaml", "study.sessions: 24", "study.sessions: 十二")
    result = publish(project, dest)
    assert result.returncode != 0
    assert "study.sessions" in result.stderr and "保持原样" in result.stderr
    assert snapshot(dest) == before
    assert leftovers(dest) == []


def test_broken_link_leaves_the_published_site_byte_identical(published):
    project, dest, before = published
    page = project / "docs/2022/problems.md"
    page.write_text(page.read_text("utf-8") + "\n参见[坏链接](no-such-page.md)。\n", "utf-8")
    result = publish(project, dest)
    assert result.returncode != 0
    assert "no-such-page.md" in result.stdout + result.stderr and "保持原样" in result.stderr
    assert snapshot(dest) == before
    assert leftovers(dest) == []


def test_readers_never_see_a_missing_or_half_site(published):
    """While a publish runs, a reader polling the site always finds a complete page."""
    project, dest, _ = published
    edit(project / "data/2022/figures.yaml", "study.sessions: 24", "study.sessions: 31")
    stop, misses, reads = threading.Event(), [], [0]

    def reader():
        while not stop.is_set():
            try:
                text = (dest / "2022/work/political/index.html").read_text("utf-8")
                if not text.rstrip().endswith("</html>"):
                    misses.append("truncated")
            except OSError as error:
                misses.append(repr(error))
            reads[0] += 1

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        result = publish(project, dest)
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr
    assert "原子交换" in result.stdout, result.stdout
    assert reads[0] > 100 and misses == []


def test_publish_refuses_the_checkout_and_touches_nothing(project):
    """Issue 12: `make publish DEST=.` deleted the repository. Here DEST is a copy of the project."""
    (project / "uncommitted.md").write_text("还没提交的文字", "utf-8")
    before = snapshot(project)
    result = publish(project, project)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert len(lines) == 1 and lines[0].startswith("拒绝发布：") and "就是代码仓库本身" in lines[0]
    assert snapshot(project) == before
    assert "已发布" not in result.stdout


def test_publish_without_dest_explains_usage():
    result = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "publish"], capture_output=True,
                            text=True, env={**ENV, "DEST": ""}, timeout=60)
    assert result.returncode != 0 and "make publish DEST=" in result.stdout

