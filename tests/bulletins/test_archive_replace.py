"""Archive imports respect the record: no silent replacement of a draft or of printed content."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bulletins.archive.importer import archive_import_file, parse_archive_bytes
from bulletins.models import Article, Issue, IssueEvent
from bulletins.rendering.pdf import render_issue_pdf
from bulletins.services import article_create, issue_create, issue_revisions, issue_snapshot
from tests.factories import ColumnFactory
from tests.printing import build_issue

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_7a2bf2f7cbdeabb6.txt"


@pytest.fixture
def draft_454():
    """A draft numbered like the seed issue 第454期, with an article of its own."""
    archive_import_file(path=SEED)
    printed = Issue.objects.get(number=454)
    publication = printed.publication
    printed.delete()
    draft = issue_create(publication=publication, date=datetime.date(2023, 11, 25), year=2023, number=454)
    article_create(issue=draft, column=ColumnFactory(publication=publication), title="编辑部正在写的稿子")
    return draft


def test_importing_over_a_draft_is_refused_and_changes_nothing(draft_454):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_archive", str(SEED), stdout=out)
    assert ("2023年第454期已有草稿（1 篇文章），导入会用往期文件替换草稿的全部内容；"
            "如确要替换，请确认替换（命令行加 --replace）。") in out.getvalue()
    draft_454.refresh_from_db()
    assert draft_454.status == Issue.Status.DRAFT
    assert list(draft_454.articles.values_list("title", flat=True)) == ["编辑部正在写的稿子"]


def test_replace_keeps_the_replaced_draft_as_a_revision(draft_454):
    out = StringIO()
    call_command("import_archive", str(SEED), "--replace", stdout=out)
    assert "2023年第454期：替换草稿" in out.getvalue()
    issue = Issue.objects.get(pk=draft_454.pk)
    assert issue.status == Issue.Status.PUBLISHED
    assert issue.articles.count() == 4
    assert issue.events.last().action == IssueEvent.Action.REPLACED
    older = [issue_snapshot(issue=issue, revision=r) for r in issue_revisions(issue=issue)]
    assert any([a.title for a in snap.articles] == ["编辑部正在写的稿子"] for snap in older)


def test_a_fresh_import_records_an_imported_event():
    archive_import_file(path=SEED)
    issue = Issue.objects.get(number=454)
    [event] = issue.events.all()
    assert (event.action, event.from_status, event.to_status) == ("imported", "", "published")
    assert event.revision is not None
    assert "000_7a2bf2f7cbdeabb6.txt" in event.note


def test_importing_over_an_issue_in_the_workflow_is_refused_even_with_replace(draft_454):
    Issue.objects.filter(pk=draft_454.pk).update(status=Issue.Status.APPROVED)
    result = archive_import_file(path=SEED, replace=True)
    assert result.error == ("000_7a2bf2f7cbdeabb6.txt：数据不符合要求：2023年第454期当前为“审核通过”，"
                            "正在签发流程中，不能用导入替换。")


def test_the_admin_preview_says_what_will_be_replaced_and_needs_a_tick(client, admin_user, draft_454):
    client.force_login(admin_user)
    with SEED.open("rb") as upload:
        preview = client.post("/admin/archive/import/", {"files": upload})
    page = preview.content.decode()
    assert "以下各期系统中已经存在，导入会用文件替换它们现有的全部内容" in page
    assert "2023年第454期" in page
    token = preview.context["token"]
    done = client.post("/admin/archive/import/confirm/", {"token": token}).content.decode()
    assert "如确要替换，请确认替换" in done
    draft_454.refresh_from_db()
    assert draft_454.status == Issue.Status.DRAFT


WRAPPING_TITLE = "学习贯彻党的二十大精神 推动全面从严治党向纵深发展 奋力谱写中国式现代化新篇章"


@pytest.fixture
def printed_with_a_two_line_title():
    """A printed issue whose first title breaks onto a second line where it has a space, and its PDF."""
    issue = build_issue(articles=3, paragraphs=2, has_total_number=True)
    first = issue.articles.order_by("position").first()
    Article.objects.filter(pk=first.pk).update(title=WRAPPING_TITLE)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    issue.refresh_from_db()
    return issue, render_issue_pdf(issue, use_cache=False)


def test_our_own_pdf_of_an_unchanged_issue_is_the_same_issue(printed_with_a_two_line_title):
    issue, pdf = printed_with_a_two_line_title
    [parsed] = parse_archive_bytes(pdf, name="454.pdf")
    # The PDF reads the two lines of the title back without the space at the break.
    assert parsed.articles[0].title == WRAPPING_TITLE.replace("发展 奋力", "发展奋力")
    events = issue.events.count()

    result = archive_import_file(content=pdf, name="454.pdf")
    assert result.ok, result.error
    assert [report.action for report in result.issues] == ["未变化"]
    assert issue.articles.order_by("position").first().title == WRAPPING_TITLE
    assert (Issue.objects.get(pk=issue.pk).version, issue.events.count()) == (issue.version, events)


def test_our_own_pdf_of_an_issue_changed_since_is_refused(printed_with_a_two_line_title):
    issue, pdf = printed_with_a_two_line_title
    first = issue.articles.order_by("position").first()
    Article.objects.filter(pk=first.pk).update(title=WRAPPING_TITLE.replace("新篇章", "新局面"))
    result = archive_import_file(content=pdf, name="454.pdf")
    assert result.error == (
        "454.pdf：数据不符合要求：2023年第454期已印发，导入的文件与系统中的内容不同；"
        "如确要用文件替换已印发的内容，请确认替换（命令行加 --replace），原内容保留为历史版本。")
    assert issue.articles.order_by("position").first().title.endswith("新局面")
