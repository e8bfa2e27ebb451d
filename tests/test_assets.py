"""hooks/assets.py: one stylesheet, one early script, the shim only offline, a UTF-8 search index."""

from __future__ import annotations

import json
import re

import lxml.html
import yaml
from conftest import ROOT, build, copy_project

from hooks import assets

CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)  # !ENV tags unresolved
SOURCES = CONFIG["extra_css"]


def head_refs(html: str) -> tuple[list[str], list[str]]:
    tree = lxml.html.fromstring(html)
    styles = [e.get("href") for e in tree.iter("link") if e.get("rel") == "stylesheet"]
    scripts = [e.get("src") for e in tree.iter("script") if e.get("src")]
    return styles, scripts


def test_pages_load_one_site_stylesheet_and_one_early_script(site):
    for page in ("index.html", "2022/work/political/index.html"):
        styles, scripts = head_refs((site / page).read_text("utf-8"))
        ours = [s for s in styles if "/main." not in s and "/palette." not in s]
        assert len(styles) == 3 and len(ours) == 1, styles
        assert re.fullmatch(r"(\.\./)*assets/stylesheets/site\.[0-9a-f]{8}\.min\.css", ours[0]), ours
        names = [s.rsplit("/", 1)[-1] for s in scripts]
        assert names[0] == "early.js" and names[1].startswith("bundle."), names
        assert len(names) == 2, names  # no scope.js/palette.js/content.js, no iframe-worker shim over http
    assert not (site / "stylesheets").exists()  # the separate files are not published


def test_stylesheet_holds_every_extra_css_file_minified_in_cascade_order(site):
    (bundle,) = (site / "assets/stylesheets").glob("site.*.min.css")
    text = bundle.read_text("utf-8")
    positions = [text.index(f"/* {source} */\n") for source in SOURCES]
    assert positions == sorted(positions) and len(SOURCES) >= 6
    assert SOURCES[-1] == "stylesheets/a11y.css"  # the contrast fixes must win the cascade
    assert "GB/T 9704" not in text  # the source comments are not shipped
    assert "@media print" in text
    sizes = sum((ROOT / "docs" / s).stat().st_size for s in SOURCES)
    assert bundle.stat().st_size < 0.75 * sizes
    # the name is the content's hash: a changed stylesheet gets a new name (nginx caches these for a year)
    name, content = assets.bundle_css(ROOT / "docs", SOURCES)
    assert bundle.name == name.rsplit("/", 1)[-1] and text == content


def test_early_script_is_scope_then_palette(site):
    early = (site / "assets/javascripts/no-inline/early.js").read_text("utf-8")
    parts = [(ROOT / "overrides" / s).read_text("utf-8").strip() for s in assets.EARLY_SOURCES]
    assert early == parts[0] + "\n" + parts[1] + "\n"
    assert "__md_scope=" in parts[0] and "__md_get(\"__palette\")" in parts[1]
    html = (site / "2022/work/political/index.html").read_text("utf-8")
    assert '<script src="../../../assets/javascripts/no-inline/early.js" data-md-scope="../../..">' in html


def test_changed_css_gets_a_new_name_and_bad_css_is_refused(tmp_path):
    project = copy_project(tmp_path / "project")
    before, _ = assets.bundle_css(project / "docs", SOURCES)
    loop = project / "docs/stylesheets/loop.css"
    loop.write_text(loop.read_text("utf-8") + "\n.loop-test { color: red; }\n", "utf-8")
    after, content = assets.bundle_css(project / "docs", SOURCES)
    assert before != after and ".loop-test{color:red}" in content

    loop.write_text(loop.read_text("utf-8") + "\n.x {\n  background: url(img/a.png);\n}\n", "utf-8")
    result = build(project, tmp_path / "out")
    assert result.returncode != 0
    line = loop.read_text("utf-8").splitlines().index("  background: url(img/a.png);") + 1
    assert f"docs/stylesheets/loop.css:{line}: 样式文件不能使用相对地址的 url()" in result.stderr
    assert "Traceback" not in result.stderr


def test_search_index_is_written_as_utf8_with_the_same_data(tmp_path, site):
    raw = (site / "search/search_index.json").read_text("utf-8")
    assert "三会一课" in raw.replace("\u200b", "") and "\\u4e09" not in raw
    # the rewrite itself: Material's escaped output in, the same data out
    data = {"config": {"separator": "[\\s\\u200b]+"}, "docs": [{"text": "三会\u200b一课 <b>&amp;</b>"}]}
    (tmp_path / "search").mkdir()
    index = tmp_path / "search/search_index.json"
    index.write_text(json.dumps(data), "utf-8")

    class Config(dict):
        site_dir = str(tmp_path)

    assets.on_post_build(Config())
    assert json.loads(index.read_text("utf-8")) == data
    assert index.stat().st_size < len(json.dumps(data))
