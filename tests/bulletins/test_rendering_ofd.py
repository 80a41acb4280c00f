"""The OFD edition of an issue: package structure, text with positions, fonts, rules, images."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fontTools.ttLib import TTFont
from PIL import Image

from bulletins.rendering.html import printed_issue
from bulletins.rendering.ofd import delta_x, issue_ofd_display_name, issue_ofd_filename, render_issue_ofd
from bulletins.rendering.pdf import render_issue_pdf
from bulletins.services import article_create
from tests.editions import OFD, OFDPackage, expand_delta
from tests.printing import PT_PER_MM, Measured, body_html, build_issue

pytestmark = pytest.mark.django_db
HALF_POINT_MM = 0.5 / PT_PER_MM


@pytest.fixture
def issue():
    return build_issue(articles=5, paragraphs=5, name="工作简报", slug="jiangsu")


def check_structure(ofd: OFDPackage) -> None:
    """Entry, document root, page tree, resources and contents as GB/T 33190 lays them out."""
    assert ofd.root.tag == f"{OFD}OFD" and ofd.root.get("DocType") == "OFD"
    info = ofd.root.find(f"{OFD}DocBody/{OFD}DocInfo")
    assert info.find(f"{OFD}DocID").text and info.find(f"{OFD}Title").text
    assert ofd.doc_root in ofd.parts
    common = ofd.document.find(f"{OFD}CommonData")
    assert common.find(f"{OFD}PageArea/{OFD}PhysicalBox").text == "0 0 210 297"
    max_id = int(common.find(f"{OFD}MaxUnitID").text)
    ids = [int(e.get("ID")) for part in ofd.xml.values() for e in part.iter()
           if e.get("ID") is not None]
    assert len(ids) == len(set(ids)), "IDs are unique within the document"
    assert max(ids) <= max_id
    for part in ofd.page_parts:
        page = ofd.xml[part]
        assert page.tag == f"{OFD}Page"
        assert page.find(f"{OFD}Content/{OFD}Layer") is not None
    fonts = ofd.fonts()
    assert fonts
    for font_id, (element, data) in fonts.items():
        font = TTFont(io.BytesIO(data))
        covered = set(font.getBestCmap())
        used = {ch for part in ofd.page_parts for t in ofd.xml[part].iter(f"{OFD}TextObject")
                if t.get("Font") == font_id for code in t.iter(f"{OFD}TextCode") for ch in code.text}
        assert {ord(ch) for ch in used} <= covered, element.get("FontName")
    for text_object in (t for part in ofd.page_parts for t in ofd.xml[part].iter(f"{OFD}TextObject")):
        assert text_object.get("Font") in fonts
        for code in text_object.iter(f"{OFD}TextCode"):
            assert len(expand_delta(code.get("DeltaX", ""))) == len(code.text) - 1


def check_matches_pdf(ofd: OFDPackage, pdf: Measured) -> None:
    """Same pages; the same characters in reading order; every glyph within half a point."""
    assert len(ofd.page_parts) == len(pdf.pages)
    for index, page in enumerate(pdf.pages):
        height = page.height
        # A ligature glyph ("——") stands for several characters, which share its advance.
        pdf_chars = sorted(((round(c["matrix"][5], 1) * -1,
                             c["matrix"][4] + i * (c["x1"] - c["x0"]) / len(c["text"]), ch, c["size"])
                            for c in page.chars if c["text"].strip() for i, ch in enumerate(c["text"])))
        ofd_chars = sorted((round(height - c.baseline * PT_PER_MM, 1) * -1, c.x * PT_PER_MM, c.text,
                             c.size * PT_PER_MM) for c in ofd.chars(index) if c.text.strip())
        assert "".join(c[2] for c in ofd_chars) == "".join(c[2] for c in pdf_chars), f"page {index + 1}"
        for ours, theirs in zip(ofd_chars, pdf_chars, strict=True):
            assert abs(ours[0] - theirs[0]) <= 0.5 and abs(ours[1] - theirs[1]) <= 0.5, (ours, theirs)
            assert abs(ours[3] - theirs[3]) <= 0.05


def test_package_structure_and_text_match_the_pdf(issue):
    ofd = OFDPackage(render_issue_ofd(issue))
    check_structure(ofd)
    check_matches_pdf(ofd, Measured(render_issue_pdf(issue)))
    assert {"OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml", "Doc_0/DocumentRes.xml",
            "Doc_0/Pages/Page_0/Content.xml"} <= set(ofd.parts)


def test_red_masthead_rule_and_black_tail_rules_are_vector_paths(issue):
    ofd = OFDPackage(render_issue_ofd(issue))
    first = ofd.xml[ofd.page_parts[0]]
    red = [p for p in first.iter(f"{OFD}PathObject")
           if p.find(f"{OFD}FillColor") is not None and p.find(f"{OFD}FillColor").get("Value") == "230 0 18"]
    assert red
    x, _, width, _ = (float(v) for v in red[0].get("Boundary").split())
    assert (x, width) == (28, 156)
    name = [t for t in first.iter(f"{OFD}TextObject")
            if t.find(f"{OFD}FillColor") is not None and "工作简报" in t.find(f"{OFD}TextCode").text]
    assert name and name[0].find(f"{OFD}FillColor").get("Value") == "230 0 18"
    last = ofd.xml[ofd.page_parts[-1]]
    rules = [p for p in last.iter(f"{OFD}PathObject")
             if abs(float(p.get("Boundary").split()[2]) - 156) < 0.5]
    bottoms = [float(p.get("Boundary").split()[1]) + float(p.get("Boundary").split()[3]) for p in rules]
    assert len(rules) >= 3 and abs(max(bottoms) - 262) <= 0.5  # last rule on the block bottom


def test_page_numbers_are_text_at_the_pdf_positions(issue):
    ofd = OFDPackage(render_issue_ofd(issue))
    for index in range(1, len(ofd.page_parts)):
        folio = [c for c in ofd.chars(index) if c.baseline > 265]
        text = "".join(c.text for c in folio)
        assert text.replace(" ", "") in {f"—{index + 1}—", ""}


def test_images_are_embedded_where_the_pdf_draws_them(settings, issue):
    folder = settings.MEDIA_ROOT / "uploads"
    folder.mkdir(parents=True)
    Image.new("RGB", (800, 400), (30, 90, 200)).save(folder / "chart.png")
    Image.new("RGB", (400, 300), (10, 200, 10)).save(folder / "photo.jpg", quality=90)
    column = issue.articles.first().column
    article_create(issue=issue, column=column, title="图片", body=body_html(1, headings=False)
                   + '<p><img src="/media/uploads/chart.png"></p><p><img src="/media/uploads/photo.jpg"></p>')
    pdf = Measured(render_issue_pdf(issue))
    ofd = OFDPackage(render_issue_ofd(issue))
    media = {m.get("ID"): m for m in ofd.res("DocumentRes").iter(f"{OFD}MultiMedia")}
    assert sorted(m.get("Format") for m in media.values()) == ["JPEG", "PNG"]
    placed = []
    for index, part in enumerate(ofd.page_parts):
        for image in ofd.xml[part].iter(f"{OFD}ImageObject"):
            data = ofd.res_file("DocumentRes", media[image.get("ResourceID")].find(f"{OFD}MediaFile").text)
            picture = Image.open(io.BytesIO(data))
            placed.append((index, picture.size, [float(v) for v in image.get("Boundary").split()]))
    assert sorted(size for _, size, _ in placed) == [(400, 300), (800, 400)]
    for index, _, (x, y, w, _h) in placed:
        pdf_images = pdf.pages[index].images
        assert any(abs(x - i["x0"] / PT_PER_MM) < HALF_POINT_MM
                   and abs(y - i["top"] / PT_PER_MM) < HALF_POINT_MM
                   and abs(w - i["width"] / PT_PER_MM) < HALF_POINT_MM for i in pdf_images)
    check_matches_pdf(ofd, pdf)


def test_outline_points_at_the_pages_of_the_titles(issue):
    ofd = OFDPackage(render_issue_ofd(issue))
    outline = ofd.document.find(f"{OFD}Outlines")
    columns = outline.findall(f"{OFD}OutlineElem")
    assert [c.get("Title") for c in columns] == ["【上情下达】", "【经验交流】", "【学习动态】"]
    page_ids = [p.get("ID") for p in ofd.document.find(f"{OFD}Pages")]
    for element in outline.iter(f"{OFD}OutlineElem"):
        assert element.find(f"{OFD}Actions/{OFD}Action/{OFD}Goto/{OFD}Dest").get("PageID") in page_ids


def test_delta_x_compresses_equal_advances():
    assert delta_x([5.571, 5.571, 5.571, 3.1, 5.571]) == "g 3 5.571 3.1 5.571"
    assert expand_delta(delta_x([1.0, 1.0, 2.5])) == [1.0, 1.0, 2.5]


def test_file_names_follow_the_pdf(issue):
    assert issue_ofd_filename(issue) == "jiangsu-2023-454.ofd"
    assert issue_ofd_display_name(issue) == "建设学习型党组织、学习型领导班子工作简报2023年第454期.ofd"


def test_served_from_the_cache_until_the_issue_changes(issue, monkeypatch, django_assert_max_num_queries):
    from bulletins.rendering import ofd as ofd_module
    from bulletins.services import article_update

    first = render_issue_ofd(issue)
    calls = []
    real = ofd_module.pdf_to_ofd
    monkeypatch.setattr(ofd_module, "pdf_to_ofd", lambda *a, **k: calls.append(1) or real(*a, **k))
    with django_assert_max_num_queries(3):
        assert render_issue_ofd(issue) == first
    assert calls == []
    article = issue.articles.first()
    article_update(article=article, by=None, title="改过的标题")
    changed = OFDPackage(render_issue_ofd(issue))
    assert calls == [1]
    assert "改过的标题" in "".join(changed.text(i) for i in range(len(changed.page_parts)))


def test_the_issue_is_loaded_once_for_the_ofd_file_and_its_pdf(issue, django_assert_num_queries):
    with CaptureQueriesContext(connection) as loading:
        printed_issue(issue)
    with django_assert_num_queries(len(loading)):
        render_issue_ofd(issue)  # the PDF made now
    with django_assert_num_queries(len(loading)):
        render_issue_ofd(issue, use_cache=False)


def test_fonts_without_an_embedded_program_are_subset_from_the_configured_faces(monkeypatch):
    """A PDF font whose program cannot be reused is matched by name to the configured face."""
    from bulletins.rendering import ofd as ofd_module

    issue = build_issue(articles=1, paragraphs=1, name="工作简报", slug="jiangsu", distribution=False)
    monkeypatch.setattr(ofd_module, "embedded_program", lambda pdf_font: None)
    ofd = OFDPackage(render_issue_ofd(issue, use_cache=False))
    check_structure(ofd)
    check_matches_pdf(ofd, Measured(render_issue_pdf(issue)))
    fonts = ofd.fonts()
    families = {element.get("FamilyName") for element, _ in fonts.values()}
    assert {"Noto Serif CJK SC", "Noto Sans CJK SC"} <= families
    for _, data in fonts.values():
        font = TTFont(io.BytesIO(data))
        assert len(font.getGlyphOrder()) < 400  # subset to the characters used
