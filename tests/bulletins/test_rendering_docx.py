"""The Word edition of an issue: page set-up, named styles, fonts, masthead, contents, 版记."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, RGBColor
from PIL import Image

from bulletins.rendering.docx import (
    CONDENSE_TWIPS,
    LINE_TWIPS,
    issue_docx_display_name,
    issue_docx_filename,
    render_issue_docx,
)
from bulletins.rendering.html import printed_issue
from bulletins.rendering.ofd import render_issue_ofd
from bulletins.rendering.pdf import render_issue_pdf
from bulletins.services import article_create, article_update
from tests.editions import LICENSED, OFD, OFDPackage, all_paragraphs, east_asian_font, open_docx
from tests.printing import TITLES, Measured, body_html, build_issue

pytestmark = pytest.mark.django_db
COLUMNS = ["【上情下达】", "【经验交流】", "【学习动态】"]


@pytest.fixture
def issue():
    return build_issue(articles=5, paragraphs=5, name="工作简报", slug="jiangsu")


@pytest.fixture
def document(issue):
    return open_docx(render_issue_docx(issue))


def _by_style(document, name):
    return [p for p in all_paragraphs(document) if p.style.name == name]


def test_page_is_a4_with_the_official_margins_and_a_22_line_grid(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(m.mm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                         section.right_margin)]
    assert margins == [37.0, 35.0, 28.0, 26.0]
    settings = document.settings.element
    assert settings.find(qn("w:mirrorMargins")) is not None  # left = inside, right = outside
    assert document.settings.odd_and_even_pages_header_footer
    grid = section._sectPr.find(qn("w:docGrid"))  # noqa: SLF001
    assert grid.get(qn("w:type")) == "lines"
    assert int(grid.get(qn("w:linePitch"))) == LINE_TWIPS == 579
    # 22 lines fit in the 225 mm block, 23 would not.
    block = Length(section.page_height - section.top_margin - section.bottom_margin)
    assert 22 * LINE_TWIPS <= block.twips < 23 * LINE_TWIPS
    # 28 characters of 三号 (16 pt) condensed to fit 156 mm.
    width_pt = Length(section.page_width - section.left_margin - section.right_margin).pt
    assert 28 * (16 + CONDENSE_TWIPS / 20) <= width_pt < 29 * (16 + CONDENSE_TWIPS / 20)


def test_styles_are_named_and_carry_the_licensed_east_asian_fonts(document):
    expected = {"正文": "仿宋_GB2312", "文章标题": "方正小标宋简体", "一级标题": "黑体",
                "二级标题": "楷体_GB2312", "三级标题": "仿宋_GB2312", "栏目标题": "黑体",
                "刊名": "方正小标宋简体", "版记": "仿宋_GB2312", "页码": "宋体", "加粗": "黑体"}
    for name, font in expected.items():
        fonts = document.styles[name].element.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, name
        assert fonts.get(qn("w:ascii")) == font, name
    assert document.styles["正文"].font.size.pt == 16
    assert document.styles["文章标题"].font.size.pt == 22
    assert document.styles["文章标题"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert document.styles["刊名"].font.color.rgb == RGBColor(0xE6, 0x00, 0x12)
    body = document.styles["正文"].element.find(qn("w:pPr")).find(qn("w:ind"))
    assert body.get(qn("w:firstLineChars")) == "200"


def test_every_run_is_set_in_a_licensed_east_asian_font_through_styles(document):
    runs = 0
    for paragraph in all_paragraphs(document):
        for run in paragraph.runs:
            if run.text.strip():
                runs += 1
                assert east_asian_font(document, paragraph, run) in LICENSED, run.text
                # No direct font formatting: restyling a style restyles the document.
                r_pr = run._r.find(qn("w:rPr"))  # noqa: SLF001
                assert r_pr is None or r_pr.find(qn("w:rFonts")) is None, run.text
    assert runs > 50


def test_masthead_titles_headings_and_body_in_their_styles(document, issue):
    first = [p.text for p in document.paragraphs[:4]]
    assert first == ["建设学习型党组织、学习型领导班子", "工作简报", "第454期",
                     "协调小组办公室\t2023年11月25日"]
    office = document.paragraphs[3]
    assert office.style.name == "发文机关和日期"
    border = office.style.element.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "E60012"
    titles = ["".join(p.text.split()) for p in _by_style(document, "文章标题")]
    assert titles == ["".join(TITLES[i % len(TITLES)].split()) for i in range(5)]
    assert [p.text for p in _by_style(document, "栏目标题")] == COLUMNS
    headings = _by_style(document, "一级标题")
    assert headings and all(p.text.startswith(("一、", "二、")) for p in headings)
    assert len(_by_style(document, "正文")) >= 25
    assert [p.text for p in _by_style(document, "署名")] == ["临西县委常委、组织部部长 卫建豪"]
    assert [p.text for p in _by_style(document, "来源")] == ["（徐州市委宣传部）"]


def test_contents_by_column_with_page_references_to_the_titles(issue):
    issue.publication.toc_shows_pages = True
    issue.publication.save()
    document = open_docx(render_issue_docx(issue))
    entries = _by_style(document, "目录条目")
    assert len(entries) == 5
    assert [p.text for p in _by_style(document, "目录栏目")] == COLUMNS
    xml = entries[0]._p.xml  # noqa: SLF001
    bookmarks = [b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))]
    assert len(bookmarks) == 5
    assert f"PAGEREF {bookmarks[0]} \\h" in xml
    # The shown numbers are the pages of the PDF, two digits like the printed contents.
    shown = [p.text.rsplit("\t", 1)[-1][-2:] for p in entries]
    assert all(n.isdigit() for n in shown) and shown == sorted(shown)


def test_the_issue_is_loaded_once_for_the_word_file_and_its_pdf(issue, django_assert_num_queries):
    """The contents' page numbers come from the PDF, which is made from the issue loaded once."""
    issue.publication.toc_shows_pages = True
    issue.publication.save()
    with CaptureQueriesContext(connection) as loading:
        printed_issue(issue)
    with django_assert_num_queries(len(loading)):
        render_issue_docx(issue)  # the PDF made now
    with django_assert_num_queries(len(loading)):
        render_issue_docx(issue)  # the PDF from the cache


