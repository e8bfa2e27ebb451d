"""The report as a Word document laid out as an official document (GB/T 9704-2012).

Made with python-docx from `report_content.Report` (the built 全文 page), so the .docx has the
site's text. Layout: A4; margins top 37, bottom 35, left 28, right 26 mm; a 22 lines × 28
characters grid; title 22 pt 小标宋; body 16 pt 仿宋, first line indented two characters;
`一、` headings 黑体 and `（一）` headings 楷体 as Word's Heading 1 / Heading 2 (so the navigation
pane works); page numbers "— 1 —" from a PAGE field, odd pages right, even pages left; 落款
right-aligned two characters in, kept on a page with the body's last lines. Chinese fonts are
set on `w:eastAsia` (and the Latin slots), theme fonts removed.
"""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from macros.core.upstream import require
from macros.exports.report_content import Report

# Fonts: one name each (Word takes one); the office's machines have these (Windows + WPS).
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING_1 = "黑体"
FONT_HEADING_2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"

PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_BLOCK = (156, 225)  # mm
LINES, CHARS = 22, 28
SIZE_TITLE, SIZE_BODY, SIZE_PAGE_NUMBER = Pt(22), Pt(16), Pt(14)  # 2号, 3号, 4号
# The grid: 225 mm / 22 lines = 28.95 pt per line = 579 twips (Word's "22 lines" setting)
LINE_PITCH_TWIPS = 579
LINE = Pt(LINE_PITCH_TWIPS / 20)
# 156 mm / 28 characters = 15.79 pt per character: 16 pt glyphs condensed by 0.25 pt (in 1/20 pt)
# give 28 to a line. (A linesAndChars document grid would do it in Word, but LibreOffice lays
# such a grid out differently, so the grid is lines only and the characters are condensed.)
CHAR_PITCH = Pt(TEXT_BLOCK[0] / 25.4 * 72 / CHARS)
CONDENSE = -5
# 页码 sits 7 mm below the text block: the footer's baseline about 35 - 7 - 5 mm from the edge
FOOTER_DISTANCE = Mm(23)

# Heading level in the report -> (Word style, font)
HEADINGS = {1: ("Heading 1", FONT_HEADING_1), 2: ("Heading 2", FONT_HEADING_2),
            3: ("Heading 3", FONT_BODY), 4: ("Heading 4", FONT_BODY)}
STYLE_TITLE = "公文标题"
STYLE_SIGNATURE = "落款"
STYLE_ADDRESSEE = "主送机关"


