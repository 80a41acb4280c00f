"""The PDF of an issue, measured: GB/T 9704 page and grid, masthead, TOC, page numbers, tail."""

import pytest
from django.db import transaction

from bulletins.rendering.pdf import render_issue_pdf
from tests.printing import (
    BLOCK_BOTTOM_MM,
    BLOCK_LEFT_MM,
    BLOCK_TOP_MM,
    TITLES,
    Measured,
    build_issue,
    mm,
)

# The module fixtures need the test database set up even when only they are selected.
pytestmark = pytest.mark.django_db

A4_PT = (595.28, 841.89)


@pytest.fixture(scope="module")
def hebei_like(django_db_setup, django_db_blocker):
    """A 7-8 page issue of a publication printing a TOC with page numbers, double-sided."""
    with django_db_blocker.unblock(), transaction.atomic():
        issue = build_issue(toc_shows_pages=True, has_total_number=True, marking="党内刊物·注意保存",
                            editorial_block="编辑：《党委中心组理论学习通讯》编辑部 电话：（0311）83012929\n"
                                            "邮编：050051 邮箱：lilunxuanjiang@163.com")
        pdf = Measured(render_issue_pdf(issue, use_cache=False))
        titles = [a.title for a in issue.articles.order_by("position")]
        transaction.set_rollback(True)
    return pdf, titles


def test_every_page_is_a4(hebei_like):
    pdf, _ = hebei_like
    assert len(pdf.pages) >= 5
    for page in pdf.pages:
        assert (round(page.width, 1), round(page.height, 1)) == pytest.approx(A4_PT, abs=0.5)


def test_text_block_starts_28mm_from_the_left_and_37mm_from_the_top(hebei_like):
    pdf, _ = hebei_like
    for number in range(2, len(pdf.pages) + 1):
        chars = pdf.block_chars(number)
        if not pdf.body_chars(number):
            continue
        left = min(mm(c["x0"]) for c in chars)
        first = min(chars, key=lambda c: c["top"])
        assert left == pytest.approx(BLOCK_LEFT_MM, abs=1), f"page {number}"
        assert pdf.em_top_mm(first, pdf.pages[0].height) == pytest.approx(BLOCK_TOP_MM, abs=1), \
            f"page {number}"


def test_body_text_is_set_on_the_22_line_grid(hebei_like):
    pdf, _ = hebei_like
    tops = sorted({round(mm(c["top"]), 1) for c in pdf.body_chars(3)})
    steps = {round(b - a, 1) for a, b in zip(tops, tops[1:], strict=False)}
    assert min(steps) == pytest.approx(225 / 22, abs=0.15)
    assert len(tops) >= 18


def test_masthead_red_name_is_on_the_first_page_only(hebei_like):
    pdf, _ = hebei_like
    red = "".join(c["text"] for c in pdf.red_chars(1))
    assert "工作简报" in red
    assert "建设学习型党组织、学习型领导班子" in red
    assert all(not pdf.red_chars(n) for n in range(2, len(pdf.pages) + 1))
    first = pdf.text(1)
    assert "党内刊物·注意保存" in first
    assert "第454期" in first and "总第453期" in first
    assert "协调小组办公室" in first and "2023年11月25日" in first


def test_toc_page_numbers_are_the_pages_where_the_articles_start(hebei_like):
    pdf, titles = hebei_like
    lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
    printed_numbers = [int(line[-2:]) for line in lines if line[-2:].isdigit() and "..." in line]
    assert len(printed_numbers) == len(titles)
    title_pages = pdf.titles_by_page()
    for title, printed in zip(titles, printed_numbers, strict=True):
        start = title.split(" ")[0]
        actual = next(n for n, text in title_pages.items() if start in text)
        assert printed == actual, title


def test_page_numbers_are_dashed_and_alternate_sides(hebei_like):
    pdf, _ = hebei_like
    for number in range(1, len(pdf.pages) + 1):
        folio = pdf.folio(number)
        if number == len(pdf.pages) and folio is None:
            continue
        text, centre = folio
        assert text.replace(" ", "") == f"—{number}—"
        if number % 2:
            assert centre > 105 + 40, f"odd page {number} numbered on the right"
        else:
            assert centre < 105 - 40, f"even page {number} numbered on the left"


