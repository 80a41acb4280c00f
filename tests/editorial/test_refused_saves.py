"""A save refused after its form was valid is a page that keeps the user's text, never a 500."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Issue
from bulletins.services import article_create, article_update, issue_create, issue_update
from editorial import workflow
from editorial.forms import ArticleForm, IssueForm
from editorial.permissions import EDITOR_GROUP, WRITER_GROUP
from tests.editorial.admin_forms import change_form_data
from tests.factories import ColumnFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def make_user(name, group):
    user = User.objects.create_user(name, password="pw", is_staff=True, last_name=name)
    user.groups.set(Group.objects.filter(name=group))
    return user


@pytest.fixture
def editor():
    return make_user("李编辑", EDITOR_GROUP)


@pytest.fixture
def writer():
    return make_user("王撰稿", WRITER_GROUP)


@pytest.fixture
def issue(editor):
    publication = PublicationFactory()
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=editor)
    column = ColumnFactory(publication=publication, name="工作动态")
    article_create(issue=issue, column=column, title="第一篇", body="<p>原来的正文。</p>", by=editor)
    return issue


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def saved_just_after_the_form_checked(monkeypatch, form_class, save):
    """The colleague's save lands between this form's version check and its service: the same
    millisecond, as far as the check can tell. It is made on each sending of the page, as a
    colleague's committed save is seen by each (the refused one is rolled back with the page)."""
    check = form_class.check_version

    def check_then_the_other_save(self, expected):
        check(self, expected)
        save()
    monkeypatch.setattr(form_class, "check_version", check_then_the_other_save)


def test_an_article_saved_at_the_same_moment_gives_the_conflict_page_with_the_losers_text(
        monkeypatch, issue, editor, writer):
    article = issue.articles.get()
    url = reverse("admin:bulletins_article_change", args=[article.pk])
    client = logged_in(writer)
    data = change_form_data(client.get(url)) | {"body": "<p>王撰稿同时写的正文。</p>"}
    saved_just_after_the_form_checked(monkeypatch, ArticleForm, lambda: article_update(
        article=article, by=editor, body="<p>李编辑先保存的正文。</p>"))

    response = client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("保存未成功：") == 1
    assert "保存未成功：您打开文章“第一篇”之后，李编辑已于" in page
    assert "王撰稿同时写的正文。" in page
    article.refresh_from_db()
    assert article.body == "<p>李编辑先保存的正文。</p>"


def test_an_issue_saved_at_the_same_moment_gives_the_conflict_page_with_the_losers_text(
        monkeypatch, issue, editor):
    colleague = make_user("张编辑", EDITOR_GROUP)
    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    client = logged_in(colleague)
    data = change_form_data(client.get(url)) | {"editor_note": "张编辑的编者按。"}
    saved_just_after_the_form_checked(monkeypatch, IssueForm, lambda: issue_update(
        issue=issue, by=editor, editor_note="李编辑的编者按。"))

    response = client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "保存未成功：您打开2023年第1期之后，李编辑已于" in page
    assert "张编辑的编者按。" in page
    assert Issue.objects.get().editor_note == "李编辑的编者按。"


def test_a_save_after_the_issue_was_submitted_says_so_and_shows_the_typed_text(issue, editor, writer):
    article = issue.articles.get()
    url = reverse("admin:bulletins_article_change", args=[article.pk])
    client = logged_in(writer)
    data = change_form_data(client.get(url)) | {"title": "第一篇（改）",
                                                "body": "<p>送审后才保存的正文。</p>"}
    workflow.submit(issue=issue, by=editor)
    submitted_at = timezone.localtime(issue.events.get(action="submitted").created_at)

    response = client.post(url, data)

    assert response.status_code == 409
    page = response.content.decode()
    assert (f"2023年第1期已于{submitted_at:%Y-%m-%d %H:%M}由李编辑送审，内容不能再修改。") in page
    assert "本期当前状态：<strong>送审</strong>" in page
    assert "第一篇（改）" in page and "<p>送审后才保存的正文。</p>" in page
    article.refresh_from_db()
    assert article.body == "<p>原来的正文。</p>"


def test_adding_an_article_to_a_submitted_issue_is_refused_naming_the_issue(issue, editor):
    column = issue.publication.columns.get()
    workflow.submit(issue=issue, by=editor)
    url = reverse("admin:bulletins_article_add") + f"?issue={issue.pk}&column={column.pk}"
    client = logged_in(editor)

    opened = client.get(url)
    sent = client.post(url, {"issue": issue.pk, "column": column.pk, "title": "迟来的稿件",
                             "body": "<p>迟来的正文。</p>"})

    for response in (opened, sent):
        assert response.status_code == 409
        assert "由李编辑送审，不能再添加文章。" in response.content.decode()
    assert "迟来的正文。" in sent.content.decode()
    assert issue.articles.count() == 1
