"""The 校对 panel on the issue and article pages, and its actions."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.urls import reverse

from bulletins.models import Article, Issue, ProofreadingDismissal, WordingRule
from bulletins.proofreading import proofread_article, proofread_issue
from editorial.permissions import EDITOR_GROUP
from tests.factories import ArticleFactory, IssueFactory

pytestmark = pytest.mark.django_db

BODY = "<p>我们要加强学习,提高本领。</p><p>市委中心组成員参加。</p><h2>三、要求</h2>"


@pytest.fixture
def editor():
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@pytest.fixture
def article():
    return ArticleFactory(title="加强学习", body=BODY, issue=IssueFactory())


def _messages(response):
    """The messages of this response (earlier ones, not yet shown, are still queued before them)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def _last(response):
    return _messages(response)[-1]


def _token(article, code):
    return next(f for f in proofread_article(article).findings if f.code == code)


def test_issue_page_shows_the_panel(client, editor, article):
    client.force_login(editor)
    with mock.patch("editorial.proofreading.proofread_issue", wraps=proofread_issue) as checked:
        response = client.get(reverse("admin:bulletins_issue_change", args=[article.issue.pk]))
    assert checked.call_count == 1  # the button's count and the panel share one check
    page = response.content.decode()
    assert '<a href="#proofreading">校对（3）</a>' in page
    assert "校对发现 3 处问题（错误 3 处，提示 0 处）。" in page
    assert "我们要加强学习<mark title=\",\">,</mark>提高本领。" in page
    assert "“員”是繁体字，应为“员”。" in page
    assert "全部改正（2 处）" in page
    assert page.count(">改正</button>") == 2
    assert reverse("editorial:proofreading_issue", args=[article.issue.pk]) in page


def test_article_page_shows_its_own_findings(client, editor, article):
    ArticleFactory(issue=article.issue, body="<p>别的 文章。</p>")
    client.force_login(editor)
    response = client.get(reverse("admin:bulletins_article_change", args=[article.pk]))
    page = response.content.decode()
    assert '<a href="#proofreading">校对（3）</a>' in page
    assert "校对发现 3 处问题（错误 3 处，提示 0 处）。" in page
    assert "汉字之间有多余的空格" not in page


