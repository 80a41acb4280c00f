import io
import os

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bulletins.sanitize import sanitize_html

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/ckeditor5/image_upload/"


def _png(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_upload_url_is_the_editors():
    assert reverse("ck_editor_5_upload_file") == UPLOAD_URL


def test_anonymous_and_non_staff_users_cannot_upload(client):
    upload = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    assert client.post(UPLOAD_URL, {"upload": upload}).status_code == 403
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


def test_upload_refuses_other_types_and_large_files(client, admin_user, settings):
    client.force_login(admin_user)
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, format="GIF")
    response = client.post(UPLOAD_URL, {"upload": SimpleUploadedFile("a.gif", gif.getvalue())})
    assert response.status_code == 400
    noise = Image.frombytes("RGB", (1500, 1500), os.urandom(1500 * 1500 * 3))
    big = io.BytesIO()
    noise.save(big, format="PNG")
    assert big.tell() > settings.CKEDITOR_5_MAX_FILE_SIZE * 1024 * 1024
    response = client.post(UPLOAD_URL, {"upload": SimpleUploadedFile("b.png", big.getvalue())})
    assert response.status_code == 400
    text = client.post(UPLOAD_URL, {"upload": SimpleUploadedFile("c.png", b"not an image")})
    assert text.status_code == 400


def test_paste_from_word_keeps_paragraphs_and_bold():
    word = ('<p class="MsoNormal" style="text-indent:32pt"><b><span style="font-family:黑体">'
            '聚力高位谋划。</span></b><span lang="EN-US">正文内容</span><o:p></o:p></p>'
            '<p class="MsoNormal"><span>第二段</span></p>')
    assert sanitize_html(word) == "<p><b>聚力高位谋划。</b>正文内容</p><p>第二段</p>"