def test_tail_is_on_the_last_page_only_and_ends_on_the_block_bottom(hebei_like):
    pdf, _ = hebei_like
    last = len(pdf.pages)
    for number in range(1, last):
        assert "报：" not in pdf.text(number)
        assert "共印" not in pdf.text(number)
    text = pdf.text(last)
    for expected in ("报：中央协调办、中宣部理论局、中组部干部局", "发：各设区市委宣传部、组织部",
                     "共印2000份", "编辑：《党委中心组理论学习通讯》编辑部"):
        assert expected in text
    rules = pdf.rules(last)
    assert len(rules) >= 3
    first_rule_top, last_rule_bottom = rules[0][0], rules[-1][1]
    assert last_rule_bottom == pytest.approx(BLOCK_BOTTOM_MM, abs=2)
    assert all(round(width) == 156 for _, _, width in rules)
    assert not [c for c in pdf.body_chars(last) if mm(c["top"]) > first_rule_top]


def test_send_line_wraps_under_its_first_recipient(hebei_like):
    pdf, _ = hebei_like
    last = pdf.pages[-1]
    lines = last.extract_text_lines()
    index = next(i for i, line in enumerate(lines) if line["text"].startswith("送："))
    first_recipient_x = next(c["x0"] for c in lines[index]["chars"] if c["text"] == "省")
    assert lines[index + 1]["x0"] == pytest.approx(first_recipient_x, abs=1)


def test_column_headings_and_titles_never_end_a_page(hebei_like):
    pdf, _ = hebei_like
    for number in range(1, len(pdf.pages)):
        lines = pdf.pages[number - 1].extract_text_lines()
        in_block = [line for line in lines if mm(line["bottom"]) < BLOCK_BOTTOM_MM + 2]
        last_line = in_block[-1]
        assert not last_line["text"].startswith("【"), f"page {number}"
        assert not all(abs(c["size"] - 22) < 0.3 for c in last_line["chars"]), f"page {number}"


def test_every_font_is_embedded_and_subset_and_bold_is_a_real_face(hebei_like):
    pdf, _ = hebei_like
    fonts = {}
    for page in pdf.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                           "/FontFile3"))
    assert fonts and all(fonts.values())
    assert all("+" in name for name in fonts)  # subset tag
    title_fonts = {c["fontname"] for c in pdf.chars(2) if abs(c["size"] - 22) < 0.3}
    assert title_fonts and all("Bold" in name for name in title_fonts)


def test_bookmarks_for_each_column_and_article(hebei_like):
    pdf, titles = hebei_like
    outline = pdf.reader.outline
    columns = [item.title for item in outline if not isinstance(item, list)]
    articles = [child.title for item in outline if isinstance(item, list) for child in item]
    assert columns == ["【上情下达】", "【经验交流】", "【学习动态】"]
    assert articles == titles


def test_metadata_title_author_subject_language_and_date(hebei_like):
    pdf, titles = hebei_like
    meta = pdf.reader.metadata
    assert meta.title.endswith("（2023年第454期）")
    assert meta.author == "协调小组办公室"
    assert titles[0] in meta.subject
    assert meta.creation_date.date().isoformat() == "2023-11-25"
    assert pdf.reader.trailer["/Root"]["/Lang"] == "zh-CN"


@pytest.mark.django_db
def test_a_tail_that_does_not_fit_goes_to_an_even_page_with_a_blank_page_before():
    issue = build_issue(articles=1, paragraphs=0, prints_toc=False, double_sided=True)
    article = issue.articles.get()
    line = "会议强调，当前第二批主题教育正是船到中流、人到半山的关键时候。"[:24]
    # Fill pages 1 and 2 up to their last line with one-line paragraphs, so the tail
    # (several lines) cannot follow on page 2 and would land on the odd page 3.
    probe = Measured(_render_with_lines(article, line, 60))
    lines_on_page_one = probe.text(1).count(line[:4])
    pdf = Measured(_render_with_lines(article, line, lines_on_page_one + 22 - 1))
    assert len(pdf.pages) == 4
    assert not pdf.chars(3), "page 3 is left blank"
    assert "报：" in pdf.text(4) and not pdf.body_chars(4)