def test_issue_proofreading_page_for_reviewers(client, editor, article):
    client.force_login(editor)
    response = client.get(reverse("editorial:proofreading_issue", args=[article.issue.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"校对：{article.issue}" in page
    assert "序号“三、”之前没有“一、”，应从“一、”开始。" in page


def test_fix_one_finding(client, editor, article):
    client.force_login(editor)
    page = reverse("admin:bulletins_issue_change", args=[article.issue.pk])
    response = client.post(reverse("editorial:proofreading_article_fix", args=[article.pk]),
                           {"token": _token(article, "punct-halfwidth").token, "next": page})
    assert response.status_code == 302
    assert response["Location"] == f"{page}#proofreading"
    assert _messages(response) == ["已改正《加强学习》正文第1段：中文中使用了半角“,”，应为全角“，”。"]
    article.refresh_from_db()
    assert article.body == BODY.replace(",", "，")
    assert (article.version, article.updated_by) == (2, editor)


def test_fix_all_in_an_article_and_in_the_issue(client, editor, article):
    other = ArticleFactory(issue=article.issue, body="<p>别的 文章。</p>")
    client.force_login(editor)
    response = client.post(reverse("editorial:proofreading_article_fix_all", args=[article.pk]))
    assert _messages(response) == ["已在《加强学习》中改正 2 处。"]
    response = client.post(reverse("editorial:proofreading_issue_fix_all", args=[article.issue.pk]))
    assert _last(response) == "已在本期各篇文章中改正 1 处。"
    assert Article.objects.get(pk=other.pk).body == "<p>别的文章。</p>"


def test_dismiss_and_restore(client, editor, article):
    client.force_login(editor)
    url = reverse("editorial:proofreading_dismiss", args=[article.issue.pk])
    key = _token(article, "traditional-char").key
    response = client.post(url, {"article": article.pk, "key": key, "reason": ""})
    assert _messages(response) == ["请填写忽略的理由。"]
    response = client.post(url, {"article": article.pk, "key": key, "reason": "人名用字"})
    assert _last(response) == "已忽略：“員”是繁体字，应为“员”。（理由：人名用字）"
    dismissal = ProofreadingDismissal.objects.get()
    assert (dismissal.article, dismissal.dismissed_by, dismissal.reason) == (article, editor, "人名用字")
    page = client.get(reverse("admin:bulletins_issue_change", args=[article.issue.pk])).content.decode()
    assert "<strong>校对发现 2 处问题（错误 2 处，提示 0 处）。</strong> 另有 1 处已忽略。" in page
    assert "已忽略 1 处" in page and "人名用字" in page
    response = client.post(reverse("editorial:proofreading_dismissal_remove", args=[dismissal.pk]))
    assert _last(response) == "已恢复：“員”是繁体字，应为“员”。"
    assert not ProofreadingDismissal.objects.exists()


def test_an_issue_under_review_lists_findings_without_fixes(client, editor, article):
    Issue.objects.filter(pk=article.issue.pk).update(status=Issue.Status.SUBMITTED)
    client.force_login(editor)
    page = client.get(reverse("admin:bulletins_issue_change", args=[article.issue.pk])).content.decode()
    assert "校对发现 3 处问题" in page
    assert "本期当前为“送审”，内容不能修改，改正须先退回草稿。" in page
    assert ">改正</button>" not in page and "全部改正" not in page
    response = client.post(reverse("editorial:proofreading_article_fix_all", args=[article.pk]))
    assert _messages(response) == [
        f"{article.issue.number_label}当前为“送审”，内容不能修改；如需修改，须先退回草稿。"]
    assert Article.objects.get(pk=article.pk).body == BODY


def test_unsafe_next_goes_back_to_the_issue(client, editor, article):
    client.force_login(editor)
    response = client.post(reverse("editorial:proofreading_article_fix_all", args=[article.pk]),
                           {"next": "https://example.com/"})
    assert response["Location"] == reverse("admin:bulletins_issue_change",
                                           args=[article.issue.pk]) + "#proofreading"


def test_actions_need_permissions(client, article):
    clerk = User.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("editorial:proofreading_issue", args=[article.issue.pk])).status_code == 403
    for name, pk in [("proofreading_article_fix", article.pk), ("proofreading_article_fix_all", article.pk),
                     ("proofreading_issue_fix_all", article.issue.pk),
                     ("proofreading_dismiss", article.issue.pk)]:
        assert client.post(reverse(f"editorial:{name}", args=[pk])).status_code == 403, name
    assert client.get(reverse("editorial:proofreading_article_fix_all", args=[article.pk])).status_code == 405
    assert Article.objects.get(pk=article.pk).version == 1


def test_editor_keeps_the_wording_list_in_the_admin(client, editor, article):
    client.force_login(editor)
    assert client.get(reverse("admin:bulletins_wordingrule_changelist")).status_code == 200
    response = client.post(reverse("admin:bulletins_wordingrule_add"), {
        "publication": article.issue.publication.pk, "wrong": "十九大", "right": "党的十九大",
        "note": "以中央文件提法为准"})
    assert response.status_code == 302
    assert WordingRule.objects.get().right == "党的十九大"
    response = client.post(reverse("admin:bulletins_wordingrule_add"), {
        "publication": article.issue.publication.pk, "wrong": "十九大", "right": "中共十九大"})
    assert "本刊物的规范表述中已有这一不规范写法。" in response.content.decode()
    Article.objects.filter(pk=article.pk).update(body="<p>学习十九大精神。</p>")
    page = client.get(reverse("admin:bulletins_article_change", args=[article.pk])).content.decode()
    assert "“十九大”应为“党的十九大”。以中央文件提法为准。" in page
    changelist = client.get(reverse("admin:bulletins_wordingrule_changelist")).content.decode()
    assert "导入" in changelist and "导出" in changelist


def test_summary_tag_for_the_submit_step(article):
    from django.template import Context, Template

    html = Template("{% load proofreading %}{% proofreading_summary issue %}").render(
        Context({"issue": article.issue}))
    url = reverse("editorial:proofreading_issue", args=[article.issue.pk])
    assert html == f'<a href="{url}">校对发现 3 处问题（错误 3 处，提示 0 处）。</a>'


def test_dismissed_findings_are_listed_in_the_admin(client, editor, article):
    from bulletins.services import proofreading_finding_dismiss

    key = _token(article, "traditional-char").key
    dismissal = proofreading_finding_dismiss(issue=article.issue, article=article, key=key, reason="人名用字",
                                             by=editor)
    client.force_login(editor)
    page = client.get(reverse("admin:bulletins_proofreadingdismissal_changelist")).content.decode()
    assert "“員”是繁体字，应为“员”。" in page and "人名用字" in page
    assert f"{article.issue.number_label} 《加强学习》" in page
    assert client.get(reverse("admin:bulletins_proofreadingdismissal_change",
                              args=[dismissal.pk])).status_code == 200
    assert client.get(reverse("admin:bulletins_proofreadingdismissal_add")).status_code == 403
