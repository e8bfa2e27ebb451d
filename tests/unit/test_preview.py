"""What the preview rebuilds after a save (macros/site/preview.py): decided from the files that changed."""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

from macros.site.preview import ALL, Preview, changed_years, snapshot, stale


def test_a_years_files_make_that_year_stale_and_anything_else_everything():
    before = {"data/2022/figures.yaml": (1, 10), "docs/2023/index.md": (1, 5), "data/catalogue.yaml": (1, 9)}
    assert changed_years(before, dict(before)) == set()
    assert changed_years(before, {**before, "data/2022/figures.yaml": (2, 10)}) == {2022}
    assert changed_years(before, {**before, "docs/2023/new.md": (1, 1)}) == {2023}
    # the 台账 of 2023 also ticks the 2023 清单, kept with (and shown on the pages of) 2022
    assert changed_years(before, {**before, "data/records/2023/2023-04-18-study.yaml": (1, 1)}) == {2022, 2023}
    assert changed_years(before, {**before, "data/records/2023/roster.yaml": (1, 1)}) == {2022, 2023}
    assert changed_years(before, {**before, "data/catalogue.yaml": (2, 9)}) is ALL  # shared data
    assert changed_years(before, {**before, "macros/pages/render.py": (1, 1)}) is ALL  # code
    gone = dict(before)
    del gone["docs/2023/index.md"]
    assert changed_years(before, gone) == {2023}


def test_a_reports_cut_off_reaches_the_ledgers_it_governs():
    """data/2022/report.yaml's 统计截至 date cuts the 2022 台账 and the 2023 台账 (no 2023 report yet),
    whose 清单 is on the 2022 pages; a 2023 report would cut the 2023 台账, ticking that 清单 too."""
    before = {"data/2022/report.yaml": (1, 1), "data/2022/figures.yaml": (1, 1)}
    assert changed_years(before, {**before, "data/2022/report.yaml": (2, 1)}) == {2021, 2022, 2023}
    assert changed_years(before, {**before, "data/2022/figures.yaml": (2, 1)}) == {2022}
    assert changed_years(before, {**before, "data/2023/report.yaml": (2, 1)}) == {2022, 2023, 2024}


def test_cross_year_shared_inputs_rebuild_every_page():
    before = {name: (1, 1) for name in ("data/activity_types.yaml", "data/rules.yaml", "data/catalogue.yaml",
                                        "data/branch.yaml", "schemas/record.schema.json")}
    for name in before:
        assert changed_years(before, {**before, name: (2, 1)}) is ALL, name


def test_a_deleted_page_leaves_the_search_index(tmp_path):
    preview = Preview(search=[{"location": "a/", "text": "a"}, {"location": "gone/", "text": "gone"},
                              {"location": "gone/#s", "text": "gone s"}])
    preview.built = {"b/"}
    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"config": {}, "docs": [{"location": "b/", "text": "b"}]}))
    preview.merge_search_index(index, ["a/", "b/"])  # gone/ is no longer a page
    assert json.loads(index.read_text())["docs"] == [{"location": "a/", "text": "a"}, {"location": "b/", "text": "b"}]


def test_stale_pages_are_the_years_pages_and_every_page_outside_year_folders():
    assert stale("2022/work/political.md", {2022}) and not stale("2023/index.md", {2022})
    assert stale("index.md", set()) and stale("figures/index.md", {2022}) and stale("guide/fields.md", set())
    assert stale("2023/index.md", ALL)
    assert stale("records/2022/ledger.md", {2022}) and not stale("records/2023/ledger.md", {2022})
    assert stale("records/index.md", {2022})


def test_first_build_and_a_changed_navigation_rebuild_everything():
    preview = Preview()
    inputs = {"data/2022/figures.yaml": (1, 1)}
    assert preview.plan(inputs, ["nav"]) is ALL
    preview.commit()
    assert preview.plan({"data/2022/figures.yaml": (2, 1)}, ["nav"]) == {2022}
    assert preview.plan(inputs, ["nav", "a new page"]) is ALL


