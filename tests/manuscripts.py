"""Word manuscripts built with python-docx the way offices write them: headings set only through
East Asian fonts (w:eastAsia) and their numbering text, never Word's heading styles."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

TITLE = "镇江市：强化示范带动 推动理论学习走深走实"
SUBTITLE = "——镇江市党委中心组学习经验"
BYLINE = "镇江市委宣传部 王明"
SOURCE = "（镇江市委宣传部）"


def png(size=(60, 40), colour="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="GIF")
    return buffer.getvalue()


def east_asian(paragraph, text: str, font: str, size: float = 16, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:ascii"), "Times New Roman")
    fonts.set(qn("w:hAnsi"), "Times New Roman")
    fonts.set(qn("w:eastAsia"), font)
    return run


def body(document, *runs, indent: bool = True, align=None):
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    if align is not None:
        paragraph.alignment = align
    for run in runs:
        text, font, bold = (*run, False)[:3] if isinstance(run, tuple) else (run, "仿宋_GB2312", False)
        east_asian(paragraph, text, font, bold=bold)
    return paragraph


def save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def official_manuscript(image: bytes | None = None, *, title: str = TITLE) -> bytes:
    """A manuscript as a city office sends it: centred 小标宋 title, subtitle, byline, headings
    by font and numbering, a bold lead-in, a table, an image, a list and the source line."""
    document = Document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    east_asian(heading, title, "方正小标宋简体", size=22)
    body(document, SUBTITLE, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    body(document, (BYLINE, "楷体_GB2312"), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    document.add_paragraph()  # an empty line, as typed
    body(document, "今年以来，镇江市着眼于加强中心组学习，取得明显成效。")
    body(document, ("一、突出学习重点", "黑体"))
    body(document, ("（一）坚持读原著", "楷体_GB2312"))
    body(document, ("聚力高位谋划。", "黑体", True), "坚持把学习贯彻作为首要政治任务。")
    body(document, "1.建立学习制度")
    body(document, "（1）每月集中学习一次")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("区县", "场次"), ("京口区", "12")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            east_asian(cell.paragraphs[0], text, "仿宋_GB2312", size=12)
    document.add_picture(io.BytesIO(image if image is not None else png()))
    body(document, ("二、创新学习形式", "黑体", True))
    for item in ("领导带头学", "专题研讨学"):
        east_asian(document.add_paragraph(style="List Bullet"), item, "仿宋_GB2312")
    body(document, "通过以上措施，学习质量明显提升。")
    body(document, SOURCE, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return save(document)


OFFICIAL_BODY = (
    "<p>今年以来，镇江市着眼于加强中心组学习，取得明显成效。</p>"
    "<h2>一、突出学习重点</h2>"
    "<h3>（一）坚持读原著</h3>"
    "<p><strong>聚力高位谋划。</strong>坚持把学习贯彻作为首要政治任务。</p>"
    "<h4>1.建立学习制度</h4>"
    "<h4>（1）每月集中学习一次</h4>"
    '<figure class="table"><table><tbody><tr><td>区县</td><td>场次</td></tr>'
    "<tr><td>京口区</td><td>12</td></tr></tbody></table></figure>"
    '<figure class="image"><img src="{image}"></figure>'
    "<h2>二、创新学习形式</h2>"
    "<ul><li>领导带头学</li><li>专题研讨学</li></ul>"
    "<p>通过以上措施，学习质量明显提升。</p>"
)


def wps_manuscript() -> bytes:
    """What WPS Office writes: its application name, a title in the 标题 style, a Word heading
    style on a （一） heading, full-width spaces and a full-width dot in the numbering, 编者按,
    and a byline before it."""
    document = Document()
    title = document.add_paragraph(style="Title")
    east_asian(title, "省委理论学习中心组举行集体学习", "方正小标宋简体", size=22)
    body(document, ("临西县委常委、组织部部长 卫建豪", "楷体_GB2312"), indent=False)
    body(document, "编者按：近日，省委理论学习中心组举行集体学习，现将有关情况刊发。")
    body(document, "会议指出，要深入学习贯彻党的创新理论。")
    body(document, ("一、　提高政治站位", "黑体"))
    styled = document.add_paragraph(style="Heading 1")  # Word's 标题 1 on a level-2 heading
    east_asian(styled, "（一）强化理论武装", "楷体_GB2312")
    unnumbered = document.add_paragraph(style="Heading 2")  # a heading style without numbering
    east_asian(unnumbered, "抓好专题学习", "黑体")
    body(document, "2．落实学习责任")
    body(document, "\u3000\u3000会议强调，各级党组织要把学习成果转化为推动工作的实际成效。", indent=False)
    raw = save(document)
    return _as_wps(raw)


def _as_wps(raw: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/app.xml":
                data = re.sub(rb"<Application>.*?</Application>",
                              b"<Application>WPS Office_12.1.0.16388</Application>", data)
            if info.filename == "word/document.xml":
                # WPS writes w:jc="both" on body paragraphs and keeps w:bCs beside w:b.
                data = data.replace(b"<w:b/>", b"<w:b/><w:bCs/>")
            target.writestr(info, data)
    return out.getvalue()


def empty_manuscript() -> bytes:
    document = Document()
    document.add_paragraph()
    document.add_paragraph("   ")
    return save(document)


NUMBERING = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    w:abstractNumId="{id}">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>"""


def auto_numbered_manuscript() -> bytes:
    """Headings numbered by Word's multilevel numbering (一、 （一） 1.), not typed, and an
    ordinary bulleted list."""
    from docx.oxml import parse_xml

    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    east_asian(title, "关于加强理论学习的情况报告", "方正小标宋简体", size=22)
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING.format(id=77)))
    numbering.append(parse_xml('<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                               'main" w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))

    def numbered(text: str, level: int, font: str) -> None:
        paragraph = body(document, (text, font))
        properties = paragraph._p.get_or_add_pPr()
        properties.append(parse_xml(
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:ilvl w:val="{level}"/><w:numId w:val="77"/></w:numPr>'))

    numbered("总体情况", 0, "黑体")
    body(document, "全年共组织集体学习十二次。")
    numbered("主要做法", 0, "黑体")
    numbered("坚持读原著", 1, "楷体_GB2312")
    numbered("建立学习制度", 2, "仿宋_GB2312")
    numbered("落实学习责任", 2, "仿宋_GB2312")
    numbered("丰富学习形式", 1, "楷体_GB2312")
    numbered("建立学习制度", 2, "仿宋_GB2312")
    for item in ("领导带头学", "专题研讨学"):
        east_asian(document.add_paragraph(style="List Bullet"), item, "仿宋_GB2312")
    return save(document)
