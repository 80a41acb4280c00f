"""Article images are served at MEDIA_URL by the site itself (no DEBUG needed), to staff and
readers only; nothing else of the storage is."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from bulletins.services import article_create
from editorial.readers import READER_GROUP
from tests.factories import ColumnFactory, IssueFactory
from tests.hostile import png_of_pixels

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    name = default_storage.save("article-images/会场.png", ContentFile(png_of_pixels(width=20, height=10)))
    yield name
    default_storage.delete(name)


@pytest.fixture
def reader(client):
    user = User.objects.create_user("duzhe", password="mima-12345")
    user.groups.add(Group.objects.get(name=READER_GROUP))
    client.force_login(user)
    return user


def test_a_reader_sees_the_images_of_an_article_in_the_reading_room(client, reader, image, settings):
    assert not settings.DEBUG
    issue = IssueFactory()
    column = ColumnFactory(publication=issue.publication)
    url = default_storage.url(image)
    article_create(issue=issue, column=column, title="会议召开", body=f'<p><img src="{url}"></p>')
    issue.__class__.objects.filter(pk=issue.pk).update(status="published")
    page = client.get(f"/archive/{issue.publication.slug}/{issue.year}/{issue.number}/").content.decode()
    assert f'src="{url}"' in page

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert b"".join(response.streaming_content) == default_storage.open(image).read()


def test_staff_see_images_and_anonymous_users_do_not(client, admin_user, image):
    url = default_storage.url(image)
    assert client.get(url).status_code == 404
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    assert client.get("/media/article-images/none.png").status_code == 404


@pytest.mark.parametrize("path", [
    "/media/printed/gzjb-2023-7-abc.pdf", "/media/article-images/../printed/x.png",
    "/media/article-images/x.svg", "/media/article-images//x.png", "/media/var/db.sqlite3",
])
def test_nothing_but_article_images_is_served(client, admin_user, path):
    default_storage.save("printed/gzjb-2023-7-abc.pdf", ContentFile(b"%PDF-1.7"))
    client.force_login(admin_user)
    assert client.get(path).status_code == 404
    default_storage.delete("printed/gzjb-2023-7-abc.pdf")


def test_behind_nginx_the_file_is_sent_by_nginx_after_the_check(client, admin_user, image, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    assert client.get(default_storage.url(image)).status_code == 404
    client.force_login(admin_user)
    response = client.get(default_storage.url(image))
    assert response["X-Accel-Redirect"] == f"/protected-media/{quote(image)}"
    assert response.content == b""
