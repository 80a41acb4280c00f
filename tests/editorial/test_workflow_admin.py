"""The workflow in the admin: buttons, read-only pages, timeline, workbench, revisions, conflicts."""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from bulletins.models import Article, Issue, IssueEvent
from bulletins.services import article_create, article_update, issue_add_recipient, issue_create
from editorial import workflow
from editorial.permissions import EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP, WRITER_GROUP
from tests.editorial.admin_forms import change_form_data
from tests.factories import ColumnFactory, OrganisationFactory, PublicationFactory

pytestmark = pytest.mark.django_db

S = Issue.Status


def make_user(name, *groups):
    user = User.objects.create_user(name, email=f"{name}@example.cn", password="pw", is_staff=True,
                                    last_name=name)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def editor():
    return make_user("编辑甲", EDITOR_GROUP)


@pytest.fixture
def reviewer():
    return make_user("审核人", REVIEWER_GROUP)


@pytest.fixture
def signer():
    return make_user("签发人", SIGNER_GROUP)


@pytest.fixture
def issue(editor):
    publication = PublicationFactory()
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=editor)
    column = ColumnFactory(publication=publication)
    article_create(issue=issue, column=column, title="学习贯彻会议精神", by=editor,
                   body="<p>第一段。</p><figure class=\"table\"><table><tbody><tr><td>表格</td></tr>"
                        "</tbody></table></figure>")
    article_create(issue=issue, column=column, title="第二篇", body="<p>第二篇正文。</p>", by=editor)
    return issue


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(issue):
    return reverse("admin:bulletins_issue_change", args=[issue.pk])


def transition(client, issue, action, **data):
    return client.post(reverse("editorial:issue_transition", args=[issue.pk, action]), data, follow=True)


def test_the_buttons_move_the_issue_and_the_timeline_shows_each_step(issue, editor, reviewer):
    page = transition(logged_in(editor), issue, "submit", text="请审核").content.decode()
    assert "2023年第1期已送审。" in page
    assert "流转记录" in page and "请审核" in page
    page = transition(logged_in(reviewer), issue, "return_for_changes", text="").content.decode()
    assert "请填写退回修改的理由。" in page
    page = transition(logged_in(reviewer), issue, "return_for_changes", text="数字有误").content.decode()
    assert "2023年第1期已退回修改。" in page
    issue.refresh_from_db()
    assert issue.status == S.DRAFT
    assert [e.action for e in issue.events.all()] == ["created", "submitted", "returned"]


def test_a_user_without_the_role_gets_the_message_on_the_page(issue, editor):
    page = transition(logged_in(editor), issue, "approve").content.decode()
    assert "您没有审核的权限：只有“审核”角色可以审核。" in page
    issue.refresh_from_db()
    assert issue.status == S.DRAFT


def test_from_submission_on_the_page_is_read_only_for_everyone(issue, editor, admin_user):
    workflow.submit(issue=issue, by=editor)
    for user in (editor, admin_user):
        client = logged_in(user)
        page = client.get(change_url(issue)).content.decode()
        assert 'name="editor_note"' not in page
        assert 'name="articles-0-title"' not in page
        assert 'name="recipients-TOTAL_FORMS"' not in page or 'name="recipients-0-role"' not in page
        assert "学习贯彻会议精神" in page
        article = issue.articles.first()
        article_page = client.get(reverse("admin:bulletins_article_change", args=[article.pk]))
        assert 'name="title"' not in article_page.content.decode()


def test_from_submission_on_an_article_page_shows_the_article_as_printed(issue, editor, reviewer):
    article = issue.articles.order_by("position").first()
    article_update(article=article, by=editor,
                   body="<h2>一、总体要求</h2><p>要<strong>坚持</strong>学习。</p>"
                        "<figure class=\"table\"><table><tbody><tr><th>单位</th></tr><tr><td>甲</td></tr>"
                        "</tbody></table></figure>")
    workflow.submit(issue=issue, by=editor)
    page = logged_in(reviewer).get(reverse("admin:bulletins_article_change", args=[article.pk]))
    html = page.content.decode()
    assert ('<div class="printed-article"><h2>一、总体要求</h2><p>要<strong>坚持</strong>学习。</p>'
            '<figure class="table"><table><thead><tr><th>单位</th></tr></thead>') in html
    assert "&lt;h2&gt;" not in html and "&lt;p&gt;" not in html
    assert "学习贯彻会议精神" in html


