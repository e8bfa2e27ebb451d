"""Fewer, smaller files for the browser (macros/site/assets.py) and the Chinese search fix
(macros/site/search_setup.py), on small inputs and on the installed Material worker. That the plugin
applies them to a built site is tests/wiring/test_sites.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import material
import pytest
from mkdocs.exceptions import PluginError
from mkdocs.theme import Theme

from macros.site import assets
from macros.site.search_setup import BUGGY, FIXED, patch_worker

SOURCES = list(assets.THEME_CSS)
WORKER = next((Path(material.__file__).parent / "templates/assets/javascripts/workers").glob("search.*.min.js"))


def css(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    return tmp_path


# -- one stylesheet ---------------------------------------------------------------------------------
def test_the_real_stylesheets_join_minified_in_cascade_order():
    bundle = assets.bundle_css(assets.theme_stylesheets())
    assert len(SOURCES) >= 6 and SOURCES[-1] == "stylesheets/a11y.css"  # the contrast fixes win the cascade
    positions = [bundle.content.index(f"/* {source} */\n") for source in SOURCES]
    assert positions == sorted(positions)
    assert "GB/T 9704" not in bundle.content  # the source comments are not shipped
    assert "@media print" in bundle.content
    assert len(bundle.content.encode()) < 0.75 * sum((assets.THEME / s).stat().st_size for s in SOURCES)
    assert re.fullmatch(r"assets/stylesheets/site\.[0-9a-f]{8}\.min\.css", bundle.name)


def test_the_name_is_the_contents_hash(tmp_path):
    docs = css(tmp_path, {"a.css": "/* 说明 */\n.a {\n  color: red;\n}\n", "b.css": ".b { color: blue; }\n"})
    first = assets.bundle_css(assets.own_stylesheets(docs, ["a.css", "b.css"]))
    assert first.content == "/* a.css */\n.a{color:red}\n/* b.css */\n.b{color:blue}\n"
    assert assets.bundle_css(assets.own_stylesheets(docs, ["a.css", "b.css"])) == first  # the same input, the same name
    (docs / "b.css").write_text(".b { color: green; }\n", "utf-8")
    changed = assets.bundle_css(assets.own_stylesheets(docs, ["a.css", "b.css"]))
    assert changed.name != first.name and ".b{color:green}" in changed.content  # nginx caches names a year
    assert assets.bundle_css(assets.own_stylesheets(docs, ["b.css", "a.css"])).content.index("b.css") == 3  # the listed order


@pytest.mark.parametrize("rule", ["  background: url(img/a.png);", "@import 'x.css';", '@charset "utf-8";',
                                  "  background: url('../x.png');"])
def test_what_cannot_move_to_another_folder_is_refused_with_file_and_line(tmp_path, rule):
    docs = css(tmp_path, {"stylesheets/loop.css": f".x {{\n  color: red;\n}}\n.y {{\n{rule}\n}}\n"})
    with pytest.raises(PluginError) as caught:
        assets.bundle_css(assets.own_stylesheets(docs, ["stylesheets/loop.css"]))
    assert str(caught.value).startswith("docs/stylesheets/loop.css:5: 样式文件不能使用相对地址的 url()、@import 或 @charset")


def test_data_urls_and_absolute_urls_are_allowed(tmp_path):
    docs = css(tmp_path, {"a.css": ".a { background: url(data:image/png;base64,AAAA); }\n.b { mask: url(#m); }\n"})
    assert "url(data:image/png" in assets.bundle_css(assets.own_stylesheets(docs, ["a.css"])).content


def test_a_missing_stylesheet_is_named(tmp_path):
    with pytest.raises(PluginError, match="extra_css 列出的样式文件 no.css 不存在（应在 docs/no.css）"):
        assets.bundle_css(assets.own_stylesheets(tmp_path, ["no.css"]))


# -- a compact search index -------------------------------------------------------------------------
def test_search_index_is_rewritten_as_compact_utf8_with_the_same_data(tmp_path):
    data = {"config": {"separator": "[\\s\\u200b]+"}, "docs": [{"text": "三会\u200b一课 <b>&amp;</b>"}]}
    (tmp_path / "search").mkdir()
    index = tmp_path / "search/search_index.json"
    index.write_text(json.dumps(data), "utf-8")  # Material writes \uXXXX escapes
    assets.compact_search_index(tmp_path)
    raw = index.read_text("utf-8")
    assert json.loads(raw) == data
    assert "三会" in raw and "\\u4e09" not in raw and ", " not in raw
    assert len(raw.encode()) < len(json.dumps(data))
    assets.compact_search_index(tmp_path / "nothing")  # no index (search off): nothing to do


# -- the segmenter fix ------------------------------------------------------------------------------
SEGMENT = "function s(e,t){let n=[];for(let s=0;s<t.length;s++)for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);return n}"


def test_the_fix_looks_up_the_whole_query():
    fixed = patch_worker(SEGMENT)
    assert "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&" in fixed
    assert fixed.replace("o<=t.length", "o<t.length") == SEGMENT  # nothing else changes
    assert patch_worker(fixed) == fixed  # idempotent: a dirty rebuild under `mkdocs serve`


def test_the_fix_refuses_unknown_code():
    for source in ("function segment(){}", SEGMENT + SEGMENT):
        with pytest.raises(PluginError, match="搜索分词补丁未能应用"):
            patch_worker(source)


def test_the_fix_applies_exactly_once_to_the_installed_worker():
    worker = WORKER.read_text("utf-8")
    assert len(BUGGY.findall(worker)) == 1
    fixed = patch_worker(worker)
    assert not BUGGY.search(fixed) and len(FIXED.findall(fixed)) == 1
    assert len(fixed) == len(worker) + 1


def test_early_script_sources_are_the_no_inline_scope_then_palette():
    assert assets.EARLY_SOURCES == ["assets/javascripts/no-inline/scope.js", "assets/javascripts/no-inline/palette.js"]
    parts = [(assets.THEME / s).read_text("utf-8") for s in assets.EARLY_SOURCES]
    assert "__md_scope=" in parts[0] and '__md_get("__palette")' in parts[1]


# -- the theme comes with the package ---------------------------------------------------------------
@pytest.mark.parametrize("own_theme_folder", [False, True])
def test_every_build_gets_the_packages_theme_after_a_branchs_own_and_before_materials(tmp_path, own_theme_folder):
    """A branch project holds no copy of the theme: the plugin puts macros/site/theme/ on MkDocs'
    template path, after the branch's theme.custom_dir (which can still override a template) and
    before Material's templates; its stylesheets come first in the bundle, the branch's own after."""
    (tmp_path / "own.css").write_text(".own { color: red; }\n", "utf-8")
    custom = str(tmp_path) if own_theme_folder else None
    config = SimpleNamespace(theme=Theme(name="material", custom_dir=custom), extra={}, extra_css=["own.css"],
                             docs_dir=str(tmp_path))
    bundle = assets.configure(config, offline=False)
    at = 1 if own_theme_folder else 0
    assert config.theme.dirs[at] == str(assets.THEME)
    assert Path(config.theme.dirs[at + 1]) == Path(material.__file__).resolve().parent / "templates"
    assert bundle.sources == (*assets.THEME_CSS, "own.css") and config.extra_css == [bundle.name]
    config.extra_css = ["own.css"]
    assets.configure(config, offline=False)  # MkDocs may hand the same theme to a later rebuild
    assert config.theme.dirs.count(str(assets.THEME)) == 1
