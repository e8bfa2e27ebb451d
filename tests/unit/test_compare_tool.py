"""tools/same_site.py: every kind of difference is reported, and only the allowed ones are ignored.

Each test builds two tiny site trees in tmp_path. For every allowance there is a test that a file
differing in that place and also elsewhere is still reported (an allowance too broad would fail it).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import sys
import zipfile
from pathlib import Path

import pytest

from tools import compare_builders, same_site
from tools.same_site import Options, compare_sites

GENERATOR_MK = '<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.2">'
GENERATOR_PD = '<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.2">'
PAGE = """<!doctype html>
<html lang="zh">
<head>
  {generator}
  <meta name="description" content="{description}">
  <title>工作报告</title>
</head>
<body><p>组织党员学习 {n} 次</p></body>
</html>
"""

CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{modified}</dcterms:modified>'
    "</cp:coreProperties>"
)
DOCUMENT = "<w:document><w:body><w:p><w:t>{text}</w:t></w:p></w:body></w:document>"


def page(generator: str = GENERATOR_MK, description: str = "党支部", n: int = 24) -> str:
    return PAGE.format(generator=generator, description=description, n=n)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, "utf-8")
        else:
            path.write_bytes(content)
    return root


def pair(tmp_path: Path, old: dict, new: dict) -> tuple[Path, Path]:
    return write(tmp_path / "old", old), write(tmp_path / "new", new)


def zipped(members: dict[str, str | bytes], when=(2026, 1, 1, 8, 0, 0)) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), content)
    return buffer.getvalue()


def office(
    text: str = "正文", title: str = "报告", created: str = "2000-01-01T00:00:00Z",
    modified: str = "2026-12-07T06:21:06Z", when=(2026, 12, 7, 6, 21, 6), extra: dict | None = None,
) -> bytes:
    members = {
        "[Content_Types].xml": "<Types/>",
        "docProps/core.xml": CORE.format(title=title, created=created, modified=modified),
        "word/document.xml": DOCUMENT.format(text=text),
        **(extra or {}),
    }
    return zipped(members, when)


def compared(tmp_path: Path, old: dict, new: dict, **options) -> same_site.Report:
    return compare_sites(*pair(tmp_path, old, new), Options(**options))


def differing(report: same_site.Report) -> list[str]:
    return [rel for rel, _ in report.differ]


# ---- files present, equal, on one side ------------------------------------------------------------


def test_identical_trees_are_the_same_and_the_summary_counts_them(tmp_path):
    files = {"index.html": page(), "search/search_index.json": '{"docs":[]}', "assets/x.css": "a{}"}
    report = compared(tmp_path, files, dict(files))
    assert report.ok
    assert report.summary() == "比较 3 个文件：相同 3，不同 0，仅一侧 0"


def test_a_file_on_one_side_only_is_a_difference_either_way(tmp_path):
    report = compared(tmp_path, {"a.html": page(), "old.txt": "x"}, {"a.html": page(), "2022/new.docx": office()})
    assert report.only_old == ["old.txt"] and report.only_new == ["2022/new.docx"]
    assert not report.ok
    assert report.summary() == "比较 3 个文件：相同 1，不同 0，仅一侧 2"
    assert "仅在旧网站：old.txt" in report.lines() and "仅在新网站：2022/new.docx" in report.lines()


def test_an_empty_file_against_a_missing_one_is_reported(tmp_path):
    report = compared(tmp_path, {"a.txt": ""}, {"b.txt": ""})
    assert report.only_old == ["a.txt"] and report.only_new == ["b.txt"]


# ---- byte for byte: pages, search index, sitemap, text, styles, scripts ---------------------------


def test_a_page_differing_in_one_number_is_reported_at_its_line(tmp_path):
    report = compared(tmp_path, {"index.html": page(n=24)}, {"index.html": page(n=25)})
    [(rel, why)] = report.differ
    assert rel == "index.html"
    assert why.startswith("第 8 行第 18 列：")
    assert "24" in why and "25" in why


@pytest.mark.parametrize(
    "rel", ["search/search_index.json", "sitemap.xml", "2022/report-2022.txt", "assets/site.css", "assets/early.js"]
)
def test_every_other_text_file_is_compared_byte_for_byte(tmp_path, rel):
    report = compared(tmp_path, {rel: "第一行\n内容 a\n"}, {rel: "第一行\n内容 b\n"})
    assert differing(report) == [rel]
    assert report.differ[0][1].startswith("第 2 行第 4 列")


def test_a_long_single_line_search_index_shows_where_it_differs(tmp_path):
    old = '{"docs":[' + ",".join(f'{{"location":"p{i}/","text":"学习"}}' for i in range(200)) + "]}"
    new = old.replace('"p150/","text":"学习"', '"p150/","text":"学 习"')
    [(_, why)] = compared(tmp_path, {"search/search_index.json": old}, {"search/search_index.json": new}).differ
    assert why.startswith("第 1 行第 ")
    assert "p150/" in why and len(why) < 300  # an excerpt, not the whole line


def test_a_trailing_newline_or_line_ending_alone_is_still_a_difference(tmp_path):
    report = compared(tmp_path, {"a.txt": "x\n", "b.txt": "x\n"}, {"a.txt": "x", "b.txt": "x\r\n"})
    assert differing(report) == ["a.txt", "b.txt"]


def test_binary_files_report_the_first_differing_byte(tmp_path):
    [(_, why)] = compared(tmp_path, {"a.png": b"\x89PNG\x00\x01\xff"}, {"a.png": b"\x89PNG\x00\x02\xff"}).differ
    assert why == "第 6 字节起不同（大小 7 / 7 字节）"


# ---- the generator meta element (only with --ignore-generator, only that element, only in HTML) -----


def test_the_generator_element_is_a_difference_unless_asked_to_ignore_it(tmp_path):
    old, new = {"index.html": page(GENERATOR_MK)}, {"index.html": page(GENERATOR_PD)}
    assert differing(compared(tmp_path / "strict", old, new)) == ["index.html"]
    assert compared(tmp_path / "ignoring", old, new, ignore_generator=True).ok


def test_ignoring_the_generator_still_reports_any_other_change_in_the_page(tmp_path):
    old, new = {"index.html": page(GENERATOR_MK, n=24)}, {"index.html": page(GENERATOR_PD, n=25)}
    [(_, why)] = compared(tmp_path, old, new, ignore_generator=True).differ
    assert "24" in why and "25" in why


def test_ignoring_the_generator_does_not_ignore_other_meta_elements(tmp_path):
    old, new = {"a.html": page(description="党支部")}, {"a.html": page(description="机关党委")}
    assert differing(compared(tmp_path, old, new, ignore_generator=True)) == ["a.html"]


def test_ignoring_the_generator_does_not_ignore_an_element_with_more_attributes(tmp_path):
    extra = GENERATOR_MK.replace('">', '" data-x="1">')
    old, new = {"a.html": page(GENERATOR_MK)}, {"a.html": page(extra)}
    assert differing(compared(tmp_path, old, new, ignore_generator=True)) == ["a.html"]


def test_ignoring_the_generator_applies_to_html_pages_only(tmp_path):
    old, new = {"notes.txt": GENERATOR_MK}, {"notes.txt": GENERATOR_PD}
    assert differing(compared(tmp_path, old, new, ignore_generator=True)) == ["notes.txt"]


# ---- gzip: compared after decompressing ------------------------------------------------------------


def gz(text: str, mtime: int) -> bytes:
    return gzip.compress(text.encode(), mtime=mtime)


def test_a_gzipped_sitemap_differing_only_in_its_header_time_is_the_same(tmp_path):
    old, new = {"sitemap.xml.gz": gz("<urlset/>\n", 1)}, {"sitemap.xml.gz": gz("<urlset/>\n", 2_000_000_000)}
    assert old["sitemap.xml.gz"] != new["sitemap.xml.gz"]
    assert compared(tmp_path, old, new).ok


def test_a_gzipped_sitemap_with_other_content_is_reported_at_its_line(tmp_path):
    old = {"sitemap.xml.gz": gz("<urlset>\n<loc>a/</loc>\n</urlset>\n", 1)}
    new = {"sitemap.xml.gz": gz("<urlset>\n<loc>b/</loc>\n</urlset>\n", 1)}
    [(rel, why)] = compared(tmp_path, old, new).differ
    assert rel == "sitemap.xml.gz" and why.startswith("解压后第 2 行")


def test_a_broken_gzip_file_is_a_difference(tmp_path):
    old, new = {"sitemap.xml.gz": gz("<urlset/>", 1)}, {"sitemap.xml.gz": b"not gzip"}
    [(_, why)] = compared(tmp_path, old, new).differ
    assert why.startswith("无法解压")


# ---- zip files (.docx, .xlsx, offline .zip): member by member ---------------------------------------


@pytest.mark.parametrize("rel", ["2022/report-2022.docx", "records/2022/ledger-2022.xlsx", "offline.zip"])
def test_zip_entry_dates_and_core_times_are_ignored(tmp_path, rel):
    old = office(modified="2026-12-07T06:21:06Z", created="2026-12-07T06:21:06Z", when=(2026, 12, 7, 6, 21, 6))
    new = office(modified="2027-01-02T03:04:05Z", created="2027-01-02T03:04:05Z", when=(2027, 1, 2, 3, 4, 6))
    assert old != new
    assert compared(tmp_path, {rel: old}, {rel: new}).ok


@pytest.mark.parametrize("rel", ["2022/report-2022.docx", "records/2022/ledger-2022.xlsx", "offline.zip"])
def test_a_differing_document_member_is_reported_despite_the_ignored_times(tmp_path, rel):
    old = office(text="组织学习 24 次", modified="2026-12-07T06:21:06Z")
    new = office(text="组织学习 25 次", modified="2027-01-02T03:04:05Z", when=(2027, 1, 2, 3, 4, 6))
    [(_, why)] = compared(tmp_path, {rel: old}, {rel: new}).differ
    assert why.startswith("成员 word/document.xml：第 1 行")


def test_core_properties_other_than_the_two_times_are_compared(tmp_path):
    old, new = office(title="2022 年报告"), office(title="2023 年报告")
    [(_, why)] = compared(tmp_path, {"a.docx": old}, {"a.docx": new}).differ
    assert why.startswith("成员 docProps/core.xml：")


def test_times_are_ignored_only_in_docprops_core_xml(tmp_path):
    stamp = '<dcterms:modified xsi:type="dcterms:W3CDTF">{}</dcterms:modified>'
    old = office(extra={"docProps/custom.xml": stamp.format("2026-12-07T06:21:06Z")})
    new = office(extra={"docProps/custom.xml": stamp.format("2027-01-02T03:04:05Z")})
    [(_, why)] = compared(tmp_path, {"a.xlsx": old}, {"a.xlsx": new}).differ
    assert why.startswith("成员 docProps/custom.xml：")


def test_a_member_on_one_side_or_in_another_order_is_reported(tmp_path):
    base = {"[Content_Types].xml": "<Types/>", "word/document.xml": DOCUMENT.format(text="x")}
    more = {**base, "word/footer1.xml": "<w:ftr/>"}
    reordered = dict(reversed(list(base.items())))
    report = compared(
        tmp_path,
        {"a.docx": zipped(more), "b.docx": zipped(base), "c.docx": zipped(base)},
        {"a.docx": zipped(base), "b.docx": zipped(more), "c.docx": zipped(reordered)},
    )
    assert report.differ == [
        ("a.docx", "成员 word/footer1.xml 仅在旧文件中"),
        ("b.docx", "成员 word/footer1.xml 仅在新文件中"),
        ("c.docx", "成员顺序不同"),
    ]


def test_a_file_named_docx_that_is_not_a_zip_is_a_difference(tmp_path):
    [(_, why)] = compared(tmp_path, {"a.docx": office()}, {"a.docx": b"PK broken"}).differ
    assert why.startswith("不是有效的 zip 文件")


def test_an_offline_zip_compares_its_pages_docx_and_sitemap_by_the_same_rules(tmp_path):
    def copy(generator: str, docx: bytes, mtime: int, when) -> bytes:
        site = {"site/index.html": page(generator), "site/2022/report.docx": docx, "site/sitemap.xml.gz": gz("<u/>", mtime)}
        return zipped(site, when)

    old = copy(GENERATOR_MK, office(modified="2026-12-07T06:21:06Z"), 1, (2026, 12, 7, 6, 21, 6))
    new = copy(GENERATOR_PD, office(modified="2027-01-01T00:00:00Z", when=(2027, 1, 1, 0, 0, 0)), 9, (2027, 1, 1, 0, 0, 0))
    assert compared(tmp_path / "a", {"site-offline.zip": old}, {"site-offline.zip": new}, ignore_generator=True).ok
    # without the flag the page inside the zip is reported by name
    [(_, why)] = compared(tmp_path / "b", {"site-offline.zip": old}, {"site-offline.zip": new}).differ
    assert why.startswith("成员 site/index.html：第 4 行")
    # and a changed document inside the nested docx is found two levels down
    changed = copy(GENERATOR_MK, office(text="改了"), 1, (2026, 12, 7, 6, 21, 6))
    [(_, why)] = compared(tmp_path / "c", {"site-offline.zip": old}, {"site-offline.zip": changed}).differ
    assert why.startswith("成员 site/2022/report.docx：成员 word/document.xml：")


# ---- real Word and Excel files, as python-docx and openpyxl write them ---------------------------


def docx_bytes(text: str, modified: dt.datetime) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    document.core_properties.created = document.core_properties.modified = modified
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(value: str, modified: dt.datetime) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = value
    workbook.properties.created = workbook.properties.modified = modified
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("make, rel", [(docx_bytes, "report.docx"), (xlsx_bytes, "ledger.xlsx")])
def test_real_office_files_written_at_other_times_are_the_same_unless_their_content_differs(tmp_path, make, rel):
    early, late = dt.datetime(2026, 1, 1, 8), dt.datetime(2027, 6, 30, 17, 45, 12)
    old, new, changed = make("组织学习 24 次", early), make("组织学习 24 次", late), make("组织学习 25 次", late)
    assert old != new
    assert compared(tmp_path / "same", {rel: old}, {rel: new}).ok
    [(_, why)] = compared(tmp_path / "changed", {rel: old}, {rel: changed}).differ
    assert why.startswith("成员 ") and "core.xml" not in why


# ---- the command ----------------------------------------------------------------------------------


def test_the_command_prints_each_difference_and_the_summary_and_exits_1(tmp_path, capsys):
    old, new = pair(tmp_path, {"a.html": page(n=1), "b.txt": "x"}, {"a.html": page(n=2), "c.txt": "y"})
    assert same_site.main([str(old), str(new)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "仅在旧网站：b.txt"
    assert out[1] == "仅在新网站：c.txt"
    assert out[2].startswith("不同：a.html：第 8 行")
    assert out[-1] == "比较 3 个文件：相同 0，不同 1，仅一侧 2"


def test_the_command_exits_0_when_only_the_generator_differs_and_it_is_ignored(tmp_path, capsys):
    old, new = pair(tmp_path, {"a.html": page(GENERATOR_MK)}, {"a.html": page(GENERATOR_PD)})
    assert same_site.main([str(old), str(new), "--ignore-generator"]) == 0
    assert capsys.readouterr().out == "比较 1 个文件：相同 1，不同 0，仅一侧 0\n"


def test_the_command_refuses_a_missing_folder_or_two_empty_ones(tmp_path, capsys):
    (tmp_path / "empty1").mkdir()
    (tmp_path / "empty2").mkdir()
    assert same_site.main([str(tmp_path / "empty1"), str(tmp_path / "nowhere")]) == 2
    assert "不是目录" in capsys.readouterr().err
    assert same_site.main([str(tmp_path / "empty1"), str(tmp_path / "empty2")]) == 2
    assert "两侧都没有文件" in capsys.readouterr().err


# ---- make second-builder (tools/compare_builders.py) with stand-in builders -------------------------

FAKE_BUILDER = """#!{python}
import os, pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("-d") + 1])
files = {{
    "index.html": '<html><head><meta name="generator" content="mkdocs-{version}, mkdocs-material-9.8.2"></head></html>',
    "sitemap.xml": "<urlset/>", "sitemap.xml.gz": "", "search/search_index.json": {index!r},
    "2022/report-2022.docx": "", "2022/report-2022.txt": "正文", "records/2022/ledger-2022.xlsx": "",
}}
for rel in {missing!r}:
    del files[rel]
