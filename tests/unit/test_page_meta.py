"""Per-page additions (macros/site/page_meta.py): figure anchors, 最后更新 from git history with its
fallbacks (no history, uncommitted edits, a shallow clone), 编辑此页 and 编辑本年度数据 links."""

from __future__ import annotations

import os
import subprocess
import time
from types import SimpleNamespace

import jinja2
from helpers.files import ENV, ROOT

from macros.pages.render import anchor
from macros.site.assets import THEME
from macros.site.gitdates import FileDates
from macros.site.page_meta import add_figure_anchors, dependencies, set_meta


def git(cwd, *args, date=None):
    env = {**ENV, "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.internal",
           "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.internal",
           "GIT_CONFIG_GLOBAL": "/dev/null"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def set_mtime(path, *day):
    stamp = time.mktime((*day, 12, 0, 0, 0, 0, -1))
    os.utime(path, (stamp, stamp))


# -- figure anchors ---------------------------------------------------------------------------------
def test_each_use_of_a_figure_gets_an_anchor_before_it():
    html = ('<p><span class="fig" data-fig="a.b" title="t">1</span> <span class="fig fig--missing" data-fig="a.b">'
            '待填</span> <span class="fig" data-fig="c">x</span></p>')
    assert add_figure_anchors(html) == (
        '<p><span class="fig-anchor" id="fig-a.b"></span><span class="fig" data-fig="a.b" title="t">1</span> '
        '<span class="fig-anchor" id="fig-a.b-2"></span><span class="fig fig--missing" data-fig="a.b">待填</span> '
        '<span class="fig-anchor" id="fig-c"></span><span class="fig" data-fig="c">x</span></p>'
    )
    assert anchor("a.b", 0) == "fig-a.b" and anchor("a.b", 2) == "fig-a.b-3"
    assert add_figure_anchors("<p>没有数字</p>") == "<p>没有数字</p>"


# -- which files date a page -----------------------------------------------------------------------
def test_a_page_is_dated_by_its_file_and_the_data_it_shows():
    year_page = dependencies(ROOT, "docs", "2022/work/political.md", "{{ fig('x') }}")
    assert year_page[0] == "docs/2022/work/political.md"
    assert "data/2022/figures.yaml" in year_page and "data/branch.yaml" not in year_page
    assert not any(d.startswith("docs/2022/") and d != year_page[0] for d in year_page)
    full = dependencies(ROOT, "docs", "2022/full.md", '{{ include_section("work/political.md") }}')
    assert "docs/2022/work/political.md" in full  # a page that assembles others
    guide = dependencies(ROOT, "docs", "guide/completeness.md", "{{ completeness() }}")
    assert "data/branch.yaml" in guide and "data/2022/figures.yaml" in guide  # all of data/
    assert dependencies(ROOT, "docs", "guide/index.md", "没有宏") == ["docs/guide/index.md"]


# -- dates from git ---------------------------------------------------------------------------------
def test_dates_per_file_from_git_then_file_time(tmp_path):
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
    # an uncommitted edit (previewing with make serve) shows the file's own time
    (tmp_path / "a.md").write_text("改", "utf-8")
    set_mtime(tmp_path / "a.md", 2024, 5, 6)
    stamp = FileDates(tmp_path).stamp("a.md")
    assert (stamp.date.isoformat(), stamp.source) == ("2024-05-06", "file")


def test_a_shallow_clone_gives_an_upper_bound(tmp_path):
    origin = tmp_path / "origin"
    origin.mkdir()
    (origin / "a.md").write_text("一", "utf-8")
    (origin / "b.md").write_text("二", "utf-8")
    git(origin, "init", "-q")
    git(origin, "add", ".")
    git(origin, "commit", "-q", "-m", "一", date="2024-03-05T10:00:00+08:00")
    (origin / "b.md").write_text("三", "utf-8")
    git(origin, "commit", "-q", "-am", "二", date="2024-04-01T10:00:00+08:00")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "clone")
    stamp = FileDates(tmp_path / "clone").stamp("a.md")
    # the oldest visible commit seems to add every file: a.md changed no later than it
    assert (stamp.date.isoformat(), stamp.source, stamp.upper_bound) == ("2024-04-01", "shallow", True)


def test_without_history_the_file_time(tmp_path):
    (tmp_path / "a.md").write_text("一", "utf-8")
    set_mtime(tmp_path / "a.md", 2023, 1, 10)
    stamp = FileDates(tmp_path).stamp("a.md")
    assert (stamp.date.isoformat(), stamp.source) == ("2023-01-10", "file")


def test_a_subfolder_of_a_repository_is_dated_by_its_own_paths(tmp_path):
    (tmp_path / "site/docs").mkdir(parents=True)
    (tmp_path / "site/docs/a.md").write_text("一", "utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "一", date="2024-03-05T10:00:00+08:00")
    assert FileDates(tmp_path / "site").stamp("docs/a.md").source == "git"


# -- what a page gets -------------------------------------------------------------------------------
def page_and_config(src, edit_url=None, root=ROOT):
    page = SimpleNamespace(file=SimpleNamespace(src_uri=src, abs_src_path=str(root / "docs" / src)),
                           meta={}, edit_url=edit_url)
    config = SimpleNamespace(config_file_path=str(root / "mkdocs.yml"), docs_dir=str(root / "docs"))
    return page, config


def test_meta_dates_and_the_data_edit_link():
    repo = "http://git.example.internal/dangzhibu/site/_edit/main/"
    page, config = page_and_config("2022/work/political.md", repo + "docs/2022/work/political.md")
    set_meta(page, config, FileDates(ROOT))
    assert page.meta["last_updated"].endswith("日") and page.meta["last_updated_iso"][:2] == "20"
    assert page.meta["last_updated_source"] in {"git", "file", "shallow"}
    assert page.meta["edit_data_url"] == repo + "data/2022/figures.yaml"
    guide, config = page_and_config("guide/index.md", repo + "docs/guide/index.md")
    set_meta(guide, config, FileDates(ROOT))
    assert "edit_data_url" not in guide.meta  # not a year's page
    no_repo, config = page_and_config("2022/work/political.md")
    set_meta(no_repo, config, None)
    assert no_repo.meta == {}


def render_footer(meta, edit_url=None) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(THEME / "partials"))
    lang = SimpleNamespace(t={"source.file.date.updated": "最后更新", "action.edit": "编辑此页"}.get)
    return env.get_template("source-file.html").render(page=SimpleNamespace(meta=meta, edit_url=edit_url), lang=lang)


def test_the_footer_says_how_sure_the_date_is():
    meta = {"last_updated": "2024年4月1日", "last_updated_iso": "2024-04-01"}
    git_date = render_footer({**meta, "last_updated_source": "git"})
    assert '最后更新：<time datetime="2024-04-01">2024年4月1日</time>' in git_date
    assert '最后更新：不晚于<time datetime="2024-04-01">' in render_footer({**meta, "last_updated_source": "shallow"})
    assert 'title="没有版本历史，按文件修改时间">2024年4月1日</time>' in render_footer(
        {**meta, "last_updated_source": "file"})
    assert "rel=\"edit\"" not in git_date
    linked = render_footer({**meta, "last_updated_source": "git", "edit_data_url": "http://x/data/2022/figures.yaml"},
                           "http://x/docs/2022/a.md")
    assert '<a class="md-source-file__fact page-meta__edit" href="http://x/docs/2022/a.md" rel="edit">编辑此页</a>' in linked
    assert 'href="http://x/data/2022/figures.yaml" rel="edit">编辑本年度数据</a>' in linked
    assert render_footer({}).strip() == ""
