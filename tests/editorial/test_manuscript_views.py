"""Word manuscripts in the admin: upload under a column, preview (nothing written), confirm."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bulletins.models import Article, Issue
from bulletins.services import manuscripts
from editorial.permissions import EDITOR_GROUP
from tests.factories import ArticleFactory, ColumnFactory, IssueFactory
from tests.manuscripts import TITLE, official_manuscript, wps_manuscript

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def editor(client):
    user = User.objects.create_user("bianji", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client.force_login(user)
    return user


@pytest.fixture
def issue():
    issue = IssueFactory()
    ColumnFactory(publication=issue.publication, name="上情下达", position=1)
    ColumnFactory(publication=issue.publication, name="经验交流", position=2)
    return issue


def _files():
    return [SimpleUploadedFile("镇江.docx", official_manuscript(), content_type=DOCX),
            SimpleUploadedFile("省委.docx", wps_manuscript(), content_type=DOCX),
            SimpleUploadedFile("旧稿.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 200)]


def test_issue_page_links_to_the_upload_while_a_draft(client, editor, issue):
    page = client.get(f"/admin/bulletins/issue/{issue.pk}/change/").content.decode()
    assert f'href="/admin/issues/{issue.pk}/manuscripts/">导入Word稿件</a>' in page
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    page = client.get(f"/admin/bulletins/issue/{issue.pk}/change/").content.decode()
    assert "导入Word稿件" not in page


def test_upload_form_preselects_the_column_of_the_link(client, editor, issue):
    column = issue.publication.columns.get(name="经验交流")
    page = client.get(f"/admin/issues/{issue.pk}/manuscripts/?column={column.pk}").content.decode()
    assert f'<option value="{column.pk}" selected>经验交流</option>' in page
    assert 'accept=".docx,' in page


def test_preview_then_confirm_creates_the_articles_of_the_good_files(client, editor, issue):
    column = issue.publication.columns.get(name="上情下达")
    later = ArticleFactory(issue=issue, column=issue.publication.columns.get(name="经验交流"), position=0)
    response = client.post(f"/admin/issues/{issue.pk}/manuscripts/",
                           {"column": column.pk, "files": _files()})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<td>{TITLE}</td>" in page
    assert "<tr><th>署名</th><td>镇江市委宣传部 王明</td></tr>" in page
    assert "<h2>一、突出学习重点</h2>" in page
    assert 'src="data:image/png;base64,' in page
    assert "“旧稿.doc”是旧版 Word/WPS 格式，无法读取。" in page
    assert "确认导入 2 篇文章" in page
    assert Article.objects.count() == 1  # nothing written by the preview

    token = response.context["token"]
    response = client.post(f"/admin/issues/{issue.pk}/manuscripts/confirm/", {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/bulletins/issue/{issue.pk}/change/"
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [f"已在栏目“上情下达”导入 2 篇文章：《{TITLE}》、《省委理论学习中心组举行集体学习》。"]
    assert list(issue.articles.order_by("position").values_list("title", "column__name")) == [
        (TITLE, "上情下达"), ("省委理论学习中心组举行集体学习", "上情下达"), (later.title, "经验交流")]
    assert issue.articles.get(title=TITLE).updated_by == editor
    # A token is used once.
    again = client.post(f"/admin/issues/{issue.pk}/manuscripts/confirm/", {"token": token})
    assert again.status_code == 400
    assert "上传的稿件已过期或已导入，请重新上传。" in again.content.decode()
    assert issue.articles.count() == 3


def test_a_token_from_another_session_is_refused(client, editor, issue):
    column = issue.publication.columns.first()
    response = client.post(f"/admin/issues/{issue.pk}/manuscripts/",
                           {"column": column.pk, "files": _files()[:1]})
    token = response.context["token"]
    other = User.objects.create_user("other", password="pw", is_staff=True)
    other.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client.force_login(other)
    assert client.post(f"/admin/issues/{issue.pk}/manuscripts/confirm/", {"token": token}).status_code == 400
    assert not Article.objects.exists()


def test_form_errors_are_chinese(client, editor, issue):
    page = client.post(f"/admin/issues/{issue.pk}/manuscripts/", {}).content.decode()
    assert "请选择文章所在的栏目。" in page
    assert "请选择要导入的 Word 稿件。" in page
    foreign = ColumnFactory(name="别的刊物的栏目")
    page = client.post(f"/admin/issues/{issue.pk}/manuscripts/",
                       {"column": foreign.pk, "files": _files()[:1]}).content.decode()
    assert "所选栏目不属于本期的刊物。" in page


def test_an_issue_that_is_not_a_draft_takes_no_manuscripts(client, editor, issue):
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SIGNED)
    response = client.get(f"/admin/issues/{issue.pk}/manuscripts/")
    assert response.status_code == 409
    assert f"{issue.number_label}已签发，不能再增加文章。" in response.content.decode()


def test_staff_without_add_article_is_refused(client, issue):
    client.force_login(User.objects.create_user("viewer", password="pw", is_staff=True))
    assert client.get(f"/admin/issues/{issue.pk}/manuscripts/").status_code == 403
    assert client.post(f"/admin/issues/{issue.pk}/manuscripts/confirm/", {"token": "x"}).status_code == 403


def test_a_confirmation_that_fails_on_one_manuscript_imports_none_and_names_it(
        client, editor, issue, settings, monkeypatch):
    column = issue.publication.columns.get(name="上情下达")
    response = client.post(f"/admin/issues/{issue.pk}/manuscripts/",
                           {"column": column.pk, "files": _files()[:2]})
    assert "确认导入 2 篇文章" in response.content.decode()
    create = manuscripts.article_create

    def refuse_the_second(**fields):
        if fields["title"] == "省委理论学习中心组举行集体学习":
            raise ValidationError("本期刚刚被送审。")
        return create(**fields)
    # The first article is saved, then the second is refused.
    monkeypatch.setattr(manuscripts, "article_create", refuse_the_second)

    response = client.post(f"/admin/issues/{issue.pk}/manuscripts/confirm/",
                           {"token": response.context["token"]}, follow=True)

    shown = [str(message) for message in response.context["messages"]]
    assert shown[0] == "2 篇稿件一篇也没有导入（要么全部导入，要么都不导入），原因如下："
    assert shown[1] == "“省委.docx”未能导入：本期刚刚被送审。"
    assert len(shown) == 2
    assert not Article.objects.exists()
    images = settings.MEDIA_ROOT / "article-images"
    assert not images.exists() or list(images.iterdir()) == []


def test_the_preview_is_the_import_rolled_back(client, editor, issue, settings, monkeypatch):
    """What the real import would refuse, the preview reports; it leaves no article or image."""
    column = issue.publication.columns.get(name="上情下达")

    def refuse(**fields):
        raise ValidationError("本期刚刚被送审。")
    monkeypatch.setattr(manuscripts, "article_create", refuse)
    response = client.post(f"/admin/issues/{issue.pk}/manuscripts/",
                           {"column": column.pk, "files": _files()[:1]})
    page = response.content.decode()
    assert "“镇江.docx”未能导入：本期刚刚被送审。" in page
    assert "没有可以导入的稿件。" in page
    monkeypatch.undo()

    response = client.post(f"/admin/issues/{issue.pk}/manuscripts/",
                           {"column": column.pk, "files": _files()[:1]})
    assert "确认导入 1 篇文章" in response.content.decode()
    assert not Article.objects.exists()
    images = settings.MEDIA_ROOT / "article-images"
    assert not images.exists() or list(images.iterdir()) == []
