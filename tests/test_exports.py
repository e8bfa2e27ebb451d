"""The report leaves the site: the .docx and .txt made during the build, reopened and checked."""

from __future__ import annotations

import importlib.util
import re
from types import SimpleNamespace
from zipfile import ZipFile

import pytest
from conftest import ROOT, build, read
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from htmltext import blocks
from mkdocs.exceptions import PluginError

FONTS = {"Normal": "仿宋_GB2312", "Heading 1": "黑体", "Heading 2": "楷体_GB2312", "公文标题": "方正小标宋简体"}
EMU_PER_MM = 36000


def docx_path(site):
    return site / "2022/report-2022.docx"


def html_report(site):
    """What the 全文 page shows: title, body blocks (editor's notes left out), 落款."""
    html = read(site, "2022/full")
    title = blocks(html)[0].text
    body = blocks(html, root_class="report-body")
    signature = [b.text for b in blocks(html, root_class="report-signature")]
    return title, body, signature


def mm(length) -> float:
    return length / EMU_PER_MM


def fonts(style) -> dict:
    element = style.element.rPr.find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in element.attrib.items()}


def test_docx_page_is_a4_with_official_margins(site):
    section = Document(docx_path(site)).sections[0]
    assert mm(section.page_width) == pytest.approx(210, abs=0.1)
    assert mm(section.page_height) == pytest.approx(297, abs=0.1)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(mm(m), 1) for m in margins] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    # 225 mm / 22 lines = 579 twips a line
    assert grid.get(qn("w:linePitch")) == "579"


def test_docx_styles_set_east_asian_fonts_and_sizes(site):
    styles = Document(docx_path(site)).styles
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
    ind = styles["Normal"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"  # 首行缩进两字
    assert styles["公文标题"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert styles["落款"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # 28 characters a line: 16 pt glyphs condensed to the 156 mm / 28 pitch
    spacing = int(styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val")))
    pitch = 16 + spacing / 20
    assert int(156 / 25.4 * 72 // pitch) == 28


def test_docx_headings_are_word_headings_in_document_order(site):
    doc = Document(docx_path(site))
    _, body, _ = html_report(site)
    level = {"h2": "Heading 1", "h3": "Heading 2"}
    expected = [(level[b.tag], b.text) for b in body if b.tag in level]
    found = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert found == expected
    assert found[0] == ("Heading 1", "一、完成的主要工作")
    # the navigation pane reads the outline level of the styles
    for name, outline in (("Heading 1", "0"), ("Heading 2", "1")):
        assert doc.styles[name].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == outline


def test_docx_text_equals_the_html_report(site):
    doc = Document(docx_path(site))
    title, body, signature = html_report(site)
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert paragraphs[0].text == title and paragraphs[0].style.name == "公文标题"
    assert [p.text for p in paragraphs[1 : -len(signature)]] == [b.text for b in body]
    assert [p.text for p in paragraphs[-len(signature) :]] == signature == ["机关党委办公室党支部", "2023年1月10日"]
    assert all(p.style.name == "落款" for p in paragraphs[-len(signature) :])
    assert not any("编者注" in p.text for p in paragraphs)
    # 一是…: the bold lead-in stays bold
    lead = next(p for p in paragraphs if p.text.startswith("一是学深悟透"))
    assert lead.runs[0].bold and lead.runs[0].text == "一是学深悟透党的创新理论。"
    assert doc.core_properties.title == title


def test_docx_footer_has_page_field_odd_right_even_left(site):
    doc = Document(docx_path(site))
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = (section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    for footer, align in (odd, even):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert paragraph.alignment == align
        kinds = re.findall(r'w:fldCharType="(\w+)"', xml)
        assert kinds == ["begin", "separate", "end"]
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert paragraph.text == "— 1 —"  # the field's cached result between the dashes
    assert fonts(doc.styles["Footer"])["eastAsia"] == "宋体" and doc.styles["Footer"].font.size.pt == 14


def test_docx_is_a_valid_package(site):
    with ZipFile(docx_path(site)) as package:
        assert package.testzip() is None
        names = set(package.namelist())
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml", "[Content_Types].xml"} <= names


def test_txt_is_the_report_one_paragraph_a_line(site):
    raw = (site / "2022/report-2022.txt").read_bytes()
    text = raw.decode("utf-8")  # UTF-8, no BOM
    assert not raw.startswith(b"\xef\xbb\xbf") and text.endswith("\n")
    title, body, signature = html_report(site)
    # the first line marks the sample data and the editor-supplied title and date (data/2022/report.yaml)
    mark = "【示例数据，不是正式文件；标题、落款日期为编者补充】"
    assert text.splitlines() == [mark, title, *(b.text for b in body), *signature]


def test_report_pages_link_the_downloads(site):
    for page in ("2022", "2022/full"):
        html = read(site, page)
        links = re.findall(r'<a class="report-download" href="([^"]+)" download="([^"]+)"', html)
        assert [name.rsplit(".", 1)[1] for _, name in links] == ["docx", "txt"], page
        for href, name in links:
            assert (site / page / href).resolve().is_file(), (page, href)
            assert name.startswith("机关党委办公室党支部关于2022年度全面从严治党工作情况的报告")


def test_preview_build_marks_placeholders_strict_build_writes_no_file(project, tmp_path):
    figures = project / "data/2022/figures.yaml"
    figures.write_text(figures.read_text("utf-8").replace("study.sessions: 24", "study.sessions: 待填"), "utf-8")
    strict = build(project, tmp_path / "strict")
    assert strict.returncode != 0
    assert not (tmp_path / "strict/2022/report-2022.docx").exists()
    preview = build(project, tmp_path / "preview", strict=False)
    assert preview.returncode == 0, preview.stderr
    doc = Document(tmp_path / "preview/2022/report-2022.docx")
    runs = [r for p in doc.paragraphs for r in p.runs if r.text == "待填"]
    assert len(runs) == 1 and runs[0].font.highlight_color is not None


def _export_hook():
    spec = importlib.util.spec_from_file_location("export_hook", ROOT / "hooks/export.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_strict_export_refuses_a_placeholder(site, tmp_path):
    """Even if a 待填 reached the 全文, a strict build would not write it into a download."""
    hook = _export_hook()
    html = read(site, "2022/full").replace(
        '<span class="fig" data-fig="study.sessions" title="组织党员学习次数（次）">24</span>',
        '<span class="fig fig--missing" data-fig="study.sessions">待填</span>',
    )
    assert "fig--missing" in html
    hook._pages[2022] = html
    with pytest.raises(PluginError, match="待填"):
        hook.on_post_build(SimpleNamespace(site_dir=str(tmp_path), strict=True))
    assert not list(tmp_path.rglob("*.docx"))