for rel, text in files.items():
    (out / rel).parent.mkdir(parents=True, exist_ok=True)
    (out / rel).write_text(text)
if {cache!r}:
    cache = pathlib.Path(os.environ["XDG_CACHE_HOME"]) / "party-site-exports"
    cache.mkdir(parents=True)
    (cache / "k").write_text("x")
print("{message}", file=sys.stderr)
sys.exit({code})
"""


def fake_builders(tmp_path, monkeypatch, **properdocs) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    defaults = {"version": "1.6.1", "index": '{"docs":[]}', "missing": [], "cache": True, "message": "", "code": 0}
    for name, settings in {"mkdocs": {}, "properdocs": {"version": "ProperDocs 1.6.7", **properdocs}}.items():
        script = bin_dir / name
        script.write_text(FAKE_BUILDER.format(python=sys.executable, **{**defaults, **settings}), "utf-8")
        script.chmod(0o755)
    monkeypatch.setattr(compare_builders, "BIN", bin_dir)


def second_builder(capsys) -> tuple[int, str, str]:
    code = compare_builders.main(["--variant", "normal"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_second_builder_passes_when_only_the_generator_differs(tmp_path, monkeypatch, capsys):
    fake_builders(tmp_path, monkeypatch)
    code, out, _ = second_builder(capsys)
    assert code == 0
    assert "比较 7 个文件：相同 7，不同 0，仅一侧 0" in out
    assert out.splitlines()[-1] == "second-builder: 1 passed, 0 failed"


def test_second_builder_fails_naming_the_file_that_differs(tmp_path, monkeypatch, capsys):
    fake_builders(tmp_path, monkeypatch, index='{"docs":[1]}')
    code, out, _ = second_builder(capsys)
    assert code == 1
    assert "[normal] 不同：search/search_index.json：第 1 行第 10 列" in out
    assert out.splitlines()[-1] == "second-builder: 0 passed, 1 failed"


def test_second_builder_fails_when_a_build_fails_and_shows_its_output(tmp_path, monkeypatch, capsys):
    fake_builders(tmp_path, monkeypatch, code=1, message="ERROR - 坏链接")
    code, _, err = second_builder(capsys)
    assert code == 1
    assert "ProperDocs 构建normal失败（退出码 1）" in err and "ERROR - 坏链接" in err


def test_second_builder_fails_when_the_second_build_was_not_properdocs(tmp_path, monkeypatch, capsys):
    fake_builders(tmp_path, monkeypatch, version="1.6.1")
    code, _, err = second_builder(capsys)
    assert code == 1
    assert "ProperDocs 的构建中 1 个页面的 generator 元素不含" in err


def test_second_builder_fails_when_the_downloads_were_not_written_by_the_build(tmp_path, monkeypatch, capsys):
    fake_builders(tmp_path, monkeypatch, cache=False)
    code, _, err = second_builder(capsys)
    assert code == 1
    assert "下载文件缓存" in err and "是空的" in err


def test_second_builder_fails_when_the_sitemap_or_search_index_is_missing(tmp_path, monkeypatch, capsys):
    fake_builders(tmp_path, monkeypatch, missing=["sitemap.xml.gz", "search/search_index.json"])
    code, _, err = second_builder(capsys)
    assert code == 1
    assert "缺少 sitemap.xml.gz, search/search_index.json" in err
