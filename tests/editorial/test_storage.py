"""Files go through Django's storage API only: the whole path works on another storage backend.

Django's InMemoryStorage stands in for object storage (django-storages' S3Storage): nothing
may appear under MEDIA_ROOT, and the PDF must print the image that lives only in the storage.
"""

import io
from urllib.parse import unquote

import pypdf
import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bulletins.rendering.pdf import render_issue_pdf
from bulletins.services import article_update
from tests.printing import build_issue

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/editor/image-upload/"


@pytest.fixture
def in_memory(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    assert isinstance(storages["default"], InMemoryStorage)
    return storages["default"]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(client) -> str:
    response = client.post(UPLOAD_URL, {"upload": SimpleUploadedFile("照片.png", _png(),
                                                                     content_type="image/png")})
    assert response.status_code == 200
    return response.json()["url"]


def _images_in(pdf: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return sum(len(page.images) for page in reader.pages)


def _nothing_on_disk(settings) -> bool:
    return not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))


@pytest.mark.parametrize("media_url", ["/media/", "https://media.example/bulletins/"])
def test_upload_print_and_mailroom_files_on_another_storage(client, admin_user, settings, in_memory,
                                                            media_url):
    settings.MEDIA_URL = media_url
    client.force_login(admin_user)
    url = _upload(client)
    assert url.startswith(f"{media_url}article-images/")
    name = unquote(url.removeprefix(media_url))
    assert in_memory.exists(name)
    assert in_memory.open(name).read() == _png()

    issue = build_issue(articles=1, paragraphs=1)
    article = issue.articles.get()
    article_update(article=article, by=admin_user, body=f'<p>图片：</p><p><img src="{url}"></p>')
    article.refresh_from_db()
    assert f'<img src="{url}">' in article.body  # the storage's address survives the sanitiser
    assert _images_in(render_issue_pdf(issue, use_cache=False)) == 1

    for view, content_type in (("editorial:mailroom_pdf", "application/pdf"),
                               ("editorial:mailroom_xlsx", "application/vnd.openxmlformats-"
                                                           "officedocument.spreadsheetml.sheet")):
        response = client.get(reverse(view, args=[issue.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
    assert _nothing_on_disk(settings)


def test_an_image_missing_from_the_storage_is_left_out(client, admin_user, in_memory):
    client.force_login(admin_user)
    url = _upload(client)
    issue = build_issue(articles=1, paragraphs=1)
    article_update(article=issue.articles.get(), by=admin_user, body=f'<p><img src="{url}"></p>')
    in_memory.delete(unquote(url.removeprefix("/media/")))
    assert _images_in(render_issue_pdf(issue, use_cache=False)) == 0
