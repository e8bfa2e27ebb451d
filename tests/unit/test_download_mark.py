"""The .txt and .docx carry a sample mark while the data set is sample (or parts are editor-supplied)."""

from __future__ import annotations

import docx

from macros.exports.docx import build_docx
from macros.exports.report_content import SAMPLE_MARK, mark_line, parse
from macros.pages.templating import render

BODY = '<div class="report-body"><h2>一、标题</h2><p>正文。</p></div><div class="report-signature"><p>某支部</p>' \
       "<p>2023年1月10日</p></div>"


def page(sample: bool, supplied: list[str]) -> str:
    marks = render("report_marks.html", mark=mark_line(sample, supplied), sample=sample, supplied=supplied)
    return f"<html><body><article><h1>报告</h1>{marks}{BODY}</article></body></html>"


def test_mark_line():
    assert mark_line(True, ["标题", "落款日期"]) == "示例数据，不是正式文件；标题、落款日期为编者补充"
    assert mark_line(True, []) == SAMPLE_MARK == "示例数据，不是正式文件"
    assert mark_line(False, ["标题"]) == "标题为编者补充"
    assert mark_line(False, []) == ""


def test_sample_report_txt_starts_with_the_mark_and_the_body_is_unchanged():
    report = parse(page(True, ["标题", "落款日期"]))
    lines = report.text().splitlines()
    assert lines[0] == "【示例数据，不是正式文件；标题、落款日期为编者补充】"
    assert lines[1:] == ["报告", "一、标题", "正文。", "某支部", "2023年1月10日"]  # the note is not a paragraph


def test_real_report_has_no_mark():
    report = parse(page(False, []))
    assert report.mark == ""
    assert report.text().splitlines()[0] == "报告"


def test_docx_headers_carry_the_mark(tmp_path):
    out = tmp_path / "r.docx"
    build_docx(parse(page(True, [])), out)
    doc = docx.Document(out)
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        assert [p.text for p in header.paragraphs if p.text] == [f"【{SAMPLE_MARK}】"]
    assert doc.paragraphs[0].text == "报告"  # the title stays the document's first paragraph
    assert doc.core_properties.comments == SAMPLE_MARK


def test_docx_of_real_data_has_no_header_text(tmp_path):
    out = tmp_path / "r.docx"
    build_docx(parse(page(False, [])), out)
    section = docx.Document(out).sections[0]
    assert not any(p.text for p in section.header.paragraphs)
