"""The report leaving the site, on a small 全文 page: read back from HTML (report_content), written
as .txt and as an official-document .docx (export_docx), linked from the report pages (exports).
That the plugin writes them from the real 全文 is tests/e2e/test_report.py and tests/wiring/test_sites.py."""

from __future__ import annotations

import re
from zipfile import ZipFile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from helpers.render import here

from macros.core.errors import Refusal
from macros.exports import report_files as exports
from macros.exports.docx import build_docx
from macros.exports.report_content import BODY_END, BODY_START, parse, wrap_body
from macros.pages.render import download_links

FONTS = {"Normal": "仿宋_GB2312", "Heading 1": "黑体", "Heading 2": "楷体_GB2312", "公文标题": "方正小标宋简体"}
EMU_PER_MM = 36000
TITLE = "测试支部2022年工作情况报告"
PAGE = f"""<html><body><article class="md-content__inner">
<h1 id="t">{TITLE}</h1>
<p class="report-downloads">下载：<a href="../x.docx">Word</a></p>
<div class="report-body">
<p>2022年，测试支部
按照部署开展工作。</p>
<h2 id="一">一、完成的主要工作</h2>
<h3 id="x">（一）学习</h3>
<p><strong>一是学深悟透党的创新理论。</strong>全年共组织党员学习<span class="fig" data-fig="a">24</span>次。</p>
<div class="admonition note editor-note"><p class="admonition-title">编者注（不属于报告正文）</p><p>原文如此。</p></div>
<ul><li><p>列表中的一项。</p></li></ul>
<h2 id="二">二、存在主要问题</h2>
<p>学习<span class="fig fig--missing" data-fig="b">待填</span>次。</p>
</div>
<div class="report-signature"><p>测试支部</p><p>2023年1月10日</p></div>
</article></body></html>"""


@pytest.fixture(scope="module")
def report():
    return parse(PAGE)


@pytest.fixture(scope="module")
def doc(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "r.docx"
    build_docx(report, path, author="测试支部")
    return path


def mm(length) -> float:
    return length / EMU_PER_MM


def fonts(style) -> dict:
    element = style.element.rPr.find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in element.attrib.items()}


# -- the report as the 全文 shows it ------------------------------------------------------------------
def test_title_body_blocks_and_signature(report):
    assert report.title == TITLE
    assert [(b.kind, b.level, b.text) for b in report.blocks] == [
        ("p", 0, "2022年，测试支部按照部署开展工作。"),  # a soft line break in Chinese joins without a space
        ("heading", 1, "一、完成的主要工作"),
        ("heading", 2, "（一）学习"),
        ("p", 0, "一是学深悟透党的创新理论。全年共组织党员学习24次。"),
        ("p", 0, "列表中的一项。"),  # once, though inside both li and p
        ("heading", 1, "二、存在主要问题"),
        ("p", 0, "学习待填次。"),
    ]
    assert report.signature == ["测试支部", "2023年1月10日"]
    assert not any("编者注" in b.text or "原文如此" in b.text for b in report.blocks)  # editor's notes left out
    lead = report.blocks[3].runs[0]
    assert (lead.text, lead.bold) == ("一是学深悟透党的创新理论。", True)
    assert report.placeholders == 1


def test_a_page_without_exactly_one_report_body_is_refused():
    with pytest.raises(ValueError, match="全文页面应有一个 .report-body"):
        parse("<html><body><h1>x</h1></body></html>")


def test_txt_is_title_one_paragraph_a_line_and_signature(report):
    text = report.text()
    assert text.endswith("\n")
    assert text.splitlines() == [TITLE, *(b.text for b in report.blocks), "测试支部", "2023年1月10日"]


def test_the_marked_body_becomes_the_report_body():
    html = f"<h1>x</h1>{BODY_START}<h2>一、甲</h2><p>乙</p>{BODY_END}<div class=\"report-signature\"><p>支部</p></div>"
    report = parse(wrap_body(html))
    assert [b.text for b in report.blocks] == ["一、甲", "乙"] and report.signature == ["支部"]


