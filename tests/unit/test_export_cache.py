"""The export cache (macros/exports/cache.py): a download is made once per inputs and code, copied after."""

from __future__ import annotations

from pathlib import Path

from helpers.render import here
from test_exports import PAGE

from macros.exports import report_files as exports
from macros.exports.cache import ExportCache, code_fingerprint


class Maker:
    """A writer that counts its calls and writes what it is told."""

    def __init__(self):
        self.calls = 0

    def __call__(self, content: bytes):
        def make(path: Path) -> None:
            self.calls += 1
            path.write_bytes(content)

        return make


def test_same_inputs_are_copied_changed_inputs_made(tmp_path):
    cache, make = ExportCache(tmp_path / "cache", code="v1"), Maker()
    assert cache.file(tmp_path / "a/one.docx", ("docx", "report", 2022), make(b"first")) is False
    assert cache.file(tmp_path / "b/one.docx", ("docx", "report", 2022), make(b"other")) is True
    assert (tmp_path / "b/one.docx").read_bytes() == b"first" and make.calls == 1
    assert cache.file(tmp_path / "c/one.docx", ("docx", "report changed", 2022), make(b"new")) is False
    assert (tmp_path / "c/one.docx").read_bytes() == b"new" and make.calls == 2


def test_changed_code_never_meets_an_old_file(tmp_path):
    make = Maker()
    ExportCache(tmp_path / "cache", code="v1").file(tmp_path / "a.xlsx", ("xlsx", 1), make(b"old code"))
    assert ExportCache(tmp_path / "cache", code="v2").file(tmp_path / "b.xlsx", ("xlsx", 1), make(b"new")) is False
    assert (tmp_path / "b.xlsx").read_bytes() == b"new"


def test_fingerprint_covers_the_package_files(tmp_path, monkeypatch):
    from macros.exports import cache as export_cache
    package = tmp_path / "macros"
    package.mkdir()
    (package / "export_docx.py").write_text("A = 1\n")
    monkeypatch.setattr(export_cache, "PACKAGE", package)
    before = code_fingerprint()
    (package / "export_docx.py").write_text("A = 2\n")
    assert code_fingerprint() != before


def test_an_unwritable_cache_never_stops_the_build(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")  # the cache folder's place is taken by a file
    cache, make = ExportCache(blocked / "cache", code="v1"), Maker()
    assert cache.file(tmp_path / "out/one.docx", ("docx", 1), make(b"made")) is False
    assert cache.file(tmp_path / "out/two.docx", ("docx", 1), make(b"made")) is False
    assert (tmp_path / "out/two.docx").read_bytes() == b"made" and make.calls == 2


def test_a_failed_keep_leaves_no_partial_file(tmp_path, monkeypatch):
    from macros.exports import cache as export_cache
    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_cache.os, "replace", full_disk)
    cache = ExportCache(tmp_path / "cache", code="v1")
    assert cache.file(tmp_path / "out.docx", ("docx", 1), Maker()(b"made")) is False
    assert (tmp_path / "out.docx").read_bytes() == b"made" and list((tmp_path / "cache").iterdir()) == []


def test_write_all_through_the_cache_gives_the_same_files(tmp_path):
    filled = PAGE.replace('<span class="fig fig--missing" data-fig="b">待填</span>', "3")
    cache = ExportCache(tmp_path / "cache")
    ctx = here(None, strict=True).ctx
    exports.write_all({2022: filled}, tmp_path / "made", ctx.strict, cache)
    exports.write_all({2022: filled}, tmp_path / "copied", ctx.strict, cache)
    for ext in ("docx", "txt"):
        made, copied = (tmp_path / d / exports.export_path(2022, ext) for d in ("made", "copied"))
        assert made.read_bytes() == copied.read_bytes()
    assert len(list((tmp_path / "cache").iterdir())) == 1
    exports.write_all({2022: filled.replace("按照部署", "按照新的部署")}, tmp_path / "changed", ctx.strict, cache)
    assert len(list((tmp_path / "cache").iterdir())) == 2  # a changed report is made again