def test_a_failed_build_does_not_advance_the_snapshot():
    preview = Preview()
    preview.plan({"data/2022/figures.yaml": (1, 1)}, [])
    preview.commit()
    preview.plan({"data/2022/figures.yaml": (2, 1)}, [])  # this build fails: no commit
    assert preview.plan({"data/2022/figures.yaml": (2, 1)}, []) == {2022}


def test_snapshot_covers_folders_and_files(tmp_path):
    (tmp_path / "data/2022").mkdir(parents=True)
    (tmp_path / "data/2022/figures.yaml").write_text("a: 1")
    (tmp_path / "mkdocs.yml").write_text("x")
    found = snapshot(tmp_path, [tmp_path / "data"], [tmp_path / "mkdocs.yml"])
    assert set(found) == {"data/2022/figures.yaml", "mkdocs.yml"}


def _file(tmp_path, src, built=True):
    dest = tmp_path / "site" / src.replace(".md", ".html")
    if built:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text("old")
    return SimpleNamespace(src_uri=src, abs_dest_path=str(dest), page=SimpleNamespace(markdown=None, title=None))


def test_stale_outputs_are_dated_1970_so_mkdocs_dirty_check_rebuilds_them(tmp_path):
    files = [_file(tmp_path, "2022/index.md"), _file(tmp_path, "2023/index.md"), _file(tmp_path, "index.md")]
    Preview().mark_stale(SimpleNamespace(documentation_pages=lambda: files), {2022})
    assert [os.path.getmtime(f.abs_dest_path) == 0 for f in files] == [True, False, True]


def test_pages_not_rebuilt_keep_their_titles_and_search_entries(tmp_path):
    preview = Preview(titles={"2022/index.md": "报告概览"})
    kept = _file(tmp_path, "2022/index.md")
    preview.restore_titles(SimpleNamespace(documentation_pages=lambda: [kept]))
    assert kept.page.title == "报告概览"

    preview.search = [{"location": "a/", "text": "old a"}, {"location": "b/", "text": "old b"},
                      {"location": "b/#s", "text": "old b s"}]
    preview.built = {"b/"}
    index = tmp_path / "search_index.json"
    # Material's own dirty merge may leave a rebuilt page's old entries before its new ones
    docs = [{"location": "b/", "text": "old b"}, {"location": "b/", "text": "new b"}]
    index.write_text(json.dumps({"config": {}, "docs": docs}))
    preview.merge_search_index(index, ["a/", "b/"])
    assert json.loads(index.read_text())["docs"] == [{"location": "a/", "text": "old a"},
                                                     {"location": "b/", "text": "new b"}]


def test_a_years_change_keeps_the_themes_own_pages_anything_else_rebuilds_them():
    def theme():
        return SimpleNamespace(theme=SimpleNamespace(static_templates={"404.html", "sitemap.xml", "x.html"}))

    kept, full = theme(), theme()
    Preview().keep_theme(kept, {2071})
    Preview().keep_theme(full, ALL)
    assert kept.theme.static_templates == {"x.html"}
    assert full.theme.static_templates == {"404.html", "sitemap.xml", "x.html"}


def test_theme_templates_are_compiled_once_per_session_and_again_when_edited(tmp_path, monkeypatch):
    from jinja2 import Environment, FileSystemLoader

    page = tmp_path / "main.html"
    page.write_text("<p>{{ title }}</p>", "utf-8")
    preview, compiled = Preview(), []
    original = Environment.compile

    def counting(self, source, *args, **kwargs):
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    for _ in range(3):  # every rebuild makes a new theme environment
        env = Environment(loader=FileSystemLoader(str(tmp_path)))
        preview.reuse_compiled(env)
        assert env.get_template("main.html").render(title="一") == "<p>一</p>"
    assert len(compiled) == 1
    page.write_text("<h1>{{ title }}</h1>", "utf-8")  # an edit of a theme template
    env = Environment(loader=FileSystemLoader(str(tmp_path)))
    preview.reuse_compiled(env)
    assert env.get_template("main.html").render(title="二") == "<h1>二</h1>" and len(compiled) == 2