@pytest.mark.django_db
def test_single_sided_tail_goes_to_the_next_page():
    issue = build_issue(articles=1, paragraphs=0, prints_toc=False, double_sided=False)
    article = issue.articles.get()
    line = "会议强调，当前第二批主题教育正是船到中流、人到半山的关键时候。"[:24]
    probe = Measured(_render_with_lines(article, line, 60))
    lines_on_page_one = probe.text(1).count(line[:4])
    pdf = Measured(_render_with_lines(article, line, lines_on_page_one + 22 - 1))
    assert len(pdf.pages) == 3
    assert "报：" in pdf.text(3) and not pdf.body_chars(3)


def _render_with_lines(article, line: str, count: int) -> bytes:
    type(article).objects.filter(pk=article.pk).update(body=f"<p>{line}</p>" * count)
    return render_issue_pdf(article.issue, use_cache=False)


@pytest.mark.django_db
def test_tail_and_masthead_pages_carry_no_number_when_the_publication_says_so():
    issue = build_issue(articles=3, paragraphs=6, number_first_page=False, number_tail_page=False)
    pdf = Measured(render_issue_pdf(issue, use_cache=False))
    assert len(pdf.pages) >= 3
    assert pdf.folio(1) is None
    assert pdf.folio(len(pdf.pages)) is None
    assert pdf.folio(2)[0].replace(" ", "") == "—2—"


@pytest.mark.django_db
def test_issues_of_publications_with_different_layouts_rendered_in_turn_keep_their_own():
    # The stylesheet is parsed once and reused: each publication must still get its own.
    unnumbered = build_issue(articles=3, paragraphs=6, number_first_page=False)
    numbered = build_issue(articles=3, paragraphs=6, number_first_page=True)
    first_folios = [Measured(render_issue_pdf(issue, use_cache=False)).folio(1)
                    for issue in (unnumbered, numbered, unnumbered, numbered)]
    assert first_folios[0] is None and first_folios[2] is None
    assert first_folios[1][0].replace(" ", "") == first_folios[3][0].replace(" ", "") == "—1—"


@pytest.mark.django_db
def test_roles_only_where_there_are_recipients_and_addition_last():
    issue = build_issue(articles=1, paragraphs=2, distribution=False)
    from bulletins.models import IssueRecipient, Organisation, Role

    org = Organisation.objects.create(name="省委办公厅")
    extra = Organisation.objects.create(name="省政府研究室")
    IssueRecipient.objects.create(issue=issue, role=Role.ISSUE, organisation=extra, is_addition=True)
    IssueRecipient.objects.create(issue=issue, role=Role.COPY, organisation=org)
    text = Measured(render_issue_pdf(issue, use_cache=False)).pages[-1].extract_text()
    assert not [line for line in text.splitlines() if line.startswith(("报：", "送：", "发："))]
    assert text.index("抄送：省委办公厅") < text.index("本期增发：省政府研究室")


@pytest.mark.django_db
def test_long_titles_break_into_balanced_lines():
    from bulletins.rendering.html import balance_title

    lines = balance_title(TITLES[1])
    assert lines == ["信长星在全省宣传思想文化工作会议上强调", "坚持以习近平文化思想为引领",
                     "在建设中华民族现代文明上探索新经验"]
    assert balance_title("短标题") == ["短标题"]
    long = "关于进一步提高党委理论学习中心组学习质量推动学习贯彻走深走实的意见"
    parts = balance_title(long)
    assert "".join(parts) == long and len(parts) == 2
    assert abs(len(parts[0]) - len(parts[1])) <= 2


@pytest.mark.django_db
def test_pdf_a_3b_for_archiving_when_the_setting_asks(settings):
    settings.BULLETIN_PDF_VARIANT = "pdf/a-3b"
    issue = build_issue(articles=1, paragraphs=2)
    pdf = Measured(render_issue_pdf(issue, use_cache=False))
    xmp = pdf.reader.xmp_metadata
    assert xmp is not None
    raw = pdf.reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in raw or 'pdfaid:part="3"' in raw
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in raw or 'pdfaid:conformance="B"' in raw
    assert "/OutputIntents" in pdf.reader.trailer["/Root"]
