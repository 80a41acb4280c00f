"""预览 and 下载PDF on the issue's admin page."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.messages import get_messages
from django.urls import reverse

from editorial.permissions import EDITOR_GROUP
from tests.printing import build_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return build_issue(articles=2, paragraphs=2, name="工作简报", slug="jiangsu-jianbao")


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client.force_login(user)
    return user


def test_download_returns_the_pdf_named_after_publication_year_and_number(client, editor, issue):
    response = client.get(reverse("editorial:issue_pdf", args=[issue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    display = "建设学习型党组织、学习型领导班子工作简报2023年第454期.pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"jiangsu-jianbao-2023-454.pdf\"; filename*=UTF-8''{quote(display)}")


def test_preview_shows_the_same_layout_as_html(client, editor, issue):
    response = client.get(reverse("editorial:issue_preview", args=[issue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="zh-CN" class="screen"' in html
    assert "江苏省委常委会议召开" in html and "报：" in html


def test_the_preview_loads_the_pdfs_fonts_from_the_application_never_from_a_path(client, editor, issue):
    from bulletins.rendering.fonts import current_fonts

    html = client.get(reverse("editorial:issue_preview", args=[issue.pk])).content.decode()
    assert "file://" not in html and "/usr/share/fonts" not in html and "reduced-fonts" not in html
    loaded = [face for face in current_fonts().faces if not face.system]
    assert loaded  # the reduced copies at least
    for face in loaded:
        url = reverse("editorial:font_file", args=[face.token])
        assert f'src: url("{url}")' in html
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("font/")
        assert b"".join(response.streaming_content)[:4] in (b"OTTO", b"\x00\x01\x00\x00", b"ttcf", b"true")
    assert client.get(reverse("editorial:font_file", args=["0" * 20])).status_code == 404


def test_change_page_has_the_preview_and_download_buttons(client, editor, issue):
    response = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("editorial:issue_preview", args=[issue.pk])}"' in html
    assert f'href="{reverse("editorial:issue_pdf", args=[issue.pk])}">下载PDF</a>' in html
    assert ">预览</a>" in html


def test_anonymous_users_are_sent_to_the_login_page(client, issue):
    for name in ("editorial:issue_pdf", "editorial:issue_preview"):
        response = client.get(reverse(name, args=[issue.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_view_permission_is_refused(client, issue):
    user = User.objects.create_user("clerk", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(user)
    assert client.get(reverse("editorial:issue_pdf", args=[issue.pk])).status_code == 403
    assert client.get(reverse("editorial:issue_preview", args=[issue.pk])).status_code == 403


def test_unknown_issue_is_404(client, editor):
    assert client.get(reverse("editorial:issue_pdf", args=[999999])).status_code == 404


def test_missing_glyph_is_shown_to_the_editor_in_chinese(client, editor, issue):
    article = issue.articles.order_by("position").first()
    type(article).objects.filter(pk=article.pk).update(body="<p>这个字\U000f0041印不出。</p>")
    response = client.get(reverse("editorial:issue_pdf", args=[issue.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:bulletins_issue_change", args=[issue.pk])
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(f"无法生成PDF：《{article.title}》中的字符“\U000f0041”（U+F0041）")
