"""An unchanged issue comes from the cache; any edit to what it prints renders it again."""


import pytest

from bulletins.models import IssueRecipient, Organisation, Role
from bulletins.rendering import pdf as rendering
from bulletins.services import article_create
from tests.printing import build_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    calls = []
    original = rendering.render_printed_issue

    def counting(printed, **kwargs):
        calls.append(printed.issue.pk)
        return original(printed, **kwargs)

    monkeypatch.setattr(rendering, "render_printed_issue", counting)
    return calls


@pytest.fixture
def issue():
    return build_issue(articles=2, paragraphs=2)


def test_unchanged_issue_is_served_from_the_cache_quickly(issue, renders):
    first = rendering.render_issue_pdf(issue)
    second = rendering.render_issue_pdf(issue)
    assert second == first
    # Laid out once; how quickly the hit is served is measured by benchmarks/render_pdf.py
    # (a timed assertion failed on a loaded machine with the cache in Redis).
    assert len(renders) == 1


def _edits(issue):
    article = issue.articles.order_by("position").first()
    publication = issue.publication
    return {
        "article title": lambda: type(article).objects.filter(pk=article.pk).update(title="新标题"),
        "article body": lambda: type(article).objects.filter(pk=article.pk).update(
            body="<p>改过的正文。</p>"),
        "new article": lambda: article_create(issue=issue, column=article.column, title="新增文章"),
        "article order": lambda: type(article).objects.filter(pk=article.pk).update(position=99),
        "issue date": lambda: type(issue).objects.filter(pk=issue.pk).update(
            date=issue.date.replace(day=1)),
        "print run": lambda: type(issue).objects.filter(pk=issue.pk).update(print_run=1500),
        "distribution": lambda: IssueRecipient.objects.create(
            issue=issue, role=Role.COPY, organisation=Organisation.objects.create(name="省委办公厅")),
        "organisation renamed": lambda: Organisation.objects.filter(name="中央协调办").update(
            name="中央协调小组办公室"),
        "publication name": lambda: type(publication).objects.filter(pk=publication.pk).update(
            name="理论学习通讯"),
        "column decoration": lambda: type(publication).objects.filter(pk=publication.pk).update(
            column_decoration="bullet"),
        "tail page numbering": lambda: type(publication).objects.filter(pk=publication.pk).update(
            number_tail_page=False),
        "double-sided": lambda: type(publication).objects.filter(pk=publication.pk).update(
            double_sided=False),
        "toc pages": lambda: type(publication).objects.filter(pk=publication.pk).update(
            toc_shows_pages=True),
        "editorial block": lambda: type(publication).objects.filter(pk=publication.pk).update(
            editorial_block="编辑：编辑部"),
    }


@pytest.mark.parametrize("edit", [
    "article title", "article body", "new article", "article order", "issue date", "print run",
    "distribution", "organisation renamed", "publication name", "column decoration",
    "tail page numbering", "double-sided", "toc pages", "editorial block"])
def test_any_edit_invalidates_the_cached_pdf(issue, renders, edit):
    rendering.render_issue_pdf(issue)
    _edits(issue)[edit]()
    rendering.render_issue_pdf(issue)
    assert len(renders) == 2, edit


def test_font_or_pdf_variant_settings_change_the_key(issue, renders, settings):
    rendering.render_issue_pdf(issue)
    settings.BULLETIN_PDF_VARIANT = "pdf/a-3b"
    rendering.render_issue_pdf(issue)
    assert len(renders) == 2
