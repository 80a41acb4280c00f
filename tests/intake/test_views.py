"""The intake pages: who sees what, the buttons, adoption, calls and the report's queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Organisation
from intake.models import Adoption, Call, Submission
from intake.services import call_create, submission_create, submission_submit

pytestmark = pytest.mark.django_db


def item_of(unit, reporter, title="县发改局推进项目建设", submit=True):
    item = submission_create(unit=unit, by=reporter, title=title, body="<p>正文。</p>")
    return submission_submit(submission=item, by=reporter) if submit else item


def test_a_reporter_sees_only_their_units_items(client, unit, other_unit, reporter, other_reporter):
    mine = item_of(unit, reporter, "本单位信息")
    theirs = item_of(other_unit, other_reporter, "外单位信息")
    client.force_login(reporter)
    page = client.get(reverse("admin:intake_submission_changelist")).content.decode()
    assert "本单位信息" in page and "外单位信息" not in page
    assert client.get(reverse("admin:intake_submission_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:intake_submission_change", args=[theirs.pk])).status_code == 302


def test_a_reporter_writes_and_submits_through_the_pages(client, unit, reporter):
    client.force_login(reporter)
    response = client.post(reverse("admin:intake_submission_add"), {
        "title": "我县开展安全检查", "kind": "动态", "contact": "张三", "body": "<p>检查企业30家。</p>"})
    assert response.status_code == 302
    item = Submission.objects.get()
    assert (item.unit, item.author, item.status) == (unit, reporter, Submission.Status.DRAFT)
    response = client.post(reverse("intake:step", args=[item.pk, "submit"]), follow=True)
    assert "“我县开展安全检查”已报送，等待编辑部采编。" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Submission.Status.SUBMITTED


def test_the_office_does_not_see_drafts(client, unit, reporter, editor):
    item_of(unit, reporter, "还在写", submit=False)
    item_of(unit, reporter, "已报送")
    client.force_login(editor)
    page = client.get(reverse("admin:intake_submission_changelist")).content.decode()
    assert "已报送" in page and "还在写" not in page


def test_a_reporter_cannot_reject_through_the_button(client, unit, reporter):
    item = item_of(unit, reporter)
    client.force_login(reporter)
    response = client.post(reverse("intake:step", args=[item.pk, "reject"]), {"text": "x"}, follow=True)
    assert "您没有退稿的权限：只有“信息采编”角色可以退稿。" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Submission.Status.SUBMITTED


def test_reject_without_a_reason_says_so(client, unit, reporter, editor):
    item = item_of(unit, reporter)
    client.force_login(editor)
    response = client.post(reverse("intake:step", args=[item.pk, "reject"]), {"text": ""}, follow=True)
    assert "请填写退稿的理由。" in response.content.decode()


def test_a_reporter_cannot_open_the_adoption_page(client, unit, reporter):
    item = item_of(unit, reporter)
    client.force_login(reporter)
    assert client.get(f"{reverse('intake:adopt')}?ids={item.pk}").status_code == 403


def test_the_editor_merges_two_items_into_a_draft(client, unit, other_unit, reporter, other_reporter,
                                                  editor, draft, column):
    first, second = item_of(unit, reporter, "甲"), item_of(other_unit, other_reporter, "乙")
    client.force_login(editor)
    url = f"{reverse('intake:adopt')}?ids={first.pk},{second.pk}"
    assert "以下 2 条信息合并为一篇文章" in client.get(url).content.decode()
    response = client.post(url, {"issue": draft.pk, "column": column.pk, "title": "综合"})
    article = draft.articles.get()
    assert response.url == reverse("admin:bulletins_article_change", args=[article.pk])
    assert (article.title, article.source) == ("综合", "（常山县发改局、常山县教育局）")
    assert Adoption.objects.filter(mode="combined").count() == 2


def test_adopting_into_an_issue_past_draft_is_told_on_the_page(client, unit, reporter, editor, draft,
                                                              column):
    item = item_of(unit, reporter)
    from bulletins.models import Issue
    Issue.objects.filter(pk=draft.pk).update(status=Issue.Status.SUBMITTED)
    client.force_login(editor)
    response = client.post(f"{reverse('intake:adopt')}?ids={item.pk}",
                           {"issue": draft.pk, "column": column.pk})
    assert "选择一个有效的选项" in response.content.decode()  # only drafts are offered


def test_a_call_shows_who_replied_and_reminds_the_others(client, unit, other_unit, reporter,
                                                        other_reporter, editor):
    call = call_create(by=editor, subject="冬季安全", request="经验做法",
                       deadline=datetime.date(2026, 12, 31))
    reply = submission_create(unit=unit, by=reporter, title="回复", call=call)
    submission_submit(submission=reply, by=reporter)
    client.force_login(editor)
    page = client.get(reverse("admin:intake_call_change", args=[call.pk])).content.decode()
    assert "已报送：常山县发改局" in page and "未报送：常山县教育局" in page
    response = client.post(reverse("intake:call_remind", args=[call.pk]), follow=True)
    assert "已向1个未报送单位发出催报：常山县教育局。" in response.content.decode()
    assert Call.objects.get().reminded_at is not None


def test_a_reporter_sees_the_call_on_their_workbench(client, unit, reporter, editor):
    call_create(by=editor, subject="冬季安全", request="经验做法", deadline=timezone.localdate())
    client.force_login(reporter)
    page = client.get(reverse("intake:workbench")).content.decode()
    assert "冬季安全" in page and "常山县发改局：本年度情况" in page


def test_a_unit_sees_only_its_own_row_and_its_rank(client, unit, other_unit, reporter, other_reporter):
    client.force_login(reporter)
    page = client.get(reverse("intake:report"), {"year": 2026}).content.decode()
    assert "常山县发改局" in page and "常山县教育局" not in page
    assert "共 2 个单位参加排名" in page
    assert client.get(reverse("intake:report_xlsx"), {"year": 2026}).status_code == 403


@pytest.fixture
def many_items(editor, column):
    """200 units with a 信息员 each and 20,000 items over 2026, some adopted into a printed issue."""
    from django.contrib.auth.models import User

    from intake.models import Reporter
    units = Organisation.objects.bulk_create([Organisation(name=f"第{n:03d}单位") for n in range(200)])
    users = User.objects.bulk_create([User(username=f"r{n}") for n in range(200)])
    Reporter.objects.bulk_create([Reporter(user=u, unit=o) for u, o in zip(users, units, strict=True)])
    zone = timezone.get_current_timezone()
    Submission.objects.bulk_create([
        Submission(unit=units[n % 200], title=f"信息{n}", status=Submission.Status.SUBMITTED,
                   submitted_at=datetime.datetime(2026, 1 + n % 11, 1 + n % 28, 9, tzinfo=zone))
        for n in range(20_000)], batch_size=2000)
    return units


def test_the_report_takes_a_few_queries_at_200_units_and_20000_items(
        client, editor, many_items, django_assert_max_num_queries):
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("intake:report"), {"year": 2026})
    assert response.content.decode().count('class="bar"') == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("intake:report"), {"year": 2026, "month": 3}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("intake:report_xlsx"), {"year": 2026}).status_code == 200


def test_a_reporter_imports_a_word_file_as_the_articles_do(client, unit, reporter):
    from tests.manuscripts import TITLE, official_manuscript, png
    client.force_login(reporter)
    upload = SimpleUploadedFile("镇江.docx", official_manuscript(image=png()))
    response = client.post(reverse("admin:intake_submission_add"),
                           {"title": "", "kind": "经验", "body": "", "word_file": upload})
    assert response.status_code == 302
    item = Submission.objects.get()
    assert item.title == TITLE
    assert "<h2>" in item.body and '<img src="/media/' in item.body


def test_a_damaged_word_file_is_told_and_nothing_saved(client, unit, reporter):
    client.force_login(reporter)
    upload = SimpleUploadedFile("坏.docx", b"not a zip")
    response = client.post(reverse("admin:intake_submission_add"),
                           {"title": "", "kind": "经验", "body": "", "word_file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "“坏.docx”" in page
    assert not Submission.objects.exists()


def test_saving_a_draft_keeps_its_attachment_unless_cleared(client, unit, reporter):
    client.force_login(reporter)
    client.post(reverse("admin:intake_submission_add"), {
        "title": "带附件", "kind": "动态", "body": "<p>正文。</p>",
        "attachment": SimpleUploadedFile("表.pdf", b"%PDF-1.4 x")})
    item = Submission.objects.get()
    assert item.attachment.name.endswith(".pdf")
    url = reverse("admin:intake_submission_change", args=[item.pk])
    client.post(url, {"title": "改了标题", "kind": "动态", "body": "<p>正文。</p>"})
    item.refresh_from_db()
    assert (item.title, bool(item.attachment)) == ("改了标题", True)
    client.post(url, {"title": "改了标题", "kind": "动态", "body": "<p>正文。</p>", "attachment-clear": "on"})
    item.refresh_from_db()
    assert not item.attachment


def test_an_attachment_of_another_type_is_refused(client, unit, reporter):
    client.force_login(reporter)
    response = client.post(reverse("admin:intake_submission_add"), {
        "title": "带附件", "kind": "动态", "attachment": SimpleUploadedFile("x.exe", b"MZ")})
    assert "不被允许" in response.content.decode()
    assert not Submission.objects.exists()