def _child(parent, tag: str):
    """parent's child element `tag`, created (first) if missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.insert(0, found)
    return found


def set_fonts(rpr_parent, name: str) -> None:
    """Set a font on every slot (ascii, hAnsi, eastAsia, cs) and drop theme fonts."""
    rpr = rpr_parent.get_or_add_rPr() if hasattr(rpr_parent, "get_or_add_rPr") else _child(rpr_parent, "w:rPr")
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), name)


def _indent_chars(paragraph_format, first_line: int = 0, right: int = 0) -> None:
    """Indents in characters (Word's 字符 unit, in hundredths), with lengths for other readers."""
    paragraph_format.first_line_indent = first_line * CHAR_PITCH
    if right:
        paragraph_format.right_indent = right * CHAR_PITCH
    ind = paragraph_format._element.pPr.find(qn("w:ind")) if paragraph_format._element.pPr is not None else None
    if ind is None:
        return
    ind.set(qn("w:firstLineChars"), str(first_line * 100))
    if right:
        ind.set(qn("w:rightChars"), str(right * 100))


# Elements that follow w:spacing in a run's properties (ECMA-376 CT_RPr order)
_AFTER_SPACING = {qn(f"w:{tag}") for tag in (
    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")}


def _condense(style, twentieths: int) -> None:
    """Character spacing (w:spacing in a run's properties), in 1/20 pt."""
    rpr = style.element.get_or_add_rPr()
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        following = next((child for child in rpr if child.tag in _AFTER_SPACING), None)
        if following is None:
            rpr.append(spacing)
        else:
            following.addprevious(spacing)
    spacing.set(qn("w:val"), str(twentieths))


def _style_text(style, font: str, size, *, bold=False, align=None, first_line=0, right=0,
                space_before=0, space_after=0) -> None:
    set_fonts(style.element, font)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    color = style.element.rPr.find(qn("w:color"))
    for attr in ("themeColor", "themeShade", "themeTint"):
        color.attrib.pop(qn(f"w:{attr}"), None)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(space_before * LINE.pt)
    fmt.space_after = Pt(space_after * LINE.pt)
    if align is not None:
        fmt.alignment = align
    _indent_chars(fmt, first_line=first_line, right=right)


def _styles(doc) -> None:
    styles = doc.styles
    # document defaults: the body font everywhere, Chinese language
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    set_fonts(defaults, FONT_BODY)
    lang = _child(defaults.find(qn("w:rPr")), "w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")

    _style_text(styles["Normal"], FONT_BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line=2)
    _condense(styles["Normal"], CONDENSE)
    for name, font in HEADINGS.values():
        style = styles[name]
        _style_text(style, font, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line=2)
        style.paragraph_format.keep_with_next = True
    title = styles.add_style(STYLE_TITLE, 1)
    title.style_id = "ReportTitle"
    title.base_style = styles["Normal"]
    title.next_paragraph_style = styles["Normal"]
    title.quick_style = True
    _style_text(title, FONT_TITLE, SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=1)
    # a 22 pt line is taller than a grid line: off the grid, or each title line takes two
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    title.element.pPr.find(qn("w:spacing")).addprevious(snap)
    addressee = styles.add_style(STYLE_ADDRESSEE, 1)
    addressee.style_id = "ReportAddressee"
    addressee.base_style = styles["Normal"]
    addressee.quick_style = True
    # 主送机关: 标题下空一行, 居左顶格 (the title's space after is that line)
    _style_text(addressee, FONT_BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.LEFT, first_line=0)
    signature = styles.add_style(STYLE_SIGNATURE, 1)
    signature.style_id = "ReportSignature"
    signature.base_style = styles["Normal"]
    signature.quick_style = True
    # 落款 of a document without a seal: right-aligned, two characters from the right (右空二字)
    _style_text(signature, FONT_BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.RIGHT, right=2)
    signature.paragraph_format.keep_with_next = True
    footer = styles["Footer"]
    _style_text(footer, FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)
    footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    # Word's built-in Title must not be used by mistake: nothing to change there.


def _page(section) -> None:
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    section.gutter = Mm(0)
    section.footer_distance = FOOTER_DISTANCE
    section.header_distance = Mm(15)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (e.g. PAGE) as begin / instruction / separate / result / end runs."""
    def fld_char(kind):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    fld_char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld_char("separate")
    paragraph.add_run(shown)
    fld_char("end")


def _page_number(footer, align) -> None:
    """"— 1 —": 4号 宋体, one character in from the outer edge of the text block."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.alignment = align
    side = "right_indent" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left_indent"
    setattr(paragraph.paragraph_format, side, SIZE_PAGE_NUMBER)
    paragraph.add_run("— ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


def _mark(section, text: str) -> None:
    """The sample / editor-supplied mark as the odd and even page headers: centred, bold, red, 【…】."""
    for header in (section.header, section.even_page_header) if text else ():
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(f"【{text}】")
        set_fonts(run._element, FONT_HEADING_1)
        run.bold = True
        run.font.size = SIZE_PAGE_NUMBER
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def build_docx(report: Report, path, *, author: str = "", date: dt.date | None = None) -> None:
    """Write the report to `path` as .docx."""
    # python-docx has no public API for paragraph indents in characters, section properties, field
    # codes in runs or removing a paragraph: its private _element, _sectPr and _r are used for them.
    require("python-docx", "1.2.0", "macros/exports/docx.py（_element、_sectPr、_r）")
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    _page(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    _mark(section, report.mark)  # sample data or editor-supplied parts: said on every page

    for empty in doc.paragraphs[:1]:  # the template's empty first paragraph
        empty._element.getparent().remove(empty._element)
    doc.add_paragraph(report.title, style=STYLE_TITLE)
    if report.addressee:  # 主送机关: under the title (a blank line between), flush left
        addressee = doc.add_paragraph(report.addressee, style=STYLE_ADDRESSEE)
        addressee.paragraph_format.keep_with_next = True
    for block in report.blocks:
        _block(doc, block)
    _signature(doc, report.signature)
    _properties(doc.core_properties, report, author, date)
    doc.save(str(path))
    _release(doc)


def _release(doc) -> None:
    """Empty a saved document's XML trees: python-docx's parts refer to each other, so its lxml trees
    (C memory) lived until a full garbage collection. 50-year strict build: peak RSS 244 → 182 MB."""
    for part in doc.part.package.iter_parts():
        if isinstance(part, XmlPart):
            part.element.clear()


def _block(doc, block) -> None:
    """A heading or a paragraph of the body; 待填 figures highlighted."""
    # body paragraphs take the default style (Normal) without naming it: python-docx resolves a
    # named style by scanning every style, which was half of the time of a document
    style = HEADINGS[min(block.level, 4)][0] if block.kind == "heading" else None
    paragraph = doc.add_paragraph(style=style)
    for run in block.runs:
        r = paragraph.add_run(run.text)
        if run.bold:
            r.bold = True
        if run.missing:
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _signature(doc, lines: list[str]) -> None:
    """落款: one line below the body, never alone on a page (the body's last lines go with it)."""
    if lines and doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    for i, line in enumerate(lines):
        paragraph = doc.add_paragraph(line, style=STYLE_SIGNATURE)
        if i == 0:  # 正文下空一行
            paragraph.paragraph_format.space_before = LINE
        if i == len(lines) - 1:
            paragraph.paragraph_format.keep_with_next = False


def _properties(props, report: Report, author: str, date: dt.date | None) -> None:
    props.title = report.title
    props.author = author
    props.last_modified_by = author
    props.language = "zh-CN"
    props.comments = report.mark
    props.revision = 1
    if date is not None:
        stamp = dt.datetime(date.year, date.month, date.day)
        props.created = stamp
        props.modified = stamp