def test_a_forged_post_changes_nothing_after_submission(issue, editor):
    client = logged_in(editor)
    data = change_form_data(client.get(change_url(issue)))
    workflow.submit(issue=issue, by=editor)
    data["editor_note"] = "偷偷改的编者按"
    data["articles-0-title"] = "偷偷改的标题"
    # Refused with the page that says what happened to the issue, not a bare 403.
    assert client.post(change_url(issue), data).status_code == 409
    article = issue.articles.order_by("position").first()
    assert client.post(reverse("admin:bulletins_article_change", args=[article.pk]),
                       {"title": "偷偷改的标题", "column": article.column_id}).status_code == 409
    issue.refresh_from_db()
    assert issue.editor_note == ""
    assert not Article.objects.filter(title="偷偷改的标题").exists()


def test_saving_a_page_changes_only_what_the_user_changed(issue, editor):
    client = logged_in(editor)
    data = change_form_data(client.get(change_url(issue)))
    data["editor_note"] = "编者按：请各地学习。"
    versions = dict(issue.articles.values_list("pk", "version"))
    response = client.post(change_url(issue), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert dict(issue.articles.values_list("pk", "version")) == versions
    issue.refresh_from_db()
    assert issue.editor_note == "编者按：请各地学习。"

    # CKEditor sends the table back in its own form: saving the article page unchanged is no edit.
    article = issue.articles.get(title="学习贯彻会议精神")
    url = reverse("admin:bulletins_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    data["body"] = ("<p>第一段。</p><figure class=\"table\"><table><tbody><tr><td>表格</td>"
                    "</tr></tbody></table></figure>")
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.version == versions[article.pk]


def test_the_second_of_two_saves_of_the_issue_page_is_refused_and_nothing_is_lost(issue, editor):
    colleague = make_user("编辑乙", EDITOR_GROUP)
    first, second = logged_in(editor), logged_in(colleague)
    first_data = change_form_data(first.get(change_url(issue)))
    second_data = change_form_data(second.get(change_url(issue)))
    first_data["editor_note"] = "编辑甲写的编者按。"
    assert first.post(change_url(issue), first_data).status_code == 302
    second_data["editor_note"] = "编辑乙写的编者按。"
    response = second.post(change_url(issue), second_data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "保存未成功：您打开2023年第1期之后，编辑甲已于" in page
    assert "编辑乙写的编者按。" in page  # what the second user typed is still on the page
    assert f'<a href="{reverse("editorial:issue_history", args=[issue.pk])}">查看并比较修改</a>' in page
    issue.refresh_from_db()
    assert issue.editor_note == "编辑甲写的编者按。"


@pytest.mark.parametrize("changes", [{"editor_note": "编辑乙写的编者按。", "recipients-0-role": "送"},
                                     {"recipients-0-role": "送"}], ids=["page-and-row", "row-only"])
def test_a_distribution_change_made_meanwhile_is_not_overwritten_and_told_once(issue, editor, changes):
    issue_add_recipient(issue=issue, role="发", organisation=OrganisationFactory(name="镇江市委宣传部"))
    colleague = make_user("编辑乙", EDITOR_GROUP)
    first, second = logged_in(editor), logged_in(colleague)
    first_data = change_form_data(first.get(change_url(issue)))
    second_data = change_form_data(second.get(change_url(issue)))
    first_data["recipients-0-role"] = "报"
    assert first.post(change_url(issue), first_data).status_code == 302
    response = second.post(change_url(issue), second_data | changes)
    assert response.status_code == 200
    page = response.content.decode()
    assert "保存未成功：您打开2023年第1期之后，编辑甲已于" in page
    assert page.count("保存未成功：") == 1
    assert issue.recipients.get().role == "报"


def test_the_same_conflict_on_the_article_page(issue, editor):
    article = issue.articles.get(title="第二篇")
    url = reverse("admin:bulletins_article_change", args=[article.pk])
    client = logged_in(editor)
    data = change_form_data(client.get(url))
    article_update(article=article, by=make_user("编辑乙", EDITOR_GROUP), body="<p>别人先改了。</p>")
    data["body"] = "<p>我的修改。</p>"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "保存未成功：您打开文章“第二篇”之后，编辑乙已于" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "<p>别人先改了。</p>"


def test_admin_saves_are_revisions_with_a_character_diff_and_a_restore(issue, editor):
    client = logged_in(editor)
    article = issue.articles.get(title="第二篇")
    url = reverse("admin:bulletins_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    data["body"] = "<p>第二篇改过的正文。</p>"
    data["title"] = "第二篇文章"
    assert client.post(url, data).status_code == 302

    history = client.get(reverse("editorial:issue_history", args=[issue.pk]))
    revisions = history.context["revisions"]
    assert len(revisions) == 4  # created, two articles added, one admin save
    newest, previous = revisions[0], revisions[1]
    assert newest.user == editor
    compare = client.get(reverse("editorial:issue_compare", args=[issue.pk]),
                         {"from": previous.pk, "to": newest.pk}).content.decode()
    assert "修改：《第二篇文章》" in compare
    assert '<ins style="background:#e6ffe6;">改过的</ins>' in compare
    assert '<ins style="background:#e6ffe6;">文章</ins>' in compare
    for bad in ({"from": "abc", "to": newest.pk}, {"from": previous.pk, "to": "1e9"}, {}):
        assert client.get(reverse("editorial:issue_compare", args=[issue.pk]), bad).status_code == 404

    response = client.post(reverse("editorial:issue_restore", args=[issue.pk, previous.pk]), follow=True)
    assert "已恢复到所选版本" in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.body) == ("第二篇", "<p>第二篇正文。</p>")
    assert issue.events.last().action == IssueEvent.Action.RESTORED
    assert len(client.get(reverse("editorial:issue_history", args=[issue.pk])).context["revisions"]) == 5


def test_a_restore_brings_back_a_deleted_article_and_is_refused_past_draft(issue, editor):
    from bulletins.services import article_delete, issue_restore, issue_revisions

    before = issue_revisions(issue=issue).first()
    article_delete(article=issue.articles.get(title="第二篇"), by=editor)
    issue_restore(issue=issue, revision=before, by=editor)
    assert set(issue.articles.values_list("title", flat=True)) == {"学习贯彻会议精神", "第二篇"}
    workflow.submit(issue=issue, by=editor)
    response = logged_in(editor).post(reverse("editorial:issue_restore", args=[issue.pk, before.pk]),
                                      follow=True)
    assert "2023年第1期当前为“送审”，内容不能修改；如需修改，须先退回草稿。" in response.content.decode()


def test_the_pdf_of_record_is_served_byte_for_byte_after_a_font_change(issue, editor, reviewer, signer,
                                                                       settings):
    workflow.submit(issue=issue, by=editor)
    workflow.approve(issue=issue, by=reviewer)
    workflow.sign_off(issue=issue, by=signer)
    issue.refresh_from_db()
    url = reverse("editorial:issue_pdf", args=[issue.pk])
    stored = logged_in(editor).get(url).content
    assert hashlib.sha256(stored).hexdigest() == issue.printed_pdf_sha256
    settings.BULLETIN_FONTS = {"body": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2"}
    assert logged_in(editor).get(url).content == stored
    workflow.publish(issue=issue, by=editor)
    assert logged_in(editor).get(url).content == stored


def test_the_workbench_shows_each_user_what_waits_for_them(issue, editor, reviewer):
    workflow.submit(issue=issue, by=editor)
    page = logged_in(reviewer).get(reverse("admin:index")).content.decode()
    assert "等我审核的" in page and str(issue) in page
    workflow.return_for_changes(issue=issue, by=reviewer, reason="第二段数字有误")
    page = logged_in(editor).get(reverse("admin:index")).content.decode()
    assert "退回给我修改的" in page and "理由：第二段数字有误" in page
    assert "开始新的一期" in page


def test_the_workbench_shows_each_role_its_work_with_counts(issue, editor):
    writer = make_user("撰稿人", WRITER_GROUP)
    colleague = make_user("编辑乙", EDITOR_GROUP)
    page = logged_in(writer).get(reverse("admin:index")).content.decode()
    assert "可以撰稿的期（1）" in page and str(issue) in page
    assert "目前没有等您处理的期" not in page
    page = logged_in(colleague).get(reverse("admin:index")).content.decode()
    assert "草稿（1）" in page and str(issue) in page  # a draft a colleague created
    workflow.submit(issue=issue, by=editor)
    page = logged_in(make_user("审核乙", REVIEWER_GROUP)).get(reverse("admin:index")).content.decode()
    assert "等我审核的（1）" in page


def test_the_workbench_names_the_next_issue(issue, editor):
    page = logged_in(editor).get(reverse("admin:index")).content.decode()
    bench = logged_in(editor).get(reverse("admin:index")).context["workbench"]
    [next_issue] = bench.next_issues
    assert f"下一期：{next_issue.year}年第{next_issue.number}期" in page


def _many_issues(editor, reviewer, count):
    publication = PublicationFactory()
    column = ColumnFactory(publication=publication)
    for number in range(count):
        issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=editor)
        article_create(issue=issue, column=column, title=f"文章{number}", by=editor)
        workflow.submit(issue=issue, by=editor)
        if number % 2:
            workflow.return_for_changes(issue=issue, by=reviewer, reason="再改改")


@pytest.mark.parametrize("count", [2, 12])
def test_the_workbench_query_count_does_not_grow(editor, reviewer, count, django_assert_max_num_queries):
    chief = make_user("主任", EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP)
    _many_issues(chief, reviewer, count)
    client = logged_in(chief)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("steps", [1, 10])
def test_the_timeline_query_count_does_not_grow(issue, editor, reviewer, steps,
                                                django_assert_max_num_queries):
    for _ in range(steps):
        workflow.submit(issue=issue, by=editor)
        workflow.return_for_changes(issue=issue, by=reviewer, reason="再改改")
    client = logged_in(reviewer)
    with django_assert_max_num_queries(45):
        page = client.get(change_url(issue)).content.decode()
    assert page.count("再改改") == steps


def test_the_article_page_links_to_its_own_history(issue, editor):
    article = issue.articles.get(title="第二篇")
    article_update(article=article, by=editor, body="<p>改过。</p>")
    client = logged_in(editor)
    page = client.get(reverse("admin:bulletins_article_change", args=[article.pk])).content.decode()
    history_url = reverse("editorial:issue_history", args=[issue.pk]) + f"?article={article.pk}"
    assert history_url in page
    revisions = client.get(history_url).context["revisions"]
    assert [r.comment for r in revisions] == ["修改文章“第二篇”", "增加文章“第二篇”"]


def test_history_of_one_article_lists_only_the_revisions_that_changed_it(issue, editor):
    first = issue.articles.get(title="学习贯彻会议精神")
    second = issue.articles.get(title="第二篇")
    article_update(article=second, by=editor, body="<p>改过。</p>")
    article_update(article=first, by=editor, body="<p>别的文章改了。</p>")
    issue_add_recipient(issue=issue, role="发", organisation=OrganisationFactory(name="各县委宣传部"),
                        by=editor)
    article_update(article=second, by=editor, title="第二篇（修订）")
    client = logged_in(editor)
    url = reverse("editorial:issue_history", args=[issue.pk])
    revisions = client.get(url + f"?article={second.pk}").context["revisions"]
    assert [r.comment for r in revisions] == ["修改文章“第二篇（修订）”", "修改文章“第二篇”",
                                              "增加文章“第二篇”"]
    assert len(client.get(url).context["revisions"]) > len(revisions) + 1


def test_published_issues_of_before_the_workflow_get_an_imported_event():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("bulletins.migrations.0004_issue_events_and_record")
    printed = issue_create(publication=PublicationFactory(), date=datetime.date(2023, 11, 25))
    Issue.objects.filter(pk=printed.pk).update(status=S.PUBLISHED)
    printed.events.all().delete()  # as before the workflow: no record at all
    migration.record_existing_published_issues(apps, None)
    [event] = printed.events.all()
    assert (event.action, event.to_status, event.actor_name) == ("imported", "published", "系统")


def test_the_issue_and_article_pages_offer_one_history_link(issue, editor, client):
    article = issue.articles.first()
    client.force_login(editor)
    for url in (reverse("admin:bulletins_issue_change", args=[issue.pk]),
                reverse("admin:bulletins_article_change", args=[article.pk])):
        page = client.get(url).content.decode()
        assert page.count(">历史版本</a>") == 1
        assert ">历史</a>" not in page
    response = client.get(reverse("admin:bulletins_article_history", args=[article.pk]))
    assert response.url == reverse("editorial:issue_history", args=[issue.pk]) + f"?article={article.pk}"