def test_the_pdf_word_and_ofd_files_name_the_same_author_subject_and_keywords():
    """Word keeps 255 characters of the subject (its limit); the PDF and the OFD keep it whole."""
    issue = build_issue(articles=10, paragraphs=1, name="工作简报", slug="jiangsu")
    author, subject, keywords = "协调小组办公室", "；".join(TITLES * 2), ["上情下达", "经验交流", "学习动态"]
    assert len(subject) > 255
    pdf = Measured(render_issue_pdf(issue)).reader.metadata
    word = open_docx(render_issue_docx(issue)).core_properties
    info = OFDPackage(render_issue_ofd(issue)).root.find(f"{OFD}DocBody/{OFD}DocInfo")
    assert (pdf.author, pdf.subject, pdf["/Keywords"]) == (author, subject, "，".join(keywords))
    assert (word.author, word.subject, word.keywords) == (author, subject[:255], "，".join(keywords))
    assert (info.findtext(f"{OFD}Author"), info.findtext(f"{OFD}Subject"),
            [keyword.text for keyword in info.iter(f"{OFD}Keyword")]) == (author, subject, keywords)


def test_footer_page_numbers_right_on_odd_pages_left_on_even(document):
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for paragraph in (odd, even):
        assert paragraph.style.name == "页码"
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))  # noqa: SLF001
        assert paragraph.text == "— 1 —"


