import io
import os

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bulletins.sanitize import sanitize_html
from editorial.forms import ArticleForm

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/editor/image-upload/"


def _png(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_upload_url_is_the_editors():
    assert reverse("editorial:image_upload") == UPLOAD_URL
    # The widget posts to it (settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME).
    html = ArticleForm()["body"].as_widget()
    assert f'data-upload-url="{UPLOAD_URL}"' in html


def test_anonymous_and_non_staff_users_cannot_upload(client):
    upload = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    response = client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 403
    assert response.json() == {"error": {"message": "只有编辑人员可以上传图片，请重新登录后再试。"}}
    client.force_login(User.objects.create_user("reader", password="pw"))
    upload = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    assert client.post(UPLOAD_URL, {"upload": upload}).status_code == 403


def test_staff_upload_lands_in_article_images(client, admin_user, settings):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    response = client.post(UPLOAD_URL, {"upload": upload})
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("/media/article-images/photo")
    assert (settings.MEDIA_ROOT / url.removeprefix("/media/")).exists()
    # The URL the editor inserts survives the sanitiser.
    assert sanitize_html(f'<p><img src="{url}"></p>') == f'<p><img src="{url}"></p>'


def _refusal(client, name: str, data: bytes) -> tuple[int, str]:
    response = client.post(UPLOAD_URL, {"upload": SimpleUploadedFile(name, data)})
    return response.status_code, response.json()["error"]["message"]


def test_upload_refuses_other_types_and_large_files_in_chinese(client, admin_user, settings):
    client.force_login(admin_user)
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, format="GIF")
    assert _refusal(client, "a.gif", gif.getvalue()) == (
        400, "“a.gif”不是 JPEG 或 PNG 图片，只能插入这两种格式的图片。")
    # A GIF renamed .png is refused by its content.
    assert _refusal(client, "动图.png", gif.getvalue()) == (
        400, "“动图.png”不是 JPEG 或 PNG 图片，只能插入这两种格式的图片。")
    assert _refusal(client, "通知.pdf", b"%PDF-1.4") == (
        400, "“通知.pdf”不是 JPEG 或 PNG 图片，只能插入这两种格式的图片。")
    noise = Image.frombytes("RGB", (1500, 1500), os.urandom(1500 * 1500 * 3))
    big = io.BytesIO()
    noise.save(big, format="PNG")
    assert big.tell() > settings.CKEDITOR_5_MAX_FILE_SIZE * 1024 * 1024
    megabytes = big.tell() / 1024 / 1024
    assert _refusal(client, "b.png", big.getvalue()) == (
        400, f"图片“b.png”有 {megabytes:.1f} MB，超过了 5 MB 的上限。请压缩后再插入。")
    assert _refusal(client, "c.png", b"not an image") == (400, "“c.png”不是有效的图片文件，可能已损坏。")
    assert not (settings.MEDIA_ROOT / "article-images").exists()


def test_paste_from_word_keeps_paragraphs_and_bold():
    word = ('<p class="MsoNormal" style="text-indent:32pt"><b><span style="font-family:黑体">'
            '聚力高位谋划。</span></b><span lang="EN-US">正文内容</span><o:p></o:p></p>'
            '<p class="MsoNormal"><span>第二段</span></p>')
    assert sanitize_html(word) == "<p><b>聚力高位谋划。</b>正文内容</p><p>第二段</p>"
