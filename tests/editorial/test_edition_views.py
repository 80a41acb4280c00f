"""下载Word and 下载OFD on the issue's admin page."""

import io
import zipfile
from urllib.parse import quote

import docx
import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.urls import reverse

from bulletins.services import article_update
from editorial.permissions import EDITOR_GROUP
from tests.printing import build_issue

pytestmark = pytest.mark.django_db
DISPLAY = "建设学习型党组织、学习型领导班子工作简报2023年第454期"


@pytest.fixture
def issue():
    return build_issue(articles=2, paragraphs=2, name="工作简报", slug="jiangsu-jianbao")


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client.force_login(user)
    return user


def test_download_word(client, editor, issue):
    response = client.get(reverse("editorial:issue_docx", args=[issue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == ("application/vnd.openxmlformats-officedocument"
                                        ".wordprocessingml.document")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"jiangsu-jianbao-2023-454.docx\"; "
        f"filename*=UTF-8''{quote(DISPLAY + '.docx')}")
    document = docx.Document(io.BytesIO(response.content))
    assert any(p.text == "工作简报" for p in document.paragraphs)


def test_download_ofd(client, editor, issue):
    response = client.get(reverse("editorial:issue_ofd", args=[issue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ofd"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"jiangsu-jianbao-2023-454.ofd\"; filename*=UTF-8''{quote(DISPLAY + '.ofd')}")
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        assert "OFD.xml" in package.namelist()


def test_change_page_has_the_word_and_ofd_buttons_next_to_pdf(client, editor, issue):
    html = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    pdf = f'href="{reverse("editorial:issue_pdf", args=[issue.pk])}">下载PDF</a>'
    word = f'href="{reverse("editorial:issue_docx", args=[issue.pk])}">下载Word</a>'
    ofd = f'href="{reverse("editorial:issue_ofd", args=[issue.pk])}">下载OFD</a>'
    assert html.index(pdf) < html.index(word) < html.index(ofd)


def test_a_character_no_font_has_is_reported_for_ofd(client, editor, issue):
    article = issue.articles.first()
    article_update(article=article, by=editor, body="<p>无法印刷的字\U000f0000</p>")
    response = client.get(reverse("editorial:issue_ofd", args=[issue.pk]))
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("无法生成OFD文件：")
    assert "U+F0000" in message


def test_anonymous_users_are_sent_to_the_login_page(client, issue):
    for name in ("editorial:issue_docx", "editorial:issue_ofd"):
        response = client.get(reverse(name, args=[issue.pk]))
        assert response.status_code == 302
        assert "/login/" in response["Location"]