@pytest.mark.parametrize("html", ["<p>x</p>", f"{BODY_START}<p>x</p>", f"{BODY_END}<p>x</p>{BODY_START}",
                                  f"{BODY_START}{BODY_START}<p>x</p>{BODY_END}"])
def test_a_fulltext_page_without_one_marked_body_stops_the_build_naming_the_page(html):
    with pytest.raises(Refusal, match=r"^docs/2022/full\.md：全文页面应有一段正文：以 <!-- 正文开始 --> 开始"):
        exports.wrap_fulltext_body(html, "2022/full.md")


# -- the .docx: GB/T 9704 layout --------------------------------------------------------------------
def test_docx_page_is_a4_with_official_margins(doc):
    section = Document(doc).sections[0]
    assert mm(section.page_width) == pytest.approx(210, abs=0.1)
    assert mm(section.page_height) == pytest.approx(297, abs=0.1)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(mm(m), 1) for m in margins] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 225 mm / 22 lines = 579 twips a line


def test_docx_styles_set_east_asian_fonts_and_sizes(doc):
    styles = Document(doc).styles
    for name, font in FONTS.items():
        slots = fonts(styles[name])
        assert slots["eastAsia"] == font, name
        assert slots["ascii"] == slots["hAnsi"] == font, name
        assert not any(key.endswith("Theme") or key == "cstheme" for key in slots), (name, slots)
    assert styles["Normal"].font.size.pt == 16
    assert styles["Heading 1"].font.size.pt == styles["Heading 2"].font.size.pt == 16
    assert styles["公文标题"].font.size.pt == 22
    assert styles["Heading 1"].font.bold is False  # 黑体 is not set bold
    normal = styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.line_spacing.pt == pytest.approx(28.95)
    assert styles["Normal"].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"  # 首行缩进两字
    assert styles["公文标题"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert styles["落款"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # 28 characters a line: 16 pt glyphs condensed to the 156 mm / 28 pitch
    spacing = int(styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val")))
    assert int(156 / 25.4 * 72 // (16 + spacing / 20)) == 28


def test_docx_headings_are_word_headings_in_document_order(doc):
    document = Document(doc)
    found = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert found == [("Heading 1", "一、完成的主要工作"), ("Heading 2", "（一）学习"), ("Heading 1", "二、存在主要问题")]
    for name, outline in (("Heading 1", "0"), ("Heading 2", "1")):  # the navigation pane reads these
        assert document.styles[name].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == outline


def test_docx_text_equals_the_report(doc, report):
    document = Document(doc)
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == TITLE and paragraphs[0].style.name == "公文标题"
    assert [p.text for p in paragraphs[1:-2]] == [b.text for b in report.blocks]
    assert [p.text for p in paragraphs[-2:]] == ["测试支部", "2023年1月10日"]
    assert all(p.style.name == "落款" for p in paragraphs[-2:])
    lead = next(p for p in paragraphs if p.text.startswith("一是"))
    assert lead.runs[0].bold and lead.runs[0].text == "一是学深悟透党的创新理论。"
    missing = [r for p in paragraphs for r in p.runs if r.text == "待填"]
    assert len(missing) == 1 and missing[0].font.highlight_color is not None  # a preview marks 待填
    assert document.core_properties.title == TITLE and document.core_properties.author == "测试支部"
    assert paragraphs[-3].paragraph_format.keep_with_next  # the 落款 never stands alone on a page


def test_docx_footer_has_page_field_odd_right_even_left(doc):
    document = Document(doc)
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert paragraph.alignment == align
        assert re.findall(r'w:fldCharType="(\w+)"', xml) == ["begin", "separate", "end"]
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert paragraph.text == "— 1 —"  # the field's cached result between the dashes
    assert fonts(document.styles["Footer"])["eastAsia"] == "宋体" and document.styles["Footer"].font.size.pt == 14


def test_docx_is_a_valid_package(doc):
    with ZipFile(doc) as package:
        assert package.testzip() is None
        names = set(package.namelist())
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml", "[Content_Types].xml"} <= names


def test_a_written_document_keeps_no_xml_in_memory(report, tmp_path, monkeypatch):
    """python-docx's parts refer to each other, so a saved document lives until a full garbage
    collection; build_docx empties its XML trees after saving (peak memory of a 50-year build)."""
    from docx.opc.part import XmlPart

    from macros.exports import docx as export_docx
    made = []
    monkeypatch.setattr(export_docx, "Document", lambda: made.append(Document()) or made[-1])
    build_docx(report, tmp_path / "r.docx")
    parts = [part for part in made[0].part.package.iter_parts() if isinstance(part, XmlPart)]
    assert {part.partname for part in parts} >= {"/word/document.xml", "/word/styles.xml"}
    assert all(len(part.element) == 0 for part in parts)
    assert [p.text for p in Document(tmp_path / "r.docx").paragraphs][0] == TITLE  # saved before emptied


# -- writing both, and the links ----------------------------------------------------------------------
def test_write_all_writes_txt_and_docx_of_each_year(tmp_path):
    filled = PAGE.replace('<span class="fig fig--missing" data-fig="b">待填</span>', '<span class="fig">3</span>')
    exports.write_all({2022: filled}, tmp_path, here(None).ctx.strict)
    raw = (tmp_path / "2022/report-2022.txt").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8") == parse(filled).text()
    document = Document(tmp_path / "2022/report-2022.docx")
    assert document.core_properties.author == "测试支部"
    assert document.core_properties.created.date().isoformat() == "2023-01-10"  # the 成文日期


def test_strict_export_refuses_a_placeholder(tmp_path):
    """Even if a 待填 reached the 全文, a strict build would not write it into a download."""
    with pytest.raises(Refusal, match="2022年全文中有 1 处“待填”，严格模式不生成 Word/文本下载文件"):
        exports.write_all({2022: PAGE}, tmp_path, here(None, strict=True).ctx.strict)
    assert list(tmp_path.rglob("*")) == []


def test_download_links_from_report_pages():
    links = download_links(here(None).ctx, "2022/full.md", 2022, TITLE)
    assert [(x["href"], x["name"]) for x in links] == [
        ("../report-2022.docx", f"{TITLE}.docx"), ("../report-2022.txt", f"{TITLE}.txt")]
    assert [x["label"] for x in links] == ["Word 文档（.docx）", "纯文本（.txt，供 OA 系统粘贴）"]
    assert download_links(here(None).ctx, "2022/index.md", 2022, TITLE)[0]["href"] == "report-2022.docx"
    offline = download_links(here(None, directory_urls=False).ctx, "2022/full.md", 2022, TITLE)
    assert offline[0]["href"] == "report-2022.docx"
    assert exports.fulltext_year("2022/full.md") == 2022 and exports.fulltext_year("2022/work/full.md") is None


# -- 主送机关 (report.yaml addressee): under the title, flush left, outside the report body ---------------
def test_addressee_under_the_title_in_txt_and_docx(tmp_path):
    from macros.pages.templating import render

    line = render("addressee.html", addressee="馆党委")
    assert str(line).strip() == '<p class="report-addressee">馆党委：</p>'
    assert str(render("addressee.html", addressee=None)).strip() == ""
    report = parse(PAGE.replace('<div class="report-body">', f'{line}\n<div class="report-body">'))
    assert report.addressee == "馆党委："
    assert report.blocks == parse(PAGE).blocks  # not part of the body (compared with the seed word for word)
    assert report.text().splitlines()[:3] == [TITLE, "馆党委：", "2022年，测试支部按照部署开展工作。"]
    path = tmp_path / "r.docx"
    build_docx(report, path)
    paragraphs = [p for p in Document(path).paragraphs if p.text]
    assert [p.text for p in paragraphs[:3]] == [TITLE, "馆党委：", "2022年，测试支部按照部署开展工作。"]
    addressee = paragraphs[1]
    assert addressee.style.name == "主送机关"
    fmt = addressee.style.paragraph_format
    assert fmt.first_line_indent == 0 and fmt.alignment == WD_ALIGN_PARAGRAPH.LEFT  # 居左顶格
    assert Document(path).styles["公文标题"].paragraph_format.space_after.pt > 20  # 标题下空一行
    assert parse(PAGE).addressee == "" and parse(PAGE).text().splitlines()[1] != "馆党委："
