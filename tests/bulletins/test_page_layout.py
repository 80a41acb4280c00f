"""Pages filled as a typesetter fills them, on 30 generated issues (fixed seeds): no page left
more than a third empty before an article that starts on the next one, table headers repeated
on every page a table spans, no title ending with a single character on its last line."""

import pytest
from django.db import transaction

from bulletins.rendering.html import balance_title, printed_issue, render_issue_html
from bulletins.rendering.pdf import render_document
from bulletins.rendering.typesetting import typeset_body
from tests.layout import generate_issue, page_layouts, pushed_over_pages

pytestmark = pytest.mark.django_db

SEEDS = range(30)


@pytest.fixture(scope="module")
def laid_out(django_db_setup, django_db_blocker, tmp_path_factory):
    """(seed, page layouts) of each generated issue; layout only, no PDF written."""
    from django.conf import settings

    media_root = tmp_path_factory.mktemp("media")
    old_root, settings.MEDIA_ROOT = settings.MEDIA_ROOT, media_root
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            result = [(seed, page_layouts(render_document(render_issue_html(
                printed_issue(generate_issue(seed, media_root))))))
                for seed in SEEDS]
            transaction.set_rollback(True)
    finally:
        settings.MEDIA_ROOT = old_root
    return result


def test_the_generated_issues_span_pages_tables_and_titles(laid_out):
    assert sum(len(pages) for _, pages in laid_out) > 150
    assert sum(len(pushed_over_pages(pages)) for _, pages in laid_out) > 30
    continued = [page for _, pages in laid_out for page in pages[1:] if page.table_rows]
    assert continued


def test_no_page_is_left_more_than_a_third_empty_before_an_article(laid_out):
    """More than a third stays empty only where the next article's head (column heading,
    title, subtitle, byline and two lines of text) is itself taller than what is left."""
    pushed = [(seed, page) for seed, pages in laid_out for page in pushed_over_pages(pages)]
    too_empty = [(seed, page) for seed, page in pushed if page.empty_share > 1 / 3 and page.head_would_fit]
    assert not too_empty


def test_a_table_continued_on_a_new_page_starts_with_its_header_row(laid_out):
    missing = []
    for seed, pages in laid_out:
        seen = set()
        for page in pages:
            firsts = {}
            for table, is_header in page.table_rows:
                firsts.setdefault(table, is_header)
            missing += [(seed, page.number) for table, is_header in firsts.items()
                        if table in seen and not is_header]
            seen |= set(firsts)
    assert not missing


def test_no_title_ends_with_a_single_character_on_its_own_line(laid_out):
    lonely = [(seed, page.number, line) for seed, pages in laid_out for page in pages
              for line in page.title_last_lines if len(line.strip()) == 1]
    assert not lonely


@pytest.mark.parametrize("title", ["服务群众“最后一公里”主题教育强化示范带动",
                                   "以“四下基层”推动主题教育走深走实见行见效"])
def test_a_title_with_full_width_quotes_is_balanced_on_two_lines(title):
    lines = balance_title(title)
    assert "".join(lines) == title
    assert len(lines) == 2
    assert min(len(line) for line in lines) >= 10


def test_a_first_row_of_header_cells_becomes_the_tables_thead():
    body = typeset_body("<figure class=\"table\"><table><tbody><tr><th>单位</th><th>篇数</th></tr>"
                        "<tr><td>甲</td><td>3</td></tr></tbody></table></figure>")
    assert body == ("<figure class=\"table\"><table><thead><tr><th>单位</th><th>篇数</th></tr></thead>"
                    "<tbody><tr><td>甲</td><td>3</td></tr></tbody></table></figure>")


def test_an_article_opening_with_a_picture_prints_its_first_paragraph_first():
    picture = ('<figure class="image"><img src="/media/uploads/a.png">'
               "<figcaption>图为现场</figcaption></figure>")
    assert typeset_body(f"{picture}<p>第一段。</p><p>第二段。</p>") == \
        f"<p>第一段。</p>{picture}<p>第二段。</p>"
    assert typeset_body(f"<p>第一段。</p>{picture}") == f"<p>第一段。</p>{picture}"
    assert typeset_body(f"{picture}<figure class=\"table\"><table></table></figure>").startswith(picture)
