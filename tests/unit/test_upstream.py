"""Guards against silent dependence on other packages' internals.

- `macros.core.upstream.require` stops the build in Chinese when an intervention meets another version.
- Every template of the theme (macros/site/theme/) that shadows one of Material's partials says which upstream file it
  copies or replaces and that file's sha256 at the time; the installed file must still have it (an
  upgrade of Material that changes the original fails here, and someone re-checks the copy).
- The scripts moved out of the page (the theme's assets/javascripts/no-inline/) are Material's inline
  scripts of those partials, character for character.
"""

from __future__ import annotations

import hashlib
import re
from importlib import metadata
from pathlib import Path

import material
import pytest
from helpers.files import ROOT

from macros.core.upstream import UpstreamChanged, require
from macros.site.assets import THEME

MATERIAL = Path(material.__file__).resolve().parent
OVERRIDES = THEME
HEADER = re.compile(r"\A\{#- (copied from|replaces) (material/templates/\S+) sha256:([0-9a-f]{64}) -#\}\n")
NO_INLINE = OVERRIDES / "assets/javascripts/no-inline"


def test_require_passes_on_the_version_written_against():
    require("mkdocs", metadata.version("mkdocs"), "某处")


def test_require_stops_the_build_in_chinese_on_another_version():
    with pytest.raises(UpstreamChanged) as caught:
        require("mkdocs-material", "0.0.1", "macros/site/search_setup.py（搜索脚本分词补丁）")
    message = str(caught.value)
    installed = metadata.version("mkdocs-material")
    assert message.startswith(
        f"macros/site/search_setup.py（搜索脚本分词补丁） 针对 mkdocs-material 0.0.1 编写，当前安装的是 {installed}："
    )
    assert "请核对该处代码仍然适用后，更新其中的版本号" in message and "\n" not in message


def shadowing() -> list[Path]:
    """Every template of the theme that has a namesake in Material's templates."""
    return sorted(p for p in OVERRIDES.rglob("*.html")
                  if (MATERIAL / "templates" / p.relative_to(OVERRIDES)).is_file() and p.name != "main.html")


def test_the_overrides_that_shadow_material_templates():
    names = [p.relative_to(OVERRIDES).as_posix() for p in shadowing()]
    assert "partials/search.html" in names and "partials/javascripts/base.html" in names


@pytest.mark.parametrize("path", shadowing(), ids=lambda p: p.relative_to(OVERRIDES).as_posix())
def test_a_copied_partial_matches_the_installed_original(path):
    match = HEADER.match(path.read_text("utf-8"))
    assert match, f"{path.relative_to(ROOT)}: 第一行应为 {{#- copied from material/templates/… sha256:… -#}}"
    _, upstream, recorded = match.groups()
    assert upstream == f"material/templates/{path.relative_to(OVERRIDES).as_posix()}"
    original = MATERIAL.parent / upstream
    actual = hashlib.sha256(original.read_bytes()).hexdigest()
    assert actual == recorded, (
        f"{path.relative_to(ROOT)}：Material 的 {upstream} 已变化（mkdocs-material "
        f"{metadata.version('mkdocs-material')}）；请对照新原文检查这份副本，再更新其中的 sha256"
    )


def inline_scripts(partial: str) -> list[str]:
    text = (MATERIAL / "templates/partials/javascripts" / partial).read_text("utf-8")
    return re.findall(r"<script>(.*?)</script>", text, re.S)


def code(name: str) -> str:
    """A no-inline script without its leading comment."""
    return re.sub(r"\A/\*.*?\*/\s*", "", (NO_INLINE / name).read_text("utf-8"), flags=re.S).strip()


def test_the_moved_scripts_are_materials_inline_scripts():
    (scope,) = inline_scripts("base.html")
    # the one difference: the page's scope comes from an attribute, not from text in the script
    scope = scope.replace('new URL("{{ config.extra.scope | d(base_url) }}",location)',
                          'new URL(document.currentScript.getAttribute("data-md-scope"),location)')
    assert code("scope.js") == scope
    assert [code("palette.js")] == inline_scripts("palette.html")
    assert [code("tabs.js"), code("content.js")] == inline_scripts("content.html")


def test_the_search_dialog_copy_differs_only_by_its_accessible_name():
    ours = HEADER.sub("", (OVERRIDES / "partials/search.html").read_text("utf-8"))
    ours = re.sub(r"\A\{#-.*?-#\}\n", "", ours, flags=re.S)
    original = (MATERIAL / "templates/partials/search.html").read_text("utf-8")
    original = re.sub(r"\A\{#-.*?-#\}\n", "", original, flags=re.S)
    changed = ours.replace(""" role="dialog" aria-label="{{ lang.t('search') }}">""", """ role="dialog">""", 1)
    assert changed != ours and changed.strip() == original.strip()


def test_vendored_shim_is_the_npm_release():
    """docs/assets/javascripts/iframe-worker/shim.js is iframe-worker 1.0.4's shim/index.js, unchanged."""
    shim = (ROOT / "docs/assets/javascripts/iframe-worker/shim.js").read_bytes()
    assert hashlib.sha256(shim).hexdigest() == "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609"
    assert b'location.protocol==="file:"&&(window.Worker=o)' in shim  # does nothing over http