def test_tail_is_a_table_with_rules_and_the_lines_in_order(document):
    tail = document.tables[-1]
    lines = [p.text for row in tail.rows for p in row.cells[0].paragraphs]
    assert lines == ["报：中央协调办、中宣部理论局、中组部干部局",
                     "送：省协调小组成员单位、省级机关各部委办厅局、各设区市委宣传部、各设区市委组织部、"
                     "省委党校、省社科院",
                     "发：各设区市委宣传部、组织部",
                     "协调小组办公室\t共印2000份"]
    borders = tail._tbl.tblPr.find(qn("w:tblBorders"))  # noqa: SLF001
    assert borders.find(qn("w:top")).get(qn("w:sz")) == "8"
    assert borders.find(qn("w:bottom")).get(qn("w:sz")) == "8"
    assert borders.find(qn("w:insideH")).get(qn("w:sz")) == "6"
    position = tail._tbl.tblPr.find(qn("w:tblpPr"))  # noqa: SLF001
    assert position.get(qn("w:tblpYSpec")) == "bottom"  # at the foot of the last page


def test_image_and_table_in_an_article_body(settings, issue):
    folder = settings.MEDIA_ROOT / "uploads"
    folder.mkdir(parents=True)
    Image.new("RGB", (1200, 600), (200, 30, 30)).save(folder / "photo.png")
    column = issue.articles.first().column
    article_create(issue=issue, column=column, title="图表",
                   body=body_html(1, headings=False)
                   + '<figure class="image"><img src="/media/uploads/photo.png"><figcaption>图一</figcaption>'
                   "</figure><figure class=\"table\"><table><tr><th>单位</th><th>人数</th></tr>"
                   "<tr><td>组织部</td><td>12</td></tr></table></figure>")
    document = open_docx(render_issue_docx(issue))
    pictures = document.inline_shapes
    assert len(pictures) == 1
    assert round(pictures[0].width.mm) == 156  # scaled down to the text block
    assert [p.text for p in _by_style(document, "图注")] == ["图一"]
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [["单位", "人数"], ["组织部", "12"]]


def test_file_names_follow_the_pdf(issue):
    assert issue_docx_filename(issue) == "jiangsu-2023-454.docx"
    assert issue_docx_display_name(issue) == "建设学习型党组织、学习型领导班子工作简报2023年第454期.docx"


def test_the_file_is_a_valid_package(issue):
    data = render_issue_docx(issue)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
    assert {"[Content_Types].xml", "word/document.xml", "word/styles.xml", "word/settings.xml"} <= set(names)
    assert sum(name.startswith("word/footer") for name in names) >= 2


def test_editor_notes_keep_their_line_breaks_inside_runs(issue):
    issue.editor_note = "本期编发两篇。\n请各单位参阅。"
    issue.save()
    article = issue.articles.first()
    article_update(article=article, by=None, editor_note="第一段。\n第二段。")
    document = open_docx(render_issue_docx(issue))
    notes = [p.text for p in _by_style(document, "编者按")]
    assert notes == ["编者按：本期编发两篇。\n请各单位参阅。", "编者按：第一段。\n第二段。"]
    body = document.element.body
    for tag in ("w:br", "w:t", "w:tab", "w:fldChar", "w:instrText"):
        # (a w:tab is also a tab stop inside w:tabs)
        assert all(e.getparent().tag in {qn("w:r"), qn("w:tabs")} for e in body.iter(qn(tag))), tag


def test_unnumbered_masthead_and_tail_pages(issue):
    publication = issue.publication
    publication.number_first_page = False
    publication.number_tail_page = False
    publication.save()
    document = open_docx(render_issue_docx(issue))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_footer.paragraphs[0].text == ""
    codes = "".join(t.text for t in section.footer.paragraphs[0]._p.iter(qn("w:instrText")))  # noqa: SLF001
    # No number on the last page, the one holding the 版记; "— N —" on the others.
    assert codes == ' IF  PAGE  =  NUMPAGES  "" "—  PAGE  —" '
